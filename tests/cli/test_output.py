"""`-o/--output FILE` and `--force` on every command that prints a result: the same bytes as stdout, written
atomically, never over an existing file without --force, nothing left behind when the command fails."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import click
import pytest
from typer.main import get_command

from roleplan.cli.app import app
from tests.conftest import FIXTURES, Run

PLANS = FIXTURES / "plans"
JD = FIXTURES / "jd"

# one invocation per command that prints a result (exit code it has on this input)
COMMANDS: list[tuple[list[str], int]] = [
    (["staff", "--stage", "seriesB", "--aes", "12"], 0),
    (["staff", "--stage", "seriesB", "--aes", "12", "-f", "json"], 0),
    (["ratio", "--aes", "9", "--ses", "2"], 0),
    (["capacity", "--reps", "12", "--demos-per-rep-week", "5"], 0),
    (["comp", "--role", "sa", "--compare", "-f", "markdown"], 0),
    (["benchmarks", "show", "-f", "json"], 0),
    (["benchmarks", "sources"], 0),
    (["benchmarks", "validate"], 0),
    (["classify", str(JD / "batch.jsonl"), "-f", "jsonl"], 1),
    (["classify", str(JD / "batch.csv"), "-f", "csv"], 0),
    (["classify", str(JD / "posting.txt")], 0),
    (["calendar", str(FIXTURES / "calendar" / "se_heavy.ics"), "-f", "json"], 0),
    (["check", str(PLANS / "pass"), "-f", "sarif"], 0),
    (["check", str(PLANS / "fail" / "rp103-ceiling.roleplan.yaml"), "-f", "junit"], 1),
    (["schema", "plan"], 0),
]


def _ids(case: tuple[list[str], int]) -> str:
    return " ".join(a for a in case[0] if not a.startswith("/"))


@pytest.mark.parametrize("case", COMMANDS, ids=_ids)
def test_output_file_holds_what_stdout_shows(run: Run, tmp_path: Path, case: tuple[list[str], int]) -> None:
    args, code = case
    shown = run(*args)
    assert shown.code == code, shown
    target = tmp_path / "result.out"
    written = run(*args, "-o", str(target))
    assert written.code == code, written
    assert written.out == ""
    assert target.read_text(encoding="utf-8") == shown.out
    assert [p.name for p in tmp_path.iterdir()] == ["result.out"]  # no temp file left


@pytest.mark.parametrize("case", COMMANDS, ids=_ids)
def test_an_existing_file_is_kept_without_force(
    run: Run, tmp_path: Path, case: tuple[list[str], int]
) -> None:
    args, code = case
    target = tmp_path / "mine.txt"
    target.write_text("precious\n", encoding="utf-8")
    refused = run(*args, "--output", str(target))
    assert refused.code == 2
    assert refused.err == f"roleplan: error: {target}: already exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "precious\n"
    replaced = run(*args, "--output", str(target), "--force")
    assert replaced.code == code
    assert target.read_text(encoding="utf-8") != "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.txt"]


def test_dash_is_stdout(run: Run) -> None:
    r = run("ratio", "--aes", "9", "--ses", "2", "-o", "-")
    assert r.code == 0 and "SE coverage" in r.out


def test_a_failed_run_leaves_no_file_and_no_temp(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "text": "We need a Sales Engineer to run demos."}\n{not json\n', encoding="utf-8"
    )
    r = run("classify", str(bad), "-f", "jsonl", "-o", str(target))
    assert r.code == 2
    assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.jsonl"]


def test_a_replaced_file_keeps_its_permissions(run: Run, tmp_path: Path) -> None:
    target = tmp_path / "staff.json"
    target.write_text("{}", encoding="utf-8")
    target.chmod(0o640)
    assert run("staff", "--stage", "seed", "--aes", "3", "-f", "json", "-o", str(target), "--force").code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.read_text(encoding="utf-8").startswith("{")


def test_new_files_follow_the_umask(run: Run, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        assert run("schema", "plan", "-o", str(tmp_path / "schema.json")).code == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "schema.json").stat().st_mode) == 0o644


def test_output_errors_are_one_line(run: Run, tmp_path: Path) -> None:
    r = run("schema", "plan", "-o", str(tmp_path))
    assert r.code == 2 and r.err == f"roleplan: error: {tmp_path}: is a directory; give a file name\n"
    missing = tmp_path / "no" / "such" / "dir.json"
    r = run("schema", "plan", "-o", str(missing))
    assert r.code == 2 and r.err.count("\n") == 1 and "no such directory" in r.err
    assert not missing.parent.exists()


def test_an_existing_file_is_refused_before_the_work(run: Run, tmp_path: Path) -> None:
    """A long classify run must not end in 'already exists': the check comes first."""
    target = tmp_path / "taken.csv"
    target.write_text("x\n", encoding="utf-8")
    r = run("classify", str(tmp_path / "missing.jsonl"), "-f", "csv", "-o", str(target))
    assert "already exists" in r.err


def _leaves(command: click.Command, path: str = "") -> list[tuple[str, click.Command]]:
    if isinstance(command, click.Group):
        return [leaf for name, sub in command.commands.items() for leaf in _leaves(sub, f"{path} {name}")]
    return [(path.strip(), command)]


def test_every_command_with_a_format_has_output_and_force() -> None:
    """A new command that prints a result in formats takes -o/--output and --force too."""
    root = get_command(app)
    for name, command in _leaves(root):
        options = {opt for p in command.params for opt in getattr(p, "opts", [])}
        if "--format" in options:
            assert {"-o", "--output", "--force"} <= options, f"roleplan {name} lacks -o/--output or --force"
