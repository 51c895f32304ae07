"""The CI gate: a Plan checked against the Benchmarks gives Findings. Pure: no I/O, no printing.

Every threshold comes from the benchmarks (so `--benchmarks` moves the gate); every finding names the
benchmark figure (a dotted path into benchmarks.yaml) and the publication it cites.

Per team and quarter (line: the quarter key): RP101/RP102/RP103 (at most one, in the order RP102, RP103,
RP101), RP104, RP201, RP204. Per quarter for the company (line: the first team's quarter key): RP202.
Once per plan: RP203 (line: the highest `arr`, the company's or a quarter's). Per `budget:` entry: RP301, RP302
or RP303 (line: the entry). Then waivers: RP001 (expired) and RP002 (unused).
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from roleplan.models.benchmarks import STAGES
from roleplan.models.findings import CheckedFile, CheckResult, FailOn, Finding, Summary, fails
from roleplan.models.rules import BY_ID, rule

if TYPE_CHECKING:
    from roleplan.models.benchmarks import Benchmarks
    from roleplan.models.figures import Band, Cited
    from roleplan.models.plan import Plan, Quarter, Team, Waiver

#: Path in the plan file -> its 1-based line.
Locate = Callable[[tuple[str | int, ...]], int]
#: Float tolerance for ratio comparisons (headcounts may be fractional: a half-time seat is 0.5).
EPS = 1e-9


def _n(value: float) -> str:
    return f"{value:g}"


def _ratio(aes: float, ses: float) -> str:
    return f"1:{round(aes / ses, 1):g}"


def _band(band: Band) -> str:
    """SE:AE band as people say it: `1:3–1:4`, or `1:2` when both ends agree."""
    low, high = f"1:{band.min:g}", f"1:{band.max:g}"
    return low if low == high else f"{low}–{high}"


def _plural(count: float, word: str) -> str:
    return f"{_n(count)} {word}" + ("" if count == 1 else "s")


@dataclass(frozen=True)
class _Where:
    segment: str
    quarter: str
    line: int


@dataclass
class _Emitter:
    """Builds findings for one plan file."""

    file: str
    out: list[Finding]

    def at(self, where: _Where, rule_id: str, message: str, *, benchmark: str, cited: Cited) -> None:
        """A finding about one team-quarter."""
        self.add(
            rule_id,
            message,
            line=where.line,
            segment=where.segment,
            quarter=where.quarter,
            benchmark=benchmark,
            cited=cited,
        )

    def add(
        self,
        rule_id: str,
        message: str,
        *,
        line: int,
        benchmark: str | None = None,
        cited: Cited | None = None,
        segment: str | None = None,
        quarter: str | None = None,
        source: str | None = None,
    ) -> None:
        r = BY_ID[rule_id]
        self.out.append(
            Finding(
                rule=r.id,
                name=r.name,
                severity=r.severity,
                message=message,
                file=self.file,
                line=line,
                segment=segment,
                quarter=quarter,
                benchmark=benchmark,
                source=cited.source if cited is not None else source,
            )
        )


def check_plan(
    plan: Plan, bench: Benchmarks, *, file: str, line_of: Locate, today: datetime.date
) -> list[Finding]:
    """Every finding for one valid plan, waivers applied (waived findings kept, marked suppressed)."""
    emit = _Emitter(file, [])
    for ti, team in enumerate(plan.teams):
        for qkey, q in team.quarters.items():
            line = line_of(("teams", ti, "quarters", qkey))
            _se_rules(plan, bench, emit, team, q, qkey, line)
            _sa_rules(plan, bench, emit, team, q, qkey, line)
    _deployment_debt(plan, bench, emit, line_of)
    _first_sa(plan, bench, emit, line_of)
    if plan.budget:
        _budget(plan, bench, emit, line_of)
    return _apply_waivers(plan.ignore or (), emit, line_of, today)


def _se_rules(
    plan: Plan, bench: Benchmarks, emit: _Emitter, team: Team, q: Quarter, qkey: str, line: int
) -> None:
    aes, ses = q.aes, q.ses
    platform = plan.company.motion == "platform" or team.segment == "platform"
    seg = "platform" if platform else team.segment
    seg_fig = bench.se_ratios.segments[seg]
    band = seg_fig.aes_per_se
    ceiling = bench.se_ratios.ceiling
    where = _Where(team.segment, qkey, line)
    seg_path = f"se_ratios.segments.{seg}"
    staffing = f"{_plural(aes, 'AE')}, {_plural(ses, 'SE')}"
    first_se_stage = min(STAGES.index(s) for s in bench.stage_rules.early_stage.stages)
    founder_led = STAGES.index(plan.company.stage) < first_se_stage

    if ses <= 0 and founder_led:
        return  # before the first early stage (seed) the founders sell and demo: no SE is expected yet
    if platform and aes > ses * band.max + EPS:
        drop = bench.stage_rules.founder_mistake.win_rate_drop_points
        need = math.ceil(aes / band.max - EPS)
        now = f"at {_ratio(aes, ses)} SE:AE" if ses else "with no SE"
        why = "platform motion" if plan.company.motion == "platform" else "platform segment"
        emit.at(
            where,
            "RP102",
            f"{team.segment} team ({why}) {now} ({staffing}); platform sellers staff "
            f"1:{_n(band.max)}, so {_plural(need, 'SE')} — a product-style ratio on a platform sale costs "
            f"{_n(drop.min)}–{_n(drop.max)} win-rate points",
            benchmark=seg_path,
            cited=seg_fig,
        )
    elif ses <= 0 and aes > 0:
        emit.at(
            where,
            "RP103",
            f"{team.segment} team has {_plural(aes, 'AE')} and no SE at {plan.company.stage}: from "
            f"{STAGES[first_se_stage]} on AEs need SE coverage (at most {ceiling.max_reps_per_se} reps "
            f"per SE; the {seg} band needs {_plural(math.ceil(aes / band.max - EPS), 'SE')})",
            benchmark="se_ratios.ceiling",
            cited=ceiling,
        )
    elif ses > 0 and aes > ses * ceiling.max_reps_per_se + EPS:
        emit.at(
            where,
            "RP103",
            f"{team.segment} team at {_ratio(aes, ses)} SE:AE ({staffing}) is past the ceiling of "
            f"{ceiling.max_reps_per_se} reps per SE; the {seg} band {_band(band)} needs "
            f"{_plural(math.ceil(aes / band.max - EPS), 'SE')}",
            benchmark="se_ratios.ceiling",
            cited=ceiling,
        )
    elif ses > 0 and aes > ses * band.max + EPS:
        emit.at(
            where,
            "RP101",
            f"{team.segment} team at {_ratio(aes, ses)} SE:AE ({staffing}) is thinner than the "
            f"{seg} band {_band(band)}; it needs "
            f"{_plural(math.ceil(aes / band.max - EPS), 'SE')}",
            benchmark=seg_path,
            cited=seg_fig,
        )
    elif ses > 0 and aes < ses * band.min - EPS:
        enough = math.ceil(aes / band.min - EPS)
        emit.at(
            where,
            "RP104",
            f"{team.segment} team at {_ratio(aes, ses)} SE:AE ({staffing}) is richer than the {seg} band "
            f"{_band(band)}; {_plural(enough, 'SE')} would cover {_plural(aes, 'AE')}",
            benchmark=seg_path,
            cited=seg_fig,
        )


def _sa_need(bench: Benchmarks, q: Quarter) -> float:
    """SAs the accounts need at the lightest benchmark load (strategic/15 + commercial/30 by default)."""
    sa = bench.sa_ratios
    return (
        q.strategic_accounts / sa.strategic.accounts_per_sa.max
        + q.commercial_accounts / sa.commercial.accounts_per_sa.max
    )


def _sa_rules(
    plan: Plan, bench: Benchmarks, emit: _Emitter, team: Team, q: Quarter, qkey: str, line: int
) -> None:
    where = _Where(team.segment, qkey, line)
    stage = plan.company.stage
    sa = bench.sa_ratios
    need = _sa_need(bench, q)
    if (stage in bench.stage_rules.growth_stage.stages or q.sas > 0) and q.sas < need - EPS:
        strategic = q.strategic_accounts > 0
        emit.at(
            where,
            "RP201",
            f"{team.segment} team has {_plural(q.sas, 'SA')} for {_n(q.strategic_accounts)} strategic and "
            f"{_n(q.commercial_accounts)} commercial accounts; at 1 SA per "
            f"{_n(sa.strategic.accounts_per_sa.max)} strategic and {_n(sa.commercial.accounts_per_sa.max)} "
            f"commercial accounts that needs {need:.1f} SAs",
            benchmark="sa_ratios.strategic" if strategic else "sa_ratios.commercial",
            cited=sa.strategic if strategic else sa.commercial,
        )
    early = bench.stage_rules.early_stage
    if stage in early.stages and q.sas > q.ses + EPS:
        emit.at(
            where,
            "RP204",
            f"{team.segment} team plans {_plural(q.sas, 'SA')} and {_plural(q.ses, 'SE')} at {stage}: "
            f"at {', '.join(early.stages)} the first pre-sales hire is the {early.hire_first.upper()}",
            benchmark="stage_rules.early_stage",
            cited=early,
        )


def _debt_triggers(plan: Plan, bench: Benchmarks) -> list[str]:
    rule_ = bench.stage_rules.deployment_debt
    m = plan.metrics
    out: list[str] = []
    if m is None:
        return out
    if m.days_to_first_value is not None and m.days_to_first_value > rule_.max_days_to_first_value:
        out.append(f"{_n(m.days_to_first_value)} days to first value, over {rule_.max_days_to_first_value}")
    if m.deployed_at_renewal is not None and m.deployed_at_renewal < rule_.min_deployed_at_renewal - EPS:
        out.append(
            f"{m.deployed_at_renewal:.0%} deployed at renewal, under {rule_.min_deployed_at_renewal:.0%}"
        )
    return out


def _deployment_debt(plan: Plan, bench: Benchmarks, emit: _Emitter, line_of: Locate) -> None:
    triggers = _debt_triggers(plan, bench)
    if not triggers:
        return
    quarters: dict[str, tuple[int, float, float]] = {}  # quarter -> (line of first mention, SAs, SAs needed)
    for ti, team in enumerate(plan.teams):
        for qkey, q in team.quarters.items():
            line, sas, need = quarters.get(qkey, (line_of(("teams", ti, "quarters", qkey)), 0.0, 0.0))
            quarters[qkey] = (line, sas + q.sas, need + _sa_need(bench, q))
    fig = bench.stage_rules.deployment_debt
    for qkey, (line, sas, need) in sorted(quarters.items()):
        required = max(1.0, need)
        if sas < required - EPS:
            emit.add(
                "RP202",
                f"deployment debt ({'; '.join(triggers)}) with {_plural(sas, 'SA')} in {qkey} across all "
                f"teams; the accounts need {required:.1f} (at least 1) — past either trigger the fix is SAs, "
                "not more SEs",
                benchmark="stage_rules.deployment_debt",
                cited=fig,
                quarter=qkey,
                line=line,
            )


def _first_sa(plan: Plan, bench: Benchmarks, emit: _Emitter, line_of: Locate) -> None:
    fig = bench.stage_rules.first_sa
    # the highest ARR the plan states: the company's, or a quarter's (`roleplan plan` staffs from that quarter)
    arr, where = plan.company.arr, ""
    path: tuple[str | int, ...] = ("company", "arr")
    for ti, team in enumerate(plan.teams):
        for qkey, q in team.quarters.items():
            if q.arr is not None and (arr is None or q.arr > arr):
                arr, where, path = q.arr, f" (in {qkey})", ("teams", ti, "quarters", qkey, "arr")
    live = plan.metrics.enterprise_customers_live if plan.metrics is not None else None
    if arr is None or live is None:
        return
    if arr < fig.arr.min or live < fig.live_enterprise_customers.min:
        return
    if any(q.sas > 0 for team in plan.teams for q in team.quarters.values()):
        return
    emit.add(
        "RP203",
        f"ARR ${arr / 1e6:.1f}M{where} and {_n(live)} enterprise customers live reach the first-SA milestone "
        f"(${fig.arr.min / 1e6:g}M–${fig.arr.max / 1e6:g}M ARR, {_n(fig.live_enterprise_customers.min)}–"
        f"{_n(fig.live_enterprise_customers.max)} live enterprise customers) and the plan has no SA",
        benchmark="stage_rules.first_sa",
        cited=fig,
        line=line_of(path),
    )


def _budget(plan: Plan, bench: Benchmarks, emit: _Emitter, line_of: Locate) -> None:
    from roleplan.core.cost import cost_plan
    from roleplan.money import format_money, format_money_range

    cost = cost_plan(plan, bench, file=emit.file)
    for b in cost.budget:
        if b.status == "within":
            continue
        partial = (
            f" (the plan covers {b.quarters} of its 4 quarters)"
            if len(b.period) == 4 and b.quarters < 4
            else ""
        )
        at = format_money_range(b.ote.min, b.ote.max)
        if b.status == "unplanned":
            first, last = cost.quarters[0].period, cost.quarters[-1].period
            span = first if first == last else f"{first} to {last}"
            emit.add(
                "RP303",
                f"a {format_money(b.budget)} budget for {b.period}, but the plan has no quarter in it (it "
                f"covers {span}): it checks nothing",
                line=line_of(("budget", b.period)),
                quarter=b.period if len(b.period) > 4 else None,
            )
            continue
        if b.status == "over-min":
            text = (
                f"SE and SA pay in {b.period} is {at} at OTE{partial}, over the {format_money(b.budget)} "
                f"budget even at the bottom of the bands (by {format_money(b.ote.min - b.budget)})"
            )
        else:
            text = (
                f"SE and SA pay in {b.period} is {at} at OTE{partial}: the {format_money(b.budget)} budget "
                f"holds at the bottom of the bands, not at the top (short by {format_money(b.ote.max - b.budget)})"
            )
        figures = {
            f.benchmark: f.source
            for q in cost.quarters
            if q.period.startswith(b.period)
            for ln in q.lines
            if ln.heads
            for f in ln.figures
        }
        emit.add(
            "RP301" if b.status == "over-min" else "RP302",
            text,
            line=line_of(("budget", b.period)),
            quarter=b.period if len(b.period) > 4 else None,
            benchmark=", ".join(figures) or None,
            source="; ".join(dict.fromkeys(figures.values())) or None,
        )


def _matches(w: Waiver, f: Finding) -> bool:
    return (
        rule(w.rule).id == f.rule
        and (w.segment is None or w.segment == f.segment)
        and (w.quarter is None or w.quarter == f.quarter)
    )


def _apply_waivers(
    waivers: Sequence[Waiver], emit: _Emitter, line_of: Locate, today: datetime.date
) -> list[Finding]:
    findings = list(emit.out)
    emit.out = []
    live: list[tuple[int, Waiver]] = []
    for wi, w in enumerate(waivers):
        if w.until is not None and w.until < today:
            emit.add(
                "RP001",
                f"waiver for {rule(w.rule).id} expired on {w.until.isoformat()} and no longer suppresses "
                f"anything (reason given: {w.reason})",
                line=line_of(("ignore", wi)),
                segment=w.segment,
                quarter=w.quarter,
            )
        else:
            live.append((wi, w))
    used: set[int] = set()
    for i, f in enumerate(findings):
        for wi, w in live:
            if _matches(w, f):
                findings[i] = replace(f, suppressed=True, reason=w.reason)
                used.add(wi)
                break
    for wi, w in live:
        if wi not in used:
            scope = " ".join(x for x in (w.segment, w.quarter) if x)
            emit.add(
                "RP002",
                f"waiver for {rule(w.rule).id}{' (' + scope + ')' if scope else ''} matches no finding; "
                "remove it so it cannot hide a future problem",
                line=line_of(("ignore", wi)),
                segment=w.segment,
                quarter=w.quarter,
            )
    return findings + emit.out


def summarize(files: Iterable[CheckedFile], findings: Iterable[Finding], fail_on: FailOn) -> CheckResult:
    """The run's result: findings in a stable order (file, line, rule), counts, and pass or fail."""
    ordered = tuple(sorted(findings, key=Finding.sort_key))
    active = [f for f in ordered if not f.suppressed]
    checked = tuple(files)
    return CheckResult(
        status="fail" if any(fails(f, fail_on) for f in ordered) else "pass",
        summary=Summary(
            files=len(checked),
            errors=sum(f.severity == "error" for f in active),
            warnings=sum(f.severity == "warning" for f in active),
            suppressed=len(ordered) - len(active),
            fail_on=fail_on,
        ),
        findings=ordered,
        files=checked,
    )
