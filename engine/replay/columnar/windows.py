"""Kind `every` with fixed `windows` as columns (replay.fixed_windows.FixedWindows): an expected
event in each calendar window (a school term) that lies wholly within an open period.

A period's windows are those beginning on or after its first day and, for a closed period,
ending before the day it closes; for a period open at the as-at date, those begun by then. Each
window is judged from the period's anchors (its start and the expects judged in it):
- its trigger is the last anchor dated before the window's first day, else the period's start;
- it is met by the first expect of the period dated within it (due: its last day);
- with none, it is missing once it has ended (while the period is closed or the as-at date is past
  it), counted to the next expect of the period, else the period's close, else the as-at date;
  one running at the as-at date with none yet is due.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ...model import Rule
from .outcomes import empty
from .periods import period_outcomes, periods

_SPAN = 1 << 22  # more than any date's ordinal: period * _SPAN + ordinal orders by period, then date


def windows_outcomes(ev: pl.DataFrame, rule: Rule, as_at: int) -> pl.DataFrame:
    p = periods(ev, rule, rule.start | rule.until | rule.expect)
    if not len(p.starts):
        return empty()
    s0 = p.ord[p.starts]
    closed = p.closes >= 0
    close = np.where(closed, p.ord[np.maximum(p.closes, 0)], as_at)
    first, last = _instances(rule.windows, int(s0.min()), max(int(close.max()), as_at))
    lo = np.searchsorted(first, s0, side="left")
    hi = np.where(closed, np.searchsorted(last, close, side="left"), np.searchsorted(first, as_at, side="right"))
    count = np.maximum(hi - lo, 0)
    per = np.repeat(np.arange(len(s0)), count)  # each judged window's period, and the window
    w = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count) + np.repeat(lo, count)
    if not len(w):
        return empty()
    wf, wl = first[w], last[w]
    exp = np.flatnonzero(p.open_before & p.ev["type"].is_in(list(rule.expect)).to_numpy())
    exp_key = np.append(p.period_before[exp] * _SPAN + p.ord[exp], np.iinfo(np.int64).max)  # sorted; a sentinel
    exp = np.append(exp, -1)
    base = per * _SPAN
    # the trigger: the period's last anchor dated before the window (its expects come after its start)
    before = np.searchsorted(exp_key, base + wf, side="left") - 1
    opened = np.where((before >= 0) & (exp_key[np.maximum(before, 0)] >= base), exp[np.maximum(before, 0)],
                      p.starts[per])
    within = np.searchsorted(exp_key, base + wf, side="left")
    met = np.where(exp_key[within] <= base + wl, exp[within], -1)
    after = np.searchsorted(exp_key, base + wl + 1, side="left")
    nxt = exp_key[after] - base
    end = np.where(nxt < _SPAN, nxt, close[per])  # the next expect of the period, else its close or as-at
    status = np.where(met >= 0, "met", np.where(closed[per] | (wl < as_at), "missing", "due"))
    out = period_outcomes(p, opened, met, status, wl)
    return out.with_columns(pl.Series("end", end, dtype=pl.Int64))


def _instances(windows, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """The windows of every year from before ordinal lo to after hi: (first days, last days) as
    ordinals, in date order (dates.yearly_windows for arrays; windows never overlap)."""
    firsts, lasts = [], []
    for year in range(max(1, dt.date.fromordinal(lo).year - 1), min(dt.date.fromordinal(hi).year + 1, 9998) + 1):
        for (m1, d1), (m2, d2) in sorted(windows):
            firsts.append(dt.date(year, m1, d1).toordinal())
            lasts.append(dt.date(year + ((m2, d2) < (m1, d1)), m2, d2).toordinal())
    return np.array(firsts, dtype=np.int64), np.array(lasts, dtype=np.int64)
