"""Staffing calculators: stage-based advice, SE:AE ratio check, demo capacity. Pure; every figure cited."""

from __future__ import annotations

import math

from roleplan.errors import UsageError
from roleplan.models.benchmarks import STAGES, Benchmarks
from roleplan.models.figures import Band
from roleplan.models.staffing import (
    Advice,
    CapacityResult,
    Headcount,
    HireStep,
    RatioResult,
    SegmentFit,
    StaffInputs,
    StaffPlan,
)
from roleplan.money import format_money
from roleplan.money import ratio as fmt_ratio

#: Bigger inputs are typos, not go-to-market teams.
MAX_PEOPLE = 100_000
MAX_ACCOUNTS = 1_000_000
MAX_DAYS = 3_650
MAX_DEMOS_PER_REP_WEEK = 200


def _pct(x: float) -> str:
    return f"{x * 100:.0f}%"


def _band_ratio(band: Band) -> str:
    lo, hi = fmt_ratio(band.min), fmt_ratio(band.max)
    return lo if lo == hi else f"{lo}–{hi}"


def _people(delta: int, role: str) -> str:
    """`+1 SE`, `−2 SEs` (a true minus sign)."""
    sign = "+" if delta >= 0 else "−"
    return f"{sign}{abs(delta)} {role}{'s' if abs(delta) != 1 else ''}"


def _restore(delta: int) -> str:
    return "restores" if abs(delta) == 1 else "restore"


def check_count(name: str, value: int | None, limit: int = MAX_PEOPLE) -> None:
    """Negative or absurd counts are usage errors with the reason."""
    if value is None:
        return
    if value < 0:
        raise UsageError(f"{name} must not be negative (got {value})")
    if value > limit:
        raise UsageError(f"{name} = {value:,} is implausibly large (limit {limit:,})")


def check_share(name: str, value: float | None) -> None:
    if value is None:
        return
    if not 0.0 <= value <= 1.0 or math.isnan(value):
        raise UsageError(f"{name} must be a share between 0 and 1, like 0.55 (got {value})")


def ses_for(aes: int, aes_per_se: float) -> int:
    """Whole SEs so that no SE covers more than `aes_per_se` AEs."""
    return math.ceil(aes / aes_per_se - 1e-9) if aes > 0 else 0


def validate_staff_inputs(inp: StaffInputs) -> None:
    if inp.stage not in STAGES:
        raise UsageError(f"unknown stage {inp.stage!r}")
    check_count("--aes", inp.aes)
    check_count("--live-enterprise-customers", inp.live_enterprise_customers)
    check_count("--days-to-first-value", inp.days_to_first_value, MAX_DAYS)
    check_count("--strategic-accounts", inp.strategic_accounts, MAX_ACCOUNTS)
    check_count("--commercial-accounts", inp.commercial_accounts, MAX_ACCOUNTS)
    check_share("--poc-win-rate", inp.poc_win_rate)
    check_share("--deployed-at-renewal", inp.deployed_at_renewal)
    if inp.arr is not None and inp.arr < 0:
        raise UsageError("--arr must not be negative")


def sa_for_accounts(b: Benchmarks, strategic: int, commercial: int) -> Headcount:
    """SAs the account load asks for: fewest at the loosest ratio, most at the tightest."""
    s, c = b.sa_ratios.strategic.accounts_per_sa, b.sa_ratios.commercial.accounts_per_sa
    low = strategic / s.max + commercial / c.max
    high = strategic / s.min + commercial / c.min
    mid = strategic / s.mid + commercial / c.mid
    return Headcount(recommended=math.ceil(mid - 1e-9), min=math.ceil(low - 1e-9), max=math.ceil(high - 1e-9))


def staff(inp: StaffInputs, b: Benchmarks) -> StaffPlan:
    """How many SEs and SAs a company at this stage needs, in what order, and why."""
    validate_staff_inputs(inp)
    rules = b.stage_rules
    early_rule, growth_rule = rules.early_stage, rules.growth_stage
    early = inp.stage in early_rule.stages or inp.stage == "seed"
    growth = inp.stage in growth_rule.stages
    platform = inp.motion == "platform" or inp.segment == "platform"
    advice: list[Advice] = []

    # --- SEs: the segment's SE:AE band, or the early-stage 1:3 rule --------------------------------
    if platform:
        seg = b.se_ratios.segments["platform"]
        band, bench, source = seg.aes_per_se, "se_ratios.segments.platform", seg.source
        target = band.mid
    elif inp.segment is not None:
        seg = b.se_ratios.segments[inp.segment]
        band, bench, source = seg.aes_per_se, f"se_ratios.segments.{inp.segment}", seg.source
        target = (
            early_rule.aes_per_se if early and band.min <= early_rule.aes_per_se <= band.max else band.mid
        )
    elif early:
        band = Band(min=early_rule.aes_per_se, max=early_rule.aes_per_se)
        bench, source, target = "stage_rules.early_stage", early_rule.source, early_rule.aes_per_se
    else:
        seg = b.se_ratios.segments["mid-market"]
        band, bench, source = seg.aes_per_se, "se_ratios.segments.mid-market", seg.source
        target = band.mid
        advice.append(
            Advice("segment-default", "No --segment given: sized at the mid-market SE:AE band.", seg.source)
        )
    ceiling = b.se_ratios.ceiling.max_reps_per_se
    se_min = max(ses_for(inp.aes, band.max), ses_for(inp.aes, ceiling))
    se = Headcount(
        recommended=max(ses_for(inp.aes, target), se_min), min=se_min, max=ses_for(inp.aes, band.min)
    )

    if platform:
        pm, fm = rules.platform_model, rules.founder_mistake
        advice.append(
            Advice(
                "platform-ratio",
                f"Platform sale: one pre-sales seat per {_band_ratio(band).removeprefix('1:')} AE "
                f"({_band_ratio(band)}), so {se.recommended} for {inp.aes} AEs.",
                source,
            )
        )
        advice.append(
            Advice(
                "sa-led-model",
                f"Platform sellers ({', '.join(pm.companies)}) run an SA-led model: these {se.recommended} "
                f"pre-sales seats are titled {pm.presales_title}, and one can stay with the account from first "
                "call through expansion. They are counted as SE here because the work is pre-sales.",
                pm.source,
            )
        )
        advice.append(
            Advice(
                "founder-mistake",
                f"Do not staff a platform sale at {fmt_ratio(fm.aes_per_se)}: the SE becomes the bottleneck and "
                f"win rate drops {fm.win_rate_drop_points.min:g}–{fm.win_rate_drop_points.max:g} points.",
                fm.source,
            )
        )
    elif early:
        prefix = (
            "No benchmark covers seed stage; applying the Series A/B rule. " if inp.stage == "seed" else ""
        )
        advice.append(
            Advice(
                "se-first",
                f"{prefix}Hire SEs first, {fmt_ratio(early_rule.aes_per_se)} SE:AE: at this stage deals die in "
                "technical evaluation, not implementation.",
                early_rule.source,
            )
        )
    else:
        advice.append(
            Advice(
                "se-ratio",
                f"{se.recommended} SEs keep {inp.aes} AEs within the {_band_ratio(band)} SE:AE band.",
                source,
            )
        )

    if early and inp.poc_win_rate is not None:
        bar = early_rule.revisit_poc_win_rate
        if inp.poc_win_rate <= bar:  # the rule asks for a rate *above* the bar
            where = "is below" if inp.poc_win_rate < bar else "is not above"
            text = (
                f"POC win rate {_pct(inp.poc_win_rate)} {where} {_pct(bar)}: keep pre-sales the priority "
                f"and revisit once it is stable above {_pct(bar)}."
            )
        else:
            text = (
                f"POC win rate {_pct(inp.poc_win_rate)} is above {_pct(bar)}: time to revisit the SE-first "
                "plan — if it holds, post-sale capacity (SAs) is the next constraint."
            )
        advice.append(Advice("poc-win-rate", text, early_rule.source))

    # --- SAs: triggers decide whether, accounts decide how many -----------------------------------
    debt = rules.deployment_debt
    debt_reasons: list[str] = []
    if inp.days_to_first_value is not None and inp.days_to_first_value > debt.max_days_to_first_value:
        debt_reasons.append(
            f"{inp.days_to_first_value} days to first value is past the {debt.max_days_to_first_value}-day trigger"
        )
    if inp.deployed_at_renewal is not None and inp.deployed_at_renewal < debt.min_deployed_at_renewal:
        debt_reasons.append(
            f"{_pct(inp.deployed_at_renewal)} fully deployed at renewal is under the "
            f"{_pct(debt.min_deployed_at_renewal)} trigger"
        )
    first = rules.first_sa
    arr_ok = inp.arr is not None and inp.arr >= first.arr.min
    live_ok = (
        inp.live_enterprise_customers is not None
        and inp.live_enterprise_customers >= first.live_enterprise_customers.min
    )
    first_sa_due = arr_ok and live_ok
    has_accounts = bool(inp.strategic_accounts or inp.commercial_accounts)
    accounts = sa_for_accounts(b, inp.strategic_accounts or 0, inp.commercial_accounts or 0)
    need_sa = growth or bool(debt_reasons) or first_sa_due

    if need_sa:
        floor = 1
        sa = Headcount(
            recommended=max(accounts.recommended, floor),
            min=max(accounts.min, floor),
            max=max(accounts.max, floor),
        )
    else:
        sa = Headcount(recommended=0, min=0, max=0)

    if debt_reasons:
        advice.append(
            Advice(
                "deployment-debt",
                "; ".join(debt_reasons).capitalize() + ": hire SAs, not more SEs.",
                debt.source,
            )
        )
    if growth:
        advice.append(
            Advice(
                "both-roles",
                "Series C and later need both roles; the SA function is usually the under-staffed one — "
                "watch the gap between booked and live ARR.",
                growth_rule.source,
            )
        )
    live_text = f"{first.live_enterprise_customers.min:g}–{first.live_enterprise_customers.max:g}"
    arr_text = f"{format_money(first.arr.min)}–{format_money(first.arr.max)}"
    if first_sa_due and not growth:
        advice.append(
            Advice(
                "first-sa",
                f"Hire the first SA now: {format_money(inp.arr or 0)} ARR with {inp.live_enterprise_customers} "
                f"enterprise customers live meets the {arr_text} ARR, {live_text} live-customer milestone.",
                first.source,
            )
        )
    elif early and not need_sa:
        have = []
        if inp.arr is not None:
            have.append(f"at {format_money(inp.arr)} ARR")
        if inp.live_enterprise_customers is not None:
            have.append(f"with {inp.live_enterprise_customers} enterprise customers live")
        now = (" " + " ".join(have)) if have else ""
        advice.append(
            Advice(
                "no-sa-yet",
                f"No SA yet{now}: the first SA usually comes at {arr_text} ARR once {live_text} enterprise "
                "customers are live; until then the founding SE or Head of Customer Success absorbs the work.",
                first.source,
            )
        )
    if need_sa and has_accounts:
        s, c = b.sa_ratios.strategic, b.sa_ratios.commercial
        advice.append(
            Advice(
                "sa-accounts",
                f"{inp.strategic_accounts or 0} strategic and {inp.commercial_accounts or 0} commercial accounts "
                f"need {sa.min}–{sa.max} SAs (1 per {s.accounts_per_sa.min:g}–{s.accounts_per_sa.max:g} "
                f"strategic, 1 per {c.accounts_per_sa.min:g}–{c.accounts_per_sa.max:g} commercial).",
                s.source,
            )
        )
    elif need_sa:
        advice.append(
            Advice(
                "sa-size-unknown",
                "At least one SA; give --strategic-accounts and --commercial-accounts to size the team.",
                b.sa_ratios.strategic.source,
            )
        )

    return StaffPlan(
        inputs=inp,
        se=se,
        sa=sa,
        se_ratio=fmt_ratio(round(inp.aes / se.recommended, 2)) if se.recommended else "no SE",
        se_benchmark=bench,
        hiring_order=_hiring_order(se, sa, growth=growth, debt=bool(debt_reasons), platform=platform),
        advice=tuple(advice),
    )


def _hiring_order(
    se: Headcount, sa: Headcount, *, growth: bool, debt: bool, platform: bool
) -> tuple[HireStep, ...]:
    se_why = (
        "pre-sales seats (titled Solutions Architect in the SA-led model)"
        if platform
        else "pre-sales coverage"
    )
    se_step = ("se", se.recommended, se_why)
    if debt:
        sa_why = "close the deployment debt: time to first value and deployment at renewal"
    elif growth:
        sa_why = "post-sale coverage, usually the under-staffed function at this stage"
    else:
        sa_why = "the first SA: the milestone is met"
    sa_step = ("sa", sa.recommended, sa_why)
    steps = [sa_step, se_step] if (debt or growth) else [se_step, sa_step]
    out = [HireStep(order=0, role=r, count=n, why=w) for r, n, w in steps if n > 0]  # type: ignore[arg-type]
    return tuple(HireStep(order=i, role=s.role, count=s.count, why=s.why) for i, s in enumerate(out, 1))


def ratio(aes: int, ses: int, segment: str, b: Benchmarks) -> RatioResult:
    """AEs per SE against the segment's band, the verdict, and the smallest fix."""
    check_count("--aes", aes)
    check_count("--ses", ses)
    if aes == 0 and ses == 0:
        raise UsageError("--aes and --ses are both 0: nothing to compare")
    seg = b.se_ratios.segments[segment]
    band = seg.aes_per_se
    ceiling = b.se_ratios.ceiling
    per = aes / ses if ses else None
    advice: list[Advice] = []
    fix: str | None = None
    fix_ses = 0
    if per is None or per > band.max:
        verdict = "understaffed"
        needed = max(ses_for(aes, band.max), 1)
        fix_ses = needed - ses
        fix = f"{_people(fix_ses, 'SE')} {_restore(fix_ses)} {fmt_ratio(round(aes / needed, 2))}"
    elif per < band.min:
        verdict = "overstaffed"
        keep = math.floor(aes / band.min + 1e-9)
        more_aes = math.ceil(ses * band.min - 1e-9) - aes
        parts = []
        if keep >= 1:
            fix_ses = keep - ses
            parts.append(f"{_people(fix_ses, 'SE')} {_restore(fix_ses)} {fmt_ratio(round(aes / keep, 2))}")
        parts.append(f"{_people(more_aes, 'AE')} {_restore(more_aes)} {fmt_ratio(band.min)}")
        fix = ", or ".join(parts)
    else:
        verdict = "within"
    if per is not None and per > ceiling.max_reps_per_se:
        advice.append(
            Advice(
                "rep-ceiling",
                f"{per:.1f} AEs per SE is past the ceiling of {ceiling.max_reps_per_se} reps one SE can serve "
                f"({ceiling.common_reps_per_se.min:g}–{ceiling.common_reps_per_se.max:g} is more common).",
                ceiling.source,
            )
        )
    if segment == "platform" and verdict == "understaffed":
        fm = b.stage_rules.founder_mistake
        advice.append(
            Advice(
                "founder-mistake",
                f"A thinner than 1:1 ratio on a platform sale makes the SE the bottleneck: win rate drops "
                f"{fm.win_rate_drop_points.min:g}–{fm.win_rate_drop_points.max:g} points.",
                fm.source,
            )
        )
    return RatioResult(
        aes=aes,
        ses=ses,
        segment=segment,
        aes_per_se=round(per, 2) if per is not None else None,
        ratio=fmt_ratio(round(per, 2)) if per is not None else "no SE",
        band=band,
        band_text=_band_ratio(band),
        verdict=verdict,  # type: ignore[arg-type]
        fix=fix,
        fix_ses=fix_ses,
        source=seg.source,
        advice=tuple(advice),
    )


def capacity(reps: int, demos_per_rep_week: float, travel: bool, b: Benchmarks) -> CapacityResult:
    """SEs needed to run the reps' live demos, against the rep ceiling and the segment ratios."""
    check_count("--reps", reps)
    if math.isnan(demos_per_rep_week) or demos_per_rep_week < 0:
        raise UsageError(f"--demos-per-rep-week must not be negative (got {demos_per_rep_week})")
    if demos_per_rep_week > MAX_DEMOS_PER_REP_WEEK:
        raise UsageError(
            f"--demos-per-rep-week = {demos_per_rep_week:g} is implausible (limit {MAX_DEMOS_PER_REP_WEEK})"
        )
    load, ceil_rule = b.se_ratios.demo_load, b.se_ratios.ceiling
    weekly = reps * demos_per_rep_week
    per_se = load.demos_per_se_week
    for_demos = math.ceil(weekly / per_se - 1e-9) if weekly else 0
    max_reps = ceil_rule.with_travel_max_reps_per_se if travel else ceil_rule.max_reps_per_se
    for_ceiling = ses_for(reps, max_reps)
    needed = max(for_demos, for_ceiling)
    binding = "none" if needed == 0 else ("demo load" if for_demos >= for_ceiling else "rep ceiling")
    fits = []
    for name, seg in b.se_ratios.segments.items():
        hc = Headcount(
            recommended=ses_for(reps, seg.aes_per_se.mid),
            min=ses_for(reps, seg.aes_per_se.max),
            max=ses_for(reps, seg.aes_per_se.min),
        )
        verdict = "below" if needed < hc.min else "above" if needed > hc.max else "within"
        fits.append(SegmentFit(segment=name, band_text=_band_ratio(seg.aes_per_se), ses=hc, verdict=verdict))  # type: ignore[arg-type]
    advice = [
        Advice(
            "demo-load",
            f"{reps} reps × {demos_per_rep_week:g} demos a week = {weekly:g} live demos; one SE runs about "
            f"{load.live_demos_per_se_day:g} a day, {per_se:g} a week → {for_demos} SE{'s' if for_demos != 1 else ''}.",
            load.source,
        ),
        Advice(
            "rep-ceiling",
            f"One SE serves at most {max_reps} reps{' when travelling' if travel else ''} "
            f"→ at least {for_ceiling} SE{'s' if for_ceiling != 1 else ''} for {reps} reps.",
            ceil_rule.source,
        ),
    ]
    if travel:
        advice.append(
            Advice(
                "travel",
                "Territory travel lowers how many reps one SE can serve; the ceiling drops from "
                f"{ceil_rule.max_reps_per_se} to {ceil_rule.with_travel_max_reps_per_se}.",
                ceil_rule.source,
            )
        )
    return CapacityResult(
        reps=reps,
        demos_per_rep_week=demos_per_rep_week,
        travel=travel,
        demo_load_per_week=weekly,
        demos_per_se_week=per_se,
        ses_for_demo_load=for_demos,
        max_reps_per_se=max_reps,
        ses_for_rep_ceiling=for_ceiling,
        ses_needed=needed,
        binding=binding,  # type: ignore[arg-type]
        reps_per_se=round(reps / needed, 2) if needed else None,
        segments=tuple(fits),
        advice=tuple(advice),
    )
