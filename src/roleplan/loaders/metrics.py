"""Measured figures for `roleplan staff --metrics FILE`: the JSON `roleplan scorecard --format json` writes.

Only the standard library: `staff` is a calculator and keeps its cold start.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from roleplan.errors import InputError
from roleplan.fileio import read_bytes

MAX_BYTES = 16 * 1024 * 1024
KIND = "roleplan scorecard"  # models.scorecard.SCORECARD_KIND, without importing the scorecard models


@dataclass(frozen=True)
class Measured:
    """The figures `staff` can take from a scorecard; None where the scorecard had no data."""

    poc_win_rate: float | None
    days_to_first_value: float | None
    deployed_at_renewal: float | None


def _number(data: Any, path: str, source: Path, *, share: bool) -> float | None:
    value: Any = data
    for key in path.split("."):
        if value is None:
            return None
        if not isinstance(value, dict):
            raise InputError(f"{path}: expected an object at {key!r}", file=source)
        value = value.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value < 0:
        raise InputError(f"{path}: expected a number >= 0 or null, got {value!r}", file=source)
    if share and value > 1:
        raise InputError(f"{path}: expected a share between 0 and 1, got {value!r}", file=source)
    return float(value)


def _days(data: dict[str, Any], source: Path) -> float | None:
    """Days to first value: the estimate with the waiting accounts in (a scorecard before it had only the
    median of those that reached it). An estimate that is only a lower bound ("more than N days") counts when
    the scorecard found it past the trigger, and is no data when it was too soon to judge."""
    estimate = _number(data, "accounts.estimated_median_days_to_first_value", source, share=False)
    if estimate is None:
        return _number(data, "accounts.median_days_to_first_value", source, share=False)
    accounts = data.get("accounts")
    if isinstance(accounts, dict) and accounts.get("estimate_at_least") is True:
        checks = data.get("checks")
        verdicts = (
            [c.get("verdict") for c in checks if isinstance(c, dict) and c.get("id") == "days-to-first-value"]
            if isinstance(checks, list)
            else []
        )
        return estimate if verdicts == ["above"] else None
    return estimate


def read_metrics(path: Path) -> Measured:
    """The measured POC win rate, median days to first value and share deployed at renewal in `path`."""
    import json

    raw = read_bytes(path, max_bytes=MAX_BYTES, what="metrics file")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputError(
            "not UTF-8 text: expected the JSON of roleplan scorecard --format json", file=path
        ) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"not JSON: {exc.msg}", file=path, line=exc.lineno, col=exc.colno) from None
    except RecursionError:
        raise InputError("not JSON: nested too deeply", file=path) from None
    if not isinstance(data, dict) or data.get("kind") != KIND:
        raise InputError(
            'not a scorecard: expected the JSON of `roleplan scorecard --format json` ("kind": "roleplan scorecard")',
            file=path,
        )
    return Measured(
        poc_win_rate=_number(data, "team.poc_win_rate", path, share=True),
        days_to_first_value=_days(data, path),
        deployed_at_renewal=_number(data, "accounts.deployed_at_renewal", path, share=True),
    )
