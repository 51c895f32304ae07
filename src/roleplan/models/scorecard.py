"""The pre-sales scorecard: opportunities and accounts read from CRM exports, and the measured figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from roleplan.models.handoff import RowFinding

Outcome = Literal["won", "lost", "open"]

#: What `roleplan staff --metrics` looks for at the top of a scorecard JSON.
SCORECARD_KIND = "roleplan scorecard"


@dataclass(frozen=True)
class Opportunity:
    """One opportunity of the export. `ses` empty: no SE on it; `poc_outcome` None: no POC run."""

    id: str
    line: int
    created: date
    closed: date | None
    outcome: Outcome
    amount: float | None
    ses: tuple[str, ...]
    poc_outcome: Outcome | None
    technical_win: bool | None


@dataclass(frozen=True)
class Account:
    """One account of the accounts export."""

    account: str
    line: int
    signed: date
    first_value: date | None
    deployed_share: float | None  # at renewal, 0..1; None: not renewed yet


@dataclass(frozen=True)
class Metrics:
    """The scorecard's figures over one group of opportunities. Rates are None when nothing was decided."""

    opportunities: int
    won: int
    lost: int
    open: int
    win_rate: float | None  # won / (won + lost)
    pocs_run: int
    pocs_won: int
    pocs_lost: int
    poc_win_rate: float | None  # POCs won / POCs decided (won + lost)
    poc_deals_closed: int
    poc_conversion: float | None  # closed deals with a POC that were won
    technical_wins: int
    technical_losses: int
    technical_win_rate: float | None  # technical wins / technical decisions recorded
    velocity_deals: int
    median_velocity_days: float | None  # created -> closed, won deals
    pipeline: float  # amount of every opportunity in the group
    won_amount: float
    open_amount: float
    pipeline_share: float | None  # of the team's pipeline


@dataclass(frozen=True)
class SeMetrics:
    se: str
    metrics: Metrics


@dataclass(frozen=True)
class QuarterMetrics:
    quarter: str  # 2026-Q1, or FY2027-Q1 with a fiscal year
    metrics: Metrics


@dataclass(frozen=True)
class AccountMetrics:
    """Time to first value and deployment at renewal, from the accounts export."""

    accounts: int
    reached_first_value: int
    median_days_to_first_value: float | None  # of the accounts that reached it
    #: The median with the waiting accounts in (Kaplan–Meier: each one has waited at least its days so far);
    #: what the 120-day rule is judged on. `estimate_at_least`: fewer than half are known to have reached
    #: first value, so the median is more than this many days.
    estimated_median_days_to_first_value: float | None
    estimate_at_least: bool
    waiting: int  # no first value yet
    past_trigger: int  # reached it after the trigger, or still waiting past it
    renewed: int
    fully_deployed: int
    deployed_at_renewal: float | None  # share of renewed accounts fully deployed
    median_deployed_share: float | None


@dataclass(frozen=True)
class RuleCheck:
    """A measured figure against the decision rule it feeds."""

    id: Literal["poc-win-rate-revisit", "days-to-first-value", "deployed-at-renewal"]
    figure: str
    value: float | None
    threshold: float
    verdict: Literal["above", "below", "stable above", "no data"]
    text: str
    source: str


@dataclass(frozen=True)
class Scorecard:
    """`roleplan scorecard`."""

    kind: str
    file: str
    accounts_file: str | None
    as_of: str
    team: Metrics
    with_se: Metrics
    without_se: Metrics
    per_se: tuple[SeMetrics, ...]
    by_quarter: tuple[QuarterMetrics, ...]
    accounts: AccountMetrics | None
    checks: tuple[RuleCheck, ...]
    invalid_rows: int
    invalid: tuple[RowFinding, ...]  # the first ones; invalid_rows counts them all
