"""Hostile inputs of issue #17, generated at any size (nothing large is stored): shared by tests/hostile/ and
bench/hostile.py. Each maker returns the file's bytes for about `size` bytes of input."""

from __future__ import annotations

import json
from collections.abc import Callable


def _repeat(unit: str, size: int, head: str = "", tail: str = "") -> bytes:
    return (head + unit * max(1, size // len(unit)) + tail).encode()


def md_heading_spaces(size: int) -> bytes:
    return _repeat(" ", size, "# a", "b\n")


def md_brackets(size: int) -> bytes:
    return _repeat("[", size, "", "\n")


def md_bold_runs(size: int) -> bytes:
    return _repeat("**a ", size, "", "\n")


def md_link_opens(size: int) -> bytes:
    return _repeat("[a](", size, "", "\n")


def html_open_tags(size: int) -> bytes:
    return _repeat("<a ", size, "<p>x</p>")


def html_open_quotes(size: int) -> bytes:
    return _repeat('<a "', size, "<p>x</p>")


def html_comments(size: int) -> bytes:
    return _repeat("<!--", size, "<p>x</p>")


def html_deep_nesting(size: int) -> bytes:
    return _repeat("<div>", size, "<p>x</p>")


def text_script_opens(size: int) -> bytes:
    return _repeat("<script ", size, "Run demos. ")


def text_style_and_tags(size: int) -> bytes:
    return _repeat("<style <b ", size, "Run demos. ")


def text_entities(size: int) -> bytes:
    return _repeat("&#x", size, "Run demos &amp; ")


def jsonl_batch(size: int = 0, records: int = 5000) -> bytes:
    """An ordinary batch, long enough that its output outlasts a closed pipe or a full disk."""
    return "".join(
        json.dumps({"id": str(i), "text": "Run demos for prospects."}) + "\n" for i in range(records)
    ).encode()


def csv_unterminated_quote(size: int = 0) -> bytes:
    """Record 2's quote never closes: csv would merge every row after it into its text."""
    return b'id,text\n1,Run demos\n2,"Lead POCs\n3,Plan migrations\n4,Go-live\n'


def starter_plan(size: int = 0) -> bytes:
    from roleplan.loaders.plan import starter_text

    return starter_text().encode()


def plan_of_many_quarters(size: int = 1_000_000) -> bytes:
    """A plan whose one team lists a quarter per ~32 bytes of `size`."""
    head = starter_plan().decode().split("teams:")[0]
    rows = "".join(
        f"      {2027 + i // 4}-Q{i % 4 + 1}: {{aes: 6, ses: 2}}\n" for i in range(max(1, size // 32))
    )
    return (head + "teams:\n  - segment: mid-market\n    quarters:\n" + rows).encode()


def jsonl_one_hostile_record(size: int, records: int = 1000) -> bytes:
    """`records` ordinary postings and one hostile HTML record of `size` bytes in the middle."""
    lines = [
        json.dumps({"id": str(i), "text": "<p>Run discovery and demos for prospects.</p>"})
        for i in range(records)
    ]
    lines[records // 2] = json.dumps({"id": "hostile", "text": html_open_tags(size).decode()})
    return ("\n".join(lines) + "\n").encode()


#: (name, file name, maker): every text-reducer row of #17's table.
TEXT_CASES: list[tuple[str, str, Callable[[int], bytes]]] = [
    ("markdown heading + spaces", "h.md", md_heading_spaces),
    ("markdown [ x n", "b.md", md_brackets),
    ("markdown **a x n", "s.md", md_bold_runs),
    ("markdown [a]( x n", "l.md", md_link_opens),
    ("html <a x n", "a.html", html_open_tags),
    ('html <a " x n', "q.html", html_open_quotes),
    ("html <!-- x n", "c.html", html_comments),
    ("html <div> x n (deep)", "d.html", html_deep_nesting),
    ("text <script x n", "s.txt", text_script_opens),
    ("text <style <b x n", "t.txt", text_style_and_tags),
    ("text &#x x n", "e.txt", text_entities),
]


def _ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}END:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//roleplan hostile//EN\r\n{body}END:VCALENDAR\r\n".encode()


_ONE_OFF = "UID:ok\r\nSUMMARY:Product demo\r\nDTSTART:20260302T150000Z\r\nDTEND:20260302T160000Z\r\n"


def ics_interval_zero(size: int = 0) -> bytes:
    """A daily rule that cannot advance, beside an ordinary event (dateutil loops forever on it)."""
    rule = "UID:stuck\r\nSUMMARY:Stuck\r\nDTSTART:20260301T090000Z\r\nDTEND:20260301T100000Z\r\n"
    return _ics(_ONE_OFF, rule + "RRULE:FREQ=DAILY;INTERVAL=0\r\n")


def ics_hourly_interval_zero_until(size: int = 0) -> bytes:
    rule = "UID:stuck\r\nSUMMARY:Stuck\r\nDTSTART:20260301T090000Z\r\nDTEND:20260301T100000Z\r\n"
    return _ics(_ONE_OFF, rule + "RRULE:FREQ=HOURLY;INTERVAL=0;UNTIL=20260401T000000Z\r\n")


def ics_many_exdates(size: int) -> bytes:
    """A daily series with one EXDATE line per ~25 bytes of `size` (1,000,000 lines is 25 MB)."""
    head = "UID:series\r\nSUMMARY:Standup\r\nDTSTART:20260101T090000Z\r\nDTEND:20260101T091500Z\r\n"
    head += "RRULE:FREQ=DAILY\r\n"
    n = max(1, size // 25)
    exdates = "".join(f"EXDATE:{2027 + i // 365_000:04d}0101T{i % 24:02d}0000Z\r\n" for i in range(n))
    return _ics(_ONE_OFF, head + exdates)


def ics_many_exdates_on_one_line(size: int) -> bytes:
    head = "UID:series\r\nSUMMARY:Standup\r\nDTSTART:20260101T090000Z\r\nDTEND:20260101T091500Z\r\n"
    n = max(1, size // 17)
    values = ",".join("20270101T090000Z" for _ in range(n))
    return _ics(_ONE_OFF, head + "RRULE:FREQ=DAILY\r\nEXDATE:" + values + "\r\n")


#: (name, file name, maker): the calendar rows of #17's table.
CALENDAR_CASES: list[tuple[str, str, Callable[[int], bytes]]] = [
    ("ics RRULE DAILY;INTERVAL=0", "i.ics", ics_interval_zero),
    ("ics RRULE HOURLY;INTERVAL=0;UNTIL", "h.ics", ics_hourly_interval_zero_until),
    ("ics EXDATE lines x n", "x.ics", ics_many_exdates),
    ("ics EXDATE values on one line x n", "y.ics", ics_many_exdates_on_one_line),
]


def _zone(tzid: str, rule: str, start: str = "16010101T020000", extra: str = "") -> str:
    """A VTIMEZONE whose STANDARD and DAYLIGHT parts both follow `rule` (an RRULE line, or none)."""
    parts = "".join(
        f"BEGIN:{kind}\r\nDTSTART:{start}\r\n{rule}{extra}TZOFFSETFROM:{a}\r\nTZOFFSETTO:{b}\r\nEND:{kind}\r\n"
        for kind, a, b in (("STANDARD", "-0400", "-0500"), ("DAYLIGHT", "-0500", "-0400"))
    )
    return f"BEGIN:VTIMEZONE\r\nTZID:{tzid}\r\n{parts}END:VTIMEZONE\r\n"


def _zoned_calendar(*zones: str, tzid: str = "Custom") -> bytes:
    event = (
        f"BEGIN:VEVENT\r\nUID:zoned\r\nSUMMARY:Discovery call\r\nDTSTART;TZID={tzid}:20260303T100000\r\n"
        f"DTEND;TZID={tzid}:20260303T110000\r\nEND:VEVENT\r\n"
    )
    cal = _ics(_ONE_OFF).decode()
    return cal.replace("BEGIN:VEVENT", "".join(zones) + event + "BEGIN:VEVENT", 1).encode()


def zone_interval_zero(size: int = 0) -> bytes:
    """A VTIMEZONE rule that cannot advance: dateutil loops forever at the first UTC-offset lookup."""
    return _zoned_calendar(_zone("Custom", "RRULE:FREQ=YEARLY;INTERVAL=0\r\n"))


def zone_secondly(size: int = 0) -> bytes:
    """A VTIMEZONE rule stepping every second since 1601 (hours per lookup), under a Windows zone name."""
    return _zoned_calendar(
        _zone("Eastern Standard Time", "RRULE:FREQ=SECONDLY\r\n"), tzid="Eastern Standard Time"
    )


def zone_many_rdates(size: int) -> bytes:
    """A VTIMEZONE listing one RDATE per ~25 bytes of `size` in each of its parts."""
    n = max(1, size // 50)
    rdates = "".join(f"RDATE:{1700 + i // 365:04d}0101T020000\r\n" for i in range(n))
    return _zoned_calendar(_zone("Custom", "", extra=rdates))


def zone_many_unused(size: int) -> bytes:
    """~`size` bytes of ordinary VTIMEZONEs (yearly rules from 1601, as Outlook writes), one of them used."""
    one = _zone("Z0", "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\r\n")
    zones = [one.replace("Z0", f"Z{i}") for i in range(max(1, size // len(one)))]
    return _zoned_calendar(*zones, tzid="Z1" if len(zones) > 1 else "Z0")


#: (name, file name, maker, note or None): VTIMEZONEs an invite's sender chooses.
ZONE_CASES: list[tuple[str, str, Callable[[int], bytes], str | None]] = [
    ("ics VTIMEZONE RRULE INTERVAL=0", "zi.ics", zone_interval_zero, "RRULE INTERVAL=0 cannot advance"),
    ("ics VTIMEZONE RRULE SECONDLY", "zs.ics", zone_secondly, "steps (the budget is 10,000)"),
    ("ics VTIMEZONE RDATE lines x n", "zr.ics", zone_many_rdates, "RDATE/EXDATE dates (more than 2,000)"),
    ("ics VTIMEZONEs x n, one used", "zm.ics", zone_many_unused, None),
]
