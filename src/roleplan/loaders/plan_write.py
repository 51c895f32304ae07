"""Write `ses`/`sas` into a plan file, keeping everything else byte for byte: comments, key order, quoting,
spacing, indentation, blank lines, line endings and the last newline (or its absence).

The file is not re-emitted. It is parsed once more with the same YAML parser as `check` (roleplan.yamlio),
and the parser's marks give each value's exact place in the text: a changed number is replaced where it
stands, and a missing key is inserted beside the one before it — `, ses: N` after `aes`'s value in a flow
mapping (`{aes: 6}`), a new line `ses: N` under `aes:` at its indent in a block mapping. A round-trip
emitter (ruamel.yaml) cannot do this: it re-spaces flow mappings, moves end-of-line comments, re-indents
sequences and drops a last line's missing newline. A value that is not the quarter's own (an alias shared by
quarters that need different numbers, a number shared with another key) is refused rather than changed
under another name; `mismatches` tells whether the written plan, read back, holds what was written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import yaml

from roleplan.errors import InputError
from roleplan.yamlio import compose

if TYPE_CHECKING:
    from roleplan.models.plan import Plan


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


#: Where YAML ends a line (YAML 1.1, as PyYAML reads it).
_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")


@dataclass
class _Edits:
    """Text insertions and replacements at character offsets of the original text."""

    # (start, end, order, text); order keeps several insertions at one offset in the order they were made
    items: list[tuple[int, int, int, str]]

    def replace(self, start: int, end: int, text: str) -> None:
        self.items.append((start, end, len(self.items), text))

    def apply(self, text: str) -> str:
        out, at = [], 0
        for start, end, _, new in sorted(self.items):
            out += [text[at:start], new]
            at = max(at, end)
        out.append(text[at:])
        return "".join(out)


def _get(node: yaml.Node, key: str | int, where: str, source: str) -> yaml.Node:
    if isinstance(key, int):
        if not isinstance(node, yaml.SequenceNode) or key >= len(node.value):
            raise InputError(f"{where}: not in the file as written", file=source)  # pragma: no cover
        item: yaml.Node = node.value[key]
        return item
    if isinstance(node, yaml.MappingNode):
        found: list[yaml.Node] = [
            v for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == key
        ]
        if found:
            return found[-1]  # YAML keeps the last of a repeated key (check refuses repeats anyway)
    raise InputError(f"{where}: not in the file as written", file=source)  # pragma: no cover


def _entry(mapping: yaml.MappingNode, key: str) -> tuple[yaml.Node, yaml.Node] | None:
    """The mapping's own `key: value` pair (not one merged in with `<<`), the last where repeated."""
    found = [(k, v) for k, v in mapping.value if isinstance(k, yaml.ScalarNode) and k.value == key]
    return found[-1] if found else None


def _line_end(text: str, offset: int) -> int:
    """Offset of the line break ending the line that holds `offset` (or the end of the text)."""
    m = _BREAK.search(text, offset)
    return m.start() if m else len(text)


def _count_refs(root: yaml.Node) -> dict[int, int]:
    """How many places in the document each node is reached from (more than one: an anchor with aliases)."""
    refs: dict[int, int] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        refs[id(node)] = refs.get(id(node), 0) + 1
        if refs[id(node)] > 1:
            continue
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    return refs


def _number_span(text: str, value: yaml.Node) -> tuple[int, int]:
    """Where a number value's own characters are: after any anchor (`&n`) or tag (`!!int`) before it."""
    start, end = value.start_mark.index, value.end_mark.index
    head = text[start:end]
    cut = max(head.rfind(" "), head.rfind("\t"))
    return (start + cut + 1 if cut >= 0 and head[:1] in "&!" else start), end


class _Writer:
    def __init__(self, text: str, source: str) -> None:
        self.text = text
        self.source = source
        self.root = compose(text, source)
        self.refs = _count_refs(self.root)
        self.edits = _Edits(items=[])
        self.newline = m[0] if (m := _BREAK.search(text)) else "\n"

    def quarter(self, v: Value) -> yaml.MappingNode:
        where = f"teams[{v.team}].quarters.{v.quarter}"
        node = _get(
            _get(
                _get(_get(self.root, "teams", where, self.source), v.team, where, self.source),
                "quarters",
                where,
                self.source,
            ),
            v.quarter,
            where,
            self.source,
        )
        if not isinstance(node, yaml.MappingNode):  # pragma: no cover - for_planning validated the plan
            raise InputError(f"{where}: not a mapping", file=self.source, line=node.start_mark.line + 1)
        return node

    def set(self, mapping: yaml.MappingNode, key: str, value: int, after: Sequence[str], where: str) -> bool:
        """Write `key: value` into the mapping; a new key goes after the first of `after` it has (else last).

        A key left out is 0, so a 0 is not added (but where `<<:` merges a mapping in). True when the text
        changes."""
        text = self.text
        entry = _entry(mapping, key)
        if entry is not None:
            k, node = entry
            if node.start_mark.index < k.end_mark.index or self.refs.get(id(node), 0) > 1:
                # an alias (`ses: *n`) or an anchor others refer to: changing it would change them too
                if _read_number(node) == value:
                    return False
                raise InputError(
                    f"{where}.{key} is an anchor or alias shared with another value; write the number out",
                    file=self.source,
                    line=k.start_mark.line + 1,
                )
            if _read_number(node) == value:
                return False
            start, end = _number_span(text, node)
            self.edits.replace(start, end, str(value))
            return True
        if value == 0 and _entry(mapping, "<<") is None:
            return False  # (where `<<:` merges a mapping in, a 0 is written: the merged value would win)
        before = next((e for name in after if (e := _entry(mapping, name)) is not None), None)
        if before is None and mapping.value:
            before = mapping.value[-1]
        if mapping.flow_style:
            if before is None:  # `{}`: right after the brace
                at = mapping.start_mark.index + 1
                self.edits.replace(at, at, f"{key}: {value}")
            else:
                at = self._value_end(*before)
                self.edits.replace(at, at, f", {key}: {value}")
            return True
        if before is None:  # pragma: no cover - an empty block mapping is written `{}`
            raise InputError(f"{where}: an empty quarter", file=self.source, line=mapping.start_mark.line + 1)
        indent = text[_line_start(text, before[0].start_mark.index) : before[0].start_mark.index]
        if indent.strip(" "):  # the key shares its line with something else (`- aes: 6`)
            indent = " " * before[0].start_mark.column
        at = _line_end(text, self._value_end(*before))
        self.edits.replace(at, at, f"{self.newline}{indent}{key}: {value}")
        return True

    @staticmethod
    def _value_end(key: yaml.Node, value: yaml.Node) -> int:
        """Where the `key: value` entry ends in the text (for an alias value, on the key's line)."""
        if value.start_mark.index < key.end_mark.index:  # an alias: its node is the anchor's, elsewhere
            return key.end_mark.index
        return int(value.end_mark.index)


def _line_start(text: str, offset: int) -> int:
    line = max(text.rfind("\n", 0, offset), text.rfind("\r", 0, offset))
    return line + 1


def _read_number(node: yaml.Node) -> float | None:
    if not isinstance(node, yaml.ScalarNode):
        return None
    try:
        return float(node.value.replace("_", ""))
    except ValueError:
        return None


def fill_text(text: str, values: Iterable[Value], *, source: str) -> FillText:
    """The plan's text with the given SEs and SAs written in, and nothing else changed."""
    writer = _Writer(text, source)
    owners: dict[int, Value] = {}
    changed = 0
    for v in values:
        quarter = writer.quarter(v)
        other = owners.get(id(quarter))
        if other is not None:
            if (other.ses, other.sas) != (v.ses, v.sas):
                raise InputError(
                    f"teams[{v.team}].quarters.{v.quarter} is the same YAML node as teams[{other.team}]."
                    f"quarters.{other.quarter} (an alias), and they need different SEs or SAs; write the "
                    "quarter out",
                    file=source,
                    line=quarter.start_mark.line + 1,
                )
            continue
        owners[id(quarter)] = v
        where = f"teams[{v.team}].quarters.{v.quarter}"
        changed += writer.set(quarter, "ses", v.ses, after=("aes",), where=where)
        changed += writer.set(quarter, "sas", v.sas, after=("ses", "aes"), where=where)
    return FillText(text=writer.edits.apply(text) if changed else text, changed=changed)


def mismatches(plan: Plan, values: Iterable[Value]) -> list[str]:
    """Where a plan read back from the written text does not hold the values written (never, but for a bug:
    the writer checks aliases and merges so that it cannot happen)."""
    out = []
    for v in values:
        q = plan.teams[v.team].quarters[v.quarter]
        if (q.ses, q.sas) != (v.ses, v.sas):
            out.append(f"teams[{v.team}].quarters.{v.quarter}: ses {q.ses:g}, sas {q.sas:g}")
    return out
