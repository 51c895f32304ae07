"""`roleplan report`: one self-contained HTML page (checked here as text; tests/cli/test_report_browser.py
loads it in a real browser)."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_check import one_line_error
from tests.conftest import FIXTURES, Run
from tests.report.golden_util import assert_golden

FILLED = "docs/examples/growth-filled.roleplan.yaml"
FINDINGS = str(FIXTURES / "planning" / "diff-head.roleplan.yaml")


def _page(run: Run, tmp_path: Path, plan: str) -> str:
    out = tmp_path / "plan.html"
    r = run("report", plan, "-o", str(out))
    assert r.code == 0, r
    assert r.out == "" and f"wrote {out}" in r.err
    return out.read_text(encoding="utf-8")


def test_the_page_is_self_contained(run: Run, tmp_path: Path) -> None:
    page = _page(run, tmp_path, FILLED)
    assert page.startswith("<!DOCTYPE html>")
    # nothing is fetched: no external script, stylesheet, image or font
    assert not re.search(r"<(script|link|img|iframe)[^>]+(src|href)=", page)
    assert "@import" not in page and "url(http" not in page
    assert "Plotly.newPlot" in page  # the library is inlined, the charts are drawn by it
    # 2 company charts + 2 per team (SE:AE against the band, SA capacity against the accounts)
    charts = re.findall(r'<div id="(chart-[a-z0-9-]+)"', page)
    assert charts == ["chart-headcount", "chart-cost", "chart-se-0", "chart-sa-0", "chart-se-1", "chart-sa-1"]
    assert "mid-market band 1:3" in page and "Vivun 2026 State of Presales" in page
    assert "Budget 2027" in page and "within" in page


def test_findings_are_listed_with_their_sources(run: Run, tmp_path: Path) -> None:
    page = _page(run, tmp_path, FINDINGS)
    assert "RP101 se-coverage" in page
    assert "se_ratios.segments.enterprise" in page and "Vivun 2026 State of Presales" in page
    assert "roleplan check<b>2 errors, 0 warnings</b>" in page


def test_stdout_and_no_overwrite(run: Run, tmp_path: Path) -> None:
    r = run("report", FILLED)
    assert r.code == 0 and r.out.startswith("<!DOCTYPE html>")
    out = tmp_path / "plan.html"
    out.write_text("mine", encoding="utf-8")
    assert "already exists" in one_line_error(run("report", FILLED, "-o", str(out)))
    assert out.read_text(encoding="utf-8") == "mine"


def test_without_plotly_it_names_the_extra(run: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "plotly", None)  # import plotly -> ImportError
    err = one_line_error(run("report", FILLED, "-o", str(tmp_path / "p.html")))
    assert "pip install 'roleplan[report]'" in err
    assert not (tmp_path / "p.html").exists()


def test_bad_plan_is_one_line_and_writes_nothing(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("company: {stage: seriesB}\nteams: []\n", encoding="utf-8")
    out = tmp_path / "p.html"
    err = one_line_error(run("report", str(bad), "-o", str(out)))
    assert f"{bad}:2: " in err
    assert not out.exists()


def _golden_parts(page: str) -> tuple[str, str]:
    """The page as text with plotly's JavaScript and each chart's drawing call taken out, and the charts'
    own data (every trace; the layout without plotly's template) as JSON: what roleplan puts on the page,
    not what a plotly release inlines."""
    decoder = json.JSONDecoder()
    charts: dict[str, Any] = {}
    for m in re.finditer(r'Plotly\.newPlot\(\s*"(chart-[a-z0-9-]+)",\s*', page):
        data, end = decoder.raw_decode(page, m.end())
        rest = re.compile(r"\s*,\s*").match(page, end)
        assert rest is not None
        layout, _ = decoder.raw_decode(page, rest.end())
        layout.pop("template", None)
        charts[m[1]] = {"data": data, "layout": layout}
    text = re.sub(
        r'<div[^>]*>\s*<div id="(chart-[a-z0-9-]+)" class="plotly-graph-div".*?</script>\s*</div>',
        r"[chart \1]",
        page,
        flags=re.S,
    )
    text = re.sub(r"<script>.*?</script>", "<script>/* plotly.js */</script>", text, count=1, flags=re.S)
    assert "<script" not in text.replace("<script>/* plotly.js */</script>", "")
    return text, json.dumps(charts, indent=2, ensure_ascii=False) + "\n"


@pytest.mark.parametrize(
    ("plan", "name"),
    [(FILLED, "report_growth"), ("tests/fixtures/planning/diff-head.roleplan.yaml", "report_findings")],
)
def test_report_golden(run: Run, tmp_path: Path, plan: str, name: str) -> None:
    text, charts = _golden_parts(_page(run, tmp_path, plan))
    assert re.findall(r"\[chart (chart-[a-z0-9-]+)\]", text) == list(json.loads(charts))
    assert_golden(f"{name}.html", text)
    assert_golden(f"{name}.charts.json", charts)
