"""The calculators' plain-text tables: fit the width where they can, lose no word, never cut a figure."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roleplan.report.text import PIPED_WIDTH, Tables, render, table, terminal_width

PROSE = frozenset({"Text"})
words = st.text(alphabet="abcdefghij$–1:", min_size=1, max_size=14)
cells = st.lists(words, min_size=0, max_size=12).map(" ".join)


@given(
    rows=st.lists(st.tuples(words, cells), min_size=1, max_size=5),
    width=st.integers(min_value=20, max_value=160),
)
def test_fits_the_width_and_keeps_every_word(rows: list[tuple[str, str]], width: int) -> None:
    out = render(Tables((table("T", ["Id", "Text"], rows, PROSE),)), width)
    lines = out.splitlines()
    assert all(line == line.rstrip() for line in lines)
    floor = (
        1
        + max(len(r[0]) for r in [*rows, ("Id", "")])
        + 3
        + max([12, *(len(w) for r in rows for w in r[1].split())])
    )
    if floor <= width:
        assert max(len(line) for line in lines) <= width
    body = " ".join(lines[4:]).split()
    assert body == [w for r in rows for w in (r[0], *r[1].split())]


def test_figures_are_never_wrapped() -> None:
    out = render(Tables((table("Pay", ["Base", "OTE"], [["$140K–$180K", "$200K–$235K"]], PROSE),)), 10)
    assert " $140K–$180K   $200K–$235K" in out.splitlines()


def test_label_value_tables_have_no_header_rule() -> None:
    out = render(Tables((table("SE coverage", ["", ""], [["Verdict", "within"]], PROSE),)), 80)
    assert out == "SE coverage\n\n Verdict   within\n\n"


@pytest.mark.parametrize(("env", "expected"), [("100", 100), ("", PIPED_WIDTH), ("wide", PIPED_WIDTH)])
def test_width_comes_from_columns_or_defaults_for_pipes(
    monkeypatch: pytest.MonkeyPatch, env: str, expected: int
) -> None:
    monkeypatch.setenv("COLUMNS", env)
    assert terminal_width(fd=-1) == expected
