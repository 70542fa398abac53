"""Kind `max_duration` as columns (replay.max_duration.MaxDuration): a period that must not last
longer than its limit. The until closing it is met on or before the (judged) limit date, else
exceeded; a period still open at the as-at date is exceeded once that date is past its limit,
else due.

`extend: {by, to}` (replay.clock.Clock.extend): an extension event while the period is open, on
or before the limit as it then stands, moves the limit to the cap (start + `to`), or to its `due`
attribute kept between that limit and the cap. The limit never falls, and events come in date
order, so once one extension event comes too late every later one does: the extensions a period
takes are the first of its extension events up to the first that comes after the limit it meets,
and the limit after each is the cap, or the latest `due` asked so far (kept between the first
limit and the cap): a running maximum per period. A period whose cap falls before its own limit
is never extended (the replay engine's `new >= base`)."""

from __future__ import annotations

import numpy as np
import polars as pl

from ...dates import due_dates, parse_date
from ...model import Rule
from .attrs import OWN
from .outcomes import empty
from .periods import Periods, judged_dues, period_outcomes, periods

_SPAN = 1 << 22  # more than any date's ordinal: period * _SPAN + ordinal keeps a running maximum per period


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
    if not len(rows):
        return base, np.full(len(base), -1)
    per = p.period_before[rows]
    asked = cap[per].copy()  # no `due` (or not a date): to the cap
    if "due" in p.ev.columns:
        values = p.ev["due"].gather(rows)
        ords = {}
        for v in values.unique().to_list():
            if v is not None:
                try:
                    ords[v] = parse_date(v).toordinal()
                except ValueError:
                    pass
        given = values.replace_strict(ords, default=None, return_dtype=pl.Int64)
        asked = np.where(given.is_null().to_numpy(), asked, given.fill_null(0).to_numpy())
    running = np.maximum.accumulate(per * _SPAN + asked) - per * _SPAN  # the latest `due` asked so far
    after = np.minimum(cap[per], np.maximum(base[per], running))  # the limit after each extension
    first = np.ones(len(rows), dtype=bool)
    first[1:] = per[1:] != per[:-1]
    before = np.where(first, base[per], np.roll(after, 1))  # the limit each extension event meets
    late = (p.ord[rows] > before) | (cap[per] < base[per])
    # taken: no extension event of its period up to it came too late
    late_so_far = np.cumsum(late)
    start = np.searchsorted(per, per, side="left")  # the period's first extension event
    taken = late_so_far - np.where(start > 0, late_so_far[np.maximum(start - 1, 0)], 0) == 0
    base, extension = base.copy(), np.full(len(base), -1)
    last = rows[taken]
    base[per[taken]] = after[taken]  # rows in order: each period keeps its last extension's
    extension[per[taken]] = last
    return base, extension
