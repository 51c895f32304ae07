"""Plan file I/O: which files a directory holds, and the atomic, no-clobber write behind `roleplan init`."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from roleplan.atomic import write_atomic
from roleplan.errors import InputError
from roleplan.loaders.plan import expand, load_plan, starter_text


def test_directories_expand_to_plan_files_only(tmp_path: Path) -> None:
    for name in (
        "roleplan.yaml",
        "a/x.roleplan.yaml",
        "a/b/roleplan.yaml",
        "a/other.yaml",
        "myroleplan.yaml",
    ):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x: 1\n")
    found = [p.relative_to(tmp_path).as_posix() for p in expand([tmp_path])]
    assert found == ["a/b/roleplan.yaml", "a/x.roleplan.yaml", "roleplan.yaml"]
    assert expand([tmp_path / "roleplan.yaml", tmp_path / "roleplan.yaml"]) == [tmp_path / "roleplan.yaml"]


def test_write_atomic_refuses_to_clobber_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "roleplan.yaml"
    write_atomic(target, "one\n", overwrite=False)
    with pytest.raises(InputError, match="already exists"):
        write_atomic(target, "two\n", overwrite=False)
    assert target.read_text() == "one\n"
    write_atomic(target, "two\n", overwrite=True)
    assert target.read_text() == "two\n"
    assert [p.name for p in tmp_path.iterdir()] == ["roleplan.yaml"]


def test_write_atomic_uses_the_umask_not_0600(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "plan.yaml"
        write_atomic(target, "x\n", overwrite=False)
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_write_atomic_into_a_directory_name_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="is a directory"):
        write_atomic(tmp_path, "x", overwrite=True)


def test_starter_is_a_valid_plan(tmp_path: Path) -> None:
    target = tmp_path / "roleplan.yaml"
    target.write_text(starter_text(), encoding="utf-8")
    loaded = load_plan(target)
    assert loaded.plan is not None and loaded.problems == []
