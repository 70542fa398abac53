"""`extend: {by, to}` as columns, shared by `response` and `max_duration` (replay.clock.Clock.extend
without stops or lifts): an extension event on or before the due date as it then stands moves it
to the cap (start + `to`), or to its `due` attribute kept between that due date and the cap.

The due date never falls and a deadline's extension events come in date order, so once one comes
too late every later one does: the extensions a deadline takes are its first extension events up
to the first that comes after the due date it meets, and the due date after each is the cap, or
the latest `due` asked so far kept between the first due date and the cap (a running maximum). A
deadline whose cap falls before its own due date is never extended (Clock.extend's `new >= base`).
"""

from __future__ import annotations

import numpy as np
import polars as pl

from ...dates import parse_date

_SPAN = 1 << 22  # more than any date's ordinal: group * _SPAN + ordinal keeps a running maximum per group


def asked(values: pl.Series | None, cap: np.ndarray) -> np.ndarray:
    """The date each extension event asks for: its `due` attribute (values, text or null) where
    that is a date, else the cap."""
    if values is None:
        return cap.copy()
    ords = {}
    for v in values.unique().to_list():
        if v is not None:
            try:
                ords[v] = parse_date(v).toordinal()
            except ValueError:
                pass  # not an ISO date: to the cap, as an extension without `due`
    given = values.replace_strict(ords, default=None, return_dtype=pl.Int64)
    return np.where(given.is_null().to_numpy(), cap, given.fill_null(0).to_numpy())


def extended(group: np.ndarray, when: np.ndarray, wanted: np.ndarray, base: np.ndarray,
             cap: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each deadline's due date after its extensions, and the index (into the extension rows) of the
    last extension it took, -1 for none. group: each extension row's deadline (non-decreasing, the
    rows of one deadline in event order); when: its date; wanted: the date it asks (asked());
    base, cap: each deadline's own due date and cap."""
    base, last = base.copy(), np.full(len(base), -1)
    if not len(group):
        return base, last
    running = np.maximum.accumulate(group * _SPAN + wanted) - group * _SPAN  # the latest date asked so far
    after = np.minimum(cap[group], np.maximum(base[group], running))  # the due date after each extension
    first = np.ones(len(group), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    before = np.where(first, base[group], np.roll(after, 1))  # the due date each extension event meets
    late = (when > before) | (cap[group] < base[group])
    late_so_far = np.cumsum(late)
    start = np.searchsorted(group, group, side="left")  # the deadline's first extension row
    taken = late_so_far - np.where(start > 0, late_so_far[np.maximum(start - 1, 0)], 0) == 0
    rows = np.flatnonzero(taken)
    base[group[rows]] = after[rows]  # rows in order: each deadline keeps its last extension's
    last[group[rows]] = rows
    return base, last
