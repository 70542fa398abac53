"""Periods as columns, shared by the kinds `every` and `max_duration` (docs/rules.md).

The replay engine's machines (replay.every, replay.max_duration) walk each case's events in
order: a `from` event passing `where` opens a period when none is open, an `until` event closes
the open one, and an event that is both closes the open period and opens the next (its until
part is fed before its start part). So the period is open after an event exactly when the last
"marker" (a start passing `where`, or an until passing `until_where`) up to it was a start: a forward fill of the last
marker over each case's run, with no loop over rows. A period closes at the first until after
its start; an until on the start event itself was fed before the start, so closes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from ...model import Rule
from .attrs import where
from .outcomes import outcomes


@dataclass(slots=True)
class Periods:
    """One rule's periods over a chunk. ev: the chunk's events of the rule's types, in replay
    order; arrays index its rows. Periods are numbered 0.. in order of their start."""

    ev: pl.DataFrame
    ord: np.ndarray
    open_before: np.ndarray  # bool: a period was open just before the row's event
    period_before: np.ndarray  # the period open before the row (meaningful where open_before)
    starts: np.ndarray  # row of each period's start
    closes: np.ndarray  # row of the until closing each period, -1 while it is open at as-at


def periods(ev: pl.DataFrame, rule: Rule, types) -> Periods:
    """The rule's periods in `ev` (a chunk's events sorted by run, ord, seq: whole cases)."""
    ev = ev.filter(pl.col("type").is_in(list(types)))
    run = ev["run"].to_numpy()
    t = ev["type"]
    is_start = (t.is_in(list(rule.start)) & ev.select(where(ev, rule))[:, 0]).to_numpy()
    is_until = t.is_in(list(rule.until))
    if rule.until_where:  # only the until events passing `until_where` end a period
        is_until = is_until & ev.select(where(ev, rule, rule.until_where))[:, 0]
    is_until = is_until.to_numpy()
    n = ev.height
    rows = np.arange(n)
    last = np.maximum.accumulate(np.where(is_start | is_until, rows, -1)) if n else rows
    safe = np.maximum(last, 0)
    open_after = (last >= 0) & (run[safe] == run) & is_start[safe]
    open_before = np.zeros(n, dtype=bool)
    open_before[1:] = open_after[:-1] & (run[1:] == run[:-1])
    new = is_start & (~open_before | is_until)
    period_after = np.cumsum(new) - 1
    starts = np.flatnonzero(new)
    return Periods(ev, ev["ord"].to_numpy(), open_before, period_after - new, starts,
                   _closes(starts, np.flatnonzero(is_until), run))


def _closes(starts: np.ndarray, untils: np.ndarray, run: np.ndarray) -> np.ndarray:
    """The first until after each start in the same case (an open period ends at any until)."""
    if not len(untils) or not len(starts):
        return np.full(len(starts), -1)
    j = np.searchsorted(untils, starts, side="right")
    close = untils[np.minimum(j, len(untils) - 1)]
    return np.where((j < len(untils)) & (run[close] == run[starts]), close, -1)


def judged_dues(rule: Rule, due: np.ndarray, open_until: np.ndarray) -> np.ndarray:
    """replay.outcomes.judged_due for arrays of ordinals: a window still open on the day the rule
    comes into force (or applies again after a relaxation), whose due date fell before that day,
    is judged from that day. The first of these that applies wins, in that order."""
    out = due.copy()
    done = np.zeros(len(due), dtype=bool)
    start = rule.in_force[0]
    moves = [] if start is None else [(None, start.toordinal())]
    moves += [(begin.toordinal(), end.toordinal() + 1) for begin, end, _ in rule.suspended]
    for begin, day in moves:
        hit = ~done & (due < day) & (day <= open_until)
        if begin is not None:
            hit &= begin <= due
        out[hit] = day
        done |= hit
    return out


def period_outcomes(p: Periods, anchors: np.ndarray, actuals: np.ndarray, status: np.ndarray,
                    due: np.ndarray) -> pl.DataFrame:
    """outcomes.OUTCOME_SCHEMA rows: each anchor (a row of p.ev: the period's start, or the
    event a window is anchored on) with its actual event (a row, or -1 for none)."""
    ev = p.ev
    a = pl.Series(actuals, dtype=pl.Int64)
    a = a.set(a < 0, None)  # no actual event: null
    t = pl.Series(anchors, dtype=pl.Int64)
    return outcomes(ev["run"].gather(t), ev["case"].gather(t), status, ev["type"].gather(t), p.ord[anchors],
                    ev["seq"].gather(t), due, ev["type"].gather(a), ev["ord"].gather(a))
