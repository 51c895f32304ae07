"""The calendar core: matching, allocation, clipping, exclusions and the verdict."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_calendar
from roleplan.core.calendar import BUCKETS, Matcher, assess, choose_window, normalise_title, verdict_of
from roleplan.errors import UsageError
from roleplan.models.calendar import CalendarEvent, Window
from roleplan.models.calendar_config import ActivitySignal, CalendarConfig, CalendarSignals

FIXTURES = Path(__file__).parent.parent / "fixtures" / "calendar"

SIGNALS = CalendarSignals(
    se=(
        ActivitySignal(name="demo", patterns=("demos?",)),
        ActivitySignal(name="proof of concept", patterns=("po[cv]s?", "pilots?")),
    ),
    sa=(
        ActivitySignal(name="architecture review", patterns=("architecture reviews?",)),
        ActivitySignal(name="QBR", patterns=("qbrs?",)),
    ),
    internal=(ActivitySignal(name="one-on-one", patterns=("1:1",)),),
)
CONFIG = CalendarConfig(
    dominant_share=0.6,
    min_customer_hours=8,
    default_window_days=28,
    signals=SIGNALS,
    source="roleplan defaults",
    as_of=2026,
)
WINDOW = Window(start=date(2026, 3, 2), end=date(2026, 3, 8))


def ev(title: str, day: int, hours: float, start_hour: int = 10, **kw: object) -> CalendarEvent:
    start = datetime(2026, 3, day, start_hour)
    return CalendarEvent(title=title, start=start, end=start + timedelta(hours=hours), **kw)  # type: ignore[arg-type]


# --- matching and allocation -------------------------------------------------------------------------------


def test_title_outweighs_description() -> None:
    m = Matcher(CONFIG)
    # demo in the title (3) beats architecture review in the description (1): 3 >= 2 x 1, so all SE
    assert m.allocate("Acme demo", "then an architecture review", False) == {"se": 1.0}
    assert m.allocate("Architecture review", "we may demo", False) == {"sa": 1.0}


def test_equal_evidence_splits_the_hours() -> None:
    assert Matcher(CONFIG).allocate("Demo + architecture review", "", False) == {"se": 0.5, "sa": 0.5}


def test_close_evidence_splits_in_proportion() -> None:
    # title: demo + POC (6) vs QBR (3): 6 < 2 x 3 ... no, 6 >= 6 so SE takes all at ratio 2
    assert Matcher(CONFIG).allocate("Demo and POC then QBR", "", False) == {"se": 1.0}
    # title: demo (3) + description pilot (1) = 4 vs QBR (3): split 4:3
    split = Matcher(CONFIG).allocate("Demo before the QBR", "pilot scope", False)
    assert split == pytest.approx({"se": 4 / 7, "sa": 3 / 7})


def test_internal_wins_ties_and_counts_toward_neither() -> None:
    m = Matcher(CONFIG)
    assert m.allocate("1:1 demo dry run", "", False) == {"internal": 1.0}
    assert m.allocate("Demo", "1:1 afterwards", False) == {"se": 1.0}


def test_unmatched_events_are_other_customer_only_with_outsiders() -> None:
    m = Matcher(CONFIG)
    assert m.allocate("Catch-up", "", True) == {"other": 1.0}
    assert m.allocate("Catch-up", "", False) == {"unmatched": 1.0}


def test_signals_match_whole_words_only() -> None:
    m = Matcher(CONFIG)
    assert m.allocate("Democracy talk", "", False) == {"unmatched": 1.0}
    assert m.allocate("Pocket planning", "", False) == {"unmatched": 1.0}
    assert m.evidence("POC/QBR", "").signals == {"se": ("proof of concept",), "sa": ("QBR",), "internal": ()}


@pytest.mark.parametrize(
    ("title", "side"),
    [
        ("First call with Globex", "se"),
        ("Product demo — Initech", "se"),
        ("Discovery: Vandelay", "se"),
        ("POV kickoff", "se"),
        ("Security questionnaire (SIG Lite)", "se"),
        ("RFP Q&A", "se"),
        ("Sandbox setup", "se"),
        ("Technical validation", "se"),
        ("Architecture review", "sa"),
        ("Integration design session", "sa"),
        ("SSO + SCIM setup", "sa"),
        ("Data migration", "sa"),
        ("Go-live readiness", "sa"),
        ("Production readiness review", "sa"),
        ("Runbook walkthrough", "sa"),
        ("Implementation sync", "sa"),
        ("QBR prep", "sa"),
        ("EBR", "sa"),
        ("Expansion architecture workshop", "sa"),
        ("Team stand-up", "internal"),
        ("1:1 Sam / Alex", "internal"),
        ("All-hands", "internal"),
        ("Interview: SE candidate", "internal"),
        ("Pipeline review", "internal"),
        ("Enablement: new pricing", "internal"),
        ("Focus time", "internal"),
        ("Lunch", "internal"),
    ],
)
def test_packaged_signals_cover_the_one_sentence_test(title: str, side: str) -> None:
    config = load_calendar()
    assert Matcher(config).allocate(title, "", False) == {side: 1.0}


def test_normalise_title_groups_variants() -> None:
    assert normalise_title("Updated invitation: Acme — Weekly Demo #3") == "acme weekly demo"
    assert normalise_title("RE: acme weekly demo 4") == "acme weekly demo"
    assert normalise_title("") == "(no title)"


# --- verdict ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("se", "sa", "verdict"),
    [
        (6.0, 4.0, "se"),  # exactly 60%: dominated
        (4.0, 6.0, "sa"),
        (5.9, 4.1, "mixed"),
        (5.0, 5.0, "mixed"),
        (5.0, 2.9, "insufficient"),  # 7.9 h < 8 h
        (0.0, 0.0, "insufficient"),
        (8.0, 0.0, "se"),
    ],
)
def test_verdict_thresholds(se: float, sa: float, verdict: str) -> None:
    assert verdict_of(se, sa, CONFIG)[0] == verdict


# --- assess -----------------------------------------------------------------------------------------------


def test_assess_counts_time_clipped_to_the_window() -> None:
    events = [
        ev("Demo", 2, 2),
        ev("Demo", 8, 4, start_hour=22),  # 22:00 Sunday + 4 h: only 2 h inside the window
        ev("Architecture review", 1, 30, start_hour=12),  # 30 h block: all-day, left out
        ev("QBR", 3, 1),
        ev("QBR", 9, 1),  # outside
    ]
    r = assess(events, WINDOW, CONFIG, file="x.ics")
    assert (r.se_hours, r.sa_hours) == (4, 1)
    assert r.excluded["all_day"] == 1
    assert r.events_counted == 3


def test_assess_leaves_out_cancelled_declined_free_and_all_day() -> None:
    events = [
        ev("Demo", 2, 10),
        ev("Demo", 3, 1, cancelled=True),
        ev("Demo", 3, 1, declined=True),
        ev("Demo", 3, 1, free=True),
        ev("Demo", 3, 24, all_day=True),
        ev("Demo", 4, 1, cancelled=True, declined=True),  # counted once, under the first reason
    ]
    r = assess(events, WINDOW, CONFIG, file="x.ics", invalid=2)
    assert r.se_hours == 10
    assert r.excluded == {"cancelled": 2, "declined": 1, "free": 1, "all_day": 1, "invalid": 2}
    assert r.verdict == "se"


def test_top_events_group_by_normalised_title() -> None:
    events = [ev("Acme demo", 2, 1), ev("Updated invitation: ACME Demo", 3, 2), ev("Other demo", 4, 0.5)]
    events += [ev("QBR", 5, 1), ev("Hello", 6, 1, external=True)]
    r = assess(events, WINDOW, CONFIG, file="x.ics")
    assert [(t.title, t.hours, t.occurrences) for t in r.top["se"]] == [
        ("Acme demo", 3, 2),
        ("Other demo", 0.5, 1),
    ]
    assert [t.title for t in r.top["other"]] == ["Hello"]
    assert r.other_hours == 1


event_strategy = st.builds(
    lambda title, day, hour, minutes, flags: CalendarEvent(
        title=title,
        start=datetime(2026, 3, 1) + timedelta(days=day, hours=hour),
        end=datetime(2026, 3, 1) + timedelta(days=day, hours=hour, minutes=minutes),
        cancelled=flags[0],
        free=flags[1],
        external=flags[2],
    ),
    st.sampled_from(["Demo", "QBR", "Demo + QBR", "1:1", "Lunch", "Pilot", "Hello", ""]),
    st.integers(-3, 12),
    st.integers(0, 23),
    st.integers(0, 600),
    st.tuples(st.booleans(), st.booleans(), st.booleans()),
)


@settings(max_examples=200, deadline=None)
@given(st.lists(event_strategy, max_size=40))
def test_hours_add_up_and_the_verdict_follows_them(events: list[CalendarEvent]) -> None:
    r = assess(events, WINDOW, CONFIG, file="x.ics")
    begin, end = WINDOW.bounds()
    expected = sum(
        (min(e.end, end) - max(e.start, begin)).total_seconds() / 3600
        for e in events
        if not (e.cancelled or e.free) and e.end > begin and e.start < end and e.end > e.start
    )
    total = sum(getattr(r, f"{b}_hours") for b in BUCKETS)
    assert total == pytest.approx(expected, abs=0.05)
    customer = r.se_hours + r.sa_hours
    if customer < CONFIG.min_customer_hours:
        assert r.verdict == "insufficient"
    else:
        assert r.verdict == verdict_of(r.se_hours, r.sa_hours, CONFIG)[0]


# --- window -----------------------------------------------------------------------------------------------


def test_window_defaults_to_the_days_ending_at_the_anchor() -> None:
    w = choose_window(date(2026, 3, 29), None, None, 28)
    assert (w.start, w.end, w.days, w.chosen_by) == (date(2026, 3, 2), date(2026, 3, 29), 28, "default")


def test_window_from_one_side() -> None:
    assert choose_window(None, date(2026, 3, 2), None, 7).end == date(2026, 3, 8)
    assert choose_window(None, None, date(2026, 3, 8), 7).start == date(2026, 3, 2)


def test_window_from_after_to_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="after"):
        choose_window(None, date(2026, 3, 9), date(2026, 3, 8), 7)


_ROWS = st.lists(
    st.tuples(
        st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=25),
        st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2030, 12, 31)).map(
            lambda d: d.replace(second=0, microsecond=0)
        ),
        st.integers(0, 600),
    ),
    min_size=1,
    max_size=10,
)


@settings(max_examples=60, deadline=None)
@given(_ROWS, st.booleans())
def test_csv_exports_round_trip(rows: list[tuple[str, datetime, int]], outlook: bool) -> None:
    import csv
    import io

    from roleplan.loaders.calendar_csv import parse_csv

    out = io.StringIO()
    writer = csv.writer(out)
    if outlook:
        writer.writerow(["Subject", "Start Date", "Start Time", "End Date", "End Time", "All day event"])
        for title, start, minutes in rows:
            end = start + timedelta(minutes=minutes)
            writer.writerow(
                [
                    title,
                    f"{start:%m/%d/%Y}",
                    f"{start:%I:%M:%S %p}",
                    f"{end:%m/%d/%Y}",
                    f"{end:%I:%M:%S %p}",
                    "False",
                ]
            )
    else:
        writer.writerow(["subject", "start", "end"])
        for title, start, minutes in rows:
            writer.writerow([title, start.isoformat(), (start + timedelta(minutes=minutes)).isoformat()])
    events, owner = parse_csv(out.getvalue(), Path("x.csv"), None)
    assert owner is None
    assert [(e.title, e.start, e.end) for e in events] == [
        (title.strip(), start, start + timedelta(minutes=minutes)) for title, start, minutes in rows
    ]
