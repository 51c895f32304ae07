"""Whose calendar it is, who is outside the owner's company, and where the file ends. Pure: no I/O.

The owner (whose declines are left out and whose domain tells colleagues from customers) is `--me`, else a
calendar name that is an email address (Google names a primary calendar after its account), else the
address that is organizer or attendee of more events than any other, provided it is on at least half of
the events that list people. The anchor (the default window ends there) is the latest start, or the end of
a series at most a year after it (an RRULE UNTIL=2099 is no anchor).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, timedelta

#: Calendar-system addresses that are neither colleagues nor customers.
SYSTEM_DOMAINS = ("calendar.google.com", "resource.calendar", "group.calendar")
EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
#: The default window never ends more than this after the latest start.
ANCHOR_SLACK = timedelta(days=366)


def address(value: str) -> str:
    """An attendee or organizer value as a bare, lower-case address (`mailto:` dropped)."""
    return value.strip().lower().removeprefix("mailto:")


def has_external(people: Iterable[str], owner: str) -> bool:
    """Whether someone outside the owner's domain (and not a calendar-system address) is invited."""
    domain = owner.rpartition("@")[2]
    for person in people:
        other = person.rpartition("@")[2]
        if other and other != domain and not any(s in other for s in SYSTEM_DOMAINS):
            return True
    return False


def infer_owner(
    me: str | None, calendar_name: str, people_per_event: Iterable[set[str]]
) -> tuple[str | None, str | None]:
    """(owner address, how it was found: "--me", "X-WR-CALNAME" or "attendees"), or (None, None)."""
    if me:
        return address(me), "--me"
    name = calendar_name.strip().lower()
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


def pick_anchor(starts: list[date], series_ends: Iterable[date]) -> date | None:
    """The last event of the file: the latest start, or the end of a series at most a year after it."""
    if not starts:
        return None
    latest = max(starts)
    limit = latest + ANCHOR_SLACK if latest < date(9000, 1, 1) else latest
    return max([latest, *(d for d in series_ends if d <= limit)])
