"""What every command shares: option types, output to stdout, messages to stderr."""

import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer

from roleplan.errors import pick

if TYPE_CHECKING:
    from roleplan.models.benchmarks import Benchmarks
    from roleplan.models.calendar_config import CalendarConfig
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

OutputOpt = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Write the result to FILE instead of stdout (atomically; - is stdout). See --force.",
        show_default=False,
    ),
]
ForceOpt = Annotated[bool, typer.Option("--force", help="Let --output replace an existing FILE.")]


class Settings:
    """Process-wide switches set by the root callback, and the stream results go to."""

    quiet = False
    out: TextIO | None = None  # the --output file while `output()` is open; None: stdout
    live: Any = None  # the Rich console of a progress bar on the screen, while it is drawn
    benchmarks: Path | None = None  # `roleplan --benchmarks FILE <command>`


def stdout() -> TextIO:
    """Where results go: the --output file inside `output()`, else sys.stdout (looked up late, for tests)."""
    return Settings.out if Settings.out is not None else sys.stdout


def check_output(path: Path | None, *, force: bool = False) -> None:
    """Refuse an --output FILE that exists (without --force) or is a directory, before a long piece of work."""
    if path is not None and str(path) != "-":
        from roleplan.atomic import check_target

        check_target(path, overwrite=force)


@contextmanager
def output(path: Path | None, *, force: bool = False) -> Iterator[TextIO]:
    """Send results (`write`, `emit`, `console()`, `stdout()`) to `path` for the `with` block.

    None or `-` means stdout. A file is written atomically: a temporary file in the same folder, renamed over
    `path` when the block ends normally or with `typer.Exit` (exit 1 for findings still writes the report);
    any other error leaves no file and no temp behind. An existing file is refused before any work unless
    `force` (call `check_output` first when the command works a while before writing). Usage in a command:

        def mycmd(..., out: common.OutputOpt = None, force: common.ForceOpt = False) -> None:
            with common.output(out, force=force):
                common.emit(result, fmt, REPORTERS)
    """
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    import click

    from roleplan.atomic import open_atomic

    exit_code: click.exceptions.Exit | None = None
    with open_atomic(path, overwrite=force) as fh:
        previous, Settings.out = Settings.out, fh
        try:
            yield fh
        except click.exceptions.Exit as exc:  # a result with an exit code (findings) is still a result
            exit_code = exc
        finally:
            Settings.out = previous
    if exit_code is not None:
        raise exit_code


def warn(message: str) -> None:
    """A message for the person at the terminal (stderr), silenced by --quiet."""
    if Settings.quiet:
        return
    if Settings.live is not None:  # a progress bar owns stderr: print above it through its console
        Settings.live.print(f"roleplan: {message}", markup=False, highlight=False, soft_wrap=True)
    else:
        sys.stderr.write(f"roleplan: {message}\n")


def override_file(path: Path | None) -> Path | None:
    """The override in force: the command's --benchmarks, else the root's (`roleplan --benchmarks F cmd`),
    else ROLEPLAN_BENCHMARKS. A flag beats the variable wherever it is given."""
    if Settings.benchmarks is None:
        return path
    import click

    ctx = click.get_current_context(silent=True)
    if path is not None and ctx is not None:
        for param in ctx.command.params:
            if "--benchmarks" in getattr(param, "opts", ()) and param.name is not None:
                source = ctx.get_parameter_source(param.name)
                if source is not click.core.ParameterSource.ENVIRONMENT:
                    return path  # given after the command name: the nearer flag wins
    return Settings.benchmarks


def benchmarks(path: Path | None) -> "Benchmarks":
    """The calculators' figures in force (the packaged data with the override `path` merged over it)."""
    from roleplan.benchmarks import load_benchmarks

    return load_benchmarks(override_file(path))


def calendar_config(path: Path | None) -> "CalendarConfig":
    """The `calendar` section of the benchmarks in force."""
    from roleplan.benchmarks import load_calendar

    return load_calendar(override_file(path))


def classifier(path: Path | None) -> "ClassifyConfig":
    """The `classify` section of the benchmarks in force, its matcher compiled."""
    from roleplan.benchmarks import load_classifier

    scan_engine()
    return load_classifier(override_file(path))


def scan_engine() -> None:
    """ROLEPLAN_PURE_PYTHON=1 classifies with the pure-Python scan (the environment is the CLI's to read)."""
    import os

    if os.environ.get("ROLEPLAN_PURE_PYTHON"):
        from roleplan.core.classify import use_native

        use_native(False)


def screenful(stream: Any) -> int:
    """How many rows a table shows before it becomes a summary (classify, handoff): the terminal's height
    (LINES, or 40 lines off a terminal) less the title, header and rules, at least 10."""
    import os
    import shutil

    lines = 40
    env = os.environ.get("LINES", "")
    if env.isdigit() and int(env) > 0:
        lines = int(env)
    elif stream is sys.stdout and stream.isatty():
        lines = shutil.get_terminal_size().lines
    return max(lines - 6, 10)


def choose_format(value: str, choices: Mapping[str, Any]) -> str:
    """Validate --format against the reporters a command has (one-line error with the closest name)."""
    return pick("format", value, list(choices))


def write(text: str) -> None:
    """Write a machine-readable result verbatim to stdout, ending with one newline."""
    stdout().write(text if text.endswith("\n") else text + "\n")


def console(stderr: bool = False) -> Any:
    """A Rich console as wide as the terminal or COLUMNS; PIPED_WIDTH columns when neither, so piped and
    logged tables are stable (report/text.terminal_width)."""
    from rich.console import Console

    from roleplan.report.text import terminal_width

    stream = sys.stderr if stderr else stdout()
    # markup and emoji off: reporters' strings are plain text (a title with "[x]" or ":+1:" prints as written),
    # and Rich's markup and emoji tables are never imported (~3 ms of a table's start, bench/cold_start.py)
    return Console(
        file=stream, width=terminal_width(stream), soft_wrap=False, highlight=False, markup=False, emoji=False
    )


def emit(result: Any, fmt: str, reporters: Mapping[str, Callable[[Any], Any]]) -> None:
    """Render `result` with the reporter for `fmt`: a str verbatim, anything else (tables) through Rich at
    the terminal width."""
    rendered = reporters[fmt](result)
    if isinstance(rendered, str):
        write(rendered)
    else:  # a table wider than the terminal is shown whole, never cut (report/text.py)
        console().print(rendered, crop=False)
