"""`roleplan diff BASE HEAD` through the real CLI: formats (goldens), --fail-on, --base-ref, bad input."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from roleplan.report.diff import REPORTERS
from tests.cli.test_check import one_line_error
from tests.conftest import FIXTURES, Run
from tests.report.golden_util import assert_golden

PLANNING = FIXTURES / "planning"
BASE = "tests/fixtures/planning/diff-base.roleplan.yaml"
HEAD = "tests/fixtures/planning/diff-head.roleplan.yaml"
SUFFIX = {"text": "txt", "json": "json", "markdown": "md", "github": "txt"}


@pytest.mark.parametrize("fmt", list(REPORTERS))
def test_diff_formats_golden(run: Run, fmt: str) -> None:
    r = run("diff", BASE, HEAD, "--format", fmt)
    assert r.code == 1, r  # a new error
    assert r.err == ""
    assert_golden(f"diff.{fmt}.{SUFFIX[fmt]}", r.out)


def test_new_fixed_unchanged_and_the_quarters(run: Run) -> None:
    doc = json.loads(run("diff", BASE, HEAD, "-f", "json").out)
    seen = [(f["status"], f["rule"], f["segment"], f["quarter"]) for f in doc["findings"]]
    assert seen == [
        ("new", "RP101", "enterprise", "2027-Q2"),
        ("fixed", "RP201", "mid-market", "2027-Q2"),
        ("unchanged", "RP101", "mid-market", "2027-Q2"),
    ]
    assert doc["summary"] == {
        "new": {"errors": 1, "warnings": 0},
        "fixed": 1,
        "unchanged": 1,
        "fail_on": "new-error",
    }
    q1, q2 = doc["quarters"]
    assert q1["change"] == {"se": 0, "sa": 0, "ote": {"min": 0, "max": 0}}
    # one more mid-market SA and a new enterprise quarter of 2 SEs and 1 SA
    assert (q2["change"]["se"], q2["change"]["sa"]) == (2, 2)
    assert q2["change"]["ote"]["min"] == pytest.approx(
        (200_000 + 2 * 225_000 + 230_000) / 4  # mid-market SA, 2 enterprise SEs, an enterprise SA
    )


def test_fail_on(run: Run, tmp_path: Path) -> None:
    assert run("diff", BASE, HEAD, "--fail-on", "never").code == 0
    assert run("diff", HEAD, HEAD).code == 0  # nothing new
    back = run("diff", HEAD, BASE)  # the reverse fixes one error and brings the SA gap back: a new error
    assert (
        back.code == 1
        and "+ new       tests/fixtures/planning/diff-base.roleplan.yaml:8: error RP201" in back.out
    )
    warn = tmp_path / "warn.roleplan.yaml"
    warn.write_text(
        Path(HEAD)
        .read_text(encoding="utf-8")
        .replace("2027-Q2: {aes: 6, ses: 2, sas: 1}", "2027-Q2: {aes: 4, ses: 3, sas: 1}"),
        encoding="utf-8",
    )
    assert run("diff", HEAD, str(warn)).code == 0  # only a new warning (RP104)
    assert run("diff", HEAD, str(warn), "--fail-on", "new-warning").code == 1
    err = one_line_error(run("diff", HEAD, str(warn), "--fail-on", "new-warnings"))
    assert "did you mean 'new-warning'" in err


def _two_east_west(tmp_path: Path, name: str, east: str, west: str) -> Path:
    path = tmp_path / name
    path.write_text(
        "company: {name: Twoco, stage: seriesC}\nteams:\n"
        f"  - segment: mid-market\n    name: East\n    quarters:\n      2027-Q1: {east}\n"
        f"  - segment: mid-market\n    name: West\n    quarters:\n      2027-Q1: {west}\n",
        encoding="utf-8",
    )
    return path


def test_two_teams_of_one_segment_are_told_apart(run: Run, tmp_path: Path) -> None:
    """East's SE gap fixed and West's opened in the same quarter: one fixed and one new, not 'unchanged'."""
    ok, gap = "{aes: 8, ses: 2, sas: 1}", "{aes: 12, ses: 2, sas: 1}"
    base = _two_east_west(tmp_path, "base.roleplan.yaml", gap, ok)
    head = _two_east_west(tmp_path, "head.roleplan.yaml", ok, gap)
    r = run("diff", str(base), str(head), "-f", "json")
    assert r.code == 1, r
    seen = [(f["status"], f["rule"], f["file"], f["line"]) for f in json.loads(r.out)["findings"]]
    assert seen == [("new", "RP101", str(head), 10), ("fixed", "RP101", str(base), 6)]
    # moving West's quarter down the file (a comment above it) leaves its finding the same one
    moved = tmp_path / "moved.roleplan.yaml"
    moved.write_text(
        head.read_text(encoding="utf-8").replace("    name: West\n", "    name: West\n    # q\n"),
        encoding="utf-8",
    )
    doc = json.loads(run("diff", str(head), str(moved), "-f", "json").out)
    assert [(f["status"], f["line"]) for f in doc["findings"]] == [("unchanged", 11)]


def test_different_companies_are_refused(run: Run, tmp_path: Path) -> None:
    other = tmp_path / "other.roleplan.yaml"
    other.write_text(
        Path(HEAD).read_text(encoding="utf-8").replace("name: Diffco", "name: Othercorp"), encoding="utf-8"
    )
    err = one_line_error(run("diff", BASE, str(other)))
    assert f"{other}:2: " in err and "'Diffco'" in err and "'Othercorp'" in err


def test_argument_counts(run: Run) -> None:
    assert "give BASE and HEAD" in one_line_error(run("diff", HEAD))
    assert "only HEAD" in one_line_error(run("diff", BASE, HEAD, "--base-ref", "main"))


def test_bad_base_is_one_line_with_its_file_and_line(run: Run, tmp_path: Path) -> None:
    bad = tmp_path / "bad.roleplan.yaml"
    bad.write_text(
        "company: {stage: seriesC}\nteams:\n  - segment: enterprise\n    quarters:\n"
        "      2027-Q3: {aes: 1}\n      2027-Q1: {aes: 1}\n",
        encoding="utf-8",
    )
    err = one_line_error(run("diff", str(bad), HEAD))
    assert f"{bad}:6: " in err and "comes after" in err


def _git(repo: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_SYSTEM": os.devnull}
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.invalid", *args],
        check=True,
        capture_output=True,
        env=env,
    )


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_base_ref_reads_base_from_git(run: Run, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "plans").mkdir(parents=True)
    plan = repo / "plans" / "roleplan.yaml"
    _git(repo, "init", "-q")
    shutil.copyfile(BASE, plan)
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    shutil.copyfile(HEAD, plan)
    with_ref = run("diff", "--base-ref", "HEAD", str(plan), "-f", "json")
    direct = run("diff", BASE, str(plan), "-f", "json")
    assert with_ref.code == direct.code == 1
    a, b = json.loads(with_ref.out), json.loads(direct.out)
    assert a["base"] == f"HEAD:{plan}"
    assert [f["status"] for f in a["findings"]] == [f["status"] for f in b["findings"]]
    assert a["quarters"] == b["quarters"]
    err = one_line_error(run("diff", "--base-ref", "no-such-ref", str(plan)))
    assert f"{plan}: cannot read the plan at no-such-ref" in err
    err = one_line_error(run("diff", "--base-ref", "--oops", str(plan)))
    assert "is not a git revision" in err
