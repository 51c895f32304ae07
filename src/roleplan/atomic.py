"""Atomic file writes: a temporary file in the target's folder, renamed over the target when complete.

A reader never sees a half-written file, a failure part-way (an error, Ctrl-C, a full disk) leaves whatever
was there before untouched, and without `overwrite` an existing file is never replaced, even by a file that
appears while the result is being written (the final step is a hard link, which fails if the name exists).

A target that is a symbolic link is written through: the file it points to is replaced, the link stays. A
target that exists and is not a regular file (`-o /dev/null`, `-o /dev/stdout` on a pipe, a named pipe) is
written to in place, as a shell redirection would: there is nothing in it to lose, and renaming a file over
it would replace the device node or pipe itself (as root, `-o /dev/null --force` used to do exactly that).
A block device is refused.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TextIO

from roleplan.errors import InputError

EXISTS = "already exists; use --force to overwrite it"
#: Temp files of the atomic writes in progress, for `remove_unfinished` (the CLI's SIGTERM/SIGHUP handler).
_UNFINISHED: set[str] = set()


def remove_unfinished() -> None:
    """Remove the temp file of every atomic write in progress (Ctrl-C and errors do it in `finally`)."""
    for name in list(_UNFINISHED):
        with suppress(OSError):  # called from a signal handler: nothing may escape
            Path(name).unlink(missing_ok=True)
        _UNFINISHED.discard(name)


def _special(path: Path) -> bool:
    """Whether `path` exists as something other than a regular file or a folder (a device, a pipe)."""
    try:
        mode = path.stat().st_mode  # through symbolic links
    except OSError:
        return False
    if stat.S_ISBLK(mode):
        raise InputError("is a block device; give a file name", file=path)
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def check_target(path: Path, *, overwrite: bool) -> None:
    """Fail early, before any work, when `path` cannot be written (a directory, or exists without overwrite)."""
    if path.is_dir():
        raise InputError("is a directory; give a file name", file=path)
    if _special(path):
        return
    if not overwrite and (path.exists() or path.is_symlink()):
        raise InputError(EXISTS, file=path)


@contextmanager
def open_atomic(path: Path, *, overwrite: bool, mkdir: bool = False) -> Iterator[TextIO]:
    """A UTF-8 text stream whose content replaces `path` only when the `with` block ends without an error.

    `mkdir` creates missing parent folders; otherwise a missing folder is an error naming the file.
    """
    check_target(path, overwrite=overwrite)
    if _special(path):
        yield from _in_place(path)
        return
    shown = path
    if path.is_symlink():  # replace the file the link points to, not the link
        path = Path(os.path.realpath(path))
        check_target(path, overwrite=overwrite)
    directory = path.parent
    try:
        if mkdir:
            directory.mkdir(parents=True, exist_ok=True)
        elif not directory.is_dir():
            raise InputError(f"cannot write: no such directory {str(directory)!r}", file=path)
        fd, name = tempfile.mkstemp(dir=directory, prefix=f".{path.name}.", suffix=".tmp")
        _UNFINISHED.add(name)
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=shown) from None
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
        raise InputError(f"cannot write: {exc.strerror or exc}", file=shown) from None
    finally:
        tmp.unlink(missing_ok=True)
        _UNFINISHED.discard(name)


def _in_place(path: Path) -> Iterator[TextIO]:
    """Write straight into a device or pipe (see the module docstring)."""
    try:
        fh = path.open("w", encoding="utf-8", newline="\n")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None
    try:
        with fh:
            yield fh
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror or exc}", file=path) from None


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
