"""Business-day arithmetic against the `holidays` calendar itself: brute force over the days, by Hypothesis."""

from __future__ import annotations

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.core.businessdays import (
    WorkCalendar,
    add_business_days,
    business_days_between,
    business_days_late,
    work_calendar,
)
from roleplan.errors import UsageError

CALENDARS = {
    "US": work_calendar("US"),
    "US-CA": work_calendar("US", "CA"),
    "GB-SCT": work_calendar("GB", "SCT"),
    "IL": work_calendar("IL"),  # a Friday-Saturday weekend
}
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))
calendars = st.sampled_from(sorted(CALENDARS))


REFERENCE = {
    code: holidays.country_holidays(code.partition("-")[0], subdiv=code.partition("-")[2] or None)
    for code in CALENDARS
}


def worked(day: date, code: str) -> bool:
    """The reference: the package's own calendar and weekend, asked directly."""
    reference = REFERENCE[code]
    return day.weekday() not in reference.weekend and day not in reference


@settings(max_examples=150, deadline=None)
@given(days, st.integers(0, 25), calendars)
def test_add_business_days_counts_worked_days(start: date, n: int, code: str) -> None:
    end = add_business_days(start, n, CALENDARS[code])
    span = [start + timedelta(days=k) for k in range(1, (end - start).days + 1)]
    assert sum(worked(d, code) for d in span) == n
    if n:
        assert worked(end, code)  # the n-th business day is itself worked
    assert business_days_between(start, end, CALENDARS[code]) == n


@settings(max_examples=150, deadline=None)
@given(days, st.one_of(st.integers(0, 40), st.integers(300, 900)), calendars)
def test_between_matches_brute_force(start: date, length: int, code: str) -> None:
    end = start + timedelta(days=length)
    expected = sum(worked(start + timedelta(days=k), code) for k in range(1, length + 1))
    assert business_days_between(start, end, CALENDARS[code]) == expected
    assert business_days_between(end, start, CALENDARS[code]) == 0  # backwards counts nothing


@settings(max_examples=150, deadline=None)
@given(days, st.integers(0, 10), st.integers(-10, 30), calendars)
def test_late_is_zero_on_time_and_positive_after(start: date, n: int, offset: int, code: str) -> None:
    cal = CALENDARS[code]
    deadline = add_business_days(start, n, cal)
    done = deadline + timedelta(days=offset)
    late = business_days_late(deadline, done, cal)
    if offset <= 0:
        assert late == 0
    else:
        assert late >= 1  # even on a weekend after the deadline
        # delivered on the k-th business day after the deadline: k days late
        assert add_business_days(deadline, late, cal) >= done


def test_known_days() -> None:
    us, ca = CALENDARS["US"], CALENDARS["US-CA"]
    # Friday 16 Jan 2026, then Martin Luther King Jr. Day on Monday the 19th
    assert add_business_days(date(2026, 1, 16), 5, us) == date(2026, 1, 26)
    # 31 March is César Chávez Day in California only
    assert add_business_days(date(2026, 3, 24), 5, us) == date(2026, 3, 31)
    assert add_business_days(date(2026, 3, 24), 5, ca) == date(2026, 4, 1)
    # 4 July 2026 is a Saturday: observed on Friday the 3rd
    assert not us.is_business_day(date(2026, 7, 3))
    assert business_days_late(date(2026, 3, 27), date(2026, 3, 28), us) == 1  # a Saturday after a Friday


def test_weekend_comes_from_the_country() -> None:
    assert CALENDARS["IL"].weekend == frozenset({4, 5})
    assert isinstance(CALENDARS["US"], WorkCalendar)


@pytest.mark.parametrize(
    ("country", "sub", "hint"),
    [("XX", None, "unknown country 'XX'"), ("US", "Kalifornia", "subdivision of US"), ("US", "ny ", "")],
)
def test_calendar_names(country: str, sub: str | None, hint: str) -> None:
    if not hint:  # case and spaces forgiven
        assert work_calendar(country, sub).name == "US-NY"
        return
    with pytest.raises(UsageError, match=hint):
        work_calendar(country, sub)


def test_add_rejects_absurd_counts() -> None:
    with pytest.raises(ValueError, match="business days"):
        add_business_days(date(2026, 1, 1), -1, CALENDARS["US"])


def test_countries_by_english_name() -> None:
    assert work_calendar("Germany", "BY").name == "DE-BY"
    assert work_calendar("united states").name == "US"


@pytest.mark.parametrize(("country", "near"), [("XX", "XK"), ("Untied States", "US"), ("Frnace", "FR")])
def test_unknown_country_is_one_short_line(country: str, near: str) -> None:
    with pytest.raises(UsageError) as caught:
        work_calendar(country)
    message = str(caught.value)
    assert f"did you mean {near!r}?" in message
    assert "\n" not in message and len(message) < 200  # not the ~500 codes the package knows
