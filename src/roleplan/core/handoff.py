"""The handoff playbook's three rules on one Closed-Won deal, and the summary over all of them. Pure.

- handoff_pack: every document of the pack delivered within `within_business_days` business days of
  Closed-Won;
- kickoff: the kickoff held within the same number of business days;
- architecture_lock: the reference architecture signed off within `architecture_lock_days` calendar days of
  the kickoff (of the kickoff's deadline while no kickoff has been held: a late kickoff cannot buy the
  architecture more time).

A date after `as_of` has not happened yet as of that day, so re-running with an earlier `--as-of` shows the
deals as they stood then: a deal Closed-Won after `as_of` was not won yet, and is counted, not checked.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import replace
from datetime import date, timedelta

from roleplan.core.businessdays import WorkCalendar, add_business_days, business_days_late
from roleplan.models.benchmarks import Handoff
from roleplan.models.figures import Band
from roleplan.models.handoff import (
    MAX_FINDINGS,
    DealResult,
    HandoffDeal,
    HandoffReport,
    HandoffSummary,
    RowFinding,
    RuleCount,
    RuleId,
    RuleResult,
    Status,
)

RULE_IDS = ("handoff_pack", "kickoff", "architecture_lock")


def _seen(day: date | None, as_of: date) -> date | None:
    """A date that has happened by `as_of`, else None."""
    return day if day is not None and day <= as_of else None


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day is not None else None


def _business_rule(
    rule: RuleId,
    deadline: date,
    done: date | None,
    as_of: date,
    calendar: WorkCalendar,
    source: str,
    note: str | None = None,
) -> RuleResult:
    if done is not None:
        late = business_days_late(deadline, done, calendar)
        status: Status = "breached" if late else "met"
    elif as_of > deadline:
        status, late = "breached", business_days_late(deadline, as_of, calendar)
    else:
        status, late = "pending", 0
    return RuleResult(
        rule, status, deadline.isoformat(), _iso(done), late, "business days", (), (), note, source
    )


def check_deal(deal: HandoffDeal, as_of: date, calendar: WorkCalendar, h: Handoff) -> DealResult:
    """The three rules on one deal, as of `as_of`."""
    due = add_business_days(deal.closed_won, h.within_business_days, calendar)

    # the pack: met when every document is in by the deadline; lateness is the latest document's
    delivered = {name: _seen(day, as_of) for name, day in deal.documents}
    missing = tuple(name for name, day in delivered.items() if day is None)
    late_docs = tuple(name for name, day in delivered.items() if day is not None and day > due)
    worst = max((day for day in delivered.values() if day is not None), default=None)
    # still missing: pending until the deadline, then late by the business days since (today dominates any
    # late delivery); all in: late by the last document's delivery
    pack = _business_rule("handoff_pack", due, None if missing else worst, as_of, calendar, h.source)
    pack = replace(pack, missing=missing, late=late_docs)

    kickoff_day = _seen(deal.kickoff, as_of)
    kickoff = _business_rule("kickoff", due, kickoff_day, as_of, calendar, h.source)

    start = kickoff_day if kickoff_day is not None else due
    lock_due = start + timedelta(days=h.architecture_lock_days)
    signed = _seen(deal.architecture_signed, as_of)
    note = None if kickoff_day is not None else "no kickoff yet: counted from the kickoff's deadline"
    if signed is not None:
        late = max((signed - lock_due).days, 0)
        lock_status: Status = "breached" if late else "met"
    elif as_of > lock_due:
        lock_status, late = "breached", (as_of - lock_due).days
    else:
        lock_status, late = "pending", 0
    lock = RuleResult(
        "architecture_lock",
        lock_status,
        lock_due.isoformat(),
        _iso(signed),
        late,
        "days",
        (),
        (),
        note,
        h.source,
    )

    rules = (pack, kickoff, lock)
    statuses = {r.status for r in rules}
    status: Status = "breached" if "breached" in statuses else "pending" if "pending" in statuses else "met"
    slip = h.go_live_slip_days_without_lock if lock.status == "breached" else None
    return DealResult(deal.deal, deal.line, deal.closed_won.isoformat(), status, rules, slip)


class Tally:
    """The running summary: counts per deal and per rule, kept while the deals stream past (no deal is held)."""

    def __init__(self) -> None:
        self.deals = {"met": 0, "breached": 0, "pending": 0}
        self.rules = {rid: {"met": 0, "breached": 0, "pending": 0} for rid in RULE_IDS}
        self.without_lock = 0
        self.closed_after_as_of = 0

    def add(self, d: DealResult) -> None:
        self.deals[d.status] += 1
        for r in d.rules:
            self.rules[r.id][r.status] += 1
        self.without_lock += d.go_live_slip_days is not None

    def summary(self, invalid: int, h: Handoff) -> HandoffSummary:
        """Counts per deal and per rule, the compliant share and the expected go-live slip, cited."""
        count = self.deals
        decided = count["met"] + count["breached"]
        rules = tuple(RuleCount(rid, c["met"], c["breached"], c["pending"]) for rid, c in self.rules.items())
        per, without_lock = h.go_live_slip_days_without_lock, self.without_lock
        return HandoffSummary(
            deals=sum(count.values()),
            met=count["met"],
            breached=count["breached"],
            pending=count["pending"],
            compliant_share=count["met"] / decided if decided else None,
            rules=rules,
            without_lock=without_lock,
            go_live_slip_days_per_deal=per,
            go_live_slip_days_total=Band(min=per.min * without_lock, max=per.max * without_lock),
            without_handoff_pack=self.rules["handoff_pack"]["breached"],
            first_value_faster_with_handoff=h.first_value_faster_with_handoff,
            invalid_rows=invalid,
            closed_after_as_of=self.closed_after_as_of,
            source=h.source,
        )


def summarise(deals: Iterable[DealResult], invalid: int, h: Handoff) -> HandoffSummary:
    """Counts per deal and per rule, the compliant share and the expected go-live slip, cited."""
    tally = Tally()
    for d in deals:
        tally.add(d)
    return tally.summary(invalid, h)


class HandoffRun:
    """A check that streams: `results(items)` yields each deal's verdict as it is judged, keeping only the
    running `Tally` and the first `MAX_FINDINGS` unreadable rows (the rest are counted, and each one is passed
    to `on_finding` as it is met); `report(...)` then has the header fields and the summary."""

    def __init__(
        self,
        *,
        as_of: date,
        calendar: WorkCalendar,
        handoff: Handoff,
        file: str,
        on_finding: Callable[[RowFinding], object] | None = None,
    ) -> None:
        self.as_of, self.calendar, self.handoff, self.file = as_of, calendar, handoff, file
        self.tally = Tally()
        self.invalid: list[RowFinding] = []
        self.invalid_rows = 0
        self.on_finding = on_finding

    def results(self, deals: Iterable[HandoffDeal | RowFinding]) -> Iterator[DealResult]:
        for item in deals:
            if isinstance(item, RowFinding):
                self.invalid_rows += 1
                if len(self.invalid) < MAX_FINDINGS:
                    self.invalid.append(item)
                if self.on_finding is not None:
                    self.on_finding(item)
            elif item.closed_won > self.as_of:
                self.tally.closed_after_as_of += 1
            else:
                result = check_deal(item, self.as_of, self.calendar, self.handoff)
                self.tally.add(result)
                yield result

    def report(self, deals: Sequence[DealResult] = ()) -> HandoffReport:
        """The report with `deals` (none when they were streamed) and the summary so far."""
        return HandoffReport(
            file=self.file,
            as_of=self.as_of.isoformat(),
            calendar=self.calendar.name,
            within_business_days=self.handoff.within_business_days,
            architecture_lock_days=self.handoff.architecture_lock_days,
            deals=tuple(deals),
            summary=self.tally.summary(self.invalid_rows, self.handoff),
            invalid=tuple(self.invalid),
        )


def check_deals(
    deals: Iterable[HandoffDeal | RowFinding],
    *,
    as_of: date,
    calendar: WorkCalendar,
    handoff: Handoff,
    file: str,
) -> HandoffReport:
    """Every deal checked (findings passed through), and the summary."""
    run = HandoffRun(as_of=as_of, calendar=calendar, handoff=handoff, file=file)
    return run.report(list(run.results(deals)))
