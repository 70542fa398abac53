"""Kind `max_duration` as columns (replay.max_duration.MaxDuration): a period that must not last
longer than its limit. The until closing it is met on or before the (judged) limit date, else
exceeded; a period still open at the as-at date is exceeded once that date is past its limit,
else due.

`extend: {by, to}`: extension events while the period is open, after its start and before the
until closing it (which is fed first), as extend.py."""

from __future__ import annotations

import numpy as np
import polars as pl

from ...dates import due_dates
from ...model import Rule
from . import extend
from .attrs import OWN
from .outcomes import empty
from .periods import Periods, judged_dues, period_outcomes, periods


def supports(rule: Rule) -> bool:
    """`extend` with a cap (`to`), but not successive extensions (`each`), `lift` (a limit lifted
    and restored by events), clock stops, `counts_from` (a start moved by another period), nor a
    `where` or `until_where` on a name the chunk uses for its own columns (attrs.OWN)."""
    return rule.limit is not None and not (rule.extend_each or rule.paused_by or rule.resumed_by or rule.lift_by
                                           or rule.counts_from[0]) and OWN.isdisjoint(rule.where) \
        and OWN.isdisjoint(rule.until_where)


def max_duration_outcomes(ev: pl.DataFrame, rule: Rule, as_at: int) -> pl.DataFrame:
    p = periods(ev, rule, rule.start | rule.until | rule.extend_by)
    if not len(p.starts):
        return empty()
    closed = p.closes >= 0
    end = np.where(closed, p.ord[np.maximum(p.closes, 0)], as_at)
    base = due_dates(p.ord[p.starts], rule.limit, rule.calendar, rule.beginning_with)
    extension = np.full(len(p.starts), -1)
    if rule.extend_by:
        base, extension = _extended(p, rule, base)
    limit = judged_dues(rule, base, end)
    status = np.where(end > limit, "exceeded", np.where(closed, "met", "due"))
    out = period_outcomes(p, p.starts, p.closes, status, limit)
    x = pl.Series(extension, dtype=pl.Int64)
    x = x.set(x < 0, None)
    return out.with_columns(p.ev["type"].gather(x).alias("x_type"), p.ev["ord"].gather(x).alias("x_ord"))


def _extended(p: Periods, rule: Rule, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each period's limit after its extensions, and the row of the last extension it took (-1: none)."""
    cap = due_dates(p.ord[p.starts], rule.extend_to, rule.calendar, rule.beginning_with)
    is_ext = p.ev["type"].is_in(list(rule.extend_by)).to_numpy() & p.open_before
    # the until closing a period is fed before its extension part: it extends nothing
    rows = np.flatnonzero(is_ext & (p.closes[p.period_before] != np.arange(len(is_ext))))
    per = p.period_before[rows]
    wanted = extend.asked(p.ev["due"].gather(rows) if "due" in p.ev.columns else None, cap[per])
    base, last = extend.extended(per, p.ord[rows], wanted, base, cap)
    return base, np.where(last >= 0, rows[np.maximum(last, 0)], -1) if len(rows) else last
