"""`roleplan handoff`: the SE→SA handoff playbook checked on a CRM export of Closed-Won deals."""

from pathlib import Path
from typing import Annotated

import typer

from roleplan.cli.choices import Completed, Names, countries, format_option, subdivisions
from roleplan.cli.common import (
    BenchmarksOpt,
    ForceOpt,
    OutputOpt,
    benchmarks,
    check_output,
    choose_format,
    console,
    emit,
    output,
    screenful,
    stdout,
    warn,
)
from roleplan.errors import EXIT_FINDINGS

PRESETS = ("salesforce",)  # loaders.handoff PRESETS (a test keeps them equal)

MapOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--map",
        metavar="FIELD=COLUMN",
        help='Read a field from a differently named column, e.g. --map closed_won="Close Date" (repeatable).',
        show_default=False,
    ),
]
CountryOpt = Annotated[
    str,
    typer.Option(
        help="Holiday calendar: ISO country code (US, GB, DE, IN, ...).",
        click_type=Completed(countries, metavar="CODE"),
    ),
]
SubdivisionOpt = Annotated[
    str | None,
    typer.Option(
        help="State or region of the holiday calendar (US: CA, NY, ...).",
        show_default=False,
        click_type=Completed(subdivisions, metavar="CODE"),
    ),
]
AsOfOpt = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        metavar="DATE",
        help="Judge the deadlines as of this day (default: today).",
        show_default=False,
    ),
]
DayFirstOpt = Annotated[bool, typer.Option("--day-first", help="Dates like 05/03/2026 are 5 March (d/m/Y).")]
EncodingOpt = Annotated[str, typer.Option(help="Text encoding of a CSV (Excel's plain CSV is cp1252).")]


def handoff(
    deals: Annotated[
        Path, typer.Argument(help="CSV or YAML export: one row per Closed-Won deal.", show_default=False)
    ],
    map_: MapOpt = None,
    preset: Annotated[
        str | None,
        typer.Option(
            help="Column names of a known export: salesforce.",
            show_default=False,
            click_type=Names("preset", PRESETS),
        ),
    ] = None,
    country: CountryOpt = "US",
    subdivision: SubdivisionOpt = None,
    as_of: AsOfOpt = None,
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
    """Check the SE→SA handoff of every Closed-Won deal: the five-document pack and the kickoff within 5
    business days, the signed-off reference architecture within 30 days of kickoff. Exit 1 when a deal breaches.

    Columns (dates; empty = not yet): deal, closed_won, kickoff, the documents, architecture_signed.

    The documents: meddpicc_scorecard, poc_scope, commercial_commitments, stakeholder_map, risk_log.

    Example: roleplan handoff deals.csv --country US --subdivision CA --as-of 2026-03-31
    """
    from datetime import date
    from itertools import chain, islice

    from roleplan.core.businessdays import work_calendar
    from roleplan.core.handoff import HandoffRun
    from roleplan.loaders.crm import parse_iso_option, parse_mapping
    from roleplan.loaders.handoff import FIELDS, columns_for, read_deals
    from roleplan.report.handoff import REPORTERS, STREAMERS

    fmt = choose_format(fmt, REPORTERS)
    check_output(out, force=force)
    explicit = parse_mapping(map_ or [], FIELDS)
    mapping = columns_for(preset, explicit)
    day = parse_iso_option(as_of, "--as-of") or date.today()
    calendar = work_calendar(country, subdivision)
    rules = benchmarks(benchmarks_file).handoff
    # each unreadable row is said on stderr as it is met; the report keeps the first ones and counts the rest
    run = HandoffRun(
        as_of=day,
        calendar=calendar,
        handoff=rules,
        file=str(deals),
        on_finding=lambda f: warn(f"{deals}:{f.line}: {f.message}"),
    )
    items = read_deals(deals, mapping, day_first=day_first, encoding=encoding, explicit=explicit)
    if fmt in STREAMERS:  # each deal written as it is judged: memory stays flat however long the export
        first = list(islice(items, 1))  # the header and the first row read (and refused) before any output
        with output(out, force=force):
            STREAMERS[fmt](run.report(), run.results(chain(first, items)), run.report, stdout().write)
            report = run.report()
            if report.summary.breached or report.invalid:
                raise typer.Exit(EXIT_FINDINGS)
        return
    # table: every deal when they fit on a screen; else the summary and the most overdue breaches, built in
    # the same single pass (a Rich table of 100k deals would hold them all to draw rows nobody can read)
    results = run.results(items)
    with output(out, force=force) as stream:
        head = list(islice(results, screenful(stream) + 1))
        if len(head) <= screenful(stream):
            report = run.report(head)
            emit(report, fmt, REPORTERS)
        else:
            from roleplan.report.handoff import Overdue, summary_table

            overdue = Overdue()
            for d in chain(head, results):
                overdue.add(d)
            del head
            report = run.report()
            console().print(summary_table(report, overdue))
        if report.summary.breached or report.invalid:
            raise typer.Exit(EXIT_FINDINGS)


def register(app: typer.Typer) -> None:
    """Add `handoff` to the app."""
    app.command("handoff")(handoff)
