"""Kind `response` as columns: one forward as-of join per rule, by case and `match` values."""

from __future__ import annotations

import numpy as np
import polars as pl

from ...dates import due_dates
from ...model import Rule
from .outcomes import empty, outcomes

# Stands for a missing `match` attribute: in the replay engine None equals None (two events
# without the attribute match), while a join never matches nulls. No CSV cell or YAML value is
# this string (attribute values come from text, which cannot hold a lone NUL followed by this).
_NONE = "\x00casecheck:none\x00"


def supports(rule: Rule) -> bool:
    return (not rule.unless and rule.lookback is None and not rule.where and rule.within is not None
            and not (rule.extend_by or rule.paused_by or rule.resumed_by))


def response_outcomes(ev: pl.DataFrame, rule: Rule, as_at: int) -> pl.DataFrame:
    """Every outcome of one response rule over `ev` (events on or before as_at, sorted by case
    run, date, seq, with a `pos` column in that order), as outcomes.OUTCOME_SCHEMA."""
    keys = []
    for i, name in enumerate(rule.match):
        col = pl.col(name).fill_null(_NONE) if name in ev.columns else pl.lit(_NONE)
        keys.append(col.alias(f"_k{i}"))
    key_names = [f"_k{i}" for i in range(len(keys))]
    base = ev.select("case", "run", "pos", "ord", "type", "seq", *keys)
    trig = base.filter(pl.col("type").is_in(list(rule.trigger)))
    if trig.height == 0:
        return empty()
    exp = base.filter(pl.col("type").is_in(list(rule.expect))).select(
        "run", *key_names, pl.col("pos").alias("a_pos"), pl.col("ord").alias("a_ord"),
        pl.col("type").alias("a_type"))
    # The first expect after the trigger (in date, input order) with the same case and match
    # values answers it: the replay engine closes every open trigger of that key at an expect.
    j = trig.join_asof(exp, left_on="pos", right_on="a_pos", by=["run", *key_names], strategy="forward",
                       allow_exact_matches=False, check_sortedness=False)
    t_ord = j["ord"].to_numpy()
    due = due_dates(t_ord, rule.within, rule.calendar, rule.beginning_with)
    a_ord = j["a_ord"].fill_null(-1).to_numpy()
    answered = a_ord >= 0
    status = np.where(answered, np.where(a_ord <= due, "met", "late"), np.where(due < as_at, "missing", "due"))
    out = outcomes(j["run"], j["case"], status, j["type"], t_ord, j["seq"], due, j["a_type"], j["a_ord"])
    # optional: the expected event may never come; only its timing, when it does, is judged
    return out.filter(pl.Series(answered)) if rule.optional else out
