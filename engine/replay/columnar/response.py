"""Kind `response` as columns: one forward as-of join per rule, by case and `match` values."""

from __future__ import annotations


import numpy as np
import polars as pl

from ...dates import due_dates, working_days_between_ordinals
from ...model import Rule

# Stands for a missing `match` attribute: in the replay engine None equals None (two events
# without the attribute match), while a join never matches nulls. No CSV cell or YAML value is
# this string (attribute values come from text, which cannot hold a lone NUL followed by this).
_NONE = "\x00casecheck:none\x00"


def response_findings(ev: pl.DataFrame, rule: Rule, ri: int, as_at: int, breaches_only: bool) -> pl.DataFrame:
    """Findings of one response rule over `ev` (events on or before as_at, sorted by case run,
    date, seq, with a `pos` column in that order), as the columns check.FINDING_SCHEMA less worker
    and team (holders.attribute adds them), and the case's `run`."""
    keys = []
    for i, name in enumerate(rule.match):
        col = pl.col(name).fill_null(_NONE) if name in ev.columns else pl.lit(_NONE)
        keys.append(col.alias(f"_k{i}"))
    key_names = [f"_k{i}" for i in range(len(keys))]
    base = ev.select("case", "run", "pos", "ord", "type", "seq", *keys)
    trig = base.filter(pl.col("type").is_in(list(rule.trigger)))
    if trig.height == 0:
        return _empty()
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
    keep = np.ones(len(j), dtype=bool)
    if rule.optional:
        keep &= answered
    if breaches_only:
        keep &= (status == "late") | (status == "missing")
    lo, hi = rule.in_force
    if lo is not None:
        keep &= due >= lo.toordinal()
    if hi is not None:
        keep &= due <= hi.toordinal()
    end = np.where(answered, a_ord, as_at)
    breach = (status == "late") | (status == "missing")
    days_late = np.where(breach, end - due, 0)
    wd = np.zeros(len(j), dtype=np.int64)
    if breach.any():
        wd[breach] = working_days_between_ordinals(due[breach], end[breach], rule.calendar)
    out = pl.DataFrame({
        "run": j["run"], "case": j["case"], "rule": np.full(len(j), ri, dtype=np.int64), "status": status,
        "t_type": j["type"], "t_ord": t_ord, "t_seq": j["seq"], "due": due,
        "a_type": j["a_type"], "a_ord": j["a_ord"], "days_late": days_late, "wd_late": wd,
    })
    return out.filter(pl.Series(keep))


def _empty() -> pl.DataFrame:
    from .check import FINDING_SCHEMA
    return pl.DataFrame(schema={"run": pl.Int64, **FINDING_SCHEMA}).drop("worker", "team")
