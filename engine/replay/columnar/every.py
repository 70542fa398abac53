"""Kind `every` as columns (replay.every.Every): an expected event recurring while a period is open.

Within a period the k-th window (0-based) is anchored on the period's start (k = 0) or on the
k-th expect judged in it, and closes at the next judged expect (met or late), else at the until
that closes the period (missing when its judged due date fell before the until), else at the
as-at date (missing or due). An expect is judged only when a period was open before its event;
an event that is expect, until and start is judged in the old period (its expect part is fed
first, then the until closes that period and the start opens the next).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ...dates import due_dates
from ...model import Rule
from ..every import date_of_birth, unknown_age_note
from .attrs import OWN
from .outcomes import empty
from .periods import judged_dues, period_outcomes, periods
from .windows import windows_outcomes


def supports(rule: Rule) -> bool:
    """Every option of Every is expressed: from/where, until, expect, every, first, then, any unit,
    `by_age` (each case's date of birth, and a note where it has none), and fixed `windows` (school
    terms, windows.py); but not `switch` (intervals that events switch, re-timing the open window),
    nor a `where` or `until_where` on a name the chunk uses for its own columns (attrs.OWN)."""
    return (rule.every is not None or bool(rule.windows)) and not rule.switch and OWN.isdisjoint(rule.where) \
        and OWN.isdisjoint(rule.until_where)


def every_outcomes(ev: pl.DataFrame, rule: Rule, as_at: int, case_attrs: dict | None = None) -> pl.DataFrame:
    if rule.windows:
        return windows_outcomes(ev, rule, as_at)
    p = periods(ev, rule, rule.start | rule.until | rule.expect)
    if not len(p.starts):
        return empty()
    judged = p.open_before & p.ev["type"].is_in(list(rule.expect)).to_numpy()
    exp = np.flatnonzero(judged)
    exp_period = p.period_before[exp]
    exp_k = np.arange(len(exp)) - np.searchsorted(exp_period, exp_period, side="left") + 1
    anchors = np.concatenate([p.starts, exp])
    period = np.concatenate([np.arange(len(p.starts)), exp_period])
    k = np.concatenate([np.zeros(len(p.starts), dtype=np.int64), exp_k])
    order = np.lexsort((k, period))
    anchors, period, k = anchors[order], period[order], k[order]
    born = _born(p.ev["case"].gather(anchors), case_attrs or {}) if rule.by_age else None
    due = window_dues(rule, p.ord[anchors], p.ord[p.starts[period]], k, born)
    # The window closes at the period's next anchor (an expect), else at the until closing it.
    answered = np.zeros(len(anchors), dtype=bool)
    answered[:-1] = period[1:] == period[:-1]
    actual = np.where(answered, np.roll(anchors, -1), p.closes[period])
    end = np.where(actual >= 0, p.ord[np.maximum(actual, 0)], as_at)
    due = judged_dues(rule, due, end)
    status = np.where(answered, np.where(end <= due, "met", "late"), np.where(due < end, "missing", "due"))
    # a window closed by an until before its due date gives no outcome
    keep = answered | (actual < 0) | (due < end)
    out = period_outcomes(p, anchors[keep], actual[keep], status[keep], due[keep])
    if rule.by_age:  # a case without a date of birth: each finding says its bands were not checked
        unknown = pl.Series(born[keep] < 0)
        out = out.with_columns(pl.when(unknown).then(pl.lit(unknown_age_note(rule))).otherwise(None).alias("note"))
    return out


def _born(cases: pl.Series, case_attrs: dict) -> np.ndarray:
    """Each row's case's date of birth (replay.every.date_of_birth) as an ordinal, -1 for none."""
    ords = {}
    for cid in cases.unique().to_list():
        d = date_of_birth(case_attrs.get(cid, {}))
        ords[cid] = -1 if d is None else d.toordinal()
    return cases.replace_strict(ords, return_dtype=pl.Int64).to_numpy()


def window_dues(rule: Rule, anchor: np.ndarray, start: np.ndarray, k: np.ndarray,
                born: np.ndarray | None = None) -> np.ndarray:
    """Every._next_due for arrays: the k-th window's duration is first[k], else `every` or the
    last `then` phase (in list order) begun by the anchor, counted from the period's start; or,
    with `by_age` and a date of birth (born: ordinals, -1 for none), the youngest band the child
    is still under on the anchor."""
    nf, nt = len(rule.first), len(rule.then)
    durations = list(rule.first) + [every for _, every in rule.then] + [every for _, every in rule.by_age]
    choice = np.full(len(anchor), -1)  # -1: `every`; else an index into durations
    for i, (after, _) in enumerate(rule.then):
        begun = anchor >= due_dates(start, after, rule.calendar, False)
        choice = np.where(begun, nf + i, choice)
    if born is not None:
        known = born >= 0
        for i in reversed(range(len(rule.by_age))):  # the first band (the youngest) the child is under wins
            under = due_dates(np.where(known, born, anchor), rule.by_age[i][0], rule.calendar, False)
            choice = np.where(known & (anchor < under), nf + nt + i, choice)
    choice = np.where(k < nf, k, choice)
    due = np.empty(len(anchor), dtype=np.int64)
    for i in np.unique(choice):
        pick = choice == i
        dur = rule.every if i < 0 else durations[i]
        due[pick] = due_dates(anchor[pick], dur, rule.calendar, rule.beginning_with)
    return due
