"""Which inputs a `classify` run reads: PATHs (files, directories, `-`) resolved to sources and formats."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from roleplan.errors import InputError, UsageError

#: --input-format choices; "auto" goes by extension (stdin: text).
INPUT_FORMATS: tuple[str, ...] = ("auto", "text", "html", "jsonl", "csv")
#: Extensions read when found in a directory, and the format each means.
EXTENSIONS: dict[str, str] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
}
BATCH_FORMATS = frozenset({"jsonl", "csv"})
_UNSUPPORTED = {
    ".json": "a JSON file is not supported; write one object per line (.jsonl)",
    ".pdf": "PDF is not supported; convert the posting to text or HTML first",
    ".docx": "Word files are not supported; convert the posting to text or HTML first",
    ".doc": "Word files are not supported; convert the posting to text or HTML first",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file (or stdin, `path is None`) and the format it is read as."""

    name: str  # as given on the command line ("-" for stdin)
    path: Path | None
    fmt: str  # text, markdown, html, jsonl, csv
    gzip: bool = False  # a .gz file: read through gzip, streaming

    @property
    def is_batch(self) -> bool:
        return self.fmt in BATCH_FORMATS


def _format_of(path: Path) -> tuple[str | None, bool]:
    """(format by extension or None, gzipped): `a.jsonl.gz` is a gzipped JSONL batch."""
    suffixes = [s.lower() for s in path.suffixes]
    gz = bool(suffixes) and suffixes[-1] == ".gz"
    suffix = (suffixes[-2] if len(suffixes) > 1 else "") if gz else path.suffix.lower()
    return EXTENSIONS.get(suffix), gz


def resolve_sources(paths: Iterable[str], input_format: str = "auto") -> list[Source]:
    """Expand PATHs (files, directories recursed in sorted order, `-`) into sources; fail before reading.

    A forced `input_format` applies to every file, including those found in directories; directories
    only ever contribute files with a supported extension, and never hidden ones.
    """
    if input_format not in INPUT_FORMATS:
        raise UsageError(f"unknown input format {input_format!r} (choose from: {', '.join(INPUT_FORMATS)})")
    forced = None if input_format == "auto" else input_format
    out: list[Source] = []
    seen_stdin = False
    for name in paths:
        if name == "-":
            if seen_stdin:
                raise UsageError("'-' (stdin) given more than once")
            seen_stdin = True
            out.append(Source(name="-", path=None, fmt=forced or "text"))
            continue
        path = Path(name)
        if path.is_dir():
            found = list(_walk(path))
            if not found:
                raise InputError(
                    f"no supported files in this directory ({', '.join(sorted(EXTENSIONS))})", file=name
                )
            out += [Source(name=str(f), path=f, fmt=forced or EXTENSIONS[f.suffix.lower()]) for f in found]
        elif path.exists():
            suffix = path.suffix.lower()
            if forced is None and suffix in _UNSUPPORTED:
                raise InputError(_UNSUPPORTED[suffix], file=name)
            fmt, gz = _format_of(path)
            if gz and (forced or fmt) not in BATCH_FORMATS:
                raise InputError("a gzipped file is read as a batch only (.jsonl.gz, .csv.gz)", file=name)
            out.append(Source(name=name, path=path, fmt=forced or fmt or "text", gzip=gz))
        else:
            raise InputError("no such file or directory", file=name)
    return out


def _walk(root: Path) -> Iterator[Path]:
    found: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        found += [
            Path(dirpath, f)
            for f in filenames
            if not f.startswith(".") and os.path.splitext(f)[1].lower() in EXTENSIONS  # noqa: PTH122
        ]
    yield from sorted(found)


def is_single(sources: list[Source]) -> bool:
    """One text (file or stdin), as opposed to a batch: its problems are errors, not per-record results."""
    return len(sources) == 1 and not sources[0].is_batch
