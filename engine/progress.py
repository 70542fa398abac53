"""A progress bar for long runs, on a terminal only: never in pipes, files or CI logs.

check_cases() gives exactly engine.replay.check's findings; with a bar it checks the cases in
batches (check() per batch) and advances the bar after each.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from typing import Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from .model import Case, Finding, Rule
from .replay import check

BATCH = 200


def wanted(stream=None) -> bool:
    """A bar only when stderr is a terminal and CI is not set."""
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI")


def check_cases(cases: Sequence[Case], rules: Sequence[Rule], as_at: dt.date, show: bool | None = None,
                console=None) -> list[Finding]:
    """engine.replay.check(cases, rules, as_at), with a transient progress bar when shown."""
    if show is None:
        show = wanted()
    if not show or len(cases) <= BATCH:
        return check(cases, rules, as_at)
    console = console or Console(stderr=True)
    findings: list[Finding] = []
    with Progress(TextColumn("checking cases"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console, transient=True) as bar:
        task = bar.add_task("check", total=len(cases))
        for i in range(0, len(cases), BATCH):
            batch = cases[i:i + BATCH]
            findings.extend(check(batch, rules, as_at))
            bar.advance(task, len(batch))
    findings.sort(key=Finding.sort_key)
    return findings
