"""Progress bars for long runs, on a terminal only: never in pipes, files or CI logs.

check_cases() gives exactly casecheck.replay.check's findings; with a bar it checks the cases
with one compiled Replayer and advances the bar after each batch. counted() takes a stream of
findings whole, counting them on a bar. steps() is a bar for any other
long job (writing a workbook or a report): it gives an `advance(n)` function, which does
nothing when no bar is shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from typing import Callable, Iterable, Iterator, Sequence

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from ..model import Case, Finding, Rule
from ..replay import Replayer, check
from ..terminal import raw_stream

BATCH = 200  # cases per check() call under a bar; runs of no more than this show no bar


def wanted(stream=None) -> bool:
    """A bar only when stderr is a terminal and CI is not set."""
    stream = sys.stderr if stream is None else stream
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty()) and not os.environ.get("CI")


def _nothing(n: int = 1) -> None:
    return None


@contextlib.contextmanager
def steps(label: str, total: int, show: bool | None = None, console=None) -> Iterator[Callable[[int], None]]:
    """A transient bar of `total` steps when shown (and the job is long); yields advance(n=1)."""
    if show is None:
        show = wanted() and total > BATCH
    if not show:
        yield _nothing
        return
    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  console=console or Console(file=raw_stream(sys.stderr)), transient=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda n=1: bar.advance(task, n)


def check_cases(cases: Sequence[Case], rules: Sequence[Rule], as_at: dt.date, show: bool | None = None,
                console=None) -> list[Finding]:
    """casecheck.replay.check(cases, rules, as_at), with a transient progress bar when shown."""
    if show is None:
        show = wanted()
    if not show or len(cases) <= BATCH:
        return check(cases, rules, as_at)
    replayer = Replayer(rules)  # compiled once, not once per batch
    findings: list[Finding] = []
    with steps("checking cases", len(cases), show=True, console=console) as advance:
        for i in range(0, len(cases), BATCH):
            batch = cases[i:i + BATCH]
            for case in batch:
                findings.extend(replayer.check_case(case, as_at))
            advance(len(batch))
    findings.sort(key=Finding.sort_key)
    return findings


def counted(label: str, items: Iterable, show: bool | None = None, console=None, every: int = 1000,
            keep: Callable | None = None) -> list:
    """The items (those keep(item) is true of, when given) as a list, with a transient bar
    counting every item when shown and more than BATCH come (a stream's length is known only at
    its end, so the bar has no total)."""
    if show is None:
        show = wanted()
    if not show:
        return list(items) if keep is None else [x for x in items if keep(x)]
    out: list = []
    n = 0
    it = iter(items)
    for x in it:
        n += 1
        if keep is None or keep(x):
            out.append(x)
        if n > BATCH:
            break
    else:
        return out
    with Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed:,} findings"),
                  console=console or Console(file=raw_stream(sys.stderr)), transient=True) as bar:
        task = bar.add_task(label, total=None, completed=n)
        for x in it:
            n += 1
            if keep is None or keep(x):
                out.append(x)
            if n % every == 0:
                bar.update(task, completed=n)
        bar.update(task, completed=n)
    return out
