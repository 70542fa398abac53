"""`check --format json`'s findings written from frames (replay.findings_frame), by columns.

The text is byte for byte what views.findings.write_json writes for the same findings as objects
(tests/test_findings_frames.py): each finding's object is put together with polars string
expressions, its texts JSON-encoded by orjson (once per distinct text that needs escaping), and
written to the file by polars as bytes, so a million findings are never a million Python
objects, nor a million Python strings.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Iterable, Iterator

import orjson
import polars as pl

from ..model import Rule
from ..replay.findings_frame import clock_stops, stop_cells

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


def _dates(frame: pl.DataFrame) -> dict[int, str]:
    """Each date the frame holds (as an ordinal), as quoted ISO text: a lookup is cheaper than
    formatting every cell, as a batch repeats a few thousand dates."""
    ords = pl.concat([frame[c].drop_nulls() for c in ("t_ord", "due", "a_ord", "x_ord")]).unique().to_list()
    return {o: '"' + dt.date.fromordinal(o).isoformat() + '"' for o in ords}


def _event(type_col: str, ord_col, indent: str) -> list:
    """{"type": ..., "date": ...} indented as orjson's OPT_INDENT_2 writes it at that depth: the
    parts for concat_str."""
    return [pl.lit("{" + indent + '  "type": '), _text(type_col), pl.lit("," + indent + '  "date": '), ord_col,
            pl.lit(indent + "}")]


def _optional_event(type_col: str, ord_col) -> pl.Expr:
    return (pl.when(pl.col(type_col).is_null()).then(pl.lit("null"))
            .otherwise(pl.concat_str(_event(type_col, ord_col, _I))))


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


def _stops(flat: list) -> str:
    """A `stops` cell as clock_stops' JSON (ClockStop.as_dict, as the object writer gives it),
    indented for a finding's field."""
    return orjson.dumps([s.as_dict() for s in clock_stops(flat)], option=orjson.OPT_INDENT_2).decode().replace("\n", _I)


def texts(frame: pl.DataFrame, rules: list[Rule], fields: dict[int, str] | None = None) -> pl.Series:
    """Each finding of the frame as write_json writes it in the findings array, after a comma:
    ',\n    {\n      "case": ...\n    }'. fields: _rule_fields(rules), where the caller holds them."""
    frame = _encoded(frame, ("case", "status", "t_type", "a_type", "x_type", "worker", "team", "note"))
    stops = stop_cells(frame, _stops, "[]")
    days = _dates(frame)

    def day(col):
        return pl.col(col).replace_strict(days, default=None, return_dtype=pl.String)
    rule = pl.col("rule").replace_strict(fields or _rule_fields(rules), return_dtype=pl.String)
    obj = pl.concat_str(
        pl.lit(",\n    {" + _I + '"case": '), _text("case"), pl.lit("," + _I), rule,
        pl.lit('"status": '), _text("status"),
        pl.lit("," + _I + '"trigger": '), *_event("t_type", day("t_ord"), _I),
        pl.lit("," + _I + '"due": '), day("due"),
        pl.lit("," + _I + '"actual": '), _optional_event("a_type", day("a_ord")),
        pl.lit("," + _I + '"days_late": '), _int("days_late"),
        pl.lit("," + _I + '"working_days_late": '), _int("wd_late"),
        pl.lit("," + _I + '"worker": '), _text("worker"),
        pl.lit("," + _I + '"team": '), _text("team"),
        pl.lit("," + _I + '"extension": '), _optional_event("x_type", day("x_ord")),
        pl.lit("," + _I + '"clock_stops": '), pl.col("_stops"),
        pl.lit("," + _I + '"exception": null,' + _I + '"note": '), _text("note"),
        pl.lit("\n    }"))
    return frame.with_columns(stops).select(obj.alias("json"))["json"]


def _bytes_out(out):
    """The binary file under a UTF-8 text stream that translates no newline, or None: there the
    findings' text is written by polars as bytes, never made into Python strings."""
    buffer = getattr(out, "buffer", None)
    encoding = (getattr(out, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return buffer if buffer is not None and encoding == "utf8" and os.linesep == "\n" else None


def _os_error(e: OSError) -> OSError:
    """polars' OSError as Python's own (its errno and the system's words for it), so a failed
    write is reported as any other: "File too large", not "File too large (os error 27)"."""
    found = re.search(r"\(os error (\d+)\)", str(e))
    if e.errno is None and found:
        return OSError(int(found.group(1)), os.strerror(int(found.group(1))))
    return e


def write_records(out, frames: Iterable[pl.DataFrame], rules: list[Rule], count) -> bool:
    """Write every frame's findings (the findings array's contents); count(frame) for each.
    Returns whether any was written."""
    first, raw, fields = True, _bytes_out(out), _rule_fields(rules)
    for frame in frames:
        count(frame)
        if not frame.height:
            continue
        text = texts(frame, rules, fields)
        if first:  # no comma before the first finding
            text = text.scatter(0, text[0][1:])
            first = False
        if raw is None:
            out.write("".join(text.to_list()))
        else:
            out.flush()  # what the text stream holds goes first
            try:
                pl.DataFrame({"json": text}).write_csv(raw, include_header=False, quote_style="never",
                                                       line_terminator="")
            except OSError as e:
                raise _os_error(e) from None
    return not first


def batches(frames: Iterable[pl.DataFrame], rows: int = 20_000) -> Iterator[pl.DataFrame]:
    """Frames cut to at most `rows` rows each: the text of one is held at once."""
    for frame in frames:
        for at in range(0, frame.height, rows):
            yield frame.slice(at, rows)
