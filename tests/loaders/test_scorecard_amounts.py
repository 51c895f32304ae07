"""Opportunity amounts as CRM exports write them in each locale read back to the amount (Hypothesis); what
cannot be read, or could be read two ways, is a ValueError with the reason, never a guess."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from roleplan.loaders.scorecard import parse_amount

cents = st.integers(0, 10**12)  # up to $10,000,000,000.00


def grouped(whole: int, sep: str) -> str:
    return f"{whole:,}".replace(",", sep)


def writings(c: int) -> list[str]:
    whole, frac = divmod(c, 100)
    us, eu = grouped(whole, ","), grouped(whole, ".")
    fr, swiss = grouped(whole, "\u202f"), grouped(whole, "'")  # French: a narrow no-break space
    return [
        f"{whole}.{frac:02d}",
        f"${us}.{frac:02d}",
        f"USD {us}.{frac:02d}",
        f"{us}.{frac:02d} USD",
        f"EUR {eu},{frac:02d}",
        f"{eu},{frac:02d} €",
        f"€{eu},{frac:02d}",
        f"{fr},{frac:02d} €",
        f"{grouped(whole, ' ')},{frac:02d}",
        f"CHF {swiss}.{frac:02d}",
        f"{whole},{frac:02d}",
    ]


@given(cents)
def test_every_locale_reads_back(c: int) -> None:
    for text in writings(c):
        assert parse_amount(text) == pytest.approx(c / 100, abs=1e-6), text


@given(st.integers(1000, 10**12))
def test_grouped_integers_without_decimals(n: int) -> None:
    assert parse_amount(f"{n:,}") == n
    if n >= 1_000_000:  # two dots or more: only thousands
        assert parse_amount(f"EUR {grouped(n, '.')}") == n


@pytest.mark.parametrize("text", ["10.000", "EUR 1.500", "999.999"])
def test_one_dot_before_three_digits_is_never_guessed(text: str) -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_amount(text)


@pytest.mark.parametrize(
    "text", ["abc", "", "-5", "nan", "inf", "1.2.3", "12,34,567", "1,2,3", "$", "1.000,0,0"]
)
def test_not_amounts(text: str) -> None:
    with pytest.raises(ValueError, match="not an amount"):
        parse_amount(text)


def test_plain_numbers() -> None:
    assert parse_amount("120000") == 120000
    assert parse_amount("1200.5") == 1200.5
    assert parse_amount("1000.000") == 1000  # four digits before the dot: not a thousands group
