"""Calendar CSV exports: Outlook's (Subject, Start Date, Start Time, End Date, End Time, ...) and a simple
`subject,start,end[,description]`.

Outlook writes dates in the user's locale: day-first or month-first is decided once per file (a first part
above 12 anywhere means day-first). Optional columns: All day event, Show time as (0/free = free), a response
column (declined, cancelled), Description, and attendee columns (emails there tell customers from colleagues).
"""

from __future__ import annotations

import contextlib
import csv
import io
import re
from datetime import date, datetime, timedelta
from pathlib import Path

from roleplan.core.calendar_owner import EMAIL, has_external
from roleplan.errors import InputError
from roleplan.models.calendar import CalendarEvent

_OUTLOOK = ("subject", "start date", "start time", "end date", "end time")
_SUBJECT = ("subject", "title", "summary", "event", "name")
_START = ("start", "start datetime", "start_time", "starts", "begin")
_END = ("end", "end datetime", "end_time", "ends", "finish")
_DESCRIPTION = ("description", "notes", "body", "details")
_RESPONSE = ("response", "response status", "my response", "status", "meeting response")
_SHOW_AS = ("show time as", "show as", "busy status", "free/busy")
_ALL_DAY = ("all day event", "all day", "all-day", "allday")
_PEOPLE = ("required attendees", "optional attendees", "meeting organizer", "attendees", "organizer")
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%d/%m/%Y",
    "%d.%m.%Y",
    "%m/%d/%y",
    "%d/%m/%y",
    "%d.%m.%y",
    "%Y/%m/%d",
)
_TIME_FORMATS = ("%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M", "%I %p", "%I:%M:%S%p", "%I:%M%p")


def parse_csv(text: str, path: Path, me: str | None) -> tuple[list[CalendarEvent], str | None]:
    """The events of a CSV export and the owner (`--me` only: a CSV does not say whose it is)."""
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    delimiter = max((",", ";", "\t"), key=first.count)
    try:
        rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))
    except csv.Error as exc:
        raise InputError(
            f"not a calendar: unreadable CSV ({' '.join(str(exc).split())})", file=path
        ) from None
    if not rows or len(rows[0]) < 2:
        raise InputError(
            "not a calendar: expected an .ics export (BEGIN:VCALENDAR) or a CSV with a header row", file=path
        )
    header = [h.strip().strip('"').lower() for h in rows[0]]
    col = {name: i for i, name in reversed(list(enumerate(header)))}

    def find(names: tuple[str, ...]) -> int | None:
        return next((col[n] for n in names if n in col), None)

    outlook = all(n in col for n in _OUTLOOK[1:])
    subject = find(_SUBJECT)
    start_col, end_col = (col["start date"], col["end date"]) if outlook else (find(_START), find(_END))
    if subject is None or start_col is None or end_col is None:
        has = ", ".join(h or "(blank)" for h in rows[0][:20])
        raise InputError(
            "CSV needs Subject/Start Date/Start Time/End Date/End Time (Outlook) "
            "or subject,start,end columns; "
            f"it has: {has}",
            file=path,
            line=1,
        )
    owner = me.strip().lower().removeprefix("mailto:") if me else None
    reader = _CsvDates(rows[1:], start_col, end_col, col.get("start time"), col.get("end time"), outlook)
    response, show_as, all_day_col = find(_RESPONSE), find(_SHOW_AS), find(_ALL_DAY)
    description = find(_DESCRIPTION)
    people_cols = [col[n] for n in _PEOPLE if n in col]
    events: list[CalendarEvent] = []
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cell = _Cells(row)
        all_day = cell(all_day_col).lower() in {"true", "yes", "1", "y", "wahr", "vrai"}
        start, stop = reader.times(row, number, path)
        answer = cell(response).lower()
        shown = cell(show_as).lower()
        external = False
        if owner is not None and people_cols:
            external = has_external(EMAIL.findall(" ".join(cell(i) for i in people_cols).lower()), owner)
        events.append(
            CalendarEvent(
                title=cell(subject).strip(),
                description=cell(description),
                start=start,
                end=max(stop, start),
                all_day=all_day or (stop - start) >= timedelta(hours=24),
                cancelled=answer in {"cancelled", "canceled"},
                free=shown in {"0", "free"},
                declined=answer.startswith("declin"),
                external=external,
            )
        )
    if not events:
        raise InputError("no events: the CSV has a header row and nothing else", file=path)
    return events, owner


class _Cells:
    def __init__(self, row: list[str]) -> None:
        self.row = row

    def __call__(self, index: int | None) -> str:
        if index is None or index >= len(self.row):
            return ""
        return self.row[index]


class _CsvDates:
    """Dates and times of a CSV export; day-first or month-first is decided once for the whole file."""

    def __init__(
        self,
        rows: list[list[str]],
        start: int,
        end: int,
        start_time: int | None,
        end_time: int | None,
        outlook: bool,
    ) -> None:
        self.start, self.end, self.start_time, self.end_time, self.outlook = (
            start,
            end,
            start_time,
            end_time,
            outlook,
        )
        day_first = False
        for row in rows[:500]:
            for index in (start, end):
                if index < len(row):
                    parts = re.split(r"[/.]", row[index].strip().split(" ")[0])
                    if len(parts) == 3 and parts[0].isdigit() and int(parts[0]) > 12 and len(parts[0]) <= 2:
                        day_first = True
        formats = list(_DATE_FORMATS)
        if day_first:
            formats = [f for f in formats if not f.startswith("%m")]
        self.formats = tuple(formats)

    def times(self, row: list[str], number: int, path: Path) -> tuple[datetime, datetime]:
        cell = _Cells(row)
        if self.outlook:
            start = self._combine(cell(self.start), cell(self.start_time), number, path, "Start")
            end = self._combine(cell(self.end), cell(self.end_time), number, path, "End")
            return start, end
        return self._stamp(cell(self.start), number, path, "start"), self._stamp(
            cell(self.end), number, path, "end"
        )

    def _date(self, text: str, number: int, path: Path, what: str) -> date:
        value = text.strip()
        for fmt in self.formats:
            with contextlib.suppress(ValueError):
                return datetime.strptime(value, fmt).date()
        raise InputError(f"cannot read {what} date {value!r}", file=path, line=number)

    def _time(self, text: str, number: int, path: Path, what: str) -> tuple[int, int, int]:
        value = " ".join(text.strip().upper().replace(".", "").split())
        if not value:
            return 0, 0, 0
        for fmt in _TIME_FORMATS:
            with contextlib.suppress(ValueError):
                parsed = datetime.strptime(value, fmt)
                return parsed.hour, parsed.minute, parsed.second
        raise InputError(f"cannot read {what} time {text.strip()!r}", file=path, line=number)

    def _combine(self, day: str, clock: str, number: int, path: Path, what: str) -> datetime:
        found = self._date(day, number, path, what)
        return datetime(found.year, found.month, found.day, *self._time(clock, number, path, what))

    def _stamp(self, text: str, number: int, path: Path, what: str) -> datetime:
        value = text.strip()
        if not value:
            raise InputError(f"no {what} time", file=path, line=number)
        with contextlib.suppress(ValueError):
            parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            return parsed.replace(tzinfo=None) if parsed.tzinfo is None else _utc_naive(parsed)
        day, _, clock = value.partition(" ")
        return self._combine(day, clock, number, path, what)


def _utc_naive(value: datetime) -> datetime:
    """A zoned CSV time, as UTC wall-clock (a CSV names no calendar zone to convert to)."""
    from datetime import UTC

    return value.astimezone(UTC).replace(tzinfo=None)
