"""Kind `response` as columns: forward as-of joins per rule, by case and `match` values.

An obligation is independent of every other one: it is closed by whichever comes first (in date,
then input order) of two events after its trigger, the first `expect` with the same `match`
values and the first `unless` event that agrees with it, whatever its clock's extensions and
stops (they move only the due date it is judged against). Both are forward as-of joins on the
events' position. On one event `expect` acts before `unless` and both before `extend.by`,
`paused_by`, `resumed_by` and `trigger` (docs/rules.md): an event that is expect and unless answers;
one that is unless and trigger lapses the earlier obligations and opens one it does not lapse
(the joins take only later positions). A trigger met early (`lookback`) opens none; extensions
are extend.py's, clock stops stops.py's.

`fallback_trigger`: a fallback event opens an obligation where it comes first among its case's
triggers and fallbacks of its match values; a later trigger of those values takes it over (no
outcome) unless an expect or unless event closed it first, on an earlier position or the same
event. Its findings carry a note.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from ...dates import due_dates, subtract_ordinals
from ...model import Rule
from ...rules.eventwords import event_words, types_words
from . import extend, stops
from .attrs import OWN as _OWN, attr as _attr, where as _where
from .outcomes import OUTCOME_SCHEMA, empty

# Stands for a missing `match` attribute: in the replay engine None equals None (two events
# without the attribute match), while a join never matches nulls. No CSV cell or YAML value is
# this string (attribute values come from text, which cannot hold a lone NUL followed by this).
_NONE = "\x00casecheck:none\x00"


def supports(rule: Rule) -> bool:
    """Every response rule (`lookback` included: a trigger answered early opens none; `extend` and
    clock stops too: each obligation's clock is its own, stops.py; `fallback_trigger`, where a
    fallback's obligation depends only on the triggers of its match values); but not
    `fallback_trigger` with clock stops (a fallback's clock begins running whatever the stops
    before it), nor `match` or `where` on a name the chunk uses for its own columns."""
    return (rule.within is not None and (not rule.extend_by or rule.extend_to is not None)
            and not (rule.fallback_trigger and (rule.paused_by or rule.resumed_by))
            and _OWN.isdisjoint(rule.match) and _OWN.isdisjoint(rule.where))


def response_outcomes(ev: pl.DataFrame, rule: Rule, as_at: int, case_attrs: dict | None = None) -> pl.DataFrame:
    """Every outcome of one response rule over `ev` (events on or before as_at, sorted by case
    run, date, seq, with a `pos` column in that order), as outcomes.OUTCOME_SCHEMA."""
    # one pass over the chunk for the events the rule names; the parts are taken from those
    ev = ev.filter(pl.col("type").is_in(list(rule.trigger | rule.expect | rule.unless | rule.extend_by
                                             | rule.paused_by | rule.resumed_by | rule.fallback_trigger)))
    key_names = [f"_k{i}" for i in range(len(rule.match))]
    keys = [_attr(ev, name).fill_null(_NONE).alias(k) for name, k in zip(rule.match, key_names)]
    trig = ev.filter(pl.col("type").is_in(list(rule.trigger)) & _where(ev, rule)).select(
        "case", "run", "pos", "ord", "type", "seq", *keys)
    triggers = trig
    early = None
    if rule.lookback is not None:
        # a fallback event the rule takes (`where`) is never an earlier expect (Response.feed)
        earlier = ev.filter(~(pl.col("type").is_in(list(rule.fallback_trigger)) & _where(ev, rule))) \
            if rule.fallback_trigger else ev
        trig, early, met = _answered_early(trig, earlier, rule, keys, key_names)
        if rule.paused_by or rule.resumed_by:  # its finding has the new clock's stops
            early = early.with_columns(pl.lit(None, dtype=pl.String).alias("x_type"),
                                       pl.lit(None, dtype=pl.Int64).alias("x_ord"),
                                       stops.early_stops(met, ev, rule, key_names))
    if rule.fallback_trigger:
        trig = _with_fallbacks(trig, triggers, ev, rule, keys, key_names)
    if trig.height == 0:
        return empty() if early is None else early
    exp = ev.filter(pl.col("type").is_in(list(rule.expect))).select(
        "run", *keys, pl.col("pos").alias("a_pos"), pl.col("ord").alias("a_ord"), pl.col("type").alias("a_type"))
    # The first expect after the trigger (in date, input order) with the same case and match
    # values answers it: the replay engine closes every open trigger of that key at an expect.
    j = trig.join_asof(exp, left_on="pos", right_on="a_pos", by=["run", *key_names], strategy="forward",
                       allow_exact_matches=False, check_sortedness=False)
    j = j.with_columns(pl.Series("due", due_dates(j["ord"].to_numpy(), rule.within, rule.calendar,
                                                  rule.beginning_with), dtype=pl.Int64))
    due, a_ord, a_type = pl.col("due"), pl.col("a_ord"), pl.col("a_type")
    answered = pl.col("a_pos").is_not_null()
    status = (pl.when(answered).then(pl.when(a_ord <= due).then(pl.lit("met")).otherwise(pl.lit("late")))
              .otherwise(pl.when(due < as_at).then(pl.lit("missing")).otherwise(pl.lit("due"))))
    # optional: the expected event may never come; only its timing, when it does, is judged
    keep = answered if rule.optional else None
    if rule.unless:
        j = pl.concat([j, _lapses(j, ev, rule)], how="horizontal")
        u_ord = pl.col("u_ord")
        lapsed = pl.col("u_pos").is_not_null() & (~answered | (pl.col("u_pos") < pl.col("a_pos")))  # same event: expect first
        # On or before the due date the duty is withdrawn; after it, it lapsed undone: missing,
        # late to the unless event (not for optional rules, whose expected event may never come).
        status = pl.when(lapsed).then(pl.when(u_ord <= due).then(pl.lit("withdrawn")).otherwise(pl.lit("missing"))
                                      ).otherwise(status)
        a_ord, a_type = pl.when(lapsed).then(u_ord).otherwise(a_ord), pl.when(lapsed).then("u_type").otherwise(a_type)
        if rule.optional:
            keep = (answered & ~lapsed) | (lapsed & (u_ord <= due))
    x = {}
    if rule.paused_by or rule.resumed_by:  # the due date the statuses above compare with, its stops
        j = stops.clocks(j, ev, rule, key_names, as_at)
        x = {"x_type": pl.String, "x_ord": pl.Int64, "stops": stops.STOPS}
    elif rule.extend_by:  # the due date after its extensions
        j = _extensions(j, ev, rule, key_names)
        x = {"x_type": pl.String, "x_ord": pl.Int64}
    if x and early is not None and "x_type" not in early.columns:  # met early: never open, never extended
        early = early.with_columns(*(pl.lit(None, dtype=t).alias(k) for k, t in x.items()))
    if rule.fallback_trigger:
        # a fallback's obligation taken over by a later trigger before an expect or unless closed it: no outcome
        ends = [pl.col(c).fill_null(1 << 62) for c in ("a_pos", "u_pos") if c in j.columns]
        taken = pl.col("_take").is_not_null() & (pl.col("_take") < pl.min_horizontal(*ends))
        keep = ~taken if keep is None else keep & ~taken
    if keep is not None:
        j = j.filter(keep)
    out = j.select("run", "case", status.alias("status"), pl.col("type").alias("t_type"), pl.col("ord").alias("t_ord"),
                   pl.col("seq").alias("t_seq"), "due", a_type.alias("a_type"), a_ord.alias("a_ord"),
                   *x).cast({**OUTCOME_SCHEMA, **x})
    if rule.fallback_trigger:
        out = out.with_columns(_fallback_notes(out, rule))
        if early is not None:
            early = early.with_columns(pl.lit(None, dtype=pl.String).alias("note"))
    return out if early is None else pl.concat([out, early])


def _with_fallbacks(trig: pl.DataFrame, triggers: pl.DataFrame, ev: pl.DataFrame, rule: Rule, keys: list,
                    names: list[str]) -> pl.DataFrame:
    """The triggers (trig: those not met early) with the obligations `fallback_trigger` events open
    (Response._fallback), in pos order, and `_take`: for a fallback's, the pos of the later trigger
    of its match values that takes it over (null for none, and for a trigger's). A fallback event
    opens one where it comes first among the case's triggers and fallbacks of its match values
    (triggers: all the rule takes, `triggers`, met early or not)."""
    fb = ev.filter(pl.col("type").is_in(list(rule.fallback_trigger)) & _where(ev, rule)).select(
        "case", "run", "pos", "ord", "type", "seq", *keys)
    both = pl.concat([triggers.with_columns(pl.lit(False).alias("_fb")), fb.with_columns(pl.lit(True).alias("_fb"))])
    first = both.sort("pos").unique(subset=["run", *names], keep="first", maintain_order=True).filter("_fb").drop("_fb")
    taker = triggers.select("run", *names, pl.col("pos").alias("_take"))
    first = first.join_asof(taker, left_on="pos", right_on="_take", by=["run", *names], strategy="forward",
                            allow_exact_matches=False, check_sortedness=False)
    return pl.concat([trig.with_columns(pl.lit(None, dtype=first["_take"].dtype).alias("_take")), first]).sort("pos")


def _fallback_notes(out: pl.DataFrame, rule: Rule) -> pl.Expr:
    """Response.note: on an obligation a fallback event opened, that it was counted from it."""
    words = {t: event_words(t) for t in rule.fallback_trigger}
    days = {o: str(dt.date.fromordinal(o)) for o in out["t_ord"].unique().to_list()}
    fb = pl.col("t_type").is_in(list(rule.fallback_trigger))
    return pl.when(fb).then(pl.concat_str(
        pl.lit("counted from the "), pl.col("t_type").replace_strict(words, default=None), pl.lit(" event on "),
        pl.col("t_ord").replace_strict(days, return_dtype=pl.String),
        pl.lit(f": no {types_words(rule.trigger)} event is recorded for it"))).otherwise(None).alias("note")


def _extensions(j: pl.DataFrame, ev: pl.DataFrame, rule: Rule, names: list[str]) -> pl.DataFrame:
    """`extend: {by, to}` (extend.py): each obligation's due date after the extension events that
    agree with it (replay.outcomes.agrees: the `match` keys they carry), after its trigger and
    before the expect or unless event closing it (which acts first), and its last extension as
    x_type and x_ord. Extension events are grouped by which keys they carry, as in _lapses."""
    j = j.with_row_index("_i")
    ends = [c for c in ("a_pos", "u_pos") if c in j.columns]
    j = j.with_columns(pl.min_horizontal(*ends).fill_null(1 << 62).alias("_close"))
    ext = ev.filter(pl.col("type").is_in(list(rule.extend_by))).select(
        "run", pl.col("pos").alias("_x_pos"), pl.col("ord").alias("_x_ord"), pl.col("type").alias("_x_type"),
        _attr(ev, "due").alias("_x_due"), *(_attr(ev, name).alias(k) for name, k in zip(rule.match, names)))
    carries = [pl.col(k).is_not_null() for k in names]
    patterns = ext.select(*(c.alias(f"_c{i}") for i, c in enumerate(carries))).unique().rows() if names else [()]
    left = j.select("_i", "run", "pos", "_close", *names)
    pairs = []
    for pattern in patterns:
        by = ["run", *(k for k, carried in zip(names, pattern) if carried)]
        part = ext.filter(*(c if carried else ~c for c, carried in zip(carries, pattern)))
        pairs.append(left.select("_i", "pos", "_close", *by).join(
            part.select(*by, "_x_pos", "_x_ord", "_x_type", "_x_due"), on=by, how="inner")
            .filter((pl.col("_x_pos") > pl.col("pos")) & (pl.col("_x_pos") < pl.col("_close")))
            .select("_i", "_x_pos", "_x_ord", "_x_type", "_x_due"))
    pairs = pl.concat(pairs).sort("_i", "_x_pos") if pairs else None
    due = j["due"].to_numpy()
    cap = due_dates(j["ord"].to_numpy(), rule.extend_to, rule.calendar, rule.beginning_with)
    if pairs is None or pairs.height == 0:
        return j.with_columns(pl.lit(None, dtype=pl.String).alias("x_type"), pl.lit(None, dtype=pl.Int64).alias("x_ord"))
    group = pairs["_i"].to_numpy().astype(np.int64)
    due, last = extend.extended(group, pairs["_x_ord"].to_numpy(), extend.asked(pairs["_x_due"], cap[group]), due, cap)
    x = pl.Series(last, dtype=pl.Int64)
    x = x.set(x < 0, None)
    return j.with_columns(pl.Series("due", due, dtype=pl.Int64), pairs["_x_type"].gather(x).alias("x_type"),
                          pairs["_x_ord"].gather(x).alias("x_ord"))


def _answered_early(trig: pl.DataFrame, ev: pl.DataFrame, rule: Rule, keys: list, key_names: list[str]):
    """`lookback` (replay.response.Response._answered_early): a trigger with an expect of its
    `match` values before it (in date, then input order; an event that is both is not its own),
    dated within `lookback` before it, is met by the latest such expect and opens nothing. Expects
    are never used up: one may answer several triggers early, and close an obligation too. The
    latest matching expect before the trigger is one backward as-of join; it is within the
    lookback or none is. Returns the other triggers, and the early ones' outcomes."""
    exp = ev.filter(pl.col("type").is_in(list(rule.expect))).select(
        "run", *keys, pl.col("pos").alias("e_pos"), pl.col("ord").alias("e_ord"), pl.col("type").alias("e_type"))
    b = trig.join_asof(exp, left_on="pos", right_on="e_pos", by=["run", *key_names], strategy="backward",
                       allow_exact_matches=False, check_sortedness=False)
    since = subtract_ordinals(b["ord"].to_numpy(), rule.lookback)
    early = (b["e_pos"].is_not_null() & (b["e_ord"] >= pl.Series(since))).fill_null(False)
    met = b.filter(early)
    out = met.select("run", "case", pl.lit("met").alias("status"), pl.col("type").alias("t_type"),
                     pl.col("ord").alias("t_ord"), pl.col("seq").alias("t_seq"),
                     pl.Series("due", due_dates(met["ord"].to_numpy(), rule.within, rule.calendar, rule.beginning_with),
                               dtype=pl.Int64),
                     pl.col("e_type").alias("a_type"), pl.col("e_ord").alias("a_ord")).cast(OUTCOME_SCHEMA)
    return b.filter(~early).select(trig.columns), out, met


def _lapses(j: pl.DataFrame, ev: pl.DataFrame, rule: Rule) -> pl.DataFrame:
    """For each trigger in `j` (sorted by pos, with its `_k` match columns), the first later
    `unless` event that agrees with it (replay.outcomes.agrees): its u_pos, u_ord and u_type
    (null when none). An unless event is compared only on the match keys it carries, so unless
    events are grouped by which keys they carry (few patterns), one forward as-of join per
    pattern, and the earliest taken."""
    names = [f"_k{i}" for i in range(len(rule.match))]
    un = ev.filter(pl.col("type").is_in(list(rule.unless))).select(
        "run", pl.col("pos").alias("_u_pos"), pl.col("ord").alias("_u_ord"), pl.col("type").alias("_u_type"),
        *(_attr(ev, name).alias(k) for name, k in zip(rule.match, names)))
    carries = [pl.col(k).is_not_null() for k in names]
    patterns = un.select(*(c.alias(f"_c{i}") for i, c in enumerate(carries))).unique().rows() if names else [()]
    left = j.select("run", "pos", *names)
    hits = []
    for n, pattern in enumerate(patterns):
        by = ["run", *(k for k, carried in zip(names, pattern) if carried)]
        part = un.filter(*(c if carried else ~c for c, carried in zip(carries, pattern)))
        hit = left.join_asof(part.select(*by, "_u_pos", "_u_ord", "_u_type"), left_on="pos", right_on="_u_pos",
                             by=by, strategy="forward", allow_exact_matches=False, check_sortedness=False)
        hits += [hit["_u_pos"].alias(f"p{n}"), hit["_u_ord"].alias(f"o{n}"), hit["_u_type"].alias(f"t{n}")]
    if not hits:
        return pl.DataFrame({"u_pos": [None] * j.height, "u_ord": [None] * j.height, "u_type": [None] * j.height},
                            schema={"u_pos": pl.Int64, "u_ord": pl.Int64, "u_type": pl.String})
    first = pl.min_horizontal(*(f"p{n}" for n in range(len(patterns))))
    at_first = [pl.col(f"p{n}") == first for n in range(len(patterns))]
    return pl.DataFrame(hits).select(
        first.alias("u_pos"),
        pl.coalesce(*(pl.when(w).then(f"o{n}") for n, w in enumerate(at_first))).alias("u_ord"),
        pl.coalesce(*(pl.when(w).then(f"t{n}") for n, w in enumerate(at_first))).alias("u_type"))
