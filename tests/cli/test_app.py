"""The root command: version, help, and the one-line error policy."""

from __future__ import annotations

from tests.conftest import Run


def test_version(run: Run) -> None:
    r = run("--version")
    assert r.code == 0
    assert r.out.startswith("roleplan ")


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
