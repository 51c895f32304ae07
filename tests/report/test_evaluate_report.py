"""Golden outputs of the `roleplan eval` reporters (ROLEPLAN_UPDATE_GOLDEN=1 rewrites them)."""

from __future__ import annotations

import json

import pytest

from roleplan.core.evaluate import Labelled, evaluate
from roleplan.models.classify import Evidence, RoleClassification, Soc
from roleplan.models.evaluation import EvalResult
from roleplan.report.evaluate import REPORTERS
from tests.report.golden_util import assert_golden


def _r(family: str, confidence: float, title_family: str | None = None) -> RoleClassification:
    ev = (
        Evidence(
            phrase="proof of concept",
            signal="presales.poc",
            family="se",
            weight=3.0,
            where="responsibilities",
        ),
        Evidence(phrase="go live", signal="postsales.golive", family="sa", weight=1.5, where="intro"),
    )
    return RoleClassification(
        family=family,  # type: ignore[arg-type]
        role={"se": "sales_engineer", "sa": "solutions_architect"}.get(family, "account_executive"),
        confidence=confidence,
        title_mismatch=title_family is not None and title_family != family,
        title_family=title_family,  # type: ignore[arg-type]
        evidence=ev,
        soc=Soc(code="41-9031.00", title="Sales Engineers"),
        scores={"se": 8.0, "sa": 2.0, "other": 1.0},
    )


def _result() -> EvalResult:
    items = [
        Labelled(id="a", label="se", result=_r("se", 0.95, "sa"), title="Solutions Architect"),
        Labelled(id="b", label="se", result=_r("sa", 0.45, "sa"), title="Solutions Architect"),
        Labelled(id="c", label="sa", result=_r("sa", 0.9)),
        Labelled(id="d", label="other", result=_r("other", 0.7)),
        Labelled(id="e", label="hybrid", result=_r("se", 0.55)),
    ]
    return evaluate(items, min_accuracy=0.7)


@pytest.mark.parametrize("fmt", ["markdown", "json"])
def test_golden(fmt: str) -> None:
    out = REPORTERS[fmt](_result())
    assert isinstance(out, str)
    assert_golden(f"eval.{fmt}", out)


def test_table_renders() -> None:
    import io

    from rich.console import Console

    console = Console(width=100, record=True, file=io.StringIO(), color_system=None)
    console.print(REPORTERS["table"](_result()))
    text = console.export_text()
    assert_golden("eval.table.txt", text)
    assert "accuracy 60.0% (3/5), minimum 70.0%: FAIL" in text


def test_json_keys_are_stable() -> None:
    data = json.loads(REPORTERS["json"](_result()))
    assert list(data) == [
        "n",
        "correct",
        "accuracy",
        "min_accuracy",
        "passed",
        "families",
        "confusion",
        "buckets",
        "title_inflated",
        "title_inflated_correct",
        "misses",
    ]
    assert data["title_inflated"] == 2 and data["title_inflated_correct"] == 1


def test_every_format_has_a_reporter() -> None:
    assert set(REPORTERS) == {"table", "json", "markdown"}
