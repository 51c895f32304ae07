"""`roleplan train`: refit the classifier's model on your own labelled postings (needs `roleplan[train]`)."""

import datetime
import importlib.util
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from roleplan.cli.choices import format_option
from roleplan.cli.common import BenchmarksOpt, choose_format, classifier, emit, warn

if TYPE_CHECKING:
    from roleplan.core.train import Example
    from roleplan.models.classify_config import ClassifyConfig

EXTRA_HINT = "roleplan train needs scikit-learn: pip install 'roleplan[train]'"


def register(app: typer.Typer) -> None:
    """Add `train` to the app."""
    app.command("train")(train)


def train(
    paths: Annotated[
        list[Path],
        typer.Argument(
            metavar="LABELLED...", help="JSONL/CSV records with text, label (se/sa/other/hybrid) and company."
        ),
    ],
    output: Annotated[
        Path, typer.Option("--output", "-o", metavar="MODEL.yaml", help="Where to write the fitted model.")
    ],
    cv: Annotated[
        int | None,
        typer.Option("--cv", metavar="K", help="Print the grouped K-fold cross-validation report first."),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="Seed of the folds (the fit is deterministic).")] = 0,
    fmt: Annotated[
        str,
        format_option("table", "json", help="table or json (the report)."),
    ] = "table",
    force: Annotated[bool, typer.Option("--force", help="Overwrite MODEL.yaml if it exists.")] = False,
    benchmarks_path: BenchmarksOpt = None,
) -> None:
    """Fit the classifier's weights on labelled postings and write them as a benchmarks override.

    Folds are grouped by company, so one employer's postings never straddle training and test. Use the
    result with `roleplan classify --benchmarks MODEL.yaml` (or ROLEPLAN_BENCHMARKS) and measure it with
    `roleplan eval`.

    Example: roleplan train labelled.jsonl -o model.yaml --cv 5
    """
    from roleplan.atomic import write_atomic
    from roleplan.core.train import TrainError
    from roleplan.core.train import train as fit
    from roleplan.errors import InputError, UsageError
    from roleplan.report.train import REPORTERS, override_yaml, summary

    fmt = choose_format(fmt, REPORTERS)
    if importlib.util.find_spec("sklearn") is None or importlib.util.find_spec("numpy") is None:
        raise UsageError(EXTRA_HINT)
    folds = 5 if cv is None else cv
    if folds < 2:
        raise UsageError(f"--cv must be at least 2, got {folds}")
    if output.is_dir():
        raise InputError("is a directory; give a file name such as model.yaml", file=output)
    if output.exists() and not force:  # before the fit: say so now, not after a minute of work
        raise InputError("already exists; use --force to overwrite it", file=output)
    config = classifier(benchmarks_path)
    examples = read_examples(paths, config)
    if not examples:
        raise InputError("no labelled records", file=paths[0])
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    command = "roleplan train " + shlex.join(
        sys.argv[2:] if sys.argv[1:2] == ["train"] else [str(p) for p in paths]
    )
    try:
        result = fit(
            examples,
            folds=folds,
            seed=seed,
            provenance={"date": today, "command": command, "data": [p.name for p in paths]},
        )
    except TrainError as exc:
        raise InputError(str(exc), file=paths[0] if len(paths) == 1 else None) from None
    header = (
        f"A classifier model fitted by `roleplan train` on {today}: {summary(result)}.\n"
        f"Use it with: roleplan classify --benchmarks {output.name} (or ROLEPLAN_BENCHMARKS={output.name})"
    )
    if cv is not None:
        emit(result, fmt, REPORTERS)
    write_atomic(output, override_yaml(result.model, header=header), overwrite=force)
    warn(f"wrote {output}: {summary(result)}")


def read_examples(paths: Sequence[Path], config: "ClassifyConfig") -> "list[Example]":
    """Labelled records read into the model's features (the company is the CV group; none: its own)."""
    from roleplan.cli.evaluate import labelled_records
    from roleplan.core.classify import features
    from roleplan.core.train import Example

    out = []
    for rec, label in labelled_records(list(paths)):
        title = None if rec.title is None else str(rec.title)
        company = None if rec.company is None or not str(rec.company).strip() else str(rec.company)
        feats = features(rec.text, title=title, company=company, config=config)
        group: Any = company.strip().lower() if company else f"\0{rec.source}"
        out.append(Example(id=rec.id, label=label, group=group, features=feats))
    return out
