"""A piece of a CSV log checked by the columnar path, answered as the usual piece reader answers
(workers.check_chunk): for each run of rows of one case, in file order, the checked entry (case
id, None for the case table's attributes, compact findings, breach?), then the event types read.
The streaming pass judges these exactly as it judges the usual reader's, so deferral, tainting,
spilling and the tally are shared; a piece that is not clean raises NotColumnar and is read the
usual way."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ...model import BREACHES, Rule
from .check import clock_stops, compact_findings, sort_findings
from .frame import piece_frame

_EPOCH = dt.date(1970, 1, 1).toordinal()


def _date(col: str) -> pl.Expr:
    """An ordinal column as dates (polars gives Python dates for them)."""
    return (pl.col(col) - _EPOCH).cast(pl.Date)


def check_piece(file: str, seq_base: int, header: list[str], line_base: int, data: bytes, rules: list[Rule],
                index: dict, as_at: dt.date, keep_all: bool, case_attrs: dict, compact,
                judged_ids: set | None = None) -> list[tuple]:
    """seq_base: the file's seq base (fi << SEQ_SHIFT); line_base: the file's lines before the
    piece. compact: workers.compact, for the findings the replay engine gave (rules handed back)."""
    ev = piece_frame(file, header, data, seq_base + line_base)  # a row's seq: its file's base | its line
    found, handed = compact_findings(ev, rules, as_at, not keep_all, case_attrs, judged_ids)
    recs: dict[str, list] = {}
    # One object per distinct text and date: findings are held (and spilled) by the hundred
    # thousand, and polars gives each row its own copy of a status, a type or a worker's name.
    texts: dict = {None: None}
    one = texts.setdefault
    rows = sort_findings(found, rules).select(
        "case", "rule", "status", "t_type", _date("t_ord"), "t_seq", _date("due"), "a_type", _date("a_ord"),
        "days_late", "wd_late", "worker", "team", "x_type", _date("x_ord"), "stops", "note").rows()
    for cid, ri, status, ttype, td, tseq, due, atype, ad, dl, wdl, worker, team, xtype, xd, st, note in rows:
        recs.setdefault(cid, []).append((ri, one(status, status), one(ttype, ttype), one(td, td), tseq, one(due, due),
                                         one(atype, atype), one(ad, ad), dl, wdl, one(worker, worker), one(team, team),
                                         one(xtype, xtype), one(xd, xd), clock_stops(st), note))
    handed_in = set()
    for f in handed:
        recs.setdefault(f.case, []).append(compact(f, index))
        handed_in.add(f.case)
    severe = {i for i, r in enumerate(rules) if r.severity == "breach"}
    ids = [r.id for r in rules]
    items, done = [], set()
    runs = ev.filter(pl.col("run") != pl.col("run").shift(1).fill_null(-1))
    for cid in runs["case"]:
        # A case with two runs in one piece is not grouped: the pass checks it whole later, so its
        # findings (all given with its first run) are dropped.
        found_here = [] if cid in done else recs.get(cid, [])
        if cid in handed_in and cid not in done:  # Finding.sort_key, the replay engine's among ours
            found_here.sort(key=lambda r: (r[5], ids[r[0]], r[3], r[4]))
        done.add(cid)
        breach = any(r[1] in BREACHES and r[0] in severe for r in found_here)
        items.append(("r", cid, (cid, None, found_here, breach)))  # None: the case table's attributes
    types = {t: [first - seq_base, k] for t, first, k in
             ev.group_by("type").agg(pl.col("seq").min(), pl.len()).iter_rows()}
    items.append(("t", types))
    return items
