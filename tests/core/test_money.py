"""Money and shares as humans write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roleplan.errors import UsageError
from roleplan.money import format_money, format_money_range, parse_money, parse_share


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("18M", 18_000_000),
        ("$18,000,000", 18_000_000),
        ("18000000", 18_000_000),
        ("$215K", 215_000),
        ("215k", 215_000),
        ("1.5B", 1_500_000_000),
        (" $ 2.5m ", 2_500_000),
        ("300000 USD", 300_000),
    ],
)
def test_parse_money(text: str, value: float) -> None:
    assert parse_money(text) == value


@pytest.mark.parametrize("text", ["", "abc", "18X", "-5M", "$", "1e9", "10000000000000000"])
def test_parse_money_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_money(text)


@pytest.mark.parametrize(
    ("value", "text"), [(18_000_000, "$18.0M"), (215_000, "$215K"), (950, "$950"), (2_500_000_000, "$2.5B")]
)
def test_format_money(value: float, text: str) -> None:
    assert format_money(value) == text


def test_format_money_range() -> None:
    assert format_money_range(140_000, 180_000) == "$140K–$180K"
    assert format_money_range(200_000, 200_000) == "$200K"


@given(st.integers(min_value=0, max_value=10**12))
def test_money_round_trip_is_close(value: int) -> None:
    """What roleplan prints parses back to within the printed rounding."""
    back = parse_money(format_money(value))
    assert abs(back - value) <= max(0.05 * value, 1)


@pytest.mark.parametrize(
    ("text", "value"), [("0.55", 0.55), ("55%", 0.55), (".7", 0.7), ("100%", 1.0), ("0", 0.0)]
)
def test_parse_share(text: str, value: float) -> None:
    assert parse_share(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["55", "abc", "-0.1", "120%", ""])
def test_parse_share_rejects(text: str) -> None:
    with pytest.raises(UsageError):
        parse_share(text)
