"""A piece of a CSV log checked by the columnar path, answered as the usual piece reader answers
(workers.check_chunk): the piece's findings as one frame, then its runs of rows of one case at once
(their case ids in file order, and the ids of those with a breach), then the event types read.
The streaming pass judges these exactly as it judges the usual reader's, so deferral, tainting,
spilling and the tally are shared; a piece that is not clean raises NotColumnar and is read the
usual way."""

from __future__ import annotations

import datetime as dt

import polars as pl

from ...model import BREACHES, Rule
from .. import findings_frame
from .check import compact_findings, sort_findings
from .frame import piece_frame


def check_piece(file: str, seq_base: int, header: list[str], line_base: int, data: bytes, rules: list[Rule],
                index: dict, as_at: dt.date, keep_all: bool, case_attrs: dict, compact,
                judged_ids: set | None = None) -> list[tuple]:
    """seq_base: the file's seq base (fi << SEQ_SHIFT); line_base: the file's lines before the
    piece. compact: workers.compact, for the findings the replay engine gave (rules handed back).
    The findings come back as one frame (replay.findings_frame), the ("f", frame) item; each
    run's entry carries none."""
    ev = piece_frame(file, header, data, seq_base + line_base)  # a row's seq: its file's base | its line
    found, handed = compact_findings(ev, rules, as_at, not keep_all, case_attrs, judged_ids)
    frame = findings_frame.from_columnar(found)
    if handed:
        # the replay engine's findings among ours, in Finding.sort_key's order (ties: ours first)
        extra = findings_frame.from_compact((f.case, None, [compact(f, index)], 0) for f in handed)
        frame = pl.concat([sort_findings(frame, rules), extra])
    frame = sort_findings(frame, rules, stable=bool(handed))
    severe = [i for i, r in enumerate(rules) if r.severity == "breach"]
    breached = set(frame.filter(pl.col("status").is_in(list(BREACHES)) & pl.col("rule").is_in(severe))
                   ["case"].unique().to_list())
    # The runs at once: their case ids in file order, and those with a breach (a case with two
    # runs in one piece is not grouped: the pass checks it whole later, and drops what the piece
    # found for it, phase 0; its breach goes with its first run).
    runs = ev.filter(pl.col("run") != pl.col("run").shift(1).fill_null(-1))["case"].to_list()
    items: list[tuple] = [("f", frame), ("R", runs, sorted(breached))]
    types = {t: [first - seq_base, k] for t, first, k in
             ev.group_by("type").agg(pl.col("seq").min(), pl.len()).iter_rows()}
    items.append(("t", types))
    return items
