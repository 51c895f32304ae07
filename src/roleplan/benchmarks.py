"""Load the benchmarks: the packaged default, merged with the user's override, validated, cached.

The packaged files live in the wheel (importlib.resources). An override (`--benchmarks FILE` or
ROLEPLAN_BENCHMARKS) is merged over them: mappings key by key, anything else replaced.

Validation needs Pydantic, whose import alone costs more than the rest of a calculator run. A validated result
is therefore pickled under the user's cache directory, keyed by a checksum of everything it was built from
(roleplan's version, the schema modules' source, the packaged files and the override). A hit skips YAML and
Pydantic entirely; any doubt (missing, corrupt, unwritable) falls back to a full load.

A cache hit is on every calculator's path, so this module imports only what a hit needs: no hashlib, no
importlib.resources (unless the package is not plain files), no YAML or Pydantic.
"""

from __future__ import annotations

import os
import pickle
import zlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from roleplan import __version__
from roleplan.errors import BenchmarksError, InputError
from roleplan.models import benchmarks as schema
from roleplan.models.benchmarks import Benchmarks

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable

    from roleplan.models.classify_config import ClassifyConfig

ENV_VAR = "ROLEPLAN_BENCHMARKS"
CACHE_ENV_VAR = "ROLEPLAN_CACHE_DIR"
#: Packaged data files, merged in order. Top-level keys must not repeat across them.
PACKAGED_FILES: tuple[str, ...] = ("benchmarks.yaml", "signals.yaml")


def _data_dir() -> Traversable:
    """The packaged data folder.

    Installed as plain files (a wheel in site-packages, a checkout) it is the folder beside this module,
    whatever the working directory; importlib.resources gives the same answer but costs ~3 ms to import,
    so it is asked only when the package is not plain files (a zip, say).
    """
    here = Path(__file__).parent / "data"
    if here.is_dir():
        return here
    from importlib import resources

    return resources.files("roleplan").joinpath("data")


def packaged_path(name: str = "benchmarks.yaml") -> str:
    """Where a packaged data file is, for messages."""
    return str(_data_dir().joinpath(name))


def _packaged() -> list[tuple[str, bytes]]:
    """(where, content) of every packaged data file, in merge order."""
    data = _data_dir()
    return [(str(data.joinpath(n)), data.joinpath(n).read_bytes()) for n in PACKAGED_FILES]


def override_path(explicit: Path | None) -> Path | None:
    """The override in force: the explicit option, else ROLEPLAN_BENCHMARKS, else none."""
    if explicit is not None:
        return explicit
    env = os.environ.get(ENV_VAR, "").strip()
    return Path(env) if env else None


def load_benchmarks(override: Path | None = None, *, use_cache: bool = True) -> Benchmarks:
    """The benchmarks in force; raises BenchmarksError/InputError with file and line when invalid."""
    return _load(override, use_cache)[0]


def load_classifier(override: Path | None = None) -> ClassifyConfig:
    """The `classify` section in force, its compiled matcher ready (from the cache when it is there).

    Compiling the signals takes ~0.3 s, most of a one-posting `roleplan classify`; the matcher is pickled
    beside the benchmarks, keyed by them and by the source of the module that compiles and reads it.
    """
    from roleplan.core import classify as core

    bench, key = _load(override, use_cache=True)
    config = bench.classify
    try:
        name = f"classifier-{key}-{zlib.crc32(Path(core.__file__).read_bytes()):08x}.pickle"
    except OSError:  # not installed as plain files: no stamp, no cache
        core.compile_config(config)
        return config
    try:
        if core.adopt_compiled(config, pickle.loads((cache_dir() / name).read_bytes())):
            return config
    except Exception:  # missing, corrupt or from another version: compile it again
        pass
    _cache_put(name, core.compile_config(config))
    return config


def _load(override: Path | None, use_cache: bool) -> tuple[Benchmarks, str]:
    path = override_path(override)
    packaged = _packaged()
    override_bytes = _read_override(path) if path is not None else None
    key = _cache_key(packaged, override_bytes)
    if use_cache:
        cached = _cache_get(key)
        if cached is not None:
            return cached, key
    result = _build(packaged, path, override_bytes)
    if use_cache:
        _cache_put(f"benchmarks-{key}.pickle", result)
    return result, key


def merged_data(override: Path | None = None) -> dict[str, Any]:
    """The merged, unvalidated mapping (for `benchmarks show`)."""
    path = override_path(override)
    data, _ = _merge_docs(_packaged(), path, _read_override(path) if path is not None else None)
    return data


def _read_override(path: Path) -> bytes:
    from roleplan.yamlio import read_text

    return read_text(path, what="benchmarks file").encode("utf-8")


def _merge_docs(
    packaged: list[tuple[str, bytes]], path: Path | None, override_bytes: bytes | None
) -> tuple[dict[str, Any], list[Any]]:
    from roleplan.yamlio import YamlDoc, parse_yaml

    docs: list[YamlDoc] = []
    merged: dict[str, Any] = {}
    for name, raw in packaged:
        doc = parse_yaml(raw.decode("utf-8"), name)
        _require_mapping(doc.data, name)
        for key in doc.data:
            if key in merged:
                raise BenchmarksError(f"top-level key {key!r} repeats another packaged file", file=name)
        merged.update(doc.data)
        docs.append(doc)
    if path is not None and override_bytes is not None:
        doc = parse_yaml(override_bytes.decode("utf-8"), str(path))
        _require_mapping(doc.data, str(path))
        if doc.duplicates:
            dup = doc.duplicates[0]
            raise BenchmarksError(
                f"duplicate key {dup.key!r} (first given on line {dup.first_line})", file=path, line=dup.line
            )
        merged = deep_merge(merged, doc.data)
        docs.insert(0, doc)  # the override's lines win when locating an error
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


def _build(packaged: list[tuple[str, bytes]], path: Path | None, override_bytes: bytes | None) -> Benchmarks:
    import re

    from pydantic import TypeAdapter, ValidationError

    merged, docs = _merge_docs(packaged, path, override_bytes)
    schema.import_sections()
    try:
        return TypeAdapter(Benchmarks).validate_python(merged)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = tuple(err["loc"])
        msg = err["msg"].removeprefix("Value error, ")
        if not loc:  # a whole-file cross-check names its figure in the message: `comp.bands[3]: ...`
            where, _, rest = msg.partition(": ")
            loc = tuple(int(x) if x.isdigit() else x for x in re.split(r"[.\[\]]+", where) if x)
            msg, dotted = rest, where
        else:
            dotted = ".".join(str(p) for p in loc)
        # the first document (the override, when there is one) that has the path locates the error
        doc = next((d for d in docs if loc[:1] in d.lines), docs[-1])
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise BenchmarksError(f"{dotted}: {msg}{more}", file=doc.source, line=doc.line_of(loc)) from None


def validate_file(path: Path) -> Benchmarks:
    """Validate an override merged over the packaged default, without the cache (`benchmarks validate`)."""
    if not path.exists():
        raise InputError("no such file", file=path)
    return load_benchmarks(path, use_cache=False)


# --- cache ---------------------------------------------------------------------------------------------


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV_VAR)
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "roleplan"


def _cache_key(packaged: list[tuple[str, bytes]], override_bytes: bytes | None) -> str:
    """A checksum of everything the cached value is built from, and their total size.

    CRC-32 and Adler-32 rather than SHA-256: both change with any edit (CRC-32 surely with any change of up
    to 32 bits), and zlib is already imported where hashlib would cost ~3 ms. Nothing cryptographic is at
    stake: whoever can write to the user's cache can write the pickle itself.
    """
    schema_modules = sorted(Path(schema.__file__).parent.glob("*.py"))
    parts = [__version__.encode(), *(m.read_bytes() for m in schema_modules)]
    parts += [b"\0packaged\0" + raw for _, raw in packaged]
    if override_bytes is not None:
        parts.append(b"\0override\0" + override_bytes)
    crc, adler, size = 0, 1, 0
    for part in parts:
        crc, adler, size = zlib.crc32(part, crc), zlib.adler32(part, adler), size + len(part)
    return f"{crc:08x}{adler:08x}-{size}"


def _cache_get(key: str) -> Benchmarks | None:
    try:
        raw = (cache_dir() / f"benchmarks-{key}.pickle").read_bytes()
        value = pickle.loads(raw)
    except Exception:  # a missing or unreadable cache is only a slower start
        return None
    return value if isinstance(value, Benchmarks) else None


def _cache_put(name: str, value: object) -> None:
    import tempfile  # only when writing the cache

    directory = cache_dir()
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix=f".{name}-", suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        Path(tmp).replace(directory / name)
    except OSError:
        return  # read-only home or full disk: run uncached
