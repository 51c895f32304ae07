"""The pre-sales scorecard, one opportunity at a time. Pure.

Every group (team, with and without an SE, each SE, each quarter) keeps counts, sums and a histogram of
deal velocity in whole days: the median comes from the histogram, so memory grows with the number of
distinct cycle lengths (a few hundred), not with the number of opportunities.

Definitions: win rate = won / (won + lost); POC win rate = POCs won / POCs decided; POC conversion = the
share of closed deals with a POC that were won; technical win rate = technical wins / technical decisions
recorded; deal velocity = created -> closed of won deals; pipeline = the amount of every opportunity in the
group. A quarter is the one the opportunity closed in (open opportunities are in no quarter).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Literal, TypeVar

from roleplan.models.benchmarks import Benchmarks
from roleplan.models.handoff import MAX_FINDINGS, RowFinding
from roleplan.models.scorecard import (
    SCORECARD_KIND,
    Account,
    AccountMetrics,
    Metrics,
    Opportunity,
    QuarterMetrics,
    RuleCheck,
    Scorecard,
    SeMetrics,
)

_N = TypeVar("_N", int, float)


def median_of(hist: Counter[_N]) -> float | None:
    """The median of the values a histogram counts (the mean of the two middle ones for an even count)."""
    n = sum(hist.values())
    if not n:
        return None
    lo_rank, hi_rank = (n - 1) // 2, n // 2
    lo = hi = None
    seen = 0
    for value in sorted(hist):
        seen += hist[value]
        if lo is None and seen > lo_rank:
            lo = value
        if seen > hi_rank:
            hi = value
            break
    assert lo is not None and hi is not None
    return (lo + hi) / 2


def km_median(events: Counter[int], censored: Counter[int]) -> tuple[float | None, bool]:
    """The Kaplan–Meier median of a time to an event (days to first value): `events` counts the times at
    which it happened, `censored` how long the others have waited so far without it.

    The median is the first time at which the estimated share still waiting falls to one half or below.
    When it never does (most accounts are still waiting), the median is more than the longest time seen:
    (that time, True). (None, False) when there is nothing.
    """
    at_risk = sum(events.values()) + sum(censored.values())
    if not at_risk:
        return None, False
    waiting = 1.0
    last = 0
    for t in sorted(events.keys() | censored.keys()):
        happened = events.get(t, 0)
        if happened:
            waiting *= 1 - happened / at_risk
            if waiting <= 0.5 + 1e-12:
                return float(t), False
        at_risk -= happened + censored.get(
            t, 0
        )  # waited t days and still waiting: out of the later risk sets
        last = t
    return float(last), True


def _rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Tally:
    """Running counts of one group."""

    opportunities: int = 0
    won: int = 0
    lost: int = 0
    pocs_run: int = 0
    pocs_won: int = 0
    pocs_lost: int = 0
    poc_deals_closed: int = 0
    poc_deals_won: int = 0
    technical_wins: int = 0
    technical_losses: int = 0
    velocity: Counter[int] = field(default_factory=Counter)
    pipeline: float = 0.0
    won_amount: float = 0.0
    open_amount: float = 0.0

    def add(self, o: Opportunity) -> None:
        self.opportunities += 1
        amount = o.amount or 0.0
        self.pipeline += amount
        if o.outcome == "won":
            self.won += 1
            self.won_amount += amount
            if o.closed is not None:
                self.velocity[(o.closed - o.created).days] += 1
        elif o.outcome == "lost":
            self.lost += 1
        else:
            self.open_amount += amount
        if o.poc_outcome is not None:
            self.pocs_run += 1
            self.pocs_won += o.poc_outcome == "won"
            self.pocs_lost += o.poc_outcome == "lost"
            if o.outcome != "open":
                self.poc_deals_closed += 1
                self.poc_deals_won += o.outcome == "won"
        if o.technical_win is not None:
            self.technical_wins += o.technical_win
            self.technical_losses += not o.technical_win

    def metrics(self, team_pipeline: float) -> Metrics:
        return Metrics(
            opportunities=self.opportunities,
            won=self.won,
            lost=self.lost,
            open=self.opportunities - self.won - self.lost,
            win_rate=_rate(self.won, self.won + self.lost),
            pocs_run=self.pocs_run,
            pocs_won=self.pocs_won,
            pocs_lost=self.pocs_lost,
            poc_win_rate=_rate(self.pocs_won, self.pocs_won + self.pocs_lost),
            poc_deals_closed=self.poc_deals_closed,
            poc_conversion=_rate(self.poc_deals_won, self.poc_deals_closed),
            technical_wins=self.technical_wins,
            technical_losses=self.technical_losses,
            technical_win_rate=_rate(self.technical_wins, self.technical_wins + self.technical_losses),
            velocity_deals=sum(self.velocity.values()),
            median_velocity_days=median_of(self.velocity),
            pipeline=round(self.pipeline, 2),
            won_amount=round(self.won_amount, 2),
            open_amount=round(self.open_amount, 2),
            pipeline_share=self.pipeline / team_pipeline if team_pipeline else None,
        )


def quarter_of(day: date, fiscal_start: int = 1) -> tuple[int, int]:
    """(year, quarter) of a day; with a fiscal year starting in month `fiscal_start` the year is the one the
    fiscal year ends in (FY2027 starts in February 2026 when fiscal_start is 2)."""
    if not 1 <= fiscal_start <= 12:
        raise ValueError(f"fiscal year start must be a month 1..12, got {fiscal_start}")
    offset = (day.month - fiscal_start) % 12
    year = day.year if fiscal_start == 1 or day.month < fiscal_start else day.year + 1
    return year, offset // 3 + 1


def quarter_end(key: tuple[int, int], fiscal_start: int = 1) -> date:
    """The last day of a quarter from `quarter_of`."""
    year, q = key
    first_year = year if fiscal_start == 1 else year - 1
    months = first_year * 12 + (fiscal_start - 1) + 3 * q  # the month after the quarter, counted from year 0
    return date(months // 12, months % 12 + 1, 1) - timedelta(days=1)


def quarter_label(key: tuple[int, int], fiscal_start: int = 1) -> str:
    year, q = key
    return f"{year}-Q{q}" if fiscal_start == 1 else f"FY{year}-Q{q}"


@dataclass
class ScorecardTally:
    """Every group's tally, fed one opportunity (or finding) at a time."""

    fiscal_start: int = 1
    team: Tally = field(default_factory=Tally)
    with_se: Tally = field(default_factory=Tally)
    without_se: Tally = field(default_factory=Tally)
    per_se: dict[str, Tally] = field(default_factory=dict)
    by_quarter: dict[tuple[int, int], Tally] = field(default_factory=dict)
    findings: list[RowFinding] = field(default_factory=list)
    invalid_rows: int = 0

    def add(self, item: Opportunity | RowFinding) -> None:
        if isinstance(item, RowFinding):
            self.invalid_rows += 1
            if len(self.findings) < MAX_FINDINGS:
                self.findings.append(item)
            return
        self.team.add(item)
        (self.with_se if item.ses else self.without_se).add(item)
        for se in item.ses:
            tally = self.per_se.get(se)
            if tally is None:
                tally = self.per_se[se] = Tally()
            tally.add(item)
        if item.outcome != "open" and item.closed is not None:
            key = quarter_of(item.closed, self.fiscal_start)
            tally = self.by_quarter.get(key)
            if tally is None:
                tally = self.by_quarter[key] = Tally()
            tally.add(item)


@dataclass
class AccountTally:
    """Time to first value and deployment at renewal, one account at a time."""

    as_of: date
    trigger_days: int
    accounts: int = 0
    days: Counter[int] = field(default_factory=Counter)
    waited: Counter[int] = field(default_factory=Counter)  # days so far of the accounts still waiting
    waiting: int = 0
    past_trigger: int = 0
    deployed: Counter[float] = field(default_factory=Counter)
    fully_deployed: int = 0
    findings: list[RowFinding] = field(default_factory=list)
    invalid_rows: int = 0

    def add(self, item: Account | RowFinding) -> None:
        if isinstance(item, RowFinding):
            self.invalid_rows += 1
            if len(self.findings) < MAX_FINDINGS:
                self.findings.append(item)
            return
        self.accounts += 1
        if item.first_value is not None:
            elapsed = (item.first_value - item.signed).days
            self.days[elapsed] += 1
        else:
            self.waiting += 1
            elapsed = (self.as_of - item.signed).days
            if elapsed >= 0:  # signed after --as-of: not waiting yet as of then
                self.waited[elapsed] += 1
        self.past_trigger += elapsed > self.trigger_days
        if item.deployed_share is not None:
            self.deployed[round(item.deployed_share, 4)] += 1
            self.fully_deployed += item.deployed_share >= 1.0

    def metrics(self) -> AccountMetrics:
        renewed = sum(self.deployed.values())
        estimate, at_least = km_median(self.days, self.waited)
        return AccountMetrics(
            accounts=self.accounts,
            reached_first_value=sum(self.days.values()),
            median_days_to_first_value=median_of(self.days),
            estimated_median_days_to_first_value=estimate,
            estimate_at_least=at_least,
            waiting=self.waiting,
            past_trigger=self.past_trigger,
            renewed=renewed,
            fully_deployed=self.fully_deployed,
            deployed_at_renewal=_rate(self.fully_deployed, renewed),
            median_deployed_share=median_of(self.deployed),
        )


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


Verdict = Literal["above", "below", "stable above", "no data"]


def _revisit(card: ScorecardTally, b: Benchmarks, as_of: date) -> RuleCheck:
    """The measured POC win rate against the bar for revisiting the early-stage SE:AE rule."""
    early, policy = b.stage_rules.early_stage, b.scorecard
    bar, rule, n = early.revisit_poc_win_rate, f"1:{early.aes_per_se:g} SE:AE", policy.stable_quarters
    rate = _rate(card.team.pocs_won, card.team.pocs_won + card.team.pocs_lost)
    complete = [k for k in sorted(card.by_quarter) if quarter_end(k, card.fiscal_start) <= as_of]
    recent = [card.by_quarter[k] for k in complete][-n:]
    decided = [t.pocs_won + t.pocs_lost for t in recent]
    rates = [t.pocs_won / d for t, d in zip(recent, decided, strict=True) if d]
    stable = (
        len(recent) == n
        and all(d >= policy.min_pocs_per_quarter for d in decided)
        and all(r > bar for r in rates)
    )
    shown = ", ".join(_pct(r) for r in rates) or "none"
    verdict: Verdict
    if rate is None:
        verdict, text = "no data", "No decided POCs in the export: the revisit rule cannot be judged."
    elif stable:
        verdict = "stable above"
        text = (
            f"POC win rate {_pct(rate)}, above {_pct(bar)} in each of the last {n} complete quarters "
            f"({shown}): revisit the {rule} rule — post-sale capacity (SAs) is the next constraint."
        )
    elif rate > bar:
        verdict = "above"
        text = (
            f"POC win rate {_pct(rate)} is above {_pct(bar)} but not yet stable (last {n} complete quarters: "
            f"{shown}; each needs {policy.min_pocs_per_quarter}+ decided POCs above the bar): keep the {rule} rule."
        )
    else:
        verdict = "below"
        where = "is below" if rate < bar else "is not above"
        text = f"POC win rate {_pct(rate)} {where} {_pct(bar)}: keep pre-sales the priority ({rule})."
    return RuleCheck("poc-win-rate-revisit", "poc_win_rate", rate, bar, verdict, text, early.source)


def _debt(a: AccountMetrics, b: Benchmarks) -> tuple[RuleCheck, RuleCheck]:
    """Days to first value and deployment at renewal against the deployment-debt triggers."""
    debt = b.stage_rules.deployment_debt
    days, limit = a.estimated_median_days_to_first_value, debt.max_days_to_first_value
    verdict: Verdict
    fix = "hire SAs, not more SEs"
    how = (
        f" (Kaplan–Meier estimate counting the {a.waiting} accounts still waiting; "
        + (
            f"{a.median_days_to_first_value:g} over the {a.reached_first_value} that reached it)"
            if a.median_days_to_first_value is not None
            else "none has reached it)"
        )
        if a.waiting
        else ""
    )
    if days is None:
        verdict, text = "no data", "No accounts in the export."
    elif a.estimate_at_least and days <= limit:
        verdict = "no data"
        text = (
            f"Fewer than half of the accounts have reached first value, after up to {days:g} days: too soon "
            f"to judge the {limit}-day trigger."
        )
    elif days > limit:
        median = f"more than {days:g}" if a.estimate_at_least else f"{days:g}"
        verdict, text = (
            "above",
            f"Median {median} days to first value{how} is past the {limit}-day trigger: {fix}.",
        )
    else:
        verdict, text = (
            "below",
            f"Median {days:g} days to first value{how} is within the {limit}-day trigger.",
        )
    if a.past_trigger:
        text += f" {a.past_trigger} of {a.accounts} accounts took or are taking longer than {limit} days."
    first = RuleCheck(
        "days-to-first-value", "estimated_median_days_to_first_value", days, limit, verdict, text, debt.source
    )
    share, floor = a.deployed_at_renewal, debt.min_deployed_at_renewal
    if share is None:
        verdict, text = "no data", "No account has renewed yet."
    elif share < floor:
        verdict = "below"
        text = f"{_pct(share)} of renewed accounts fully deployed is under the {_pct(floor)} trigger: {fix}."
    else:
        verdict, text = (
            "above",
            f"{_pct(share)} of renewed accounts fully deployed meets the {_pct(floor)} bar.",
        )
    second = RuleCheck("deployed-at-renewal", "deployed_at_renewal", share, floor, verdict, text, debt.source)
    return first, second


def checks(
    card: ScorecardTally, accounts: AccountMetrics | None, b: Benchmarks, as_of: date
) -> tuple[RuleCheck, ...]:
    """Each measured figure against the seed rule it feeds, with that rule's source. Stability is judged on
    complete quarters (ended by `as_of`): the quarter in progress has not had its say."""
    out = [_revisit(card, b, as_of)]
    if accounts is not None:
        out += _debt(accounts, b)
    return tuple(out)


def scorecard(
    opportunities: Iterable[Opportunity | RowFinding],
    b: Benchmarks,
    *,
    file: str,
    as_of: date,
    accounts: Iterable[Account | RowFinding] | None = None,
    accounts_file: str | None = None,
    fiscal_start: int = 1,
) -> Scorecard:
    """The scorecard of an opportunity export (streamed), and of an accounts export when given."""
    card = ScorecardTally(fiscal_start=fiscal_start)
    for item in opportunities:
        card.add(item)
    account_metrics = None
    findings = list(card.findings)
    invalid = card.invalid_rows
    if accounts is not None:
        tally = AccountTally(as_of=as_of, trigger_days=b.stage_rules.deployment_debt.max_days_to_first_value)
        for account in accounts:
            tally.add(account)
        account_metrics = tally.metrics()
        findings += tally.findings
        invalid += tally.invalid_rows
    total = card.team.pipeline
    return Scorecard(
        kind=SCORECARD_KIND,
        file=file,
        accounts_file=accounts_file,
        as_of=as_of.isoformat(),
        team=card.team.metrics(total),
        with_se=card.with_se.metrics(total),
        without_se=card.without_se.metrics(total),
        per_se=tuple(
            SeMetrics(name, card.per_se[name].metrics(total)) for name in sorted(card.per_se, key=str.lower)
        ),
        by_quarter=tuple(
            QuarterMetrics(quarter_label(k, fiscal_start), card.by_quarter[k].metrics(total))
            for k in sorted(card.by_quarter)
        ),
        accounts=account_metrics,
        checks=checks(card, account_metrics, b, as_of),
        invalid_rows=invalid,
        invalid=tuple(findings[:MAX_FINDINGS]),
    )
