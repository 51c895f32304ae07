"""Option values from a fixed set of names, as Click choices: shell completion offers them and --help lists
them, while a value is still matched the forgiving way `roleplan.errors.pick` does (case, spaces, `-` and
`_` aside: `--stage "Series B"` is `seriesB`) and an unknown one gets the closest name in a one-line error."""

from collections.abc import Sequence
from typing import Any

import click
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
