"""CSV event logs (SPEC §1): a header with case, date and type, a row per event."""

from __future__ import annotations

import csv
import datetime as dt
import operator
from typing import Iterator, NamedTuple

from ..dates import parse_date
from ..model import MAX_ERRORS_PER_FILE, Event, InputProblem
from .structured import check_not_binary
from .values import event_type

CSV_REQUIRED = ("case", "date", "type")


class RowError(NamedTuple):
    """A CSV row that could not be read, and the case it spoils (if it named one)."""

    line: int
    message: str
    case: str | None = None


def read_csv(file: str, b) -> None:
    """A CSV event log, or a case table (SPEC §1), into the builder b (inputs.cases._Builder)."""
    f = open_csv(file)
    try:
        table = is_case_table(file, f)
        if table:
            read_case_table(file, f, b)
    except BaseException:
        f.close()
        raise
    if table:
        f.close()
        return
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


def open_csv(file: str):
    try:
        return open(file, newline="", encoding="utf-8-sig")
    except OSError as e:
        raise InputProblem(file, None, f"cannot read file: {e.strerror or e}") from None


def _start(file: str, f):
    """A reader at the top of an open CSV file, after a byte-order mark; binary files refused."""
    f.seek(0)
    head = f.read(8192)
    check_not_binary(file, head.encode("utf-8", "replace"))
    f.seek(0)
    if f.read(1) != "\ufeff":  # utf-8-sig strips a BOM only when read from the start
        f.seek(0)
    return csv.reader(f)


def is_case_table(file: str, f) -> bool:
    """A header with a `case` column and neither `date` nor `type`: a case table, not an event log.
    Leaves f at its start; a header that cannot be read is left for the event-log reader to name."""
    try:
        header = [h.strip() for h in next(_start(file, f), None) or []]
    except (csv.Error, UnicodeDecodeError):
        header = []
    f.seek(0)
    return "case" in header and "date" not in header and "type" not in header


def read_case_table(file: str, f, b) -> None:
    """Each row gives case attributes to the case of its id, as a YAML case's top-level scalars
    do; an empty cell gives none. Conflicts with any other source are errors (b.set_attr)."""
    reader = _start(file, f)
    header = [h.strip() for h in next(reader)]
    dupes = sorted({h for h in header if h and header.count(h) > 1})
    if dupes:
        raise InputProblem(file, 1, f"header repeats column {', '.join(dupes)}")
    ic, width = header.index("case"), len(header)
    cols = [(i, h) for i, h in enumerate(header) if i != ic and h]
    bad = 0
    while True:
        try:
            row = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as e:
            raise InputProblem(file, reader.line_num, f"unreadable row ({e}); the rest of the case table was not read")
        if row is None:
            return
        line = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        cid = row[ic].strip() if len(row) > ic else ""
        if len(row) != width or not cid:
            problem = f"row has {len(row)} cells, the header has {width}" if len(row) != width else "row has no case"
            b.fail(file, line, problem, cid or None)
            bad += 1
            if bad >= MAX_ERRORS_PER_FILE:
                raise InputProblem(file, line, f"more than {MAX_ERRORS_PER_FILE} bad rows; the rest of the case "
                                               "table was not read")
            continue
        attrs = b.table_row(cid, file)
        for i, h in cols:
            if row[i] != "":
                b.set_attr(attrs, cid, h, row[i], file, line)


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
    reader = _start(file, f)
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
