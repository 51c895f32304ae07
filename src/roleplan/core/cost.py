"""`roleplan cost`: what a plan's SEs and SAs cost per quarter and year, from the cited pay bands. Pure.

A role in a team costs heads x band / 4 a quarter, base and OTE each as a min–max range. The band is the
one for the team's segment (`planning.cost_segment` maps segments without bands, e.g. platform), or, when
the team gives a `levels:` mix, the shares of the level bands. A level band that publishes only OTE or
total pay gets its base from the band's own base/variable split (70/30: base = 70% of OTE); where it has
none, from a split another band of that role and level publishes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from roleplan.core.plan import team_label
from roleplan.errors import BenchmarksError
from roleplan.models.plan import quarter_index
from roleplan.models.planning import (
    BudgetCheck,
    CostLine,
    CostResult,
    Figure,
    PeriodCost,
    PlanRole,
    Range,
    RoleHeads,
)

if TYPE_CHECKING:
    from roleplan.models.benchmarks import Benchmarks
    from roleplan.models.plan import Plan, Team

ROLES: tuple[PlanRole, ...] = ("se", "sa")
EPS = 1e-6


def _split_shares(splits: Iterable[str]) -> tuple[float, float] | None:
    """Lowest and highest base share of `70/30`-style splits."""
    shares = [int(s.split("/")[0]) / 100 for s in splits]
    return (min(shares), max(shares)) if shares else None


def _segment_figure(bench: Benchmarks, role: PlanRole, segment: str) -> Figure:
    costed = bench.planning.cost_segment.get(segment, segment)
    for i, band in enumerate(bench.comp.bands):
        if (
            band.role == role
            and band.segment == costed
            and band.level is None
            and band.base is not None
            and band.ote is not None
        ):
            note = (
                f"{segment} costed at the {costed} band (planning.cost_segment)"
                if costed != segment
                else None
            )
            return Figure(
                benchmark=f"comp.bands[{i}]",
                source=band.source,
                level=None,
                share=1.0,
                base=Range(min=band.base.min, max=band.base.max),
                ote=Range(min=band.ote.min, max=band.ote.max),
                note=note,
            )
    raise BenchmarksError(f"comp.bands: no {role} band for the {costed} segment with both base and ote")


def _level_figure(bench: Benchmarks, role: PlanRole, level: str, segment: str, share: float) -> Figure:
    costed = bench.planning.cost_segment.get(segment, segment)
    found = [
        (i, b)
        for i, b in enumerate(bench.comp.bands)
        if b.role == role and b.level == level and b.segment in (None, costed)
    ]
    full = [(i, b) for i, b in found if b.base is not None and b.ote is not None]
    if full:
        i, b = full[0]
        assert b.base is not None and b.ote is not None
        return Figure(
            benchmark=f"comp.bands[{i}]",
            source=b.source,
            level=level,
            share=share,
            base=Range(min=b.base.min, max=b.base.max),
            ote=Range(min=b.ote.min, max=b.ote.max),
        )
    pay = [(i, b) for i, b in found if b.ote is not None] + [(i, b) for i, b in found if b.total is not None]
    if not pay:
        raise BenchmarksError(
            f"comp.bands: no {role} band for level {level!r} with base and ote, ote or total"
        )
    i, b = pay[0]
    target = b.ote if b.ote is not None else b.total
    assert target is not None
    splits = _split_shares(b.split) or _split_shares(s for _, o in found for s in o.split)
    if splits is None:
        raise BenchmarksError(
            f"comp.bands[{i}]: the {role} {level} band gives no base and no base/variable split to derive it"
        )
    what = "OTE" if b.ote is not None else "total pay"
    low, high = splits
    return Figure(
        benchmark=f"comp.bands[{i}]",
        source=b.source,
        level=level,
        share=share,
        base=Range(min=target.min * low, max=target.max * high),
        ote=Range(min=target.min, max=target.max),
        note=f"base {low:.0%}" + (f"–{high:.0%}" if high != low else "") + f" of {what}, from the split",
    )


def team_figures(bench: Benchmarks, team: Team, role: PlanRole) -> tuple[Figure, ...]:
    """The bands a team's role is costed at: its segment's band, or one per level of its `levels:` mix."""
    if not team.levels:
        return (_segment_figure(bench, role, team.segment),)
    return tuple(
        _level_figure(bench, role, level, team.segment, share)
        for level, share in team.levels.items()
        if share
    )


def _per_head(figures: Sequence[Figure]) -> tuple[Range, Range]:
    """Annual base and OTE of one head at this mix."""
    return (
        Range(min=sum(f.share * f.base.min for f in figures), max=sum(f.share * f.base.max for f in figures)),
        Range(min=sum(f.share * f.ote.min for f in figures), max=sum(f.share * f.ote.max for f in figures)),
    )


def _add(ranges: Iterable[Range]) -> Range:
    items = list(ranges)
    return Range(min=sum(r.min for r in items), max=sum(r.max for r in items))


def _per_team_role(lines: Sequence[CostLine], quarters: int) -> tuple[CostLine, ...]:
    """A period's lines summed per team and role: its pay over the period, its heads on average."""
    groups: dict[tuple[str, str], list[CostLine]] = {}
    for ln in lines:
        groups.setdefault((ln.team, ln.role), []).append(ln)
    return tuple(
        CostLine(
            team=first.team,
            segment=first.segment,
            role=first.role,
            heads=sum(ln.heads for ln in group) / max(quarters, 1),
            base=_add(ln.base for ln in group),
            ote=_add(ln.ote for ln in group),
            figures=first.figures,
        )
        for group in groups.values()
        for first in group[:1]
    )


def _period(period: str, lines: Sequence[CostLine], quarters: int) -> PeriodCost:
    per = max(quarters, 1)
    ote = _add(ln.ote for ln in lines)
    return PeriodCost(
        period=period,
        heads=RoleHeads(
            se=sum(ln.heads for ln in lines if ln.role == "se") / per,
            sa=sum(ln.heads for ln in lines if ln.role == "sa") / per,
        ),
        base=_add(ln.base for ln in lines),
        ote=ote,
        total=ote,
        quarters=quarters,
        lines=_per_team_role(lines, quarters),
    )


def cost_plan(plan: Plan, bench: Benchmarks, *, file: str) -> CostResult:
    """Cost per quarter (with a line per team and role) and per calendar year, and the budget checks."""
    by_quarter: dict[str, list[CostLine]] = {}
    for ti, team in enumerate(plan.teams):
        label = team_label(team, ti)
        mix = {role: team_figures(bench, team, role) for role in ROLES}
        per_head = {role: _per_head(figs) for role, figs in mix.items()}
        for qkey, q in team.quarters.items():
            for role in ROLES:
                heads = q.ses if role == "se" else q.sas
                base, ote = per_head[role]
                by_quarter.setdefault(qkey, []).append(
                    CostLine(
                        team=label,
                        segment=team.segment,
                        role=role,
                        heads=heads,
                        base=Range(min=heads * base.min / 4, max=heads * base.max / 4),
                        ote=Range(min=heads * ote.min / 4, max=heads * ote.max / 4),
                        figures=mix[role],
                    )
                )
    keys = sorted(by_quarter, key=quarter_index)
    quarters = tuple(_period(k, by_quarter[k], 1) for k in keys)
    years: dict[str, list[str]] = {}
    for k in keys:
        years.setdefault(k[:4], []).append(k)
    year_costs = tuple(
        _period(y, [ln for k in ks for ln in by_quarter[k]], len(ks)) for y, ks in years.items()
    )
    return CostResult(
        file=file,
        company=plan.company.name,
        quarters=quarters,
        years=year_costs,
        budget=budget_checks(plan, quarters, year_costs),
    )


def budget_checks(
    plan: Plan, quarters: Sequence[PeriodCost], years: Sequence[PeriodCost]
) -> tuple[BudgetCheck, ...]:
    """Each `budget:` entry against the OTE of its quarter or year (`unplanned`: the plan has no quarter in it)."""
    periods = {p.period: p for p in (*quarters, *years)}
    out: list[BudgetCheck] = []
    for key, amount in (plan.budget or {}).items():
        p = periods.get(key)
        ote = p.ote if p is not None else Range(min=0, max=0)
        status = (
            "unplanned"
            if p is None
            else "over-min"
            if ote.min > amount + EPS
            else "over-max"
            if ote.max > amount + EPS
            else "within"
        )
        out.append(
            BudgetCheck(
                period=key,
                budget=amount,
                ote=ote,
                status=status,  # type: ignore[arg-type]
                quarters=p.quarters if p is not None else 0,
            )
        )
    return tuple(out)
