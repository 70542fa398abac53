"""Clock stops (`paused_by`/`resumed_by`) on `response` rules: the columns choose, the Clock decides.

Whether a pause counts depends on the due date as it stands on its day, which depends on every
earlier stop and extension: a sequential fold. So the columns find, for every obligation, the
events that can touch its clock (the `extend.by`, `paused_by` and `resumed_by` events that agree
with it, after its trigger and before the event closing it, which acts first) and whether it
begins stopped (the latest agreeing switch at or before its trigger was a pause: Response
._begins_stopped); only the obligations with any of these are folded, one replay.clock.Clock
each, fed those events in order, so their due dates, extensions and stops are the replay
engine's by construction. The rest keep the due date from the rule.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from ...model import Event, Rule
from ..clock import Clock
from .attrs import attr

STOPS = pl.List(pl.Int64)  # a finding's clock stops: [from, until, from, until, ...] ordinals, 0: still running


def _patterns(part: pl.DataFrame, names: list[str]) -> list[tuple]:
    carries = [pl.col(k).is_not_null() for k in names]
    return part.select(*(c.alias(f"_c{i}") for i, c in enumerate(carries))).unique().rows() if names else [()]


def acts_of(ev: pl.DataFrame, rule: Rule, names: list[str]) -> pl.DataFrame:
    """The events that can act on a clock, with the match attributes they carry (null: not)."""
    types = rule.extend_by | rule.paused_by | rule.resumed_by
    return ev.filter(pl.col("type").is_in(list(types))).select(
        "run", pl.col("pos").alias("_x_pos"), pl.col("ord").alias("_x_ord"), pl.col("type").alias("_x_type"),
        attr(ev, "due").alias("_x_due"), *(attr(ev, name).alias(k) for name, k in zip(rule.match, names)))


def begins_stopped(trig: pl.DataFrame, acts: pl.DataFrame, rule: Rule, names: list[str]) -> list[bool]:
    """For each trigger (rows with run, pos and the `_k` match columns, in pos order), was the
    latest switch agreeing with it, at or before it (its own event's switch parts come first), a
    pause? An event both paused_by and resumed_by resumes last."""
    switches = acts.filter(pl.col("_x_type").is_in(list(rule.paused_by | rule.resumed_by)))
    if not switches.height or not trig.height:
        return [False] * trig.height
    left = trig.select("run", "pos", *names).with_row_index("_r")
    found = []
    for pattern in _patterns(switches, names):
        by = ["run", *(k for k, carried in zip(names, pattern) if carried)]
        keep = [pl.col(k).is_not_null() if carried else pl.col(k).is_null() for k, carried in zip(names, pattern)]
        sw = (switches.filter(*keep) if keep else switches).select(*by, "_x_pos", pl.col("_x_pos").alias("_s_pos"))
        found.append(left.select("_r", "pos", *by).join_asof(
            sw, left_on="pos", right_on="_x_pos", by=by, strategy="backward", allow_exact_matches=True,
            check_sortedness=False).select("_r", "_s_pos"))
    latest = pl.concat(found).group_by("_r").agg(pl.col("_s_pos").max()).sort("_r")["_s_pos"].to_list()
    kind = dict(zip(switches["_x_pos"].to_list(), switches["_x_type"].to_list()))
    return [p is not None and kind[p] in rule.paused_by and kind[p] not in rule.resumed_by for p in latest]


def early_stops(met: pl.DataFrame, ev: pl.DataFrame, rule: Rule, names: list[str]) -> pl.Series:
    """Triggers met early (lookback) open no obligation, but the replay engine's finding carries
    the new clock's stops: a running stop from the trigger's day where it begins stopped."""
    begins = begins_stopped(met, acts_of(ev, rule, names), rule, names)
    return pl.Series("stops", [[o, 0] if b else [] for o, b in zip(met["ord"].to_list(), begins)], dtype=STOPS)


def clocks(j: pl.DataFrame, ev: pl.DataFrame, rule: Rule, names: list[str], as_at: int) -> pl.DataFrame:
    """j (one row per opened obligation, with pos, ord, its `_k` match columns, a_pos/a_ord and
    u_pos/u_ord where closed) given `due` as judged, x_type and x_ord (its extension) and stops."""
    j = j.with_row_index("_i")
    a_first = pl.col("a_pos").is_not_null() & (pl.col("u_pos").is_null() | (pl.col("a_pos") < pl.col("u_pos"))) \
        if "u_pos" in j.columns else pl.col("a_pos").is_not_null()
    closed = [c for c in ("a_pos", "u_pos") if c in j.columns]
    end = pl.when(a_first).then(pl.col("a_ord"))
    if "u_pos" in j.columns:
        end = end.when(pl.col("u_pos").is_not_null()).then(pl.col("u_ord"))
    j = j.with_columns(pl.min_horizontal(*closed).fill_null(1 << 62).alias("_close"),
                       end.otherwise(pl.lit(as_at)).alias("_end"))
    acts = acts_of(ev, rule, names)
    begins = begins_stopped(j, acts, rule, names)
    left = j.select("_i", "run", "pos", "_close", *names)
    pairs = []
    for pattern in _patterns(acts, names):
        by = ["run", *(k for k, carried in zip(names, pattern) if carried)]
        keep = [pl.col(k).is_not_null() if carried else pl.col(k).is_null() for k, carried in zip(names, pattern)]
        part = acts.filter(*keep) if keep else acts
        pairs.append(left.select("_i", "pos", "_close", *by).join(
            part.select(*by, "_x_pos", "_x_ord", "_x_type", "_x_due"), on=by, how="inner")
            .filter((pl.col("_x_pos") > pl.col("pos")) & (pl.col("_x_pos") < pl.col("_close")))
            .select("_i", "_x_pos", "_x_ord", "_x_type", "_x_due"))
    events: dict[int, list] = {}
    for i, _, o, t, due in (pl.concat(pairs).sort("_i", "_x_pos").iter_rows() if pairs else ()):
        events.setdefault(i, []).append((o, t, due))
    dues, x_type, x_ord, stops = j["due"].to_list(), [None] * j.height, [None] * j.height, [[] for _ in range(j.height)]
    for i, (t_ord, e_ord) in enumerate(zip(j["ord"].to_list(), j["_end"].to_list())):
        if not begins[i] and i not in events:
            continue
        clock = Clock(rule, dt.date.fromordinal(t_ord), rule.within, begins[i])
        for o, t, due in events.get(i, ()):
            d = dt.date.fromordinal(o)
            if t in rule.extend_by:
                clock.extend(Event(d, t, {} if due is None else {"due": due}), rule.extend_to)
            if t in rule.paused_by:
                clock.pause(d)
            if t in rule.resumed_by:
                clock.resume(d)
        dues[i] = clock.due(dt.date.fromordinal(e_ord)).toordinal()
        if clock.extension is not None:
            x_type[i], x_ord[i] = clock.extension.type, clock.extension.date.toordinal()
        stops[i] = [n for s in clock.clock_stops() for n in (s.start.toordinal(), s.until.toordinal() if s.until else 0)]
    return j.with_columns(pl.Series("due", dues, dtype=pl.Int64), pl.Series("x_type", x_type, dtype=pl.String),
                          pl.Series("x_ord", x_ord, dtype=pl.Int64), pl.Series("stops", stops, dtype=STOPS))
