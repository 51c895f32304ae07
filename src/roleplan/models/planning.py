"""Results of `roleplan plan` (a filled plan and its hiring timeline), `cost` and `diff`. Frozen data only."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from roleplan.models.findings import Finding

PlanRole = Literal["se", "sa"]


@dataclass(frozen=True, kw_only=True)
class Why:
    """Why a role has its headcount in a team-quarter: the rule, the benchmark figure and its source."""

    role: PlanRole
    text: str
    benchmark: str
    source: str


@dataclass(frozen=True, kw_only=True)
class Req:
    """Open `count` reqs for `role` in `open_quarter` so the hires start in `start_quarter`."""

    team: str
    segment: str
    role: PlanRole
    count: int
    open_quarter: str
    start_quarter: str
    before_plan: bool  # the req should already be open: its quarter is before the plan's first


@dataclass(frozen=True, kw_only=True)
class TeamQuarter:
    """One team in one quarter after filling: headcount by role, the change and hires, and why."""

    team: str
    team_index: int
    segment: str
    quarter: str
    aes: float
    ses: int
    sas: int
    se_change: int
    sa_change: int
    se_hires: int
    sa_hires: int
    ses_ramping: int
    sas_ramping: int
    why: tuple[Why, ...]


@dataclass(frozen=True, kw_only=True)
class Timing:
    """The hiring-timing figures in force and where they come from."""

    lead_time_quarters: int
    ramp_quarters: int
    benchmark: str
    source: str


@dataclass(frozen=True, kw_only=True)
class FilledPlan:
    """`roleplan plan`: every team-quarter's SEs and SAs from the AEs and accounts, and when to open reqs."""

    file: str
    company: str | None
    stage: str
    timing: Timing
    rows: tuple[TeamQuarter, ...]
    reqs: tuple[Req, ...]


@dataclass(frozen=True, kw_only=True)
class Range:
    """Dollars, lowest to highest."""

    min: float
    max: float


@dataclass(frozen=True, kw_only=True)
class Figure:
    """One pay band a cost comes from (with its share of the team's heads when a level mix is given)."""

    benchmark: str
    source: str
    level: str | None
    share: float
    base: Range
    ote: Range
    note: str | None = None


@dataclass(frozen=True, kw_only=True)
class CostLine:
    """What one role in one team costs in one quarter: heads x band / 4."""

    team: str
    segment: str
    role: PlanRole
    heads: float
    base: Range
    ote: Range
    figures: tuple[Figure, ...]


@dataclass(frozen=True, kw_only=True)
class RoleHeads:
    se: float
    sa: float


@dataclass(frozen=True, kw_only=True)
class PeriodCost:
    """A quarter (`2027-Q1`) or a calendar year (`2027`): heads, base and OTE summed over teams and roles.

    `total` is what the period costs at target pay: the OTE range (base plus on-target variable). For a year,
    `heads` are the average over the quarters it covers and `quarters` how many of its quarters the plan has;
    its `lines` are one per team and role (pay summed over the year, heads on average).
    """

    period: str
    heads: RoleHeads
    base: Range
    ote: Range
    total: Range
    quarters: int
    lines: tuple[CostLine, ...] = ()


BudgetStatus = Literal["within", "over-max", "over-min", "unplanned"]


@dataclass(frozen=True, kw_only=True)
class BudgetCheck:
    """A `budget:` entry against the plan's OTE in that period."""

    period: str
    budget: float
    ote: Range
    status: BudgetStatus
    quarters: int  # quarters of the period the plan covers (a year may be partial)


@dataclass(frozen=True, kw_only=True)
class CostResult:
    """`roleplan cost`: per quarter and per year, with the bands and sources behind every line."""

    file: str
    company: str | None
    quarters: tuple[PeriodCost, ...]
    years: tuple[PeriodCost, ...]
    budget: tuple[BudgetCheck, ...]


DiffStatus = Literal["new", "fixed", "unchanged"]


@dataclass(frozen=True, kw_only=True)
class FindingChange:
    status: DiffStatus
    finding: Finding


@dataclass(frozen=True, kw_only=True)
class QuarterChange:
    """Headcount and cost of one quarter in BASE and HEAD (a quarter missing on one side counts as 0)."""

    quarter: str
    base_heads: RoleHeads
    head_heads: RoleHeads
    base_ote: Range
    head_ote: Range

    @property
    def se_delta(self) -> float:
        return self.head_heads.se - self.base_heads.se

    @property
    def sa_delta(self) -> float:
        return self.head_heads.sa - self.base_heads.sa

    @property
    def ote_delta(self) -> Range:
        return Range(min=self.head_ote.min - self.base_ote.min, max=self.head_ote.max - self.base_ote.max)


DiffFailOn = Literal["new-error", "new-warning", "never"]
DIFF_FAIL_ON: tuple[DiffFailOn, ...] = ("new-error", "new-warning", "never")


@dataclass(frozen=True, kw_only=True)
class DiffResult:
    """`roleplan diff BASE HEAD`: findings new / fixed / unchanged, headcount and cost change per quarter."""

    base: str
    head: str
    company: str | None
    findings: tuple[FindingChange, ...]
    quarters: tuple[QuarterChange, ...]
    fail_on: DiffFailOn
    status: Literal["pass", "fail"]

    def count(self, status: DiffStatus, severity: str | None = None) -> int:
        return sum(
            c.status == status and (severity is None or c.finding.severity == severity) for c in self.findings
        )
