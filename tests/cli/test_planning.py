"""`roleplan plan` and `roleplan cost` through the real CLI: formats (goldens), writing, bad input."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from roleplan.report.planning import COST_REPORTERS, PLAN_REPORTERS
from tests.cli.test_check import one_line_error
from tests.conftest import FIXTURES, Run
from tests.report.golden_util import assert_golden

PLANNING = FIXTURES / "planning"
GROWTH = PLANNING / "growth.roleplan.yaml"
SUFFIX = {"table": "txt", "json": "json", "markdown": "md"}


def _copy(tmp_path: Path, name: str = "growth.roleplan.yaml") -> Path:
    target = tmp_path / name
    shutil.copyfile(PLANNING / name, target)
    return target


@pytest.mark.parametrize("fmt", list(PLAN_REPORTERS))
def test_plan_formats_golden(run: Run, fmt: str) -> None:
    r = run("plan", "tests/fixtures/planning/growth.roleplan.yaml", "--format", fmt)
    assert r.code == 0, r
    assert r.err == ""
    assert_golden(f"plan_growth.{SUFFIX[fmt]}", r.out)


@pytest.mark.parametrize("fmt", list(COST_REPORTERS))
def test_cost_formats_golden(run: Run, fmt: str) -> None:
    r = run("cost", "tests/fixtures/planning/growth-filled.roleplan.yaml", "--format", fmt)
    assert r.code == 0, r
    assert_golden(f"cost_growth.{SUFFIX[fmt]}", r.out)


def test_plan_json_shape(run: Run) -> None:
    doc = json.loads(run("plan", str(GROWTH), "--format", "json").out)
    assert doc["timing"] == {
        "lead_time_quarters": 1,
        "ramp_quarters": 1,
        "benchmark": "planning",
        "source": "roleplan defaults",
    }
    q1 = doc["quarters"][0]
    assert q1["quarter"] == "2027-Q1"
    mid = q1["teams"][0]
    # 6 AEs at Series B in mid-market: 2 SEs (1:3); the plan says one is on staff, so one hire
    assert (mid["ses"], mid["hires"]["se"], mid["ramping"]["se"]) == (2, 1, 1)
    assert mid["why"][0]["benchmark"] == "se_ratios.segments.mid-market"
    assert mid["why"][0]["source"] == "Vivun 2026 State of Presales"
    first = doc["reqs"][0]
    assert (first["open_quarter"], first["start_quarter"], first["before_plan"]) == (
        "2026-Q4",
        "2027-Q1",
        True,
    )


def test_cost_json_shape_and_arithmetic(run: Run) -> None:
    doc = json.loads(run("cost", str(PLANNING / "growth-filled.roleplan.yaml"), "--format", "json").out)
    q1 = doc["quarters"][0]
    assert set(q1) >= {"quarter", "heads", "base", "ote", "total", "lines"}
    # 2 mid-market SEs: OTE $200K–$235K a year each, a quarter is a fourth
    mid_se = next(ln for ln in q1["lines"] if ln["team"] == "Mid-market" and ln["role"] == "se")
    assert mid_se["heads"] == 2
    assert mid_se["ote"] == {"min": 100_000, "max": 117_500}
    assert mid_se["figures"][0]["benchmark"] == "comp.bands[0]"
    assert mid_se["figures"][0]["source"].startswith("RepVue")
    # the enterprise team's level mix adds up to one head's band
    ent_se = next(ln for ln in q1["lines"] if ln["team"] == "Enterprise" and ln["role"] == "se")
    assert [f["level"] for f in ent_se["figures"]] == ["mid", "senior", "principal"]
    assert sum(f["share"] for f in ent_se["figures"]) == pytest.approx(1)
    year = doc["year"][0]
    assert year["year"] == "2027" and year["quarters"] == 4
    assert year["ote"]["min"] == pytest.approx(sum(q["ote"]["min"] for q in doc["quarters"]))
    # the year's figures name their bands too: one line per team and role, summed over its quarters
    assert [(ln["team"], ln["role"]) for ln in year["lines"]] == [
        ("Mid-market", "se"),
        ("Mid-market", "sa"),
        ("Enterprise", "se"),
        ("Enterprise", "sa"),
    ]
    for ln in year["lines"]:
        same = [
            q_ln
            for q in doc["quarters"]
            for q_ln in q["lines"]
            if (q_ln["team"], q_ln["role"]) == (ln["team"], ln["role"])
        ]
        assert ln["ote"]["max"] == pytest.approx(sum(x["ote"]["max"] for x in same))
        assert ln["heads"] == pytest.approx(sum(x["heads"] for x in same) / 4)
        assert ln["figures"] and all(
            f["benchmark"].startswith("comp.bands[") and f["source"] for f in ln["figures"]
        )
    assert year["ote"]["min"] == pytest.approx(sum(ln["ote"]["min"] for ln in year["lines"]))
    assert year["heads"]["se"] == 5.25  # 3, 5, 6 and 7 SEs over the four quarters
    assert doc["budget"][0]["status"] == "within"


def test_four_enterprise_ses_cost_a_quarter_of_their_band(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "p.yaml"
    plan.write_text(
        "company: {stage: seriesC}\nteams:\n  - segment: enterprise\n    quarters:\n"
        "      2027-Q1: {aes: 8, ses: 4}\n",
        encoding="utf-8",
    )
    q = json.loads(run("cost", str(plan), "--format", "json").out)["quarters"][0]
    assert q["heads"] == {"se": 4, "sa": 0}
    assert q["ote"] == {"min": 225_000, "max": 285_000}
    assert q["base"] == {"min": 160_000, "max": 200_000}
    assert q["total"] == q["ote"]


def test_write_in_place_then_check_passes(run: Run, tmp_path: Path) -> None:
    plan = _copy(tmp_path)
    r = run("plan", str(plan), "--write", "--format", "json")
    assert r.code == 0, r
    assert "wrote" in r.err and "roleplan check passes: 0 errors" in r.err
    assert run("check", str(plan)).code == 0
    # filling a filled plan changes nothing
    before = plan.read_bytes()
    assert run("plan", str(plan), "--write").code == 0
    assert plan.read_bytes() == before


_SE_SA = re.compile(r"(, )?(ses|sas): \d+")


def _skeleton(text: str) -> list[str]:
    """The lines with the SE/SA values taken out: a block line holding only one dropped, `, ses: N` cut."""
    return [
        _SE_SA.sub("", line)
        for line in text.splitlines(keepends=True)
        if not re.fullmatch(r" *(ses|sas): \d+\n?", line)
    ]


@pytest.mark.parametrize(
    "name",
    [
        "growth.roleplan.yaml",
        "block-style.roleplan.yaml",
        "comments.roleplan.yaml",
        "odd-layout.roleplan.yaml",
    ],
)
def test_write_keeps_comments_byte_for_byte_outside_changed_values(
    run: Run, tmp_path: Path, name: str
) -> None:
    plan = _copy(tmp_path, name)
    original = plan.read_text(encoding="utf-8")
    assert run("plan", str(plan), "--write").code == 0
    written = plan.read_text(encoding="utf-8")
    assert written != original
    # take the SE and SA values out of both: what is left is identical, byte for byte, comments included
    assert _skeleton(written) == _skeleton(original)


def test_write_keeps_an_odd_layout_byte_for_byte(run: Run, tmp_path: Path) -> None:
    """Flow mappings spaced `{ aes: 14 ,  x: 1 }`, 4-space and mixed indents, comments after values and on
    their own lines, blank lines, quoted scalars: all as they were; only SE and SA values are new."""
    plan = _copy(tmp_path, "odd-layout.roleplan.yaml")
    assert run("plan", str(plan), "--write").code == 0
    assert plan.read_text(encoding="utf-8") == (PLANNING / "odd-layout-filled.roleplan.yaml").read_text(
        encoding="utf-8"
    )


def test_output_writes_a_new_file_and_never_overwrites(run: Run, tmp_path: Path) -> None:
    out = tmp_path / "filled.roleplan.yaml"
    assert run("plan", str(GROWTH), "-o", str(out)).code == 0
    assert run("check", str(out)).code == 0
    first = out.read_bytes()
    out.write_text("mine\n", encoding="utf-8")
    err = one_line_error(run("plan", str(GROWTH), "-o", str(out)))
    assert "already exists; use --force" in err
    assert out.read_text(encoding="utf-8") == "mine\n"
    assert run("plan", str(GROWTH), "-o", str(out), "--force").code == 0
    assert out.read_bytes() == first
    assert GROWTH.read_text(encoding="utf-8").count("ses:") == 1  # the input is untouched


def test_write_and_output_exclude_each_other(run: Run, tmp_path: Path) -> None:
    err = one_line_error(run("plan", str(GROWTH), "--write", "-o", str(tmp_path / "x.yaml")))
    assert "not both" in err
    assert not (tmp_path / "x.yaml").exists()


def _bad(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bad.roleplan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "company: {stage: seriesB}\nteams:\n  - segment: mid-market\n    quarters:\n"


@pytest.mark.parametrize(
    ("body", "line", "needle"),
    [
        ("      2027-Q1: {aes: 4}\n      2027-Q2: {ses: 1}\n", 6, "2027-Q2: no aes"),
        ("      2027-Q2: {aes: 4}\n      2027-Q1: {aes: 5}\n", 6, "2027-Q1 comes after 2027-Q2"),
        ("      2027-Q1: {aes: 4}\n      2027-Q4: {aes: 5}\n", 6, "no 2027-Q2..2027-Q3 between"),
        ("      2027-Q1: {aes: 4}\n      2027-Q3: {aes: 5}\n", 6, "no 2027-Q2 between"),
    ],
)
def test_bad_timelines_are_one_line_errors(
    run: Run, tmp_path: Path, body: str, line: int, needle: str
) -> None:
    path = _bad(tmp_path, HEAD + body)
    before = path.read_bytes()
    for command in (["plan", str(path), "--write"], ["cost", str(path)]):
        if command[0] == "cost" and "no aes" in needle:
            continue  # cost reads what is planned: a quarter without AEs is fine there
        err = one_line_error(run(*command))
        assert f"{path}:{line}: " in err and needle in err, err
    assert path.read_bytes() == before


def test_negative_budget_and_unknown_level(run: Run, tmp_path: Path) -> None:
    path = _bad(tmp_path, "budget:\n  2027: -1M\n" + HEAD + "      2027-Q1: {aes: 4}\n")
    err = one_line_error(run("cost", str(path)))
    assert f"{path}:2: budget.2027: " in err and "negative" in err
    path = _bad(
        tmp_path,
        HEAD.replace("    quarters:\n", "    levels: {senoir: 1}\n    quarters:\n")
        + "      2027-Q1: {aes: 4}\n",
    )
    err = one_line_error(run("cost", str(path)))
    assert f"{path}:4: " in err and "unknown level 'senoir'; did you mean 'senior'?" in err
    err = one_line_error(run("plan", str(path), "-o", str(tmp_path / "out.yaml")))
    assert not (tmp_path / "out.yaml").exists()


def test_budget_rules_in_check(run: Run, tmp_path: Path) -> None:
    text = (
        "company: {stage: seriesB}\nbudget:\n  2027: 150K\n  2027-Q1: 110K\n  2027-Q2: 1M\n"
        "teams:\n  - segment: mid-market\n    quarters:\n      2027-Q1: {aes: 6, ses: 2}\n"
        "      2027-Q2: {aes: 8, ses: 2}\n"
    )
    r = run("check", str(_bad(tmp_path, text)), "--format", "json")
    assert r.code == 1
    found: list[dict[str, Any]] = json.loads(r.out)["findings"]
    assert [(f["rule"], f["line"], f["severity"]) for f in found] == [
        ("RP301", 3, "error"),
        ("RP302", 4, "warning"),
    ]
    assert "the plan covers 2 of its 4 quarters" in found[0]["message"]
    assert found[0]["source"].startswith("RepVue")


def test_a_budget_for_a_period_the_plan_lacks_is_said_not_passed(run: Run, tmp_path: Path) -> None:
    text = (
        "company: {stage: seriesB}\nbudget:\n  2027: 2M\n  2028-Q1: 400K\n"
        "teams:\n  - segment: mid-market\n    quarters:\n      2027-Q4: {aes: 6, ses: 2}\n"
    )
    path = _bad(tmp_path, text)
    doc = json.loads(run("cost", str(path), "--format", "json").out)
    assert [(b["period"], b["status"], b["quarters"]) for b in doc["budget"]] == [
        ("2027", "within", 1),
        ("2028-Q1", "unplanned", 0),
    ]
    assert "no planned quarter in it" in run("cost", str(path)).out
    r = run("check", str(path), "--format", "json")
    assert r.code == 0  # a warning
    [f] = json.loads(r.out)["findings"]
    assert (f["rule"], f["name"], f["line"], f["severity"]) == ("RP303", "budget-unplanned", 4, "warning")
    assert "covers 2027-Q4" in f["message"]


def test_planning_figures_can_be_overridden(run: Run, tmp_path: Path) -> None:
    over = tmp_path / "b.yaml"
    over.write_text("planning: {lead_time_quarters: 2, ramp_quarters: 2}\n", encoding="utf-8")
    doc = json.loads(run("plan", str(GROWTH), "--format", "json", "--benchmarks", str(over)).out)
    assert doc["timing"]["lead_time_quarters"] == 2
    req = next(r for r in doc["reqs"] if r["start_quarter"] == "2027-Q3")
    assert req["open_quarter"] == "2027-Q1"
    q2 = doc["quarters"][1]["teams"][0]
    assert q2["ramping"]["se"] == 2  # the 2027-Q1 and 2027-Q2 hires both still ramp


def test_plan_reads_stdin(run: Run) -> None:
    r = run("plan", "-", "--format", "json", input=GROWTH.read_text(encoding="utf-8"))
    assert r.code == 0, r
    assert json.loads(r.out)["file"] == "<stdin>"
    err = one_line_error(run("plan", "-", "--write", input=GROWTH.read_text(encoding="utf-8")))
    assert "stdin" in err


def test_the_readme_examples_are_what_plan_writes(run: Run, tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    docs = root / "docs" / "examples"
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = (docs / "growth.roleplan.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in readme
    out = tmp_path / "filled.roleplan.yaml"
    assert run("plan", str(docs / "growth.roleplan.yaml"), "-o", str(out)).code == 0
    assert out.read_text(encoding="utf-8") == (docs / "growth-filled.roleplan.yaml").read_text(
        encoding="utf-8"
    )
    assert GROWTH.read_text(encoding="utf-8") == example


def test_cost_output_file_holds_what_stdout_shows(run: Run, tmp_path: Path) -> None:
    args = ["cost", str(PLANNING / "growth-filled.roleplan.yaml"), "-f", "json"]
    target = tmp_path / "cost.json"
    assert run(*args, "-o", str(target)).out == ""
    assert target.read_text(encoding="utf-8") == run(*args).out
    assert one_line_error(run(*args, "-o", str(target))).endswith(
        "already exists; use --force to overwrite it\n"
    )


def test_plan_output_dash_prints_the_filled_plan(run: Run) -> None:
    r = run("plan", str(GROWTH), "-o", "-")
    assert r.code == 0, r
    assert r.out == (
        Path(__file__).resolve().parents[2] / "docs/examples/growth-filled.roleplan.yaml"
    ).read_text(encoding="utf-8")
    assert "roleplan check passes" in r.err
