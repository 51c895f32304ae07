"""Write `ses`/`sas` into a plan file, keeping the user's comments, key order and formatting (ruamel.yaml).

Reading for `check` stays with PyYAML (roleplan.yamlio); only writing needs a round-trip parser. ruamel.yaml
re-emits what it parsed; the indentation is taken from the file, and where ruamel.yaml would still change a
line the caller is told which (`FillText.reformatted`), so nothing changes silently.
"""

from __future__ import annotations

import io
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
    reformatted: tuple[int, ...]  # 1-based lines ruamel.yaml re-emits differently even with nothing changed


#: (mapping indent, sequence indent, dash offset) to try, most common first: `- ` flush with its key, or
#: indented by two; mappings by two or four.
_LAYOUTS = ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0), (4, 2, 0), (2, 6, 4), (3, 3, 0), (3, 5, 2))


def _yaml(layout: tuple[int, int, int]) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    mapping, sequence, offset = layout
    yaml.indent(mapping=mapping, sequence=sequence, offset=offset)
    return yaml


def _differing(a: str, b: str) -> tuple[int, ...]:
    """1-based lines where two texts differ (a missing line counts as different)."""
    left, right = a.splitlines(), b.splitlines()
    out = [i + 1 for i, (x, y) in enumerate(zip(left, right, strict=False)) if x != y]
    out += range(min(len(left), len(right)) + 1, max(len(left), len(right)) + 1)
    return tuple(out)


def _load(body: str, source: str) -> tuple[Any, Any, tuple[int, ...]]:
    """The round-trip document and the writer whose layout re-emits the file with the fewest changes."""
    from ruamel.yaml.error import YAMLError

    best: tuple[Any, Any, tuple[int, ...]] | None = None
    for layout in _LAYOUTS:
        yaml = _yaml(layout)
        try:
            data = yaml.load(body)
        except YAMLError as exc:  # pragma: no cover - PyYAML read the same file a moment ago
            raise InputError(f"invalid YAML: {exc}", file=source) from None
        differ = _differing(body, _dump(yaml, data))
        if best is None or len(differ) < len(best[2]):
            best = (yaml, data, differ)
        if not differ:
            break
    assert best is not None
    return best


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
    newline = "\r\n" if "\r\n" in text else "\n"
    body = text.replace("\r\n", "\n").removeprefix("\ufeff")
    yaml, data, reformatted = _load(body, source)
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
    if text.startswith("\ufeff"):
        out = "\ufeff" + out
    return FillText(text=out.replace("\n", newline), changed=changed, reformatted=reformatted)
