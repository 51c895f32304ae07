"""`roleplan check` settings from the project: `[tool.roleplan]` in pyproject.toml, or `.roleplan.toml`.

Looked up from the current directory upwards; the nearest directory with either file wins, and in one
directory `.roleplan.toml` wins over pyproject.toml (a pyproject.toml without `[tool.roleplan]` is passed
over). Keys (all optional):

    fail-on = "warning"                 # error | warning | never
    select = ["RP1", "first-sa"]        # rule IDs, names, ID prefixes, or "ALL"
    ignore = ["RP104"]
    paths = ["plans/", "roleplan.yaml"]  # what `roleplan check` with no PLAN checks, relative to this file

Anything else is an error naming the file and the closest key, never silently ignored.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from roleplan.errors import InputError, RoleplanError, unknown_name

KEYS = ("fail-on", "select", "ignore", "paths")
ROLEPLAN_TOML = ".roleplan.toml"
PYPROJECT = "pyproject.toml"


@dataclass(frozen=True)
class CheckSettings:
    """What the project's settings say; None/empty: not set there."""

    file: Path | None = None  # where they were read from
    fail_on: str | None = None
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    paths: tuple[Path, ...] = field(default=())  # resolved against the settings file's directory


def find_settings(start: Path) -> CheckSettings:
    """The settings that apply in `start` (a directory), or empty settings when no file has any."""
    for directory in (start, *start.parents):
        own = directory / ROLEPLAN_TOML
        if own.is_file():
            return _relative(read_settings(own, section=None), start)
        pyproject = directory / PYPROJECT
        if pyproject.is_file():
            settings = read_settings(pyproject, section=("tool", "roleplan"))
            if settings.file is not None:
                return _relative(settings, start)
    return CheckSettings()


def _relative(settings: CheckSettings, start: Path) -> CheckSettings:
    """`paths` relative to `start` (the current directory), as findings and CI annotations show them."""
    import dataclasses
    import os

    return dataclasses.replace(settings, paths=tuple(Path(os.path.relpath(p, start)) for p in settings.paths))


def _toml(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("not UTF-8 text", file=path) from None
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        line = getattr(exc, "lineno", None)
        if line is None and "(at line " in message:  # Python < 3.14 puts the place in the message only
            where = message.rsplit("(at line ", 1)[1]
            line = int(where.split(",")[0]) if where.split(",")[0].isdigit() else None
        message = message.split(" (at ")[0]
        raise InputError(f"invalid TOML: {message}", file=path, line=line) from None


def read_settings(path: Path, *, section: tuple[str, ...] | None) -> CheckSettings:
    """Settings from one file: the whole of a `.roleplan.toml`, or `section` of a pyproject.toml
    (returned empty, `file` None, when the section is absent)."""
    data: Any = _toml(path)
    where = "[" + ".".join(section) + "]" if section else "the file"
    for key in section or ():
        if not isinstance(data, dict) or key not in data:
            return CheckSettings()
        data = data[key]
    if not isinstance(data, dict):
        raise InputError(f"{where} must be a table of settings", file=path)
    for key in data:
        if key not in KEYS:
            raise InputError(f"{where}: {unknown_name('setting', key, KEYS)}", file=path)

    def strings(key: str) -> tuple[str, ...] | None:
        value = data.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InputError(f"{where}: {key} must be a list of strings, got {value!r}", file=path)
        return tuple(value)

    fail_on = data.get("fail-on")
    if fail_on is not None and not isinstance(fail_on, str):
        raise InputError(f"{where}: fail-on must be a string, got {fail_on!r}", file=path)
    if fail_on is not None:
        from roleplan.errors import pick
        from roleplan.models.findings import FAIL_ON

        try:
            fail_on = pick("fail-on level", fail_on, FAIL_ON)
        except RoleplanError as exc:
            raise InputError(f"{where}: {exc.message}", file=path) from None
    base = path.parent
    select = strings("select")
    ignore = strings("ignore") or ()
    from roleplan.models.rules import rule_ids

    try:  # spelled right? (checked here, so the error names this file)
        rule_ids(list(select or ()), option="select")
        rule_ids(list(ignore), option="ignore")
    except RoleplanError as exc:
        raise InputError(f"{where}: {exc.message}", file=path) from None
    return CheckSettings(
        file=path,
        fail_on=fail_on,
        select=select,
        ignore=ignore,
        paths=tuple(base / p for p in strings("paths") or ()),
    )
