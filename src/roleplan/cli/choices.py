"""Option values from a fixed set of names, as Click choices: shell completion offers them and --help lists
them, while a value is still matched the forgiving way `roleplan.errors.pick` does (case, spaces, `-` and
`_` aside: `--stage "Series B"` is `seriesB`) and an unknown one gets the closest name in a one-line error."""

from collections.abc import Callable, Sequence
from typing import Any

import click
import typer
from click.shell_completion import CompletionItem

from roleplan.errors import pick


class Names(click.Choice[str]):
    """A click.Choice of `choices` that resolves a value with `pick(kind, value, choices)`."""

    def __init__(self, kind: str, choices: Sequence[str], *, metavar: str | None = None) -> None:
        super().__init__(tuple(choices), case_sensitive=False)
        self.kind = kind
        self.metavar = metavar or kind.split()[-1].upper()  # "input format" -> FORMAT

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        """A short placeholder (FORMAT, STAGE): the option's help lists the names, completion offers them."""
        return self.metavar

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        """The names as written (`seriesA`): Click 8.4 offers a case-insensitive choice lower-cased."""
        low = incomplete.lower()
        return [CompletionItem(c) for c in map(str, self.choices) if c.lower().startswith(low)]

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        # UsageError (exit 2, "unknown format 'jsn'; did you mean 'json'? (choose from: ...)") is printed by
        # the app like every roleplan error; during completion Click ignores it (resilient parsing).
        return pick(self.kind, str(value), self.choices)


class Completed(click.ParamType):  # type: ignore[type-arg, unused-ignore]  # generic from Click 8.4
    """A free-form value (checked by the command, as before) whose completion comes from `offer(ctx)`, a
    function called only while the shell completes: it may import what start-up must not (holidays)."""

    name = "text"

    def __init__(
        self, offer: "Callable[[click.Context], Sequence[str]]", *, metavar: str, lists: bool = False
    ):
        self.offer = offer
        self.metavar = metavar
        self.lists = lists  # a comma-separated list: complete its last item

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.metavar

    def shell_complete(
        self, ctx: click.Context, param: click.Parameter, incomplete: str
    ) -> list[CompletionItem]:
        head, last = "", incomplete
        if self.lists and "," in incomplete:
            head, last = incomplete.rsplit(",", 1)
            head += ","
        low = last.lower()
        try:
            names = self.offer(ctx)
        except Exception:  # a completion that cannot be worked out offers nothing, never a traceback
            return []
        return [CompletionItem(head + n) for n in names if n.lower().startswith(low)]


def countries(ctx: click.Context) -> list[str]:
    """The ISO codes of the holiday calendars (`--country`)."""
    import holidays

    return sorted(c for c in holidays.list_supported_countries() if len(c) == 2)  # not the alpha-3 aliases


def subdivisions(ctx: click.Context) -> list[str]:
    """The subdivisions of the --country given so far (default US)."""
    import holidays

    country = str(ctx.params.get("country") or "US").strip().upper()
    return list(holidays.list_supported_countries().get(country, ()))


def rules(ctx: click.Context) -> list[str]:
    """`check`'s rule ids and names (`--select`, `--ignore`)."""
    from roleplan.models.rules import RULES

    return [r.id for r in RULES] + [r.name for r in RULES]


def format_option(*formats: str, help: str | None = None) -> Any:
    """The `--format/-f` option of a command whose reporters are `formats` (the first being the default):
    completion offers them, --help lists them ("table, json or markdown.")."""
    listed = formats[0] if len(formats) == 1 else ", ".join(formats[:-1]) + " or " + formats[-1]
    return typer.Option("--format", "-f", click_type=Names("format", formats), help=help or f"{listed}.")
