"""Plain-text tables for the calculators: a title, a header, a rule, rows; prose columns wrap to the width.

The calculators (`staff`, `ratio`, `comp`, `capacity`) must start faster than importing their dependencies
(issue 2's cold-start target, `bench/cold_start.py`). Rich's table machinery alone costs ~30 ms to import
and 10-25 ms to lay out, so these tables are laid out here, in the same shape Rich's SIMPLE_HEAD box draws.
The other commands, whose tables carry colour and bars, keep Rich.

Reporters return `Tables` (pure data); the CLI renders them at the width of the terminal (`render`).
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

# Columns when not a terminal, for these tables and Rich's (cli/common.console): stable pipes, logs, goldens.
PIPED_WIDTH = 120
_GAP = "   "  # between columns
_MIN_PROSE = 12  # a prose column is never squeezed narrower than this (or its longest word)


@dataclass(frozen=True)
class Table:
    """A titled table. Columns named in `prose` wrap; every other column keeps its cells on one line."""

    title: str
    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    prose: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Tables:
    """Tables shown one after another."""

    tables: tuple[Table, ...]


def table(
    title: str, headers: Sequence[str], rows: Sequence[Sequence[object]], prose: frozenset[str]
) -> Table:
    """A Table from any cells (rendered with str)."""
    return Table(title, tuple(headers), tuple(tuple(str(c) for c in row) for row in rows), prose)


def terminal_width(fd: int = 1) -> int:
    """COLUMNS when set, else the terminal's width, else PIPED_WIDTH (not a terminal)."""
    env = os.environ.get("COLUMNS", "")
    if env.isdigit() and int(env) > 0:
        return int(env)
    try:
        return os.get_terminal_size(fd).columns if os.isatty(fd) else PIPED_WIDTH
    except OSError:
        return PIPED_WIDTH


def render(tables: Tables, width: int) -> str:
    """All tables as text, each followed by a blank line; lines carry no trailing spaces."""
    return "".join(_render(t, width) + "\n" for t in tables.tables)


def _render(t: Table, width: int) -> str:
    widths = _widths(t, width)
    lines = [t.title, ""]
    if any(t.headers):  # a table of label/value pairs has no header to show
        lines.append(_line(t.headers, widths))
        lines.append(" " + "─" * (sum(widths) + len(_GAP) * (len(widths) - 1)))
    for row in t.rows:
        cells = [
            _wrap(cell, w) if h in t.prose else [cell]
            for cell, w, h in zip(row, widths, t.headers, strict=True)
        ]
        for k in range(max(len(c) for c in cells)):
            lines.append(_line([c[k] if k < len(c) else "" for c in cells], widths))
    return "\n".join(lines) + "\n"


def _line(cells: Sequence[str], widths: Sequence[int]) -> str:
    return (" " + _GAP.join(c.ljust(w) for c, w in zip(cells, widths, strict=True))).rstrip()


def _widths(t: Table, width: int) -> list[int]:
    """Natural widths, then the prose columns shrink (widest first) until the table fits, or cannot."""
    cols = list(zip(t.headers, *t.rows, strict=True))
    widths = [max(len(c) for c in col) for col in cols]
    floor = [
        max(min(widths[i], _MIN_PROSE), *(len(w) for c in col for w in c.split()), len(t.headers[i]))
        if t.headers[i] in t.prose
        else widths[i]
        for i, col in enumerate(cols)
    ]
    room = width - 1 - len(_GAP) * (len(widths) - 1)
    excess = sum(widths) - room
    while excess > 0:  # one column at a time, the widest first, so prose columns end up alike
        shrinkable = [i for i in range(len(widths)) if widths[i] > floor[i]]
        if not shrinkable:
            break
        widths[max(shrinkable, key=lambda k: widths[k])] -= 1
        excess -= 1
    return widths


def _wrap(text: str, width: int) -> list[str]:
    return textwrap.wrap(text, width, break_long_words=True, break_on_hyphens=False) or [""]
