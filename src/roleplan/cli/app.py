"""The `roleplan` command: the root group, its error policy, and the registration of every command."""

from __future__ import annotations

import os
import sys
from typing import Annotated, Any

import typer
from click import exceptions as click_exc
from typer.core import TyperGroup

from roleplan import __version__
from roleplan.cli import benchmarks_cmd, calendar, check, classify, comp, evaluate, staffing
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

    def main(self, *args: Any, **kwargs: Any) -> Any:
        standalone = kwargs.pop("standalone_mode", True)
        kwargs["standalone_mode"] = False
        try:
            rv = super().main(*args, **kwargs)
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
        except BrokenPipeError:  # `roleplan ... | head`: the reader left, nothing to report
            sys.stderr.close()
            sys.exit(0)
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


def _fail(message: str, code: int) -> None:
    sys.stderr.write(f"roleplan: error: {message}\n")
    sys.exit(code)


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
        sys.stdout.write(f"roleplan {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Only results and errors; no notes.")] = False,
) -> None:
    """Go-to-market org design: SE vs SA seats, how many, what they cost — and a CI gate for the plan."""
    Settings.quiet = quiet


for _module in (staffing, comp, benchmarks_cmd, classify, evaluate, calendar, check):
    _module.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
