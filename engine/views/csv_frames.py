"""`check --format csv`'s rows written from frames (replay.findings_frame), by columns.

The bytes are those views.findings.write_csv writes for the same findings as objects
(tests/test_findings_frames.py): every cell prepared as text by polars (dates, the clock stops' one
cell, the formula-safe ' before case text a spreadsheet would run), then handed to the csv module
in rows, so quoting is the csv module's own. A row with a carriage return in a cell is written
with every cell quoted, as the object writer does (views.findings.spreadsheet_writer).
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Iterable, TextIO

import polars as pl

from ..columns import CHECK_CSV_FIELDS
from ..inputs.values import FORMULA_START
from ..model import Rule
from ..replay.findings_frame import clock_stops, stop_cells
from .findings import safe_cell

_EPOCH = dt.date(1970, 1, 1).toordinal()
_FORMULA = "^[" + "".join("\\" + c if c in "-^]\\" else c for c in FORMULA_START).replace("\t", "\\t").replace(
    "\r", "\\r") + "]"


def _safe(col: str) -> pl.Expr:
    """Case text as safe_cell writes it: a ' before text a spreadsheet would run as a formula."""
    c = pl.col(col)
    return pl.when(c.str.contains(_FORMULA)).then(pl.concat_str(pl.lit("'"), c)).otherwise(c)


def _date(col: str) -> pl.Expr:
    return (pl.col(col) - _EPOCH).cast(pl.Date).dt.strftime("%Y-%m-%d")


def _stops(flat: list) -> str:
    """A `stops` cell as the CSV's one cell, as views.findings.flatten writes ClockStop.as_dict."""
    return "; ".join(f"{s['from']}..{s['until'] or ''}" for s in (c.as_dict() for c in clock_stops(flat)))


def _rule_cells(rules: list[Rule]) -> dict[str, dict[int, str]]:
    cells = {"rule": lambda r: r.id, "ruleset": lambda r: r.ruleset.name, "title": lambda r: r.title,
             "cite": lambda r: r.cite, "severity": lambda r: r.severity}
    return {k: {i: safe_cell(get(r)) for i, r in enumerate(rules)} for k, get in cells.items()}


def rows(frame: pl.DataFrame, rules: list[Rule], per_rule: dict | None = None) -> pl.DataFrame:
    """The frame's findings as CHECK_CSV_FIELDS text columns (null: an empty cell). per_rule:
    _rule_cells(rules), where the caller holds them."""
    per_rule = per_rule or _rule_cells(rules)
    stops = stop_cells(frame, _stops, "").alias("clock_stops")
    rule = {k: pl.col("rule").replace_strict(v, return_dtype=pl.String).alias(k) for k, v in per_rule.items()}
    exprs = {
        "case": _safe("case"), **rule, "status": pl.col("status"),
        "trigger_type": _safe("t_type"), "trigger_date": _date("t_ord"), "due": _date("due"),
        "actual_type": _safe("a_type").fill_null(""), "actual_date": _date("a_ord").fill_null(""),
        "days_late": pl.col("days_late").cast(pl.String), "working_days_late": pl.col("wd_late").cast(pl.String),
        "worker": _safe("worker").fill_null(""), "team": _safe("team").fill_null(""),
        "extension_type": _safe("x_type").fill_null(""), "extension_date": _date("x_ord").fill_null(""),
        "clock_stops": pl.col("clock_stops"), "excused": pl.lit("false"), "exception_reason": pl.lit(""),
        "exception_approved_by": pl.lit(""), "exception_approved_on": pl.lit("")}
    return frame.with_columns(stops).select(exprs[k].alias(k) for k in CHECK_CSV_FIELDS)


def write_csv(out: TextIO, frames: Iterable[pl.DataFrame], rules: list[Rule]) -> None:
    """check's CSV (header and rows) from frames, as views.findings.write_csv writes it."""
    plain = csv.writer(out, lineterminator="\n")
    quoted = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n")
    plain.writerow(CHECK_CSV_FIELDS)
    per_rule = _rule_cells(rules)
    for frame in frames:
        if not frame.height:
            continue
        cells = rows(frame, rules, per_rule)
        cr = cells.select(pl.any_horizontal(pl.all().str.contains("\r", literal=True)).fill_null(False))
        crs = cr.to_series()
        if not crs.any():
            plain.writerows(cells.iter_rows())
            continue
        for row, q in zip(cells.iter_rows(), crs):
            (quoted if q else plain).writerow(row)
