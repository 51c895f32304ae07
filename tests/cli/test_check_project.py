"""`roleplan check` in a project: no PLAN (discovery), [tool.roleplan] / .roleplan.toml settings,
--select/--ignore, and a plan that cannot be read still giving valid output in every CI format (exit 2)."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, Run

PLANS = FIXTURES / "plans"
GOOD = PLANS / "pass" / "many-quarters.roleplan.yaml"
BAD = PLANS / "fail" / "rp101-se-coverage.roleplan.yaml"  # RP101 errors
WARN = PLANS / "fail" / "rp104-overstaffed.roleplan.yaml"  # RP104 warnings
BROKEN = "company:\n  name: Acme\n  stage: [seriesB\nteams: []\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _rules(r_out: str) -> set[str]:
    return {f["rule"] for f in json.loads(r_out)["findings"]}


# --- no PLAN: discovery ---------------------------------------------------------------------------


def test_no_plan_checks_the_project_plans(run: Run, project: Path) -> None:
    shutil.copy(GOOD, project / "roleplan.yaml")
    (project / "plans" / "emea").mkdir(parents=True)
    shutil.copy(BAD, project / "plans" / "emea" / "acme.roleplan.yaml")
    (project / "plans" / "other.yaml").write_text("not: a plan\n")
    for hidden in (".git", ".venv", "node_modules"):
        (project / hidden).mkdir()
        shutil.copy(BAD, project / hidden / "x.roleplan.yaml")
    venv = project / "env"
    venv.mkdir()
    (venv / "pyvenv.cfg").write_text("home = /usr\n")
    shutil.copy(BAD, venv / "y.roleplan.yaml")
    r = run("check", "-f", "json")
    assert r.code == 1, r
    files = {f["file"] for f in json.loads(r.out)["findings"]}
    assert files == {"plans/emea/acme.roleplan.yaml"}
    assert "in 2 plans" in run("check").out


def test_no_plan_and_none_found_is_an_error(run: Run, project: Path) -> None:
    r = run("check")
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("roleplan: error: .: no roleplan.yaml or *.roleplan.yaml here or below")
    assert r.err.count("\n") == 1


# --- settings ---------------------------------------------------------------------------------------


def test_pyproject_settings_apply_and_the_command_line_wins(run: Run, project: Path) -> None:
    shutil.copy(WARN, project / "roleplan.yaml")
    assert run("check").code == 0  # warnings do not fail by default
    (project / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.roleplan]\nfail-on = "warning"\n')
    assert run("check").code == 1
    assert run("check", "--fail-on", "error").code == 0


def test_roleplan_toml_paths_select_and_ignore(run: Run, project: Path) -> None:
    (project / "hr").mkdir()
    shutil.copy(BAD, project / "hr" / "a.roleplan.yaml")
    shutil.copy(WARN, project / "hr" / "b.roleplan.yaml")
    shutil.copy(BAD, project / "ignored.roleplan.yaml")  # not in paths
    (project / ".roleplan.toml").write_text('paths = ["hr"]\nignore = ["se-coverage"]\n')
    r = run("check", "-f", "json")
    assert r.code == 0, r  # RP101 ignored, RP104 is a warning
    findings = json.loads(r.out)["findings"]
    assert {f["file"] for f in findings} == {"hr/b.roleplan.yaml"}
    assert _rules(r.out) == {"RP104"}
    assert _rules(run("check", "-f", "json", "--ignore", "RP104").out) == {"RP101"}  # replaces the file's
    assert run("check", "-f", "json", "--select", "RP2").out.count('"rule"') == 0


def test_settings_are_found_from_a_subdirectory(
    run: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".roleplan.toml").write_text('fail-on = "never"\n')
    (project / "sub").mkdir()
    monkeypatch.chdir(project / "sub")
    assert run("check", str(BAD)).code == 0


def test_pyproject_without_the_section_is_passed_over(
    run: Run, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (project / ".roleplan.toml").write_text('fail-on = "never"\n')
    (project / "sub").mkdir()
    (project / "sub" / "pyproject.toml").write_text('[project]\nname = "y"\n')
    monkeypatch.chdir(project / "sub")
    assert run("check", str(BAD)).code == 0


@pytest.mark.parametrize(
    ("toml", "needle"),
    [
        ('fail_on = "warning"\n', "unknown setting 'fail_on'; did you mean 'fail-on'?"),
        ('fail-on = "warnings"\n', "did you mean 'warning'"),
        ("select = 3\n", "select must be a list of strings"),
        ('ignore = ["RP999"]\n', "ignore: unknown rule 'RP999'"),
        ("paths = [\n", "invalid TOML"),
    ],
)
def test_bad_settings_are_one_line_naming_the_file(run: Run, project: Path, toml: str, needle: str) -> None:
    (project / ".roleplan.toml").write_text(toml)
    r = run("check", str(GOOD))
    assert r.code == 2 and r.out == ""
    assert r.err.startswith("roleplan: error: ") and ".roleplan.toml" in r.err and needle in r.err, r.err
    assert r.err.count("\n") == 1


# --- --select / --ignore ------------------------------------------------------------------------------


def test_select_and_ignore_by_id_name_and_prefix(run: Run) -> None:
    both = [str(BAD), str(WARN), "-f", "json"]
    assert _rules(run("check", *both).out) >= {"RP101", "RP104"}
    assert _rules(run("check", *both, "--select", "RP104").out) == {"RP104"}
    assert _rules(run("check", *both, "--select", "se-overstaffed,RP101").out) == {"RP101", "RP104"}
    assert _rules(run("check", *both, "--select", "RP1", "--ignore", "RP101").out) == {"RP104"}
    r = run("check", str(BAD), "--ignore", "RP101")
    assert r.code == 0
    err = run("check", str(BAD), "--select", "se-coverge").err
    assert err.startswith("roleplan: error: --select: unknown rule 'se-coverge'; did you mean 'se-coverage'?")


def test_an_invalid_plan_is_reported_whatever_is_selected(run: Run) -> None:
    invalid = PLANS / "fail" / "rp000-wrong-types.roleplan.yaml"
    r = run("check", str(invalid), "--ignore", "ALL", "-f", "json")
    assert r.code == 1 and _rules(r.out) == {"RP000"}


def test_junit_lists_only_the_selected_rules(run: Run) -> None:
    root = ET.fromstring(run("check", str(BAD), "-f", "junit", "--select", "RP101,RP102").out)
    assert [c.get("name") for c in root.iter("testcase")] == [
        "RP000 invalid-plan",
        "RP101 se-coverage",
        "RP102 platform-se-ratio",
    ]


# --- a plan that cannot be read -------------------------------------------------------------------------


@pytest.fixture
def broken(project: Path) -> Path:
    path = project / "broken.roleplan.yaml"
    path.write_text(BROKEN)
    return path


ERROR = "roleplan: error: broken.roleplan.yaml:4:6: invalid YAML: did not find expected ',' or ']'\n"


def test_unreadable_plan_text_is_the_one_line_error(run: Run, broken: Path) -> None:
    r = run("check", "broken.roleplan.yaml")
    assert (r.code, r.out, r.err) == (2, "", ERROR)


def test_unreadable_plan_sarif_has_one_result_at_its_line(run: Run, broken: Path) -> None:
    r = run("check", "broken.roleplan.yaml", "-f", "sarif")
    assert r.code == 2 and r.err == ERROR
    run_ = json.loads(r.out)["runs"][0]
    [result] = run_["results"]
    assert result["ruleId"] == "RP000" and result["level"] == "error"
    assert result["locations"][0]["physicalLocation"] == {
        "artifactLocation": {"uri": "broken.roleplan.yaml"},
        "region": {"startLine": 4},
    }
    assert "cannot be read: invalid YAML" in result["message"]["text"]
    assert run_["invocations"][0]["executionSuccessful"] is False


def test_unreadable_plan_junit_has_an_error_testcase(run: Run, broken: Path) -> None:
    r = run("check", "broken.roleplan.yaml", "-f", "junit")
    assert r.code == 2 and r.err == ERROR
    root = ET.fromstring(r.out)
    assert root.get("errors") == "1" and root.get("failures") == "0"
    [error] = list(root.iter("error"))
    assert "invalid YAML" in (error.get("message") or "")
    assert (
        error.text
        == "broken.roleplan.yaml:4: the plan cannot be read: invalid YAML: did not find expected ',' or ']'"
    )


def test_unreadable_plan_github_annotation_and_json(run: Run, broken: Path) -> None:
    gh = run("check", "broken.roleplan.yaml", "-f", "github")
    assert gh.code == 2
    assert gh.out.splitlines()[0].startswith(
        "::error file=broken.roleplan.yaml,line=4,title=RP000 invalid-plan::"
    )
    data = json.loads(run("check", "broken.roleplan.yaml", "-f", "json").out)
    assert data["status"] == "error" and data["findings"][0]["line"] == 4
    md = run("check", "broken.roleplan.yaml", "-f", "markdown")
    assert md.code == 2 and "error" in md.out.splitlines()[0]


def test_unreadable_plan_report_goes_to_the_output_file(run: Run, broken: Path, project: Path) -> None:
    r = run("check", "broken.roleplan.yaml", "-f", "sarif", "-o", "b.sarif")
    assert r.code == 2 and r.out == ""
    assert json.loads((project / "b.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == "RP000"


def test_one_unreadable_plan_among_good_ones(run: Run, broken: Path, project: Path) -> None:
    shutil.copy(BAD, project / "roleplan.yaml")
    missing = project / "gone.roleplan.yaml"
    r = run("check", "roleplan.yaml", "broken.roleplan.yaml", str(missing), "-f", "json")
    assert r.code == 2
    data = json.loads(r.out)
    by_file = {f["file"]: f["rule"] for f in data["findings"]}
    assert by_file["roleplan.yaml"] == "RP101"  # the readable plan was still checked
    assert by_file["broken.roleplan.yaml"] == "RP000"
    assert by_file[str(missing)] == "RP000"


def test_unreadable_plan_on_stdin(run: Run) -> None:
    r = run("check", "-", "--stdin-name", "plans/x.roleplan.yaml", "-f", "github", input=BROKEN)
    assert r.code == 2
    assert r.out.startswith("::error file=plans/x.roleplan.yaml,line=4,")


def test_init_into_a_new_directory_given_with_a_slash(run: Run, project: Path) -> None:
    r = run("init", "some/dir/")
    assert r.code == 0, r
    assert sorted(p.name for p in (project / "some" / "dir").iterdir()) == [
        "roleplan.schema.json",
        "roleplan.yaml",
    ]
    assert run("check", "some/dir/roleplan.yaml").code == 0
