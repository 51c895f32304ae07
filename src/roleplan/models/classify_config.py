"""Schema of the `classify:` section (packaged in data/signals.yaml): the classifier's signals.

Everything the classifier knows lives here as data: the roles and their O*NET-SOC codes, duty phrases with a
weight per role, mentions of *other* roles (whose duties then do not count for the posting's own role), the
title rules, the company title maps (who calls the pre-sales seat what, cited), section headings with their
weights, and the decision thresholds. Collections are mappings keyed by id so that `--benchmarks FILE` can
add or retune one signal without repeating the others (mappings merge key by key).

Phrase syntax (signals, mentions, titles, boilerplate, headings): words separated by spaces, matched on whole
words after the text is lower-cased and its punctuation turned into spaces (so `pre-sales` is `pre sales` and
`RFP/RFI` is `rfp rfi`). `(a|b|)` lists alternatives, empty meaning optional: `proof(s|) of (concept|value)`.
A heading ending in ` *` also matches longer headings that start with it (`about *` matches `About Acme`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from roleplan.models.figures import FORBID, Cited

RoleFamily = Literal["se", "sa", "other"]

#: Sentence delimiters become segment breaks; other punctuation becomes a space.
DELIMS = ".;!?:\n\r\u2022\u00b7\u25aa\u25cf\u25e6\u2023\u2043|"
PUNCT = "\t\"#$%&'()*+,-/<=>@[\\]^_`{}~\u2018\u2019\u201c\u201d\u2013\u2014\u2026\u00a0\u00ae\u2122"
#: str.translate table shared by the classifier and the phrase compiler.
TRANSLATE: dict[int, str] = {
    **{ord(c): "\n" for c in DELIMS},
    **{ord(c): " " for c in PUNCT},
}
MAX_VARIANTS = 4096
#: Words a phrase may skip over in the text ("partner with [the] account executives").
SKIP_WORDS: frozenset[str] = frozenset(
    {
        "the",
        "a",
        "an",
        "our",
        "your",
        "their",
        "its",
        "this",
        "these",
        "those",
        "his",
        "her",
        "each",
        "every",
        "s",
    }
)


# TRANSLATE for ASCII text as a byte table: bytes.translate is ~10x faster than str.translate with a dict
_ASCII_SPACES = "".join(c for c in DELIMS + PUNCT if c.isascii()).encode()
_ASCII_TABLE = bytes.maketrans(_ASCII_SPACES, b" " * len(_ASCII_SPACES))


def phrase_tokens(text: str) -> list[str]:
    """The words of a phrase or title as the classifier sees them (delimiters count as spaces here)."""
    if text.isascii():
        return _ascii_words(text).split()
    return text.lower().translate(TRANSLATE).split()


_SYNTAX = re.compile(r"([()|])")


def _alternatives(parts: list[str], pos: int, depth: int) -> tuple[list[str], int]:
    """Parse `a|b(c|d)|` (split at its brackets and bars: `_SYNTAX.split`) from pos up to a closing ')' (or
    the end at depth 0): every string it stands for."""
    options: list[str] = []
    current = [""]
    while pos < len(parts):
        part = parts[pos]
        if part == "(":
            inner, pos = _alternatives(parts, pos + 1, depth + 1)
            current = [c + i for c in current for i in inner]
            if len(current) > MAX_VARIANTS:
                raise ValueError(f"stands for more than {MAX_VARIANTS} variants")
            continue
        if part == ")":
            if depth == 0:
                raise ValueError("unbalanced ')'")
            return options + current, pos + 1
        if part == "|":
            options += current
            current = [""]
        elif part:
            current = [c + part for c in current]
        pos += 1
    if depth:
        raise ValueError("unbalanced '('")
    return options + current, pos


def expand(phrase: str) -> list[tuple[str, ...]]:
    """Every word sequence a phrase stands for (skip words dropped); ValueError for bad syntax.

    Remembered per phrase: validating a configuration and compiling it expand the same phrases, and this
    was a third of `classify`'s start-up.
    """
    hit = _EXPANDED.get(phrase)
    if hit is None:
        hit = _expand(phrase)
        if len(_EXPANDED) >= 20_000:  # the packaged signals have ~1,000 phrases; never grow without bound
            _EXPANDED.clear()
        _EXPANDED[phrase] = hit
    return list(hit)


_EXPANDED: dict[str, tuple[tuple[str, ...], ...]] = {}


def _expand(phrase: str) -> tuple[tuple[str, ...], ...]:
    try:
        variants, _ = _alternatives(_SYNTAX.split(phrase), 0, 0)
    except ValueError as exc:
        raise ValueError(f"phrase {phrase!r}: {exc}") from None
    if len(variants) > MAX_VARIANTS:
        raise ValueError(f"phrase {phrase!r} stands for more than {MAX_VARIANTS} variants")
    out: list[tuple[str, ...]] = []
    seen: set[tuple[str, ...]] = set()
    joined = "\x00".join(variants)  # tokenised at once (NUL is no delimiter and no phrase holds it)
    tokens = (
        [v.split() for v in _ascii_words(joined).split("\x00")]
        if joined.isascii() and "\x00" not in phrase
        else [phrase_tokens(v) for v in variants]
    )
    for toks in tokens:
        words = (
            tuple(toks) if SKIP_WORDS.isdisjoint(toks) else tuple([w for w in toks if w not in SKIP_WORDS])
        )
        if words and words not in seen:
            seen.add(words)
            out.append(words)
    if not out:
        raise ValueError(f"phrase {phrase!r} has no words")
    return tuple(out)


def _ascii_words(text: str) -> str:
    """An ASCII text lower-cased, its delimiters and punctuation spaces (phrase_tokens before the split)."""
    return text.encode().translate(_ASCII_TABLE).lower().decode()


def _check_phrases(phrases: tuple[str, ...], where: str) -> None:
    if not phrases:
        raise ValueError(f"{where}: needs at least one phrase")
    for p in phrases:
        try:
            expand(p.removesuffix(" *"))
        except ValueError as exc:
            raise ValueError(f"{where}: {exc}") from None


@dataclass(frozen=True, kw_only=True)
class RoleDef:
    """A finer role, its family and its O*NET-SOC occupation."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    family: RoleFamily
    label: str
    soc: str
    soc_title: str

    def __post_init__(self) -> None:
        if not re.fullmatch(r"\d\d-\d{4}\.\d\d", self.soc):
            raise ValueError(f"soc {self.soc!r} must look like 41-9031.00")


@dataclass(frozen=True, kw_only=True)
class Signal:
    """Phrases that describe a duty (or a structural cue), and which finer roles it points to.

    The family (se / sa / other / hybrid) is decided by the fitted model (`model:`), whose features are these
    signals counted per section; `weights` only choose the finer role within the family the model decided.
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    phrases: tuple[str, ...]
    weights: dict[str, float]
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class Mention:
    """Another role named as a colleague ("partner with Sales Engineers"): in that sentence, duties of
    these roles describe the colleague's work, not this posting's, and are discounted."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    phrases: tuple[str, ...]
    roles: tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class TitleRule:
    """Title words that name a role; the rule ending rightmost in the title wins (the head noun)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    phrases: tuple[str, ...]
    role: str


@dataclass(frozen=True, kw_only=True)
class CompanyTitleMap(Cited):
    """What a title means at named companies (who calls the pre-sales seat what).

    `role` None means the title says nothing about the family there (the seat may be pre- or post-sale).
    """

    companies: tuple[str, ...]
    titles: tuple[str, ...]
    role: str | None


@dataclass(frozen=True, kw_only=True)
class Sections:
    """Headings that open a part of the posting, and how much duties found there count."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    headings: dict[str, tuple[str, ...]]
    weights: dict[str, float]
    max_heading_words: int = 8

    def __post_init__(self) -> None:
        if not 1 <= self.max_heading_words <= 64:  # the C scan reads headings of up to 64 words
            raise ValueError(f"sections.max_heading_words must be 1..64, got {self.max_heading_words}")
        for kind in ("intro", "body", *self.headings):
            if kind not in self.weights:
                raise ValueError(f"sections.weights: missing a weight for {kind!r}")
        for kind, w in self.weights.items():
            if not 0.0 <= w <= 1.0:
                raise ValueError(f"sections.weights.{kind}: must be between 0 and 1, got {w}")
        for kind, phrases in self.headings.items():
            _check_phrases(phrases, f"sections.headings.{kind}")


@dataclass(frozen=True, kw_only=True)
class Decision:
    """How the text is read before the model weighs it (roleplan's own policy; tune per organisation)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    title_weight: float  # what the title adds to its role when the finer role is chosen within the family
    max_repeats: int  # occurrences of one signal that count at all
    negation_words: tuple[str, ...]  # "no quota", "not a sales role", "without travel"
    negation_window: int  # words before a phrase searched for a negation
    mention_cues: tuple[str, ...]  # words that make a named role a colleague: with, alongside, support, ...
    mention_window: int  # words before a mention searched for a cue
    mention_discount: (
        float  # what a colleague's duty still counts in the signal's all-sections feature (0..1)
    )

    def __post_init__(self) -> None:
        if not 0.0 <= self.mention_discount <= 1.0:
            raise ValueError(
                f"decision.mention_discount must be between 0 and 1, got {self.mention_discount}"
            )
        if self.title_weight < 0:
            raise ValueError(f"decision.title_weight must not be negative, got {self.title_weight}")
        if not 1 <= self.max_repeats <= 1000:
            raise ValueError(f"decision.max_repeats must be 1..1000, got {self.max_repeats}")
        for name in ("negation_window", "mention_window"):
            if not 0 <= getattr(self, name) <= 100:
                raise ValueError(f"decision.{name} must be 0..100 words, got {getattr(self, name)}")
        if self.title_weight > 100:
            raise ValueError(f"decision.title_weight must be at most 100, got {self.title_weight}")


#: The model's classes, in the order of its intercepts and of each weight row.
CLASSES: tuple[str, str, str] = ("se", "sa", "other")
#: Section groups a signal is counted in (`presales.demo@duties`); `colleague`: in a sentence that names
#: another role doing that work ("partner with Solutions Architects on integrations").
SECTION_GROUPS: dict[str, str] = {
    "responsibilities": "duties",
    "body": "duties",
    "intro": "intro",
    "requirements": "requirements",
    "nice_to_have": "requirements",
    "company": "about",
}
GROUPS: tuple[str, ...] = ("duties", "intro", "requirements", "about", "other", "colleague")


@dataclass(frozen=True, kw_only=True)
class FeatureOptions:
    """Which features the model reads (chosen by grouped cross-validation when it was fitted)."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    pooled: bool = True  # `signal`: log(1 + occurrences weighted by section), all sections together
    sections: bool = True  # `signal@group`: log(1 + occurrences) per section group
    title_words: bool = True  # `title_word:w` for the title words the model has a weight for


@dataclass(frozen=True, kw_only=True)
class FittedModel:
    """A multinomial logistic regression over interpretable features, fitted on labelled postings.

    Features: `signal` and `signal@group` (a signal id of `signals`, a group of GROUPS), `title:role` (a title
    rule names the role), `title_map:role` (a company title map; `title_map:none` when it says the title
    says nothing), `title_word:word`. Rows are `[feature, se, sa, other]`; a feature without a row weighs 0.
    Probabilities are softmax(logits / temperature); hybrid when both se and sa are at least `hybrid_min`,
    in the posting's probabilities or in its duties' alone (the logits less the title's features' share).
    """

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    features: FeatureOptions
    intercepts: tuple[float, float, float]
    weights: tuple[tuple[str, float, float, float], ...]
    temperature: float
    hybrid_min: float
    review_below: float
    provenance: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not 0 < self.temperature <= 1000:
            raise ValueError(f"model.temperature must be above 0 and at most 1000, got {self.temperature}")
        if any(abs(w) > 1000 for row in self.weights for w in row[1:]) or any(
            abs(b) > 1000 for b in self.intercepts
        ):
            raise ValueError("model: weights and intercepts must be between -1000 and 1000")
        for name in ("hybrid_min", "review_below"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"model.{name} must be between 0 and 1, got {value}")
        seen: set[str] = set()
        for row in self.weights:
            if row[0] in seen:
                raise ValueError(f"model.weights: feature {row[0]!r} is given twice")
            seen.add(row[0])


#: The `classify.version`s this code reads: the layout of the section (signals.yaml) it was written for.
SUPPORTED_VERSIONS: tuple[int, ...] = (1,)


@dataclass(frozen=True, kw_only=True)
class ClassifyConfig:
    """The whole `classify:` section. Cross-checks: every role a signal, mention or title names exists."""

    __pydantic_config__: ClassVar[dict[str, Any]] = FORBID
    version: int = 1
    roles: dict[str, RoleDef]
    hybrid_role: str
    unknown_role: str
    signals: dict[str, Signal]
    mentions: dict[str, Mention]
    boilerplate: tuple[str, ...]  # a sentence containing one of these counts for nothing (EEO, benefits)
    company_markers: tuple[
        str, ...
    ] = ()  # before any heading, a sentence about the company counts as `company`
    titles: dict[str, TitleRule]
    company_titles: dict[str, CompanyTitleMap]
    sections: Sections
    decision: Decision
    model: FittedModel

    def __post_init__(self) -> None:
        if type(self.version) is not int or self.version not in SUPPORTED_VERSIONS:
            raise ValueError(
                f"version {self.version!r} is not one this roleplan reads (it reads version "
                f"{', '.join(map(str, SUPPORTED_VERSIONS))}: the layout of data/signals.yaml)"
            )
        known = set(self.roles)
        for special in (self.hybrid_role, self.unknown_role):
            if special not in known:
                raise ValueError(f"role {special!r} is not in classify.roles")
        for fam in ("se", "sa"):
            if not any(r.family == fam for r in self.roles.values()):
                raise ValueError(f"classify.roles: needs at least one role of family {fam!r}")

        def check_role(role: str, where: str) -> None:
            if role not in known:
                import difflib

                near = difflib.get_close_matches(role, sorted(known), n=1, cutoff=0.5)
                hint = f"; did you mean {near[0]!r}?" if near else ""
                raise ValueError(f"{where}: unknown role {role!r}{hint}")

        for sid, sig in self.signals.items():
            _check_phrases(sig.phrases, f"signals.{sid}")
            if not sig.weights:
                raise ValueError(f"signals.{sid}: needs at least one weight")
            for role, w in sig.weights.items():
                check_role(role, f"signals.{sid}.weights")
                if not -10.0 <= w <= 10.0:
                    raise ValueError(f"signals.{sid}.weights.{role}: {w} is outside -10..10")
        for mid, mention in self.mentions.items():
            _check_phrases(mention.phrases, f"mentions.{mid}")
            for role in mention.roles:
                check_role(role, f"mentions.{mid}.roles")
        for tid, rule in self.titles.items():
            _check_phrases(rule.phrases, f"titles.{tid}")
            check_role(rule.role, f"titles.{tid}.role")
        for cid, cmap in self.company_titles.items():
            _check_phrases(cmap.titles, f"company_titles.{cid}.titles")
            if cmap.role is not None:
                check_role(cmap.role, f"company_titles.{cid}.role")
        for row in self.model.weights:
            _check_feature(row[0], self.signals, known)
        _check_phrases(self.boilerplate, "boilerplate")
        if self.company_markers:
            _check_phrases(self.company_markers, "company_markers")

    def __hash__(self) -> int:  # dict fields: hash by identity (the classifier caches per config object)
        return id(self)


def _check_feature(name: str, signals: dict[str, Signal], roles: set[str]) -> None:
    """A model feature must name a signal and group, or a role: a typo would silently weigh nothing."""
    import difflib

    kind, sep, rest = name.partition(":")
    if sep and kind == "title_word":
        return
    if sep and kind in ("title", "title_map"):
        if rest in roles or (kind == "title_map" and rest == "none"):
            return
        near = difflib.get_close_matches(rest, sorted(roles), n=1, cutoff=0.5)
        hint = f"; did you mean {kind}:{near[0]}?" if near else ""
        raise ValueError(f"model.weights: unknown role in {name!r}{hint}")
    sid, at, group = name.partition("@")
    if at and group not in GROUPS:
        raise ValueError(
            f"model.weights: {name!r}: unknown section group {group!r} (one of {', '.join(GROUPS)})"
        )
    if sid not in signals:
        near = difflib.get_close_matches(sid, sorted(signals), n=1, cutoff=0.6)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ValueError(f"model.weights: {name!r} names no signal{hint}")
