"""Who held the case (docs/rules.md), as columns: replay.holders' rule by one backward as-of join per
holder attribute. Each finding takes `worker` and `team` each from the last `worker_allocated`
event dated on or before its due date that carries it (same-date allocations in input order),
else from the case attribute of that name."""

from __future__ import annotations

import polars as pl

from ...model import WORKER_ALLOCATED
from ..holders import HOLDER_ATTRS, from_case


def attribute(found: pl.DataFrame, ev: pl.DataFrame, case_attrs: dict) -> pl.DataFrame:
    """found (with `run` and `due`) given worker and team columns. ev: the chunk's events on or
    before the as-at date (later allocations are ignored, as every later event is), with `pos`."""
    found = found.sort("run", "due")
    allocs = ev.filter(pl.col("type") == WORKER_ALLOCATED)
    for i, key in enumerate(HOLDER_ATTRS):
        fallback = pl.col("case").replace_strict({cid: from_case(a)[i] for cid, a in case_attrs.items()},
                                                 default=None, return_dtype=pl.String)
        if key in allocs.columns:
            held = (allocs.filter(pl.col(key).is_not_null() & (pl.col(key) != ""))
                    .sort("pos").unique(subset=["run", "ord"], keep="last", maintain_order=True)
                    .select("run", pl.col("ord").alias("_held_from"), pl.col(key).alias("_held")))
            found = found.join_asof(held, left_on="due", right_on="_held_from", by="run", strategy="backward",
                                    check_sortedness=False)
            found = found.with_columns(pl.coalesce("_held", fallback).alias(key)).drop("_held", "_held_from")
        else:
            found = found.with_columns(fallback.alias(key))
    return found
