"""-q/--quiet and --benchmarks work before the command name and after it, on every command."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from typer.main import get_command

from roleplan.cli.app import app
from tests.conftest import FIXTURES, Run

EMPTY_TEXT = FIXTURES / "jd" / "batch.jsonl"  # one record has an empty text: a warning on stderr


@pytest.mark.parametrize(
    "args",
    [
        ["-q", "classify", str(EMPTY_TEXT), "-f", "jsonl"],
        ["classify", str(EMPTY_TEXT), "-f", "jsonl", "-q"],
        ["classify", "-q", str(EMPTY_TEXT), "-f", "jsonl"],
        ["classify", str(EMPTY_TEXT), "--quiet", "-f", "jsonl"],
    ],
)
def test_quiet_before_or_after_the_command(run: Run, args: list[str]) -> None:
    r = run(*args)
    assert r.code == 1  # the empty record still counts
    assert r.err == ""
    assert len(r.out.splitlines()) == 4


def test_without_quiet_the_warning_shows(run: Run) -> None:
    r = run("classify", str(EMPTY_TEXT), "-f", "jsonl")
    assert "warning: 1 of 4 records could not be classified" in r.err


def test_quiet_on_a_subgroup_command(run: Run, tmp_path: Path) -> None:
    plan = tmp_path / "roleplan.yaml"
    assert run("init", str(plan), "-q").err == ""
    assert plan.is_file()
    assert run("benchmarks", "sources", "-q").code == 0


def _override(tmp_path: Path, low: int) -> Path:
    path = tmp_path / f"o{low}.yaml"
    path.write_text(
        f"se_ratios:\n  segments:\n    mid-market:\n      aes_per_se: {{min: {low}, max: {low + 1}}}\n"
    )
    return path


def _verdict(run: Run, *args: str) -> str:
    r = run(*args)
    assert r.code == 0, r
    return str(json.loads(r.out)["verdict"])


def test_benchmarks_before_or_after_the_command(run: Run, tmp_path: Path) -> None:
    five = str(_override(tmp_path, 5))
    ratio = ["ratio", "--aes", "10", "--ses", "2", "-f", "json"]
    assert _verdict(run, *ratio) != "within"  # packaged mid-market band is 1:3-1:4
    assert _verdict(run, "--benchmarks", five, *ratio) == "within"
    assert _verdict(run, *ratio, "--benchmarks", five) == "within"


def test_the_nearer_flag_wins_and_flags_beat_the_variable(
    run: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    five, nine = str(_override(tmp_path, 5)), str(_override(tmp_path, 9))
    ratio = ["ratio", "--aes", "10", "--ses", "2", "-f", "json"]
    assert _verdict(run, "--benchmarks", nine, *ratio, "--benchmarks", five) == "within"
    monkeypatch.setenv("ROLEPLAN_BENCHMARKS", nine)
    assert _verdict(run, *ratio) == "overstaffed"
    assert _verdict(run, "--benchmarks", five, *ratio) == "within"


def test_root_benchmarks_reach_classify_and_show(run: Run, tmp_path: Path) -> None:
    five = str(_override(tmp_path, 5))
    shown = json.loads(run("--benchmarks", five, "benchmarks", "show", "-f", "json").out)
    assert shown["se_ratios"]["segments"]["mid-market"]["aes_per_se"] == {"min": 5, "max": 6}
    missing = run("--benchmarks", str(tmp_path / "nope.yaml"), "classify", str(EMPTY_TEXT))
    assert missing.code == 2 and "nope.yaml: no such file" in missing.err


def _leaves(command: click.Command) -> list[click.Command]:
    if isinstance(command, click.Group):
        return [leaf for name in command.commands for leaf in _leaves(command.commands[name])]
    return [command]


def test_every_command_takes_quiet() -> None:
    for command in _leaves(get_command(app)):
        assert any("-q" in getattr(p, "opts", ()) for p in command.params), command.name
