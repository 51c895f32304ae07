"""Load the benchmarks: the packaged data merged with the user's override, part by part.

The data has three parts (models/benchmarks.py): the calculators' figures with their `sources`, the
`calendar:` section and the `classify:` section (data/signals.yaml). A command loads only the part it reads:
a calculator never parses signals.yaml nor builds the calendar section. Nothing is cached between runs.

An override (`--benchmarks FILE` or ROLEPLAN_BENCHMARKS) is merged over the packaged data, mappings key by
key and anything else replaced, and validated by Pydantic in every part it touches, whichever command runs,
so a mistake in it is reported at once with its file and line.

The packaged files alone are validated by the test suite, the way the wheel ships them
(tests/core/test_benchmarks_loader.py), so without an override a command builds its part straight from the
YAML (`_construct`: the dataclasses' own `__post_init__` checks still run) instead of asking Pydantic again.
That is the one fast path here, and it is a small kernel with a differential test against Pydantic's result:
importing and building Pydantic's validator costs ~110 ms of CPU, ~0.7x of the whole cold-start baseline
(`import typer, rich.console, pydantic, yaml`), against ~5 ms for `_construct` (bench/cold_start.py).
"""

from __future__ import annotations

import os
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass, is_dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplan.errors import BenchmarksError, InputError
from roleplan.models.benchmarks import SECTIONS, AllBenchmarks, Benchmarks

if TYPE_CHECKING:
    from roleplan.models.calendar_config import CalendarConfig
    from roleplan.models.classify_config import ClassifyConfig
    from roleplan.yamlio import YamlDoc

ENV_VAR = "ROLEPLAN_BENCHMARKS"
#: Packaged data files, in merge order, and the parts whose top-level keys each holds (a test checks them).
PACKAGED_FILES: dict[str, tuple[str, ...]] = {
    "benchmarks.yaml": ("benchmarks", "calendar"),
    "signals.yaml": ("classify",),
}
#: The parts a command can ask for: `benchmarks` (the calculators' figures) and each section.
PARTS: tuple[str, ...] = ("benchmarks", *SECTIONS)


def _data_dir() -> Path:
    """The packaged data folder (in the installed package, or the checkout for an editable install).

    A plain path beside this module rather than `importlib.resources.files`, whose import costs ~3 ms of
    every calculator's start (bench/cold_start.py); roleplan cannot run from a zip anyway (its C extension
    is a file on disk).
    """
    return Path(__file__).resolve().parent / "data"


def packaged_path(name: str = "benchmarks.yaml") -> str:
    """Where a packaged data file is, for messages."""
    return str(_data_dir().joinpath(name))


def override_path(explicit: Path | None) -> Path | None:
    """The override in force: the explicit option, else ROLEPLAN_BENCHMARKS, else none."""
    if explicit is not None:
        return explicit
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else None


def load_benchmarks(override: Path | None = None) -> Benchmarks:
    """The calculators' figures in force; raises BenchmarksError/InputError with file and line when invalid."""
    value = _load(override, ("benchmarks",)).benchmarks
    assert value is not None
    return value


def load_calendar(override: Path | None = None) -> CalendarConfig:
    """The `calendar` section in force (see `load_benchmarks`)."""
    value = _load(override, ("calendar",)).calendar
    assert value is not None
    return value


def load_classifier(override: Path | None = None) -> ClassifyConfig:
    """The `classify` section in force, its signals compiled (~0.3 s) so that the first posting pays nothing."""
    from roleplan.core.classify import compile_config

    value = _load(override, ("classify",)).classify
    assert value is not None
    compile_config(value)
    return value


def load_all(override: Path | None = None, *, validate: bool = False) -> AllBenchmarks:
    """Every part (`benchmarks show`, `sources`, `validate`); `validate` asks Pydantic about the packaged
    data as well, which is otherwise trusted (see the module's docstring)."""
    parts = _load(override, PARTS, validate=validate)
    assert parts.benchmarks is not None and parts.calendar is not None and parts.classify is not None
    return AllBenchmarks(parts.benchmarks, parts.calendar, parts.classify)


def validate_file(path: Path) -> AllBenchmarks:
    """Validate an override merged over the packaged data, every part (`benchmarks validate FILE`)."""
    if not path.exists():
        raise InputError("no such file", file=path)
    return load_all(path, validate=True)


def merged_data(override: Path | None = None) -> dict[str, Any]:
    """The merged, unvalidated mapping of every part (for `benchmarks show`)."""
    path = override_path(override)
    return _merge(PARTS, _read_override(path) if path is not None else None)[0]


# --- loading -------------------------------------------------------------------------------------------


@dataclass
class _Parts:
    benchmarks: Benchmarks | None = None
    calendar: CalendarConfig | None = None
    classify: ClassifyConfig | None = None


def _part_of(key: str) -> str:
    """The part a top-level key belongs to; an unknown key goes to `benchmarks`, whose schema refuses it."""
    return key if key in SECTIONS else "benchmarks"


def _load(override: Path | None, wanted: tuple[str, ...], *, validate: bool = False) -> _Parts:
    path = override_path(override)
    over = _read_override(path) if path is not None else None
    parts = set(wanted)
    if over is not None:  # validate whatever the override touches, not only what this command reads
        parts.update(_part_of(key) for key in over.data)
    merged, docs = _merge(parts, over)
    out = _Parts()
    if over is None and not validate:  # the packaged data as the test suite validated it
        if "benchmarks" in parts:
            out.benchmarks = _construct(Benchmarks, {k: v for k, v in merged.items() if k not in SECTIONS})
        if "calendar" in parts:
            from roleplan.models.calendar_config import CalendarConfig

            out.calendar = _construct(CalendarConfig, merged["calendar"])
        if "classify" in parts:
            from roleplan.models.classify_config import ClassifyConfig

            out.classify = _construct(ClassifyConfig, merged["classify"])
        return out
    names: list[str] = []
    if "benchmarks" in parts:
        out.benchmarks = _validate(
            Benchmarks, {k: v for k, v in merged.items() if k not in SECTIONS}, (), docs
        )
        names = [s.name for s in out.benchmarks.sources]
    else:
        from roleplan.models.figures import Source

        names = [s.name for s in _validate(tuple[Source, ...], merged.get("sources"), ("sources",), docs)]
    if "calendar" in parts:
        from roleplan.models.calendar_config import CalendarConfig

        out.calendar = _validate(CalendarConfig, merged.get("calendar"), ("calendar",), docs, names)
    if "classify" in parts:
        from roleplan.models.classify_config import ClassifyConfig

        out.classify = _validate(ClassifyConfig, merged.get("classify"), ("classify",), docs, names)
    return out


def _read_override(path: Path) -> YamlDoc:
    from roleplan.yamlio import parse_yaml, read_text

    doc = parse_yaml(read_text(path, what="benchmarks file"), str(path))
    _require_mapping(doc.data, str(path))
    if doc.duplicates:
        dup = doc.duplicates[0]
        raise BenchmarksError(
            f"duplicate key {dup.key!r} (first given on line {dup.first_line})", file=path, line=dup.line
        )
    return doc


def _merge(parts: set[str] | tuple[str, ...], over: YamlDoc | None) -> tuple[dict[str, Any], list[YamlDoc]]:
    """The packaged files that hold `parts`, merged in order, with the override over them.

    Also the parsed documents, the override first: its lines win when locating an error.
    """
    from roleplan.yamlio import parse_yaml

    needed = {*parts, "benchmarks"}  # every part's citations are checked against `sources`, held there
    data = _data_dir()
    docs: list[YamlDoc] = []
    merged: dict[str, Any] = {}
    for name, holds in PACKAGED_FILES.items():
        if not needed.intersection(holds):
            continue
        where = data.joinpath(name)
        doc = parse_yaml(where.read_text(encoding="utf-8"), str(where))
        _require_mapping(doc.data, str(where))
        for key in doc.data:
            if key in merged:
                raise BenchmarksError(f"top-level key {key!r} repeats another packaged file", file=str(where))
        merged.update(doc.data)
        docs.append(doc)
    if over is not None:
        merged = deep_merge(merged, over.data)
        docs.insert(0, over)
    return merged, docs


def deep_merge(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """`over` merged onto `base`: nested mappings merge key by key; lists and scalars replace."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def _require_mapping(data: Any, name: str) -> None:
    if not isinstance(data, dict):
        raise BenchmarksError(f"expected a mapping at the top level, got {type(data).__name__}", file=name)


#: Resolved field types of each dataclass `_construct` has built (its annotations are strings).
_FIELD_TYPES: dict[type, dict[str, Any]] = {}


def _construct(kind: Any, data: Any) -> Any:
    """`data` of already-validated YAML built into `kind`: dataclasses, tuples, dicts, optionals, floats.

    The same objects `TypeAdapter(kind).validate_python(data)` makes of valid data (a test holds the two
    equal on the packaged files), without Pydantic's import and schema building.
    """
    if isinstance(kind, type) and is_dataclass(kind):
        hints = _FIELD_TYPES.get(kind)
        if hints is None:
            hints = _FIELD_TYPES[kind] = typing.get_type_hints(kind)
        return kind(**{key: _construct(hints[key], value) for key, value in data.items()})
    origin = typing.get_origin(kind)
    if origin is tuple:
        return tuple(_construct(typing.get_args(kind)[0], item) for item in data)
    if origin is dict:
        return {key: _construct(typing.get_args(kind)[1], value) for key, value in data.items()}
    if origin is typing.Union or origin is types.UnionType:  # `X | None`
        if data is None:
            return None
        (inner,) = (a for a in typing.get_args(kind) if a is not type(None))
        return _construct(inner, data)
    if kind is float:  # YAML writes 3 for 3.0
        return float(data)
    return data  # str, int, bool, Literal


def _validate(
    kind: Any, data: Any, prefix: tuple[str, ...], docs: list[YamlDoc], sources: list[str] | None = None
) -> Any:
    """`data` (found at `prefix`) validated as `kind`, its citations checked against `sources` when given.

    The first error becomes a BenchmarksError naming the file and line of the value it is about.
    """
    from pydantic import TypeAdapter, ValidationError

    from roleplan.models.benchmarks import check_citations, cited_figures

    try:
        value = TypeAdapter(kind).validate_python(data)
        if sources is not None:
            check_citations(sources, cited_figures(value, ".".join(prefix)))
        return value
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = (*prefix, *err["loc"])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise _located(loc, err["msg"].removeprefix("Value error, "), more, docs) from None
    except ValueError as exc:  # a citation the file's sources do not have: the message names the figure
        raise _located((), str(exc), "", docs) from None


def _located(loc: tuple[str | int, ...], msg: str, more: str, docs: list[YamlDoc]) -> BenchmarksError:
    import re

    if not loc:  # a whole-file cross-check names its figure in the message: `comp.bands[3]: ...`
        where, _, rest = msg.partition(": ")
        loc = tuple(int(x) if x.isdigit() else x for x in re.split(r"[.\[\]]+", where) if x)
        msg, dotted = rest, where
    else:
        dotted = _dotted(loc)
    # the first document (the override, when there is one) that has the path locates the error
    doc = next((d for d in docs if loc[:1] in d.lines), docs[-1])
    named = _named_key(loc, msg, doc)
    if named is not None:
        path, token = named
        if msg.startswith(token) and token.startswith(f"{loc[-1]}."):  # `decision.x must ...` in decision
            msg, dotted = msg[len(token) :].removeprefix(":").lstrip(), _dotted(path)
        loc = path
    return BenchmarksError(f"{dotted}: {msg}{more}", file=doc.source, line=doc.line_of(loc))


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def _named_key(
    loc: tuple[str | int, ...], msg: str, doc: YamlDoc
) -> tuple[tuple[str | int, ...], str] | None:
    """The key under `loc` that a block's own check names (`dominant_share must be ...`, `decision.x ...`),
    and the word of the message naming it: the error's line is that key's, not the block's.

    A name is read relative to the block or, when it starts with the block's own name, to its parent. Ids
    may hold dots (`presales.demo`), so names are matched against the document's paths, not split.
    """
    import re

    if not loc:
        return None
    names: dict[str, tuple[str | int, ...]] = {}
    for path in doc.lines:
        if len(path) > len(loc) and path[: len(loc)] == loc:
            tail = _dotted(path[len(loc) :])
            names[tail] = path
            names[f"{loc[-1]}.{tail}"] = path
    if not names:
        return None
    unquoted = re.sub(r"'[^']*'|\"[^\"]*\"|`[^`]*`", " ", msg)  # a quoted value is not a key's name
    for token in re.findall(r"[A-Za-z_][\w.@\[\]-]*", unquoted):
        name = re.sub(r"\[(\d+)\]", r".\1", token).rstrip(".")
        while name:  # its longest prefix that is a path: `signals.x.weights` of `signals.x.weights.y`
            if name in names:
                return names[name], token
            name = name.rpartition(".")[0]
    return None
