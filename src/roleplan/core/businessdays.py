"""Business days on a real holiday calendar (the `holidays` package): a country's public holidays, its
subdivision's, the observed days when a holiday falls on a weekend, and the country's own weekend."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta

from roleplan.errors import UsageError, unknown_name

#: A deadline further out than this is a typo (`--within 50000`), not a playbook.
MAX_BUSINESS_DAYS = 3_650
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked: not a weekend day (Monday = 0), not a holiday."""

    weekend: frozenset[int]
    holidays: Container[date]
    name: str = ""

    def is_business_day(self, day: date) -> bool:
        return day.weekday() not in self.weekend and day not in self.holidays


def work_calendar(country: str, subdivision: str | None = None) -> WorkCalendar:
    """The public-holiday calendar of `country` (ISO 3166 code, e.g. US, GB, DE) and its `subdivision`."""
    import holidays

    supported = holidays.list_supported_countries()
    code = country.strip().upper()
    if code not in supported:
        raise UsageError("--country: " + unknown_name("country code", country, sorted(supported)))
    subdivs = list(supported[code])
    sub = subdivision.strip() if subdivision is not None else None
    if sub is not None:
        match = next((s for s in subdivs if s.upper() == sub.upper()), None)
        if match is None:
            if not subdivs:
                raise UsageError(f"--subdivision: {code} has no subdivisions in the holiday calendar")
            raise UsageError("--subdivision: " + unknown_name(f"subdivision of {code}", sub, subdivs))
        sub = match
    calendar = holidays.country_holidays(code, subdiv=sub)
    weekend = frozenset(getattr(calendar, "weekend", {5, 6}))
    return WorkCalendar(weekend=weekend, holidays=calendar, name=code + (f"-{sub}" if sub else ""))


def add_business_days(start: date, n: int, calendar: WorkCalendar) -> date:
    """The n-th business day after `start` (`start` itself is day 0, whether worked or not); n >= 0.

    Closed-Won on a Friday with 5 business days and no holiday: the next Friday.
    """
    if not 0 <= n <= MAX_BUSINESS_DAYS:
        raise ValueError(f"business days must be 0..{MAX_BUSINESS_DAYS}, got {n}")
    day = start
    while n:
        day += _DAY
        if calendar.is_business_day(day):
            n -= 1
    return day


def business_days_between(start: date, end: date, calendar: WorkCalendar) -> int:
    """Business days in (start, end]; 0 when end <= start."""
    count, day = 0, start
    while day < end:
        day += _DAY
        if calendar.is_business_day(day):
            count += 1
    return count


def business_days_late(deadline: date, done: date, calendar: WorkCalendar) -> int:
    """How many business days after `deadline` something done on `done` counts as.

    0 when on time. Work done on a weekend or holiday after the deadline counts from the next business day
    (it is received then), so a late delivery is never '0 days late'.
    """
    if done <= deadline:
        return 0
    while not calendar.is_business_day(done):
        done += _DAY
    return business_days_between(deadline, done, calendar)
