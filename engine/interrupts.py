"""Ctrl-C and SIGTERM end a run cleanly: exit 130 or 143, one line on stderr, no traceback.

Ctrl-C reaches the whole process group: the main process gets KeyboardInterrupt, workers ignore
it (the main process ends them). SIGTERM (from `timeout`, a scheduler) usually reaches the main
process alone: it becomes Terminated, a BaseException, so every `finally` runs on the way out:
the output's temporary file is removed, workers are ended, a database transaction is rolled back.
"""

from __future__ import annotations

import os
import signal

EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them

_MAIN_PID: int | None = None
target: str | None = None  # the --output of this run, named in the line saying it was left alone


class Terminated(BaseException):
    """SIGTERM reached the main process."""


def _on_sigterm(signum, frame):
    if os.getpid() != _MAIN_PID:  # a child that inherited the handler: end quietly
        os._exit(EXIT_TERMINATED)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a second SIGTERM during clean-up changes nothing
    raise Terminated()


def install() -> None:
    """In the main process, before any work."""
    global _MAIN_PID
    _MAIN_PID = os.getpid()
    try:
        signal.signal(signal.SIGTERM, _on_sigterm)
    except ValueError:  # not the main thread (an embedding program): leave its handling alone
        pass


def ignore_in_worker() -> None:
    """In a worker process: Ctrl-C is the main process's to handle; SIGTERM ends it at once."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def note_target(path) -> None:
    global target
    from .inputs.secrets import mask_url
    target = None if path in (None, "-") else mask_url(str(path))  # a database: its URL, password hidden


def message(kind: str) -> str:
    what = {"interrupted": "interrupted", "terminated": "terminated"}[kind]
    tail = f"; {target} is unchanged" if target else ""
    return f"casecheck: {what}{tail}"
