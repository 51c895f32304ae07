"""Reading a user's file: one place for the size limit and the one-line messages of every way it can fail.

Kept free of heavy imports (the calendar loader uses it without PyYAML).
"""

from __future__ import annotations

from pathlib import Path
from typing import IO

from roleplan.errors import InputError


def read_bytes(path: Path, *, max_bytes: int, what: str = "file") -> bytes:
    """A file's bytes, refusing what is missing, unreadable, a directory or over `max_bytes`, in one line."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(
                f"{what} is {size / 1_048_576:.1f} MiB; the limit is {max_bytes / 1_048_576:.0f} MiB",
                file=path,
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", file=path) from None
    except IsADirectoryError:
        raise InputError(f"is a directory, expected a {what}", file=path) from None
    except PermissionError:
        raise InputError("permission denied", file=path) from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}", file=path) from None


def read_stream(stream: IO[bytes], *, max_bytes: int, what: str = "input", name: str = "-") -> bytes:
    """Everything on a stream (stdin), refusing more than `max_bytes` without reading much past it."""
    raw = stream.read(max_bytes + 1)
    if len(raw) > max_bytes:
        raise InputError(f"{what} is over the limit of {max_bytes / 1_048_576:.0f} MiB", file=name)
    return raw
