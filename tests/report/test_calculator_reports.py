"""Golden outputs of the calculator reporters, and a reporter for every --format choice."""

from __future__ import annotations

import pytest

from roleplan.report import benchmarks as bench_reports
from roleplan.report import staffing
from tests.conftest import Run
from tests.report.golden_util import assert_golden

CASES = {
    "staff_seriesB": ["staff", "--stage", "seriesB", "--aes", "12"],
    "staff_debt": [
        "staff", "--stage", "seriesC", "--aes", "20", "--segment", "enterprise", "--days-to-first-value", "150",
        "--strategic-accounts", "30", "--commercial-accounts", "45",
    ],
    "staff_platform": ["staff", "--stage", "seriesB", "--aes", "10", "--motion", "platform"],
    "ratio_under": ["ratio", "--aes", "9", "--ses", "2"],
    "capacity_travel": ["capacity", "--reps", "12", "--demos-per-rep-week", "5", "--travel"],
    "comp_compare": ["comp", "--role", "sa", "--compare", "--level", "senior", "--ote", "240K"],
    "sources": ["benchmarks", "sources"],
}  # fmt: skip
EXT = {"table": "txt", "json": "json", "markdown": "md"}


@pytest.mark.parametrize("fmt", sorted(EXT))
@pytest.mark.parametrize("case", sorted(CASES))
def test_golden(run: Run, case: str, fmt: str) -> None:
    r = run(*CASES[case], "--format", fmt)
    assert r.code == 0, r
    assert_golden(f"{case}.{EXT[fmt]}", r.out)


@pytest.mark.parametrize(
    "reporters", [staffing.STAFF, staffing.RATIO, staffing.CAPACITY, staffing.COMP, bench_reports.SOURCES]
)
def test_every_format_has_a_reporter(reporters: dict[str, object]) -> None:
    assert set(reporters) == {"table", "json", "markdown"}
    assert all(callable(f) for f in reporters.values())
