"""Cases read whole around the streaming pass (stream.check_paths): YAML/JSON case files and CSV
case tables before it, and deferred cases again after it."""

from __future__ import annotations

import itertools

from ..inputs.cases import Builder, read_document
from ..inputs.csvlog import RowError, is_case_table, iter_csv_rows, open_csv, read_case_table
from ..inputs.text import open_text
from ..model import Case, Event, InputError, InputProblem
from .workers import SEQ_SHIFT


def reread(files: list[tuple[int, str]], wanted: dict[str, None], docs: Builder) -> list[Case]:
    """The deferred cases, whole: their YAML/JSON records plus their rows from the CSV files."""
    cases = {cid: docs.cases.get(cid) or Case(cid, dict(docs.tables.get(cid, {})), [], "") for cid in wanted}
    for fi, file in files:
        if not cases:
            break
        base, n = fi << SEQ_SHIFT, 0
        try:
            with open_text(file) as f:
                for row in iter_csv_rows(file, f):
                    if isinstance(row, RowError):
                        continue
                    n += 1
                    c = cases.get(row[0])
                    if c is not None:
                        c.events.append(Event(row[1], row[2], row[3], base | n, file, row[4]))
        except (InputProblem, OSError):
            pass  # reported by the first pass, and every case this file touched is not checked
    return list(cases.values())


DOCUMENT_BATCH = 32  # YAML/JSON files parsed by a worker at once


def read_documents(indexed, logs, p, in_workers: bool = False) -> Builder:
    """Every YAML/JSON case file, read whole (they are size-limited), and every CSV case table
    (one short row per case), in sorted path order, before any event log is streamed.
    in_workers: the YAML/JSON files are parsed by p's executor, in batches, and what each does to
    the Builder (inputs.cases.DocumentSteps) is done here in sorted path order: the same result."""
    b = Builder()
    parsed = _parsed(p, [(fi, f) for fi, f in indexed if not f.lower().endswith(".csv")]) if in_workers else None
    for fi, file in indexed:
        b.seq = fi << SEQ_SHIFT
        n_err, n_taint = len(b.errors), len(b.tainted)
        try:
            if file.lower().endswith(".csv"):
                read_table(file, fi, b, p)
            elif parsed is not None:
                got, steps = next(parsed)
                assert got == fi, "documents parsed out of order"
                steps.apply(b)
            else:
                read_document(file, b)
        except InputProblem as e:
            b.errors.append(e.error)
            if file.lower().endswith(".csv"):
                p.table_files.add(fi)  # unreadable whatever it is: named once, not read again
        logs[fi].errors.extend(b.errors[n_err:])
        logs[fi].taints.extend(itertools.islice(b.tainted.items(), n_taint, None))  # new keys come last
    for cid, case in b.cases.items():  # a YAML case takes the attributes a case table gives it
        case.attrs = {**b.tables.get(cid, {}), **case.attrs}
    p.tainted.update(b.tainted)
    p.seen.update(dict.fromkeys(b.cases, -1))
    p.census.add_cases(b.cases.values())
    p.tables = b.tables
    return b


def _parsed(p, files: list[tuple[int, str]]):
    """(file index, DocumentSteps) for each of files, in order, parsed by p's executor in batches
    (a bounded number in flight, results back in the order sent)."""
    ex = p.ex
    for i in range(0, len(files), DOCUMENT_BATCH):
        for _, results, judged in ex.submit(("documents", files[i:i + DOCUMENT_BATCH])):
            p.judged |= judged
            yield from results
    for _, results, judged in ex.drain():
        p.judged |= judged
        yield from results


def read_table(file: str, fi: int, b: Builder, p) -> None:
    """A CSV that is a case table is read here; an event log is left for the streaming pass."""
    notes: list[InputError] = []  # kept only for a table: an event log's reader gives its own
    with open_csv(file, notes) as f:
        if is_case_table(file, f):
            p.table_files.add(fi)
            b.notes.extend(notes)
            read_case_table(file, f, b)
