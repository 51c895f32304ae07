"""Money as humans write it: `18M`, `$18,000,000`, `18000000`, `$215K`, `1.5B` in; `$18.0M`, `$215K` out.

Also shares (`55%`, `0.55`) and SE:AE ratios (`1:3.5`). A leaf beside errors.py and names.py: models validate
with it, the core computes with it, reporters print with it.
"""

from __future__ import annotations

import math
import re

from roleplan.errors import UsageError

_MONEY = re.compile(r"^\$?\s*(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[kmb])?$", re.IGNORECASE)
_UNITS = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}
#: Nothing roleplan sizes is worth more than this; bigger numbers are typos.
MAX_MONEY = 10**13


def parse_money(text: str, *, what: str = "amount") -> float:
    """Dollars from `18M`, `$18,000,000`, `18000000`, `$215K`, `1.5b` (case and spaces forgiven)."""
    cleaned = text.strip().replace(",", "").replace("_", "")
    if cleaned.upper().endswith("USD"):
        cleaned = cleaned[:-3].strip()
    match = _MONEY.match(cleaned)
    if match is None:
        raise UsageError(f"{what} {text!r} is not an amount of money (write it like 18M, $215K or 18000000)")
    value = float(match["num"]) * _UNITS[(match["unit"] or "").lower()]
    if value > MAX_MONEY:
        raise UsageError(f"{what} {text!r} is implausibly large")
    return value


def format_money(value: float) -> str:
    """`$18.0M`, `$215K`, `$950` — rounded the way a person reads a pay band or an ARR."""
    if not math.isfinite(value):
        raise ValueError(f"not a finite amount: {value}")
    sign = "-" if value < 0 else ""
    v = abs(value)
    if v >= 1_000_000_000:
        return f"{sign}${v / 1_000_000_000:.1f}B"
    if v >= 1_000_000:
        return f"{sign}${v / 1_000_000:.1f}M"
    if v >= 9_950:
        return f"{sign}${v / 1_000:.0f}K"
    if v >= 1_000:
        return f"{sign}${v / 1_000:.1f}K"
    return f"{sign}${v:.0f}"


def format_money_range(low: float, high: float) -> str:
    """`$140K–$180K`, or one figure when both ends agree."""
    lo, hi = format_money(low), format_money(high)
    return lo if lo == hi else f"{lo}–{hi}"


def parse_share(text: str, *, what: str = "share") -> float:
    """A share from `0.55`, `55%` or `.55`; a bare number above 1 is refused (did you mean a percentage?)."""
    cleaned = text.strip()
    try:
        if cleaned.endswith("%"):
            value = float(cleaned[:-1]) / 100
        else:
            value = float(cleaned)
            if value > 1:
                raise UsageError(f"{what} {text!r} is above 1; write 0.55 or 55% for fifty-five percent")
    except ValueError:
        raise UsageError(f"{what} {text!r} is not a share (write it like 0.55 or 55%)") from None
    if not 0 <= value <= 1:
        raise UsageError(f"{what} {text!r} must be between 0 and 1 (0% and 100%)")
    return value


def ratio(aes_per_se: float) -> str:
    """SE:AE as people say it: `1:3`, `1:3.5`."""
    return f"1:{aes_per_se:g}" if aes_per_se != int(aes_per_se) else f"1:{int(aes_per_se)}"
