"""The README is the contract: two set-up commands, CI runs the second, and every example output is real."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path
from typing import Any

import pytest
import typer

from roleplan.cli.app import app
from tests.conftest import Run

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    first = re.search(r"```sh\n(.*?)```", README, re.S)
    assert first, "README must open with a ```sh block of set-up commands"
    assert first.start() < README.index("## "), "the set-up commands come before any section"
    return [line for line in first.group(1).splitlines() if line.strip()]


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    install_and_run, test = setup_commands()
    assert "pip install ." in install_and_run and "roleplan " in install_and_run
    assert "[test]" in test and "pytest" in test


def test_ci_runs_the_readme_test_command() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_readme_examples_are_real_output() -> None:
    spec = importlib.util.spec_from_file_location("update_readme", ROOT / "scripts" / "update_readme.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.render(README) == README, "README examples are stale: run python scripts/update_readme.py"


def command_paths(group: typer.Typer, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    from typer.main import get_command

    root = get_command(group)
    out: list[tuple[str, ...]] = []

    def walk(cmd: Any, path: tuple[str, ...]) -> None:
        if hasattr(cmd, "commands"):  # a group (Click's, or the one a Typer release vendors)
            for name, sub in cmd.commands.items():
                walk(sub, (*path, name))
        else:
            out.append(path)

    walk(root, prefix)
    return out


@pytest.mark.parametrize("path", command_paths(app), ids=" ".join)
def test_every_command_has_help_with_an_example_and_is_documented(run: Run, path: tuple[str, ...]) -> None:
    r = run(*path, "--help")
    assert r.code == 0
    assert "Example: roleplan " in r.out, f"`roleplan {' '.join(path)} --help` needs an example"
    assert f"roleplan {' '.join(path)}" in README, f"README does not document `roleplan {' '.join(path)}`"
