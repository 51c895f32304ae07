"""icalendar's own parser, told what roleplan reads: `parse(text)` -> the VCALENDARs in the text.

Three refinements of icalendar's `CalendarIcalParser` (its template methods), each leaving the result as
icalendar builds it for everything roleplan reads:

- In a VEVENT, only the properties roleplan or recurring-ical-events read are decoded (`READ`); the rest
  (DTSTAMP, LOCATION, X-ALT-DESC, ATTACH ...) and the event's subcomponents (VALARM) are dropped unread.
- A content line seen before is not split again: the same ORGANIZER, ATTENDEE, SUMMARY, STATUS ... recur
  across a calendar, and splitting a line is icalendar's costliest step (a Python loop per character).
- A VTIMEZONE named with a Windows zone name (Outlook: "Eastern Standard Time"), which icalendar maps to
  an IANA zone (`WINDOWS_TO_OLSON`) only when the calendar has no VTIMEZONE of that name, is read as that
  IANA zone when the two agree from `AGREE_FROM` to `AGREE_UNTIL` (either side of each of the VTIMEZONE's
  transitions and at noon UTC every week); icalendar itself reads a VTIMEZONE named with an IANA name as
  the IANA zone, unchecked. Outlook's VTIMEZONEs start their rules in 1601, and the zone icalendar builds
  from them (dateutil's tzical) walks every year since then at each UTC-offset lookup. The check costs ~45 ms
  of CPU per such VTIMEZONE (icalendar's `get_transitions` walks its rules from 1601 once).

On bench/calendar.py's busy year (2,698 VEVENTs, 1.6 MiB; an Outlook VTIMEZONE and an IANA-named one),
measured side by side (CPU time): the whole-year CLI run 3.60 s -> 1.66 s (best of 2); in process, reading
the file 2.21 s -> 0.98 s, of which icalendar's parsing 1.70 s -> 0.88 s, and expanding 1.21 s -> 0.45 s
(the zone's offsets are no longer walked from 1601 at each lookup). Every VEVENT property roleplan reads is
equal to icalendar's own result (tests/loaders/test_calendar_ical.py). Parsed components share the property
objects of identical lines: they are read, never changed.

The template methods refined here are icalendar 7's internals (`icalendar.parser.ical`, since 7.1), hence the
pin `icalendar>=7.3,<8` in pyproject.toml; the differential tests fail if a release changes what they do.
"""

import re
from bisect import bisect_right
from datetime import UTC, datetime, timedelta
from typing import Any

from icalendar import Calendar
from icalendar.parser.ical.calendar import CalendarIcalParser
from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

#: VEVENT properties read by roleplan (loaders/calendar.py, calendar_rules.py) or recurring-ical-events.
READ = frozenset(
    {
        "UID",
        "DTSTART",
        "DTEND",
        "DURATION",
        "RRULE",
        "RDATE",
        "EXDATE",
        "RECURRENCE-ID",
        "SEQUENCE",
        "SUMMARY",
        "DESCRIPTION",
        "STATUS",
        "TRANSP",
        "X-MICROSOFT-CDO-BUSYSTATUS",
        "ATTENDEE",
        "ORGANIZER",
    }
)
AGREE_FROM = 2010  # Outlook writes today's rule back to 1601; the tz database has the real history
AGREE_UNTIL = 2038  # icalendar expands an open-ended VTIMEZONE rule up to 2038

_NAME_END = re.compile(r"[;:]")


def parse(text: str) -> list[Any]:
    """The VCALENDARs in `text`, as `icalendar.Calendar.from_ical(text, multiple=True)` gives them, less
    what roleplan never reads. Raises what icalendar raises on malformed input."""
    return _Parser(text, Calendar._get_component_factory(), Calendar.types_factory).parse()


def _name(line: str) -> str:
    """A content line's name as icalendar reads it (non-strict: blanks dropped), upper-cased."""
    found = _NAME_END.search(line)
    name = line if found is None else line[: found.start()]
    return name.replace(" ", "").replace("\t", "").upper()


class _Parser(CalendarIcalParser):
    def initialize_parsing(self) -> None:
        super().initialize_parsing()  # type: ignore[no-untyped-call]
        self._content_lines_iterator = self._wanted(self._content_lines_iterator)
        self._seen: dict[str, tuple[str, tuple[Any, ...]]] = {}
        self._bounds: dict[str, tuple[str, Any, str]] = {}
        self._added: list[Any] | None = None
        self._zones: dict[str, str] = getattr(self, "_zones", {})  # kept when a forward reference re-parses

    def _wanted(self, lines: Any) -> Any:
        """The content lines less the unread properties and the subcomponents of each VEVENT."""
        in_event = False
        skipping = 0  # depth inside a subcomponent of the VEVENT being dropped
        for line in lines:
            name = _name(line)
            if name in ("BEGIN", "END"):
                value = line[line.find(":") + 1 :].strip().upper()
                if value == "VEVENT" or (skipping == 0 and not in_event):
                    skipping = 0  # END:VEVENT also ends an unterminated VALARM
                    in_event = name == "BEGIN" and value == "VEVENT"
                    yield line
                    continue
                skipping = max(skipping + (1 if name == "BEGIN" else -1), 0)
                continue
            if skipping or (in_event and name not in READ):
                continue
            yield line

    def parse_content_lines(self) -> None:
        """icalendar's loop; in a VEVENT, a line seen before adds the property values it made then."""
        seen = self._seen
        for line in self._content_lines_iterator:
            if not line:
                continue
            component: Any = self.component
            in_event = component is not None and component.name == "VEVENT"
            if in_event and line in seen:
                name, values = seen[line]
                for value in values:
                    component.add(name, value, encode=False)
                continue
            bounds = self._bounds.get(line)  # BEGIN:VEVENT, END:VEVENT ... split once
            if bounds is not None:
                name, params, vals = bounds
            else:
                try:
                    name, params, vals = line.parts()
                except ValueError as e:
                    self.handle_line_parse_error(e)
                    continue
            uname = name.upper()
            if bounds is None and uname in ("BEGIN", "END"):
                self._bounds[line] = (name, params, vals)
            if uname == "BEGIN":
                self.handle_begin_component(vals)
            elif uname == "END":
                self.handle_end_component(vals)
            elif in_event:
                self._added = []
                self.handle_property(uname, params, vals, line)
                if self._added is not None:  # None: a value could not be read (icalendar notes each error)
                    seen[line] = (uname, tuple(self._added))
                self._added = None
            else:
                self.handle_property(uname, params, vals, line)

    def parse_and_add_property(self, name: str, params: Any, val: str, tzid: str | None, line: Any) -> None:
        if tzid:
            tzid = self._zones.get(str(tzid), tzid)
        super().parse_and_add_property(name, params, val, tzid, line)
        if self._added is not None:
            stored = self.component[name]  # type: ignore[index]
            self._added.append(stored[-1] if isinstance(stored, list) else stored)

    def handle_property_parse_error(self, *args: Any, **kwargs: Any) -> None:
        self._added = None
        super().handle_property_parse_error(*args, **kwargs)

    def handle_end_component(self, vals: str) -> None:
        component = self.component
        super().handle_end_component(vals)
        if component is not None and vals.upper() == "VTIMEZONE" and "TZID" in component:
            tzid = str(component["TZID"])
            if tzid not in self._zones:
                zone = _tz_database_zone(component, tzid)
                if zone is not None:
                    self._zones[tzid] = zone


def _tz_database_zone(component: Any, tzid: str) -> str | None:
    """The IANA zone a Windows-named VTIMEZONE agrees with (see the module docstring), or None."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    key = WINDOWS_TO_OLSON.get(tzid.strip("/"))
    if key is None:
        return None
    try:
        zone = ZoneInfo(key)
        times, info = component.get_transitions()
    except (ZoneInfoNotFoundError, ValueError, KeyError, TypeError):
        return None
    if not times:
        return None

    def offset(utc: datetime) -> timedelta | None:  # the VTIMEZONE's UTC offset at a UTC instant
        at = bisect_right(times, utc) - 1
        return info[at][0] if at >= 0 else None

    def agrees(utc: datetime) -> bool:
        return offset(utc) == utc.replace(tzinfo=UTC).astimezone(zone).utcoffset()

    first, last = datetime(AGREE_FROM, 1, 1, 12), datetime(AGREE_UNTIL, 1, 1)
    instants = [t + d for t in times if first <= t < last for d in (timedelta(seconds=-1), timedelta(0))]
    week = timedelta(days=7)
    moment = first
    while moment < last:
        instants.append(moment)
        moment += week
    return key if all(agrees(u) for u in instants) else None
