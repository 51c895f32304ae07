"""Read a calendar export (.ics or CSV) into `CalendarEvent`s: the only file I/O of `roleplan calendar`.

.ics files are parsed by icalendar (told what roleplan reads: calendar_ical) and their recurrences (RRULE,
RDATE, EXDATE, moved instances via RECURRENCE-ID) expanded by recurring-ical-events over the window only,
with a cap on the number of instances. A series that cannot be expanded in bounded time (see
calendar_rules) is left out with a note.
Times are converted to the calendar's own zone (X-WR-TIMEZONE, else the zone most events start in);
floating times are read as that zone. Whose calendar it is and where it ends are decided by
core.calendar_owner; CSV exports are read by calendar_csv.
"""

from __future__ import annotations

import contextlib
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from roleplan.core.calendar_owner import address, has_external, infer_owner, pick_anchor
from roleplan.errors import InputError
from roleplan.fileio import read_bytes
from roleplan.loaders.calendar_csv import parse_csv
from roleplan.loaders.calendar_rules import (
    as_list,
    counted_end,
    drop_bad_zones,
    drop_long_lists,
    series_problem,
)
from roleplan.models.calendar import CalendarEvent, Window

MAX_BYTES = 64 * 1024 * 1024
#: Instances expanded in one window before giving up (a busy year is a few thousand).
MAX_INSTANCES = 200_000


@dataclass
class ParsedCalendar:
    """A calendar file read and parsed, not yet expanded (the window may depend on `anchor`)."""

    path: str
    kind: str
    owner: str | None = None
    owner_from: str | None = None
    timezone: str | None = None
    anchor: date | None = None
    notes: list[str] = field(default_factory=list)
    _calendar: Any = None
    _home: tzinfo | None = None
    _rows: list[CalendarEvent] = field(default_factory=list)
    _people: dict[int, list[str]] = field(default_factory=dict)  # id(VEVENT) -> its attendees and organizer

    def events(self, window: Window) -> tuple[list[CalendarEvent], int]:
        """Occurrences overlapping the window (wall-clock in the calendar's zone) and how many failed."""
        begin, end = window.bounds()
        if self.kind == "csv":
            return [e for e in self._rows if e.end > begin and e.start < end], 0
        with warnings.catch_warnings():  # library warnings are not the user's concern
            warnings.simplefilter("ignore")
            return _expand(self, window)


def read_calendar(path: Path, *, me: str | None = None) -> ParsedCalendar:
    """Read and parse FILE; raise InputError (one line, with the file name) for anything unreadable."""
    raw = read_bytes(path, max_bytes=MAX_BYTES, what="calendar file")
    text, notes = _decode(raw, path)
    del raw  # up to 64 MiB: not held beside its text while the text is read
    if not text.strip():
        raise InputError("empty file", file=path)
    head = text.lstrip()[:15].upper()
    if head.startswith("BEGIN:V") and "\n" not in text:  # lines ending in CR alone (old Mac tools)
        text = text.replace("\r", "\r\n")
    if head == "BEGIN:VCALENDAR":
        parsed = _parse_ics(text, path, me)
    elif head.startswith("BEGIN:V"):  # a bare VEVENT (one event saved from a mail client): wrap it
        wrapped = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{text.strip()}\r\nEND:VCALENDAR\r\n"
        parsed = _parse_ics(wrapped, path, me)
    elif path.suffix.lower() in {".ics", ".ical", ".ifb", ".icalendar"}:
        raise InputError("not an iCalendar file (it does not start with BEGIN:VCALENDAR)", file=path, line=1)
    else:
        rows, owner = parse_csv(text, path, me)
        latest = max(e.start for e in rows).date()
        parsed = ParsedCalendar(
            path=str(path),
            kind="csv",
            owner=owner,
            owner_from="--me" if owner else None,
            anchor=latest,
            _rows=rows,
        )
    parsed.notes[:0] = notes
    return parsed


# --- bytes and text ---------------------------------------------------------------------------------------


def _decode(raw: bytes, path: Path) -> tuple[str, list[str]]:
    """UTF-8 (BOM or not), UTF-16 with a BOM (Outlook's 'Unicode' CSV); CSV in Windows-1252 with a note."""
    from roleplan.yamlio import decode_strict

    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16"), []
        except UnicodeDecodeError:
            raise InputError("not valid UTF-16 text despite its byte-order mark", file=path) from None
    looks_ics = raw.lstrip()[:15].upper() == b"BEGIN:VCALENDAR"
    try:
        return decode_strict(raw, path), []
    except InputError:
        if looks_ics or b"\x00" in raw[:8192] or path.suffix.lower() in {".ics", ".ical"}:
            raise  # iCalendar is UTF-8 by definition (RFC 5545 3.1.4); binary is binary
        if _looks_binary(raw):
            raise InputError("binary data, not a calendar export", file=path) from None
        return raw.decode("cp1252", errors="replace"), ["not UTF-8; read as Windows-1252 (Excel's default)"]


def _looks_binary(raw: bytes) -> bool:
    sample = raw[:4096]
    control = sum(1 for b in sample if b < 9 or 13 < b < 32)
    return control > len(sample) // 20


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text if len(text) <= 160 else text[:157] + "..."


# --- iCalendar --------------------------------------------------------------------------------------------


def _parse_ics(text: str, path: Path, me: str | None) -> ParsedCalendar:
    text, notes = drop_long_lists(text)
    text, zone_notes = drop_bad_zones(text)
    notes += zone_notes
    calendars = _ical(text, path)
    if not calendars:
        raise InputError("malformed iCalendar: no complete VCALENDAR (is END:VCALENDAR missing?)", file=path)
    cal = calendars[0]
    for extra in calendars[1:]:  # several VCALENDARs in one file: read them as one
        for sub in extra.subcomponents:
            cal.add_component(sub)
    try:
        events = list(cal.walk("VEVENT"))
    except Exception as exc:
        raise InputError(f"malformed iCalendar: {_one_line(exc)}", file=path) from None
    if not events:
        kinds = sorted({c.name for c in cal.subcomponents if c.name != "VTIMEZONE"})
        has = f" (it has {', '.join(kinds)})" if kinds else ""
        raise InputError(f"no events (VEVENT) in the calendar{has}", file=path)
    parsed = ParsedCalendar(path=str(path), kind="ics", _calendar=cal, notes=notes)
    parsed._home, parsed.timezone = _home_zone(cal, events)
    for event in events:  # read once: for the owner here, for each event's guests when expanding
        parsed._people[id(event)] = _emails(event.get("ATTENDEE")) + _emails(event.get("ORGANIZER"))
    people = [set(found) for found in parsed._people.values()]
    parsed.owner, parsed.owner_from = infer_owner(me, str(cal.get("X-WR-CALNAME", "") or ""), people)
    starts = [d for d in (_as_date(_dt(e.get("DTSTART")), parsed._home) for e in events) if d is not None]
    parsed.anchor = pick_anchor(starts, _series_ends(events, parsed._home))
    if parsed.anchor is None:
        raise InputError(f"none of the {len(events)} events has a readable start (DTSTART)", file=path)
    return parsed


def _ical(text: str, path: Path | str) -> list[Any]:
    from roleplan.loaders.calendar_ical import parse

    try:
        with warnings.catch_warnings():  # e.g. "guessing a globally unique TZID": not the user's concern
            warnings.simplefilter("ignore")
            return parse(text)
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError ... on malformed input
        raise InputError(f"malformed iCalendar: {_one_line(exc)}", file=path) from None


def _dt(value: Any) -> Any:
    """The date/datetime inside an icalendar property, or None."""
    if isinstance(value, list):  # a property given twice: the first one
        value = value[0] if value else None
    try:
        inner = getattr(value, "dt", value)
    except Exception:  # icalendar 7 keeps an unparsable value as a "broken" property that raises on access
        return None
    return inner if isinstance(inner, date) else None


def _home_zone(cal: Any, events: list[Any]) -> tuple[tzinfo | None, str | None]:
    name = str(cal.get("X-WR-TIMEZONE", "") or "").strip()
    if name:
        from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        for key in (name, WINDOWS_TO_OLSON.get(name, "")):  # Outlook writes Windows names
            with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
                if key:
                    return ZoneInfo(key), key
    zones: Counter[str] = Counter()
    by_name: dict[str, tzinfo] = {}
    for event in events:
        start = _dt(event.get("DTSTART"))
        if isinstance(start, datetime) and start.tzinfo is not None:
            key = str(getattr(start.tzinfo, "key", None) or start.tzname() or start.tzinfo)
            zones[key] += 1
            by_name.setdefault(key, start.tzinfo)
    if not zones:
        return None, None
    key = zones.most_common(1)[0][0]
    return by_name[key], key


def _emails(value: Any) -> list[str]:
    out = []
    for item in as_list(value):
        params = getattr(item, "params", {})
        if str(params.get("CUTYPE", "")).upper() in {"ROOM", "RESOURCE"}:
            continue
        text = address(str(item))
        if "@" in text:
            out.append(text)
    return out


def _to_home(value: datetime, home: tzinfo | None) -> datetime:
    if value.tzinfo is None or home is None:
        return value.replace(tzinfo=None)
    return value.astimezone(home).replace(tzinfo=None)


def _as_date(value: Any, home: tzinfo | None) -> date | None:
    if isinstance(value, datetime):
        try:
            return _to_home(value, home).date()
        except (OverflowError, ValueError):
            return value.date()
    return value if isinstance(value, date) else None


def _series_ends(events: list[Any], home: tzinfo | None) -> list[date]:
    """Dates of RRULE UNTILs, RDATEs and the last instance of a small COUNT: the ends of series."""
    extras: list[date] = []
    for event in events:
        start = _dt(event.get("DTSTART"))
        with contextlib.suppress(Exception):
            for rule in as_list(event.get("RRULE")):
                for until in rule.get("UNTIL", []):
                    found = _as_date(until, home)
                    if found is not None:
                        extras.append(found)
                last = counted_end(rule, start) if start is not None else None
                if last is not None:
                    extras.append(_as_date(last, home) or last)
        with contextlib.suppress(Exception):
            for rdate in as_list(event.get("RDATE")):
                for period in getattr(rdate, "dts", []):
                    value = period.dt[0] if isinstance(period.dt, tuple) else period.dt
                    found = _as_date(_dt(value), home)
                    if found is not None:
                        extras.append(found)
    return extras


# --- expansion ------------------------------------------------------------------------------------------


def _expand(parsed: ParsedCalendar, window: Window) -> tuple[list[CalendarEvent], int]:
    """Occurrences of every VEVENT in the window; series that cannot be expanded in time left out."""
    import icalendar
    import recurring_ical_events

    source = parsed._calendar
    begin, end = window.bounds()
    # a day of slack either side: zoned events are converted to the home zone and clipped by the core
    span_start, span_end = begin - timedelta(days=1), end + timedelta(days=1)
    kept = icalendar.Calendar()
    for key, value in source.items():
        kept[key] = value
    skipped_uids: set[str] = set()
    for sub in source.subcomponents:
        if sub.name == "VEVENT":
            try:
                problem = series_problem(sub, _dt(sub.get("DTSTART")), span_end)
            except Exception:
                problem = "an RRULE that cannot be read"
            if problem is not None:
                uid = str(sub.get("UID", ""))
                skipped_uids.add(uid)
                title = str(sub.get("SUMMARY", "") or "").strip() or uid or "(untitled)"
                parsed.notes.append(f"recurring event {title!r} left out: {problem}")
                continue
        kept.add_component(sub)
    uids = {str(e.get("UID", "")) for e in source.walk("VEVENT")}
    try:
        # CalendarQuery rather than `of()`: `of()` first rewrites UTC times into X-WR-TIMEZONE, which
        # costs a pass over the calendar and changes nothing here (times are converted to the home zone)
        query = recurring_ical_events.CalendarQuery(kept, skip_bad_series=True)
    except Exception as exc:
        raise InputError(f"cannot expand the calendar: {_one_line(exc)}", file=parsed.path) from None
    invalid = len(skipped_uids) + max(len(uids - skipped_uids) - len(query.series), 0)
    out: list[CalendarEvent] = []
    fields: dict[int, tuple[Any, dict[str, Any]]] = {}  # id(VEVENT) -> (it, what its occurrences share)
    for series in query.series:
        try:
            occurrences = list(_bounded(series.between(span_start, span_end), len(out), parsed.path))
        except InputError:
            raise
        except Exception:  # a series recurring-ical-events cannot expand (bad RRULE, end before start)
            invalid += 1
            continue
        for occurrence in occurrences:
            try:
                event = _occurrence(occurrence, parsed, fields)
            except Exception:
                invalid += 1
                continue
            if event.end > begin and event.start < end:
                out.append(event)
    out.sort(key=lambda e: e.start)
    return out, invalid


def _too_many(path: str) -> InputError:
    return InputError(
        f"more than {MAX_INSTANCES:,} event instances in the window; narrow it with --from/--to", file=path
    )


def _bounded(occurrences: Iterable[Any], already: int, path: str) -> Iterator[Any]:
    for n, occurrence in enumerate(occurrences, start=already + 1):
        if n > MAX_INSTANCES:
            raise _too_many(path)
        yield occurrence


def _occurrence(
    occurrence: Any, parsed: ParsedCalendar, cache: dict[int, tuple[Any, dict[str, Any]]]
) -> CalendarEvent:
    component = _source(occurrence)
    known = cache.get(id(component))
    if known is not None:
        shared = known[1]
    else:  # the component is kept in the cache with its fields, so its id is not reused while cached
        declined, external = _people(component, parsed)
        shared = {
            "title": str(component.get("SUMMARY", "") or "").strip(),
            "description": str(component.get("DESCRIPTION", "") or ""),
            "status": str(component.get("STATUS", "")),
            "transp": str(component.get("TRANSP", "")),
            "busy": str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")),
            "declined": declined,
            "external": external,
        }
        cache[id(component)] = (component, shared)
    return _make_event(occurrence.start, occurrence.end, parsed, **shared)


def _make_event(
    start: date,
    stop: Any,
    parsed: ParsedCalendar,
    *,
    title: str,
    description: str,
    status: str,
    transp: str,
    busy: str,
    declined: bool,
    external: bool,
) -> CalendarEvent:
    """Wall-clock times in the calendar's zone; an event of 24 hours or more counts as all-day."""
    if not isinstance(start, datetime):
        start_dt = datetime(start.year, start.month, start.day)
        stop_dt = datetime(*stop.timetuple()[:3]) if isinstance(stop, date) else start_dt + timedelta(days=1)
        all_day = True
    else:
        start_dt = _to_home(start, parsed._home)
        if isinstance(stop, datetime):
            if (start.tzinfo is None) == (stop.tzinfo is None):
                duration = stop - start
            else:
                duration = stop.replace(tzinfo=None) - start.replace(tzinfo=None)
        else:
            duration = timedelta(0)
        stop_dt = start_dt + max(duration, timedelta(0))
        all_day = duration >= timedelta(hours=24)
    return CalendarEvent(
        title=title,
        description=description,
        start=start_dt,
        end=stop_dt,
        all_day=all_day,
        cancelled=status.strip().upper() == "CANCELLED",
        free=transp.strip().upper() == "TRANSPARENT" or busy.strip().upper() == "FREE",
        declined=declined,
        external=external,
    )


def _source(occurrence: Any) -> Any:
    """The VEVENT an occurrence comes from. Reading it beats `as_component` (a copy per instance) ~10x; the
    attribute is recurring-ical-events' own, so fall back to the public copy if a release renames it."""
    component = getattr(getattr(occurrence, "_adapter", None), "_component", None)
    return component if component is not None else occurrence.as_component(False)


def _people(component: Any, parsed: ParsedCalendar) -> tuple[bool, bool]:
    """(the owner declined, someone outside the owner's domain is invited)."""
    owner = parsed.owner
    if owner is None:
        return False, False
    declined = False
    for attendee in as_list(component.get("ATTENDEE")):
        if address(str(attendee)) == owner:
            declined = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED"
    people = parsed._people.get(id(component))
    if people is None:  # a component made by the expansion rather than read from the file
        people = _emails(component.get("ATTENDEE")) + _emails(component.get("ORGANIZER"))
    return declined, has_external(people, owner)
