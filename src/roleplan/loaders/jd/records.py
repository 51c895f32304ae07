"""Reading postings: the records of a `classify` run, their problems, and single texts (.txt .md .html, stdin).

Batches (JSONL/CSV) are read by `batches`, markup reduced by `text`. Problems come in two kinds:

- structural (a line that is not JSON or not an object; an unreadable CSV row): an InputError naming file
  and line, or, with `skip_bad`, a warning and the next line;
- content (no text, empty text, a record over the size limit, markup that cannot be reduced, a binary or
  oversized file found in a batch): with `keep_errors` a JobRecord whose `error` is set (the caller reports
  it per record), otherwise treated like a structural problem.

Undecodable bytes never stop a run: text that is not UTF-8 is decoded as cp1252 (or, failing that,
latin-1), the record's `note` says so and a warning names the file and line.
"""

from __future__ import annotations

import codecs
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any, Protocol

from roleplan.errors import InputError
from roleplan.fileio import read_bytes, read_stream
from roleplan.loaders.jd.sources import Source, resolve_sources
from roleplan.loaders.jd.text import MarkupError, batch_text, html_to_text, markdown_to_text, plain_text

#: Largest single text file, and largest record (JSONL line or CSV line) in a batch.
MAX_TEXT_BYTES = 5 * 1024 * 1024
_WARN_LIMIT = 5  # warnings of one kind per file before they are only counted

Warn = Callable[[str], None]
Progress = Callable[[int], None]


class Lines(Protocol):
    """What a batch is read from: a binary file, stdin, or a gzip stream."""

    def readline(self, limit: int = -1, /) -> bytes: ...

    def close(self) -> None: ...


@dataclass(frozen=True, slots=True)
class Fields:
    """Which batch fields (JSONL keys, CSV columns) hold the text, id and title; which to keep in the output."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    keep: tuple[str, ...] = ()

    @property
    def known(self) -> frozenset[str]:
        """The fields roleplan reads itself (the rest are a record's `extra`)."""
        return frozenset({self.id, self.text, self.title, "company", "label"})


@dataclass(slots=True)
class JobRecord:
    """One posting to classify: its text and what the input said about it.

    Not frozen: a frozen dataclass's __init__ costs ~3 µs more per record, a tenth of the batch budget.
    Treat it as read-only all the same.
    """

    id: str
    text: str
    title: str | None = None
    company: str | None = None
    label: str | None = None  # for `roleplan eval`
    source: str = ""  # file (and line) it came from, for messages
    note: str | None = None  # e.g. a decoding fallback that was used
    extra: dict[str, Any] = field(default_factory=dict)  # other JSONL fields / CSV columns
    kept: dict[str, Any] | None = None  # the --keep fields, in the order given (None without --keep)
    error: str | None = None  # set (and `text` empty) when the record could not be read


def iter_records(
    paths: list[str],
    *,
    input_format: str = "auto",
    skip_bad: bool = False,
    keep_errors: bool = False,
    warn: Warn | None = None,
) -> Iterator[JobRecord]:
    """Stream records from every path (one at a time: memory stays flat in batch size)."""
    yield from Reader(
        resolve_sources(paths, input_format), skip_bad=skip_bad, keep_errors=keep_errors, warn=warn
    )


def _stderr_warn(message: str) -> None:
    sys.stderr.write(f"roleplan: {message}\n")


class Reader:
    """Iterates the records of some sources; counts what it skipped and how many texts needed a fallback."""

    def __init__(
        self,
        sources: list[Source],
        *,
        skip_bad: bool = False,
        keep_errors: bool = False,
        title: str | None = None,
        company: str | None = None,
        warn: Warn | None = None,
        progress: Progress | None = None,
        stdin: IO[bytes] | None = None,
        fields: Fields | None = None,
    ) -> None:
        self.sources = sources
        self.skip_bad = skip_bad
        self.keep_errors = keep_errors
        self.title = title
        self.company = company
        self.warn = warn or _stderr_warn
        self.progress = progress
        self.stdin = stdin
        self.fields = fields or Fields()
        self.skipped = 0  # structural problems passed over with skip_bad
        self.fallbacks = 0  # texts decoded with a fallback codec
        self._counts: dict[str, int] = {}

    def __iter__(self) -> Iterator[JobRecord]:
        for src in self.sources:
            self._counts = {}
            if src.is_batch:
                from roleplan.loaders.jd.batches import csv_records, jsonl_records

                fh = self._open(src)
                try:
                    yield from (jsonl_records if src.fmt == "jsonl" else csv_records)(self, src, fh)
                finally:
                    if src.path is not None:
                        fh.close()
            else:
                yield from self._text(src)
            self._summarise(src)

    # --- problems and warnings -------------------------------------------------------------------

    def _warn_limited(self, kind: str, src: Source, message: str) -> None:
        n = self._counts[kind] = self._counts.get(kind, 0) + 1
        if n <= _WARN_LIMIT:
            self.warn(message)

    def _summarise(self, src: Source) -> None:
        for kind, n in self._counts.items():
            if n > _WARN_LIMIT:
                self.warn(f"{src.name}: {n - _WARN_LIMIT} more {kind} (not shown)")

    def _structural(self, message: str, src: Source, line: int | None) -> None:
        """A record that cannot even be told apart: raise, or warn and skip with skip_bad."""
        if not self.skip_bad:
            raise InputError(message, file=src.name, line=line)
        self.skipped += 1
        where = f"{src.name}:{line}" if line is not None else src.name
        self._warn_limited("skipped lines", src, f"warning: {where}: {message}; skipped")

    def _content(self, message: str, src: Source, line: int | None, rid: str, **kw: Any) -> JobRecord | None:
        """A record that is there but unusable: an error record (batch), else like a structural problem."""
        if self.keep_errors:
            where = f"{src.name}:{line}" if line is not None else src.name
            return JobRecord(id=rid, text="", source=where, error=message, **kw)
        self._structural(message, src, line)
        return None

    def _batch_record(
        self,
        src: Source,
        line: int,
        rid: str,
        text: str,
        title: str | None,
        company: str | None,
        label: str | None,
        note: str | None,
        extra: dict[str, Any],
        kept: dict[str, Any] | None,
    ) -> JobRecord | None:
        """One JSONL or CSV record, its markup reduced; no text left is a content problem (`_content`)."""
        try:
            text = batch_text(text)
        except MarkupError as exc:
            problem = str(exc)
        else:
            if text and not text.isspace():
                # positional (id, text, title, company, label, source, note, extra, kept): the keywords and
                # their dict cost ~0.9 µs more per record
                return JobRecord(rid, text, title, company, label, f"{src.name}:{line}", note, extra, kept)
            problem = "empty text"
        kw: dict[str, Any] = {"title": title, "company": company, "label": label, "note": note, "kept": kept}
        return self._content(problem, src, line, rid, **kw)

    def _decode(self, raw: bytes, src: Source, line: int | None) -> tuple[str, str | None]:
        """UTF-8 (BOM allowed; UTF-16 by its BOM), else cp1252, else latin-1 — with a note and a warning."""
        if raw[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            try:
                return raw.decode("utf-16"), None
            except UnicodeDecodeError:
                pass
        try:
            return raw.decode("utf-8-sig"), None
        except UnicodeDecodeError as exc:
            bad_line = (line or 1) + raw.count(b"\n", 0, exc.start)
        for codec in ("cp1252", "latin-1"):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            note = f"decoded as {codec} (not valid UTF-8)"
            self.fallbacks += 1
            self._warn_limited(
                "lines decoded with a fallback", src, f"warning: {src.name}:{bad_line}: not UTF-8; {note}"
            )
            return text, note
        raise AssertionError("latin-1 decodes any bytes")  # pragma: no cover

    # --- single texts: .txt, .md, .html, stdin -----------------------------------------------------

    def _read_all(self, src: Source) -> bytes | str:
        """The bytes of a text source, or a problem message (a record error, not the end of the run)."""
        try:
            if src.path is None:
                stream = self.stdin if self.stdin is not None else sys.stdin.buffer
                hint = "for one text; for a batch use --input-format jsonl"
                return read_stream(stream, max_bytes=MAX_TEXT_BYTES, what="stdin", hint=hint)
            return read_bytes(src.path, max_bytes=MAX_TEXT_BYTES, limit="the limit for one text")
        except InputError as exc:
            return exc.message

    def _text(self, src: Source) -> Iterator[JobRecord]:
        raw = self._read_all(src)
        if self.progress is not None:
            self.progress(len(raw))
        kw: dict[str, Any] = {"title": self.title, "company": self.company}
        if isinstance(raw, str):
            problem: str | None = raw
        elif b"\x00" in raw and raw[:2] not in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            problem = "binary data, not a text file"
        else:
            problem = None
        if problem is not None:
            bad = self._content(problem, src, None, src.name, **kw)
            if bad is not None:
                yield bad
            return
        assert isinstance(raw, bytes)
        text, note = self._decode(raw, src, 1)
        title = self.title
        try:
            if src.fmt == "html":
                text, h1 = html_to_text(text)
                title = title or h1
            elif src.fmt == "markdown":
                text = markdown_to_text(text)
            else:
                text = text.replace("\r\n", "\n")
            text = plain_text(text)  # a stray tag or entity in any of them
        except MarkupError as exc:
            bad = self._content(str(exc), src, None, src.name, title=title, company=self.company, note=note)
            if bad is not None:
                yield bad
            return
        if not text or text.isspace():
            what = "no text left after removing the HTML markup" if src.fmt == "html" else "empty text"
            bad = self._content(what, src, None, src.name, title=title, company=self.company, note=note)
            if bad is not None:
                yield bad
            return
        yield JobRecord(id=src.name, text=text, title=title, company=self.company, source=src.name, note=note)

    # --- batches ---------------------------------------------------------------------------------
    def _open(self, src: Source) -> Lines:
        """A batch's byte stream: stdin, the file, or the file through gzip (streaming, never unpacked whole)."""
        if src.path is None:
            return self.stdin if self.stdin is not None else sys.stdin.buffer
        try:
            if src.gzip:
                return _Gunzip(src.path.open("rb"), src.name)
            return src.path.open("rb")
        except PermissionError:
            raise InputError("permission denied", file=src.name) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", file=src.name) from None

    def _empty_batch(self, src: Source) -> None:
        message = "no records (empty input)" if src.path is None else "no records (empty file)"
        if self.keep_errors and len(self.sources) > 1:
            self._warn_limited("empty files", src, f"warning: {src.name}: {message}")
            return
        raise InputError(message, file=src.name)


class _Gunzip:
    """A gzipped file read line by line; a damaged stream is a one-line InputError naming the file."""

    def __init__(self, raw: IO[bytes], name: str) -> None:
        import gzip

        self._raw = raw
        self._gz = gzip.GzipFile(fileobj=raw, mode="rb")
        self._name = name

    def readline(self, limit: int = -1) -> bytes:
        import zlib

        try:
            return self._gz.readline(limit)
        except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
            detail = "truncated" if isinstance(exc, EOFError) else "not a gzip file or damaged"
            raise InputError(f"cannot read the gzip stream ({detail})", file=self._name) from None

    def close(self) -> None:
        try:
            self._gz.close()
        finally:
            self._raw.close()
