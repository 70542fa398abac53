"""Events as columns: from Case objects (tests, YAML) or read from a CSV log with polars, in
chunks of whole cases.

A chunk's columns: case (text), ord (the date's ordinal), type, seq (input order), run (the
number of the case's run of rows: cases are whole and consecutive), and one text column per
attribute (null where the row has none). The reader takes only clean logs, where
polars' reading gives exactly the rows the csv module would: plain (no quotes, NULs or lone CRs;
the test the workers' piece reader uses), grouped by case, every row with its cells, a case id,
an ISO date and a lower_snake_case type. Anything else raises NotColumnar before a finding is
given, and the caller reads the log the usual way, with its line-by-line errors.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Iterable, Iterator

import polars as pl

from ...dates import parse_date
from ...inputs.csvlog import CSV_REQUIRED
from ...inputs.limits import MAX_CELL_CHARS
from ...inputs.csvpieces import case_boundary, plain_csv
from ...inputs.values import EVENT_TYPE_RE
from ...model import Case, Finding, Rule
from ...inputs.census import TypeCensus
from .check import FINDING_SCHEMA, compact_findings, sort_findings

CHUNK_BYTES = 16 << 20  # a chunk of whole cases: ~400,000 rows


class NotColumnar(Exception):
    """The log is not one the columnar reader takes as it is; read it the usual way."""


def frame_from_cases(cases: Iterable[Case]) -> pl.DataFrame:
    cols: dict[str, list] = {"case": [], "ord": [], "type": [], "seq": []}
    attrs: dict[str, list] = {}
    n = 0
    for case in cases:
        for ev in case.events:
            for k in ev.attrs.keys() - attrs.keys():
                attrs[k] = [None] * n
            cols["case"].append(case.id)
            cols["ord"].append(ev.date.toordinal())
            cols["type"].append(ev.type)
            cols["seq"].append(ev.seq)
            for k, values in attrs.items():
                values.append(ev.attrs.get(k))
            n += 1
    schema = {"case": pl.String, "ord": pl.Int64, "type": pl.String, "seq": pl.Int64}
    df = pl.DataFrame({**cols, **attrs}, schema={**schema, **{k: pl.String for k in attrs}})
    return df.with_columns((pl.col("case") != pl.col("case").shift(1)).fill_null(True).cum_sum().cast(pl.Int64)
                           .alias("run"))


_ORDINALS: dict[str, int] = {}  # dates parsed in this process: every piece of a log repeats most of them


def _ordinal(text: str) -> int:
    """parse_date(text).toordinal(), remembered (ValueError for a bad date, never remembered)."""
    o = _ORDINALS.get(text)
    if o is None:
        if len(_ORDINALS) > 200_000:  # a bound: a log spans a few thousand days
            _ORDINALS.clear()
        o = _ORDINALS[text] = parse_date(text).toordinal()
    return o


def _chunk_frame(file: str, header: list[str], data: bytes, seq_base: int) -> pl.DataFrame:
    """header: the column names, "" for a column the usual reader ignores (no name)."""
    names = [h or f"\0ignored{i}" for i, h in enumerate(header)]  # unique, and never an attribute
    try:
        df = pl.read_csv(io.BytesIO(data), has_header=False, new_columns=names, infer_schema=False)
    except (pl.exceptions.PolarsError, ValueError) as e:
        raise NotColumnar(f"{file}: {e}") from None
    # Logs repeat a few thousand dates and dozens of types: each distinct value is checked once,
    # here in Python by the usual reader's own rules, and dates become ordinals by lookup.
    dates = df["date"].unique().to_list()
    types = df["type"].unique().to_list()
    cases = df["case"].unique().to_list()
    try:  # the usual reader's one date parser (its range too), for plain YYYY-MM-DD only
        ords = {d: _ordinal(d) for d in dates if d is not None and len(d) == 10}
    except ValueError:
        ords = {}
    if (len(ords) != len(dates) or not all(t is not None and EVENT_TYPE_RE.match(t) for t in types)
            or not all(c is not None and c == c.strip() for c in cases)):  # empty cells are read as null
        raise NotColumnar(f"{file}: a row needs the usual reader's checks")
    extra = [h for h in header if h not in CSV_REQUIRED and h]
    if (df.select(pl.max_horizontal(pl.all().str.len_chars().max())).item() or 0) > MAX_CELL_CHARS:
        raise NotColumnar(f"{file}: a cell over the usual reader's limit")
    run = pl.col("case") != pl.col("case").shift(1)
    return df.select(
        "case", pl.col("date").replace_strict(ords, return_dtype=pl.Int64).alias("ord"), "type",
        (pl.int_range(pl.len(), dtype=pl.Int64) + seq_base + 1).alias("seq"),
        # the case's run number in the chunk: an integer to sort and join by, cheaper than its id
        run.fill_null(True).cum_sum().cast(pl.Int64).alias("run"),
        *extra)


def _chunks(file: str, chunk_bytes: int) -> Iterator[pl.DataFrame]:
    if not plain_csv(file):
        raise NotColumnar(f"{file}: not a plain CSV log")
    with open(file, "rb") as f:
        head = f.readline()
        header = [h.strip() for h in head.decode("utf-8").lstrip("\ufeff").rstrip("\r\n").split(",")]
        if any(c not in header for c in CSV_REQUIRED) or len(set(header)) != len(header):
            raise NotColumnar(f"{file}: header needs the usual reader's checks")
        carry, seq = b"", 0
        while True:
            block = f.read(chunk_bytes)
            data = carry + block
            cut = len(data) if not block else case_boundary(data, header.index("case"))
            if cut:
                df = piece_frame(file, header, data[:cut], seq)
                seq += df.height
                yield df
            carry = data[cut:]
            if not block:
                return


def piece_frame(file: str, header: list[str], piece: bytes, seq_base: int) -> pl.DataFrame:
    """Whole lines of a plain CSV log (no quotes, NULs or lone CRs) as a chunk's columns, the
    n-th row's seq seq_base + n (from 1); NotColumnar unless polars reads them exactly as the
    usual reader would."""
    if b"\n\n" in piece or piece.startswith(b"\n") or b"\n\r\n" in piece:
        raise NotColumnar(f"{file}: blank lines")
    if b"'" in piece:  # a spreadsheet's quote the usual reader may take off (values.from_spreadsheet)
        raise NotColumnar(f"{file}: a cell starting with '")
    try:
        piece.decode("utf-8")  # else the usual reader's encoding rules (inputs.text) and its note
    except UnicodeDecodeError:
        raise NotColumnar(f"{file}: not UTF-8") from None
    rows = piece.count(b"\n") + (not piece.endswith(b"\n"))
    if piece.count(b",") != rows * (len(header) - 1):
        raise NotColumnar(f"{file}: a row with more or fewer cells than the header")
    return _chunk_frame(file, header, piece, seq_base)


def check_log(file: str, rules: list[Rule], as_at: dt.date, breaches_only: bool = True,
              chunk_bytes: int = CHUNK_BYTES, census: TypeCensus | None = None,
              case_attrs: dict | None = None) -> tuple[int, pl.DataFrame, list]:
    """(cases, the columnar rules' findings as FINDING_SCHEMA columns in the findings' order (docs/formats.md), the handed-back
    rules' Findings in the findings' order (docs/formats.md)) for a clean CSV log, chunk by chunk; NotColumnar when the log
    needs the usual reader. check.merged gives them all as Findings, one by one. case_attrs: the
    cases' attributes (case id -> dict), for scope and who held a case. Findings are
    held as columns (about 60 bytes each), the handed-back ones as objects. census: given every
    event type read with its first line and count, as the usual reader gives it."""
    seen: set[str] = set()
    parts, handed = [], []
    for df in _chunks(file, chunk_bytes):
        ids = df["case"].unique()
        if len(seen) + len(ids) != len(seen | set(ids)) or (df["case"] != df["case"].shift(1)).fill_null(True).sum() != len(ids):
            raise NotColumnar(f"{file}: not grouped by case")
        seen.update(ids)
        if census is not None:  # a clean log has no blank line: row seq is on line seq + 1
            for t, first, k in df.group_by("type").agg(pl.col("seq").min(), pl.len()).sort("seq").iter_rows():
                census.add(t, file, first + 1, k)
        found, slow = compact_findings(df, rules, as_at, breaches_only, case_attrs or {})
        parts.append(found)
        handed.extend(slow)
    found = sort_findings(pl.concat(parts) if parts else pl.DataFrame(schema=FINDING_SCHEMA), rules)
    handed.sort(key=Finding.sort_key)
    return len(seen), found, handed
