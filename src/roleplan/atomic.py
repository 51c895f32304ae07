"""Atomic file writes: a temporary file in the target's folder, renamed over the target when complete.

A reader never sees a half-written file, a failure part-way (an error, Ctrl-C, a full disk) leaves whatever
was there before untouched, and without `overwrite` an existing file is never replaced, even by a file that
appears while the result is being written (the final step is a hard link, which fails if the name exists).
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from roleplan.errors import InputError

EXISTS = "already exists; use --force to overwrite it"


def check_target(path: Path, *, overwrite: bool) -> None:
    """Fail early, before any work, when `path` cannot be written (a directory, or exists without overwrite)."""
    if path.is_dir():
        raise InputError("is a directory; give a file name", file=path)
    if not overwrite and (path.exists() or path.is_symlink()):
        raise InputError(EXISTS, file=path)


@contextmanager
def open_atomic(path: Path, *, overwrite: bool, mkdir: bool = False) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces `path` only when the `with` block ends without an error.

    `mkdir` creates missing parent folders; otherwise a missing folder is an error naming the file.
    """
    check_target(path, overwrite=overwrite)
    directory = path.parent
    try:
        if mkdir:
            directory.mkdir(parents=True, exist_ok=True)
        elif not directory.is_dir():
            raise InputError(f"cannot write: no such directory {str(directory)!r}", file=path)
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            mask = os.umask(0)
            os.umask(mask)
            mode = path.stat().st_mode & 0o777 if path.exists() else 0o666 & ~mask
            os.fchmod(
                fh.fileno(), mode
            )  # mkstemp makes 0600; a result is as readable as any file the user makes
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        _commit(tmp, path, overwrite=overwrite)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    finally:
        tmp.unlink(missing_ok=True)


def _commit(tmp: Path, path: Path, *, overwrite: bool) -> None:
    if overwrite:
        tmp.replace(path)
        return
    try:
        os.link(tmp, path)  # fails if the name appeared meanwhile: no clobbering in a race
    except FileExistsError:
        raise InputError(EXISTS, file=path) from None
    except OSError:  # a file system without hard links
        if path.exists():
            raise InputError(EXISTS, file=path) from None
        tmp.replace(path)


def write_atomic(path: Path, text: str, *, overwrite: bool, mkdir: bool = False) -> None:
    """Write `text` to `path` atomically (see `open_atomic`)."""
    with open_atomic(path, overwrite=overwrite, mkdir=mkdir) as fh:
        fh.write(text)
