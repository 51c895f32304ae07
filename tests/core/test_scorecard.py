"""The scorecard's arithmetic against brute force: medians from histograms, rates, quarters."""

from __future__ import annotations

import statistics
from collections import Counter
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_benchmarks
from roleplan.core.scorecard import km_median, median_of, quarter_end, quarter_of, scorecard
from roleplan.models.scorecard import Opportunity

days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@given(st.lists(st.integers(0, 2000), min_size=1, max_size=300))
def test_median_of_histogram_is_the_median(values: list[int]) -> None:
    assert median_of(Counter(values)) == statistics.median(values)


def test_median_of_nothing() -> None:
    assert median_of(Counter()) is None


@given(days, st.integers(1, 12))
def test_quarter_contains_the_day(day: date, start: int) -> None:
    key = quarter_of(day, start)
    end = quarter_end(key, start)
    assert day <= end < day + timedelta(days=93)
    assert quarter_of(end, start) == key
    assert quarter_of(end + timedelta(days=1), start) != key  # the next day opens the next quarter


def test_fiscal_year_named_by_its_end() -> None:
    assert quarter_of(date(2026, 2, 1), 2) == (2027, 1)
    assert quarter_of(date(2026, 1, 31), 2) == (2026, 4)
    assert quarter_of(date(2026, 3, 31), 1) == (2026, 1)


outcomes = st.sampled_from(["won", "lost", "open"])
opportunity = st.builds(
    lambda created, cycle, outcome, amount, se, poc, tech: (created, cycle, outcome, amount, se, poc, tech),
    days,
    st.integers(0, 400),
    outcomes,
    st.one_of(st.none(), st.integers(0, 10**6)),
    st.sampled_from(["", "Ana", "Bo", "Cy"]),
    st.one_of(st.none(), outcomes),
    st.one_of(st.none(), st.booleans()),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(opportunity, min_size=1, max_size=60))
def test_team_figures_match_brute_force(rows: list[tuple]) -> None:  # type: ignore[type-arg]
    opps = [
        Opportunity(
            id=str(i),
            line=i + 2,
            created=created,
            closed=created + timedelta(days=cycle) if outcome != "open" else None,
            outcome=outcome,
            amount=float(amount) if amount is not None else None,
            ses=(se,) if se else (),
            poc_outcome=poc,
            technical_win=tech,
        )
        for i, (created, cycle, outcome, amount, se, poc, tech) in enumerate(rows)
    ]
    card = scorecard(opps, load_benchmarks(), file="x.csv", as_of=date(2036, 1, 1))
    won = [o for o in opps if o.outcome == "won"]
    lost = [o for o in opps if o.outcome == "lost"]
    t = card.team
    assert (t.won, t.lost, t.opportunities) == (len(won), len(lost), len(opps))
    assert t.win_rate == (len(won) / (len(won) + len(lost)) if won or lost else None)
    pocs = [o.poc_outcome for o in opps if o.poc_outcome is not None]
    decided = [p for p in pocs if p != "open"]
    assert t.poc_win_rate == (decided.count("won") / len(decided) if decided else None)
    cycles = [(o.closed - o.created).days for o in won if o.closed]
    assert t.median_velocity_days == (statistics.median(cycles) if cycles else None)
    assert t.pipeline == sum(o.amount or 0 for o in opps)
    assert card.with_se.opportunities + card.without_se.opportunities == len(opps)
    assert sum(s.metrics.opportunities for s in card.per_se) == card.with_se.opportunities
    assert sum(q.metrics.opportunities for q in card.by_quarter) == len(won) + len(lost)


@given(st.lists(st.integers(0, 2000), min_size=1, max_size=300))
def test_km_median_without_waiting_is_the_lower_median(values: list[int]) -> None:
    """With every account at first value, the share still waiting falls to one half at the lower median."""
    assert km_median(Counter(values), Counter()) == (statistics.median_low(values), False)


@given(st.lists(st.integers(0, 2000), max_size=50), st.lists(st.integers(0, 2000), min_size=1, max_size=50))
def test_km_median_lies_between_its_bounds(reached: list[int], waiting: list[int]) -> None:
    """The estimate sits between counting each waiting account as reaching first value today (the earliest it
    could) and as never reaching it; and waiting accounts never make it earlier than the reached ones' median."""
    n = len(reached) + len(waiting)
    value, at_least = km_median(Counter(reached), Counter(waiting))
    assert value is not None
    assert value >= statistics.median_low(reached + waiting)
    half = next((t for t in sorted(reached) if 2 * sum(r <= t for r in reached) >= n), None)
    if half is not None:  # half the accounts reached first value by then, whatever the others do
        assert not at_least and value <= half
    if at_least:
        assert 2 * len(reached) < n and value == max(reached + waiting)
    else:
        assert value in reached and value >= statistics.median_low(reached)


def test_km_median_long_waits_are_not_ignored() -> None:
    # 10 accounts reached first value in 90 days, 20 have waited 300 days and counting
    assert km_median(Counter({90: 10}), Counter({300: 20})) == (300.0, True)
    # one reached at 90, one still waiting at 196, one reached at 212: half are past 196 -> 212
    assert km_median(Counter({90: 1, 212: 1}), Counter({196: 1})) == (212.0, False)
    assert km_median(Counter(), Counter()) == (None, False)
