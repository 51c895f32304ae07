"""`roleplan calendar`: the one-sentence test (SE or SA?) on a real calendar export."""

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from roleplan.cli.choices import format_option
from roleplan.cli.common import (
    BenchmarksOpt,
    ForceOpt,
    OutputOpt,
    calendar_config,
    choose_format,
    emit,
    output,
    warn,
)
from roleplan.errors import UsageError

FORMATS = ("table", "json", "markdown")


def _date(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise UsageError(f"{option}: expected a date like 2026-03-31, got {value!r}") from None


def calendar(
    file: Annotated[
        Path, typer.Argument(help="An .ics export or a CSV export (Outlook, or subject,start,end).")
    ],
    me: Annotated[
        str | None, typer.Option("--me", metavar="EMAIL", help="Your address: your declines are left out.")
    ] = None,
    start: Annotated[
        str | None, typer.Option("--from", metavar="DATE", help="First day of the window (inclusive).")
    ] = None,
    end: Annotated[
        str | None, typer.Option("--to", metavar="DATE", help="Last day of the window (inclusive).")
    ] = None,
    fmt: Annotated[
        str,
        format_option("table", "json", "markdown"),
    ] = "table",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_file: BenchmarksOpt = None,
) -> None:
    """SE or SA? Hours of pre-sales vs post-sales work in a calendar export, and the verdict.

    Example: roleplan calendar work.ics --me me@acme.com --from 2026-03-01
    """
    from roleplan.core.calendar import assess, choose_window
    from roleplan.core.calendar_owner import EMAIL
    from roleplan.loaders.calendar import read_calendar
    from roleplan.report.calendar import REPORTERS

    fmt = choose_format(fmt, REPORTERS)
    first, last = _date(start, "--from"), _date(end, "--to")
    if first is not None and last is not None and first > last:
        raise UsageError(f"--from {first.isoformat()} is after --to {last.isoformat()}")
    if me is not None and not EMAIL.fullmatch(me.strip().lower().removeprefix("mailto:")):
        raise UsageError(f"--me: expected an email address like me@acme.com, got {me!r}")
    with output(out, force=force):  # an existing FILE is refused before the calendar is read
        parsed = read_calendar(file, me=me)
        config = calendar_config(benchmarks_file)
        window = choose_window(parsed.anchor, first, last, config.default_window_days)
        events, invalid = parsed.events(window)
        for note in parsed.notes:
            warn(f"{file}: {note}")
        if not events:
            warn(f"{file}: no events between {window.start} and {window.end}")
        result = assess(
            events,
            window,
            config,
            file=str(file),
            owner=parsed.owner,
            owner_from=parsed.owner_from,
            timezone=parsed.timezone,
            invalid=invalid,
        )
        emit(result, fmt, REPORTERS)


def register(app: typer.Typer) -> None:
    """Add `calendar` to the app."""
    app.command("calendar")(calendar)
