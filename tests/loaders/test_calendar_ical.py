"""loaders.calendar_ical against icalendar itself: the same VEVENTs, the same values for every property
roleplan reads, the same instants for every time; the dropped parts dropped; a VTIMEZONE swapped for the
tz database's zone only where the two agree."""

import warnings
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roleplan.loaders.calendar_ical import parse

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "calendar"
# What loaders/calendar.py, calendar_rules.py and recurring-ical-events read of a VEVENT (written out here, not
# imported, so that a name missing from calendar_ical.READ fails these tests).
READ = {
    "UID", "DTSTART", "DTEND", "DURATION", "RRULE", "RDATE", "EXDATE", "RECURRENCE-ID", "SEQUENCE", "SUMMARY",
    "DESCRIPTION", "STATUS", "TRANSP", "X-MICROSOFT-CDO-BUSYSTATUS", "ATTENDEE", "ORGANIZER",
}  # fmt: skip


def _outlook_zone(tzid: str, standard: str, daylight: str) -> str:
    """A VTIMEZONE as Outlook writes one: today's rules from 1601, offsets of US Eastern time."""
    parts = [("STANDARD", "-0400", "-0500", standard), ("DAYLIGHT", "-0500", "-0400", daylight)]
    lines = ["BEGIN:VTIMEZONE", f"TZID:{tzid}"]
    for kind, offset_from, offset_to, rule in parts:
        lines += [f"BEGIN:{kind}", "DTSTART:16010101T020000", f"TZOFFSETFROM:{offset_from}"]
        lines += [f"TZOFFSETTO:{offset_to}", f"RRULE:FREQ=YEARLY;INTERVAL=1;{rule}", f"END:{kind}"]
    return "\r\n".join([*lines, "END:VTIMEZONE"])


OUTLOOK_EASTERN = _outlook_zone("Eastern Standard Time", "BYDAY=1SU;BYMONTH=11", "BYDAY=2SU;BYMONTH=3")
# Named like a Windows zone but with Europe's switch dates: it must keep its own rules.
MISLABELLED = _outlook_zone("US Mountain Standard Time", "BYDAY=-1SU;BYMONTH=10", "BYDAY=2SU;BYMONTH=3")


def _calendar(*blocks: str) -> str:
    return (
        "\r\n".join(["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//test//EN", *blocks, "END:VCALENDAR"])
        + "\r\n"
    )


def _value(value: Any) -> Any:
    """A property value as roleplan sees it: times as (wall clock, UTC offset), the rest as iCalendar text."""
    if isinstance(value, icalendar.prop.vBroken):  # kept as text, raises on .dt
        return ("broken", value.to_ical())
    inner = getattr(value, "dt", None)
    if isinstance(inner, datetime):
        return ("datetime", inner.replace(tzinfo=None), inner.utcoffset())
    if isinstance(inner, date):
        return ("date", inner)
    if isinstance(value, icalendar.prop.vDDDLists):
        return ("list", tuple(_value(d) for d in value.dts))
    return ("text", value.to_ical(), tuple(sorted(getattr(value, "params", {}).items())))


def _readable(calendars: list[Any]) -> list[dict[str, list[Any]]]:
    out = []
    for cal in calendars:
        for event in cal.walk("VEVENT"):
            props: dict[str, list[Any]] = {}
            for name, value in event.property_items(recursive=False):
                if name in READ:
                    props.setdefault(name, []).append(_value(value))
            out.append(props)
    return out


def _both(text: str) -> tuple[list[Any], list[Any]]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return icalendar.Calendar.from_ical(text, multiple=True), parse(text)


def test_fixtures_read_alike() -> None:
    for path in sorted(FIXTURES.glob("*.ics")):
        text = path.read_text(encoding="utf-8")
        try:
            theirs, ours = _both(text)
        except ValueError:
            continue  # malformed fixtures: both refuse them (tests/cli/test_calendar.py)
        assert _readable(ours) == _readable(theirs), path.name


def test_unread_parts_are_dropped_and_repeated_lines_kept() -> None:
    event = [
        "BEGIN:VEVENT",
        "UID:a@x",
        "DTSTART:20260302T090000Z",
        "DTEND:20260302T100000Z",
        "SUMMARY:Demo",
        "LOCATION:Room 1",
        "X-ALT-DESC;FMTTYPE=text/html:<p>Demo</p>",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@x.example",
        "ATTENDEE;PARTSTAT=ACCEPTED:mailto:a@x.example",
        "BEGIN:VALARM",
        "TRIGGER:-PT10M",
        "ACTION:DISPLAY",
        "END:VALARM",
        "END:VEVENT",
    ]
    second = [line.replace("UID:a@x", "UID:b@x") for line in event]
    theirs, ours = _both(_calendar(*event, *second))
    assert _readable(ours) == _readable(theirs)
    for got in ours[0].walk("VEVENT"):
        assert "LOCATION" not in got and "X-ALT-DESC" not in got and not got.subcomponents
        assert len(got["ATTENDEE"]) == 2
        assert got["ATTENDEE"][0].params["PARTSTAT"] == "ACCEPTED"
    assert len(ours[0].walk("VEVENT")) == 2


def test_an_unterminated_alarm_ends_with_its_event() -> None:
    text = _calendar(
        "BEGIN:VEVENT", "UID:a", "DTSTART:20260302T090000Z", "BEGIN:VALARM", "TRIGGER:-PT5M", "END:VEVENT",
        "BEGIN:VEVENT", "UID:b", "DTSTART:20260303T090000Z", "END:VEVENT",
    )  # fmt: skip
    events = parse(text)[0].walk("VEVENT")
    assert [str(e["UID"]) for e in events] == ["a", "b"]


def test_outlook_zone_read_as_the_tz_database_zone() -> None:
    event = "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Eastern Standard Time:20260705T090000\r\nEND:VEVENT"
    theirs, ours = _both(_calendar(OUTLOOK_EASTERN, event))
    start = ours[0].walk("VEVENT")[0]["DTSTART"]
    assert start.dt.tzinfo == ZoneInfo("America/New_York")
    assert start.params["TZID"] == "Eastern Standard Time"
    assert _readable(ours) == _readable(theirs)


def test_a_zone_that_disagrees_keeps_its_own_rules() -> None:
    event = "BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=US Mountain Standard Time:20261030T090000\r\nEND:VEVENT"
    theirs, ours = _both(_calendar(MISLABELLED, event))
    start = ours[0].walk("VEVENT")[0]["DTSTART"].dt
    assert not isinstance(start.tzinfo, ZoneInfo)
    assert start.utcoffset() == timedelta(
        hours=-5
    )  # its own rule: standard time from the last Sunday of October
    assert _readable(ours) == _readable(theirs)


_lines = st.sampled_from(
    [
        "SUMMARY:Discovery call",
        "SUMMARY:Architecture review",
        "DESCRIPTION:Agenda\\, then demo\\nJoin: https://meet.example.com/x",
        "DTSTART;TZID=Eastern Standard Time:20260302T090000",
        "DTSTART;TZID=Eastern Standard Time:20261101T013000",
        "DTSTART:20260302T140000Z",
        "DTSTART;VALUE=DATE:20260302",
        "DTEND;TZID=Eastern Standard Time:20260302T100000",
        "DURATION:PT45M",
        "RRULE:FREQ=WEEKLY;COUNT=5",
        "EXDATE;TZID=Eastern Standard Time:20260309T090000,20260316T090000",
        "RECURRENCE-ID;TZID=Eastern Standard Time:20260309T090000",
        "STATUS:CANCELLED",
        "TRANSP:TRANSPARENT",
        'ATTENDEE;CN="Sam; Ops";PARTSTAT=DECLINED:mailto:sam@acme.io',
        "ORGANIZER;CN=Lee:mailto:lee@customer.example",
        "LOCATION:Room 4",
        "DTSTAMP:20260101T000000Z",
        "X-MICROSOFT-CDO-BUSYSTATUS:FREE",
        "DTSTART:not a time",
        "BEGIN:VALARM\r\nTRIGGER:-PT10M\r\nACTION:DISPLAY\r\nEND:VALARM",
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(_lines, max_size=8), min_size=1, max_size=6))
def test_generated_events_read_alike(events: list[list[str]]) -> None:
    blocks = [OUTLOOK_EASTERN]
    for n, lines in enumerate(events):
        blocks += ["BEGIN:VEVENT", f"UID:e{n % 3}@test", *lines, "END:VEVENT"]
    theirs, ours = _both(_calendar(*blocks))
    assert _readable(ours) == _readable(theirs)
