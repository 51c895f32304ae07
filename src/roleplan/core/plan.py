"""`roleplan plan`: fill each team-quarter's SEs and SAs from its AEs and accounts, and time the hiring. Pure.

The headcounts come from `core.staffing.staff` — the calculator behind `roleplan staff` — given the plan's
company, metrics, team and quarter, so a filled plan passes `roleplan check` (both read the same benchmark
figures). Two choices on top of it, both so that the plan reads like one company rather than many `staff`
runs:

* SEs: the fewest in staff's range [min, recommended] that is not richer than the segment's band (so the
  filled plan does not warn RP104 where a whole number of SEs can stay inside the band).
* SAs: the first-SA milestone calls for one SA in the company, not one per team: where it is the only
  trigger and no team's accounts already need an SA, the team with the most AEs gets it.

Hiring: headcount above the quarter before is hires; each req opens `planning.lead_time_quarters` before
the quarter of its start, and a hire counts as ramping for `planning.ramp_quarters` quarters. The first
quarter's `ses`/`sas`, where the plan gives them, are the people on staff when the plan starts.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from roleplan.core.staffing import sa_for_accounts, staff
from roleplan.models.plan import quarter_index, quarter_key
from roleplan.models.planning import FilledPlan, PlanRole, Req, TeamQuarter, Timing, Why
from roleplan.models.staffing import StaffInputs
from roleplan.money import ratio as fmt_ratio

if TYPE_CHECKING:
    from roleplan.models.benchmarks import Benchmarks
    from roleplan.models.plan import Plan, Quarter, Team

EPS = 1e-9


def team_label(team: Team, index: int) -> str:
    """How a team is named in output: its name, else its segment (with its position when that repeats)."""
    return team.name if team.name else f"{team.segment} #{index + 1}"


def _n(value: float) -> str:
    return f"{value:g}"


@dataclass
class _Need:
    ses: int
    sas: int
    se_why: Why
    sa_why: Why
    first_sa_floor: bool  # the SA is there only because of the first-SA milestone


def quarter_arr(plan: Plan) -> dict[str, float]:
    """The company's ARR by quarter: a quarter's `arr` (the highest where teams give several) applies to
    every team that quarter; quarters without one fall back to `company.arr`."""
    out: dict[str, float] = {}
    for team in plan.teams:
        for qkey, q in team.quarters.items():
            if q.arr is not None:
                out[qkey] = max(out.get(qkey, 0.0), q.arr)
    return out


def _inputs(plan: Plan, team: Team, q: Quarter, arr: float | None) -> StaffInputs:
    m = plan.metrics

    # staff() is written for whole people but its arithmetic holds for fractional heads (a half-time seat)
    def whole(value: float | None) -> int | None:
        return cast(int, value)

    return StaffInputs(
        stage=plan.company.stage,
        aes=cast(int, q.aes),
        segment=team.segment,
        motion=plan.company.motion,
        arr=arr,
        live_enterprise_customers=whole(m.enterprise_customers_live) if m else None,
        poc_win_rate=m.poc_win_rate if m else None,
        days_to_first_value=whole(m.days_to_first_value) if m else None,
        deployed_at_renewal=m.deployed_at_renewal if m else None,
        strategic_accounts=whole(q.strategic_accounts),
        commercial_accounts=whole(q.commercial_accounts),
    )


def _need(plan: Plan, bench: Benchmarks, team: Team, q: Quarter, arr: float | None) -> _Need:
    sp = staff(_inputs(plan, team, q, arr), bench)
    platform = plan.company.motion == "platform" or team.segment == "platform"
    seg = "platform" if platform else team.segment
    seg_fig = bench.se_ratios.segments[seg]
    band = seg_fig.aes_per_se
    ses = sp.se.recommended
    while ses > sp.se.min and q.aes < ses * band.min - EPS:
        ses -= 1
    band_text = (
        fmt_ratio(band.min) if band.min == band.max else f"{fmt_ratio(band.min)}–{fmt_ratio(band.max)}"
    )
    if ses:
        at = fmt_ratio(round(q.aes / ses, 2))
        se_text = f"{_n(q.aes)} AEs at SE:AE {at}; the {seg} band is {band_text}"
    else:
        se_text = "no AEs, no SE"
    se_why = Why(role="se", text=se_text, benchmark=f"se_ratios.segments.{seg}", source=seg_fig.source)

    sas = sp.sa.recommended
    advice = {a.id for a in sp.advice}
    accounts = sa_for_accounts(
        bench, cast(int, q.strategic_accounts), cast(int, q.commercial_accounts)
    ).recommended
    rules = bench.stage_rules
    sa_ratio = bench.sa_ratios
    if sas == 0:
        fig = rules.first_sa
        sa_why = Why(
            role="sa",
            text=f"no SA yet at {plan.company.stage}: no deployment debt, first-SA milestone "
            f"(${fig.arr.min / 1e6:g}M+ ARR, {_n(fig.live_enterprise_customers.min)}+ enterprise customers live) "
            "not met",
            benchmark="stage_rules.first_sa",
            source=fig.source,
        )
    elif accounts >= sas:
        strategic = q.strategic_accounts > 0
        sa_why = Why(
            role="sa",
            text=f"{_n(q.strategic_accounts)} strategic and {_n(q.commercial_accounts)} commercial accounts at "
            f"1 SA per {_n(sa_ratio.strategic.accounts_per_sa.mid)} strategic, "
            f"{_n(sa_ratio.commercial.accounts_per_sa.mid)} commercial",
            benchmark="sa_ratios.strategic" if strategic else "sa_ratios.commercial",
            source=(sa_ratio.strategic if strategic else sa_ratio.commercial).source,
        )
    elif "deployment-debt" in advice:
        sa_why = Why(
            role="sa",
            text="deployment debt past the triggers: at least one SA",
            benchmark="stage_rules.deployment_debt",
            source=rules.deployment_debt.source,
        )
    elif "both-roles" in advice:
        sa_why = Why(
            role="sa",
            text=f"{plan.company.stage} needs both roles: at least one SA",
            benchmark="stage_rules.growth_stage",
            source=rules.growth_stage.source,
        )
    else:
        sa_why = Why(
            role="sa",
            text="the first SA: ARR and live enterprise customers meet the milestone",
            benchmark="stage_rules.first_sa",
            source=rules.first_sa.source,
        )
    floor_only = sas > 0 and accounts < sas and advice.isdisjoint({"deployment-debt", "both-roles"})
    return _Need(ses=ses, sas=sas, se_why=se_why, sa_why=sa_why, first_sa_floor=floor_only)


def _first_sa_once(plan: Plan, needs: dict[tuple[int, str], _Need]) -> None:
    """Per quarter, keep one first-SA floor (the team with most AEs) unless an SA is there anyway."""
    by_quarter: dict[str, list[tuple[int, _Need]]] = {}
    for (ti, qkey), need in needs.items():
        by_quarter.setdefault(qkey, []).append((ti, need))
    for qkey, entries in by_quarter.items():
        floors = [(ti, n) for ti, n in entries if n.first_sa_floor]
        if not floors:
            continue
        covered = any(n.sas > 0 and not n.first_sa_floor for _, n in entries)
        keep = None if covered else max(floors, key=lambda e: (plan.teams[e[0]].quarters[qkey].aes, -e[0]))[0]
        for ti, n in floors:
            if ti != keep:
                n.sas = 0
                n.sa_why = Why(
                    role="sa",
                    text="no SA here: the company's first SA sits in another team this quarter",
                    benchmark=n.sa_why.benchmark,
                    source=n.sa_why.source,
                )


def fill_plan(
    plan: Plan, bench: Benchmarks, *, file: str, on_staff: Sequence[tuple[float, float]] | None = None
) -> FilledPlan:
    """SEs and SAs for every team-quarter, the hires, the reqs to open and why.

    `on_staff[i]`: team i's SEs and SAs when the plan starts (default: none).
    """
    timing = bench.planning
    needs: dict[tuple[int, str], _Need] = {}
    arr = quarter_arr(plan)
    for ti, team in enumerate(plan.teams):
        for qkey, q in team.quarters.items():
            needs[(ti, qkey)] = _need(plan, bench, team, q, arr.get(qkey, plan.company.arr))
    _first_sa_once(plan, needs)

    first = min(quarter_index(k) for team in plan.teams for k in team.quarters)
    rows: list[TeamQuarter] = []
    reqs: list[Req] = []
    for ti, team in enumerate(plan.teams):
        label = team_label(team, ti)
        prev_se, prev_sa = on_staff[ti] if on_staff is not None else (0.0, 0.0)
        hires_se: list[int] = []
        hires_sa: list[int] = []
        for qkey in sorted(team.quarters, key=quarter_index):
            need = needs[(ti, qkey)]
            se_h = max(0, math.ceil(need.ses - prev_se - EPS))
            sa_h = max(0, math.ceil(need.sas - prev_sa - EPS))
            hires_se.append(se_h)
            hires_sa.append(sa_h)
            window = max(timing.ramp_quarters, 0)
            ramp_se = min(need.ses, sum(hires_se[-window:])) if window else 0
            ramp_sa = min(need.sas, sum(hires_sa[-window:])) if window else 0
            rows.append(
                TeamQuarter(
                    team=label,
                    team_index=ti,
                    segment=team.segment,
                    quarter=qkey,
                    aes=team.quarters[qkey].aes,
                    ses=need.ses,
                    sas=need.sas,
                    se_change=round(need.ses - prev_se),
                    sa_change=round(need.sas - prev_sa),
                    se_hires=se_h,
                    sa_hires=sa_h,
                    ses_ramping=ramp_se,
                    sas_ramping=ramp_sa,
                    why=(need.se_why, need.sa_why),
                )
            )
            start = quarter_index(qkey)
            opens = start - timing.lead_time_quarters
            for role, count in (("se", se_h), ("sa", sa_h)):
                if count:
                    reqs.append(
                        Req(
                            team=label,
                            segment=team.segment,
                            role=cast(PlanRole, role),
                            count=count,
                            open_quarter=quarter_key(opens),
                            start_quarter=qkey,
                            before_plan=opens < first,
                        )
                    )
            prev_se, prev_sa = need.ses, need.sas
    rows.sort(key=lambda r: (quarter_index(r.quarter), r.team_index))
    reqs.sort(key=lambda r: (quarter_index(r.open_quarter), r.role != "sa", r.team))
    return FilledPlan(
        file=file,
        company=plan.company.name,
        stage=plan.company.stage,
        timing=Timing(
            lead_time_quarters=timing.lead_time_quarters,
            ramp_quarters=timing.ramp_quarters,
            benchmark="planning",
            source=timing.source,
        ),
        rows=tuple(rows),
        reqs=tuple(reqs),
    )
