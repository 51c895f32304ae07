"""What every command shares: option types, output to stdout, messages to stderr."""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from roleplan.errors import pick

if TYPE_CHECKING:
    from roleplan.models.benchmarks import Benchmarks
    from roleplan.models.classify_config import ClassifyConfig

BenchmarksOpt = Annotated[
    Path | None,
    typer.Option(
        "--benchmarks",
        envvar="ROLEPLAN_BENCHMARKS",
        metavar="FILE",
        help="YAML merged over the packaged data/benchmarks.yaml (also ROLEPLAN_BENCHMARKS).",
        show_default=False,
    ),
]


class Settings:
    """Process-wide switches set by the root callback."""

    quiet = False


def warn(message: str) -> None:
    """A message for the person at the terminal (stderr), silenced by --quiet."""
    if not Settings.quiet:
        sys.stderr.write(f"roleplan: {message}\n")


def benchmarks(path: Path | None) -> Benchmarks:
    from roleplan.benchmarks import load_benchmarks

    return load_benchmarks(path)


def classifier(path: Path | None) -> ClassifyConfig:
    """The classify section of the benchmarks in force, its matcher compiled (or read from the cache)."""
    from roleplan.benchmarks import load_classifier

    return load_classifier(path)


def choose_format(value: str, choices: Mapping[str, Any]) -> str:
    """Validate --format against the reporters a command has (one-line error with the closest name)."""
    return pick("format", value, list(choices))


def write(text: str) -> None:
    """Write a machine-readable result verbatim to stdout, ending with one newline."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def console(stderr: bool = False) -> Any:
    """A Rich console; PIPED_WIDTH columns when not a terminal, so piped and logged tables are stable."""
    from rich.console import Console

    from roleplan.report.text import PIPED_WIDTH

    stream = sys.stderr if stderr else sys.stdout
    width = None if stream.isatty() else PIPED_WIDTH
    return Console(file=stream, width=width, soft_wrap=False, highlight=False)


def emit(result: Any, fmt: str, reporters: Mapping[str, Callable[[Any], Any]]) -> None:
    """Render `result` with the reporter for `fmt`: a str verbatim, plain `Tables` at the terminal width,
    anything else through Rich."""
    from roleplan.report.text import Tables, render, terminal_width

    rendered = reporters[fmt](result)
    if isinstance(rendered, str):
        write(rendered)
    elif isinstance(rendered, Tables):  # the calculators' plain tables: no Rich to import
        sys.stdout.write(render(rendered, terminal_width()))
    else:
        console().print(rendered)
