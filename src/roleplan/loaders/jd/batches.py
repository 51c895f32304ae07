"""JSONL and CSV batches, streamed one line or row at a time: memory stays flat in the number of records.

Which field holds the text, id and title is the reader's `Fields` (`--text-field` and friends); a record
without a usable text is a per-record error, never the end of the batch.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from roleplan.errors import InputError
from roleplan.fileio import mib

if TYPE_CHECKING:
    from roleplan.loaders.jd.records import JobRecord, Lines, Reader
    from roleplan.loaders.jd.sources import Source


def jsonl_records(reader: Reader, src: Source, fh: Lines) -> Iterator[JobRecord]:
    """The records of a JSONL batch (one JSON object per line; blank lines ignored)."""
    from roleplan.loaders.jd.records import MAX_TEXT_BYTES

    loads = json.loads
    scan_once = json.JSONDecoder().scan_once  # type: ignore[attr-defined]  # set in __init__, not typeshed
    readline = fh.readline
    progress = reader.progress
    fields = reader.fields
    tf, idf, ttf, keep = fields.text, fields.id, fields.title, fields.keep
    known = fields.known
    limit = MAX_TEXT_BYTES
    name = src.name
    lineno = 0
    nonempty = 0
    unseen = dict.fromkeys(keep)  # --keep fields no record of this file has had yet
    seen: dict[str, None] = {}  # the fields of the records, for the closest name (only while some are unseen)
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
            bad = reader._content(f"record is over the {mib(limit)} limit", src, lineno, f"{name}:{lineno}")
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
            decoded, note = reader._decode(line, src, lineno)
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
            reader._structural(f"malformed JSON: {_json_msg(exc, decoded)}", src, lineno)
            continue
        except RecursionError:  # "[[[[..." thousands deep: the decoder recurses per level
            reader._structural("malformed JSON: nested too deeply", src, lineno)
            continue
        if type(obj) is not dict:
            reader._structural(f"expected a JSON object, got {_json_type(obj)}", src, lineno)
            continue
        rid = obj.get(idf)
        rid = f"{name}:{lineno}" if rid is None or rid == "" else rid if type(rid) is str else str(rid)
        title = _opt_str(obj.get(ttf))
        company = _opt_str(obj.get("company"))
        label = _opt_str(obj.get("label"))
        kept = {k: obj.get(k) for k in keep} if keep else None
        if unseen:
            for k in [k for k in unseen if k in obj]:
                del unseen[k]
            if len(seen) < 1000:
                seen.update(dict.fromkeys(obj))
        text = obj.get(tf)
        if type(text) is not str:
            if tf not in obj:
                shown = ", ".join(map(str, obj)) or "none"
                problem = f"no {_q(tf)} field (fields: {shown}); name the text field with --text-field"
            else:
                problem = f"{_q(tf)} must be a string, got {_json_type(text)}"
            bad = reader._content(
                problem, src, lineno, rid, title=title, company=company, label=label, note=note, kept=kept
            )
            if bad is not None:
                yield bad
            continue
        extra = (
            {} if len(obj) <= 2 or known.issuperset(obj) else {k: v for k, v in obj.items() if k not in known}
        )
        rec = reader._batch_record(src, lineno, rid, text, title, company, label, note, extra, kept)
        if rec is not None:
            yield rec
    if nonempty == 0:
        reader._empty_batch(src)
    for k in unseen:
        reader.warn(f"warning: {name}: no record has a {_q(k)} field to keep; it is null{_near(k, seen)}")


def csv_records(reader: Reader, src: Source, fh: Lines) -> Iterator[JobRecord]:
    """The records of a CSV batch: a header row naming the columns, then one record per row."""
    from roleplan.loaders.jd.records import MAX_TEXT_BYTES

    if csv.field_size_limit() < MAX_TEXT_BYTES:
        csv.field_size_limit(MAX_TEXT_BYTES)
    state = _LineState()
    rows_in = csv.reader(_decoded_lines(reader, src, fh, state))
    name = src.name
    fields = reader.fields
    try:
        header = next(rows_in, None)
    except csv.Error as exc:
        raise InputError(f"unreadable CSV header: {exc}", file=name, line=1) from None
    if header is None:
        raise InputError("empty CSV file (no header row)", file=name)
    columns = [h.strip().lower() for h in header]
    tf = fields.text.lower()
    if tf not in columns:
        shown = ", ".join(h.strip() for h in header if h.strip()) or "none"
        raise InputError(
            f"no {_q(fields.text)} column (columns: {shown}); name the text column with --text-field",
            file=name,
            line=1,
        )
    col = {c: i for i, c in reversed(list(enumerate(columns)))}  # the first of repeated names wins
    ti = col[tf]
    ii, tti = col.get(fields.id.lower(), -1), col.get(fields.title.lower(), -1)
    ci, li = col.get("company", -1), col.get("label", -1)
    known = {k.lower() for k in fields.known}
    others = [(header[i].strip(), i) for c, i in col.items() if c and c not in known]
    keep = [(k, col.get(k.lower(), -1)) for k in fields.keep]
    for k, i in keep:
        if i < 0:
            near = _near(k, [h.strip() for h in header if h.strip()])
            reader.warn(f"warning: {name}: no {_q(k)} column to keep; its cells are empty{near}")
    rows = 0
    while True:
        start = rows_in.line_num + 1
        state.note = None
        try:
            row = next(rows_in)
        except StopIteration:
            break
        except csv.Error as exc:
            reader._structural(f"unreadable CSV row: {exc}", src, start)
            continue
        if state.exhausted:  # the reader asked for lines past the end: a quote was never closed
            reader._structural(
                "unterminated quoted field: the quote opened in this record is never closed", src, start
            )
            break
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
        kept = {k: (row[i] if 0 <= i < n else None) for k, i in keep} if keep else None
        rec = reader._batch_record(src, start, rid, text, title, company, label, state.note, extra, kept)
        if rec is not None:
            yield rec
    if rows == 0:
        reader._empty_batch(src)


@dataclass(slots=True)
class _LineState:
    note: str | None = None
    exhausted: bool = False


def _decoded_lines(reader: Reader, src: Source, fh: Lines, state: _LineState) -> Iterator[str]:
    """Lines for the csv module, each decoded on its own so one bad byte costs only a note."""
    from roleplan.loaders.jd.records import MAX_TEXT_BYTES

    readline = fh.readline
    progress = reader.progress
    limit = MAX_TEXT_BYTES
    lineno = 0
    while True:
        raw = readline(limit + 1)
        if not raw:
            state.exhausted = True
            return
        lineno += 1
        if progress is not None:
            progress(len(raw))
        if len(raw) > limit:
            hint = "; its lines end in CR only (old Mac Excel): convert them to LF" if _lone_cr(raw) else ""
            raise InputError(f"line is over the {mib(limit)} limit{hint}", file=src.name, line=lineno)
        if lineno == 1 and b"\x00" in raw:
            raise InputError("binary data, not a CSV file", file=src.name, line=1)
        try:
            text = raw.decode("utf-8-sig" if lineno == 1 else "utf-8")
        except UnicodeDecodeError:
            text, state.note = reader._decode(raw, src, lineno)
        if "\r" in text.rstrip("\r\n"):  # lines ending in CR alone ("CSV (Macintosh)"): one row each
            yield from (part for part in _AFTER_LONE_CR.split(text) if part)
        else:
            yield text


_AFTER_LONE_CR = re.compile(r"(?<=\r)(?!\n)")


def _lone_cr(raw: bytes) -> bool:
    return b"\r" in raw and raw.count(b"\r") > raw.count(b"\r\n")


def _near(name: str, fields: Iterable[str]) -> str:
    """`; did you mean 'x'?` for the field nearest to `name`, or nothing."""
    from roleplan.errors import closest

    hint = closest(name, fields)
    return f"; did you mean {hint!r}?" if hint else ""


def _q(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


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
    if "integer string conversion" in str(
        exc
    ):  # Python's advice (sys.set_int_max_str_digits) is not the user's
        return f"a number of more than {sys.get_int_max_str_digits()} digits"
    return str(exc)


def _json_type(value: object) -> str:
    return {list: "an array", str: "a string", int: "a number", float: "a number", bool: "true/false"}.get(
        type(value), "null"
    )


def _opt_str(value: object) -> str | None:
    if value is None or value == "":
        return None
    return value if type(value) is str else str(value)
