"""The `roleplan` command: the root group, its error policy, and the registration of every command.

Plain Typer: every command is registered on `app` and converted to Click when the app starts. Start-up stays
cheap because each command module imports its heavy dependencies (Pydantic, PyYAML, Rich, the core) inside
the command function, so converting a command costs only its signature. No command module uses
`from __future__ import annotations`: Typer would evaluate each string annotation twice per command (dropping
it from the command modules saved ~13 ms of CPU at every start); quote a TYPE_CHECKING-only name instead.
"""

import errno
import os
import signal
import sys
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from click import exceptions as click_exc
from typer.core import TyperGroup

from roleplan import __version__
from roleplan.cli import (
    benchmarks_cmd,
    calendar,
    check,
    classify,
    comp,
    evaluate,
    handoff,
    planning,
    scorecard,
    staffing,
    train,
)
from roleplan.cli.common import Settings
from roleplan.errors import EXIT_CANNOT_RUN, RoleplanError

# Pydantic's plugin discovery scans every installed distribution's entry points (importlib.metadata), ~35 ms
# the first time a command validates input. A CLI has no use for Pydantic plugins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


class RoleplanGroup(TyperGroup):
    """Runs a command and turns every user error into one line on stderr and an exit code.

    Exit codes: 0 success, 1 findings, 2 could not run. Overriding `main` (rather than wrapping the app
    object) means Typer's CliRunner in the tests goes through the same policy as the console script.
    """

    def __init__(self, **attrs: Any) -> None:
        super().__init__(**attrs)
        for command in self.commands.values():
            with_global_options(command)

    # Click's own main turns a broken pipe into a silent exit 1 (which reads as "findings") and lets any
    # other OSError out as a traceback; carried past it, both are handled in `main`.
    def make_context(self, *args: Any, **kwargs: Any) -> click.Context:
        try:
            return super().make_context(*args, **kwargs)
        except OSError as exc:  # `roleplan --help | head`
            raise _StreamError(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except OSError as exc:
            raise _StreamError(exc) from None

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone = kwargs.pop("standalone_mode", True)
        kwargs["standalone_mode"] = False
        was_null = _stdout_is_devnull()
        try:
            rv = super().main(*args, **kwargs)
            sys.stdout.flush()  # a write error surfaces here, not in the interpreter's exit
        except SystemExit as exc:
            # Rich meets a broken pipe by pointing stdout at /dev/null and exiting 1: that is EPIPE too
            if exc.code == 1 and not was_null and _stdout_is_devnull():
                sys.exit(0)
            raise
        except _StreamError as wrapped:
            _os_error(wrapped.error)
        except OSError as exc:
            _os_error(exc)
        except RoleplanError as exc:
            _fail(str(exc), exc.exit_code)
        except click_exc.UsageError as exc:
            if type(exc).__name__ == "NoArgsIsHelpError" and exc.ctx is not None:
                sys.stdout.write(exc.ctx.get_help() + "\n")
                sys.exit(EXIT_CANNOT_RUN)
            hint = ""
            if exc.ctx is not None:
                hint = f" (see '{exc.ctx.command_path} --help')"
            _fail(exc.format_message() + hint, EXIT_CANNOT_RUN)
        except click_exc.ClickException as exc:
            _fail(exc.format_message(), exc.exit_code)
        except typer.Abort:
            _fail("aborted", 130)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except UnicodeEncodeError as exc:
            _fail(
                f"the output stream's encoding ({exc.encoding}) cannot show this result; "
                "set PYTHONIOENCODING=utf-8",
                EXIT_CANNOT_RUN,
            )
        if not standalone:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


def _quiet(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:  # never resets a -q given before the command
        Settings.quiet = True


def with_global_options(command: click.Command) -> click.Command:
    """Accept the root's -q/--quiet after the command name too (`roleplan classify x.md -q`), on every
    command and sub-command. (--benchmarks is an option of each command that reads benchmarks, and of the
    root.)"""
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            with_global_options(sub)
        return command
    if not any("--quiet" in getattr(p, "opts", ()) for p in command.params):
        command.params.append(
            click.Option(
                ["--quiet", "-q"],
                is_flag=True,
                expose_value=False,
                callback=_quiet,
                help="Only results and errors; no notes (also before the command).",
            )
        )
    return command


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"roleplan: error: {message}\n")
    sys.exit(code)


class _StreamError(Exception):
    """An OSError carried past Click's main, which would otherwise decide its exit code."""

    def __init__(self, error: OSError) -> None:
        super().__init__(str(error))
        self.error = error


def _os_error(exc: OSError) -> None:
    """EPIPE: the reader left (`roleplan ... | head`), exit 0 quietly. Any other: one line, exit 2."""
    _silence_stdout()  # what is still buffered must not fail again when the interpreter exits
    if exc.errno == errno.EPIPE:
        sys.exit(0)
    reason = exc.strerror or type(exc).__name__
    where = f"{exc.filename}: " if exc.filename else ""
    _fail(f"{where}{reason}" if where else f"cannot write the output: {reason}", EXIT_CANNOT_RUN)


def _stdout_is_devnull() -> bool:
    try:
        here, null = os.fstat(sys.stdout.fileno()), Path(os.devnull).stat()
    except (OSError, ValueError, AttributeError):
        return False
    return (here.st_dev, here.st_ino) == (null.st_dev, null.st_ino)


def _silence_stdout() -> None:
    try:
        fd = sys.stdout.fileno()
    except (OSError, ValueError, AttributeError):  # not a real file (a test runner's buffer)
        return
    null = os.open(os.devnull, os.O_WRONLY)
    os.dup2(null, fd)
    os.close(null)


app = typer.Typer(
    cls=RoleplanGroup,
    name="roleplan",
    help="Go-to-market org design: SE vs SA seats, how many, what they cost — and a CI gate for the plan.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)


def _version(value: bool) -> None:
    if value:
        from roleplan.cli.common import scan_engine
        from roleplan.core.classify import native_available

        scan_engine()
        engine = (
            "C extension" if native_available() else "pure Python (the C extension is off or was not built)"
        )
        sys.stdout.write(f"roleplan {__version__}\nclassifier: {engine}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only results and errors; no notes.")] = False,
    benchmarks_path: Annotated[
        Path | None,
        typer.Option(
            "--benchmarks",
            metavar="FILE",
            help="YAML merged over the packaged benchmarks, for any command (also after the command name, "
            "or ROLEPLAN_BENCHMARKS).",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Go-to-market org design: SE vs SA seats, how many, what they cost — and a CI gate for the plan."""
    Settings.quiet = quiet
    Settings.benchmarks = benchmarks_path


for _module in (
    staffing,
    comp,
    benchmarks_cmd,
    classify,
    evaluate,
    train,
    calendar,
    check,
    handoff,
    scorecard,
    planning,
):
    _module.register(app)


def _terminate(signum: int, frame: object) -> None:
    """SIGTERM or SIGHUP: remove the temp files of unfinished atomic writes, stop the --jobs workers, then
    die of the signal as the default action would (which left both behind). Nothing is unwound: an exception raised at
    an arbitrary point could leave a process pool waiting forever on its shutdown."""
    from roleplan.atomic import remove_unfinished

    remove_unfinished()
    # --jobs: its workers would outlive a signal sent to this process. A signal during `import
    # multiprocessing` finds the module half built (no active_children yet, and no worker either).
    active_children = getattr(sys.modules.get("multiprocessing"), "active_children", None)
    if active_children is not None:
        for child in active_children():
            child.terminate()
        _release_semaphores()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _release_semaphores() -> None:
    """Unlink the --jobs pool's named semaphores, as the first step of multiprocessing's own exit handler
    does (`util._run_finalizers(0)`: the finalizers of priority >= 0, those of its locks and queues). Dying of
    the signal skips that handler, and the resource tracker, which outlives this process, then unlinks them
    itself with a "leaked semaphore objects" warning on stderr. The later steps (joining the workers and
    the queues' feeder threads) are not run: they can wait, and the workers are already terminated."""
    run = getattr(sys.modules.get("multiprocessing.util"), "_run_finalizers", None)
    if run is not None:  # a private function of the stdlib: if a Python lacks it, the warning is back
        run(0)


def main() -> None:
    """Console-script entry point."""
    for signum in (signal.SIGTERM, signal.SIGHUP):
        if signal.getsignal(signum) is signal.SIG_DFL:  # not when the caller chose to ignore it (nohup)
            signal.signal(signum, _terminate)
    app()
