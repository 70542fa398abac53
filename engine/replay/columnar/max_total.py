"""Kind `max_total` as columns (replay.max_total.MaxTotal): a cap on the nights spent in periods
within any rolling window, or within fixed year-long windows (`window_start`).

The periods are periods.py's. A case's periods never overlap and come in date order, so the
nights of its earlier (closed) periods before any day x are one cumulative sum and one search:
the periods wholly before x, and part of the one x falls in. With that, the replay engine's
bisection for the first night over the cap is done for every period at once, step for step
(the same midpoints, so the same answer whether or not a window in months keeps the total
rising), and each period's fixed windows are its rows repeated, one per window it has nights in.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ...dates import subtract_ordinals
from ...model import Rule
from .attrs import OWN
from .outcomes import empty
from .periods import Periods, judged_dues, period_outcomes, periods

_SPAN = 1 << 22  # more than any date's ordinal: run * _SPAN + ordinal orders (case, date) as one key


def supports(rule: Rule) -> bool:
    """Rolling and fixed windows, `where` and `until_where` (with `not`); not a `where` or
    `until_where` on a name the chunk uses for its own columns (attrs.OWN)."""
    return (rule.limit is not None and rule.window is not None and OWN.isdisjoint(rule.where)
            and OWN.isdisjoint(rule.until_where))


class _Earlier:
    """The nights of each period's earlier periods in its case (all closed)."""

    def __init__(self, p: Periods, s: np.ndarray, e: np.ndarray, closed: np.ndarray):
        run = p.ev["run"].to_numpy()[p.starts]
        self.s, self.e = s, e
        self.first = np.searchsorted(run, run, side="left")  # the case's first period
        self.cum = np.concatenate([[0], np.cumsum(np.where(closed, e - s, 0))])  # nights of periods before
        self.key = run * _SPAN + s
        self.run = run

    def all(self, k: np.ndarray) -> np.ndarray:
        return self.cum[k] - self.cum[self.first[k]]

    def before(self, k: np.ndarray, x: np.ndarray) -> np.ndarray:
        """Nights of period k's earlier periods before day x (nights on days < x)."""
        m = np.minimum(np.searchsorted(self.key, self.run[k] * _SPAN + x, side="left") - 1, k - 1)
        ok = m >= self.first[k]
        m = np.maximum(m, 0)
        part = np.maximum(0, np.minimum(self.e[m], x) - self.s[m])
        return np.where(ok, self.cum[m] - self.cum[self.first[k]] + part, 0)


def max_total_outcomes(ev: pl.DataFrame, rule: Rule, as_at: int, case_attrs: dict | None = None) -> pl.DataFrame:
    p = periods(ev, rule, rule.start | rule.until)
    if not len(p.starts):
        return empty()
    closed = p.closes >= 0
    s = p.ord[p.starts]
    e = np.where(closed, p.ord[np.maximum(p.closes, 0)], as_at)
    earlier = _Earlier(p, s, e, closed)
    cap = rule.limit.n * (7 if rule.limit.unit == "weeks" else 1)
    if rule.window_start is not None:
        return _fixed(p, rule, s, e, closed, earlier, cap)
    k = np.arange(len(s))
    limit = judged_dues(rule, _limit_dates(rule, k, s, earlier, cap), e)
    status = np.where(e > limit, "exceeded", np.where(closed, "met", "due"))
    return period_outcomes(p, p.starts, p.closes, status, limit)


def _limit_dates(rule: Rule, k: np.ndarray, s: np.ndarray, earlier: _Earlier, cap: int) -> np.ndarray:
    """MaxTotal._limit_date for every period k (starting on s) at once."""

    def total(day: np.ndarray) -> np.ndarray:  # nights within the window ending on `day` (its night included)
        x = subtract_ordinals(day, rule.window) + 1  # the window is (day - window, day]
        return earlier.all(k) - earlier.before(k, x) + np.maximum(0, day - np.maximum(s, x) + 1)

    lo, hi = s.copy(), s + cap  # by night s + cap the period alone is over the cap
    never = total(hi) <= cap  # the window is too short ever to exceed the cap
    while True:  # the first night over the cap, by the replay engine's own bisection
        active = (lo < hi) & ~never
        if not active.any():
            break
        mid = (lo + hi) // 2
        over = total(mid) > cap
        hi = np.where(active & over, mid, hi)
        lo = np.where(active & ~over, mid + 1, lo)
    return np.where(never, s + cap + 1, lo)


def _fixed(p: Periods, rule: Rule, s, e, closed, earlier: _Earlier, cap: int) -> pl.DataFrame:
    """MaxTotal._fixed: each period judged in each fixed window it has nights in (an open period
    also in the window holding the as-at date), measured to its end or the window's end."""
    month, day = rule.window_start
    y0 = dt.date.fromordinal(int(min(s.min(), e.min()))).year - 1
    y1 = dt.date.fromordinal(int(max(s.max(), e.max()))).year + 2
    bounds = np.array([dt.date(y, month, day).toordinal() for y in range(y0, y1 + 1)], dtype=np.int64)

    def window(d: np.ndarray) -> np.ndarray:  # index into bounds of the window holding d
        return np.searchsorted(bounds, d, side="right") - 1

    w_first, w_end = window(s), window(e)
    # a closed period ending on a window's first day has no night in that window
    w_last = np.where(closed, np.maximum(w_first, w_end - (bounds[w_end] == e)), w_end)
    n = w_last - w_first + 1
    k = np.repeat(np.arange(len(s)), n)
    w = w_first[k] + np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    a, b = bounds[w], bounds[w + 1]
    lo, hi = np.maximum(s[k], a), np.minimum(e[k], b)
    prior = earlier.before(k, b) - earlier.before(k, a)
    due = judged_dues(rule, np.minimum(np.maximum(lo + cap - prior, lo), b), hi)
    ran_past = closed[k] | (b <= e[k])  # closed, or a window the open period has run past
    status = np.where(ran_past, np.where(hi <= due, "met", "exceeded"), np.where(hi > due, "exceeded", "due"))
    out = period_outcomes(p, p.starts[k], p.closes[k], status, due)
    return out.with_columns(pl.Series("end", hi, dtype=pl.Int64))  # lateness to the window's end
