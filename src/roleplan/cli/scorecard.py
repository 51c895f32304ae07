"""`roleplan scorecard`: the pre-sales scorecard from an opportunity export (and an accounts export)."""

from pathlib import Path
from typing import Annotated

import typer

from roleplan.cli.choices import Names, format_option
from roleplan.cli.common import (
    BenchmarksOpt,
    ForceOpt,
    OutputOpt,
    benchmarks,
    check_output,
    choose_format,
    emit,
    output,
    warn,
)
from roleplan.cli.handoff import DayFirstOpt, EncodingOpt
from roleplan.errors import EXIT_FINDINGS, UsageError

PRESETS = ("salesforce",)  # loaders.scorecard PRESETS (a test keeps them equal)

MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="FIELD=COLUMN",
        help='Read a field from a differently named column, e.g. --map se="Sales Engineer" (repeatable; '
        "opportunity and account fields alike).",
        show_default=False,
    ),
]

#: Findings shown on stderr; the report lists up to a hundred and counts the rest.
_SHOWN = 20


def scorecard(
    opps: Annotated[Path, typer.Argument(help="Opportunity export (CSV or YAML).", show_default=False)],
    accounts: Annotated[
        Path | None,
        typer.Option(
            "--accounts",
            metavar="FILE",
            help="Accounts export: account, signed, first_value, deployed_at_renewal.",
            show_default=False,
        ),
    ] = None,
    map_: MapOpt = None,
    outcome: Annotated[
        list[str] | None,
        typer.Option(
            "--outcome",
            metavar="VALUE=OUTCOME",
            help='Read a stage of your own pipeline as won, lost or open, e.g. --outcome "Stage 3 - Solutioning=open" '
            "(repeatable).",
            show_default=False,
        ),
    ] = None,
    preset: Annotated[
        str | None,
        typer.Option(
            help="Column names of a known export: salesforce.",
            show_default=False,
            click_type=Names("preset", PRESETS),
        ),
    ] = None,
    fiscal_year_start: Annotated[
        int,
        typer.Option(
            metavar="MONTH", help="First month of the fiscal year (2 = February: FY2027 starts Feb 2026)."
        ),
    ] = 1,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            metavar="DATE",
            help="The day accounts' waiting time and complete quarters are judged on (default: today).",
            show_default=False,
        ),
    ] = None,
    day_first: DayFirstOpt = False,
    encoding: EncodingOpt = "utf-8-sig",
    fmt: Annotated[
        str,
        format_option("table", "json", "csv", "markdown"),
    ] = "table",
    benchmarks_file: BenchmarksOpt = None,
    out: OutputOpt = None,
    force: ForceOpt = False,
) -> None:
    """Win rate, POC win rate and conversion, technical win rate, deal velocity and pipeline — per SE, for the
    team with and without SEs, by quarter — each set against the staffing rule it feeds. Exit 1 when rows
    could not be counted.

    Columns: id, created, closed, outcome, amount, se (empty = no SE), poc, poc_outcome, technical_win.

    `--format json` is what `roleplan staff --metrics FILE` reads.

    Example: roleplan scorecard opportunities.csv --accounts accounts.csv --format json -o metrics.json
    """
    from datetime import date

    from roleplan.core.scorecard import scorecard as compute
    from roleplan.loaders.crm import parse_iso_option, parse_mapping
    from roleplan.loaders.scorecard import (
        ACCOUNT_FIELDS,
        OPPORTUNITY_FIELDS,
        columns_for,
        parse_outcomes,
        read_accounts,
        read_opportunities,
    )
    from roleplan.report.scorecard import REPORTERS

    fmt = choose_format(fmt, REPORTERS)
    if not 1 <= fiscal_year_start <= 12:
        raise UsageError(f"--fiscal-year-start must be a month 1..12 (got {fiscal_year_start})")
    check_output(out, force=force)
    mapping = parse_mapping(map_ or [], OPPORTUNITY_FIELDS + ACCOUNT_FIELDS)
    outcomes = parse_outcomes(outcome or [])
    day = parse_iso_option(as_of, "--as-of") or date.today()
    opp_columns = columns_for(preset, mapping, OPPORTUNITY_FIELDS)
    acc_columns = columns_for(preset, mapping, ACCOUNT_FIELDS)
    result = compute(
        read_opportunities(
            opps,
            opp_columns,
            day_first=day_first,
            encoding=encoding,
            explicit=mapping,
            outcomes=outcomes,
        ),
        benchmarks(benchmarks_file),
        file=str(opps),
        as_of=day,
        accounts=(
            read_accounts(accounts, acc_columns, day_first=day_first, encoding=encoding, explicit=mapping)
            if accounts is not None
            else None
        ),
        accounts_file=str(accounts) if accounts is not None else None,
        fiscal_start=fiscal_year_start,
    )
    for finding in result.invalid[:_SHOWN]:
        warn(f"{finding.file or opps}:{finding.line}: {finding.message}")
    if result.invalid_rows > _SHOWN:
        warn(f"... and {result.invalid_rows - _SHOWN} more rows not counted")
    with output(out, force=force):
        emit(result, fmt, REPORTERS)
        if result.invalid_rows:
            raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    """Add `scorecard` to the app."""
    app.command("scorecard")(scorecard)
