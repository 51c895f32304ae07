"""CRM exports (CSV, or YAML): rows streamed one at a time, columns mapped to roleplan's field names, and the
date formats CRM exports write.

Nothing here holds the rows: a CSV is read line by line, so a 100k-row opportunity export costs the memory of
one row (a YAML file is small by nature and parsed whole, under yamlio's size limit).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from roleplan.errors import InputError, UsageError, closest, pick, unknown_name

#: Bigger CSV cells are not CRM fields but a broken file (csv's own default is 128 KiB).
MAX_CELL = 64 * 1024
#: A longer physical line is not a CRM row (a hundred columns of long text is ~100 KiB): reading it whole
#: would hold it, and every cell of it, in memory (a 50 MB one-line file took 37 s and 656 MiB).
MAX_LINE = 1024 * 1024
#: A HubSpot export of every property has a few hundred columns; tens of thousands is not an export.
MAX_COLUMNS = 5000
_YAML_SUFFIXES = (".yaml", ".yml")


@dataclass(frozen=True)
class Field:
    """A column roleplan reads: its name, whether the export must have it, and what it holds."""

    name: str
    required: bool
    help: str
    #: A YAML record may leave the key out for "empty" (a written list omits what has not happened yet); a CSV
    #: must still have the column, whose absence is more likely a name to --map.
    omissible_in_yaml: bool = False


class Row:
    """One data row: its line in the file (1-based, header is 1) and its cells, read by field name
    ('' when empty or when the export has no such column).

    A row keeps the reader's list of cells and a layout shared by every row (field -> position), not a dict
    of its own: building one per row was a third of the time of a 100k-row export.
    """

    __slots__ = ("columns", "index", "line", "values")

    def __init__(
        self, line: int, values: Sequence[str], index: Mapping[str, int], columns: Mapping[str, str]
    ) -> None:
        self.line, self.values, self.index = line, values, index
        self.columns = columns  # field name -> the export's own column name, for messages

    def __getitem__(self, name: str) -> str:
        i = self.index.get(name)
        return self.values[i].strip() if i is not None and i < len(self.values) else ""

    def where(self, name: str) -> str:
        """How a message names a cell's column: `closed_won` or `closed_won ("Close Date")`."""
        column = self.columns.get(name, name)
        return name if column == name else f'{name} ("{column}")'


def parse_mapping(pairs: Sequence[str], fields: Sequence[Field], option: str = "--map") -> dict[str, str]:
    """`--map closed_won="Close Date"` pairs as {field: column}; an unknown field gets the closest name."""
    names = [f.name for f in fields]
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, column = pair.partition("=")
        key, column = key.strip(), column.strip().strip('"').strip("'").strip()
        if not sep or not key or not column:
            raise UsageError(f'{option} {pair!r}: write it as FIELD=COLUMN, e.g. closed_won="Close Date"')
        if key not in names:
            raise UsageError(f"{option} {pair!r}: " + unknown_name("field", key, names))
        out[key] = column
    return out


def columns_for(
    presets: Mapping[str, Mapping[str, str]],
    preset: str | None,
    mapping: Mapping[str, str],
    fields: Sequence[Field],
) -> dict[str, str]:
    """The columns `fields` are read from: the named preset's (if any), overridden by --map."""
    names = {f.name for f in fields}
    chosen = presets[pick("preset", preset, presets)] if preset is not None else {}
    return {k: v for k, v in {**chosen, **mapping}.items() if k in names}


def _norm(name: str) -> str:
    """Header names compare without case, spaces, '_' or '-' (`Closed Won` = `closed_won`)."""
    return "".join(ch for ch in name.lower() if ch.isalnum())


def resolve_columns(
    header: Sequence[str],
    fields: Sequence[Field],
    mapping: Mapping[str, str],
    *,
    source: str,
    hint: str = "",
    explicit: Collection[str] = (),
) -> dict[str, int]:
    """Field name -> index in the header: `mapping`'s column (the user's --map, or a preset's), else the field's
    own name. A column the user named (`explicit`) or a required field must be there; a preset's optional
    column may be absent."""
    by_norm: dict[str, int] = {}
    for i, name in enumerate(header):
        by_norm.setdefault(_norm(name), i)
    out: dict[str, int] = {}
    missing: list[str] = []
    shown = [h for h in header if h.strip()]
    for f in fields:
        wanted = mapping.get(f.name, f.name)
        index = by_norm.get(_norm(wanted))
        if index is None and wanted != f.name and f.name not in explicit:
            index = by_norm.get(_norm(f.name))  # a preset's name absent: the default name will do
        if index is not None:
            out[f.name] = index
        elif f.name in explicit or f.required:
            near = closest(wanted, shown)
            label = repr(wanted) if wanted == f.name else f"{wanted!r} for {f.name}"
            missing.append(label + (f" (did you mean {near!r}?)" if near else ""))
    if missing:
        what = f"no column {missing[0]}" if len(missing) == 1 else f"no columns {', '.join(missing)}"
        raise InputError(
            f"{what}; map one with --map FIELD=COLUMN{hint}; the header has: {', '.join(shown[:30]) or '(nothing)'}",
            file=source,
            line=1,
        )
    return out


def _open_text(path: Path, encoding: str) -> IO[str]:
    try:
        with path.open("rb") as probe:
            head = probe.read(8192)
        if b"\x00" in head:
            raise InputError("binary data, not a CSV or YAML export", file=path)
        return path.open(encoding=encoding, newline="")
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError("is a directory, expected a CSV or YAML export", file=path) from None
    except PermissionError:
        raise InputError("permission denied", file=path) from None
    except LookupError:
        raise UsageError(f"--encoding: unknown encoding {encoding!r}") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None


def _bounded_lines(stream: IO[str], path: Path) -> Iterator[str]:
    """The stream's lines after the header, refusing one longer than MAX_LINE (line 1 is the header)."""
    number = 1
    while text := stream.readline(MAX_LINE + 1):
        number += 1
        if len(text) > MAX_LINE:
            raise InputError(
                f"a line over {MAX_LINE // 1024 // 1024} MiB: not a CRM export row", file=path, line=number
            )
        yield text


def read_rows(
    path: Path,
    fields: Sequence[Field],
    mapping: Mapping[str, str],
    *,
    encoding: str = "utf-8-sig",
    skip: re.Pattern[str] | None = None,
    hint: str = "",
    explicit: Collection[str] = (),
) -> Iterator[Row]:
    """The export's data rows, one at a time. Blank rows are skipped, and so are rows whose first cell
    matches `skip` with every other cell empty (a report's 'Grand Totals' and copyright footer)."""
    if path.suffix.lower() in _YAML_SUFFIXES:
        yield from _yaml_rows(path, fields, mapping, hint=hint, explicit=explicit)
        return
    stream = _open_text(path, encoding)
    line = 1
    reader = None
    try:
        with stream:
            first = stream.readline(MAX_LINE + 1)
            if not first.strip():
                raise InputError("empty export: no header row", file=path)
            if len(first) > MAX_LINE:
                raise InputError(
                    f"the header line is over {MAX_LINE // 1024 // 1024} MiB: not a CRM export",
                    file=path,
                    line=1,
                )
            delimiter = max((",", ";", "\t"), key=first.count)
            header = next(csv.reader([first], delimiter=delimiter))
            if len(header) > MAX_COLUMNS:
                raise InputError(
                    f"the header has {len(header):,} columns (more than {MAX_COLUMNS:,}): not a CRM export",
                    file=path,
                    line=1,
                )
            columns = resolve_columns(header, fields, mapping, source=str(path), hint=hint, explicit=explicit)
            names = {f: header[i].strip() for f, i in columns.items()}
            reader = csv.reader(_bounded_lines(stream, path), delimiter=delimiter, strict=True)
            seen = False
            read = 0  # lines the reader has consumed: a row starts on the line after them (header is 1)
            for row in reader:
                line, read = read + 2, reader.line_num
                if not "".join(row).strip():
                    continue
                if skip is not None and not "".join(row[1:]).strip() and skip.match(row[0].strip()):
                    continue
                if max(map(len, row)) > MAX_CELL:
                    raise InputError(
                        f"a cell is over {MAX_CELL // 1024} KiB (unbalanced quote?)", file=path, line=line
                    )
                seen = True
                yield Row(line, row, columns, names)
            if not seen:
                raise InputError("empty export: a header row and no data", file=path)
    except UnicodeDecodeError:
        raise InputError(
            f"not {encoding.removesuffix('-sig').upper()} text near line {line + 1} (in Excel save as 'CSV UTF-8', "
            "or pass --encoding cp1252)",
            file=path,
        ) from None
    except csv.Error as exc:
        line = 1 + reader.line_num if reader is not None else 1
        raise InputError(f"unreadable CSV: {' '.join(str(exc).split())}", file=path, line=line) from None


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict | list):
        raise TypeError("not a scalar")
    return str(value).strip()


def _yaml_rows(
    path: Path, fields: Sequence[Field], mapping: Mapping[str, str], *, hint: str, explicit: Collection[str]
) -> Iterator[Row]:
    from roleplan.yamlio import load_yaml_file

    doc = load_yaml_file(path)
    data: Any = doc.data
    prefix: tuple[str, ...] = ()
    if isinstance(data, dict) and len(data) == 1:  # {deals: [...]} as well as a bare list
        key = next(iter(data))
        data, prefix = data[key], (key,)
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise InputError("expected a list of records (one mapping per row)", file=path, line=1)
    if not data:
        raise InputError("empty export: the list has no records", file=path)
    header = list(dict.fromkeys(str(k) for item in data for k in item))
    needed = [replace(f, required=f.required and not f.omissible_in_yaml) for f in fields]
    columns = resolve_columns(header, needed, mapping, source=str(path), hint=hint, explicit=explicit)
    names = {f: header[i] for f, i in columns.items()}
    position = {f.name: k for k, f in enumerate(fields)}
    for i, item in enumerate(data):
        line = doc.line_of((*prefix, i)) or 1
        keyed = {_norm(str(k)): v for k, v in item.items()}
        cells = [""] * len(fields)
        for f, index in columns.items():
            value = keyed.get(_norm(header[index]))
            try:
                cells[position[f]] = _scalar(value)
            except TypeError:
                raise InputError(
                    f"{names[f]}: expected a single value, not a nested list or mapping", file=path, line=line
                ) from None
        yield Row(line, cells, position, names)


# --- dates -------------------------------------------------------------------------------------------------

_TIME = re.compile(
    r"^(?P<day>.+?)(?:[ T,]+(?P<h>\d{1,2}):(?P<m>\d{2})(?::\d{2}(?:\.\d+)?)?\s*(?P<ampm>[AaPp]\.?[Mm]\.?)?"
    r"(?:\s*(?:Z|UTC|GMT|[+-]\d{2}:?\d{2}|[A-Z]{2,5}))?)?$"
)
_US = ("%m/%d/%Y", "%m/%d/%y")
_DAY_FIRST = ("%d/%m/%Y", "%d/%m/%y")
_UNAMBIGUOUS = (
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%d %b %Y",
    "%d %B %Y",
    "%d-%b-%Y",
    "%d-%b-%y",
    "%b %d, %Y",
    "%B %d, %Y",
    "%b %d %Y",
    "%B %d %Y",
    "%d.%m.%Y",
    "%Y%m%d",
)
DATE_FORMATS_HELP = "ISO 2026-03-31, US 3/31/2026, 31 Mar 2026 or Mar 31, 2026, with or without a time"


class DateParser:
    """Dates as CRM exports write them: ISO (with or without a time), US m/d/Y (or d/m/Y with `day_first`),
    `31 Mar 2026`, `31-Mar-26`, `Mar 31, 2026`, `31.03.2026`; a trailing time (`10:15 AM`, `14:30:00Z`)
    is allowed and dropped. Results are cached, failures too: an export repeats the same few hundred days, and
    a day-first export read month-first repeats the same bad ones (uncached, each one tried every format: 100k
    such rows took 30 s, ~20 strptime calls a row)."""

    def __init__(self, *, day_first: bool = False) -> None:
        self.day_first = day_first
        self.formats = (_DAY_FIRST if day_first else _US) + _UNAMBIGUOUS
        self._cached = lru_cache(maxsize=8192)(self._parse_or_reason)

    def __call__(self, text: str) -> date | None:
        """The date in `text`, None when empty; ValueError with the reason when it is not a date."""
        if not text:
            return None
        found = self._cached(text)
        if isinstance(found, str):
            raise ValueError(found)
        return found

    def _parse_or_reason(self, text: str) -> date | str:
        try:
            return self._parse(text)
        except ValueError as exc:
            return str(exc)

    def _parse(self, text: str) -> date:
        if len(text) == 10 and text[4] == "-":
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{text!r} is not a calendar date") from None
        try:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        except ValueError:
            pass
        match = _TIME.match(" ".join(text.split()))
        if match is not None:
            hour, minute = int(match["h"] or 0), int(match["m"] or 0)
            limit = 12 if match["ampm"] else 23
            if hour <= limit and minute < 60:
                day = match["day"].rstrip(",")
                for fmt in self.formats:
                    try:
                        return datetime.strptime(day, fmt).date()
                    except ValueError:
                        continue
                if not self.day_first and _parses(day, _DAY_FIRST):
                    raise ValueError(
                        f"{text!r} is not a month-first date (a day-first export? pass --day-first)"
                    )
        raise ValueError(f"cannot read {text!r} as a date (expected {DATE_FORMATS_HELP})")


def _parses(text: str, formats: Sequence[str]) -> bool:
    for fmt in formats:
        try:
            datetime.strptime(text, fmt)
        except ValueError:
            continue
        return True
    return False


def parse_iso_option(value: str | None, option: str) -> date | None:
    """A date option (`--as-of`) in any format DateParser reads."""
    if value is None:
        return None
    try:
        return DateParser()(value.strip())
    except ValueError as exc:
        raise UsageError(f"{option}: {exc}") from None
