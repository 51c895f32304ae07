"""Safe YAML: line numbers, duplicates, hostile documents."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from roleplan.errors import InputError
from roleplan.yamlio import load_yaml_file, parse_yaml


def test_lines_and_duplicates() -> None:
    doc = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n  b: 2\n", "f.yaml")
    assert doc.data == {"a": {"b": 2, "c": ["x", "y"]}}
    assert doc.lines[("a", "c", 1)] == 5
    assert doc.line_of(("a", "c", 1, "missing")) == 5
    assert [(d.key, d.line, d.first_line) for d in doc.duplicates] == [("b", 6, 2)]


def test_alias_bomb_is_refused_without_expanding() -> None:
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 10):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        bomb += f"{cur}: &{cur} [*{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}, *{prev}]\n"
    with pytest.raises(InputError, match="alias"):
        parse_yaml(bomb, "bomb.yaml")


def test_small_aliases_are_fine() -> None:
    doc = parse_yaml("base: &b {x: 1}\nother: *b\n", "f.yaml")
    assert doc.data["other"] == {"x": 1}


@pytest.mark.parametrize(
    ("text", "needle", "line"),
    [
        ("a: [1, 2\n", "invalid YAML", 2),
        ("a:\n\tb: 1\n", "invalid YAML", 2),
        ("", "empty", None),
        ("# only a comment\n", "no YAML document", None),
        ("a: 1\n---\nb: 2\n", "invalid YAML", 2),
        ("[" * 5000, "", None),
    ],
)
def test_bad_yaml_is_one_clear_error(text: str, needle: str, line: int | None) -> None:
    with pytest.raises(InputError) as err:
        parse_yaml(text, "f.yaml")
    assert needle in str(err.value)
    if line is not None:
        assert err.value.line == line


def test_size_limit(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * (3 * 1024 * 1024) + b"\n")
    with pytest.raises(InputError, match="limit"):
        load_yaml_file(big)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_input_error(text: str) -> None:
    with contextlib.suppress(InputError):
        parse_yaml(text, "fuzz.yaml")


def test_impossible_date_is_an_input_error() -> None:
    with pytest.raises(InputError, match="invalid YAML value"):
        parse_yaml("until: 2027-02-30\n", "f.yaml")


def test_a_large_document_without_aliases_is_not_called_an_alias_bomb() -> None:
    text = "ignore:\n" + "".join(f"  - rule: RP101\n    reason: r{i}\n" for i in range(60_000))
    with pytest.raises(InputError) as err:
        parse_yaml(text, "plan.yaml")
    assert "alias" not in str(err.value) and "more than 200,000 YAML values" in str(err.value)
