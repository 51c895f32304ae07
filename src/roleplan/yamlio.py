"""Safe YAML reading: C loader when present, line numbers from node marks, and guards for hostile input.

Guards: size limit, binary and non-UTF-8 text, empty documents, duplicate keys (reported, not silently
collapsed) and alias bombs (the expanded size of the document is bounded before anything is constructed).
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from roleplan.errors import InputError
from roleplan.fileio import read_bytes

try:  # the C loader is ~10x faster; fall back to pure Python where libyaml is missing
    _Loader: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_BYTES = 2 * 1024 * 1024
BOM = b"\xef\xbb\xbf"
MAX_EXPANDED_NODES = 200_000

PathKey = tuple[str | int, ...]


@dataclass(frozen=True)
class Duplicate:
    """A mapping key given twice; the later value wins in `data`."""

    path: PathKey
    key: str
    line: int
    first_line: int


@dataclass
class YamlDoc:
    """A parsed YAML document with the 1-based line of every key and item, by path."""

    data: Any
    source: str
    lines: dict[PathKey, int] = field(default_factory=dict)
    duplicates: list[Duplicate] = field(default_factory=list)
    text: str = ""  # the document as read (for writers that keep the user's layout)
    bom: bool = False  # the file began with a UTF-8 byte order mark (`text` does not hold it)

    def line_of(self, path: PathKey) -> int | None:
        """Line of `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while p:
            if p in self.lines:
                return self.lines[p]
            p = p[:-1]
        return self.lines.get((), None)


def read_text(path: Path, *, max_bytes: int = MAX_BYTES, what: str = "file") -> str:
    """Read a small UTF-8 text file, refusing what is missing, huge, binary or not UTF-8."""
    return decode_strict(read_bytes(path, max_bytes=max_bytes, what=what), path)


def decode_strict(raw: bytes, source: str | Path) -> str:
    """UTF-8 (with or without BOM) or a one-line error naming the line of the first bad byte."""
    if b"\x00" in raw[:8192]:
        raise InputError("binary data, not a text file", file=source)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})", file=source, line=line
        ) from None


def load_yaml_file(path: Path, *, max_bytes: int = MAX_BYTES) -> YamlDoc:
    """Read and parse a YAML file with all guards; see `parse_yaml`."""
    raw = read_bytes(path, max_bytes=max_bytes, what="YAML file")
    doc = parse_yaml(decode_strict(raw, path), str(path))
    doc.bom = raw.startswith(BOM)
    return doc


def parse_yaml(text: str, source: str) -> YamlDoc:
    """Parse one YAML document; raise InputError with file:line:col for anything that is not YAML."""
    if not text.strip():
        raise InputError("empty file", file=source)
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise InputError("no YAML document in the file (only comments?)", file=source)
        _check_expansion(node, source)
        doc = YamlDoc(data=None, source=source, text=text)
        _index(node, (), doc, set())
        try:
            doc.data = loader.construct_document(node)
        except (ValueError, OverflowError) as exc:  # e.g. an impossible date such as 2027-02-30
            bad = _bad_scalar(loader, node)
            line = bad.start_mark.line + 1 if bad is not None else None
            raise InputError(f"invalid YAML value: {exc}", file=source, line=line) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "invalid YAML"
        if mark is None:
            raise InputError(f"invalid YAML: {problem}", file=source) from None
        raise InputError(
            f"invalid YAML: {problem}", file=source, line=mark.line + 1, col=mark.column + 1
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"invalid YAML: {exc}", file=source) from None
    except RecursionError:
        raise InputError("YAML nested too deeply", file=source) from None
    finally:
        loader.dispose()
    return doc


def compose(text: str, source: str) -> yaml.Node:
    """The document's node tree (with each node's marks), for writers that edit the text in place.

    Only for text `parse_yaml` has already accepted: the guards are not run again."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:  # pragma: no cover - parse_yaml read the same text
        raise InputError(f"invalid YAML: {exc}", file=source) from None
    finally:
        loader.dispose()
    if node is None:  # pragma: no cover - as above
        raise InputError("no YAML document in the file", file=source)
    return node


def _bad_scalar(loader: yaml.SafeLoader, root: yaml.Node) -> yaml.Node | None:
    """The first scalar whose own construction fails (what a constructor's ValueError was about)."""
    stack, seen = [root], set()
    while stack:
        node = stack.pop(0)
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except (ValueError, OverflowError, yaml.YAMLError):
                return node
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
    return None


def _check_expansion(root: yaml.Node, source: str) -> None:
    """Refuse documents whose aliases would expand beyond MAX_EXPANDED_NODES (billion-laughs)."""
    sizes: dict[int, int] = {}
    aliased = False

    def size(node: yaml.Node, depth: int) -> int:
        nonlocal aliased
        known = sizes.get(id(node))
        if known is not None:  # a node reached a second time: an alias of it
            aliased = True
            return known
        if depth > 200:
            raise InputError("YAML nested too deeply", file=source, line=node.start_mark.line + 1)
        total = 1
        if isinstance(node, yaml.SequenceNode):
            for child in node.value:
                total += size(child, depth + 1)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                total += size(key, depth + 1) + size(value, depth + 1)
        if total > MAX_EXPANDED_NODES:
            what = (
                f"YAML aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (alias bomb?)"
                if aliased
                else f"more than {MAX_EXPANDED_NODES:,} YAML values (keys, items and scalars): the limit for one file"
            )
            raise InputError(what, file=source, line=node.start_mark.line + 1)
        sizes[id(node)] = total
        return total

    size(root, 0)


def _index(node: yaml.Node, path: PathKey, doc: YamlDoc, seen: set[int]) -> None:
    """Record the line of every mapping key and sequence item; note duplicate keys."""
    if id(node) in seen:  # an alias: its lines are those of the anchor
        return
    seen.add(id(node))
    doc.lines.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        first: dict[Hashable, int] = {}
        for key_node, value_node in node.value:
            key: str | int = key_node.value if isinstance(key_node, yaml.ScalarNode) else "?"
            line = key_node.start_mark.line + 1
            if key in first:
                doc.duplicates.append(Duplicate(path, str(key), line, first[key]))
            else:
                first[key] = line
            doc.lines[(*path, key)] = line
            _index(value_node, (*path, key), doc, seen)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            doc.lines[(*path, i)] = item.start_mark.line + 1
            _index(item, (*path, i), doc, seen)
