"""`roleplan check`, `init` and `schema plan` through the real CLI: exit codes, formats, hostile input."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from roleplan.report.check import FORMATS, REPORTERS
from tests.conftest import FIXTURES, Run
from tests.models.test_plan_schema import conforms

PLANS = FIXTURES / "plans"
GOOD = PLANS / "pass" / "many-quarters.roleplan.yaml"
BAD = PLANS / "fail" / "rp101-se-coverage.roleplan.yaml"
WARN = PLANS / "fail" / "rp104-overstaffed.roleplan.yaml"


def one_line_error(r: Any) -> str:
    assert r.code == 2, r
    assert r.out == ""
    assert r.err.count("\n") == 1, r.err
    assert r.err.startswith("roleplan: error: ")
    assert "Traceback" not in r.err
    return str(r.err)


# --- exit codes and --fail-on ---------------------------------------------------------------------


def test_pass_and_fail_exit_codes(run: Run) -> None:
    assert run("check", str(GOOD)).code == 0
    r = run("check", str(BAD))
    assert r.code == 1
    assert f"{BAD}:7: error RP101 se-coverage [mid-market 2027-Q1]" in r.out
    assert r.err == ""


def test_fail_on(run: Run) -> None:
    assert run("check", str(WARN)).code == 0
    assert run("check", str(WARN), "--fail-on", "warning").code == 1
    assert run("check", str(BAD), "--fail-on", "never").code == 0
    err = one_line_error(run("check", str(BAD), "--fail-on", "warnings"))
    assert "did you mean 'warning'" in err


def test_bad_format_is_one_line_with_closest(run: Run) -> None:
    err = one_line_error(run("check", str(GOOD), "--format", "sarf"))
    assert "did you mean 'sarif'" in err


def test_every_format_runs(run: Run) -> None:
    assert set(FORMATS) == set(REPORTERS)
    for fmt in FORMATS:
        r = run("check", str(BAD), "--format", fmt)
        assert r.code == 1 and r.out.strip(), fmt
    assert "error" in run("check", "--help").out
    help_text = run("check", "--help").out
    for fmt in FORMATS:
        assert fmt in help_text


def test_json_shape(run: Run) -> None:
    r = run("check", str(BAD), "--format", "json")
    doc = json.loads(r.out)
    assert set(doc) == {"status", "summary", "findings"}
    assert doc["status"] == "fail"
    assert doc["summary"] == {"files": 1, "errors": 2, "warnings": 0, "suppressed": 0, "fail_on": "error"}
    keys = {
        "rule",
        "name",
        "severity",
        "message",
        "file",
        "line",
        "segment",
        "quarter",
        "benchmark",
        "source",
    }
    for f in doc["findings"]:
        assert keys | {"suppressed", "reason"} == set(f)


def test_several_files_and_directories(run: Run) -> None:
    r = run("check", str(PLANS / "pass"), "--format", "json")
    assert r.code == 0, r
    assert json.loads(r.out)["summary"]["files"] == len(list((PLANS / "pass").glob("*.yaml")))
    r = run("check", str(GOOD), str(BAD), "--format", "json")
    assert r.code == 1
    assert {f["file"] for f in json.loads(r.out)["findings"]} == {str(BAD)}


def test_empty_directory_is_exit_2(run: Run, tmp_path: Path) -> None:
    assert "no roleplan.yaml" in one_line_error(run("check", str(tmp_path)))


def test_benchmarks_override_moves_the_gate(run: Run, tmp_path: Path) -> None:
    override = tmp_path / "looser.yaml"
    override.write_text("se_ratios:\n  segments:\n    mid-market:\n      aes_per_se: {min: 3, max: 5}\n")
    plan = PLANS / "fail" / "waiver-scoped.roleplan.yaml"
    assert run("check", str(BAD), "--benchmarks", str(override), "--fail-on", "never").code == 0
    r = run("check", str(plan), "--benchmarks", str(override), "--format", "json")
    rules = sorted(f["rule"] for f in json.loads(r.out)["findings"] if not f["suppressed"])
    assert rules == ["RP002", "RP101"]  # mid-market at 1:5 is now inside the band; its waiver is unused


def test_waived_findings_do_not_fail(run: Run) -> None:
    r = run("check", str(PLANS / "pass" / "waived.roleplan.yaml"), "--format", "json")
    assert r.code == 0
    [f] = json.loads(r.out)["findings"]
    assert f["suppressed"] is True and f["reason"].startswith("Two SE hires")


# --- input that cannot be checked, or is hostile --------------------------------------------------


def test_a_plan_on_stdin(run: Run) -> None:
    text = BAD.read_text(encoding="utf-8")
    r = run("check", "-", input=text)
    assert r.code == 1
    assert "<stdin>:7: error RP101 se-coverage [mid-market 2027-Q1]" in r.out
    r = run("check", "-", "--stdin-name", "plans/acme.roleplan.yaml", "--format", "github", input=text)
    assert r.code == 1
    assert "::error file=plans/acme.roleplan.yaml,line=7,title=RP101 se-coverage::" in r.out
    both = json.loads(run("check", str(GOOD), "-", "--format", "json", input=text).out)
    assert both["summary"]["files"] == 2 and {f["file"] for f in both["findings"]} == {"<stdin>"}


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"", "<stdin>: empty file"), (b"teams: [\n", "<stdin>:2:1: invalid YAML"), (b"\x00bin", "binary")],
)
def test_a_bad_plan_on_stdin_is_one_line(run: Run, content: bytes, needle: str) -> None:
    assert needle in one_line_error(run("check", "-", input=content))


def test_an_oversized_plan_on_stdin_is_refused(run: Run) -> None:
    err = one_line_error(run("check", "-", input=b"#" * (3 * 1024 * 1024)))
    assert "<stdin>: the plan on stdin is over the limit of 2 MiB" in err


def test_missing_file(run: Run) -> None:
    assert "nope.yaml: no such file" in one_line_error(run("check", "nope.yaml"))


def test_not_yaml_names_line_and_column(run: Run, tmp_path: Path) -> None:
    p = tmp_path / "broken.yaml"
    p.write_text("company: {stage: seriesB\nteams: [\n")
    err = one_line_error(run("check", str(p)))
    assert re.search(rf"{re.escape(str(p))}:\d+:\d+: invalid YAML", err)


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "empty file"),
        (b"# only a comment\n", "no YAML document"),
        (b"- a\n- b\n", "a plan is a mapping"),
        (b"just a string\n", "a plan is a mapping"),
        (b"company:\n\tstage: seriesB\n", "invalid YAML"),
        (b"company: {name: caf\xe9}\n", "not UTF-8"),
        (b"\x00\x01binary", "binary"),
    ],
    ids=["empty", "comment-only", "list", "scalar", "tab-indent", "latin-1", "binary"],
)
def test_unusable_files_exit_2(run: Run, tmp_path: Path, content: bytes, needle: str) -> None:
    p = tmp_path / "plan.yaml"
    p.write_bytes(content)
    assert needle in one_line_error(run("check", str(p)))


def test_alias_bomb_does_not_expand(run: Run, tmp_path: Path) -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
    lines += ["company: {stage: seriesB}", "teams: *a9"]
    p = tmp_path / "bomb.yaml"
    p.write_text("\n".join(lines) + "\n")
    assert "alias bomb" in one_line_error(run("check", str(p)))


def test_ten_megabyte_file_is_refused_without_reading(run: Run, tmp_path: Path) -> None:
    p = tmp_path / "big.yaml"
    p.write_bytes(b"company: {stage: seriesB}\n" + b"# padding\n" * 1_000_000)
    assert "MiB; the limit is" in one_line_error(run("check", str(p)))


def test_duplicate_keys_and_tabs_in_values_are_findings(run: Run, tmp_path: Path) -> None:
    p = tmp_path / "dup.yaml"
    p.write_text('company: {stage: seriesB, name: "a\\tb"}\ncompany: {stage: seriesA}\nteams: []\n')
    r = run("check", str(p), "--format", "json")
    assert r.code == 1
    msgs = [(f["line"], f["message"]) for f in json.loads(r.out)["findings"]]
    assert (2, "duplicate key 'company' (first given on line 1; YAML keeps only the last)") in msgs


def test_unknown_keys_one_finding_each_with_line(run: Run) -> None:
    r = run("check", str(PLANS / "fail" / "rp000-unknown-names.roleplan.yaml"), "--format", "json")
    found = {(f["line"], f["message"].split(":")[0]) for f in json.loads(r.out)["findings"]}
    assert found >= {(3, "company.stage"), (4, "company"), (6, "teams[0].segment")}


# --- init and schema ------------------------------------------------------------------------------


def test_init_writes_a_starter_that_passes(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "sub" / "acme.roleplan.yaml"
    r = run("init", str(target))
    assert r.code == 0, r
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=roleplan.schema.json\n")
    assert (tmp_path / "sub" / "roleplan.schema.json").is_file()
    assert sorted(p.name for p in target.parent.iterdir()) == ["acme.roleplan.yaml", "roleplan.schema.json"]
    r = run("check", str(target), "--fail-on", "warning", "--format", "json")
    assert r.code == 0 and json.loads(r.out)["findings"] == []


def test_init_never_overwrites_without_force(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "roleplan.yaml"
    target.write_text("mine\n")
    assert "already exists; use --force" in one_line_error(run("init", str(target)))
    assert target.read_text() == "mine\n"
    assert run("init", str(target), "--force").code == 0
    assert target.read_text().startswith("# yaml-language-server:")
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_init_default_path_and_directory(run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init").code == 0
    assert (tmp_path / "roleplan.yaml").is_file()
    (tmp_path / "plans").mkdir()
    assert run("init", "plans").code == 0
    assert (tmp_path / "plans" / "roleplan.yaml").is_file()


def test_schema_plan_is_2020_12_and_agrees_with_the_checker(run: Run) -> None:
    r = run("schema", "plan")
    assert r.code == 0
    schema = json.loads(r.out)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] and schema["type"] == "object"
    for path in sorted(PLANS.glob("*/*.yaml")):
        data = json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))
        text = path.read_text(encoding="utf-8")
        schema_problem = "RP000" in text.split("\n", 1)[0] and "duplicate" not in path.name
        assert conforms(data, schema) is not schema_problem, path.name


def test_pre_commit_hook_matches_plan_files() -> None:
    hooks = yaml.safe_load((Path(__file__).parents[2] / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    [hook] = [h for h in hooks if h["id"] == "roleplan-check"]
    assert hook["entry"] == "roleplan check"
    pattern = re.compile(hook["files"])
    for name in ("roleplan.yaml", "plans/roleplan.yaml", "plans/acme.roleplan.yaml", "a.b.roleplan.yaml"):
        assert pattern.search(name), name
    for name in ("myroleplan.yaml", "roleplan.yml", "roleplan.yaml.bak", "roleplan.schema.json"):
        assert not pattern.search(name), name


def test_readme_local_hook_agrees_with_the_published_hook() -> None:
    root = Path(__file__).parents[2]
    [published] = yaml.safe_load((root / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    readme = (root / "README.md").read_text(encoding="utf-8")
    blocks = [yaml.safe_load(b.split("```", 1)[0]) for b in readme.split("```yaml\n")[1:]]
    local = [
        hook
        for block in blocks
        if isinstance(block, dict)
        for repo in block.get("repos", [])
        if repo["repo"] == "local"
        for hook in repo["hooks"]
    ]
    assert [(h["id"], h["entry"], h["files"]) for h in local] == [
        (published["id"], published["entry"], published["files"])
    ]


def test_impossible_date_is_exit_2_with_its_line(run: Run, tmp_path: Path) -> None:
    p = tmp_path / "plan.yaml"
    p.write_text(
        "company: {stage: seriesB}  # 2027-02-31 in a comment is ignored\n"
        "teams: [{segment: enterprise, quarters: {2027-Q1: {aes: 1, ses: 1}}}]\n"
        "ignore: [{rule: RP101, reason: x, until: 2027-02-30}]\n"
    )
    assert f"{p}:3: invalid YAML value" in one_line_error(run("check", str(p)))


def test_unknown_key_inside_an_alias_is_named(run: Run, tmp_path: Path) -> None:
    p = tmp_path / "plan.yaml"
    p.write_text("company: &c {stage: seriesB}\nteams: [*c]\n")
    r = run("check", str(p), "--format", "json")
    messages = [f["message"] for f in json.loads(r.out)["findings"]]
    assert "teams[0]: unknown key 'stage' (allowed: segment, name, levels, quarters)" in messages


ROOT = Path(__file__).resolve().parents[2]


def test_readme_shows_the_example_plan_verbatim() -> None:
    """The README's example outputs are re-run by tests/test_readme.py; the plan they check is this file."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = (ROOT / "docs" / "examples" / "acme.roleplan.yaml").read_text(encoding="utf-8")
    assert f"```yaml\n{example}```" in readme
