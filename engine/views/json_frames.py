"""`check --format json`'s findings written from frames (replay.findings_frame), by columns.

The text is byte for byte what views.findings.write_json writes for the same findings as objects
(tests/test_findings_frames.py): each finding's object is put together with polars string
expressions, its texts JSON-encoded by orjson (once per distinct text that needs escaping), so a
million findings are never a million Python objects.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable, Iterator

import orjson
import polars as pl

from ..model import Rule

_EPOCH = dt.date(1970, 1, 1).toordinal()
_NEEDS_ESCAPE = r'["\\\x00-\x1f]'  # what JSON must escape in a string (orjson escapes no more)
_I = "\n      "  # a finding's fields: the findings array is indented 2, each object 4, its fields 6


def _text(col: str) -> pl.Expr:
    """A text column as JSON: "..." (escaped where needed), null for none."""
    return pl.col(f"_{col}_json")


def _encoded(frame: pl.DataFrame, cols: Iterable[str]) -> pl.DataFrame:
    """The frame with a `_<col>_json` column for each text column: its values as JSON text."""
    exprs = []
    for col in cols:
        c = pl.col(col)
        odd = frame.filter(c.str.contains(_NEEDS_ESCAPE))[col].unique().to_list()
        plain = pl.concat_str(pl.lit('"'), c, pl.lit('"'))
        if odd:
            mapping = {v: orjson.dumps(v).decode() for v in odd}
            plain = pl.when(c.is_in(odd)).then(c.replace_strict(mapping, default=None)).otherwise(plain)
        exprs.append(plain.fill_null("null").alias(f"_{col}_json"))
    return frame.with_columns(exprs)


def _date(col: str) -> pl.Expr:
    """An ordinal column as a quoted ISO date."""
    return pl.concat_str(pl.lit('"'), (pl.col(col) - _EPOCH).cast(pl.Date).dt.strftime("%Y-%m-%d"), pl.lit('"'))


def _event(type_col: str, ord_col: str, indent: str) -> pl.Expr:
    """{"type": ..., "date": ...} indented as orjson's OPT_INDENT_2 writes it at that depth."""
    return pl.concat_str(pl.lit("{" + indent + '  "type": '), _text(type_col), pl.lit("," + indent + '  "date": '),
                         _date(ord_col), pl.lit(indent + "}"))


def _optional_event(type_col: str, ord_col: str) -> pl.Expr:
    return pl.when(pl.col(type_col).is_null()).then(pl.lit("null")).otherwise(_event(type_col, ord_col, _I))


def _int(col: str) -> pl.Expr:
    return pl.col(col).cast(pl.String).fill_null("null")


def _rule_fields(rules: list[Rule]) -> dict[int, str]:
    """Per rule index: its fields from "rule" to "severity", with the separators after each."""
    out = {}
    for i, r in enumerate(rules):
        parts = [("rule", r.id), ("ruleset", r.ruleset.name), ("title", r.title), ("cite", r.cite),
                 ("severity", r.severity)]
        out[i] = "".join(f'"{k}": {orjson.dumps(v).decode()},{_I}' for k, v in parts)
    return out


def _stops(flat: list | None) -> str:
    """A `stops` cell as clock_stops' JSON, indented for a finding's field."""
    if not flat:
        return "[]"
    d = dt.date.fromordinal
    stops = [{"from": d(s).isoformat(), "until": d(u).isoformat() if u else None} for s, u in zip(flat[::2], flat[1::2])]
    return orjson.dumps(stops, option=orjson.OPT_INDENT_2).decode().replace("\n", _I)


def records(frame: pl.DataFrame, rules: list[Rule]) -> str:
    """The frame's findings as the text write_json puts between the findings' brackets for them:
    each object on its own lines, indented, separated by commas (no comma before the first)."""
    if not frame.height:
        return ""
    frame = _encoded(frame, ("case", "status", "t_type", "a_type", "x_type", "worker", "team", "note"))
    has_stops = frame["stops"].list.len().fill_null(0) > 0
    stops = pl.Series("_stops", ["[]"] * frame.height, dtype=pl.String)
    if has_stops.any():
        where = has_stops.arg_true()
        stops = stops.scatter(where, [_stops(v) for v in frame["stops"].gather(where).to_list()])
    fields = _rule_fields(rules)
    rule = pl.col("rule").replace_strict(fields, return_dtype=pl.String)
    obj = pl.concat_str(
        pl.lit("\n    {" + _I + '"case": '), _text("case"), pl.lit("," + _I), rule,
        pl.lit('"status": '), _text("status"),
        pl.lit("," + _I + '"trigger": '), _event("t_type", "t_ord", _I),
        pl.lit("," + _I + '"due": '), _date("due"),
        pl.lit("," + _I + '"actual": '), _optional_event("a_type", "a_ord"),
        pl.lit("," + _I + '"days_late": '), _int("days_late"),
        pl.lit("," + _I + '"working_days_late": '), _int("wd_late"),
        pl.lit("," + _I + '"worker": '), _text("worker"),
        pl.lit("," + _I + '"team": '), _text("team"),
        pl.lit("," + _I + '"extension": '), _optional_event("x_type", "x_ord"),
        pl.lit("," + _I + '"clock_stops": '), pl.col("_stops"),
        pl.lit("," + _I + '"exception": null,' + _I + '"note": '), _text("note"),
        pl.lit("\n    }"))
    texts = frame.with_columns(stops).select(obj.alias("json"))["json"]
    return ",".join(texts.to_list())


def write_records(out, frames: Iterable[pl.DataFrame], rules: list[Rule], count) -> bool:
    """Write every frame's findings (the findings array's contents); count(frame) for each.
    Returns whether any was written."""
    first = True
    for frame in frames:
        count(frame)
        text = records(frame, rules)
        if text:
            out.write(text if first else "," + text)
            first = False
    return not first


def batches(frames: Iterable[pl.DataFrame], rows: int = 20_000) -> Iterator[pl.DataFrame]:
    """Frames cut to at most `rows` rows each: the text of one is held at once."""
    for frame in frames:
        for at in range(0, frame.height, rows):
            yield frame.slice(at, rows)
