"""Findings carried as columns: one polars frame per batch, from the checkers to the writers.

Checking a large log makes millions of findings; as Python objects each costs more to build, sort,
pickle and write than to find. So findings travel as frames of FRAME_SCHEMA: a worker's piece of a
log hands its findings back as one frame, the stream keeps them in sorted runs of frames
(replay.spill) and gives them back as batches of whole cases in the findings' order
(docs/formats.md), which the JSON writer turns into text by columns. Finding objects are built
(expand) only where a view needs them: text, CSV, the workbook, the database, a register applied.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Iterable, Iterator

import polars as pl

from ..counting import Counts
from ..model import BREACHES, ClockStop, Event, Finding, Rule
from .workers import NO_ATTRS

# Dates as ordinals (date.toordinal()); `stops`: clock stops flattened, [from, until, ...], until 0
# while a stop still runs; `phase`: 0 checked as its run of rows ended, 1 checked whole afterwards
# (a deferred case: stream.py).
FRAME_SCHEMA = {"case": pl.String, "rule": pl.Int32, "status": pl.String, "t_type": pl.String, "t_ord": pl.Int64,
                "t_seq": pl.Int64, "due": pl.Int64, "a_type": pl.String, "a_ord": pl.Int64, "days_late": pl.Int64,
                "wd_late": pl.Int64, "worker": pl.String, "team": pl.String, "x_type": pl.String,
                "x_ord": pl.Int64, "stops": pl.List(pl.Int64), "note": pl.String, "phase": pl.Int8}
COLUMNS = tuple(FRAME_SCHEMA)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=FRAME_SCHEMA)


def _ord(d: dt.date | None) -> int | None:
    return None if d is None else d.toordinal()


def flat_stops(stops: Iterable[ClockStop]) -> list[int] | None:
    """Finding.clock_stops as a `stops` cell."""
    out = []
    for s in stops:
        out += [s.start.toordinal(), 0 if s.until is None else s.until.toordinal()]
    return out or None


def clock_stops(flat: list | None) -> tuple:
    """A `stops` cell as Finding.clock_stops."""
    if not flat:
        return ()
    d = dt.date.fromordinal
    return tuple(ClockStop(d(s), d(u) if u else None) for s, u in zip(flat[::2], flat[1::2]))


def from_compact(entries: Iterable[tuple]) -> pl.DataFrame:
    """Checked entries (case id, attributes, compact findings (workers.compact), phase) as a frame,
    in their order."""
    cols: dict[str, list] = {k: [] for k in COLUMNS}
    (case, rule, status, t_type, t_ord, t_seq, due, a_type, a_ord, dl, wdl, worker, team, x_type, x_ord, stops,
     note, phase) = cols.values()
    for cid, _, recs, ph in entries:
        for ri, st, tt, td, ts, du, at, ad, d1, d2, w, tm, xt, xd, cs, nt in recs:
            case.append(cid), rule.append(ri), status.append(st), t_type.append(tt), t_ord.append(td.toordinal())
            t_seq.append(ts), due.append(du.toordinal()), a_type.append(at), a_ord.append(_ord(ad))
            dl.append(d1), wdl.append(d2), worker.append(w), team.append(tm), x_type.append(xt)
            x_ord.append(_ord(xd)), stops.append(flat_stops(cs)), note.append(nt), phase.append(ph)
    return pl.DataFrame(cols, schema=FRAME_SCHEMA)


def from_columnar(found: pl.DataFrame) -> pl.DataFrame:
    """The columnar path's findings (replay.columnar.check.FINDING_SCHEMA: every column but
    `phase`, `rule` as Int64) as a frame of FRAME_SCHEMA, checked as their runs ended (phase 0)."""
    return found.with_columns(pl.col("rule").cast(pl.Int32), pl.lit(0, pl.Int8).alias("phase")).select(COLUMNS)


def stop_cells(frame: pl.DataFrame, written, empty: str) -> pl.Series:
    """Each finding's clock stops as one text cell: written(stops cell) where it has stops, else
    `empty` (the writers by columns: JSON's list, CSV's one cell)."""
    has = frame["stops"].list.len().fill_null(0) > 0
    cells = pl.Series("_stops", [empty] * frame.height, dtype=pl.String)
    if has.any():
        where = has.arg_true()
        cells = cells.scatter(where, [written(v) for v in frame["stops"].gather(where).to_list()])
    return cells


def expand(frame: pl.DataFrame, rules: list[Rule], attrs_of) -> Iterator[Finding]:
    """The frame's findings as Finding objects, in its order. attrs_of(case id): its attributes."""
    from_ord = dt.date.fromordinal
    dates: dict[int, dt.date] = {}

    def day(o):
        d = dates.get(o)
        if d is None:
            d = dates[o] = from_ord(o)
        return d
    last, attrs = None, None
    for cid, ri, status, ttype, tord, tseq, due, atype, aord, dl, wdl, worker, team, xtype, xord, st, note, _ \
            in frame.iter_rows():
        if cid != last:
            last, attrs = cid, attrs_of(cid)
        yield Finding(cid, rules[ri], status, Event(day(tord), ttype, NO_ATTRS, tseq), day(due),
                      None if atype is None else Event(day(aord), atype, NO_ATTRS), dl, wdl, attrs, worker, team,
                      None if xtype is None else Event(day(xord), xtype, NO_ATTRS), clock_stops(st), note=note)


def count(frame: pl.DataFrame, rules: list[Rule], counts: Counts) -> None:
    """counts.update over the frame's findings, none excused (casecheck.counting's model)."""
    if not frame.height:
        return
    severe = [i for i, r in enumerate(rules) if r.severity == "breach"]
    by = (frame.group_by("status", pl.col("rule").is_in(severe).alias("severe"))
          .agg(pl.len()).iter_rows())
    for status, is_severe, n in by:
        counts.by_status[status] += n
        if status in BREACHES:
            counts.kinds["breach" if is_severe else "warning"] += n
            if is_severe:
                counts.breach_statuses[status] += n


def missing_by_rule(frame: pl.DataFrame, rules: list[Rule]) -> tuple[Counter, Counter]:
    """(rule id -> `missing` findings, rule id -> cases with one) in the frame."""
    miss = frame.filter(pl.col("status") == "missing")
    n, cases = Counter(), Counter()
    if miss.height:
        for ri, k, c in miss.group_by("rule").agg(pl.len(), pl.col("case").n_unique()).iter_rows():
            n[rules[ri].id] += k
            cases[rules[ri].id] += c
    return n, cases


def rule_ids(frame: pl.DataFrame, rules: list[Rule]) -> set[str]:
    return {rules[i].id for i in frame["rule"].unique().to_list()}
