"""A columnar prototype of bench/rules-response.yaml's five timed responses: the yardstick the
issue's "within 2x of a columnar prototype" compares casecheck with (bench/run.py's row "columnar
prototype").

    python bench/prototype.py LOG.csv AS_AT [-o BREACHES.ndjson]   ->  one JSON line, as bench/reference.py

What it expresses: `response` rules with `within` in working days (England and Wales), days or
months, and `match` on one attribute; nothing else (no unless, lapses, lookback, extend, clock
stops, in_force, scope, holders, exceptions). That is exactly bench/rules-response.yaml, so its
findings are those of casecheck and of bench/reference.py on that file (the same digest of every
finding). The full library's other kinds (`every`, `max_duration`, `max_total`, ...) are not
expressed: the comparison is on the timed responses only.

How: polars reads the log (every column as text); per rule, one forward as-of join of the
triggers onto the expect events by case and match value, on a key that orders (date, row); due
dates from numpy's business days with the England and Wales bank holidays (`holidays`, as the
reference), month offsets clipped to the month's end (polars' offset_by), days by addition. Events
after AS_AT are dropped first. Breaches (late, missing) are written as NDJSON, one object a line
(case, rule, trigger, due, status, actual); every finding is digested as bench/reference.py does.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import sys

import numpy as np
import polars as pl

# (id, trigger, expect, unit, n, match attribute or None), as in bench/rules-response.yaml
RULES = [("B-MINUTES-15WD", "cin_meeting", "minutes_sent", "wd", 15, "meeting"),
         ("B-SM-REVIEW-26W", "cin_plan_started", "service_manager_review", "days", 182, None),
         ("B-NEXT-STEPS-4M", "cin_plan_started", "team_manager_next_steps", "months", 4, None),
         ("B-S1-20WD", "complaint_received", "stage1_response", "wd", 20, "complaint"),
         ("B-S2-65WD", "stage2_started", "stage2_response", "wd", 65, "complaint")]
SEQ_BITS = 32  # the as-of key: days since 1970 shifted left, plus the row number


def holidays_ew() -> np.ndarray:
    import holidays
    return np.array(sorted(holidays.UnitedKingdom(subdiv="ENG", years=range(2000, 2041))), dtype="datetime64[D]")


def due_dates(dates: pl.Series, unit: str, n: int, hols: np.ndarray) -> pl.Series:
    if unit == "wd":  # the n-th working day after the date: roll back to a working day, then n on
        d = dates.to_numpy().astype("datetime64[D]")
        return pl.Series(np.busday_offset(d, n, roll="backward", holidays=hols))
    if unit == "days":
        return dates + dt.timedelta(days=n)
    return dates.dt.offset_by(f"{n}mo")  # clipped to the month's end, as casecheck's months


def check(log: str, as_at: dt.date) -> tuple[int, pl.DataFrame]:
    """(cases, every finding: case, rule, trigger, due, status, actual)."""
    hols = holidays_ew()
    ev = (pl.read_csv(log, infer_schema=False)
          .with_row_index("seq")
          .with_columns(pl.col("date").str.to_date("%Y-%m-%d")))
    n_cases = ev["case"].n_unique()
    ev = ev.filter(pl.col("date") <= as_at).with_columns(
        key=pl.col("date").cast(pl.Int64) * (1 << SEQ_BITS) + pl.col("seq").cast(pl.Int64))
    out = []
    for rid, trig, exp, unit, n, attr in RULES:
        m = pl.col(attr).fill_null("") if attr else pl.lit("")
        t = ev.filter(pl.col("type") == trig).select("case", "date", "key", m.alias("m")).sort("key")
        e = (ev.filter(pl.col("type") == exp).select("case", pl.col("date").alias("actual"), "key", m.alias("m"))
             .sort("key"))
        j = t.join_asof(e, on="key", by=["case", "m"], strategy="forward", allow_exact_matches=False,
                        check_sortedness=False)
        j = j.with_columns(due=due_dates(j["date"], unit, n, hols))
        out.append(j.select(
            "case", pl.lit(rid).alias("rule"), pl.col("date").alias("trigger"), "due",
            pl.when(pl.col("actual").is_null())
            .then(pl.when(pl.col("due") < as_at).then(pl.lit("missing")).otherwise(pl.lit("due")))
            .when(pl.col("actual") <= pl.col("due")).then(pl.lit("met")).otherwise(pl.lit("late")).alias("status"),
            "actual"))
    return n_cases, pl.concat(out)


def digest(found: pl.DataFrame) -> str:
    """bench/reference.py's digest: sha256 of the sorted (case, rule, trigger, due, status) tuples'
    reprs, one a line (the generated case ids need no escaping in a repr)."""
    s = found.sort("case", "rule", "trigger", "due", "status").select(pl.concat_str(
        pl.lit("('"), "case", pl.lit("', '"), "rule", pl.lit("', '"), pl.col("trigger").cast(pl.Utf8), pl.lit("', '"),
        pl.col("due").cast(pl.Utf8), pl.lit("', '"), "status", pl.lit("')")))
    return hashlib.sha256("\n".join(s.to_series().to_list()).encode()).hexdigest()[:16]


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("as_at")
    ap.add_argument("-o", "--output", default=os.devnull, help="breaches as NDJSON (default: discarded)")
    a = ap.parse_args(argv)
    n_cases, found = check(a.log, dt.date.fromisoformat(a.as_at))
    breaches = found.filter(pl.col("status").is_in(["late", "missing"])).sort("case", "due", "rule", "trigger")
    breaches.write_ndjson(a.output)
    counts = dict(found.group_by("status").len().iter_rows())
    print(json.dumps({"cases": n_cases, "findings": {k: counts[k] for k in sorted(counts)}, "digest": digest(found)}))


if __name__ == "__main__":
    sys.exit(main())
