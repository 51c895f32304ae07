"""Job-description input: text, Markdown and HTML files, directories, stdin, and JSONL/CSV batches.

Batches are streamed (one line or row at a time, never the whole file), so memory stays flat in the number
of records. Problems come in two kinds:

- structural (a line that is not JSON, not an object, or has no `text`; an unreadable CSV row): an
  InputError naming file and line, or, with `skip_bad`, a warning and the next line;
- content (empty text, a record over the size limit, a binary or oversized file found in a batch): with
  `keep_errors` a JobRecord whose `error` is set (the caller reports it per record), otherwise treated
  like a structural problem.

Undecodable bytes never stop a run: text that is not UTF-8 is decoded as cp1252 (or, failing that,
latin-1), the record's `note` says so and a warning names the file and line.
"""

from __future__ import annotations

import codecs
import csv
import json
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from roleplan.errors import InputError, UsageError
from roleplan.fileio import mib, read_bytes, read_stream

#: Largest single text file, and largest record (JSONL line or CSV line) in a batch.
MAX_TEXT_BYTES = 5 * 1024 * 1024
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
_KNOWN_KEYS = frozenset({"id", "text", "title", "company", "label"})
_WARN_LIMIT = 5  # warnings of one kind per file before they are only counted

Warn = Callable[[str], None]
Progress = Callable[[int], None]


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
    error: str | None = None  # set (and `text` empty) when the record could not be read


@dataclass(frozen=True, slots=True)
class Source:
    """One input: a file (or stdin, `path is None`) and the format it is read as."""

    name: str  # as given on the command line ("-" for stdin)
    path: Path | None
    fmt: str  # text, markdown, html, jsonl, csv

    @property
    def is_batch(self) -> bool:
        return self.fmt in BATCH_FORMATS


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
            out.append(Source(name=name, path=path, fmt=forced or EXTENSIONS.get(suffix, "text")))
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
    ) -> None:
        self.sources = sources
        self.skip_bad = skip_bad
        self.keep_errors = keep_errors
        self.title = title
        self.company = company
        self.warn = warn or _stderr_warn
        self.progress = progress
        self.stdin = stdin
        self.skipped = 0  # structural problems passed over with skip_bad
        self.fallbacks = 0  # texts decoded with a fallback codec
        self._counts: dict[str, int] = {}

    def __iter__(self) -> Iterator[JobRecord]:
        for src in self.sources:
            self._counts = {}
            if src.fmt == "jsonl":
                yield from self._jsonl(src)
            elif src.fmt == "csv":
                yield from self._csv(src)
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
    ) -> JobRecord | None:
        """One JSONL or CSV record: HTML reduced to text; an empty text is a content problem (`_content`)."""
        if "<" in text or ("&" in text and "&lt;" in text):
            text = _maybe_html(text)
        if not text or text.isspace():
            return self._content(
                "empty text", src, line, rid, title=title, company=company, label=label, note=note
            )
        return JobRecord(
            id=rid,
            text=text,
            title=title,
            company=company,
            label=label,
            source=f"{src.name}:{line}",
            note=note,
            extra=extra,
        )

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
        if src.fmt == "html":
            text, h1 = html_to_text(text)
            title = title or h1
        elif src.fmt == "markdown":
            text = markdown_to_text(text)
        else:
            text = text.replace("\r\n", "\n")
        if not text or text.isspace():
            what = "no text left after removing the HTML markup" if src.fmt == "html" else "empty text"
            bad = self._content(what, src, None, src.name, title=title, company=self.company, note=note)
            if bad is not None:
                yield bad
            return
        yield JobRecord(id=src.name, text=text, title=title, company=self.company, source=src.name, note=note)

    # --- batches ---------------------------------------------------------------------------------

    def _open(self, src: Source) -> IO[bytes]:
        if src.path is None:
            return self.stdin if self.stdin is not None else sys.stdin.buffer
        try:
            return src.path.open("rb")
        except PermissionError:
            raise InputError("permission denied", file=src.name) from None
        except OSError as exc:
            raise InputError(f"cannot read: {exc.strerror or exc}", file=src.name) from None

    def _jsonl(self, src: Source) -> Iterator[JobRecord]:
        fh = self._open(src)
        try:
            yield from self._jsonl_lines(src, fh)
        finally:
            if src.path is not None:
                fh.close()

    def _jsonl_lines(self, src: Source, fh: IO[bytes]) -> Iterator[JobRecord]:
        loads = json.loads
        scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__, not typeshed
        readline = fh.readline
        progress = self.progress
        limit = MAX_TEXT_BYTES
        name = src.name
        lineno = 0
        nonempty = 0
        while True:
            line = readline(limit + 1)
            if not line:
                break
            lineno += 1
            if progress is not None:
                progress(len(line))
            if len(line) > limit:
                while not line.endswith(b"\n"):  # drop the rest of the line without holding it
                    line = readline(1 << 20)
                    if not line:
                        break
                    if progress is not None:
                        progress(len(line))
                nonempty += 1
                bad = self._content(f"record is over the {mib(limit)} limit", src, lineno, f"{name}:{lineno}")
                if bad is not None:
                    yield bad
                continue
            if line.isspace():
                continue
            nonempty += 1
            note = None
            try:
                decoded = line.decode()  # then loads(str): faster than loads(bytes), which sniffs encodings
            except UnicodeDecodeError:
                decoded, note = self._decode(line, src, lineno)
            try:
                if lineno == 1:
                    decoded = decoded.lstrip("\ufeff")
                try:  # the C scanner json.loads ends in, without its three Python frames per line
                    obj, end = scan_once(decoded, 0)
                    if end != len(decoded) and not decoded[end:].isspace():
                        raise StopIteration
                except StopIteration:  # leading space, extra data or malformed: loads says which
                    obj = loads(decoded)
            except ValueError as exc:
                if b"\x00" in line:
                    raise InputError("binary data, not JSON lines", file=name, line=lineno) from None
                self._structural(f"malformed JSON: {_json_msg(exc, decoded)}", src, lineno)
                continue
            except RecursionError:  # "[[[[..." thousands deep: the decoder recurses per level
                self._structural("malformed JSON: nested too deeply", src, lineno)
                continue
            if type(obj) is not dict:
                self._structural(f"expected a JSON object, got {_json_type(obj)}", src, lineno)
                continue
            text = obj.get("text")
            if type(text) is not str:
                if "text" not in obj:
                    fields = ", ".join(map(str, obj)) or "none"
                    self._structural(f'no "text" field (fields: {fields})', src, lineno)
                else:
                    self._structural(f'"text" must be a string, got {_json_type(text)}', src, lineno)
                continue
            rid = obj.get("id")
            rid = f"{name}:{lineno}" if rid is None or rid == "" else rid if type(rid) is str else str(rid)
            title = _opt_str(obj.get("title"))
            company = _opt_str(obj.get("company"))
            label = _opt_str(obj.get("label"))
            extra = {k: v for k, v in obj.items() if k not in _KNOWN_KEYS} if len(obj) > 2 else {}
            rec = self._batch_record(src, lineno, rid, text, title, company, label, note, extra)
            if rec is not None:
                yield rec
        if nonempty == 0:
            self._empty_batch(src)

    def _empty_batch(self, src: Source) -> None:
        message = "no records (empty input)" if src.path is None else "no records (empty file)"
        if self.keep_errors and len(self.sources) > 1:
            self._warn_limited("empty files", src, f"warning: {src.name}: {message}")
            return
        raise InputError(message, file=src.name)

    def _csv(self, src: Source) -> Iterator[JobRecord]:
        fh = self._open(src)
        try:
            yield from self._csv_rows(src, fh)
        finally:
            if src.path is not None:
                fh.close()

    def _csv_rows(self, src: Source, fh: IO[bytes]) -> Iterator[JobRecord]:
        if csv.field_size_limit() < MAX_TEXT_BYTES:
            csv.field_size_limit(MAX_TEXT_BYTES)
        state = _LineState()
        reader = csv.reader(self._decoded_lines(src, fh, state))
        name = src.name
        try:
            header = next(reader, None)
        except csv.Error as exc:
            raise InputError(f"unreadable CSV header: {exc}", file=name, line=1) from None
        if header is None:
            raise InputError("empty CSV file (no header row)", file=name)
        columns = [h.strip().lower() for h in header]
        if "text" not in columns:
            shown = ", ".join(h.strip() for h in header if h.strip()) or "none"
            raise InputError(f'no "text" column (columns: {shown})', file=name, line=1)
        col = {c: i for i, c in reversed(list(enumerate(columns)))}  # the first of repeated names wins
        ti = col["text"]
        ii, tti, ci, li = (col.get(k, -1) for k in ("id", "title", "company", "label"))
        others = [(header[i].strip(), i) for c, i in col.items() if c and c not in _KNOWN_KEYS]
        rows = 0
        while True:
            start = reader.line_num + 1
            state.note = None
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as exc:
                self._structural(f"unreadable CSV row: {exc}", src, start)
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            rows += 1
            n = len(row)
            rid = row[ii] if 0 <= ii < n and row[ii] else f"{name}:{start}"
            title = (row[tti] or None) if 0 <= tti < n else None
            company = (row[ci] or None) if 0 <= ci < n else None
            label = (row[li] or None) if 0 <= li < n else None
            text = row[ti] if ti < n else ""
            extra = {c: row[i] for c, i in others if i < n}
            rec = self._batch_record(src, start, rid, text, title, company, label, state.note, extra)
            if rec is not None:
                yield rec
        if rows == 0:
            self._empty_batch(src)

    def _decoded_lines(self, src: Source, fh: IO[bytes], state: _LineState) -> Iterator[str]:
        """Lines for the csv module, each decoded on its own so one bad byte costs only a note."""
        readline = fh.readline
        progress = self.progress
        limit = MAX_TEXT_BYTES
        lineno = 0
        while True:
            raw = readline(limit + 1)
            if not raw:
                return
            lineno += 1
            if progress is not None:
                progress(len(raw))
            if len(raw) > limit:
                raise InputError(f"line is over the {mib(limit)} limit", file=src.name, line=lineno)
            if lineno == 1 and b"\x00" in raw:
                raise InputError("binary data, not a CSV file", file=src.name, line=1)
            try:
                yield raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
            except UnicodeDecodeError:
                text, state.note = self._decode(raw, src, lineno)
                yield text


@dataclass(slots=True)
class _LineState:
    note: str | None = None


def _json_msg(exc: ValueError, line: str) -> str:
    """The decoder's message for the line without its line ending (which would be the 'control character')."""
    try:
        json.loads(line.rstrip("\r\n").lstrip("\ufeff"))
    except json.JSONDecodeError as again:
        exc = again
    except ValueError:
        pass
    if isinstance(exc, json.JSONDecodeError):
        return f"{exc.msg.removesuffix(' at')} (column {exc.colno})"
    return str(exc)


def _json_type(value: object) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), "null"
    )


def _opt_str(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value if type(value) is str else str(value)


# --- HTML and Markdown to plain text -----------------------------------------------------------------

_HTML_HINT = re.compile(r"<(?:/?(?:p|div|br|li|ul|ol|h[1-6]|span|strong|b|em|i|table|tr|td|section)\b)", re.I)
_ESCAPED_HTML_HINT = re.compile(r"&lt;/?(?:p|div|br|li|ul|ol|h[1-6]|span|strong)\b", re.I)


def batch_text(text: str) -> str:
    """A batch record's text as the classifier gets it (HTML from an ATS reduced to text); for the library API."""
    return _maybe_html(text) if "<" in text or ("&" in text and "&lt;" in text) else text


def _maybe_html(text: str) -> str:
    """Batch texts exported from an ATS often carry HTML (sometimes entity-escaped): reduce it to text."""
    if _HTML_HINT.search(text):
        return html_to_text(text)[0]
    if _ESCAPED_HTML_HINT.search(text):
        return html_to_text(unescape(text))[0]
    return text


_BLOCK = frozenset(
    {
        *("address", "article", "aside", "blockquote", "caption", "dd", "div", "dl", "dt", "fieldset"),
        *("figcaption", "figure", "footer", "form", "header", "hr", "main", "nav", "ol", "p", "section"),
        *("summary", "table", "tbody", "thead", "tfoot", "tr", "ul"),
    }
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SKIP = frozenset({"script", "style", "noscript", "template", "title", "svg"})
_CELL = frozenset({"td", "th"})
_PARAGRAPHS = frozenset({"p", "ul", "ol", "table", "blockquote", "section", "article", "header", "footer"})
_PARA = "\n\x01\n"  # a paragraph break: one blank line in the text
_CTRL = str.maketrans({"\x00": " ", "\x01": " ", "\r": ""})  # our markers must not come from the page
_WS = str.maketrans({"\n": " ", "\r": " ", "\t": " ", "\f": " ", "\v": " ", "\x00": " ", "\x01": " "})


# Inline tags change no line structure, and no tag's attributes matter here. html.parser spends most of its
# time on exactly those (a Python-level attribute loop per tag), so one C-speed regex pass drops inline tags
# and strips attributes first; the parser then sees a few bare block tags. Quoted values may contain `>`.
_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9:-]*)(?:[\s/](?:[^>"']|"[^"]*"|'[^']*')*)?>""")
_INLINE = frozenset(
    {
        *("a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i", "img", "kbd"),
        *("label", "mark", "q", "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var"),
        *("wbr", "ins", "del"),
    }
)


def _simplify_tag(m: re.Match[str]) -> str:
    name = m.group(2).lower()
    if name in _INLINE:
        return ""
    return f"<{m.group(1)}{name}>"


class _HtmlText(HTMLParser):
    """Text of an HTML page: blocks as line breaks, list items as `- `, scripts and styles dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0
        self.pre = 0
        self.h1: list[str] | None = None
        self.h1_text: str | None = None

    def updatepos(self, i: int, j: int) -> int:
        return (
            j  # no line/column bookkeeping: nothing here reports positions, and it cost a tenth of the time
        )

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skip += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "li":
            self.parts.append("\n- ")
        elif tag in _PARAGRAPHS:
            self.parts.append(_PARA)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag in _HEADINGS:
            self.parts.append(_PARA)
            if tag == "h1" and self.h1_text is None:
                self.h1 = []
        elif tag in _CELL:
            self.parts.append(" ")
        elif tag == "pre":
            self.pre += 1
            self.parts.append(_PARA)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br" or tag in _BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
        elif tag in _HEADINGS:
            self.parts.append(_PARA)
            if tag == "h1" and self.h1 is not None:
                self.h1_text = " ".join("".join(self.h1).split()) or None
                self.h1 = None
        elif tag in _PARAGRAPHS:
            self.parts.append(_PARA)
        elif tag in _BLOCK:
            self.parts.append("\n")
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
            self.parts.append(_PARA)

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if self.h1 is not None:
            self.h1.append(data)
        if self.pre:
            # \x00 marks a line break to keep
            self.parts.append(data.translate(_CTRL).replace("\n", "\n\x00"))
        else:
            self.parts.append(data.translate(_WS))


# The fast path: one regex finds every tag, comment and doctype, and drives the same handlers html.parser
# would call. Anything it does not know for certain (a stray `<`, CDATA, processing instructions, an
# unterminated comment or script) sends the whole document to html.parser instead. A property test holds
# the two paths to the same output.
_TOKEN = re.compile(
    r"""<(?:(/?)([a-zA-Z][a-zA-Z0-9:-]*)(?:[\s/](?:[^>"']|"[^"]*"|'[^']*')*)?>|!--|![dD][oO][cC][tT][yY][pP][eE][^>]*>)"""
)
_RAWTEXT_END = {
    "script": re.compile(r"</script[\s/>]", re.I),
    "style": re.compile(r"</style[\s/>]", re.I),
}


def _feed_fast(parser: _HtmlText, html: str) -> bool:
    """Tokenise `html` into the parser's handlers; False when html.parser must decide instead."""
    search = _TOKEN.search
    pos = 0
    while True:
        m = search(html, pos)
        end = len(html) if m is None else m.start()
        if end > pos:
            chunk = html[pos:end]
            if "<" in chunk:
                return False
            parser.handle_data(unescape(chunk) if "&" in chunk else chunk)
        if m is None:
            return True
        name = m.group(2)
        if name is None:  # a comment or a doctype
            if m.group(0) == "<!--":
                close = html.find("-->", m.end())
                if close < 0 or "--!>" in html[m.end() : close]:
                    return False
                pos = close + 3
            else:
                pos = m.end()
            continue
        name = name.lower()
        pos = m.end()
        if m.group(1):
            parser.handle_endtag(name)
        else:  # `<li/>` opens an li, as in a browser (and as the attribute-stripped slow path sees it)
            parser.handle_starttag(name, [])
            raw_end = _RAWTEXT_END.get(name)
            if raw_end is not None:  # script/style content is text up to its end tag, never markup
                found = raw_end.search(html, pos)
                if found is None:
                    return False
                parser.handle_data(html[pos : found.start()])
                pos = found.start()


def html_to_text(html: str, *, fast: bool = True) -> tuple[str, str | None]:
    """Plain text of an HTML document (entities decoded, one block per line) and its first <h1>, if any."""
    parser = _HtmlText()
    if not (fast and _feed_fast(parser, html)):
        parser = _HtmlText()
        parser.feed(_TAG.sub(_simplify_tag, html))
    parser.close()
    text = "".join(parser.parts)
    lines: list[str] = []
    pending_blank = False
    for line in text.split("\n"):
        if line.startswith("\x00"):  # a line inside <pre>: keep its indentation
            squeezed = line[1:].rstrip()
        elif line == "\x01":
            pending_blank = bool(lines)
            continue
        else:
            squeezed = " ".join(line.split())
        if squeezed:
            if pending_blank:
                lines.append("")
                pending_blank = False
            lines.append(squeezed)
    title = parser.h1_text
    if title is not None and len(title) > 150:
        title = None
    return "\n".join(lines), title


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$", re.M), r"\1"),  # headings keep their text
    (re.compile(r"^[ \t]*(?:[-*_][ \t]*){3,}$", re.M), ""),  # horizontal rules
    (re.compile(r"^([ \t]*)[*+][ \t]+", re.M), r"\1- "),  # bullets as "- "
    (re.compile(r"^[ \t]*>[ \t]?", re.M), ""),  # block quotes
    (re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)"), r"\1"),  # links and images keep their text
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])"), r"\1"),  # *emphasis*
    (re.compile(r"`+"), ""),  # code spans
)


def markdown_to_text(text: str) -> str:
    """Markdown with its markup characters removed; line structure (headings, bullets) kept."""
    text = text.replace("\r\n", "\n")
    for pattern, repl in _MD_RULES:
        text = pattern.sub(repl, text)
    return text
