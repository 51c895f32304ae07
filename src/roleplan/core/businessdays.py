"""Business days on a real holiday calendar (the `holidays` package): a country's public holidays, its
subdivision's, the observed days when a holiday falls on a weekend, and the country's own weekend."""

from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from roleplan.errors import UsageError, closest, unknown_name

#: A deadline further out than this is a typo (`--within 50000`), not a playbook.
MAX_BUSINESS_DAYS = 3_650
_DAY = timedelta(days=1)


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are worked: not a weekend day (Monday = 0), not a holiday.

    Each year is looked up once, on first use: which of its days are worked and how many are worked up to
    each day, so that counting the business days between two dates years apart costs no more than two
    look-ups and a sum (a 20k-deal export with old missing documents took ~15 s day by day).
    """

    weekend: frozenset[int]
    holidays: Container[date]
    name: str = ""
    #: year -> (ordinal of 1 January, worked or not by day, business days through each day)
    _years: dict[int, tuple[int, list[bool], list[int]]] = field(
        default_factory=dict, compare=False, repr=False
    )

    def _year(self, year: int) -> tuple[int, list[bool], list[int]]:
        known = self._years.get(year)
        if known is None:
            first = date(year, 1, 1)
            size = (date(year, 12, 31) - first).days + 1
            days = [first + timedelta(days=k) for k in range(size)]
            worked = [d.weekday() not in self.weekend and d not in self.holidays for d in days]
            known = self._years[year] = (first.toordinal(), worked, list(accumulate(worked)))
        return known

    def is_business_day(self, day: date) -> bool:
        first, worked, _ = self._year(day.year)
        return worked[day.toordinal() - first]

    def worked_through(self, day: date) -> int:
        """Business days from 1 January of `day`'s year up to and including `day`."""
        first, _, through = self._year(day.year)
        return through[day.toordinal() - first]

    def worked_in(self, year: int) -> int:
        return self._year(year)[2][-1]


def work_calendar(country: str, subdivision: str | None = None) -> WorkCalendar:
    """The public-holiday calendar of `country` (ISO 3166 code, e.g. US, GB, DE) and its `subdivision`."""
    import holidays

    supported = holidays.list_supported_countries()
    code = country.strip().upper()
    if code not in supported:
        names = _country_names()
        code = names.get(_alnum(country), code)  # `Germany`, `united states` as well as DE, US
    if code not in supported:
        # ~250 codes (and their 3-letter forms) are too many for a one-line message: the closest one
        two = sorted(c for c in supported if len(c) == 2)
        near = closest(code, two) if len(code) <= 3 else None
        if near is None and names:
            by_name = closest(_alnum(country), list(names))
            near = names[by_name] if by_name is not None else None
        raise UsageError(
            f"--country: unknown country {country!r}"
            + (f"; did you mean {near!r}?" if near else "")
            + f" (an ISO 3166 code or English name of the holiday calendar's {len(two)} countries: US, GB, DE, "
            "IN, ...)"
        )
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


def _alnum(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def _country_names() -> dict[str, str]:
    """English country names (without case, spaces or punctuation) -> ISO code, from the holidays registry
    (`united_states` -> US); empty if a release of the package lays its registry out otherwise."""
    try:
        from holidays.registry import COUNTRIES
    except ImportError:  # pragma: no cover - the registry has been there since holidays 0.2x
        return {}
    out: dict[str, str] = {}
    for module, entry in COUNTRIES.items():
        if isinstance(entry, tuple) and len(entry) >= 2 and isinstance(entry[1], str):
            out[_alnum(module)] = entry[1]
            out.setdefault(_alnum(str(entry[0])), entry[1])
    return out


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
    if end <= start:
        return 0
    count = calendar.worked_through(end) - calendar.worked_through(start)
    for year in range(start.year, end.year):
        count += calendar.worked_in(year)
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
