"""`roleplan report`: the figures a board page draws, computed from the plan, its findings and its cost. Pure.

Per team and quarter: AEs per SE against the segment's band and the rep ceiling, SAs against the accounts'
need (at the lightest and the tightest cited load). For the company: heads by role and cost per quarter,
with the quarterly budget where the plan gives one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from roleplan.core.plan import team_label
from roleplan.models.plan import quarter_index

if TYPE_CHECKING:
    from roleplan.models.benchmarks import Benchmarks
    from roleplan.models.findings import Finding
    from roleplan.models.plan import Plan
    from roleplan.models.planning import BudgetCheck, CostResult, PeriodCost


@dataclass(frozen=True, kw_only=True)
class TeamSeries:
    """One team over its quarters (a quarter with no SE has no ratio: None)."""

    team: str
    segment: str
    quarters: tuple[str, ...]
    aes: tuple[float, ...]
    ses: tuple[float, ...]
    sas: tuple[float, ...]
    aes_per_se: tuple[float | None, ...]
    band_min: float
    band_max: float
    band_benchmark: str
    band_source: str
    ceiling: float
    sa_need_low: tuple[float, ...]  # at the lightest load (most accounts per SA)
    sa_need_high: tuple[float, ...]  # at the tightest load
    sa_benchmark: str
    sa_source: str


@dataclass(frozen=True, kw_only=True)
class Board:
    """Everything the board page shows."""

    file: str
    company: str | None
    stage: str
    motion: str
    teams: tuple[TeamSeries, ...]
    quarters: tuple[str, ...]
    aes: tuple[float, ...]
    ses: tuple[float, ...]
    sas: tuple[float, ...]
    cost: tuple[PeriodCost, ...]
    years: tuple[PeriodCost, ...]
    budget: tuple[float | None, ...]  # per quarter, where `budget:` gives that quarter
    budget_checks: tuple[BudgetCheck, ...]
    findings: tuple[Finding, ...]
    comp_sources: tuple[str, ...]


def board(
    plan: Plan, bench: Benchmarks, *, file: str, findings: Sequence[Finding], cost: CostResult
) -> Board:
    sa = bench.sa_ratios
    teams = []
    for ti, team in enumerate(plan.teams):
        platform = plan.company.motion == "platform" or team.segment == "platform"
        seg = "platform" if platform else team.segment
        fig = bench.se_ratios.segments[seg]
        keys = tuple(sorted(team.quarters, key=quarter_index))
        qs = [team.quarters[k] for k in keys]
        teams.append(
            TeamSeries(
                team=team_label(team, ti),
                segment=team.segment,
                quarters=keys,
                aes=tuple(q.aes for q in qs),
                ses=tuple(q.ses for q in qs),
                sas=tuple(q.sas for q in qs),
                aes_per_se=tuple(round(q.aes / q.ses, 2) if q.ses else None for q in qs),
                band_min=fig.aes_per_se.min,
                band_max=fig.aes_per_se.max,
                band_benchmark=f"se_ratios.segments.{seg}",
                band_source=fig.source,
                ceiling=bench.se_ratios.ceiling.max_reps_per_se,
                sa_need_low=tuple(
                    q.strategic_accounts / sa.strategic.accounts_per_sa.max
                    + q.commercial_accounts / sa.commercial.accounts_per_sa.max
                    for q in qs
                ),
                sa_need_high=tuple(
                    q.strategic_accounts / sa.strategic.accounts_per_sa.min
                    + q.commercial_accounts / sa.commercial.accounts_per_sa.min
                    for q in qs
                ),
                sa_benchmark="sa_ratios",
                sa_source=sa.strategic.source,
            )
        )
    keys_all = tuple(p.period for p in cost.quarters)
    totals = {k: [0.0, 0.0, 0.0] for k in keys_all}
    for team in plan.teams:
        for k, q in team.quarters.items():
            t = totals[k]
            t[0] += q.aes
            t[1] += q.ses
            t[2] += q.sas
    budget = plan.budget or {}
    sources = sorted({f.source for p in cost.quarters for ln in p.lines for f in ln.figures})
    return Board(
        file=file,
        company=plan.company.name,
        stage=plan.company.stage,
        motion=plan.company.motion,
        teams=tuple(teams),
        quarters=keys_all,
        aes=tuple(totals[k][0] for k in keys_all),
        ses=tuple(totals[k][1] for k in keys_all),
        sas=tuple(totals[k][2] for k in keys_all),
        cost=cost.quarters,
        years=cost.years,
        budget=tuple(budget.get(k) for k in keys_all),
        budget_checks=cost.budget,
        findings=tuple(findings),
        comp_sources=tuple(sources),
    )
