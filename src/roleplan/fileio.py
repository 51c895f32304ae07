"""Reading a user's file: one place for the size limit and the one-line messages of every way it can fail.

Kept free of heavy imports (the calendar loader uses it without PyYAML).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from roleplan.errors import InputError


def read_bytes(path: Path, *, max_bytes: int, what: str = "file", limit: str = "the limit") -> bytes:
    """A file's bytes, refusing what is missing, unreadable, a directory or over `max_bytes`, in one line.

    `limit` names the limit in the message ("the limit for one text").
    """
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"{what} is {size / 1_048_576:.1f} MiB; {limit} is {mib(max_bytes)}", file=path)
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected a {what}", file=path) from None
    except PermissionError:
        raise InputError("permission denied", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None


def read_stream(
    stream: IO[bytes], *, max_bytes: int, what: str = "input", name: str = "-", hint: str = ""
) -> bytes:
    """Everything on a stream (stdin), refusing more than `max_bytes` without reading much past it.

    `hint` ends the message in brackets: what to do instead ("for a batch use --input-format jsonl").
    """
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        tail = f" ({hint})" if hint else ""
        raise InputError(f"{what} is over the limit of {mib(max_bytes)}{tail}", file=name)
    return raw


def mib(n: int) -> str:
    """A byte count in MiB, as short as it goes: 5 MiB, 0.5 MiB."""
    return f"{n / 1_048_576:g} MiB"
