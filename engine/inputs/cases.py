"""Load case timelines from YAML, JSON and CSV files (SPEC §1) into Case objects.

Files are read in sorted path order whatever order they were named in, and a running sequence
number records each event's place, so same-date events keep file order and the result never
depends on the order of the command line. A case whose records are partly unreadable is not
checked at all (its errors say so): findings on a timeline with holes would be false evidence.
"""

from __future__ import annotations

import csv
import datetime as dt
import operator
import os
import re
from dataclasses import dataclass, field
from typing import Iterable, Iterator, NamedTuple

from . import importers
from ..dates import parse_date
from ..model import MAX_ERRORS_PER_FILE, Case, Event, InputError, InputProblem
from .structured import check_not_binary, line_of, load_document

CASE_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
EVENT_TYPE_RE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$")
CSV_REQUIRED = ("case", "date", "type")


def find_files(paths: Iterable[str], suffixes: tuple[str, ...], what: str) -> tuple[list[str], list[InputError]]:
    """Expand files and folders (recursively) into a sorted list of files with these suffixes."""
    found, errors = set(), []
    for p in paths:
        if os.path.isdir(p):
            inside = {os.path.join(root, f)
                      for root, dirs, files in os.walk(p) if not _hidden(root, p)
                      for f in files if f.lower().endswith(suffixes) and not f.startswith(".")}
            if not inside:
                errors.append(InputError(p, None, f"no {what}s in this folder ({', '.join(suffixes)})"))
            found |= inside
        elif os.path.isfile(p):
            if p.lower().endswith(suffixes):
                found.add(p)
            else:
                errors.append(InputError(p, None, f"not a {what} (expected {', '.join(suffixes)})"))
        else:
            errors.append(InputError(p, None, "no such file or folder"))
    return sorted(found, key=os.path.normpath), errors


def _hidden(root: str, top: str) -> bool:
    rel = os.path.relpath(root, top)
    return rel != "." and any(part.startswith(".") for part in rel.split(os.sep))


def normalise_value(value) -> str | None:
    """Attribute values are kept as text, so YAML `2`, JSON 2 and CSV "2" compare equal."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (str, int, float)):
        return str(value)
    raise ValueError(f"must be a string, number or boolean, got {type(value).__name__}")


def event_type(value) -> str:
    if not isinstance(value, str) or not EVENT_TYPE_RE.match(value):
        raise ValueError(f"event type must be lower_snake_case, got {value!r}")
    return value


@dataclass
class _Builder:
    """Collects cases (merging records with the same id) and the errors met on the way."""

    cases: dict[str, Case] = field(default_factory=dict)
    tainted: dict[str, InputError] = field(default_factory=dict)  # case id -> first error
    errors: list[InputError] = field(default_factory=list)
    notes: list[InputError] = field(default_factory=list)  # warnings: the input was still read
    seq: int = 0

    def case(self, case_id: str, source: str) -> Case:
        c = self.cases.get(case_id)
        if c is None:
            c = self.cases[case_id] = Case(case_id, {}, [], source)
        return c

    def fail(self, file: str, line: int | None, message: str, case_id: str | None = None) -> None:
        err = InputError(file, line, message)
        self.errors.append(err)
        if case_id is not None:
            self.tainted.setdefault(case_id, err)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def result(self) -> tuple[list[Case], list[InputError]]:
        errors = list(self.errors)
        for cid, first in self.tainted.items():
            errors.append(InputError(first.file, first.line, f"case {cid} not checked: part of its timeline could not be read"))
            self.cases.pop(cid, None)
        return list(self.cases.values()), errors


def _read_event(raw, file: str, b: _Builder) -> Event:
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise InputProblem(file, line, "an event must be a mapping with date and type")
    for key in ("date", "type"):
        if raw.get(key) is None:
            raise InputProblem(file, line, f"event has no {key}")
    try:
        date = parse_date(raw["date"])
    except ValueError as e:
        raise InputProblem(file, line_of(raw, "date", line), str(e)) from None
    try:
        etype = event_type(raw["type"])
    except ValueError as e:
        raise InputProblem(file, line_of(raw, "type", line), str(e)) from None
    attrs = {}
    for k, v in raw.items():
        if k in ("date", "type"):
            continue
        try:
            nv = normalise_value(v)
        except ValueError as e:
            raise InputProblem(file, line_of(raw, k, line), f"event attribute {k!r} {e}") from None
        if nv is not None:
            attrs[str(k)] = nv
    return Event(date, etype, attrs, b.next_seq(), file, line)


def read_events(raw_events, file: str) -> list[Event]:
    """Events given as data (as in a case file's `events:` list); raises InputProblem on a bad one."""
    if not isinstance(raw_events, list):
        raise InputProblem(file, line_of(raw_events), "`events` must be a list of events")
    b = _Builder()
    return [_read_event(ev, file, b) for ev in raw_events]


def _case_id(raw: dict) -> str | None:
    value = raw.get("case")
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    if isinstance(value, str):
        text = value
    else:
        # Numbers are read as strings, exactly as written (YAML `case: 00123` stays "00123").
        text = getattr(raw, "raw", {}).get("case") or str(value)
    return text.strip() or None


def _read_case_mapping(raw, file: str, b: _Builder) -> None:
    line = line_of(raw)
    if not isinstance(raw, dict):
        b.fail(file, line, "a case must be a mapping with case and events")
        return
    cid = _case_id(raw)
    if cid is None:
        b.fail(file, line_of(raw, "case", line), "case has no identifier (`case:` must be a string or number)")
        return
    case = b.case(cid, file)
    events = raw.get("events")
    if not isinstance(events, list):
        b.fail(file, line_of(raw, "events", line), f"case {cid}: `events` must be a list of events", cid)
        return
    for k, v in raw.items():
        if k in ("case", "events"):
            continue
        if isinstance(v, (dict, list)):
            b.fail(file, line_of(raw, k, line), f"case {cid}: attribute {k!r} must be a single value", cid)
            continue
        nv = normalise_value(v)
        if nv is not None:
            case.attrs.setdefault(str(k), nv)
    for ev in events:
        try:
            case.events.append(_read_event(ev, file, b))
        except InputProblem as p:
            b.fail(p.error.file, p.error.line, f"case {cid}: {p.error.message}", cid)


def _read_document(file: str, b: _Builder) -> None:
    data = load_document(file)
    if isinstance(data, dict) and "case" not in data and "cases" in data:
        if not isinstance(data["cases"], list):
            raise InputProblem(file, line_of(data, "cases"), "`cases` must be a list of cases")
        data = data["cases"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputProblem(file, None, "expected a case, a list of cases, or a mapping with `cases:`")
    for raw in data:
        _read_case_mapping(raw, file, b)


class RowError(NamedTuple):
    """A CSV row that could not be read, and the case it spoils (if it named one)."""

    line: int
    message: str
    case: str | None = None


def _read_csv(file: str, b: _Builder) -> None:
    try:
        f = open(file, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise InputProblem(file, None, f"cannot read file: {e.strerror or e}") from None
    touched: dict[str, None] = {}  # insertion-ordered, so "not checked" errors come in file order
    try:
        with f:
            for row in iter_csv_rows(file, f):
                if isinstance(row, RowError):
                    b.fail(file, row.line, row.message, row.case)
                    continue
                cid, date, etype, attrs, line = row
                touched[cid] = None
                b.case(cid, file).events.append(Event(date, etype, attrs, b.next_seq(), file, line))
    except InputProblem as p:
        # Abandoned part-way: rows of a case may be anywhere in the file, so every case it
        # touched may be incomplete.
        for cid in touched:
            b.tainted.setdefault(cid, p.error)
        raise


class CsvLayout(NamedTuple):
    """Where a CSV log keeps case, date and type, its attribute columns and its width."""

    case: int
    date: int
    type: int
    extra: list
    width: int


def iter_csv_rows(file: str, f) -> Iterator:
    """Yield (case, date, type, attrs, line) for each CSV row, or a RowError for a bad one.

    Errors after MAX_ERRORS_PER_FILE stop the file: a file that bad is probably not an event log.
    """
    head = f.read(8192)
    check_not_binary(file, head.encode("utf-8", "replace"))
    f.seek(0)
    if f.read(1) != "\ufeff":  # utf-8-sig strips a BOM only when read from the start
        f.seek(0)
    reader = csv.reader(f)
    layout = csv_header(file, reader)
    yield from csv_body(file, reader, layout)


def csv_header(file: str, reader) -> CsvLayout:
    """Read and check the header row."""
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as e:
        raise InputProblem(file, 1, f"cannot read the header row: {e}") from None
    if not header:
        raise InputProblem(file, 1, "empty file: expected a header row with case, date and type")
    header = [h.strip() for h in header]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise InputProblem(file, 1, f"header has no {', '.join(missing)} column (needs case, date, type)")
    dupes = sorted({h for h in header if header.count(h) > 1})
    if dupes:
        raise InputProblem(file, 1, f"header repeats column {', '.join(dupes)}")
    ic, idate, itype = (header.index(c) for c in CSV_REQUIRED)
    extra = [(i, h) for i, h in enumerate(header) if i not in (ic, idate, itype) and h]
    return CsvLayout(ic, idate, itype, extra, len(header))


def csv_body(file: str, reader, layout: CsvLayout, line_base: int = 0,
             max_errors: int | None = MAX_ERRORS_PER_FILE) -> Iterator:
    """The rows after the header (see iter_csv_rows). line_base: lines of the file before the
    reader's first (for a piece of a file read on its own); max_errors None: no limit."""
    ic, idate, itype, extra, width = layout
    names = [h for _, h in extra]
    pick = operator.itemgetter(*[i for i, _ in extra]) if len(extra) > 1 else None
    errors = 0
    # Logs repeat the same few thousand dates and dozens of types: parse and validate each once.
    dates: dict[str, dt.date] = {}
    types: set[str] = set()
    prev = line_base + reader.line_num
    while True:
        try:
            row = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as e:
            raise InputProblem(file, prev + 1, f"unreadable row ({e}); the rest of the file was not read "
                                               "and none of its cases was checked") from None
        if row is None:
            return
        line, prev = prev + 1, line_base + reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        problem, cid = None, None
        if len(row) != width:
            problem = f"row has {len(row)} cells, the header has {width}"
            cid = row[ic].strip() if len(row) > ic and row[ic].strip() else None
        else:
            cid = row[ic].strip() or None
            if cid is None:
                problem = "row has no case"
            else:
                try:
                    text = row[idate]
                    date = dates.get(text)
                    if date is None:
                        date = parse_date(text)
                        if len(dates) > 100_000:
                            dates.clear()
                        dates[text] = date
                    etype = row[itype]
                    if etype not in types:
                        etype = event_type(etype.strip())
                        if etype == row[itype]:
                            types.add(etype)
                except ValueError as e:
                    problem = f"case {cid}: {e}"
        if problem is None:
            if pick is not None:  # the attribute cells, most of them empty in a real log
                values = pick(row)
                attrs = {h: v for h, v in zip(names, values) if v != ""} if any(values) else {}
            else:
                attrs = {h: row[i] for i, h in extra if row[i] != ""}
            yield cid, date, etype, attrs, line
            continue
        errors += 1
        yield RowError(line, problem, cid)
        if max_errors is not None and errors >= max_errors:
            raise InputProblem(file, line, f"more than {MAX_ERRORS_PER_FILE} bad rows; the rest of the file was "
                                           "not read and none of its cases was checked")


def needs_importer(paths: Iterable[str], input_format: str | None = None) -> bool:
    """True when an input is a council return (or input_format names one): those are read whole."""
    if input_format not in (None, "events"):
        return True
    files, _ = find_files(paths, CASE_SUFFIXES + importers.SUFFIXES, "case file")
    return any(fmt is not None for fmt, _ in importers.plan(files))


def load_cases(paths: Iterable[str], input_format: str | None = None,
               notes: list[InputError] | None = None) -> tuple[list[Case], list[InputError]]:
    """Read every case file under paths. Returns (cases, errors); one bad file spoils no other.

    Annex A workbooks, CIN census XML and SSDA903 CSVs are read by inputs.importers (detected by
    content, or all read as input_format); their warnings are appended to notes.
    """
    files, errors = find_files(paths, CASE_SUFFIXES + importers.SUFFIXES, "case file")
    b = _Builder()
    for fmt, group in importers.plan(files, input_format):
        file = group[0]
        try:
            if fmt is not None:
                importers.read(fmt, group, b)
            elif file.lower().endswith(".csv"):
                _read_csv(file, b)
            else:
                _read_document(file, b)
        except InputProblem as p:
            b.errors.append(p.error)
    cases, errs = b.result()
    if notes is not None:
        notes.extend(b.notes)
    return sorted(cases, key=lambda c: c.id), errors + errs
