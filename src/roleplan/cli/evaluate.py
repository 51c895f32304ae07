"""`roleplan eval`: score the classifier on labelled postings (how users calibrate it on their own data)."""

import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

import typer

from roleplan.cli.choices import format_option
from roleplan.cli.common import (
    BenchmarksOpt,
    ForceOpt,
    OutputOpt,
    Settings,
    check_output,
    choose_format,
    classifier,
    console,
    emit,
    output,
    warn,
)

if TYPE_CHECKING:
    from roleplan.loaders.jd import JobRecord

T = TypeVar("T")


def _progress(items: Iterable[T]) -> Iterator[T]:
    """A transient spinner with a count on stderr, only on a terminal and without --quiet."""
    if Settings.quiet or not sys.stderr.isatty():
        yield from items
        return
    from rich.progress import Progress, SpinnerColumn, TextColumn

    with Progress(
        SpinnerColumn(),
        TextColumn("classifying: {task.completed} postings"),
        console=console(stderr=True),
        transient=True,
    ) as bar:
        task = bar.add_task("eval", total=None)
        for item in items:
            yield item
            bar.advance(task)


def labelled_records(
    paths: list[Path], progress: Callable[[Iterable["JobRecord"]], Iterable["JobRecord"]] = iter
) -> Iterator[tuple["JobRecord", str]]:
    """Each record of labelled JSONL/CSV files with its label (se, sa, other, hybrid).

    A record without a label, or with another one, is an InputError naming the file and line.
    """
    from roleplan.errors import InputError, RoleplanError, pick
    from roleplan.loaders.jd import iter_records
    from roleplan.models.classify import FAMILIES

    for path in paths:
        if not path.is_file():
            raise InputError("no such file" if not path.exists() else "not a file", file=path)
    for rec in progress(iter_records([str(p) for p in paths], warn=warn)):
        where, _, line = rec.source.rpartition(":")
        loc: dict[str, Any] = {"file": where or rec.source, "line": int(line) if line.isdigit() else None}
        if rec.label is None or not str(rec.label).strip():
            raise InputError(f"record {rec.id!r} has no label", **loc)
        try:
            label = pick("label", str(rec.label), FAMILIES, error=InputError)
        except RoleplanError as exc:
            raise InputError(exc.message, **loc) from None
        yield rec, label


def register(app: typer.Typer) -> None:
    """Add `eval` to the app."""

    @app.command("eval")
    def eval_cmd(
        path: Annotated[
            Path, typer.Argument(metavar="LABELED.jsonl", help="JSONL records with text and label.")
        ],
        min_accuracy: Annotated[
            float, typer.Option("--min-accuracy", help="Exit 1 when accuracy is below this (0..1).")
        ] = 0.9,
        fmt: Annotated[
            str,
            format_option("table", "json", "markdown"),
        ] = "table",
        out: OutputOpt = None,
        force: ForceOpt = False,
        benchmarks_path: BenchmarksOpt = None,
    ) -> None:
        """Classify labelled postings and report accuracy, per-family P/R/F1, confusion and misses.

        Example: roleplan eval postings.jsonl --min-accuracy 0.9 --format markdown
        """
        from roleplan.core.classify import classify
        from roleplan.core.evaluate import Labelled, evaluate
        from roleplan.errors import InputError, UsageError
        from roleplan.report.evaluate import REPORTERS

        fmt = choose_format(fmt, REPORTERS)
        check_output(out, force=force)
        if not 0.0 <= min_accuracy <= 1.0:
            raise UsageError(f"--min-accuracy must be between 0 and 1, got {min_accuracy:g}")
        if not path.is_file():
            raise InputError("no such file" if not path.exists() else "not a file", file=path)
        config = classifier(benchmarks_path)
        items = []
        for rec, label in labelled_records([path], _progress):
            title = None if rec.title is None else str(rec.title)
            company = None if rec.company is None else str(rec.company)
            result = classify(rec.text, title=title, company=company, config=config)
            items.append(
                Labelled(
                    id=rec.id,
                    label=label,
                    result=result,
                    title=title,
                    company=company,
                    source=rec.source,
                )
            )
        if not items:
            raise InputError("no records to evaluate", file=path)
        outcome = evaluate(items, min_accuracy=min_accuracy)
        with output(out, force=force):
            emit(outcome, fmt, REPORTERS)
        if not outcome.passed:
            raise typer.Exit(1)
