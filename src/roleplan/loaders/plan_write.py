"""Write `ses`/`sas` into a plan file, keeping the user's comments, key order and formatting (ruamel.yaml).

Reading for `check` stays with PyYAML (roleplan.yamlio); only writing needs a round-trip parser. ruamel.yaml
re-emits what it parsed; the indentation is taken from the file, and where ruamel.yaml would still change a
line the caller is told which (`FillText.reformatted`), so nothing changes silently.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from roleplan.errors import InputError


@dataclass(frozen=True)
class Value:
    """Set `ses` and `sas` of team `team` (0-based) in `quarter`."""

    team: int
    quarter: str
    ses: int
    sas: int


@dataclass(frozen=True)
class FillText:
    text: str
    changed: int  # values that changed
    reformatted: tuple[int, ...]  # 1-based lines changed other than by a ses/sas value (ruamel.yaml's doing)


_KEY = re.compile(r"^( *)[^\s#-][^:#]*:(\s|$)")
_DASH = re.compile(r"^( *)- +(?=\S)")


def guess_layout(text: str) -> tuple[int, int, int]:
    """(mapping indent, sequence indent, dash offset) as the file writes them, for ruamel.yaml's `indent`.

    The mapping indent is the first step in from a key to the key below it; a sequence's dash offset is how
    far its `-` sits in from its parent key, and its indent where the item's content starts.
    """
    mapping = sequence = offset = None
    prev_key: int | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        dash = _DASH.match(line)
        if dash and prev_key is not None and sequence is None:
            offset = max(len(dash[1]) - prev_key, 0)
            sequence = offset + len(dash[0]) - len(dash[1])
        key = _KEY.match(line)
        if dash:
            prev_key = len(dash[0])  # the item's keys start where its content does
        elif key:
            indent = len(key[1])
            if prev_key is not None and indent > prev_key and mapping is None:
                mapping = indent - prev_key
            prev_key = indent
        if mapping is not None and sequence is not None:
            break
    mapping = mapping or 2
    if sequence is None:
        sequence, offset = mapping + 2, 2
    return mapping, max(sequence, (offset or 0) + 1), offset or 0


def _yaml(layout: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


_VALUE = re.compile(r"(?<![\w-])(ses|sas): [0-9.]+(, )?")
_ONLY_VALUE = re.compile(r"\s*(ses|sas): [0-9.]+\s*(#.*)?")


def _without_values(text: str) -> list[str]:
    """The lines with every `ses: N` / `sas: N` taken out (and lines holding only one dropped)."""
    out = []
    for line in text.splitlines():
        if _ONLY_VALUE.fullmatch(line) and "#" not in line:
            continue
        out.append(_VALUE.sub("", line).replace(", }", "}"))
    return out


def reformatted_lines(before: str, after: str) -> tuple[int, ...]:
    """1-based lines of `before` that `after` changed other than by a `ses`/`sas` value (none, normally)."""
    left, right = _without_values(before), _without_values(after)
    import difflib

    out: list[int] = []
    for tag, i1, i2, _, _ in difflib.SequenceMatcher(a=left, b=right, autojunk=False).get_opcodes():
        if tag != "equal":
            out += range(i1 + 1, max(i2, i1 + 1) + 1)
    return tuple(out)


def _dump(yaml: Any, data: Any) -> str:
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def _set(mapping: Any, key: str, value: int, after: str) -> bool:
    """Set `key` in a ruamel mapping; a new key goes right after `after` (or last). True when it changed.

    A key the plan leaves out is 0, so a 0 is not added."""
    if key not in mapping and value == 0:
        return False
    if key in mapping:
        old = mapping[key]
        if isinstance(old, int | float) and not isinstance(old, bool) and old == value:
            return False
        mapping[key] = value
        return True
    keys = list(mapping.keys())
    prev = after if after in keys else (keys[-1] if keys else None)
    pos = keys.index(prev) + 1 if prev is not None else 0
    mapping.insert(pos, key, value)
    if prev is not None:
        _move_following_comments(mapping, prev, key)
    return True


def _move_following_comments(mapping: Any, prev: str, new: str) -> None:
    """ruamel.yaml keeps the comment lines below a key with that key: after inserting `new` below `prev`,
    they belong below `new`, so that they stay right above the line they were above."""
    import copy

    slots = mapping.ca.items.get(prev)
    if not slots or len(slots) < 3 or slots[2] is None:
        return
    token = slots[2]
    value: str = token.value
    cut = value.find("\n")
    rest = value[cut + 1 :] if cut >= 0 else ""
    if not rest.strip():
        return
    head = value[: cut + 1]
    moved = copy.copy(token)
    moved.value = "\n" + rest
    if head == "\n":  # no end-of-line comment on `prev`
        slots[2] = None
    else:
        token.value = head
    mapping.ca.items[new] = [None, None, moved, None]


def fill_text(text: str, values: Iterable[Value], *, source: str) -> FillText:
    """The plan's text with the given SEs and SAs written in."""
    from ruamel.yaml.error import YAMLError

    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.replace("\r\n", "\n").removeprefix("\ufeff")
    yaml = _yaml(guess_layout(body))
    try:
        data = yaml.load(body)
    except YAMLError as exc:  # pragma: no cover - PyYAML read the same file a moment ago
        raise InputError(f"invalid YAML: {exc}", file=source) from None
    owners: dict[int, tuple[int, str, int, int]] = {}
    changed = 0
    for v in values:
        quarter = data["teams"][v.team]["quarters"][v.quarter]
        other = owners.get(id(quarter))
        if other is not None and (other[2], other[3]) != (v.ses, v.sas):
            line = quarter.lc.line + 1 if hasattr(quarter, "lc") else None
            raise InputError(
                f"teams[{v.team}].quarters.{v.quarter} is the same YAML node as teams[{other[0]}].quarters."
                f"{other[1]} (an alias), and they need different SEs or SAs; write the quarter out",
                file=source,
                line=line,
            )
        owners[id(quarter)] = (v.team, v.quarter, v.ses, v.sas)
        changed += _set(quarter, "ses", v.ses, after="aes")
        changed += _set(quarter, "sas", v.sas, after="ses")
    out = _dump(yaml, data) if changed else body
    reformatted = reformatted_lines(body, out) if changed else ()
    if text.startswith("\ufeff"):
        out = "\ufeff" + out
    return FillText(text=out.replace("\n", newline), changed=changed, reformatted=reformatted)
