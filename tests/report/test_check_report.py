"""Reporters of `roleplan check`: golden output per format, and each format's own rules.

Regenerate the golden files with `ROLEPLAN_UPDATE_GOLDEN=1 pytest tests/report/test_check_report.py`.
"""

from __future__ import annotations

import datetime
import json
import os
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from roleplan.benchmarks import load_benchmarks
from roleplan.core.check import check_plan, summarize
from roleplan.loaders.plan import validate
from roleplan.models.findings import CheckedFile, CheckResult, Finding
from roleplan.models.rules import RULES
from roleplan.report import check as report
from roleplan.report.check import FORMATS, REPORTERS
from roleplan.yamlio import parse_yaml

GOLDEN = Path(__file__).parent / "golden"
TODAY = datetime.date(2026, 11, 23)

ACME = """\
company: {name: Acme, stage: seriesB, arr: 20M}
metrics: {enterprise_customers_live: 4}
teams:
  - segment: mid-market
    quarters:
      2027-Q1: {aes: 10, ses: 2}
      2027-Q2: {aes: 12, ses: 2}
  - segment: enterprise
    quarters:
      2027-Q1: {aes: 2, ses: 2}
ignore:
  - rule: RP101
    quarter: 2027-Q1
    reason: "50% of the SE hires signed, start: April"
"""
BROKEN = """\
company: {stage: Series B}
teams:
  - segment: mid-market
    quarters:
      2027-Q1: {aes: 4, ses: 1, se: 1}
"""
CLEAN = """\
company: {stage: seed}
teams:
  - segment: enterprise
    quarters:
      2027-Q1: {aes: 2, ses: 1}
"""


def sample(fail_on: str = "error") -> CheckResult:
    bench = load_benchmarks()
    files: list[CheckedFile] = []
    findings: list[Finding] = []
    for name, text in (
        ("plans/acme.roleplan.yaml", ACME),
        ("plans/emea, apac.roleplan.yaml", BROKEN),
        ("plans/clean.roleplan.yaml", CLEAN),
    ):
        loaded = validate(parse_yaml(text, name))
        findings += loaded.problems
        if loaded.plan is not None:
            findings += check_plan(loaded.plan, bench, file=name, line_of=loaded.line_of, today=TODAY)
        files.append(CheckedFile(file=name, valid=loaded.plan is not None))
    return summarize(files, findings, fail_on)  # type: ignore[arg-type]


@pytest.fixture(autouse=True)
def _fixed_version(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "__version__", "0.0.0-test")


def test_every_format_has_a_reporter() -> None:
    assert tuple(REPORTERS) == FORMATS
    assert all(callable(r) for r in REPORTERS.values())


@pytest.mark.parametrize("fmt", FORMATS)
def test_golden(fmt: str) -> None:
    ext = {"text": "txt", "github": "txt", "junit": "xml", "sarif": "sarif", "markdown": "md"}.get(fmt, fmt)
    golden = GOLDEN / f"check.{fmt}.{ext}"
    rendered = REPORTERS[fmt](sample())
    if os.environ.get("ROLEPLAN_UPDATE_GOLDEN") == "1":
        golden.write_text(rendered, encoding="utf-8")
    assert rendered == golden.read_text(encoding="utf-8")


def test_sample_covers_every_kind_of_finding() -> None:
    result = sample()
    kinds = {(f.severity, f.suppressed) for f in result.findings}
    assert kinds == {("error", False), ("warning", False), ("error", True)}
    assert not result.files[1].valid


def test_github_escapes_workflow_command_text() -> None:
    out = report.github(sample())
    assert "file=plans/emea%2C apac.roleplan.yaml,line=1,title=RP000 invalid-plan::" in out
    assert out.count("::error ") == sample().summary.errors
    assert out.count("::warning ") == sample().summary.warnings
    assert "50%" not in out  # waived findings are not annotated
    assert report._gh_data("a%b\r\nc") == "a%25b%0D%0Ac"
    assert report._gh_prop("x:y,z") == "x%3Ay%2Cz"


def test_junit_is_one_testcase_per_rule_and_plan() -> None:
    result = sample()
    root = ET.fromstring(report.junit(result))
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == [f.file for f in result.files]
    for suite in suites:
        assert [c.get("name") for c in suite.findall("testcase")] == [f"{r.id} {r.name}" for r in RULES]
    acme = suites[0]
    failed = {c.get("name") for c in acme.findall("testcase") if c.find("failure") is not None}
    assert failed == {"RP101 se-coverage"}
    broken = suites[1]
    assert len(broken.findall("testcase/skipped")) == len(RULES) - 1
    assert root.get("failures") == "2"
    warn_root = ET.fromstring(report.junit(sample("warning")))
    assert int(warn_root.get("failures") or 0) > 2


def test_sarif_structure() -> None:
    result = sample()
    doc = json.loads(report.sarif(result))
    assert doc["version"] == "2.1.0" and doc["$schema"].endswith("sarif-2.1.0.json")
    run = doc["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [r.id for r in RULES]
    for r in rules:
        assert r["defaultConfiguration"]["level"] in ("error", "warning")
        assert r["shortDescription"]["text"] and r["fullDescription"]["text"]
    assert len(run["results"]) == len(result.findings)
    for res, f in zip(run["results"], result.findings, strict=True):
        assert rules[res["ruleIndex"]]["id"] == res["ruleId"] == f.rule
        assert res["locations"][0]["physicalLocation"]["region"]["startLine"] == f.line
        assert ("suppressions" in res) is f.suppressed
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert "plans/emea%2C%20apac.roleplan.yaml" in uris


def test_json_keys_are_documented() -> None:
    doc = json.loads(report.json_report(sample()))
    documented = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    for key in [*doc["summary"], *doc["findings"][0]]:
        assert f"`{key}`" in documented, key


def test_markdown_lists_waived_separately() -> None:
    out = report.markdown(sample())
    assert out.startswith("## roleplan check: ❌ fail")
    assert "### Waived" in out and "50% of the SE hires signed" in out
    passing = report.markdown(summarize([CheckedFile(file="a.yaml", valid=True)], [], "error"))
    assert "✅ pass" in passing and "No active findings." in passing
