"""What the columnar rule kinds share: the shape of their outcomes, and turning outcomes into
findings the way replay.outcomes.Out does (in force, breaches only, how late)."""

from __future__ import annotations

import numpy as np
import polars as pl

from ...dates import working_days_between_ordinals
from ...model import Rule

# One row per outcome, before in_force and lateness: the case's run, the trigger (or period
# anchor) and the actual event (null when none), as ordinals.
OUTCOME_SCHEMA = {"run": pl.Int64, "case": pl.String, "status": pl.String, "t_type": pl.String, "t_ord": pl.Int64,
                  "t_seq": pl.Int64, "due": pl.Int64, "a_type": pl.String, "a_ord": pl.Int64}
_BREACHES = ("late", "missing", "exceeded")


def outcomes(run, case, status, t_type, t_ord, t_seq, due, a_type, a_ord) -> pl.DataFrame:
    return pl.DataFrame({"run": run, "case": case, "status": status, "t_type": t_type, "t_ord": t_ord,
                         "t_seq": t_seq, "due": due, "a_type": a_type, "a_ord": a_ord}, schema=OUTCOME_SCHEMA)


def empty() -> pl.DataFrame:
    return pl.DataFrame(schema=OUTCOME_SCHEMA)


def judged(out: pl.DataFrame, rule: Rule, ri: int, as_at: int, breaches_only: bool,
           seen: set | None = None) -> pl.DataFrame:
    """Outcomes as findings (Out.add): only those whose due date the rule is in force on (and only
    breaches, if asked), with the rule's index and how late each breach is, to its actual event
    or else the as-at date, in days and working days."""
    due = pl.col("due")
    lo, hi = rule.in_force
    keep = pl.lit(True)
    if lo is not None:
        keep &= due >= lo.toordinal()
    if hi is not None:
        keep &= due <= hi.toordinal()
    for begin, end, _ in rule.suspended:
        keep &= ~due.is_between(begin.toordinal(), end.toordinal())
    for begin, end, _ in rule.saved:  # begun within a relaxation a saving provision keeps on
        keep &= ~pl.col("t_ord").is_between(begin.toordinal(), end.toordinal())
    if breaches_only:
        if seen is not None and rule.id not in seen and out.filter(keep).height:
            seen.add(rule.id)  # it judged a case, though only its breaches are kept (Out.judged)
        keep &= pl.col("status").is_in(_BREACHES)
    out = out.filter(keep)
    breach = out["status"].is_in(_BREACHES).to_numpy()
    due_o = out["due"].to_numpy()
    # lateness to the actual event, else the as-at date; or to an `end` column a kind gives
    # (a fixed window's end: Out.add's `end`), dropped here
    end = (out["end"] if "end" in out.columns else out["a_ord"].fill_null(as_at)).to_numpy()
    out = out.drop("end", strict=False)
    wd = np.zeros(out.height, dtype=np.int64)
    if breach.any():
        wd[breach] = working_days_between_ordinals(due_o[breach], end[breach], rule.calendar)
    if "x_type" not in out.columns:  # the extension event, for the kinds that have one
        out = out.with_columns(pl.lit(None, dtype=pl.String).alias("x_type"), pl.lit(None, dtype=pl.Int64).alias("x_ord"))
    if "stops" not in out.columns:  # clock stops (response): [from, until, ...] ordinals, 0 still running
        out = out.with_columns(pl.lit(None, dtype=pl.List(pl.Int64)).alias("stops"))
    # a note on the finding (`counts_from`, `fallback_trigger`, `by_age`), else null: last, so every kind's columns line up
    note = out.get_column("note") if "note" in out.columns else pl.lit(None, dtype=pl.String).alias("note")
    return out.drop("note", strict=False).with_columns(pl.lit(ri, dtype=pl.Int64).alias("rule"),
                            pl.Series("days_late", np.where(breach, end - due_o, 0), dtype=pl.Int64),
                            pl.Series("wd_late", wd, dtype=pl.Int64), note)
