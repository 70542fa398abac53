"""Kind `max_duration` as columns (replay.max_duration.MaxDuration): a period that must not last
longer than its limit. The until closing it is met on or before the (judged) limit date, else
exceeded; a period still open at the as-at date is exceeded once that date is past its limit,
else due.

`extend: {by, to}`: extension events while the period is open, after its start and before the
until closing it (which is fed first), as extend.py; `extend: {by, each}` (successive extensions,
no cap) from the same events, one round per extension of a period; `lift: {by, until}`: the
periods with a lifting event folded through the replay engine's Clock.

`counts_from: {from, until}`: the limit (and an extension's cap) counts from the start of the
other period running on the day the period starts: the last `counts_from.from` event up to and
including the start event, not ended (by the first `counts_from.until` event after it) on an
earlier day. Such a finding's note says so."""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ...dates import due_dates
from ...model import Event, Rule
from ..clock import Clock
from ...rules.eventwords import types_words
from . import extend
from .attrs import OWN
from .outcomes import empty
from .periods import Periods, judged_dues, period_outcomes, periods


def supports(rule: Rule) -> bool:
    """`extend` with a cap (`to`) or successive (`each`), `counts_from` and `lift` (a limit lifted
    and restored by events); but not clock stops, nor a `where` or `until_where` on a name the
    chunk uses for its own columns (attrs.OWN)."""
    return rule.limit is not None and not (rule.paused_by or rule.resumed_by) \
        and OWN.isdisjoint(rule.where) and OWN.isdisjoint(rule.until_where)


def max_duration_outcomes(ev: pl.DataFrame, rule: Rule, as_at: int, case_attrs: dict | None = None) -> pl.DataFrame:
    p = periods(ev, rule, rule.start | rule.until | rule.extend_by | rule.counts_from[0] | rule.counts_from[1]
                | rule.lift_by | rule.lift_until)
    if not len(p.starts):
        return empty()
    closed = p.closes >= 0
    end = np.where(closed, p.ord[np.maximum(p.closes, 0)], as_at)
    begins = _counted_from(p, rule) if rule.counts_from[0] else p.ord[p.starts]
    base = due_dates(begins, rule.limit, rule.calendar, rule.beginning_with)
    extension = np.full(len(p.starts), -1)
    if rule.extend_each is not None:
        base, extension = _successive(p, rule, base)
    elif rule.extend_by:
        base, extension = _extended(p, rule, base, begins)
    lifted = np.zeros(len(base), dtype=bool)
    if rule.lift_by:
        base, extension, lifted = _lifted(p, rule, base, extension, begins)
    # a limit lifted when judged does not run out: Clock.due's max(base, the day judged)
    limit = judged_dues(rule, np.where(lifted, np.maximum(base, end), base), end)
    status = np.where(end > limit, "exceeded", np.where(closed, "met", "due"))
    out = period_outcomes(p, p.starts, p.closes, status, limit)
    x = pl.Series(extension, dtype=pl.Int64)
    x = x.set(x < 0, None)
    out = out.with_columns(p.ev["type"].gather(x).alias("x_type"), p.ev["ord"].gather(x).alias("x_ord"))
    if rule.counts_from[0]:
        out = out.with_columns(pl.Series("note", _notes(rule, begins, p.ord[p.starts]), dtype=pl.String))
    return out


def _counted_from(p: Periods, rule: Rule) -> np.ndarray:
    """The date (ordinal) each period's limit counts from (replay MaxDuration._counted_from): the
    last `counts_from.from` event up to its start event, in its case, where the first
    `counts_from.until` event after that (an event of both types is a `from`) is later than the
    start event or on its day; else the start's own date."""
    t = p.ev["type"]
    run = p.ev["run"].to_numpy()
    rows = np.arange(p.ev.height)
    is_from = t.is_in(list(rule.counts_from[0])).to_numpy()
    untils = np.flatnonzero(t.is_in(list(rule.counts_from[1] - rule.counts_from[0])).to_numpy())
    last = np.maximum.accumulate(np.where(is_from, rows, -1))[p.starts]
    began = (last >= 0) & (run[np.maximum(last, 0)] == run[p.starts])
    j = np.searchsorted(untils, last, side="right")
    u = untils[np.minimum(j, len(untils) - 1)] if len(untils) else np.zeros(len(last), dtype=np.int64)
    ended = (j < len(untils)) & (u <= p.starts) & (p.ord[u] < p.ord[p.starts])
    return np.where(began & ~ended, p.ord[np.maximum(last, 0)], p.ord[p.starts])


def _notes(rule: Rule, begins: np.ndarray, starts: np.ndarray) -> list:
    """The note on a finding whose limit counts from another period (MaxDuration.feed's), else None."""
    words = types_words(rule.counts_from[0])
    d = dt.date.fromordinal
    return [None if b == s else f"counted from {d(b)}, when the {words} period that was running on {d(s)} began"
            for b, s in zip(begins.tolist(), starts.tolist())]


def _extension_rows(p: Periods, rule: Rule, types=None) -> np.ndarray:
    """The rows of extension events (or events of `types`) while a period is open (the until
    closing a period is fed before its extension and lift parts: it extends or lifts nothing)."""
    is_ext = p.ev["type"].is_in(list(rule.extend_by if types is None else types)).to_numpy() & p.open_before
    return np.flatnonzero(is_ext & (p.closes[p.period_before] != np.arange(len(is_ext))))


def _lifted(p: Periods, rule: Rule, base: np.ndarray, extension: np.ndarray,
            begins: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """`lift: {by, until}`: whether a lift holds depends on the limit on its day, which depends on
    every extension and lift before it, a fold. So the columns pick the periods with a `lift.by`
    event while open, and only those are folded, one replay Clock each, fed their extension and
    lift events in order (MaxDuration.feed's: extend, lift, restore), so their limits, extensions
    and lifts are the replay engine's by construction. Returns base, extension (rows) and
    whether each period's limit is lifted at its end."""
    base, extension, lifted = base.copy(), extension.copy(), np.zeros(len(base), dtype=bool)
    rows = _extension_rows(p, rule, rule.extend_by | rule.lift_by | rule.lift_until)
    per = p.period_before[rows]
    types = p.ev["type"].gather(rows).to_list()
    folded = set(per[[t in rule.lift_by for t in types]].tolist())
    if not folded:
        return base, extension, lifted
    dues = p.ev["due"].gather(rows).to_list() if "due" in p.ev.columns else [None] * len(rows)
    day = dt.date.fromordinal
    clocks: dict = {}
    for r, g, t, due in zip(rows.tolist(), per.tolist(), types, dues):
        if g not in folded:
            continue
        clock = clocks.get(g)
        if clock is None:
            clock = clocks[g] = Clock(rule, day(int(begins[g])), rule.limit)
        ev = Event(day(int(p.ord[r])), t, {} if due is None else {"due": due}, r)  # seq: its row
        if t in rule.extend_by:
            clock.extend_each(ev) if rule.extend_each is not None else clock.extend(ev, rule.extend_to)
        if t in rule.lift_by:
            clock.lift(ev)
        if t in rule.lift_until:
            clock.restore(ev)
    for g, clock in clocks.items():
        base[g] = clock.base.toordinal()
        extension[g] = -1 if clock.extension is None else clock.extension.seq
        lifted[g] = clock.lifted
    return base, extension, lifted


def _successive(p: Periods, rule: Rule, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """`extend: {by, each, after}` (replay Clock.extend_each): each extension event on or before
    the limit as it then stands moves it to `each` after that limit (`after: end`) or after its own
    date (`after: extension`), or to its `due` kept between the limit and that; never earlier. Each
    step needs the limit the last one left, so the k-th extension events of all periods are taken
    together, one round per k."""
    rows = _extension_rows(p, rule)
    base, last = base.copy(), np.full(len(base), -1)
    if not len(rows):
        return base, last
    per = p.period_before[rows]
    when = p.ord[rows]
    no_date = np.full(len(rows), -1)
    asked = extend.asked(p.ev["due"].gather(rows), no_date) if "due" in p.ev.columns else no_date
    rank = np.arange(len(rows)) - np.searchsorted(per, per, side="left")  # the k-th of its period
    by_extension = rule.extend_after != "end"
    if by_extension:  # steps from the events' own dates: known before the rounds
        step = due_dates(when, rule.extend_each, rule.calendar, False)
    for k in range(int(rank.max()) + 1):
        i = np.flatnonzero(rank == k)
        g = per[i]
        limit = base[g]
        cap = step[i] if by_extension else due_dates(limit, rule.extend_each, rule.calendar, False)
        new = np.where(asked[i] >= 0, np.minimum(np.maximum(asked[i], limit), cap), cap)
        take = (when[i] <= limit) & (new >= limit)
        base[g[take]] = new[take]
        last[g[take]] = rows[i[take]]
    return base, last


def _extended(p: Periods, rule: Rule, base: np.ndarray, begins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each period's limit after its extensions, and the row of the last extension it took (-1: none).
    begins: the date each period's limit counts from, which its cap counts from too."""
    cap = due_dates(begins, rule.extend_to, rule.calendar, rule.beginning_with)
    rows = _extension_rows(p, rule)
    per = p.period_before[rows]
    wanted = extend.asked(p.ev["due"].gather(rows) if "due" in p.ev.columns else None, cap[per])
    base, last = extend.extended(per, p.ord[rows], wanted, base, cap)
    return base, np.where(last >= 0, rows[np.maximum(last, 0)], -1) if len(rows) else last
