"""`roleplan benchmarks show | validate | sources`: the data every figure comes from."""

from pathlib import Path
from typing import Annotated

import typer

from roleplan.cli.choices import format_option
from roleplan.cli.common import (
    BenchmarksOpt,
    ForceOpt,
    OutputOpt,
    choose_format,
    emit,
    output,
    override_file,
    write,
)

group = typer.Typer(
    help="Show, validate and cite the benchmark data (data/benchmarks.yaml merged with your override).",
    no_args_is_help=True,
)


@group.command("show")
def show(
    fmt: Annotated[
        str,
        format_option("yaml", "json"),
    ] = "yaml",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_file: BenchmarksOpt = None,
) -> None:
    """The benchmarks in force: the packaged default with your override merged over it.

    Example: roleplan benchmarks show --format json
    """
    import json

    import yaml

    from roleplan.benchmarks import load_all, merged_data

    fmt = choose_format(fmt, {"yaml": None, "json": None})
    load_all(override_file(benchmarks_file))  # validate first: never show data the tool would refuse
    data = merged_data(override_file(benchmarks_file))
    with output(out, force=force):
        if fmt == "json":
            write(json.dumps(data, indent=2, ensure_ascii=False, default=str))
        else:
            write(yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=110))


@group.command("validate")
def validate(
    file: Annotated[
        Path | None, typer.Argument(help="Override file to check (default: the one in force).")
    ] = None,
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_file: BenchmarksOpt = None,
) -> None:
    """Check a benchmarks file merged over the packaged default; exit 2 with file:line on the first problem.

    Example: roleplan benchmarks validate my-benchmarks.yaml
    """
    from roleplan.benchmarks import load_all, override_path, packaged_path, validate_file

    target = file or override_path(override_file(benchmarks_file))
    result = validate_file(target) if target is not None else load_all(None, validate=True)
    figures, sources = len(result.cited()), len(result.sources)
    with output(out, force=force):
        write(f"{target or packaged_path()}: valid — {figures} cited figures from {sources} sources")


@group.command("sources")
def sources(
    fmt: Annotated[
        str,
        format_option("table", "json", "markdown"),
    ] = "table",
    out: OutputOpt = None,
    force: ForceOpt = False,
    benchmarks_file: BenchmarksOpt = None,
) -> None:
    """Every publication the figures cite, with the figures that cite it.

    Example: roleplan benchmarks sources --format markdown
    """
    from roleplan.benchmarks import load_all
    from roleplan.report.benchmarks import SOURCES, source_usage

    fmt = choose_format(fmt, SOURCES)
    usage = source_usage(load_all(override_file(benchmarks_file)))
    with output(out, force=force):
        emit(usage, fmt, SOURCES)


def register(app: typer.Typer) -> None:
    """Add the `benchmarks` group."""
    app.add_typer(group, name="benchmarks")
