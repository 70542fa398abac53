"""Kind `max_duration` as columns (replay.max_duration.MaxDuration): a period that must not last
longer than its limit. The until closing it is met on or before the (judged) limit date, else
exceeded; a period still open at the as-at date is exceeded once that date is past its limit,
else due. Rules with `extend` are handed back: the Clock's extensions are sequential."""

from __future__ import annotations

import numpy as np
import polars as pl

from ...dates import due_dates
from ...model import Rule
from .attrs import OWN
from .outcomes import empty
from .periods import judged_dues, period_outcomes, periods


def supports(rule: Rule) -> bool:
    """Not `extend`, `lift` (the Clock's sequential extensions and lifts), `counts_from` (a start
    moved by another period), nor a `where` on a name the chunk uses for
    its own columns (attrs.OWN)."""
    return rule.limit is not None and not (rule.extend_by or rule.paused_by or rule.resumed_by or rule.lift_by
                                           or rule.counts_from[0]) and OWN.isdisjoint(rule.where) \
        and OWN.isdisjoint(rule.until_where)


def max_duration_outcomes(ev: pl.DataFrame, rule: Rule, as_at: int) -> pl.DataFrame:
    p = periods(ev, rule, rule.start | rule.until)
    if not len(p.starts):
        return empty()
    closed = p.closes >= 0
    end = np.where(closed, p.ord[np.maximum(p.closes, 0)], as_at)
    limit = judged_dues(rule, due_dates(p.ord[p.starts], rule.limit, rule.calendar, rule.beginning_with), end)
    status = np.where(end > limit, "exceeded", np.where(closed, "met", "due"))
    return period_outcomes(p, p.starts, p.closes, status, limit)
