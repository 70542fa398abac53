"""DfE SSDA903 return (CSV tables: Header, Episodes, Reviews, ...) -> one case per child (CHILD).

Each CSV is told to be a 903 table by its header: a CHILD column and the columns of a known
table (DECOM for Episodes, REVIEW for Reviews, ...). All 903 tables in one folder are one return.
Dates are DD/MM/YYYY (ISO also accepted).
"""

from __future__ import annotations

import csv
import io
import os
import re

from ...model import InputError, InputProblem, SourceKind
from ..csvlog import csv_problem
from ..text import head_text, open_text
from .common import Sink, text_value, to_date

CHILD_NAMES = {"CHILD", "CHILDID", "LACHILDID", "CHILDUNIQUEID"}
PLACEMENT_CHANGE = {"S", "P", "T", "U", "B"}  # new episode because the placement changed (or care began)
LEGAL_CHANGE = {"L", "U", "B"}  # new episode because the legal status changed
SHORT_BREAKS = {"V3", "V4"}
# Same-date order: the previous placement ends, a new episode starts, things happen while in care
# (reviews, missing, adoption steps), then care ends.
CHAIN_END, START, DURING, CARE_END = range(4)

# table -> (columns that identify it, every published column). Names are compared folded:
# upper case, punctuation and spaces removed ("mis_start", "MIS START" -> "MISSTART").
TABLES = {
    "Episodes": ({"DECOM"}, {"DECOM", "RNE", "LS", "CIN", "PLACE", "PL", "PLACEPROVIDER", "DEC", "REC",
                             "REASONPLACECHANGE", "HOMEPOST", "PLPOST", "URN"}),
    "Reviews": ({"REVIEW"}, {"DOB", "REVIEW", "REVIEWCODE"}),
    "Missing": ({"MISSTART"}, {"DOB", "MISSING", "MISSTART", "MISEND"}),
    "AD1": ({"DATEINT"}, {"DOB", "DATEINT", "DATEMATCH", "FOSTERCARE", "NBADOPTR", "SEXADOPTR", "LSADOPTR"}),
    "PlacedAdoption": ({"DATEPLACED"}, {"DOB", "DATEPLACED", "DATEPLACEDCEASED", "REASONPLACEDCEASED"}),
    "Header": ({"SEX", "ETHNIC"}, {"SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MCDOB"}),
    "UASC": ({"DUC"}, {"SEX", "DOB", "DUC"}),
    "OC2": ({"SDQSCORE"}, {"DOB", "SDQSCORE", "SDQREASON", "CONVICTED", "HEALTHCHECK", "IMMUNISATIONS",
                           "TEETHCHECK", "HEALTHASSESSMENT", "SUBSTANCEMISUSE", "INTERVENTIONRECEIVED",
                           "INTERVENTIONOFFERED"}),
    "OC3": ({"INTOUCH"}, {"DOB", "INTOUCH", "ACTIV", "ACCOM"}),
    "PrevPerm": ({"PREVPERM"}, {"DOB", "PREVPERM", "LAPERM", "DATEPERM"}),
    "SWEpisodes": ({"SWID"}, {"DOB", "SWID", "SWDECOM", "SWDEC", "SWREASON"}),
    "DoLo": ({"DOLOSTART"}, {"DOB", "DOLOSTART", "DOLOEND"}),
}
# table -> (column, event type, {attribute: column}) for the simple one-row-one-event tables
SIMPLE = {
    "Reviews": [("REVIEW", "lac_review", {"participation": "REVIEWCODE"})],
    "Missing": [("MISSTART", "missing_started", {"missing": "MISSING"}), ("MISEND", "missing_ended", {"missing": "MISSING"})],
    "AD1": [("DATEINT", "adoption_decision", {}), ("DATEMATCH", "adoption_match", {})],
    "PlacedAdoption": [("DATEPLACED", "placed_for_adoption", {})],
}
# Every event type a 903 return can hold (a test checks the reader makes no other): no visits,
# plans, assessments or supervision - rules expecting those are not judged on its cases.
SOURCE = SourceKind("SSDA903 return", frozenset(
    {"became_looked_after", "placement_started", "legal_status_changed", "short_break_started",
     "short_break_ended", "placement_ended", "ceased_looked_after"}
    | {etype for specs in SIMPLE.values() for _, etype, _ in specs}))


def fold(name: str) -> str:
    return re.sub(r"[^A-Z0-9]", "", str(name).upper())


def table_of(header: list[str]) -> str | None:
    """The 903 table a CSV header is, or None (not a 903 table)."""
    cols = {fold(h) for h in header}
    if not cols & CHILD_NAMES or {"CASE", "TYPE"} <= cols:
        return None
    return next((t for t, (sig, _) in TABLES.items() if sig <= cols), None)


def read_header(file: str) -> list[str]:
    return next(csv.reader(io.StringIO(head_text(file), newline="")), [])


def is_903_csv(file: str) -> bool:
    try:
        return table_of(read_header(file)) is not None
    except (OSError, csv.Error):
        return False


def read(files: list[str], builder) -> None:
    """Read one return: the 903 tables among files (normally the CSVs of one folder)."""
    episodes: dict[str, list] = {}
    with Sink(builder, os.path.dirname(files[0]) or ".", SOURCE).reading() as sink:
        for file in files:
            _read_table(file, sink, episodes)
        for cid, eps in episodes.items():
            _episode_events(cid, eps, sink)


def _rows(file: str, notes: list):
    with open_text(file, notes) as f:
        try:
            reader = csv.reader(f)
            prev = 0
            for row in reader:
                yield prev + 1, row
                prev = reader.line_num
        except (csv.Error, UnicodeDecodeError) as e:
            raise InputProblem(file, prev + 1, f"unreadable row ({csv_problem(e)}); the rest of the file was not read") from None


def _read_table(file: str, sink: Sink, episodes: dict) -> None:
    name = os.path.basename(file)
    rows = _rows(file, sink.builder.notes)
    _, header = next(rows, (1, []))
    table = table_of(header)
    if table is None:  # only when --input-format ssda903 forced it; the other tables are still read
        sink.builder.errors.append(InputError(file, 1, "not an SSDA903 table: the header needs CHILD and the "
                                                       "columns of a 903 table (Header, Episodes, Reviews, ...)"))
        return
    folded = [fold(h) for h in header]
    known = TABLES[table][1] | CHILD_NAMES
    unknown = [h.strip() for h, f in zip(header, folded) if f and f not in known]
    if unknown:
        sink.note(file, 1, f"{table} table: columns not understood (not read): {', '.join(unknown)}")
    if table not in SIMPLE and table != "Episodes":
        sink.note(file, None, f"{table} table: nothing casecheck uses (no dates it maps to events); not read")
        return
    idx = {f: i for i, f in reversed(list(enumerate(folded)))}
    ichild = next(idx[c] for c in folded if c in CHILD_NAMES)
    seen: dict[tuple, int] = {}
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        key = tuple(c.strip() for c in row)
        if key in seen:
            sink.note(file, line, f"{name} row {line} repeats row {seen[key]} exactly; read once")
            continue
        seen[key] = line
        cid = row[ichild].strip() if ichild < len(row) else ""
        if cid:
            sink.touched.add(cid)
        if len(row) != len(header):
            sink.fail(file, line, f"{name} row {line}: {len(row)} cells, the header has {len(header)}", cid or None)
            continue
        if not cid:
            sink.fail(file, line, f"{name} row {line}: no CHILD")
            continue
        cell = {f: row[i] for f, i in idx.items()}
        try:
            if table == "Episodes":
                _episode_row(cid, cell, file, line, episodes)
            else:
                for col, etype, attrs in SIMPLE[table]:
                    d = _date(cell, col)
                    if d is not None:
                        sink.event(cid, d, etype, {a: text_value(cell.get(c)) for a, c in attrs.items()}, file, line,
                                   DURING)
        except ValueError as e:
            sink.fail(file, line, f"{name} row {line}: child {cid}: {e}", cid)


def _date(cell: dict, col: str):
    try:
        return to_date(cell.get(col))
    except ValueError:
        raise ValueError(f"{col} is not a date (DD/MM/YYYY): {cell.get(col)!r}") from None


def _episode_row(cid: str, cell: dict, file: str, line: int, episodes: dict) -> None:
    start = _date(cell, "DECOM")
    if start is None:
        raise ValueError("episode has no DECOM (start date)")
    end = _date(cell, "DEC")
    ep = {"start": start, "end": end, "file": file, "line": line,
          **{k: (text_value(cell.get(k)) or "").upper() for k in ("RNE", "LS", "REC")},
          "place": text_value(cell.get("PLACE", cell.get("PL")))}
    episodes.setdefault(cid, []).append(ep)


def _episode_events(cid: str, eps: list[dict], sink: Sink) -> None:
    """Episodes of one child, in start order, into the events of its periods of care."""
    eps.sort(key=lambda e: e["start"])
    for i, ep in enumerate(eps):
        f, line, rne, ls = ep["file"], ep["line"], ep["RNE"], ep["LS"] or None
        start, end = ep["start"], ep["end"]

        def add(date, etype, attrs, order):
            sink.event(cid, date, etype, attrs, f, line, order)

        if rne == "S":
            add(start, "became_looked_after", {"legal_status": ls}, START)
        if rne in PLACEMENT_CHANGE:
            add(start, "placement_started", {"placement": ep["place"], "legal_status": ls}, START)
        if rne in LEGAL_CHANGE:
            add(start, "legal_status_changed", {"legal_status": ls}, START)
        prev = next((p for p in eps[:i] if p["end"] == start and p["REC"] == "X1"), None)
        if ls in SHORT_BREAKS and (prev is None or prev["LS"] != ls):  # one break may span episodes
            add(start, "short_break_started", {"legal_status": ls}, START)
        if end is None:
            continue
        care_ends = bool(ep["REC"]) and ep["REC"] != "X1"
        order = CARE_END if care_ends or end == start else CHAIN_END
        nxt = next((n for n in eps[i + 1:] if n["start"] == end), None)
        if ls in SHORT_BREAKS and (care_ends or nxt is None or nxt["LS"] != ls):
            add(end, "short_break_ended", {"legal_status": ls}, order)
        if care_ends or (nxt is not None and nxt["RNE"] in PLACEMENT_CHANGE):
            add(end, "placement_ended", {"placement": ep["place"]}, order)
        if care_ends:
            add(end, "ceased_looked_after", {"reason": ep["REC"]}, order)
