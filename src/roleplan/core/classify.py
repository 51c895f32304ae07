"""The role classifier: reads a posting's duties (not its title) and says SE, SA, other or hybrid, and why.

How it reads a posting:
1. Lower-case the plain text (the loader removed any HTML) and cut it into segments at sentence ends, line
   breaks and bullets.
2. A short segment that reads like a heading ("Responsibilities", "Nice to have", "About Acme", "Benefits")
   opens a section; benefits, EEO text and "what the job isn't" are not read at all.
3. Every other segment is scanned once, left to right, with a word trie built from data/signals.yaml:
   the longest phrase at each word wins. A phrase counts for nothing after a negation ("no quota") or in a
   boilerplate sentence; in a sentence naming another role as a colleague ("partner with Solutions
   Architects on integrations") the occurrence is the colleague's.
4. The signals found become features (`_signal_features`: per signal, and per signal and section group),
   with the title's (the role its head noun names, a company title map, its words).
5. The fitted model (`classify.model`: a multinomial logistic regression, see core/train.py) turns them into
   calibrated se/sa/other probabilities; hybrid when both se and sa are probable (in the posting's reading
   or in its duties' alone, the title's pull taken off); confidence is the family's probability; the
   evidence is each signal's pull towards the family decided.

Steps 1-3 are the scan: `scan_python` here, or the same in C (`roleplan/_scan.c`, the kernel only: no
weights or rules) when the extension was built at install; tests hold the two to identical matches.
Steps 4-5 exist once, here. The signals are compiled once per config object; titles are read once per
(title, company) and cached. Without the extension, a segment is read only when it holds the two anchor
words of some signal phrase (two set operations in C), so company text and benefits cost almost nothing.

Speed: `features()` is the model's reference (training fits on it); the decision does not build it. At
compile time the model's weights are laid out per signal index (`pooled_weights`, `group_weights`), a
title's share of the logits is computed once with the title, and a signal read by its pooled feature alone
has its logits and evidence row remembered per mass (its occurrences' summed section weights, a handful of
values); `_logits` then makes the logits in one pass over the matches. tests/core/test_classify_logits.py
holds it to `intercepts + weights . features()` under the packaged model and refit-like ones (section-group
features, no pooled features, no title words). On bench/classify_batch.py's postings (2026-12-03, shared
2-vCPU machine, CPU time) the decision costs ~37 µs per posting after a ~15 µs C scan; it cost ~58 µs with
feature dicts and a dot product.
"""

from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from roleplan.models.classify import Evidence, Family, RoleClassification, Soc
from roleplan.models.classify_config import (
    DELIMS,
    GROUPS,
    PUNCT,
    SECTION_GROUPS,
    SKIP_WORDS,
    ClassifyConfig,
    expand,
    phrase_tokens,
)

_TERM = " "  # trie key of a phrase's payload: never a token (tokens are split at spaces)
_EVIDENCE_MAX = 10
_NATIVE_ABI = 2  # the interface version of roleplan/_scan.c (its SCAN_ABI)
_HEADING_MAX = 64  # its HEADING_MAX: the words of the longest heading it can read
# bullets and middle dots end a segment: matched as UTF-8 bytes, before the byte table blanks them
_WIDE_DELIMS = re.compile(b"|".join(re.escape(c.encode()) for c in DELIMS if not c.isascii()))
# ASCII delimiters -> segment break, ASCII punctuation -> space, every byte of a non-ASCII character -> space
# (the signals are ASCII words; this keeps the token list a fast ASCII string)
_ASCII_MARKS = "".join(c for c in DELIMS + PUNCT if c.isascii())
_BYTES = bytes.maketrans(
    _ASCII_MARKS.encode() + bytes(range(0x80, 0x100)),
    b"".join(b"\x01" if c in DELIMS else b" " for c in _ASCII_MARKS) + b" " * 0x80,
)
_SEP = (
    "\x01"  # segment break (sentence end, line break, bullet): normalise() writes it, classify() splits on it
)

# payload kinds
_SIGNAL, _MENTION, _BOILER, _COMPANY = 0, 1, 2, 3


# A signal's (or the title's) evidence row: -lead, signal id ("title"), signal index (-1), family index, the
# family, the lead rounded to three decimals (the evidence weight). Sorted, the strongest comes first; (signal
# id, index) is unique, so ties never compare further.
_Row = tuple[float, str, int, int, Family, float]


@dataclass(frozen=True, slots=True)
class _Title:
    """What a title says: its family, the roles it names, its features, and a company map's note."""

    family: Family | None
    roles: tuple[str, ...]  # roles that get the title's prior when the finer role is chosen
    features: dict[str, float]
    note: str | None
    note_family: str | None  # the family the note speaks for (None: it says the title says nothing)
    # what the model reads in it, computed once: its features' logits (weights . features, se/sa/other)
    pull: tuple[float, float, float]
    named: bool  # it names a role, or a company map speaks for it (a title the decision may rest on)
    lead: _Row | None  # its row among the evidence's leads (_Read.leads), or None


@dataclass(frozen=True, slots=True)
class _Compiled:
    trie: dict[str, Any]
    # scan_python's (made on its first call, see anchor_sets; the C scan needs none): the rarest word of every
    # signal phrase, and per anchor the second-rarest word of each of its phrases (None when one of them is
    # a single word): a segment without such a pair holds no signal
    anchor_cache: list[tuple[frozenset[str], dict[str, frozenset[str] | None]]]
    signal_ids: tuple[str, ...]
    mention_roles: tuple[frozenset[str], ...]
    heading_exact: dict[tuple[str, ...], str]
    heading_prefix: dict[tuple[str, ...], str]
    # first word -> lengths (up to 5 words) of the heading prefixes it opens, longest first
    prefix_lengths: dict[str, tuple[int, ...]]
    heading_first: frozenset[str]
    heading_last: frozenset[str]
    heading_max: int
    section_weights: dict[str, float]
    # a match's section -> its weight, in a posting with headings and in one without (its "intro" is body)
    bases_headed: dict[str, float]
    bases_plain: dict[str, float]
    title_trie: dict[str, Any]
    title_rules: tuple[str, ...]  # role per title rule index
    company_maps: tuple[tuple[tuple[tuple[str, ...], ...], dict[str, Any], str | None, str], ...]
    role_family: dict[str, str]
    negations: frozenset[str]
    negation_window: int
    mention_window: int
    cues: frozenset[str]
    socs: dict[str, Soc]
    other_roles: frozenset[str]  # roles of the other family that can win (not `unknown`)
    # per family, per signal: its (role, weight) pairs for the roles of that family (choosing the finer role)
    family_roles: dict[str, tuple[tuple[tuple[str, float], ...], ...]]
    signal_roles: tuple[frozenset[str], ...]  # per signal: the roles it points to (a colleague's, discounted)
    # the model's feature names per signal: all sections together, and per section group
    pooled_names: tuple[str, ...]
    group_names: tuple[dict[str, str], ...]
    weights: dict[str, tuple[float, float, float]]  # feature -> (se, sa, other); absent weighs 0
    # the same weights by signal index, for the decision (`_logits`): the pooled feature's (None: unweighted
    # or pooled features off), and each section group's that has a weight (None: none, or sections off)
    pooled_weights: tuple[tuple[float, float, float] | None, ...]
    group_weights: tuple[dict[str, tuple[float, float, float]] | None, ...]
    # per signal read by its pooled feature alone: mass -> (its logits, its evidence row or None), filled as
    # postings come (a signal's mass takes a few values: its occurrences' section weights); None otherwise
    pooled_memo: tuple[dict[float, tuple[float, float, float, _Row | None]] | None, ...]
    intercepts: tuple[float, float, float]
    temperature: float
    hybrid_min: float
    review_below: float
    pooled: bool
    sections: bool
    title_words: bool
    max_repeats: int
    mention_discount: float
    title_cache: dict[tuple[str, str | None], _Title]
    native: tuple[Any, ...] | None = None  # the tables of the C scan (native_tables)


# per config object: the config (its id is only unique while it lives), its compiled signals and its C matcher
_CACHE: dict[int, tuple[ClassifyConfig, _Compiled, object | None]] = {}


def _add(trie: dict[str, Any], words: tuple[str, ...], payload: tuple[int, int]) -> None:
    """Add a phrase's payload to the trie (a node's payloads are a tuple, in the order they were added)."""
    node = trie
    for w in words:
        nxt = node.get(w)
        if nxt is None:
            nxt = node[w] = {}
        node = nxt
    entries = node.get(_TERM)
    if entries is None:
        node[_TERM] = (payload,)
    elif payload not in entries:
        node[_TERM] = (*entries, payload)


def compile_config(config: ClassifyConfig) -> _Compiled:
    """The matcher for a config, built once per config object (configs are immutable)."""
    return _compiled(config)[0]


def _compiled(config: ClassifyConfig) -> tuple[_Compiled, object | None]:
    """The compiled signals and the C matcher (None without the extension) of a config, built once."""
    hit = _CACHE.get(id(config))
    if hit is not None and hit[0] is config:
        return hit[1], hit[2]
    return _remember(config, _compile(config))


def _remember(config: ClassifyConfig, compiled: _Compiled) -> tuple[_Compiled, object | None]:
    matcher = None if _native is None or compiled.native is None else _native.build(*compiled.native)
    if len(_CACHE) >= 8:
        _CACHE.clear()
    _CACHE[id(config)] = (config, compiled, matcher)
    return compiled, matcher


def _compile(config: ClassifyConfig) -> _Compiled:
    trie: dict[str, Any] = {}
    signal_ids = tuple(config.signals)
    for i, sid in enumerate(signal_ids):
        for phrase in config.signals[sid].phrases:
            for words in expand(phrase):
                _add(trie, words, (_SIGNAL, i))
    mention_ids = tuple(config.mentions)
    for i, mid in enumerate(mention_ids):
        for phrase in config.mentions[mid].phrases:
            for words in expand(phrase):
                _add(trie, words, (_MENTION, i))
    for phrase in config.boilerplate:
        for words in expand(phrase):
            _add(trie, words, (_BOILER, 0))
    for phrase in config.company_markers:
        for words in expand(phrase):
            _add(trie, words, (_COMPANY, 0))

    exact: dict[tuple[str, ...], str] = {}
    prefix: dict[tuple[str, ...], str] = {}
    for kind, phrases in config.sections.headings.items():
        for phrase in phrases:
            target = prefix if phrase.endswith(" *") else exact
            for words in expand(phrase.removesuffix(" *")):
                target.setdefault(words, kind)
    heading_first = frozenset(w[0] for w in (*exact, *prefix))
    heading_last = frozenset(w[-1] for w in exact)

    title_trie: dict[str, Any] = {}
    title_rules = tuple(config.titles)
    for i, tid in enumerate(title_rules):
        for phrase in config.titles[tid].phrases:
            for words in expand(phrase):
                _add(title_trie, words, (_SIGNAL, i))
    maps = []
    for cmap in config.company_titles.values():
        companies = tuple(tuple(phrase_tokens(c)) for c in cmap.companies)
        mtrie: dict[str, Any] = {}
        for phrase in cmap.titles:
            for words in expand(phrase):
                _add(mtrie, words, (_SIGNAL, 0))
        maps.append((companies, mtrie, cmap.role, cmap.note or ""))

    d, model = config.decision, config.model
    weights = {row[0]: (row[1], row[2], row[3]) for row in model.weights}
    pooled_weights = tuple(weights.get(sid) if model.features.pooled else None for sid in signal_ids)
    group_weights = tuple(
        {g: weights[f"{sid}@{g}"] for g in GROUPS if f"{sid}@{g}" in weights} or None
        if model.features.sections
        else None
        for sid in signal_ids
    )
    compiled = _Compiled(
        trie=trie,
        anchor_cache=[],
        signal_ids=signal_ids,
        mention_roles=tuple(frozenset(config.mentions[m].roles) for m in mention_ids),
        heading_exact=exact,
        heading_prefix=prefix,
        prefix_lengths={
            w: tuple(sorted({len(p) for p in prefix if p[0] == w and len(p) <= 5}, reverse=True))
            for w in {p[0] for p in prefix}
        },
        heading_first=heading_first,
        heading_last=heading_last,
        heading_max=config.sections.max_heading_words,
        section_weights=dict(config.sections.weights),
        bases_headed={"company": 1.0, **config.sections.weights},
        bases_plain={"company": 1.0, **config.sections.weights, "intro": config.sections.weights["body"]},
        title_trie=title_trie,
        title_rules=tuple(config.titles[t].role for t in title_rules),
        company_maps=tuple(maps),
        role_family={name: r.family for name, r in config.roles.items()},
        negations=frozenset(d.negation_words),
        negation_window=d.negation_window,
        mention_window=d.mention_window,
        cues=frozenset(d.mention_cues),
        socs={name: Soc(code=r.soc, title=r.soc_title) for name, r in config.roles.items()},
        other_roles=frozenset(
            n for n, r in config.roles.items() if r.family == "other" and n != config.unknown_role
        ),
        family_roles={
            fam: tuple(
                tuple(
                    (r, w)
                    for r, w in config.signals[s].weights.items()
                    if config.roles[r].family == fam and r != config.hybrid_role
                )
                for s in signal_ids
            )
            for fam in ("se", "sa", "other")
        },
        signal_roles=tuple(_primary_roles(config, s) for s in signal_ids),
        pooled_names=signal_ids,
        group_names=tuple({g: f"{sid}@{g}" for g in GROUPS} for sid in signal_ids),
        weights=weights,
        pooled_weights=pooled_weights,
        group_weights=group_weights,
        pooled_memo=tuple(
            {} if pw is not None and gw is None else None
            for pw, gw in zip(pooled_weights, group_weights, strict=True)
        ),
        intercepts=model.intercepts,
        temperature=model.temperature,
        hybrid_min=model.hybrid_min,
        review_below=model.review_below,
        pooled=model.features.pooled,
        sections=model.features.sections,
        title_words=model.features.title_words,
        max_repeats=config.decision.max_repeats,
        mention_discount=config.decision.mention_discount,
        title_cache={},
    )
    return dataclasses.replace(compiled, native=native_tables(compiled, config))


# Words too common in postings to anchor a phrase on (see _anchors). Only speed depends on this list.
_COMMON_WORDS = """
    work working works with and for to of in on at by from as new help helping helps value values time
    customer customers client clients team teams sales business product products technical technology
    opportunity opportunities status support supporting data build building lead leading own owning
    role experience across company companies people partner partners service services solution
    solutions platform platforms account accounts engineering engineer engineers manage managing
    management deliver delivering develop developing design designing create creating drive driving
    make making run running use using all more other we you they is are be will can who what how
"""
_COMMON = frozenset(_COMMON_WORDS.split())


def anchor_sets(c: _Compiled) -> tuple[frozenset[str], dict[str, frozenset[str] | None]]:
    """The anchors of the signal phrases and their partners (`_Compiled.anchor_cache`), from the trie's signal
    phrases, made once (0.03 s of start-up that the C scan does not need)."""
    if not c.anchor_cache:
        anchors: dict[str, set[str | None]] = {}
        stack: list[tuple[dict[str, Any], tuple[str, ...]]] = [(c.trie, ())]
        while stack:
            node, words = stack.pop()
            for word, child in node.items():
                if word == _TERM:
                    if any(kind == _SIGNAL for kind, _ in child):
                        first, second = _anchors(words)
                        anchors.setdefault(first, set()).add(second)
                else:
                    stack.append((child, (*words, word)))
        partners = {
            a: None if None in ws else frozenset(w for w in ws if w is not None) for a, ws in anchors.items()
        }
        c.anchor_cache.append((frozenset(anchors), partners))
    return c.anchor_cache[0]


def _anchors(words: tuple[str, ...]) -> tuple[str, str | None]:
    """The two rarest-looking words of a phrase (not common, then the longest); None for a one-word phrase.

    A segment can hold the phrase only if it holds both, which two set operations in C tell for most
    segments without reading them word by word.
    """
    ranked = sorted(set(words), key=_RARITY.__getitem__)
    return ranked[0], (ranked[1] if len(ranked) > 1 else None)


class _Rarity(dict[str, tuple[bool, int, str]]):
    """word -> its sort key in _anchors (not common first, then the longest), made once per word."""

    def __missing__(self, w: str) -> tuple[bool, int, str]:
        key = self[w] = (w in _COMMON, -len(w), w)
        return key


_RARITY = _Rarity()


def _primary_roles(config: ClassifyConfig, sid: str) -> frozenset[str]:
    """The roles of a signal's main family (that of its heaviest role): a colleague doing that work
    ("partner with Solutions Architects on integrations") makes the occurrence the colleague's."""
    weights = config.signals[sid].weights
    fam = config.roles[max(weights, key=weights.__getitem__)].family
    return frozenset(r for r in weights if config.roles[r].family == fam)


def _read_title(title: str, company: str | None, c: _Compiled, config: ClassifyConfig) -> _Title:
    """What a title says (cached per title and company)."""
    key = (title, company)
    hit = c.title_cache.get(key)
    if hit is not None:
        return hit
    roles = _title_role(title, c)
    fams = {c.role_family[r] for r in roles}
    title_family: Family | None = None
    if {"se", "sa"} <= fams:
        title_family = "hybrid"
    elif len(fams) == 1:
        title_family = fams.pop()  # type: ignore[assignment]
    feats = {f"title:{r}": 1.0 / len(roles) for r in roles}
    prior_roles = tuple(roles)
    note = note_family = None
    cmap = _company_map(title, company, c)
    if cmap is not None:
        _, mapped, text = cmap
        note = f"{company}: {text}" if text else None
        note_family = c.role_family[mapped] if mapped is not None else None
        prior_roles = (mapped,) if mapped is not None else ()
        feats[f"title_map:{mapped or 'none'}"] = 1.0
    for word in phrase_tokens(title):
        if word not in SKIP_WORDS and not word.isdigit():
            feats[f"title_word:{word}"] = 1.0
    pull = [0.0, 0.0, 0.0]
    for name, v in feats.items():
        w = c.weights.get(name)
        if w is not None and (c.title_words or not name.startswith("title_word:")):
            pull[0] += v * w[0]
            pull[1] += v * w[1]
            pull[2] += v * w[2]
    named = bool(prior_roles) or cmap is not None
    a, b, d = pull
    k = 0 if a >= b and a >= d else (1 if b >= d else 2)
    lead = (a if k == 0 else b if k == 1 else d) - (a + b + d) / 3.0
    out = _Title(
        title_family,
        prior_roles,
        feats,
        note,
        note_family,
        (a, b, d),
        named,
        _row(lead, "title", -1, k),
    )
    if len(c.title_cache) > 50_000:
        c.title_cache.clear()
    c.title_cache[key] = out
    return out


def _longest(
    trie: dict[str, Any], toks: list[str], i: int, n: int
) -> tuple[int, tuple[tuple[int, int], ...]]:
    """The longest phrase in toks[i:n] starting at word i: (end index, payloads), or (-1, ()) when none."""
    node = trie.get(toks[i])
    if node is None:
        return -1, ()
    best_end, best = -1, ()
    k = i + 1
    if _TERM in node:
        best_end, best = k, node[_TERM]
    while k < n:
        j = k
        while j < n and toks[j] in SKIP_WORDS:
            j += 1
        if j >= n:
            break
        nxt = node.get(toks[j])
        if nxt is None:
            break
        node = nxt
        k = j + 1
        if _TERM in node:
            best_end, best = k, node[_TERM]
    return best_end, best


_NOT_ONLY = frozenset({"just", "only", "merely", "simply", "limited"})


def _not_only(toks: list[str], s: int, j: int, c: _Compiled) -> bool:
    """ "not just demos", "not only POCs": the negation widens rather than cancels the duty."""
    w = c.negation_window
    return any(toks[k] in c.negations and toks[k + 1] in _NOT_ONLY for k in range(max(s, j - w), j - 1))


def _heading(toks: list[str], c: _Compiled) -> str | None:
    """The section a short segment opens, or None when it is not a heading."""
    words = tuple(toks) if SKIP_WORDS.isdisjoint(toks) else tuple(t for t in toks if t not in SKIP_WORDS)
    if not words:
        return None
    kind = c.heading_exact.get(words)
    if kind is not None:
        return kind
    nw = len(words)
    for n in c.prefix_lengths.get(words[0], ()):
        if n > nw:
            continue
        kind = c.heading_prefix.get(words[:n])
        # "About Acme" but not "About 5 years of ..."; a longer prefix ("What you'll do") may run on
        if kind is not None and (n >= 3 or nw <= n + 3):
            return kind
    if nw <= 6:  # "Solutions Architect Responsibilities"
        for n in (2, 1):
            kind = c.heading_exact.get(words[-n:])
            if kind is not None:
                return kind
    return None


def normalise(text: str) -> str:
    """Lower-cased plain text (the loader removed any markup), punctuation a space, segment breaks `\x01`."""
    raw = text.encode("utf-8", "surrogatepass")
    if not text.isascii():
        raw = _WIDE_DELIMS.sub(b"\x01", raw)
    # bytes.lower() is ASCII-only, which is all that is left after the table: far faster than str.lower()
    return raw.translate(_BYTES).lower().decode("ascii")


def _title_role(title: str, c: _Compiled) -> list[str]:
    """Roles the title names: one per `/`-separated alternative (the rule ending rightmost wins)."""
    main = re.split(r"\s[-–—|]\s|,|\(|:", title, maxsplit=1)[0]
    roles: list[str] = []
    for part in main.split("/"):
        toks = [t for t in phrase_tokens(part) if t not in SKIP_WORDS]
        best_end, best_role = -1, None
        for i in range(len(toks)):
            end, payload = _longest(c.title_trie, toks, i, len(toks))
            if payload and end > best_end:  # rightmost end; the longest phrase at that end
                best_end, best_role = end, c.title_rules[payload[0][1]]
        if best_role is not None and best_role not in roles:
            roles.append(best_role)
    return roles


def _company_map(title: str, company: str | None, c: _Compiled) -> tuple[bool, str | None, str] | None:
    """(applies, role, note) from the first company title map naming this company and title."""
    if not company:
        return None
    ctoks = tuple(phrase_tokens(company))
    ttoks = [t for t in phrase_tokens(title) if t not in SKIP_WORDS]
    for companies, mtrie, role, note in c.company_maps:
        if not any(ctoks[: len(name)] == name for name in companies):
            continue
        if any(_longest(mtrie, ttoks, i, len(ttoks))[0] > 0 for i in range(len(ttoks))):
            return True, role, note
    return None


# The scan kernel in C (roleplan/_scan.c), when the extension was built at install; scan_python is the
# reference it must agree with. use_native(False) turns it off (the CLI does for ROLEPLAN_PURE_PYTHON=1).
_built: Any
try:
    from roleplan import _scan as _built
except ImportError:  # no compiler at install: the pure-Python scan, same results, slower
    _built = None
else:
    if getattr(_built, "ABI", None) != _NATIVE_ABI:  # a stale build from an older checkout
        _built = None
_native: Any = _built


def use_native(enabled: bool) -> None:
    """Scan with the C kernel (when it was built) or with scan_python: the results are the same."""
    global _native
    _native = _built if enabled else None
    _CACHE.clear()  # matchers are built, or not, with the setting in force


def native_available() -> bool:
    """True when classify() scans in C (the extension was built, is of this version, and is on)."""
    return _native is not None


def _native_matcher(config: ClassifyConfig) -> object | None:
    """The C matcher of a config, or None: no extension, or a config its tables cannot hold (native_tables)."""
    return _compiled(config)[1] if _native is not None else None


def native_tables(c: _Compiled, config: ClassifyConfig) -> tuple[Any, ...] | None:
    """The word trie flattened into the integer tables the C scan reads (see roleplan/_scan.c).

    None when the C scan cannot read this config: a word that is not ASCII (it can never match, as the text
    is ASCII by then, but the C tables hold ASCII only) or a heading of more than 64 words.
    """
    words: dict[str, int] = {}
    flags: dict[int, int] = {}
    edges: list[tuple[int, int, int]] = []
    payloads: list[tuple[tuple[int, int], ...]] = []

    def wid(word: str, flag: int = 0) -> int:
        i = words.setdefault(word, len(words))
        flags[i] = flags.get(i, 0) | flag
        return i

    def walk(node: dict[str, Any]) -> int:  # nodes numbered depth first, the root 0
        me = len(payloads)
        payloads.append(node.get(_TERM, ()))
        for word, child in node.items():
            if word != _TERM:
                i = words.get(word)
                if i is None:
                    i = words[word] = len(words)
                edges.append((me, i, walk(child)))
        return me

    walk(c.trie)
    kinds = tuple(sorted({*c.heading_exact.values(), *c.heading_prefix.values()}))
    kind_ix = {k: i for i, k in enumerate(kinds)}
    headings: list[Any] = []
    for table in (c.heading_exact, c.heading_prefix):
        children: dict[tuple[int, int], int] = {}
        h_kind = [-1]
        for phrase, kind in table.items():
            node = 0
            for word in phrase:
                node = children.setdefault((node, wid(word)), len(h_kind))
                if node == len(h_kind):
                    h_kind.append(-1)
            h_kind[node] = kind_ix[kind]
        headings += [[(p, w, ch) for (p, w), ch in children.items()], h_kind]
    for group, flag in (
        (SKIP_WORDS, 1),
        (c.negations, 2),
        (c.cues, 4),
        (_NOT_ONLY, 8),
        (c.heading_first, 16),
        (c.heading_last, 32),
    ):
        for word in sorted(group):
            wid(word, flag)
    if not all(w.isascii() for w in words) or any(len(h) > _HEADING_MAX for h in c.heading_exact):
        return None
    return (
        list(words),
        bytes(flags.get(i, 0) for i in range(len(words))),
        edges,
        payloads,
        c.mention_roles,
        (*headings, kinds, [float(c.section_weights[k]) for k in kinds]),
        c.heading_max,
        c.negation_window,
        c.mention_window,
        len(c.signal_ids),
        bytes(range(256)).translate(_BYTES).lower(),
        tuple(ch.encode() for ch in DELIMS if not ch.isascii()),
    )


def classify(
    text: str, *, title: str | None = None, company: str | None = None, config: ClassifyConfig
) -> RoleClassification:
    """Classify one posting's plain text (markup is the loader's: `loaders.jd.batch_text`); pure, no I/O."""
    hit = _CACHE.get(id(config))  # _compiled(config), without its call for every posting of a batch
    c, native = (hit[1], hit[2]) if hit is not None and hit[0] is config else _compiled(config)
    if native is None or _native is None:  # (_native: the extension turned off after the matcher was built)
        matches, seen_heading = scan_python(normalise(text), c)
    else:
        matches, seen_heading = _native.scan(native, text)
    return _decide(matches, seen_heading, title, company, c, config)


def classify_python(
    text: str, *, title: str | None = None, company: str | None = None, config: ClassifyConfig
) -> RoleClassification:
    """classify() with the pure-Python scan (what runs without the C extension)."""
    c = compile_config(config)
    matches, seen_heading = scan_python(normalise(text), c)
    return _decide(matches, seen_heading, title, company, c, config)


def _scan(text: str, config: ClassifyConfig) -> tuple[list[Match], bool]:
    """The signals in a text: by the C scan kernel when it was built, else by scan_python (same result)."""
    c, native = _compiled(config)
    if native is None or _native is None:  # (_native: the extension turned off after the matcher was built)
        return scan_python(normalise(text), c)
    return _native.scan(native, text)  # type: ignore[no-any-return]


def features(
    text: str, *, title: str | None = None, company: str | None = None, config: ClassifyConfig
) -> dict[str, float]:
    """Every feature the model can read in a posting (`roleplan train` fits on these), by name."""
    c = compile_config(config)
    matches, seen_heading = _scan(text, config)
    feats = {
        name: v for _, name, v in _signal_features(matches, seen_heading, c, pooled=True, sections=True)[0]
    }
    if title and title.strip():
        feats.update(_read_title(title, company, c, config).features)
    return feats


Match = tuple[int, str, str, frozenset[str] | None]  # signal index, phrase, section, roles discounted or None


def scan_python(norm: str, c: _Compiled) -> tuple[list[Match], bool]:
    """The signals in a normalised text, segment by segment, and whether it has a heading.

    The reference for the C scan in `roleplan/_scan.c`, which must return exactly the same.
    """
    trie, sw = c.trie, c.section_weights
    negations, cues = c.negations, c.cues
    neg_w, cue_w = c.negation_window, c.mention_window

    matches: list[Match] = []
    where = "intro"  # until the first heading
    seen_heading = False
    skip_section = False
    hmax, hfirst, hlast = c.heading_max, c.heading_first, c.heading_last
    anchors, partners = anchor_sets(c)
    for segment in filter(None, norm.split(_SEP)):  # consecutive breaks leave empty segments
        toks = segment.split()
        e = len(toks)
        if not e:
            continue
        if e <= hmax and (toks[0] in hfirst or toks[-1] in hlast):
            kind = _heading(toks, c)
            if kind is not None:  # the segment is still read: "Responsibilities: run demos"
                where, skip_section, seen_heading = kind, sw[kind] == 0.0, True
        # no signal can match without its two anchor words: most segments (company text, benefits) end here
        if skip_section or anchors.isdisjoint(toks):
            continue
        for a in anchors.intersection(toks):  # a plain loop: any() over a generator was measurably slower
            ws = partners[a]
            if ws is None or not ws.isdisjoint(toks):
                break
        else:
            continue
        found: list[tuple[int, int, int]] = []
        discounted: set[str] = set()
        boiler = about = False
        upto = 0
        negated = not negations.isdisjoint(toks)  # most segments have no negation and no cue at all
        cued = not cues.isdisjoint(toks)
        for j in [j for j, t in enumerate(toks) if t in trie]:  # where a phrase can start
            if j < upto:  # inside a longer phrase already matched
                continue
            node = trie[toks[j]]
            k = j + 1
            if k >= e or (toks[k] not in node and toks[k] not in SKIP_WORDS):
                # the next word continues no phrase: a one-word phrase or (most often) nothing
                payloads = node.get(_TERM)
                if payloads is None:
                    continue
                end = k
            else:
                end, payloads = _longest(trie, toks, j, e)
                if end < 0:
                    continue
            upto = end
            for kind_, idx in payloads:
                if kind_ == _SIGNAL:
                    if (
                        not negated
                        or j == 0
                        or negations.isdisjoint(toks[max(0, j - neg_w) : j])
                        or _not_only(toks, 0, j, c)
                    ):
                        found.append((idx, j, end))
                elif kind_ == _MENTION:
                    if cued and j > 0 and not cues.isdisjoint(toks[max(0, j - cue_w) : j]):
                        discounted |= c.mention_roles[idx]
                elif kind_ == _BOILER:
                    boiler = True
                else:
                    about = True
            if boiler:  # a boilerplate sentence counts for nothing: no need to read on
                break
        if boiler or not found:
            continue
        disc = frozenset(discounted) if discounted else None
        seg_where = "company" if about and where == "intro" else where
        matches.extend((idx, " ".join(toks[a:b]), seg_where, disc) for idx, a, b in found)

    return matches, seen_heading


_Occ = tuple[float, str, str, bool]  # section weight, phrase, section, in a colleague's sentence


def _signal_features(
    matches: list[Match], seen_heading: bool, c: _Compiled, *, pooled: bool, sections: bool
) -> tuple[list[tuple[int, str, float]], dict[int, list[_Occ]]]:
    """The signals' features as (signal index, name, value), and their occurrences per signal, strongest first.

    `signal`: log(1 + the first max_repeats occurrences, each weighted by its section and a colleague's
    sentence by mention_discount); `signal@group`: log(1 + occurrences in that section group, at most
    max_repeats).
    """
    bases = c.bases_headed if seen_heading else c.bases_plain
    roles_of = c.signal_roles
    per_signal: dict[int, list[_Occ]] = {}
    for idx, phrase, where, disc in matches:
        base = bases.get(where, 1.0)
        if base > 0.0:
            o = (base, phrase, where, disc is not None and not disc.isdisjoint(roles_of[idx]))
            got = per_signal.get(idx)
            if got is None:
                per_signal[idx] = [o]
            else:
                got.append(o)
    rows: list[tuple[int, str, float]] = []
    cap, md = c.max_repeats, c.mention_discount
    for idx, occ in per_signal.items():
        if len(occ) > 1:
            occ.sort(key=_STRONGEST)  # stable: equal weights keep the order of the text
        if pooled:
            if len(occ) == 1:
                b, _, _, col = occ[0]
                mass = b * md if col else b
            else:
                mass = 0.0
                for b, _, _, col in occ[:cap]:
                    mass += b * md if col else b
            rows.append((idx, c.pooled_names[idx], math.log1p(mass)))
        if sections:
            names = c.group_names[idx]
            counts: dict[str, int] = {}
            for _, _, where, col in occ:
                # a posting without headings is all body: its "intro" is the duties
                g = "colleague" if col else SECTION_GROUPS.get(where if seen_heading else "body", "other")
                counts[g] = counts.get(g, 0) + 1
            for g, n in counts.items():
                rows.append((idx, names[g], _LOG1P[min(n, cap)]))
    return rows, per_signal


def _STRONGEST(o: _Occ) -> float:
    return -o[0] * (0.5 if o[3] else 1.0)


_LOG1P = tuple(math.log1p(n) for n in range(101))


class _Read:
    """What the decision reads off a posting's matches (`_logits`)."""

    __slots__ = ("leads", "logits", "masses", "occurrences", "per_signal")

    def __init__(
        self,
        logits: tuple[float, float, float],
        leads: tuple[list[_Row], list[_Row], list[_Row]],
        per_signal: dict[int, list[_Occ]],
        masses: list[float],
        occurrences: int,
    ) -> None:
        self.logits = logits  # intercepts + weights . features(): se, sa, other
        # per family (se, sa, other), the evidence rows (_Row) of the signals whose share of the logits (their
        # pull) points to it most and leads the mean of the three
        self.leads = leads
        self.per_signal = per_signal  # per signal index: its occurrences, strongest first
        self.masses = masses  # per signal, in per_signal's order: its first max_repeats occurrences' section
        # weights, a colleague's sentence left out (what the signal says for its finer roles)
        self.occurrences = occurrences  # occurrences that count (in a section of weight > 0)


def _logits(matches: list[Match], seen_heading: bool, t: _Title | None, c: _Compiled) -> _Read:
    """The model's logits (se, sa, other) on a posting, each signal's share of them (its pull, for the
    evidence), its occurrences per signal, strongest first, and what they weigh.

    The logits are `intercepts + weights . features()` (tests hold them to that), summed without building the
    features: the weights are found by signal index (`_Compiled.pooled_weights`, `group_weights`), and the
    title's share was computed once with the title (`_Title.pull`).
    """
    bases = c.bases_headed if seen_heading else c.bases_plain
    roles_of = c.signal_roles
    per_signal: dict[int, list[_Occ]] = {}
    colleague = False  # any occurrence in a colleague's sentence (rare): strength is then not the base
    occurrences = len(matches)  # less those in a section that counts for nothing
    for idx, phrase, where, disc in matches:
        base = bases[where]  # a match's section is intro, body, a heading's or company: each has a weight
        if base > 0.0:
            if disc is None or disc.isdisjoint(roles_of[idx]):
                o = (base, phrase, where, False)
            else:
                o = (base, phrase, where, True)
                colleague = True
            got = per_signal.get(idx)
            if got is None:
                per_signal[idx] = [o]
            else:
                got.append(o)
        else:
            occurrences -= 1
    z0, z1, z2 = c.intercepts
    leads: tuple[list[_Row], list[_Row], list[_Row]] = ([], [], [])  # by the family they point to
    ids = c.signal_ids
    masses: list[float] = []
    cap, md = c.max_repeats, c.mention_discount
    pooled_weights, group_weights, pooled_memo = c.pooled_weights, c.group_weights, c.pooled_memo
    for idx, occ in per_signal.items():
        n = len(occ)
        # strongest first, stable (equal weights keep the order of the text), as in _signal_features
        if n == 1:
            mass = occ[0][0] if not colleague or not occ[0][3] else 0.0
        elif not colleague:
            occ.sort(key=_BASE, reverse=True)  # the order of key=_STRONGEST: reverse keeps a sort stable
            mass = 0.0
            for o in occ[:cap]:
                mass += o[0]
        else:
            occ.sort(key=_STRONGEST)
            mass = 0.0
            for b, _, _, col in occ[:cap]:
                if not col:
                    mass += b
        masses.append(mass)
        memo = pooled_memo[idx]
        if memo is not None and not colleague:  # the same sums as below, remembered per mass
            hit = memo.get(mass)
            if hit is None:
                hit = memo[mass] = _pooled(mass, idx, c)
                if len(memo) > 1000:
                    memo.clear()
            a, b, d, row = hit
            z0 += a
            z1 += b
            z2 += d
            if row is not None:
                leads[row[3]].append(row)
            continue
        w = pooled_weights[idx]
        groups = group_weights[idx]
        if groups is None:
            if w is None:  # no feature of this signal has a weight
                continue
        elif w is None:
            w = (0.0, 0.0, 0.0)
        if not colleague:
            pooled = mass
        elif n == 1:  # a colleague's occurrence counts mention_discount here
            b, _, _, col = occ[0]
            pooled = b * md if col else b
        else:
            pooled = 0.0
            for b, _, _, col in occ[:cap]:
                pooled += b * md if col else b
        v = math.log1p(pooled)
        a, b, d = v * w[0], v * w[1], v * w[2]
        z0 += a
        z1 += b
        z2 += d
        if groups is not None:
            pull = [a, b, d]
            counts: dict[str, int] = {}
            for _, _, where, col in occ:
                g = "colleague" if col else SECTION_GROUPS.get(where if seen_heading else "body", "other")
                counts[g] = counts.get(g, 0) + 1
            for g, k in counts.items():
                w = groups.get(g)
                if w is not None:
                    v = _LOG1P[min(k, cap)]
                    a, b, d = v * w[0], v * w[1], v * w[2]
                    z0 += a
                    z1 += b
                    z2 += d
                    pull[0] += a
                    pull[1] += b
                    pull[2] += d
            a, b, d = pull
        k = 0 if a >= b and a >= d else (1 if b >= d else 2)  # the family it pulls to most
        lead = (a if k == 0 else b if k == 1 else d) - (a + b + d) / 3.0
        if lead > 0.0:
            leads[k].append((-lead, ids[idx], idx, k, _FAMS[k], _round3(lead)))
    if t is not None:
        tp = t.pull
        z0 += tp[0]
        z1 += tp[1]
        z2 += tp[2]
    return _Read((z0, z1, z2), leads, per_signal, masses, occurrences)


def _pooled(mass: float, idx: int, c: _Compiled) -> tuple[float, float, float, _Row | None]:
    """A signal's logits when only its pooled feature has weights, and its evidence row (as in _logits)."""
    w = c.pooled_weights[idx]
    assert w is not None
    v = math.log1p(mass)
    a, b, d = v * w[0], v * w[1], v * w[2]
    k = 0 if a >= b and a >= d else (1 if b >= d else 2)
    lead = (a if k == 0 else b if k == 1 else d) - (a + b + d) / 3.0
    return a, b, d, _row(lead, c.signal_ids[idx], idx, k)


def _row(lead: float, sid: str, idx: int, k: int) -> _Row | None:
    """The evidence row of a pull that leads the mean of the three families by `lead` towards family k."""
    return (-lead, sid, idx, k, _FAMS[k], _round3(lead)) if lead > 0.0 else None


_BASE = itemgetter(0)


def _round3(x: float) -> float:
    """round(x, 3), the same float, in a third of the time: round() with digits prints the number in decimal
    and parses it back (~1 µs, and a posting has ~10 numbers to round).

    x * 1000 is off from the exact product by half a unit in its last place at most, so unless it lies
    within 1e-6 of a half (a tie, or nearly: left to round()) its nearest integer n is the exact product's,
    and n / 1000 is the float nearest to that decimal, which is what round() returns. A test holds the two
    to the same bits.
    """
    y = x * 1000.0
    if -1e9 < y < 1e9:  # and not NaN; there the error above is < 1e-6
        n = round(y)
        d = y - n
        if -0.499999 < d < 0.499999:
            return math.copysign(n / 1000.0, x)  # round(-0.0001, 3) is -0.0
    return round(x, 3)


_FAM_IX = {"se": 0, "sa": 1, "other": 2}
_MIN_OCCURRENCES = 2  # duties a posting without a recognised title needs before the model decides
_FAMS: tuple[Family, Family, Family] = ("se", "sa", "other")


def _decide(
    matches: list[Match],
    seen_heading: bool,
    title: str | None,
    company: str | None,
    c: _Compiled,
    config: ClassifyConfig,
) -> RoleClassification:
    t = _read_title(title, company, c, config) if title and title.strip() else None
    read = _logits(matches, seen_heading, t, c)
    z0, z1, z2 = read.logits
    # softmax(z / temperature)
    top, temp = max(z0, z1, z2), c.temperature
    e0, e1, e2 = math.exp((z0 - top) / temp), math.exp((z1 - top) / temp), math.exp((z2 - top) / temp)
    total = e0 + e1 + e2
    p = (e0 / total, e1 / total, e2 / total)
    rounded = (_round3(p[0]), _round3(p[1]), _round3(p[2]))
    scores = {"se": rounded[0], "sa": rounded[1], "other": rounded[2]}

    family: Family
    if read.occurrences < _MIN_OCCURRENCES and (t is None or not t.named):
        # hardly a duty and no title that names a role ("demos"): the model was never shown so little
        family, role, conf = "other", config.unknown_role, 0.0
    else:
        both = min(p[0], p[1])
        if t is not None and both < c.hybrid_min:
            # hybrid is what the duties span: read them alone too (the title's pull off the logits)
            u0, u1, u2 = z0 - t.pull[0], z1 - t.pull[1], z2 - t.pull[2]
            top = max(u0, u1, u2)
            d0, d1 = math.exp((u0 - top) / temp), math.exp((u1 - top) / temp)
            both = max(both, min(d0, d1) / (d0 + d1 + math.exp((u2 - top) / temp)))
        if both >= c.hybrid_min:
            family, conf = "hybrid", _round3(both)  # the chance that both hold: hybrids are rarely sure
        else:
            k = 0 if p[0] >= p[1] and p[0] >= p[2] else (1 if p[1] >= p[2] else 2)  # the first most probable
            family, conf = _FAMS[k], rounded[k]  # the family's probability
        role = _role(family, read, t, c, config)
    evidence = _evidence(family, read, t, title)
    note = None
    # a company map's note speaks for one family: beside a decision for another it only confuses
    if (
        t is not None
        and t.note is not None
        and (
            t.note_family is None
            or t.note_family == family
            or (family == "hybrid" and t.note_family != "other")
        )
    ):
        note = t.note
    title_family = t.family if t is not None else None
    mismatch = (
        title_family is not None
        and role != config.unknown_role
        and family != title_family
        and "hybrid" not in (family, title_family)
    )
    return RoleClassification(  # positional (keywords cost ~0.9 µs more per posting)
        family,
        role,
        conf,  # confidence
        mismatch,  # title_mismatch
        title_family,
        tuple(evidence),
        c.socs[role],  # soc
        scores,
        conf < c.review_below,  # needs_review
        note,  # title_note
    )


def _role(family: Family, read: _Read, t: _Title | None, c: _Compiled, config: ClassifyConfig) -> str:
    """The finer role within the decided family: the signals' role weights, and the title's prior."""
    if family == "hybrid":
        return config.hybrid_role
    scores: dict[str, float] = {}
    pairs = c.family_roles[family]
    for idx, mass in zip(read.per_signal, read.masses, strict=True):
        roles = pairs[idx]
        if roles:
            for role, w in roles:
                scores[role] = scores.get(role, 0.0) + w * mass
    if t is not None and t.roles:
        for role in t.roles:
            if c.role_family[role] == family:
                scores[role] = scores.get(role, 0.0) + config.decision.title_weight / len(t.roles)
    if family == "other":
        other, _ = _best_other(scores, c.other_roles)
        return other or config.unknown_role
    best_role, best = "", 0.0  # the first of the highest positive scores
    hybrid = config.hybrid_role
    for r, v in scores.items():
        if v > best and r != hybrid:
            best_role, best = r, v
    return best_role or next(r for r, f in c.role_family.items() if f == family and r != config.hybrid_role)


def _evidence(family: Family, read: _Read, t: _Title | None, title: str | None) -> list[Evidence]:
    """What pushed the decision: per signal (and the title), its features' pull towards the family decided.

    A signal's pull is value x weight summed over its features, per family; shown when, less the mean over
    the three families, it points most to the family decided (to se or sa for a hybrid).
    """
    hybrid = family == "hybrid"
    wanted = -1 if hybrid else _FAM_IX[family]
    rows = read.leads[0] + read.leads[1] if hybrid else read.leads[wanted]  # (the posting's own lists)
    lead = t.lead if t is not None else None  # the title's, made once per title
    if lead is not None and (lead[3] == wanted or (hybrid and lead[3] < 2)):
        rows.append(lead)
    rows.sort()  # strongest first; (signal id, index) is unique, so ties never compare further
    out = []
    per_signal = read.per_signal
    for _, sid, idx, _, fam, weight in rows[:_EVIDENCE_MAX]:
        if idx < 0:
            out.append(Evidence((title or "").strip(), sid, fam, weight, "title"))
        else:
            occ = per_signal[idx]
            out.append(Evidence(occ[0][1] if len(occ) == 1 else _phrases(occ), sid, fam, weight, occ[0][2]))
    return out


def _phrases(occ: list[_Occ]) -> str:
    """Up to three distinct phrases of a signal's occurrences, strongest first."""
    if len(occ) == 1:  # the usual case
        return occ[0][1]
    seen: list[str] = []
    for o in occ:
        if o[1] not in seen:
            seen.append(o[1])
            if len(seen) == 3:
                break
    return "; ".join(seen)


def _best_other(role_scores: dict[str, float], other_roles: frozenset[str]) -> tuple[str | None, float]:
    """The best role of the other family and its score (their duties do not add up: an AE's and a CSM's)."""
    best, score = None, 0.0
    for role, value in role_scores.items():
        if value > score and role in other_roles:
            best, score = role, value
    return best, score
