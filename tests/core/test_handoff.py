"""The handoff rules on random deals: each verdict agrees with its definition (Hypothesis)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.benchmarks import load_benchmarks
from roleplan.core.businessdays import add_business_days, business_days_late, work_calendar
from roleplan.core.handoff import check_deals
from roleplan.models.handoff import DOCUMENT_FIELDS, HandoffDeal, RowFinding

US = work_calendar("US")
H = load_benchmarks().handoff
days = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
offset = st.one_of(st.none(), st.integers(-3, 60))


def deal(closed: date, offsets: list[int | None], name: str = "d") -> HandoffDeal:
    when = [None if o is None else closed + timedelta(days=o) for o in offsets]
    return HandoffDeal(
        deal=name,
        line=2,
        closed_won=closed,
        kickoff=when[0],
        documents=tuple(zip(DOCUMENT_FIELDS, when[1:6], strict=True)),
        architecture_signed=when[6],
    )


@settings(max_examples=200, deadline=None)
@given(days, st.lists(offset, min_size=7, max_size=7), st.integers(-5, 120))
def test_verdicts_follow_the_definitions(closed: date, offsets: list[int | None], after: int) -> None:
    as_of = closed + timedelta(days=after)
    d = deal(closed, offsets)
    report = check_deals([d], as_of=as_of, calendar=US, handoff=H, file="x")
    if as_of < closed:  # not won yet as of then: counted, not checked
        assert (report.deals, report.summary.deals, report.summary.closed_after_as_of) == ((), 0, 1)
        return
    assert report.summary.closed_after_as_of == 0
    result = report.deals[0]
    due = add_business_days(closed, H.within_business_days, US)
    seen = {k: v for k, v in d.documents if v is not None and v <= as_of}
    pack, kickoff, lock = result.rules
    assert pack.deadline == kickoff.deadline == due.isoformat()
    missing = [k for k, _ in d.documents if k not in seen]
    assert list(pack.missing) == missing
    if missing:
        assert pack.status == ("pending" if as_of <= due else "breached")
        if pack.status == "breached":
            assert pack.days_late == business_days_late(due, as_of, US) >= 1
    else:
        last = max(seen.values())
        assert pack.status == ("met" if last <= due else "breached")
        assert pack.done_on == last.isoformat()
    for r in result.rules:
        assert (r.days_late > 0) == (r.status == "breached")
        if r.status == "pending":
            assert as_of <= date.fromisoformat(r.deadline)
    statuses = {r.status for r in result.rules}
    expected = "breached" if "breached" in statuses else "pending" if "pending" in statuses else "met"
    assert result.status == expected
    assert (result.go_live_slip_days is not None) == (lock.status == "breached")
    held = d.kickoff if d.kickoff is not None and d.kickoff <= as_of else None
    assert lock.deadline == ((held or due) + timedelta(days=H.architecture_lock_days)).isoformat()


def test_summary_counts_and_findings() -> None:
    closed = date(2026, 3, 2)
    on_time = deal(closed, [2, 1, 1, 1, 1, 1, 20], "a")
    late = deal(closed, [None] * 7, "b")
    report = check_deals(
        [on_time, RowFinding(5, "bad"), late], as_of=date(2026, 6, 1), calendar=US, handoff=H, file="x"
    )
    s = report.summary
    assert (s.deals, s.met, s.breached, s.pending, s.invalid_rows) == (2, 1, 1, 0, 1)
    assert s.compliant_share == 0.5
    assert (s.without_lock, s.without_handoff_pack) == (1, 1)
    assert (s.go_live_slip_days_total.min, s.go_live_slip_days_total.max) == (45, 60)
