"""Every file casecheck writes is whole or untouched: the one writer of every command's --output.

The new content goes to a temporary file in the target's own folder (`.findings.json.casecheck-tmp-
XXXXXXXX`, so a person who finds one after a power cut knows what it is), which is flushed,
fsynced and renamed over the target; then the folder is fsynced so the rename itself survives.
Until that rename the target is not touched, so a run killed at any moment leaves the old file or
the complete new one. The new file gets the mode a plain write would give (the replaced file's,
else what the umask allows). A target that is not a regular file (/dev/null, a named pipe, a
link to a device) is written in place: there is nothing to replace. A link to a regular file
replaces the file it points to and stays a link. `-` is standard output.

A write error (disk full, file too large, a read-only folder) ends the command with exit 2 and one
line naming the target as the user gave it; the temporary file is removed.
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import sys
import tempfile

import click

TMP_MARK = ".casecheck-tmp-"
EXIT_INPUT = 2


class WriteFailed(Exception):
    """Writing the output failed; the message is the user's line (without `casecheck: `)."""


def is_stdout(path) -> bool:
    return path is None or path == "-"


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _fsync_folder(folder: str) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return  # a folder that cannot be opened for reading (rare): the rename still happened
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _reason(e: BaseException) -> str:
    return (e.strerror if isinstance(e, OSError) and e.strerror else str(e)) or type(e).__name__


def _fail(path: str, e: BaseException, replaced: bool) -> WriteFailed:
    tail = f"; {path} is unchanged" if replaced else ""
    return WriteFailed(f"cannot write {path}: {_reason(e)}{tail}")


def _stream(fd: int, binary: bool, newline):
    raw = io.FileIO(fd, "wb", closefd=True)
    buffered = io.BufferedWriter(raw, 1 << 16)
    if binary:
        return buffered
    return io.TextIOWrapper(buffered, encoding="utf-8", newline=newline, write_through=False)


@contextlib.contextmanager
def _stdout(binary: bool):
    out = sys.stdout.buffer if binary else sys.stdout
    yield out
    out.flush()


@contextlib.contextmanager
def open_output(path: str | None, *, binary: bool = False, newline=None):
    """A stream writing `path` whole or not at all (standard output for None or `-`).
    Raises WriteFailed, after removing the temporary file, when the write fails."""
    if is_stdout(path):
        with _stdout(binary) as out:
            yield out
        return
    real = os.path.realpath(path)  # a link: its file is replaced and the link kept
    try:
        st = os.stat(real)
    except OSError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        yield from _in_place(path, real, binary, newline)
        return
    folder = os.path.dirname(real) or "."
    mode = stat.S_IMODE(st.st_mode) if st is not None else 0o666 & ~_umask()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(real)}{TMP_MARK}", dir=folder)
    except OSError as e:
        raise _fail(path, e, st is not None) from None
    out = None
    done = False
    try:
        try:
            os.fchmod(fd, mode)
            out = _stream(fd, binary, newline)
        except OSError as e:
            os.close(fd)
            raise _fail(path, e, st is not None) from None
        try:
            yield out
            out.flush()
            os.fsync(out.fileno())
            out.close()
            os.replace(tmp, real)
            done = True
        except OSError as e:
            raise _fail(path, e, st is not None) from None
        _fsync_folder(folder)
    finally:
        if not done:
            if out is not None:
                with contextlib.suppress(Exception):
                    out.close()  # a failed flush on close leaves the descriptor closed all the same
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def _in_place(path: str, real: str, binary: bool, newline):
    """A device or named pipe: written as a plain write would write it."""
    try:
        fd = os.open(real, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)
        out = _stream(fd, binary, newline)
    except OSError as e:
        raise _fail(path, e, False) from None
    try:
        yield out
        out.flush()
        out.close()
    except OSError as e:
        raise _fail(path, e, False) from None
    finally:
        with contextlib.suppress(Exception):
            out.close()


@contextlib.contextmanager
def output_file(path: str | None, *, binary: bool = False, newline=None):
    """open_output for a command: a write error is one line on stderr and exit 2."""
    try:
        with open_output(path, binary=binary, newline=newline) as out:
            yield out
    except WriteFailed as e:
        click.echo(f"casecheck: {e}", err=True)
        sys.exit(EXIT_INPUT)
