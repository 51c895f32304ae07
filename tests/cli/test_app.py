"""The root command: version, help, and the one-line error policy."""

from __future__ import annotations

import pytest

from tests.conftest import Run


def test_version(run: Run) -> None:
    r = run("--version")
    assert r.code == 0
    assert r.out.startswith("roleplan ")


def test_version_says_which_classifier_runs(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from roleplan.core import classify as core

    assert "classifier: " in run("--version").out
    monkeypatch.setattr(core, "_native", None)
    assert "classifier: pure Python (the C extension is off or was not built)" in run("--version").out


def test_the_pure_python_switch_is_the_cli_s(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    from roleplan.core import classify as core

    monkeypatch.setenv("ROLEPLAN_PURE_PYTHON", "1")
    try:
        assert "classifier: pure Python" in run("--version").out
        assert not core.native_available()
    finally:
        core.use_native(True)


def test_unknown_command_is_one_line_exit_2(run: Run) -> None:
    r = run("nosuch")
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert "No such command" in r.err
    assert "Traceback" not in r.err


def test_no_arguments_prints_help(run: Run) -> None:
    r = run()
    assert r.code == 2
    assert "Usage" in r.out


def test_commands_are_listed_in_order_and_take_quiet_after_the_name() -> None:
    import click
    from typer.main import get_command

    from roleplan.cli.app import app

    group = get_command(app)
    assert isinstance(group, click.Group)
    names = group.list_commands(click.Context(group))
    assert names[:4] == ["staff", "ratio", "capacity", "comp"] and names[-2:] == ["benchmarks", "schema"]
    for name in names:
        command = group.commands[name]
        subs = list(command.commands.values()) if isinstance(command, click.Group) else [command]
        for sub in subs:
            assert any("--quiet" in getattr(p, "opts", ()) for p in sub.params), (name, sub.name)


def test_a_command_module_imports_nothing_heavy_at_start() -> None:
    """Plain Typer converts every command at start: their modules must stay cheap to import."""
    import subprocess
    import sys

    code = "import sys; import roleplan.cli.app; print(*sys.modules)"
    loaded = set(
        subprocess.run(
            [sys.executable, "-c", code], check=True, capture_output=True, text=True
        ).stdout.split()
    )
    heavy = {"pydantic", "yaml", "rich.table", "roleplan.core.classify", "roleplan.loaders.jd", "icalendar"}
    assert sorted(loaded & heavy) == []
