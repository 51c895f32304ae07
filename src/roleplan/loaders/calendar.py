"""Read a calendar export (.ics or CSV) into `CalendarEvent`s: the only file I/O of `roleplan calendar`.

.ics: a fast first pass (calendar_scan) cuts the text into events and reads one-off events itself; the
header, time zones, recurring series and anything unusual go to icalendar. Recurrences (RRULE, RDATE, EXDATE,
moved instances via RECURRENCE-ID) are expanded with recurring-ical-events over the window only, with a cap on
the number of instances and a pre-check that leaves out series whose expansion alone would take minutes
(FREQ=SECONDLY since 1970). Times are converted to the calendar's own zone (X-WR-TIMEZONE, else the zone most
events start in); floating times are read as that zone.

The owner (whose declines are left out and whose domain tells colleagues from customers) is `--me`, else an
X-WR-CALNAME that is an email address (Google names a primary calendar after its account), else the address
that is organizer or attendee of more events than any other, provided it is on at least half of the events
that list people. CSV exports are read by calendar_csv.
"""

from __future__ import annotations

import contextlib
import re
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

from roleplan.errors import InputError
from roleplan.fileio import read_bytes
from roleplan.loaders.calendar_csv import EMAIL, has_external, parse_csv
from roleplan.loaders.calendar_scan import Block, Property, Scan, date_value, duration_value, scan, unescape
from roleplan.models.calendar import CalendarEvent, Window

MAX_BYTES = 64 * 1024 * 1024
#: Instances expanded in one window before giving up (a busy year is a few thousand).
MAX_INSTANCES = 200_000
#: Rule steps dateutil may walk for one series (from its DTSTART to the window's end) before it is skipped.
MAX_RULE_STEPS = 60_000
#: The default window never ends more than this after the latest DTSTART (an RRULE UNTIL=2099 is no anchor).
ANCHOR_SLACK = timedelta(days=366)
#: An RRULE with a COUNT up to this is walked to find the last event of the file.
MAX_COUNT_FOR_ANCHOR = 5000
#: One-off events starting this far outside the window are not read (only all-day blocks could reach in).
SINGLE_SLACK = timedelta(days=2)
_FREQ_SECONDS = {
    "SECONDLY": 1,
    "MINUTELY": 60,
    "HOURLY": 3600,
    "DAILY": 86400,
    "WEEKLY": 7 * 86400,
    "MONTHLY": 28 * 86400,
    "YEARLY": 365 * 86400,
}
_BY_PARTS = ("BYSECOND", "BYMINUTE", "BYHOUR", "BYDAY", "BYMONTHDAY", "BYYEARDAY", "BYWEEKNO", "BYMONTH")


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
    _scan: Scan | None = None
    _zones: dict[str, tzinfo | None] = field(default_factory=dict)

    def events(self, window: Window) -> tuple[list[CalendarEvent], int]:
        """Occurrences overlapping the window (wall-clock in the calendar's zone) and how many failed."""
        begin, end = window.bounds()
        if self.kind == "csv":
            return [e for e in self._rows if e.end > begin and e.start < end], 0
        if self._scan is None:
            return _expand(self, window, self._calendar)
        return _events_fast(self, self._scan, window)

    def zone(self, tzid: str) -> tzinfo | None:
        """The tzinfo of a TZID (IANA name, or a VTIMEZONE of the file), or None when unknown."""
        if tzid not in self._zones:
            self._zones[tzid] = _resolve_zone(self, tzid)
        return self._zones[tzid]


def read_calendar(path: Path, *, me: str | None = None, fast: bool = True) -> ParsedCalendar:
    """Read and parse FILE; raise InputError (one line, with the file name) for anything unreadable.

    `fast=False` sends every event through icalendar (the tests check both paths agree).
    """
    raw = read_bytes(path, max_bytes=MAX_BYTES, what="calendar file")
    text, notes = _decode(raw, path)
    if not text.strip():
        raise InputError("empty file", file=path)
    head = text.lstrip()[:15].upper()
    if head == "BEGIN:VCALENDAR":
        parsed = _parse_ics(text, path, me, fast)
    elif head.startswith("BEGIN:V"):  # a bare VEVENT (one event saved from a mail client): wrap it
        wrapped = f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{text.strip()}\r\nEND:VCALENDAR\r\n"
        parsed = _parse_ics(wrapped, path, me, fast)
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


def _parse_ics(text: str, path: Path, me: str | None, fast: bool = True) -> ParsedCalendar:
    found = scan(text) if fast else None
    if found is not None:
        return _parse_scanned(found, path, me)
    calendars = _ical(text, path)
    if not calendars:
        raise InputError("malformed iCalendar: no complete VCALENDAR (is END:VCALENDAR missing?)", file=path)
    cal = calendars[0]
    if len(calendars) > 1:  # several VCALENDARs in one file: read them as one
        for extra in calendars[1:]:
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
    parsed = ParsedCalendar(path=str(path), kind="ics", _calendar=cal)
    parsed._home, parsed.timezone = _home_zone(cal, events)
    people = [set(_emails(e.get("ATTENDEE"))) | set(_emails(e.get("ORGANIZER"))) for e in events]
    parsed.owner, parsed.owner_from = _owner(cal, people, me)
    starts = [d for d in (_as_date(_dt(e.get("DTSTART")), parsed._home) for e in events) if d is not None]
    parsed.anchor = _pick_anchor(starts, _anchor_extras(events, parsed._home))
    if parsed.anchor is None:
        raise InputError(f"none of the {len(events)} events has a readable start (DTSTART)", file=path)
    return parsed


def _ical(text: str, path: Path | str) -> list[Any]:
    import icalendar

    try:
        with warnings.catch_warnings():  # e.g. "guessing a globally unique TZID": not the user's concern
            warnings.simplefilter("ignore")
            return list(icalendar.Calendar.from_ical(text, multiple=True))
    except Exception as exc:  # icalendar raises ValueError, KeyError, IndexError ... on malformed input
        raise InputError(f"malformed iCalendar: {_one_line(exc)}", file=path) from None


def _parse_scanned(found: Scan, path: Path, me: str | None) -> ParsedCalendar:
    """The fast path: icalendar parses the header, the time zones and the recurring series only."""
    if not found.events:
        kinds = sorted(set(found.other))
        has = f" (it has {', '.join(kinds)})" if kinds else ""
        raise InputError(f"no events (VEVENT) in the calendar{has}", file=path)
    # A VTIMEZONE whose TZID names a known zone (IANA, or Windows like "Eastern Standard Time") is dropped:
    # the tz database is right and fast, while icalendar's tz built from a VTIMEZONE that starts in 1601
    # walks its rules from 1601 on every conversion (~0.3 ms each).
    found.zones = [z for z in found.zones if _iana(_tzid_of(z)) is None]
    core = [b for b in found.events if _needs_ical(b)]
    calendars = _ical(found.calendar_text(core), path)
    if len(calendars) != 1:
        raise InputError("malformed iCalendar: expected one VCALENDAR", file=path)
    cal = calendars[0]
    try:
        core_events = list(cal.walk("VEVENT"))
    except Exception as exc:
        raise InputError(f"malformed iCalendar: {_one_line(exc)}", file=path) from None
    parsed = ParsedCalendar(path=str(path), kind="ics", _calendar=cal, _scan=found)
    parsed._home, parsed.timezone = _scanned_zone(parsed, cal, found)
    parsed.owner, parsed.owner_from = _owner(cal, (b.people() for b in found.events), me)
    starts = [b.start for b in found.events if b.start is not None]
    starts += [
        d for d in (_as_date(_dt(e.get("DTSTART")), parsed._home) for e in core_events) if d is not None
    ]
    extras = _anchor_extras(core_events, parsed._home) + [u for b in found.events for u in b.untils]
    parsed.anchor = _pick_anchor(starts, extras)
    if parsed.anchor is None:
        raise InputError(f"none of the {len(found.events)} events has a readable start (DTSTART)", file=path)
    return parsed


def _needs_ical(block: Block) -> bool:
    return block.recurring or block.nested or block.start is None


def _scanned_zone(parsed: ParsedCalendar, cal: Any, found: Scan) -> tuple[tzinfo | None, str | None]:
    name = str(cal.get("X-WR-TIMEZONE", "") or "").strip()
    if name and parsed.zone(name) is not None:
        return parsed.zone(name), name
    zones = Counter(b.start_zone for b in found.events if b.start_zone)
    for key, _ in zones.most_common():
        zone = parsed.zone(key)
        if zone is not None:
            return zone, str(getattr(zone, "key", None) or key)
    return None, None


def _tzid_of(zone_text: str) -> str:
    match = re.search(r"^TZID[^:\r\n]*:(.*)$", zone_text, re.MULTILINE | re.IGNORECASE)
    return match.group(1).strip() if match else ""


def _iana(tzid: str) -> tzinfo | None:
    """The tz database zone a TZID names: IANA, Windows, or `/vendor/Area/City`; None when unknown."""
    from zoneinfo import ZoneInfo

    from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

    cleaned = tzid.strip().strip("/")
    parts = cleaned.split("/")
    candidates = [cleaned, WINDOWS_TO_OLSON.get(cleaned, "")]
    candidates += ["/".join(parts[i:]) for i in range(1, len(parts))] if tzid.startswith("/") else []
    for name in candidates:
        if not name or name.startswith(".") or ".." in name:
            continue
        try:
            return ZoneInfo(name)
        except Exception:  # ZoneInfoNotFoundError, ValueError for odd keys
            continue
    return None


def _resolve_zone(parsed: ParsedCalendar, tzid: str) -> tzinfo | None:
    from datetime import UTC

    if tzid == "UTC":
        return UTC
    known = _iana(tzid)
    if known is not None or parsed._scan is None:
        return known
    # a custom VTIMEZONE of the file: let icalendar build it
    probe = parsed._scan.calendar_text([])[: -len("END:VCALENDAR\r\n")]
    probe += (
        f"BEGIN:VEVENT\r\nUID:probe\r\nDTSTART;TZID={tzid}:20000101T000000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    try:
        start = _ical(probe, parsed.path)[0].walk("VEVENT")[0].get("DTSTART").dt
    except Exception:
        return None
    return start.tzinfo if isinstance(start, datetime) else None


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

        with contextlib.suppress(ZoneInfoNotFoundError, ValueError):
            return ZoneInfo(name), name
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
    items = value if isinstance(value, list) else [value]
    out = []
    for item in items:
        if item is None:
            continue
        params = getattr(item, "params", {})
        if str(params.get("CUTYPE", "")).upper() in {"ROOM", "RESOURCE"}:
            continue
        text = str(item).strip().lower().removeprefix("mailto:")
        if "@" in text:
            out.append(text)
    return out


def _owner(cal: Any, people_per_event: Iterable[set[str]], me: str | None) -> tuple[str | None, str | None]:
    if me:
        return me.strip().lower().removeprefix("mailto:"), "--me"
    name = str(cal.get("X-WR-CALNAME", "") or "").strip().lower()
    if EMAIL.fullmatch(name):
        return name, "X-WR-CALNAME"
    seen: Counter[str] = Counter()
    with_people = 0
    for people in people_per_event:
        if people:
            with_people += 1
            seen.update(people)
    ranked = seen.most_common(2)
    if not ranked:
        return None, None
    top, count = ranked[0]
    if count * 2 >= with_people and (len(ranked) == 1 or ranked[1][1] < count):
        return top, "attendees"
    return None, None


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


def _anchor_extras(events: list[Any], home: tzinfo | None) -> list[date]:
    """Dates of RRULE UNTILs, RDATEs and the last instance of a small COUNT: the ends of series."""
    extras: list[date] = []
    for event in events:
        with contextlib.suppress(Exception):
            for rule in _list(event.get("RRULE")):
                for until in rule.get("UNTIL", []):
                    found = _as_date(until, home)
                    if found is not None:
                        extras.append(found)
                last = _last_counted(event, rule)
                if last is not None:
                    extras.append(_as_date(last, home) or last)
        with contextlib.suppress(Exception):
            for rdate in _list(event.get("RDATE")):
                for period in getattr(rdate, "dts", []):
                    value = period.dt[0] if isinstance(period.dt, tuple) else period.dt
                    found = _as_date(_dt(value), home)
                    if found is not None:
                        extras.append(found)
    return extras


def _pick_anchor(starts: list[date], extras: list[date]) -> date | None:
    """The last event of the file: the latest start, or the end of a series at most a year after it."""
    if not starts:
        return None
    latest = max(starts)
    limit = latest + ANCHOR_SLACK if latest < date(9000, 1, 1) else latest
    return max([latest, *(d for d in extras if d <= limit)])


def _last_counted(event: Any, rule: Any) -> date | None:
    """The last instance of an RRULE bounded by a (small) COUNT."""
    counts = rule.get("COUNT") or []
    if not counts or int(counts[0]) > MAX_COUNT_FOR_ANCHOR or not _always_recurs(rule):
        return None
    from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

    start = _dt(event.get("DTSTART"))
    if not isinstance(start, datetime):
        start = datetime(start.year, start.month, start.day)
    instances = list(rrulestr(rule.to_ical().decode(), dtstart=start))
    return instances[-1] if instances else None


def _always_recurs(rule: Any) -> bool:
    """Whether walking COUNT instances of the rule is quick: a daily or coarser rule that always matches."""
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    return freq in {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"} and _satisfiable(rule)


def _satisfiable(rule: Any) -> bool:
    """Whether the rule's BY parts surely match now and then (BYDAY, BYMONTH, times, month days up to 28).

    dateutil walks a rule that never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) to the year 9999 before
    it gives up, whatever window it was asked about: seconds for a daily rule, forever for a per-second one.
    """
    for part, values in rule.items():
        name = str(part).upper()
        if name in {"FREQ", "COUNT", "INTERVAL", "WKST", "UNTIL", "BYDAY", "BYMONTH", "BYHOUR", "BYMINUTE"}:
            continue
        if name == "BYSECOND" and all(0 <= int(v) <= 59 for v in values):
            continue
        if name == "BYMONTHDAY" and all(1 <= abs(int(v)) <= 28 for v in values):
            continue
        if name == "BYSETPOS" and all(1 <= abs(int(v)) <= _candidates(rule) for v in values):
            continue  # "the last weekday of the month": BYDAY=MO,...,FR;BYSETPOS=-1
        return False
    return True


def _candidates(rule: Any) -> int:
    """The fewest BYDAY matches one period of the rule surely has (0 when unknown)."""
    days = [str(d) for d in rule.get("BYDAY") or []]
    if not days or any(d[:1] in "+-0123456789" for d in days):
        return 0
    per_period = {"DAILY": 1, "WEEKLY": len(days), "MONTHLY": 4 * len(days), "YEARLY": 52 * len(days)}
    return per_period.get(str((rule.get("FREQ") or [""])[0]).upper(), 0)


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _rule_steps(event: Any, until: datetime) -> float:
    """Rough count of the rule steps dateutil walks from DTSTART to `until` (0 without an RRULE)."""
    steps = 0.0
    start = _dt(event.get("DTSTART"))
    if start is None:
        return 0.0
    start_naive = (
        start.replace(tzinfo=None) if isinstance(start, datetime) else datetime(*start.timetuple()[:3])
    )
    for rule in _list(event.get("RRULE")):
        stop = until
        for end in rule.get("UNTIL") or []:
            end_naive = (
                end.replace(tzinfo=None) if isinstance(end, datetime) else datetime(*end.timetuple()[:3])
            )
            stop = min(stop, end_naive)
        satisfiable = _satisfiable(rule)
        if not satisfiable:  # dateutil may walk to the year 9999 looking for a match
            stop = datetime(9999, 12, 31)
        span = (stop - start_naive).total_seconds()
        if span <= 0:
            continue
        freq = str((rule.get("FREQ") or ["YEARLY"])[0]).upper()
        interval = max(int((rule.get("INTERVAL") or [1])[0]), 1)
        estimate = span / (_FREQ_SECONDS.get(freq, 86400) * interval)
        filters = [len(rule.get(part) or []) for part in _BY_PARTS if rule.get(part)] if satisfiable else []
        for size in filters:
            estimate *= size
        count = rule.get("COUNT") or []
        if count and satisfiable and not filters:  # with BY filters dateutil may walk far between two
            estimate = min(estimate, float(count[0]))
        steps += estimate
    return steps


def _events_fast(parsed: ParsedCalendar, found: Scan, window: Window) -> tuple[list[CalendarEvent], int]:
    """One-off events near the window read by the first pass; the rest through recurring-ical-events."""
    begin, end = window.bounds()
    low, high = window.start - SINGLE_SLACK, window.end + SINGLE_SLACK
    out: list[CalendarEvent] = []
    slow: list[Block] = []
    for block in found.events:
        if _needs_ical(block) or block.start is None or not low <= block.start <= high:
            continue
        try:
            event = _quick_event(block, parsed)
        except (ValueError, OverflowError):  # an absurd duration or date: icalendar decides
            event = None
        if event is None:
            slow.append(block)
        elif event.end > begin and event.start < end:
            out.append(event)
    calendar = parsed._calendar
    if slow:
        extra = _ical(found.calendar_text(slow), parsed.path)
        import icalendar

        calendar = icalendar.Calendar()
        for key, value in parsed._calendar.items():
            calendar[key] = value
        calendar.subcomponents = list(parsed._calendar.subcomponents)
        for cal in extra:
            for sub in cal.walk("VEVENT"):
                calendar.add_component(sub)
    expanded, invalid = _expand(parsed, window, calendar)
    out += expanded
    if len(out) > MAX_INSTANCES:
        raise _too_many(parsed.path)
    out.sort(key=lambda e: e.start)
    return out, invalid


def _quick_event(block: Block, parsed: ParsedCalendar) -> CalendarEvent | None:
    """A one-off event read from the first pass, or None when icalendar should read it."""
    props = block.properties()
    if props is None:
        return None
    first: dict[str, Property] = {}
    for prop in props:
        first.setdefault(prop.name, prop)
    start = _quick_time(first.get("DTSTART"), parsed)
    if start is None:
        return None
    stop: date | None
    if "DTEND" in first:
        stop = _quick_time(first["DTEND"], parsed)
        if stop is None or isinstance(stop, datetime) != isinstance(start, datetime):
            return None
    elif "DURATION" in first:
        length = duration_value(first["DURATION"].value)
        if length is None:
            return None
        stop = start + length
    else:
        stop = start if isinstance(start, datetime) else start + timedelta(days=1)
    declined = external = False
    if parsed.owner is not None:
        people: list[str] = []
        for prop in props:
            if prop.name not in ("ATTENDEE", "ORGANIZER"):
                continue
            address = prop.value.strip().lower().removeprefix("mailto:")
            if prop.name == "ATTENDEE" and address == parsed.owner:
                declined = prop.params.get("PARTSTAT", "").upper() == "DECLINED"
            if "@" in address and prop.params.get("CUTYPE", "").upper() not in {"ROOM", "RESOURCE"}:
                people.append(address)
        external = has_external(people, parsed.owner)

    def text(name: str) -> str:
        prop = first.get(name)
        return unescape(prop.value) if prop is not None else ""

    return _make_event(
        start,
        stop,
        parsed,
        title=text("SUMMARY").strip(),
        description=text("DESCRIPTION"),
        status=text("STATUS"),
        transp=text("TRANSP"),
        busy=text("X-MICROSOFT-CDO-BUSYSTATUS"),
        declined=declined,
        external=external,
    )


def _quick_time(prop: Property | None, parsed: ParsedCalendar) -> date | None:
    if prop is None:
        return None
    value = date_value(prop.value)
    if value is None:
        return None
    if prop.params.get("VALUE", "DATE" if not isinstance(value, datetime) else "DATE-TIME").upper() not in {
        "DATE",
        "DATE-TIME",
    }:
        return None
    if not isinstance(value, datetime):
        return value
    if prop.value.strip().upper().endswith("Z"):
        return value.replace(tzinfo=parsed.zone("UTC"))
    tzid = prop.params.get("TZID")
    if tzid is None:
        return value
    zone = parsed.zone(tzid)
    return None if zone is None else value.replace(tzinfo=zone)


def _expand(parsed: ParsedCalendar, window: Window, source: Any) -> tuple[list[CalendarEvent], int]:
    """Occurrences of every VEVENT of `source` in the window (library warnings are not the user's concern)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _expand_series(parsed, window, source)


def _expand_series(parsed: ParsedCalendar, window: Window, source: Any) -> tuple[list[CalendarEvent], int]:
    import icalendar
    import recurring_ical_events

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
                steps = _rule_steps(sub, span_end) if _dt(sub.get("DTSTART")) is not None else float("inf")
            except Exception:
                steps = float("inf")
            if steps > MAX_RULE_STEPS:  # no start, or an expansion that would take minutes: left out
                skipped_uids.add(str(sub.get("UID", "")))
                continue
        kept.add_component(sub)
    uids = {str(e.get("UID", "")) for e in source.walk("VEVENT")}
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # CalendarQuery rather than `of()`: `of()` first rewrites UTC times into X-WR-TIMEZONE, which
            # costs a pass over the calendar and changes nothing here (times are converted to the home zone)
            query = recurring_ical_events.CalendarQuery(kept, skip_bad_series=True)
    except Exception as exc:
        raise InputError(f"cannot expand the calendar: {_one_line(exc)}", file=parsed.path) from None
    invalid = len(skipped_uids) + max(len(uids - skipped_uids) - len(query.series), 0)
    out: list[CalendarEvent] = []
    people_cache: dict[int, tuple[bool, bool]] = {}
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
                event = _occurrence(occurrence, parsed, people_cache)
            except Exception:
                invalid += 1
                continue
            if event is not None and event.end > begin and event.start < end:
                out.append(event)
        if len(out) > MAX_INSTANCES:
            raise _too_many(parsed.path)
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
    occurrence: Any, parsed: ParsedCalendar, cache: dict[int, tuple[bool, bool]]
) -> CalendarEvent:
    component = _source(occurrence)
    key = id(component)
    if key not in cache:
        cache[key] = _people(component, parsed.owner)
    declined, external = cache[key]
    return _make_event(
        occurrence.start,
        occurrence.end,
        parsed,
        title=str(component.get("SUMMARY", "") or "").strip(),
        description=str(component.get("DESCRIPTION", "") or ""),
        status=str(component.get("STATUS", "")),
        transp=str(component.get("TRANSP", "")),
        busy=str(component.get("X-MICROSOFT-CDO-BUSYSTATUS", "")),
        declined=declined,
        external=external,
    )


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


def _people(component: Any, owner: str | None) -> tuple[bool, bool]:
    """(the owner declined, someone outside the owner's domain is invited)."""
    if owner is None:
        return False, False
    declined = False
    for attendee in _list(component.get("ATTENDEE")):
        address = str(attendee).strip().lower().removeprefix("mailto:")
        if address == owner:
            declined = str(getattr(attendee, "params", {}).get("PARTSTAT", "")).upper() == "DECLINED"
    people = _emails(component.get("ATTENDEE")) + _emails(component.get("ORGANIZER"))
    return declined, has_external(people, owner)
