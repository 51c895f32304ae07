"""Reporters of `roleplan calendar` against golden files (ROLEPLAN_UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import io
import json
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from roleplan.benchmarks import load_calendar
from roleplan.core.calendar import assess
from roleplan.loaders.calendar import read_calendar
from roleplan.models.calendar import CalendarResult, Window
from roleplan.report.calendar import REPORTERS, bar

GOLDEN = Path(__file__).parent / "golden"
CAL = Path(__file__).parent.parent / "fixtures" / "calendar"
CASES = {
    "calendar_se": ("se_heavy.ics", Window(start=date(2026, 3, 2), end=date(2026, 3, 29))),
    "calendar_mixed": ("outlook_mixed.csv", Window(start=date(2026, 3, 2), end=date(2026, 3, 29))),
    "calendar_insufficient": (
        "simple.csv",
        Window(start=date(2026, 3, 1), end=date(2026, 3, 28), chosen_by="default"),
    ),
}
SUFFIX = {"table": "txt", "json": "json", "markdown": "md"}


def result_for(case: str) -> CalendarResult:
    name, window = CASES[case]
    parsed = read_calendar(CAL / name)
    events, invalid = parsed.events(window)
    return assess(
        events,
        window,
        load_calendar(),
        file=name,
        owner=parsed.owner,
        owner_from=parsed.owner_from,
        timezone=parsed.timezone,
        invalid=invalid,
    )


def render(rendered: Any) -> str:
    if isinstance(rendered, str):
        return rendered
    from rich.console import Console

    out = io.StringIO()
    Console(file=out, width=100, color_system=None, force_terminal=False, soft_wrap=False).print(rendered)
    return out.getvalue()


@pytest.mark.parametrize("fmt", sorted(REPORTERS))
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(case: str, fmt: str) -> None:
    text = render(REPORTERS[fmt](result_for(case)))
    path = GOLDEN / f"{case}.{SUFFIX[fmt]}"
    if os.environ.get("ROLEPLAN_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.exists(), f"missing golden file {path.name}; run with ROLEPLAN_UPDATE_GOLDEN=1"
    assert text == path.read_text(encoding="utf-8")


def test_every_format_has_a_reporter() -> None:
    from roleplan.cli.calendar import FORMATS

    assert set(FORMATS) == set(REPORTERS)


def test_json_has_the_documented_keys() -> None:
    data = json.loads(REPORTERS["json"](result_for("calendar_se")))
    for key in ("verdict", "se_hours", "sa_hours", "other_hours", "window", "excluded", "top"):
        assert key in data
    assert set(data["top"]) == {"se", "sa", "other"}


@pytest.mark.parametrize(("share", "expected"), [(1.0, "█" * 10), (0.0, "░" * 10), (0.55, "█" * 6 + "░" * 4)])
def test_bar(share: float, expected: str) -> None:
    assert bar(share, 10) == f"SE {expected} SA"


def test_bar_without_customer_time() -> None:
    assert bar(None, 4) == "SE ···· SA"
