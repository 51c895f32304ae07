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
#: The properties roleplan reads; the others are skipped.
_WANTED = (
    "SUMMARY", "DESCRIPTION", "DTSTART", "DTEND", "DURATION", "STATUS", "TRANSP",
    "X-MICROSOFT-CDO-BUSYSTATUS", "ATTENDEE", "ORGANIZER", "RRULE", "RDATE", "EXRULE", "RECURRENCE-ID",
)  # fmt: skip
_TOKENS = re.compile(r"\n(?:(BEGIN|END):([A-Z0-9-]+)[ \t]*|(" + "|".join(_WANTED) + r")([;:][^\n]*))(?=\n)")
#: A line that is not `NAME;params:value` with an upper-case name (blank lines aside).
_ODD_LINE = re.compile(r"\n(?![A-Z0-9-]+[;:])[^\n]*[^\s][^\n]*")
_PEOPLE = frozenset({"ATTENDEE", "ORGANIZER"})
_VALUE_ONLY = frozenset(
    {"SUMMARY", "DESCRIPTION", "STATUS", "TRANSP", "X-MICROSOFT-CDO-BUSYSTATUS", "DURATION"}
)


@dataclass(slots=True)
class Property:
    name: str
    params: dict[str, str]
    value: str


@dataclass
class Block:
    """One VEVENT as text, with what the first pass learnt about it.

    Only what every event needs is read during the pass (start, recurrence); the other properties are kept
    as raw `(name, rest of line)` pairs and parsed on demand, for the events near the window.
    """

    text: str = ""
    raw: list[tuple[str, str]] = field(default_factory=list)
    nested: bool = False  # holds a component other than VALARM: icalendar reads it
    start: date | None = None
    start_zone: str | None = None  # TZID, "UTC" for a trailing Z, "" for floating; None without DTSTART
    recurring: bool = False
    untils: list[date] = field(default_factory=list)

    def properties(self) -> list[Property] | None:
        """The properties roleplan reads, or None when a line cannot be read for certain."""
        out: list[Property] = []
        for name, rest in self.raw:
            found = _split(name, rest)
            if found is None:
                return None
            out.append(found)
        return out

    def people(self) -> set[str]:
        """Addresses of the organizer and attendees (rooms and resources left out)."""
        found: set[str] = set()
        for name, rest in self.raw:
            if name in _PEOPLE:
                prop = _split(name, rest)
                if prop is None or prop.params.get("CUTYPE", "").upper() in {"ROOM", "RESOURCE"}:
                    continue
                address = _MAILTO.sub("", prop.value.strip()).lower()
                if "@" in address:
                    found.add(address)
        return found


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
    """Split an iCalendar text into header, time zones and events; None when its shape is unusual.

    One regular expression walks the whole text and stops only at BEGIN/END lines and the properties
    roleplan reads; everything else is skipped at C speed (a Python loop over every line costs ~5x more).
    """
    body = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n ", "").replace("\n\t", "").strip()
    if not body.startswith("BEGIN:VCALENDAR\n") or not body.endswith("\nEND:VCALENDAR"):
        return None
    body = body[len("BEGIN:VCALENDAR") : -len("END:VCALENDAR")]  # keeps a "\n" at either end
    # lower-case names, stray text lines, nested calendars: icalendar reads the whole file instead
    if _ODD_LINE.search(body) or "\nBEGIN:VCALENDAR" in body:
        return None
    result = Scan(header=[], zones=[], events=[], other=[])
    depth = 0
    kind = ""
    begin = last = 0
    block: Block | None = None
    for match in _TOKENS.finditer(body):
        edge, component, name, rest = match.groups()
        if edge == "BEGIN":
            depth += 1
            if depth == 1:
                result.header += [line for line in body[last : match.start()].split("\n") if line.strip()]
                kind, begin = component, match.start() + 1
                block = Block() if kind == "VEVENT" else None
            elif block is not None and component != "VALARM":
                block.nested = True
        elif edge == "END":
            depth -= 1
            if depth < 0:
                return None
            if depth == 0:
                if component != kind:
                    return None
                content = body[begin : match.end()]
                if block is not None:
                    block.text = content
                    result.events.append(block)
                elif kind == "VTIMEZONE":
                    result.zones.append(content)
                else:
                    result.other.append(kind)
                block, last = None, match.end()
        elif depth == 1 and block is not None:
            _property(block, name, rest)
    if depth != 0:
        return None
    result.header += [line for line in body[last:].split("\n") if line.strip()]
    return result


def _property(block: Block, name: str, rest: str) -> None:
    block.raw.append((name, rest))
    if name == "DTSTART":
        if block.start_zone is None:
            prop = _split(name, rest)
            block.start = _date_of(prop.value[:8]) if prop is not None else None
            if prop is not None and block.start is not None:
                block.start_zone = prop.params.get("TZID", "UTC" if prop.value.upper().endswith("Z") else "")
    elif name in _RECURRING:
        block.recurring = True
        if name == "RRULE":
            block.untils += [d for d in (_date_of(u) for u in _UNTIL.findall(rest)) if d is not None]


def _split(name: str, rest: str) -> Property | None:
    if name in _VALUE_ONLY and rest[:1] == ":":  # no parameters: the common case, kept cheap
        return Property(name, {}, rest[1:])
    if '"' in rest:  # quoted parameter values may hold ':' and ';'
        parsed = _LINE.match(name + rest)
        if parsed is None:
            return None
        head, value = parsed.group(2), parsed.group(3)
    else:
        colon = rest.find(":")
        head, value = rest[:colon], rest[colon + 1 :]
    params = {k.upper(): v.strip('"') for k, v in _PARAM.findall(head)} if head else {}
    return Property(name, params, value)


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
    if "\\" not in value:
        return value
    return _ESCAPE.sub(lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def date_value(value: str) -> date | datetime | None:
    """A DATE or DATE-TIME value (without its zone: the caller applies TZID or the trailing Z)."""
    text = value.strip()
    if _DATETIME.match(text) is None:
        return _date_of(text)
    try:  # fixed positions: YYYYMMDDTHHMMSS[Z]
        return datetime(
            int(text[0:4]),
            int(text[4:6]),
            int(text[6:8]),
            int(text[9:11]),
            int(text[11:13]),
            min(int(text[13:15]), 59),
        )
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
