"""Which recurring series can be expanded in bounded time, decided before dateutil is asked.

dateutil walks a rule step by step from its DTSTART and cannot be interrupted: a rule that cannot advance
(INTERVAL=0) loops forever, one that never matches (FREQ=DAILY;BYMONTH=2;BYMONTHDAY=30) walks to the year
9999, FREQ=SECONDLY since 1970 takes minutes. Outside senders can put such a rule in a calendar through a
meeting invite, so each series gets a step budget and a series over it is left out with a note. EXDATE and
RDATE lists are bounded the same way, before icalendar builds an object per date.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

#: Rule steps dateutil may walk for one series (from its DTSTART to the window's end) before it is skipped.
MAX_RULE_STEPS = 60_000
#: EXDATE plus RDATE dates one series may list (a daily series' exceptions for years are a few hundred).
MAX_LISTED_DATES = 2_000
#: An RRULE with a COUNT up to this is walked to find the last event of the file.
MAX_COUNT_FOR_ANCHOR = 5000
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


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def _naive(value: date) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return datetime(value.year, value.month, value.day)


def series_problem(event: Any, start: date | None, until: datetime) -> str | None:
    """Why the event's recurrence cannot be expanded up to `until` in bounded time, or None when it can."""
    rules = as_list(event.get("RRULE"))
    if not rules:
        return None
    if start is None:
        return "a recurring event without a readable start (DTSTART)"
    for rule in rules:
        freq = str((rule.get("FREQ") or [""])[0]).upper()
        if freq not in _FREQ_SECONDS:
            return f"RRULE FREQ={freq or '(none)'} is not a frequency"
        for interval in rule.get("INTERVAL") or []:
            try:
                if int(interval) < 1:
                    return f"RRULE INTERVAL={interval} cannot advance"
            except (TypeError, ValueError):
                return f"RRULE INTERVAL={interval} is not a number"
    try:
        steps = rule_steps(rules, _naive(start), until)
    except (TypeError, ValueError, OverflowError):
        return "an RRULE that cannot be read"
    if steps > MAX_RULE_STEPS:
        return (
            f"its RRULE needs about {steps:,.0f} steps to reach the window (the budget is {MAX_RULE_STEPS:,})"
        )
    return None


def rule_steps(rules: list[Any], start: datetime, until: datetime) -> float:
    """Rough count of the rule steps dateutil walks from `start` to `until`."""
    steps = 0.0
    for rule in rules:
        stop = until
        for end in rule.get("UNTIL") or []:
            stop = min(stop, _naive(end))
        satisfiable = _satisfiable(rule)
        if not satisfiable:  # dateutil may walk to the year 9999 looking for a match
            stop = datetime(9999, 12, 31)
        span = (stop - start).total_seconds()
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


def counted_end(rule: Any, start: date) -> date | None:
    """The last instance of an RRULE bounded by a small COUNT (a daily or coarser rule that surely matches)."""
    counts = rule.get("COUNT") or []
    freq = str((rule.get("FREQ") or [""])[0]).upper()
    if not counts or int(counts[0]) > MAX_COUNT_FOR_ANCHOR:
        return None
    if freq not in {"DAILY", "WEEKLY", "MONTHLY", "YEARLY"} or not _satisfiable(rule):
        return None
    if any(int(i) < 1 for i in rule.get("INTERVAL") or []):
        return None
    from dateutil.rrule import rrulestr  # type: ignore[import-untyped]

    instances = list(rrulestr(rule.to_ical().decode(), dtstart=_naive(start)))
    return instances[-1] if instances else None


def _satisfiable(rule: Any) -> bool:
    """Whether the rule's BY parts surely match now and then (BYDAY, BYMONTH, times, month days up to 28)."""
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


# --- EXDATE / RDATE lists, bounded before icalendar reads them ---------------------------------------

_LISTED = re.compile(r"^(?:EXDATE|RDATE)[;:]", re.I | re.M)
_BEGIN = re.compile(r"^BEGIN:VEVENT", re.I | re.M)
_END = re.compile(r"^END:VEVENT", re.I | re.M)


def drop_long_lists(text: str) -> tuple[str, list[str]]:
    """The calendar text without the events that list more than MAX_LISTED_DATES EXDATE/RDATE dates.

    Each event is looked at once, in place (C regex scans and str.count between two offsets: no copy of the
    text, no object per date), and a text with nothing to drop is returned as it is.
    """
    out: list[str] = []
    notes: list[str] = []
    pos = 0
    search = 0
    while True:
        opened = _BEGIN.search(text, search)
        if opened is None:
            break
        begin = opened.start()
        closed = _END.search(text, opened.end())
        end = len(text) if closed is None else closed.end()
        search = end
        dates = _listed_dates(text, begin, end)
        if dates > MAX_LISTED_DATES:
            out.append(text[pos:begin])
            notes.append(
                f"a recurring event listing {dates:,} EXDATE/RDATE dates (more than {MAX_LISTED_DATES:,}) "
                "was left out"
            )
            pos = end
    if not notes:
        return text, []
    out.append(text[pos:])
    return "".join(out), notes


def _listed_dates(text: str, begin: int, end: int) -> int:
    """EXDATE/RDATE dates between two offsets: one per value, continuation lines included."""
    dates = 0
    for found in _LISTED.finditer(text, begin, end):
        stop = found.end()
        while True:  # the content line and its folded continuations (lines starting with a space or tab)
            nl = text.find("\n", stop, end)
            if nl < 0 or text[nl + 1 : nl + 2] not in (" ", "\t"):
                stop = end if nl < 0 else nl
                break
            stop = nl + 1
        dates += text.count(",", found.end(), stop) + 1
    return dates


# --- VTIMEZONEs, checked before icalendar builds a zone from them -------------------------------------------
# A VTIMEZONE's STANDARD/DAYLIGHT rules are walked by dateutil from their DTSTART at every UTC-offset lookup,
# so a rule that cannot advance (INTERVAL=0) hangs the first lookup and FREQ=SECONDLY since 1601 takes
# hours. A meeting invite carries its VTIMEZONE, so the sender chooses it.

#: Rule steps one VTIMEZONE's rules may take from their DTSTART to ZONE_HORIZON (Outlook's yearly rules
#: from 1601 take 437 each).
MAX_ZONE_STEPS = 10_000
#: How far a zone's rules are walked (icalendar expands a VTIMEZONE's transitions up to 2038).
ZONE_HORIZON = datetime(2038, 1, 1)
#: Above this many VTIMEZONEs, those no property names in a TZID= parameter are dropped unread.
MANY_ZONES = 20

_ZONE_BEGIN = re.compile(r"^BEGIN:VTIMEZONE[ \t]*\r?$", re.I | re.M)
_ZONE_END = re.compile(r"^END:VTIMEZONE[ \t]*\r?$", re.I | re.M)
_FOLD = re.compile(r"\r?\n[ \t]")
_TZID_PARAM = re.compile(r';TZID=(?:"([^"\r\n]{0,1000})"|([^;:\r\n]{0,1000}))', re.I)


def drop_bad_zones(text: str) -> tuple[str, list[str]]:
    """The calendar text without the VTIMEZONEs whose rules cannot be walked in bounded time, and, in a
    calendar of more than MANY_ZONES of them, without those no event refers to. One scan of the text (C
    regexes) when it has no VTIMEZONE; each one is looked at once."""
    first = _ZONE_BEGIN.search(text)
    if first is None:
        return text, []
    spans: list[tuple[int, int]] = []
    pos = first.start()
    while True:
        opened = _ZONE_BEGIN.search(text, pos)
        if opened is None:
            break
        closed = _ZONE_END.search(text, opened.end())
        if closed is None:  # icalendar says what is wrong with an unterminated component
            break
        spans.append((opened.start(), closed.end()))
        pos = closed.end()
    used: set[str] | None = None
    if len(spans) > MANY_ZONES:
        used = {
            (m.group(1) if m.group(1) is not None else m.group(2)).strip() for m in _TZID_PARAM.finditer(text)
        }
    out: list[str] = []
    notes: list[str] = []
    pos = 0
    for begin, end in spans:
        tzid, problem = _zone_problem(text[begin:end])
        keep = problem is None and (used is None or tzid in used)
        out.append(text[pos:end] if keep else text[pos:begin])
        if problem is not None:
            notes.append(
                f"time zone {tzid[:80]!r} left out: {problem}; times in it are read as the tz database's "
                "zone of that name, if any, else as local times"
            )
        pos = end
    out.append(text[pos:])
    return "".join(out), notes


def _zone_problem(block: str) -> tuple[str, str | None]:
    """The VTIMEZONE's TZID and why its rules cannot be walked in bounded time (None when they can)."""
    tzid = ""
    steps = 0.0
    listed = 0
    start: datetime | None = None
    rules: list[dict[str, list[str]]] = []

    def walk() -> str | None:  # the rules of the sub-component just ended
        nonlocal steps
        for rule in rules:
            freq = (rule.get("FREQ") or [""])[0]
            if freq not in _FREQ_SECONDS:
                return f"RRULE FREQ={freq or '(none)'} is not a frequency"
            for interval in rule.get("INTERVAL") or []:
                if not interval.isdigit() or int(interval) < 1:
                    return f"RRULE INTERVAL={interval} cannot advance"
        if rules:
            try:
                steps += rule_steps(rules, start or datetime(1601, 1, 1), ZONE_HORIZON)
            except (TypeError, ValueError, OverflowError):
                return "an RRULE that cannot be read"
        return None

    for line in _FOLD.sub("", block).splitlines():
        name, _, value = line.partition(":")
        key = name.split(";", 1)[0].strip().upper()
        value = value.strip()
        if key == "TZID" and not tzid:
            tzid = value
        elif key == "DTSTART":
            start = _ical_datetime(value)
        elif key == "RRULE":
            rules.append(_rule_parts(value))
        elif key in ("RDATE", "EXDATE"):
            listed += value.count(",") + 1
        elif key == "END" and value.upper() in ("STANDARD", "DAYLIGHT"):
            problem = walk()
            if problem is not None:
                return tzid, problem
            rules, start = [], None
    if listed > MAX_LISTED_DATES:
        return tzid, f"it lists {listed:,} RDATE/EXDATE dates (more than {MAX_LISTED_DATES:,})"
    if steps > MAX_ZONE_STEPS:
        return tzid, f"its rules need about {steps:,.0f} steps (the budget is {MAX_ZONE_STEPS:,})"
    return tzid, None


def _rule_parts(value: str) -> dict[str, Any]:
    """`FREQ=YEARLY;BYMONTH=3;BYDAY=2SU` as rule_steps reads an icalendar rule: name -> list of values."""
    parts: dict[str, Any] = {}
    for item in value.split(";"):
        name, _, values = item.partition("=")
        name = name.strip().upper()
        if name == "UNTIL":
            until = _ical_datetime(values.strip())
            parts[name] = [until] if until is not None else []
        elif name:
            parts[name] = [v.strip().upper() for v in values.split(",") if v.strip()]
    return parts


def _ical_datetime(value: str) -> datetime | None:
    """The date (and time) at the start of an iCalendar DATE or DATE-TIME value, or None."""
    digits = value[:8]
    if not digits.isdigit():
        return None
    try:
        return datetime(int(digits[:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None
