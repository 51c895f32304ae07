"""`roleplan staff`, `ratio`, `capacity`: how many SEs and SAs, and whether today's team fits the benchmarks."""

import math
from pathlib import Path
from typing import Annotated

import typer

from roleplan.cli.choices import Names, format_option
from roleplan.cli.common import (
    BenchmarksOpt,
    ForceOpt,
    OutputOpt,
    benchmarks,
    choose_format,
    emit,
    output,
    warn,
)
from roleplan.errors import pick
from roleplan.names import MOTIONS, SEGMENTS, STAGES

FORMATS = ("table", "json", "markdown")  # report.staffing STAFF, RATIO, CAPACITY (a test keeps them equal)
FormatOpt = Annotated[str, format_option(*FORMATS)]


def staff(
    stage: Annotated[
        str,
        typer.Option(
            help=f"Funding stage: {', '.join(STAGES)}.", show_default=False, click_type=Names("stage", STAGES)
        ),
    ],
    aes: Annotated[int, typer.Option(help="Quota-carrying Account Executives.", show_default=False)],
    segment: Annotated[
        str | None,
        typer.Option(help=f"Sales segment: {', '.join(SEGMENTS)}.", click_type=Names("segment", SEGMENTS)),
    ] = None,
    motion: Annotated[
        str, typer.Option(help="product, or platform (SA-led model).", click_type=Names("motion", MOTIONS))
    ] = "product",
    arr: Annotated[
        str | None, typer.Option(help="Annual recurring revenue, e.g. 18M or $18,000,000.")
    ] = None,
    live_enterprise_customers: Annotated[int | None, typer.Option(help="Enterprise customers live.")] = None,
    poc_win_rate: Annotated[str | None, typer.Option(help="POC win rate, e.g. 0.55 or 55%.")] = None,
    days_to_first_value: Annotated[
        int | None, typer.Option(help="Days from signature to first value.")
    ] = None,
    deployed_at_renewal: Annotated[str | None, typer.Option(help="Share fully deployed at renewal.")] = None,
    strategic_accounts: Annotated[int | None, typer.Option(help="Strategic accounts to cover.")] = None,
    commercial_accounts: Annotated[int | None, typer.Option(help="Commercial accounts to cover.")] = None,
    metrics: Annotated[
        Path | None,
        typer.Option(
            "--metrics",
            metavar="FILE",
            help="Measured POC win rate, days to first value and deployment at renewal from "
            "`roleplan scorecard --format json`; an explicit flag wins over the file.",
            show_default=False,
        ),
    ] = None,
    fmt: FormatOpt = "table",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_file: BenchmarksOpt = None,
) -> None:
    """How many SEs and SAs to have, in what order, and why — every line cited.

    Example: roleplan staff --stage seriesB --aes 12 --segment enterprise
    """
    from roleplan.core.staffing import staff as compute
    from roleplan.models.staffing import StaffInputs
    from roleplan.money import parse_money, parse_share
    from roleplan.report.staffing import STAFF

    fmt = choose_format(fmt, STAFF)
    if metrics is not None:
        poc_win_rate, days_to_first_value, deployed_at_renewal = _measured(
            metrics, poc_win_rate, days_to_first_value, deployed_at_renewal
        )
    inputs = StaffInputs(
        stage=pick("stage", stage, STAGES),
        aes=aes,
        segment=pick("segment", segment, SEGMENTS) if segment is not None else None,
        motion=pick("motion", motion, MOTIONS),
        arr=parse_money(arr, what="--arr") if arr is not None else None,
        live_enterprise_customers=live_enterprise_customers,
        poc_win_rate=parse_share(poc_win_rate, what="--poc-win-rate") if poc_win_rate is not None else None,
        days_to_first_value=days_to_first_value,
        deployed_at_renewal=(
            parse_share(deployed_at_renewal, what="--deployed-at-renewal")
            if deployed_at_renewal is not None
            else None
        ),
        strategic_accounts=strategic_accounts,
        commercial_accounts=commercial_accounts,
    )
    result = compute(inputs, benchmarks(benchmarks_file))
    with output(out, force=force):
        emit(result, fmt, STAFF)


def _measured(
    path: Path, poc: str | None, days: int | None, deployed: str | None
) -> tuple[str | None, int | None, str | None]:
    """The scorecard's measured figures where no flag gives them; each choice is said on stderr."""
    from roleplan.loaders.metrics import read_metrics

    m = read_metrics(path)
    given = {"--poc-win-rate": poc, "--days-to-first-value": days, "--deployed-at-renewal": deployed}
    found = {
        "--poc-win-rate": m.poc_win_rate,
        "--days-to-first-value": m.days_to_first_value,
        "--deployed-at-renewal": m.deployed_at_renewal,
    }
    shown = {
        "--poc-win-rate": lambda v: f"{v * 100:.0f}%",
        "--days-to-first-value": lambda v: (
            f"{v:g} days" + ("" if v.is_integer() else f" (counted as {math.ceil(v)})")
        ),
        "--deployed-at-renewal": lambda v: f"{v * 100:.0f}%",
    }
    for flag, value in found.items():
        if value is None:
            warn(f"{path}: no measured {flag.removeprefix('--')} (no data in the scorecard)")
        elif given[flag] is not None:
            warn(f"{flag} {given[flag]} given: it wins over the measured {shown[flag](value)} in {path}")
        else:
            warn(f"{flag.removeprefix('--')}: measured {shown[flag](value)}, from {path}")
    # `staff` counts whole days: a median of 120.5 is past the 120-day trigger, so it rounds up (round() gave 120)
    return (
        poc if poc is not None else (f"{m.poc_win_rate!r}" if m.poc_win_rate is not None else None),
        days
        if days is not None
        else (math.ceil(m.days_to_first_value) if m.days_to_first_value is not None else None),
        deployed
        if deployed is not None
        else (f"{m.deployed_at_renewal!r}" if m.deployed_at_renewal is not None else None),
    )


def ratio(
    aes: Annotated[int, typer.Option(help="Account Executives.", show_default=False)],
    ses: Annotated[int, typer.Option(help="Sales Engineers.", show_default=False)],
    segment: Annotated[
        str,
        typer.Option(help=f"Sales segment: {', '.join(SEGMENTS)}.", click_type=Names("segment", SEGMENTS)),
    ] = "mid-market",
    fmt: FormatOpt = "table",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_file: BenchmarksOpt = None,
) -> None:
    """AEs per SE against the segment's benchmark: understaffed, within or overstaffed, and the fix.

    Example: roleplan ratio --aes 9 --ses 2 --segment mid-market
    """
    from roleplan.core.staffing import ratio as compute
    from roleplan.report.staffing import RATIO

    fmt = choose_format(fmt, RATIO)
    result = compute(aes, ses, pick("segment", segment, SEGMENTS), benchmarks(benchmarks_file))
    with output(out, force=force):
        emit(result, fmt, RATIO)


def capacity(
    reps: Annotated[int, typer.Option(help="Reps (AEs) the SEs support.", show_default=False)],
    demos_per_rep_week: Annotated[
        float, typer.Option(help="Live demos each rep books a week.", show_default=False)
    ],
    travel: Annotated[bool, typer.Option("--travel", help="SEs travel to territory meetings.")] = False,
    fmt: FormatOpt = "table",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_file: BenchmarksOpt = None,
) -> None:
    """SEs needed to run the reps' live demos, against the rep ceiling and the SE:AE benchmarks.

    Example: roleplan capacity --reps 12 --demos-per-rep-week 5 --travel
    """
    from roleplan.core.staffing import capacity as compute
    from roleplan.report.staffing import CAPACITY

    fmt = choose_format(fmt, CAPACITY)
    result = compute(reps, demos_per_rep_week, travel, benchmarks(benchmarks_file))
    with output(out, force=force):
        emit(result, fmt, CAPACITY)


def register(app: typer.Typer) -> None:
    """Add staff, ratio and capacity."""
    app.command("staff")(staff)
    app.command("ratio")(ratio)
    app.command("capacity")(capacity)
