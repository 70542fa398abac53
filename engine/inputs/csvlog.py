"""CSV event logs (docs/formats.md): a header with case, date and type, a row per event."""

from __future__ import annotations

import csv
import datetime as dt
import operator
from typing import Iterator, NamedTuple

from ..dates import parse_date
from ..model import MAX_ERRORS_PER_FILE, Event, InputProblem
from .limits import MAX_CELL_CHARS, check_columns, repeated
from .text import open_text
from .values import DATE_ATTRIBUTES, bad_date_attribute, event_type, from_spreadsheet

CSV_REQUIRED = ("case", "date", "type")


class RowError(NamedTuple):
    """A CSV row that could not be read, and the case it spoils (if it named one)."""

    line: int
    message: str
    case: str | None = None


def read_csv(file: str, b) -> None:
    """A CSV event log, or a case table (docs/formats.md), into the builder b (inputs.cases.Builder)."""
    f = open_csv(file, b.notes)
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


def open_csv(file: str, notes: list | None = None):
    """The file as text, decoded as inputs.text decides (a Windows-1252 warning goes to notes)."""
    return open_text(file, notes)


def _start(file: str, f):
    """A reader at the top of an open CSV file (the text reader drops a byte-order mark and has
    refused binary files)."""
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
    check_columns(header, file)
    dupes = repeated(header)
    if dupes:
        raise InputProblem(file, 1, f"header repeats column {', '.join(dupes)}")
    ic, width = header.index("case"), len(header)
    cols = [(i, h) for i, h in enumerate(header) if i != ic and h]
    if _read_plain_table(file, ic, width, cols, b):
        return
    bad = 0
    values: dict[str, str] = {}  # one copy of each value: a million rows repeat a few councils and teams
    shared: dict[tuple, dict] = {}  # and one dict for each set of attributes (b.table_done)
    while True:
        try:
            row = next(reader, None)
        except (csv.Error, UnicodeDecodeError) as e:
            raise InputProblem(file, reader.line_num,
                               f"unreadable row ({csv_problem(e)}); the rest of the case table was not read")
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
        cid = from_spreadsheet(cid)  # a table convert wrote: formulas neutralised, as in the event log
        if len(values) > 100_000:  # values unique to each case: sharing saves nothing
            values.clear()
        fresh = cid not in b.tables and cid not in b.cases  # no other source has given it anything
        attrs = b.table_row(cid, file, line)
        for i, h in cols:
            v = row[i]
            if v != "":
                v = from_spreadsheet(v)
                v = values.setdefault(v, v)
                if fresh:  # nothing to conflict with (a row repeats no column: header checked)
                    attrs[h] = v
                    if h == "date_of_birth":
                        b.check_value(cid, h, v, file, line)
                else:
                    b.set_attr(attrs, cid, h, v, file, line)
        b.table_done(cid, shared)


def _read_plain_table(file: str, ic: int, width: int, cols: list, b) -> bool:
    """read_case_table's loop at once, for the usual table: the first source of any case (no case
    table or case file read before it), plain (inputs.csvpieces.plain_csv) with no ', no blank
    line and no CR, every row with its cells and a case id of its own, no cell over the limit.
    Gives the builder what the loop would give, a million rows in a second or two rather than ten;
    False (nothing done) for any other table, which the loop reads."""
    if b.tables or b.cases:
        return False
    import io

    import polars as pl

    from .csvpieces import plain_csv
    if not plain_csv(file):
        return False
    with open(file, "rb") as f:
        data = f.read()
    body = data[data.find(b"\n") + 1:] if b"\n" in data else b""
    if b"'" in body or b"\r" in body or b"\n\n" in body or body.startswith(b"\n"):
        return False
    rows = body.count(b"\n") + (not body.endswith(b"\n")) if body else 0
    if not rows:
        return True  # a header alone: no case
    if body.count(b",") != rows * (width - 1):
        return False
    names = [f"c{i}" for i in range(width)]
    df = pl.read_csv(io.BytesIO(body), has_header=False, new_columns=names, infer_schema=False, quote_char=None)
    if df.height != rows or (df.select(pl.max_horizontal(pl.all().str.len_chars().max())).item() or 0) > MAX_CELL_CHARS:
        return False
    ids = df[names[ic]].to_list()
    if len(set(ids)) != rows or not all(c is not None and c and c == c.strip() for c in ids):
        return False
    keys = [h for _, h in cols]
    shared: dict[tuple, dict] = {}  # one dict for each set of attributes, as table_done shares them
    attrs = []
    if not cols:  # a table of case ids alone: each case with no attribute
        attrs = [{}] * rows
    for row in df.select(pl.col(names[i]).fill_null("") for i, _ in cols).iter_rows() if cols else ():
        held = shared.get(row)
        if held is None:
            held = shared[row] = {k: v for k, v in zip(keys, row) if v != ""}
        attrs.append(held)
    if not b.table_names or b.table_names[-1] != file:
        b.table_names.append(file)
    base = (len(b.table_names) - 1) << 32
    b.table_at.update(zip(ids, range(base + 2, base + 2 + rows)))  # line 1 is the header
    b.tables.update(zip(ids, attrs))
    for i, key in cols:  # a date attribute that is not a date: its error, row by row
        if key in DATE_ATTRIBUTES:
            bad = {v for v in df[names[i]].unique().to_list() if v and bad_date_attribute("", key, v)}
            for line, (cid, v) in enumerate(zip(ids, df[names[i]].to_list()), start=2):
                if v in bad:
                    b.check_value(cid, key, v, file, line)
    return True


class CsvLayout(NamedTuple):
    """Where a CSV log keeps case, date and type, its attribute columns and its width."""

    case: int
    date: int
    type: int
    extra: list
    width: int


def iter_csv_rows(file: str, f, keep: set[str] | None = None) -> Iterator:
    """f: the file opened by inputs.text.open_text. Yield (case, date, type, attrs, line) for each CSV row, or a RowError for a bad one.
    keep: as csv_body's.

    Errors after MAX_ERRORS_PER_FILE stop the file: a file that bad is probably not an event log.
    """
    reader = _start(file, f)
    layout = csv_header(file, reader)
    yield from csv_body(file, reader, layout, keep=keep)


def _header_hint(header: list[str], missing: list[str]) -> str:
    """What probably went wrong with a header that lacks the required columns, and the fix."""
    if len(header) == 1:
        for sep, name in ((";", "a semicolon (;)"), ("\t", "a tab"), ("|", "a bar (|)")):
            if sep in header[0]:
                return (f"; the columns seem to be separated by {name}: save it as CSV separated by commas "
                        "(in Excel: Save As, 'CSV UTF-8 (Comma delimited)')")
    lower = {h.lower(): h for h in header}
    written = [lower[c] for c in missing if c in lower]
    if written:
        return f"; headers are lower case: rename {', '.join(written)} to {', '.join(w.lower() for w in written)}"
    return ""


def csv_problem(e: Exception) -> str:
    """What the csv module's error means, in words a user can act on."""
    if "field larger than field limit" in str(e):
        return (f"a cell is over {MAX_CELL_CHARS:,} characters, the limit for one value; an unclosed "
                "quote (\") makes the rest of a file one cell")
    return str(e)


def csv_header(file: str, reader) -> CsvLayout:
    """Read and check the header row."""
    try:
        header = next(reader, None)
    except (csv.Error, UnicodeDecodeError) as e:
        raise InputProblem(file, 1, f"cannot read the header row: {csv_problem(e)}") from None
    if not header:
        raise InputProblem(file, 1, "empty file: expected a header row with case, date and type")
    check_columns(header, file)
    header = [h.strip() for h in header]
    missing = [c for c in CSV_REQUIRED if c not in header]
    if missing:
        raise InputProblem(file, 1, f"header has no {', '.join(missing)} column (needs case, date, type)"
                           + _header_hint(header, missing))
    dupes = repeated(header)
    if dupes:
        raise InputProblem(file, 1, f"header repeats column {', '.join(dupes)}")
    ic, idate, itype = (header.index(c) for c in CSV_REQUIRED)
    extra = [(i, h) for i, h in enumerate(header) if i not in (ic, idate, itype) and h]
    return CsvLayout(ic, idate, itype, extra, len(header))


def csv_body(file: str, reader, layout: CsvLayout, line_base: int = 0,
             max_errors: int | None = MAX_ERRORS_PER_FILE, keep: set[str] | None = None) -> Iterator:
    """The rows after the header (see iter_csv_rows). line_base: lines of the file before the
    reader's first (for a piece of a file read on its own); max_errors None: no limit. keep: the
    event types whose attributes are wanted; other rows are still checked (a bad one spoils its
    case) but come with attrs None, their attribute dict never built."""
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
            raise InputProblem(file, prev + 1, f"unreadable row ({csv_problem(e)}); the rest of the file was not read "
                                               "and none of its cases was checked") from None
        if row is None:
            return
        line, prev = prev + 1, line_base + reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        problem, cid = None, None
        if not row[ic if ic < len(row) else 0].strip() and not any(c.strip() for c in row):
            continue  # an empty row (",,,"), as a spreadsheet leaves below the data
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
            if cid[0] == "'":
                cid = from_spreadsheet(cid)
            if keep is not None and etype not in keep:
                yield cid, date, etype, None, line
                continue
            if pick is not None:  # the attribute cells, most of them empty in a real log
                values = pick(row)
                attrs = {h: v for h, v in zip(names, values) if v != ""} if any(values) else {}
            else:
                attrs = {h: row[i] for i, h in extra if row[i] != ""}
            if attrs and "'" in "".join(attrs.values()):  # rare: one C-level test per row
                attrs = {h: from_spreadsheet(v) for h, v in attrs.items()}
            yield cid, date, etype, attrs, line
            continue
        errors += 1
        yield RowError(line, problem, cid)
        if max_errors is not None and errors >= max_errors:
            raise InputProblem(file, line, f"more than {MAX_ERRORS_PER_FILE} bad rows; the rest of the file was "
                                           "not read and none of its cases was checked")
