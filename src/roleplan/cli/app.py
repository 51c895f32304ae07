"""The `roleplan` command: the root group, its error policy, and the registration of every command."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, MutableMapping
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import click
import typer
from click import exceptions as click_exc
from typer.core import MarkupMode, TyperGroup
from typer.main import get_command_from_info, get_command_name, get_group_from_info

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
)
from roleplan.cli.common import Settings
from roleplan.errors import EXIT_CANNOT_RUN, RoleplanError

# Pydantic's plugin discovery scans every installed distribution's entry points (importlib.metadata), ~35 ms
# the first time a command validates input. A CLI has no use for Pydantic plugins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")


#: Every command and sub-group is registered here rather than on `app`, so that the root group can convert
#: them to Click one at a time, when used (see `LazyCommands`).
registry = typer.Typer()


class LazyCommands(MutableMapping[str, click.Command]):
    """The root group's commands by name, each converted from its Typer function on first access.

    Typer converts every registered function to a Click command when the app starts (signature, type hints,
    one Click parameter per argument): about 20 ms for all of roleplan's commands, of which a run uses one.
    Names, their order, `--help` and typo suggestions need no conversion; `--help` converts them all.
    """

    def __init__(
        self,
        registry: typer.Typer,
        *,
        pretty_exceptions_short: bool,
        suggest_commands: bool,
        rich_markup_mode: MarkupMode,
    ) -> None:
        self._entries: dict[str, click.Command | Callable[[], click.Command]] = {}
        for info in registry.registered_commands:  # commands first, then groups: Typer's own order
            assert info.callback is not None, "a command needs a callback"
            name = info.name or get_command_name(info.callback.__name__)
            self._entries[name] = partial(
                get_command_from_info,
                info,
                pretty_exceptions_short=pretty_exceptions_short,
                rich_markup_mode=rich_markup_mode,
            )
        for group in registry.registered_groups:
            if not isinstance(group.name, str):
                raise TypeError("register a sub-group with an explicit name")
            self._entries[group.name] = partial(
                get_group_from_info,
                group,
                pretty_exceptions_short=pretty_exceptions_short,
                suggest_commands=suggest_commands,
                rich_markup_mode=rich_markup_mode,
            )

    def __getitem__(self, name: str) -> click.Command:
        entry = self._entries[name]
        if not isinstance(entry, click.Command):
            entry = self._entries[name] = with_global_options(entry())
        return entry

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._entries[name] = command

    def __delitem__(self, name: str) -> None:
        del self._entries[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)


class RoleplanGroup(TyperGroup):
    """Runs a command and turns every user error into one line on stderr and an exit code.

    Exit codes: 0 success, 1 findings, 2 could not run. Overriding `main` (rather than wrapping the app
    object) means Typer's CliRunner in the tests goes through the same policy as the console script.
    The commands come from `registry`, converted lazily.
    """

    def __init__(self, *, commands: dict[str, click.Command] | None = None, **attrs: Any) -> None:
        lazy = LazyCommands(  # the settings Typer itself passes down from the app
            registry,
            pretty_exceptions_short=app.pretty_exceptions_short,
            suggest_commands=app.suggest_commands,
            rich_markup_mode=app.rich_markup_mode,
        )
        lazy.update(commands or {})
        super().__init__(**attrs)
        self.commands = lazy  # Click types it as a MutableMapping; Typer's signature says dict

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
        from roleplan.core.classify import native_available

        engine = "C extension" if native_available() else "pure Python (the C extension was not built)"
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
    calendar,
    check,
    handoff,
    scorecard,
    planning,
):
    _module.register(registry)


def main() -> None:
    """Console-script entry point."""
    app()
