"""A fast first pass over iCalendar text: split it into components and read plain events without icalendar.

icalendar builds a typed object for every property (~0.6 ms per event), which alone would take a year of a
busy calendar past a second. This pass unfolds the lines, cuts the VCALENDAR into its VTIMEZONEs and VEVENTs,
and notes for each event its start date, whether it recurs, its people and its RRULE UNTIL dates. Recurring
series, their moved instances and anything this pass cannot read with certainty go to icalendar and
recurring-ical-events; plain one-off events are read here. `scan` returns None for anything unusual (several
VCALENDARs, unbalanced BEGIN/END), and the caller then parses the whole file with icalendar.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

_LINE = re.compile(
    r'^([A-Za-z0-9-]+)((?:;[A-Za-z0-9-]+=(?:"[^"]*"|[^";:]*)(?:,(?:"[^"]*"|[^";:,]*))*)*):(.*)$'
)
_PARAM = re.compile(r';([A-Za-z0-9-]+)=("[^"]*"|[^;]*)')
_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DATETIME = re.compile(r"^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(Z?)$")
_UNTIL = re.compile(r"UNTIL=(\d{8})", re.IGNORECASE)
_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_ESCAPE = re.compile(r"\\([\\;,nN])")
_RECURRING = frozenset({"RRULE", "RDATE", "EXRULE", "RECURRENCE-ID"})
_COMPONENT = re.compile(r"^BEGIN:([A-Z0-9-]+)[ \t]*\n.*?^END:\1[ \t]*$", re.MULTILINE | re.DOTALL)
_VALARM = re.compile(r"^BEGIN:VALARM[ \t]*\n.*?^END:VALARM[ \t]*(?:\n|$)", re.MULTILINE | re.DOTALL)
#: The properties roleplan reads; the others are skipped.
_WANTED = (
    "SUMMARY", "DESCRIPTION", "DTSTART", "DTEND", "DURATION", "STATUS", "TRANSP",
    "X-MICROSOFT-CDO-BUSYSTATUS", "ATTENDEE", "ORGANIZER", "RRULE", "RDATE", "EXRULE", "RECURRENCE-ID",
)  # fmt: skip
_WANTED_SET = frozenset(_WANTED)
_NAME = re.compile(r"[A-Za-z0-9-]+")
_PROPERTY = re.compile(r"[A-Za-z0-9-]+[;:]")
_PEOPLE = frozenset({"ATTENDEE", "ORGANIZER"})


@dataclass(slots=True)
class Property:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Block:
    """One VEVENT as text, with what the first pass learnt about it."""

    text: str
    props: list[Property] | None  # None when a line could not be read (icalendar will)
    start: date | None = None
    start_zone: str | None = None  # TZID, "UTC" for a trailing Z, "" for floating; None without DTSTART
    recurring: bool = False
    untils: list[date] = field(default_factory=list)
    people: set[str] = field(default_factory=set)


@dataclass
class Scan:
    header: list[str]
    zones: list[str]
    events: list[Block]
    other: list[str]  # names of other components (VTODO, VJOURNAL, ...)

    def calendar_text(self, blocks: list[Block], *, zones: bool = True) -> str:
        parts = ["BEGIN:VCALENDAR", *self.header]
        if zones:
            parts += self.zones
        parts += [b.text for b in blocks]
        parts.append("END:VCALENDAR")
        return "\r\n".join(parts).replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n"


def scan(text: str) -> Scan | None:
    """Split an iCalendar text into header, time zones and events; None when its shape is unusual."""
    body = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n ", "").replace("\n\t", "").strip()
    if not body.startswith("BEGIN:VCALENDAR\n") or not body.endswith("\nEND:VCALENDAR"):
        return None
    body = body[len("BEGIN:VCALENDAR") : -len("END:VCALENDAR")]  # keeps a "\n" at either end
    begins, ends = body.count("\nBEGIN:"), body.count("\nEND:")
    lower = body.lower()
    if begins != ends or "\nBEGIN:VCALENDAR" in body or lower.count("\nbegin:") != begins:
        return None  # unbalanced, nested calendars or lower-case BEGIN/END: icalendar reads the whole file
    if lower.count("\nend:") != ends:
        return None
    body = body[1:-1]
    result = Scan(header=[], zones=[], events=[], other=[])
    position = 0
    for match in _COMPONENT.finditer(body):
        result.header += [line for line in body[position : match.start()].split("\n") if line.strip()]
        position = match.end()
        kind, content = match.group(1), match.group(0)
        if kind == "VTIMEZONE":
            result.zones.append(content)
        elif kind == "VEVENT":
            result.events.append(_block(content))
        else:
            result.other.append(kind)
    rest = body[position:]
    if "BEGIN:" in rest or "END:" in rest:
        return None
    result.header += [line for line in rest.split("\n") if line.strip()]
    return result


def _block(text: str) -> Block:
    block = Block(text=text, props=[])
    inner = text[text.index("\n") + 1 : text.rindex("\n")]
    if "\nBEGIN:" in "\n" + inner:
        inner = _VALARM.sub("", inner)
        if "\nBEGIN:" in "\n" + inner:  # another nested component: icalendar reads this event
            block.props = None
    props: list[Property] = []
    for line in inner.split("\n"):
        if not line.startswith(_WANTED):
            if not line.strip():
                continue
            if _PROPERTY.match(line) is None:  # not a content line: icalendar reports it
                block.props = None
                continue
            if not line[:1].islower() or not line.upper().startswith(_WANTED):
                continue
        name = _NAME.match(line).group(0).upper()  # type: ignore[union-attr]  # _WANTED starts with a name
        if name not in _WANTED_SET or line[len(name) : len(name) + 1] not in (";", ":"):
            continue
        if '"' in line:  # quoted parameter values may hold ':' and ';'
            parsed = _LINE.match(line)
            if parsed is None:
                block.props = None
                block.recurring = block.recurring or name in _RECURRING
                continue
            head, value = parsed.group(2), parsed.group(3)
        else:
            colon = line.find(":")
            head, value = line[len(name) : colon], line[colon + 1 :]
        params = {k.upper(): v.strip('"') for k, v in _PARAM.findall(head)} if head else {}
        props.append(Property(name, params, value))
        if name in _RECURRING:
            block.recurring = True
            if name == "RRULE":
                block.untils += [d for d in (_date_of(u) for u in _UNTIL.findall(value)) if d is not None]
        elif name == "DTSTART" and block.start_zone is None:
            block.start = _date_of(value[:8])
            if block.start is not None:
                block.start_zone = params.get("TZID", "UTC" if value.upper().endswith("Z") else "")
        elif name in _PEOPLE and params.get("CUTYPE", "").upper() not in {"ROOM", "RESOURCE"}:
            address = _MAILTO.sub("", value.strip()).lower()
            if "@" in address:
                block.people.add(address)
    if block.props is not None:
        block.props = props
    return block


def _date_of(text: str) -> date | None:
    match = _DATE.match(text)
    if match is None:
        return None
    try:
        return date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def unescape(value: str) -> str:
    """RFC 5545 TEXT: `\\n` is a newline, `\\,` `\\;` `\\\\` the character itself."""
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def date_value(value: str) -> date | datetime | None:
    """A DATE or DATE-TIME value (without its zone: the caller applies TZID or the trailing Z)."""
    text = value.strip()
    match = _DATETIME.match(text)
    try:
        if match is not None:
            y, mo, d, h, mi, s = (int(g) for g in match.groups()[:6])
            return datetime(y, mo, d, h, mi, min(s, 59))
        return _date_of(text)
    except ValueError:
        return None


_DURATION = re.compile(r"^([+-])?P(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def duration_value(value: str) -> timedelta | None:
    match = _DURATION.match(value.strip().upper())
    if match is None or value.strip().upper() in {"P", "PT", "-P", "+P"}:
        return None
    sign, weeks, days, hours, minutes, seconds = match.groups()
    delta = timedelta(
        weeks=int(weeks or 0),
        days=int(days or 0),
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds or 0),
    )
    return -delta if sign == "-" else delta
