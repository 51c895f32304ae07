"""Errors a user can cause. Each class knows its exit code; the CLI prints them as one line on stderr."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_CANNOT_RUN = 2


class RoleplanError(Exception):
    """Base of every error caused by the user's input or arguments (never a bug)."""

    exit_code = EXIT_CANNOT_RUN

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        col: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.file = str(file) if file is not None else None
        self.line = line
        self.col = col

    def location(self) -> str:
        """`file:line:col` as far as it is known, or ''."""
        if self.file is None:
            return ""
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
            if self.col is not None:
                parts.append(str(self.col))
        return ":".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message


class UsageError(RoleplanError):
    """A bad option value: unknown name, negative or absurd number."""


class InputError(RoleplanError):
    """An input file that cannot be read or understood."""


class BenchmarksError(InputError):
    """The benchmarks file (packaged or override) is invalid."""


def closest(value: str, choices: Iterable[str]) -> str | None:
    """The choice nearest to `value` (case-insensitive), or None when nothing is close."""
    import difflib  # only on the error path

    options = list(choices)
    lowered = {c.lower(): c for c in options}
    match = difflib.get_close_matches(value.lower(), list(lowered), n=1, cutoff=0.5)
    return lowered[match[0]] if match else None


def unknown_name(kind: str, value: str, choices: Iterable[str]) -> str:
    """One-line message for an unknown name: the closest match first, then every valid choice."""
    options = list(choices)
    hint = closest(value, options)
    suggestion = f"; did you mean {hint!r}?" if hint else ""
    return f"unknown {kind} {value!r}{suggestion} (choose from: {', '.join(options)})"


def _normalise(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())


def pick(kind: str, value: str, choices: Iterable[str], *, error: type[RoleplanError] = UsageError) -> str:
    """Resolve `value` against `choices`, forgiving case, spaces, '-' and '_' (`Series B` -> `seriesB`).

    Raises `error` with the closest match and the valid choices when nothing matches.
    """
    options = list(choices)
    by_norm = {_normalise(c): c for c in options}
    found = by_norm.get(_normalise(value))
    if found is None:
        raise error(unknown_name(kind, value, options))
    return found
