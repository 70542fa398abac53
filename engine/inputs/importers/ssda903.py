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
# RNE (reason for new episode), as the DfE's 903 guidance codes it (docs/importers.md): S started to
# be looked after; L change of legal status only; P change of placement (carer) only; T change of
# both; U change of legal status and of placement with the same carer; B change of placement with
# the same carer.
RNE_CODES = {"S", "L", "P", "T", "U", "B"}
PLACEMENT_CHANGE = {"S", "P", "T", "U", "B"}  # new episode because the placement changed (or care began)
LEGAL_CHANGE = {"L", "T", "U"}  # new episode because the legal status changed (B: the placement only)
LS_CODES = {"C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"}
REC_RE = re.compile(r"^(X1|E\d{1,2}[A-Z]?)$")  # X1 (episode ends, care goes on) or an E code (care ends)
SHORT_BREAKS = {"V3", "V4"}  # a child with either is on a series of short breaks (case attribute)
# Legal statuses whose spells are events of their own: start and end event types.
SPELLS = {"L1": ("police_protection_started", "police_protection_ended"),
          "L2": ("epo_started", "epo_ended"),
          "V3": ("short_break_started", "short_break_ended"),  # one short break (one placement)
          "V4": ("short_break_agreement_started", "short_break_agreement_ended")}  # an agreement: not a break
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
    {"became_looked_after", "placement_started", "legal_status_changed", "placement_ended", "ceased_looked_after"}
    | {etype for pair in SPELLS.values() for etype in pair}
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
    if end is not None and end < start:
        raise ValueError(f"the episode ends (DEC {end:%d/%m/%Y}) before it starts (DECOM {start:%d/%m/%Y})")
    if ep["RNE"] not in RNE_CODES:
        raise ValueError(f"RNE {ep['RNE'] or '(blank)'!r} is not a reason for a new episode "
                         f"(one of {', '.join(sorted(RNE_CODES))})")
    if ep["LS"] and ep["LS"] not in LS_CODES:
        raise ValueError(f"LS {ep['LS']!r} is not a legal status (one of {', '.join(sorted(LS_CODES))})")
    if ep["REC"] and not REC_RE.match(ep["REC"]):
        raise ValueError(f"REC {ep['REC']!r} is not a reason episode ceased (X1, or an E code such as E11)")
    if end is not None and not ep["REC"]:
        raise ValueError("the episode has a DEC (end date) but no REC (reason it ceased)")
    episodes.setdefault(cid, []).append(ep)


def _overlaps(cid: str, eps: list[dict], sink: Sink) -> None:
    """Episodes that overlap (one starts before the one before it ends) are read as ending when the
    next starts, with care going on (X1): no period is closed by another's end of care. One warning
    per child. Episodes that only touch (one ends the day the next starts) are the normal chain."""
    clipped = []
    for a, b in zip(eps, eps[1:]):
        if a["end"] is None or a["end"] > b["start"]:
            clipped.append((a, b))
            a["end"], a["REC"] = b["start"], "X1"
    if clipped:
        a, b = clipped[0]
        more = f" (and {len(clipped) - 1} more)" if len(clipped) > 1 else ""
        sink.note(a["file"], a["line"],
                  f"child {cid}: episodes overlap: the episode of line {a['line']} (from {a['start']:%d/%m/%Y}) "
                  f"runs past the start of the episode of line {b['line']} ({b['start']:%d/%m/%Y}){more}; "
                  "each overlapping episode was read as ending the day the next starts, with care going on "
                  "(its own end and reason ceased not used); correct the episode dates")


def _episode_events(cid: str, eps: list[dict], sink: Sink) -> None:
    """Episodes of one child, in start order, into the events of its periods of care, placements
    and legal statuses (docs/importers.md says how each code becomes events)."""
    eps.sort(key=lambda e: (e["start"], e["line"]))
    _overlaps(cid, eps, sink)
    if any(ep["LS"] in SHORT_BREAKS for ep in eps):
        sink.case_attr(cid, "short_breaks", "true")  # on a series of short breaks (reg 48)
    for i, ep in enumerate(eps):
        f, line, rne, ls = ep["file"], ep["line"], ep["RNE"], ep["LS"] or None
        start, end = ep["start"], ep["end"]
        prev = eps[i - 1] if i and eps[i - 1]["end"] == start and eps[i - 1]["REC"] == "X1" else None
        chained_ls = prev["LS"] if prev is not None else None

        def add(date, etype, attrs, order):
            sink.event(cid, date, etype, attrs, f, line, order)

        # The first episode of the return (or one after a gap) starts what it shows, whatever its
        # RNE: a placement or legal status already running began, as far as the return shows, on its
        # DECOM; `before_return` marks what began before the return's first record of it.
        unchained = prev is None and rne != "S"
        early = {"before_return": "true"} if unchained and i == 0 else {}
        if rne == "S":
            add(start, "became_looked_after", {"legal_status": ls}, START)
        if rne in PLACEMENT_CHANGE or unchained:
            more = early if rne not in PLACEMENT_CHANGE else {}
            add(start, "placement_started", {"placement": ep["place"], "legal_status": ls, **more}, START)
        legal_new = rne in LEGAL_CHANGE or unchained or (prev is not None and chained_ls != ep["LS"])
        legal_early = early if rne not in LEGAL_CHANGE else {}
        if legal_new:
            add(start, "legal_status_changed", {"legal_status": ls, **legal_early}, START)
        if ls in SPELLS and (prev is None or chained_ls != ls):  # one spell may span episodes
            add(start, SPELLS[ls][0], {"legal_status": ls, **(legal_early if unchained else {})}, START)
        if end is None:
            continue
        care_ends = ep["REC"] != "X1"
        # same-date order: an episode of one day ends after its own starts, before the next's; care
        # that ends the day a new period of care starts ends before the new one's starts
        restarts = any(n["start"] == end for n in eps[i + 1:])
        order = (START if end == start else CHAIN_END) if restarts or not care_ends else CARE_END
        nxt = eps[i + 1] if i + 1 < len(eps) and eps[i + 1]["start"] == end and not care_ends else None
        if ls in SPELLS and (nxt is None or nxt["LS"] != ls):
            add(end, SPELLS[ls][1], {"legal_status": ls}, order)
        if care_ends or nxt is None or nxt["RNE"] in PLACEMENT_CHANGE:
            add(end, "placement_ended", {"placement": ep["place"]}, order)
        if care_ends:
            add(end, "ceased_looked_after", {"reason": ep["REC"]}, order)
