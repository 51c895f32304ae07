"""The one table style: wrap between words to fit the width, never inside a word, never lose one."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from roleplan.report.text import PIPED_WIDTH, table, tables, terminal_width

words = st.text(alphabet="abcdefghij$–1:._", min_size=1, max_size=14)
cells = st.lists(words, min_size=0, max_size=12).map(" ".join)


def render(renderable: object, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False, soft_wrap=False).print(
        renderable, crop=False
    )
    return out.getvalue()


@given(
    rows=st.lists(st.tuples(words, cells, words), min_size=1, max_size=5),
    width=st.integers(min_value=20, max_value=160),
)
def test_fits_the_width_and_keeps_every_word_whole(rows: list[tuple[str, str, str]], width: int) -> None:
    out = render(table("T", ["Id", "Text", "Figure"], rows), width)
    tokens = out.split()[1:]  # after the title: the headers, the rule, the cells
    body = [t for t in tokens if set(t) != {"─"}][3:]
    assert sorted(body) == sorted(w for r in rows for cell in r for w in cell.split())
    longest = [
        max(len(w) for r in rows for w in (h, *r[i].split())) for i, h in enumerate(["Id", "Text", "Figure"])
    ]
    if sum(longest) + 2 * 3 <= width:
        assert max(len(line) for line in out.splitlines()) <= width


def test_an_identifier_is_never_split_at_80_columns() -> None:
    rows = [["presales.technical_win", "lead proofs of concept with the account team " * 3, "+2.00"]] * 2
    out = render(table("Evidence", ["signal", "phrase", "weight"], rows, right={"weight"}), 45)
    assert out.count("presales.technical_win") == 2
    assert all(len(line) <= 45 for line in out.splitlines())


def test_a_table_too_wide_for_its_words_is_shown_whole() -> None:
    rows = [["$140K–$180K", "$200K–$235K", "$185K–$250K"]]
    out = render(table("Pay", ["Base", "OTE", "Total"], rows), 20)
    assert all(cell in out for cell in rows[0])


def test_label_value_tables_have_no_header_and_tables_are_spaced() -> None:
    out = render(
        tables(table("SE coverage", ["", ""], [["Verdict", "within"]]), table("B", ["x"], [["y"]])), 80
    )
    lines = [line.rstrip() for line in out.splitlines()]
    assert lines[:4] == ["SE coverage", "Verdict   within", "", "B"]
    assert "─" not in lines[1]


@pytest.mark.parametrize(("env", "expected"), [("100", 100), ("", PIPED_WIDTH), ("wide", PIPED_WIDTH)])
def test_width_comes_from_columns_or_defaults_for_pipes(
    monkeypatch: pytest.MonkeyPatch, env: str, expected: int
) -> None:
    monkeypatch.setenv("COLUMNS", env)
    assert terminal_width(io.StringIO()) == expected
