"""Every command's terminal tables, in one style: Rich's SIMPLE_HEAD box under a left-aligned title.

At any width a cell wraps only at spaces and no column is narrower than its longest word, so an identifier
(`presales.technical_win`) or a figure (`$140K–$180K`) is never cut, and no word is lost. Rich draws the
tables; only the column widths are chosen here (`_fit`): Rich's own distribution shrinks the widest columns
evenly, whatever their longest word, then widens those back past the width (at 50 columns a 43-column
evidence table came out 54 wide). A table whose words cannot fit the width comes out as wide as they need
rather than cut (cli/common.emit prints without cropping).

Reporters build tables here and return them (or `tables(...)` of several); the CLI prints them at the width
of the terminal, COLUMNS, or PIPED_WIDTH when the output is not a terminal (`terminal_width`). Rich's table
modules are imported by the first table built, so a command printing JSON never pays for them.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console, ConsoleOptions, Group, RenderableType
    from rich.measure import Measurement
    from rich.segment import Segment
    from rich.table import Table

#: Columns when not a terminal and COLUMNS is not set: stable pipes, logs and goldens.
PIPED_WIDTH = 120


class FittedTable:
    """A Rich table whose columns are given widths that fit the console without breaking a word."""

    def __init__(self, table: Table, natural: list[int], floor: list[int]) -> None:
        self.table = table
        self.natural = natural  # each column's widest cell on one line
        self.floor = floor  # each column's longest word
        self.extra = 3 * (len(natural) - 1) if natural else 0  # a divider and two paddings between columns

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> Iterator[Segment]:
        """The table at the widths `_fit` chose, each line without the trailing blanks of its cells."""
        from rich.segment import Segment

        widths = _fit(self.natural, self.floor, options.max_width - self.extra)
        for column, width in zip(self.table.columns, widths, strict=True):
            column.width = width
        wide = options.update_width(max(options.max_width, sum(widths) + self.extra))
        for line in console.render_lines(self.table, wide, pad=False):
            while line and not line[-1].text.rstrip():
                line.pop()
            if line:
                last = line.pop()
                line.append(Segment(last.text.rstrip(), last.style))
            yield from line
            yield Segment.line()

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        from rich.measure import Measurement

        return Measurement(sum(self.floor) + self.extra, sum(self.natural) + self.extra)


def _fit(natural: list[int], floor: list[int], room: int) -> list[int]:
    """Natural widths, then the widest column still wider than its longest word loses a column at a time
    until the table fits `room`, or cannot."""
    widths = list(natural)
    excess = sum(widths) - room
    while excess > 0:
        shrinkable = [i for i, w in enumerate(widths) if w > floor[i]]
        if not shrinkable:
            break
        widths[max(shrinkable, key=lambda i: widths[i])] -= 1
        excess -= 1
    return widths


def table(
    title: str | None,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    right: Collection[str] = (),
    styles: Mapping[str, str] | None = None,
) -> FittedTable:
    """A titled table. Cells are plain text (str() of anything but a Rich `Text`, which keeps its styles);
    columns named in `right` are right-aligned, and `styles` styles whole columns, by header.

    A table whose headers are all empty is a list of label/value pairs and shows no header.
    """
    from rich import box
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    body = [[c if isinstance(c, Text) else Text(str(c)) for c in row] for row in rows]
    out = Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
        show_header=any(headers),
        header_style="bold",
    )
    natural, floor = [], []
    for i, header in enumerate(headers):
        texts = [header, *(row[i].plain for row in body)] if any(headers) else [row[i].plain for row in body]
        natural.append(max((cell_len(line) for t in texts for line in t.splitlines()), default=1))
        floor.append(max((cell_len(word) for t in texts for word in t.split()), default=1))
        out.add_column(
            header, justify="right" if header in right else "left", style=(styles or {}).get(header, "")
        )
    for row in body:
        out.add_row(*row)
    return FittedTable(out, natural, floor)


def tables(*parts: RenderableType) -> Group:
    """Tables (or other renderables) shown one after another, a blank line between two."""
    from rich.console import Group

    return Group(*(item for i, part in enumerate(parts) for item in ((part,) if i == 0 else ("", part))))


def terminal_width(stream: IO[str] | None = None) -> int:
    """COLUMNS when set, else the terminal's width, else PIPED_WIDTH (not a terminal)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        fd = stream.fileno() if stream is not None else 1
        return os.get_terminal_size(fd).columns if os.isatty(fd) else PIPED_WIDTH
    except (OSError, ValueError):  # not a real file (a test's buffer, a closed stream)
        return PIPED_WIDTH
