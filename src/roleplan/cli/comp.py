"""`roleplan comp`: published SE and SA pay bands, side by side, with an offer placed in them."""

from typing import Annotated

import typer

from roleplan.cli.choices import Names, format_option
from roleplan.cli.common import BenchmarksOpt, ForceOpt, OutputOpt, benchmarks, choose_format, emit, output
from roleplan.errors import pick
from roleplan.names import COMP_SEGMENTS, LEVELS, ROLES


def comp(
    role: Annotated[str, typer.Option(help="se or sa.", click_type=Names("role", ROLES))] = "se",
    level: Annotated[
        str | None, typer.Option(help=f"Level: {', '.join(LEVELS)}.", click_type=Names("level", LEVELS))
    ] = None,
    segment: Annotated[
        str | None,
        typer.Option(
            help=f"Segment: {', '.join(COMP_SEGMENTS)}.", click_type=Names("segment", COMP_SEGMENTS)
        ),
    ] = None,
    compare: Annotated[bool, typer.Option("--compare", help="Show SE and SA bands together.")] = False,
    base: Annotated[
        str | None, typer.Option(help="An offer's base to place in the bands, e.g. $185K.")
    ] = None,
    ote: Annotated[str | None, typer.Option(help="An offer's OTE to place in the bands, e.g. 240K.")] = None,
    fmt: Annotated[
        str,
        format_option("table", "json", "markdown"),
    ] = "table",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_file: BenchmarksOpt = None,
) -> None:
    """Every matching pay band from every source: base, OTE, total comp, split, what the variable pays for.

    Example: roleplan comp --role sa --level senior --compare --ote 240K
    """
    from roleplan.core.comp import comp as compute
    from roleplan.money import parse_money
    from roleplan.report.staffing import COMP

    fmt = choose_format(fmt, COMP)
    chosen = pick("role", role, ROLES)
    roles = ("se", "sa") if compare else (chosen,)
    result = compute(
        benchmarks(benchmarks_file),
        roles=roles,
        level=pick("level", level, LEVELS) if level is not None else None,
        segment=pick("segment", segment, COMP_SEGMENTS) if segment is not None else None,
        offer_base=parse_money(base, what="--base") if base is not None else None,
        offer_ote=parse_money(ote, what="--ote") if ote is not None else None,
    )
    with output(out, force=force):
        emit(result, fmt, COMP)


def register(app: typer.Typer) -> None:
    """Add comp."""
    app.command("comp")(comp)
