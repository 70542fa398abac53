"""Check large event logs case by case in bounded memory, on one core, many, or a Dask cluster.

The in-memory loader (caseload.load_cases) holds every event of every case before checking any.
`check_paths` gives the same findings, errors and case count, in the same order, while holding
only one case's events at a time when a CSV log's rows are grouped by case:

- YAML and JSON case files are small by design (size limits in `structured`) and are read whole
  first; their case ids are remembered.
- A plain CSV log (every line a row) is cut into pieces of whole lines ending where a case does,
  each read and checked by this process, a worker or a Dask task: as columns where the piece is
  clean (replay.columnar), else row by row; any other CSV file is read row by row here. A run of
  consecutive rows of one case is a case, checked as soon as the run ends.
- A case id met again after its run ended (the log is not grouped by case, or the case is also in
  another file) is *deferred*: its provisional findings are dropped and, after the pass, its
  records are read again from every file and the case is checked whole, exactly as the in-memory
  loader would. Once a file has shown a deferred case, its later cases are deferred without being
  checked, so an ungrouped log costs one extra read and the memory of the in-memory loader, not
  two checks.
- A case with an unreadable row anywhere, or in a CSV file abandoned part-way, is not checked
  (its provisional findings are dropped), as in the in-memory loader.

Findings are small compared with events and are kept as columns (replay.findings_frame: a piece
of a log checked as columns hands back one frame); past SPILL_RECORDS they are sorted by case into
a temporary file (a sorted run), and the runs are merged by case id at the end, so output keeps
the findings' order (docs/formats.md) (case, due, rule id, trigger date) in bounded memory. The
result gives them as frames (batches of whole cases) for writers that work by columns, or as
Finding objects for the views that need objects.
What does grow with the log: one entry per distinct case id (about 100 bytes each: needed to
notice a case appearing twice) and the temporary files of findings.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
from dataclasses import dataclass, field
from typing import Iterable, Iterator

from ..inputs.cases import CASE_SUFFIXES
from ..inputs.own import leave_out_own
from ..inputs.csvlog import RowError, csv_header, iter_csv_rows
from ..inputs.files import find_files, split_sources
from ..model import MAX_ERRORS_PER_FILE
from ..inputs.structured import check_not_binary
from ..model import WORKER_ALLOCATED, Case, Finding, InputError, InputProblem, Rule
from ..inputs.csvpieces import case_boundary, case_ids, plain_csv
from ..inputs.text import open_text
from ..inputs.census import TypeCensus
from . import dbpass
from .spill import Runs
from .judged import Scopes
from .tally import Tally
from .wholecases import read_documents, reread
from . import findings_frame
from .workers import SEQ_SHIFT, Dask, InProcess, Pool, columnar_module

BATCH_CASES = 256  # cases sent to a worker at once (amortises pickling)
CHUNK_BYTES = 1 << 20  # a piece of a CSV log read and checked by a worker
# ... by the columnar path, whose cost per piece is higher: 8 MB in this process; 4 MB in each
# worker, as each holds its piece's frames (about 30 times the piece at their peak)
COLUMNAR_CHUNK_BYTES = 8 << 20
COLUMNAR_WORKER_CHUNK_BYTES = 4 << 20
SPILL_RECORDS = 200_000  # findings held in memory (about 25 MB as columns) before a sorted run is written to disk
# --- the pass over the inputs -----------------------------------------------------------------

@dataclass
class _FileLog:
    """What one input file said: its errors and the cases it spoiled, in the order met."""

    errors: list[InputError] = field(default_factory=list)
    notes: list[InputError] = field(default_factory=list)  # warnings: read, but suspect
    taints: list[tuple[str, InputError]] = field(default_factory=list)


@dataclass
class _FileState:
    """The parallel reader's place in one CSV file."""

    fi: int
    log: _FileLog
    run_ids: list = field(default_factory=list)
    last_id: str | None = None
    defer_all: bool = False
    errors: int = 0
    abandoned: InputProblem | None = None


@dataclass
class StreamResult:
    """The outcome of check_paths. Its findings are given once, either as `findings` (an iterator
    of Finding objects) or, where `frames` is not None, as frames: batches of whole cases in the
    findings' order (replay.findings_frame), counted by the tally as they go (no register to
    apply), for writers that work by columns. Consume one of the two, once."""

    n_cases: int
    findings: Iterator[Finding]
    errors: list[InputError]
    _breach: bool
    _runs: Runs | None = None
    notes: list[InputError] = field(default_factory=list)  # warnings about inputs that were still read
    _tally: Tally | None = None
    census: dict = field(default_factory=dict)  # TypeCensus: every event type read
    judged: set = field(default_factory=set)  # ids of rules that gave findings not kept (replay.judged)
    scopes: Scopes | None = None  # the checked cases' scope attributes (replay.judged)
    frames: Iterator | None = None  # polars frames of FRAME_SCHEMA, or None: use `findings`

    @property
    def breach(self) -> bool:
        """A breach of a breach-severity rule. With a tally (an exceptions register applied in this
        process), known once `findings` has been consumed: excused breaches do not count."""
        return self._tally.breach if self._tally is not None else self._breach

    def close(self):
        if self._runs is not None:
            self._runs.close()


class _Pass:
    def __init__(self, rules: list[Rule], executor, runs: Runs, chunk_bytes: int):
        self.rules, self.ex, self.runs, self.chunk_bytes = rules, executor, runs, chunk_bytes
        self.wanted = {t for r in rules for t in r.event_types()} | {WORKER_ALLOCATED}
        self.seen: dict[str, int] = {}  # every case id with a readable record -> first file index
        self.deferred: dict[str, None] = {}  # ids to be read again and checked whole
        self.reread_files: set[int] = set()  # indices of the CSV files that hold deferred cases
        self.tainted: set[str] = set()
        self.breach: list[dict[str, None]] = [{}, {}]  # per phase: ids of cases with a breach
        self.phase = 0  # 0: cases checked as their run ended; 1: deferred cases, checked whole
        self.batch: list[Case] = []
        self.census = TypeCensus()  # every event type read, wanted or not (for the warnings)
        self.notes: list[InputError] = []  # warnings about CSV files that were still read
        self.tables: dict[str, dict] = {}  # case id -> attributes from the CSV case tables
        self.table_files: set[int] = set()  # indices of the files that are case tables
        self.judged: set[str] = set()  # rules that gave findings not kept (only breaches kept)
        self.scopes = Scopes(rules)  # the checked cases' scope attributes (rules that judged no case)

    def emit(self, case) -> None:
        self.batch.append(case)
        if len(self.batch) >= BATCH_CASES:
            self.flush()

    def flush(self) -> None:
        batch, self.batch = self.batch, []
        if batch:
            self._take(self.ex.submit(("cases", batch)))

    def _take(self, results) -> None:
        for kind, payload, judged in results:
            self.judged |= judged
            if kind == "cases":
                for entry in payload:
                    self._add(entry)
            else:
                self._chunk_result(*payload)

    def _add(self, entry) -> None:
        cid, attrs, recs, has_breach = entry
        if self.scopes.keys:
            self.scopes.case(cid, attrs if attrs is not None else self.tables.get(cid))
        if has_breach:
            self.breach[self.phase][cid] = None
        if attrs and attrs == self.tables.get(cid):
            attrs = None  # the case table's: looked up again at the end (final), not spilled to disk
        self.runs.add((cid, attrs, recs, self.phase))

    def finish(self) -> None:
        self.flush()
        self._take(self.ex.drain())

    def read_csv(self, file: str, fi: int, log: _FileLog) -> None:
        f = open_text(file, log.notes)
        base = fi << SEQ_SHIFT
        run_ids: list[str] = []  # each run's case id, in order: the cases this file touched
        seen, deferred = self.seen, self.deferred
        wanted = self.wanted  # rows of types no rule names are read (and checked) but not kept
        cur_id, cur_events, cur_check = None, None, False
        defer_all = False
        n = 0
        type_count: dict[str, int] = {}  # every type read (for the warnings), and its first line
        type_line: dict[str, int] = {}
        try:
            with f:
                for row in iter_csv_rows(file, f, wanted):
                    if isinstance(row, RowError):
                        err = InputError(file, row.line, row.message)
                        log.errors.append(err)
                        if row.case is not None:
                            log.taints.append((row.case, err))
                            self.tainted.add(row.case)
                        continue
                    cid, date, etype, attrs, line = row
                    n += 1
                    if etype in type_count:
                        type_count[etype] += 1
                    else:
                        type_count[etype], type_line[etype] = 1, line
                    if cid != cur_id:
                        if cur_check:
                            self._end_run(cur_id, cur_events, file)
                        cur_id, cur_events = cid, []
                        run_ids.append(cid)
                        if cid in seen:
                            # Met before: in this file the log is not grouped by case (defer
                            # the rest of it), in another file the case is split across files.
                            defer_all = defer_all or seen[cid] == fi
                            deferred[cid] = None
                            self.reread_files.update((fi, seen[cid]))
                            cur_check = False
                        else:
                            seen[cid] = fi
                            cur_check = not defer_all
                            if defer_all:
                                deferred[cid] = None
                                self.reread_files.add(fi)
                    if cur_check and etype in wanted:
                        cur_events.append((date, etype, attrs, base | n, line))
                if cur_check:
                    self._end_run(cur_id, cur_events, file)
        except InputProblem as p:
            for cid in run_ids:  # abandoned part-way: every case it touched may be incomplete
                log.taints.append((cid, p.error))
                self.tainted.add(cid)
            raise
        finally:
            for t, k in type_count.items():
                self.census.add(t, file, type_line[t], k)

    def read_csv_parallel(self, file: str, fi: int, log: _FileLog) -> None:
        """A CSV log cut into pieces of whole lines, each ending where a case does; the pieces
        are read and checked by the workers and judged here in file order. Only for files with no
        quote, NUL or lone CR (see _plain_csv), where a line is a row."""
        with open(file, "rb") as f:
            head = f.read(8192)
            check_not_binary(file, head)
            f.seek(3 if head.startswith(b"\xef\xbb\xbf") else 0)
            header = f.readline()
            try:
                layout = csv_header(file, csv.reader([header.decode("utf-8")]))
            except UnicodeDecodeError as e:
                raise InputProblem(file, 1, f"cannot read the header row: {e}") from None
            self.state, self.state_file = _FileState(fi, log), file
            line_base, carry = 1, b""
            try:
                while self.state.abandoned is None:
                    block = f.read(self.chunk_bytes)
                    data = carry + block
                    if not block:
                        cut = len(data)
                    else:
                        cut = case_boundary(data, layout.case)
                    carry = data[cut:]
                    if cut:
                        piece = data[:cut]
                        self._take(self.ex.submit(("chunk", file, fi, layout, line_base, piece,
                                                   self._piece_attrs(piece, layout.case))))
                        line_base += data.count(b"\n", 0, cut)
                    if not block:
                        break
                self._take(self.ex.drain())
            except InputProblem as p:  # a piece the file's reader abandoned (in a worker)
                self._abandon(p)
                self._take(self.ex.drain())  # the other pieces in flight: dropped, as abandoned
        if self.state.abandoned is not None:
            raise self.state.abandoned

    def _piece_attrs(self, piece: bytes, ic: int) -> dict | None:
        """The case tables' attributes of the piece's cases, for the reader of the piece: a rule's
        scope (applies_to) and who held a case are judged on them."""
        if not self.tables:
            return None
        tables = self.tables
        return {cid: tables[cid] for cid in case_ids(piece, ic) if cid in tables}

    def _chunk_result(self, fi: int, items: list) -> None:
        st = self.state
        if st.abandoned is not None:
            return
        seen, log = self.seen, st.log
        first_run = True
        for item in items:
            if item[0] == "t":  # the event types in the piece: type -> (first line, count)
                for t, (line, k) in item[1].items():
                    self.census.add(t, self.state_file, line, k)
            elif item[0] == "r":
                self._run(st, fi, item[1], item[2], first_run)
                first_run = False
            elif item[0] == "R":  # a clean piece's runs at once (columnar.piece): ids, ids with a breach
                ids, breached = item[1], item[2]
                if (first_run and not st.defer_all and ids and ids[0] != st.last_id and len(set(ids)) == len(ids)
                        and seen.keys().isdisjoint(ids)):
                    self._add_new(ids, breached, fi)  # the usual case: every run a case not seen before
                    st.run_ids.extend(ids)
                    st.last_id = ids[-1]
                else:
                    breached, done = set(breached), set()
                    for cid in ids:
                        self._run(st, fi, cid, (cid, None, (), cid in breached and cid not in done), first_run)
                        done.add(cid)
                        first_run = False
                first_run = first_run and not ids
            elif item[0] == "f":  # the piece's findings as one frame (its runs' entries carry none)
                self.runs.add_frame(item[1])
            elif item[0] == "u":  # a case in a piece its reader gave up on: named, never checked
                st.run_ids.append(item[1])
            elif item[0] == "x":  # where that reader gave up: the file is abandoned there
                self._abandon(InputProblem(self.state_file, item[1], item[2]))
                return
            else:
                _, line, message, cid = item
                err = InputError(self.state_file, line, message)
                log.errors.append(err)
                if cid is not None:
                    log.taints.append((cid, err))
                    self.tainted.add(cid)
                st.errors += 1
                if st.errors >= MAX_ERRORS_PER_FILE:
                    self._abandon(InputProblem(err.file, line, f"more than {MAX_ERRORS_PER_FILE} bad rows; the rest "
                                                               "of the file was not read and none of its cases was checked"))
                    return

    def _run(self, st: _FileState, fi: int, cid: str, entry: tuple, first_run: bool) -> None:
        """One run of rows of one case, checked by a worker: kept, or deferred to be checked whole."""
        seen, deferred = self.seen, self.deferred
        st.run_ids.append(cid)
        if first_run and cid == st.last_id:
            # A case cut between two pieces (only where a bad row of another case sat
            # between its rows): correct but not ungrouped, so check it whole later.
            deferred[cid] = None
            self.reread_files.add(fi)
        elif cid in seen:
            st.defer_all = st.defer_all or seen[cid] == fi
            deferred[cid] = None
            self.reread_files.update((fi, seen[cid]))
        else:
            seen[cid] = fi
            if st.defer_all:
                deferred[cid] = None
                self.reread_files.add(fi)
            else:
                self._add(entry)
        st.last_id = cid

    def _add_new(self, ids: list[str], breached: list[str], fi: int) -> None:
        """_run for runs of cases none seen before, each once, with no findings in their entries
        (the piece's findings came as a frame): what _run and _add do for each, at once."""
        self.seen.update(dict.fromkeys(ids, fi))
        if self.scopes.keys:
            tables = self.tables
            for cid in ids:
                self.scopes.case(cid, tables.get(cid))
        self.breach[self.phase].update(dict.fromkeys(breached))

    def _abandon(self, p: InputProblem) -> None:
        """The file being read in pieces is given up: every case it touched may be incomplete."""
        st = self.state
        for t in st.run_ids:
            st.log.taints.append((t, p.error))
            self.tainted.add(t)
        st.abandoned = p

    def _end_run(self, cid: str, rows: list[tuple], file: str) -> None:
        if cid not in self.tainted:
            self.emit((cid, self.tables.get(cid, {}), file, rows))


def check_paths(paths: Iterable[str], rules: list[Rule], as_at: dt.date, *, workers: int = 1,
                keep_all: bool = False, dask_address: str | None = None,
                spill_records: int = SPILL_RECORDS, chunk_bytes: int | None = None,
                min_parallel_bytes: int = 0, tally: Tally | None = None,
                columnar_path: bool = True, documents_in_workers: bool | None = None) -> StreamResult:
    """Findings for every case under paths: the same as load_cases + check, in bounded memory.

    Only breaches are returned unless keep_all. workers > 1 checks cases in that many processes;
    dask_address checks them on an existing Dask cluster. Raises WorkerDied if a worker is lost.
    Inputs smaller than min_parallel_bytes in all are checked here: starting workers would cost
    more than it saves. With workers (or chunk_bytes, for tests), a plain CSV log is cut into pieces of chunk_bytes
    that the workers read as well as check; otherwise this process reads it row by row.
    tally: applied here to each finding as it is expanded (an exceptions register, the counts);
    the result's `breach` then comes from it. The result's `census` names every event type read.
    columnar_path (on by default, where polars is installed): plain CSV logs are read in pieces
    and each clean piece is checked by the columnar path (replay.columnar: the same findings);
    False checks every case with the replay engine alone, the reference.
    documents_in_workers: YAML/JSON case files parsed by the executor (True: even in this
    process, for tests); None: by the worker processes where there are some, not on Dask (its
    workers may not see the files: this process reads them, as it reads the logs it cuts).
    """
    rules = list(rules)
    urls, paths = split_sources(paths)
    # workbooks are looked at only to name casecheck's own among those skipped (a council return
    # is read whole, never here)
    files, errors = find_files(paths, CASE_SUFFIXES + (".xlsx",), "case file")
    files, own_errors, own_notes = leave_out_own(paths, files)  # casecheck's outputs are not cases
    files = [f for f in files if not f.lower().endswith(".xlsx")]
    errors += own_errors
    col = columnar_path and columnar_module() is not None
    indexed = list(enumerate(files))
    dbs = [(len(files) + i, url) for i, url in enumerate(urls)]  # databases come after the files
    logs = [_FileLog() for _ in files + urls]
    if dask_address:
        ex = Dask(rules, as_at, keep_all, dask_address, col)
    elif workers > 1 and (sum(os.path.getsize(f) for f in files) + sum(map(dbpass.approx_bytes, urls))
                          >= min_parallel_bytes):
        ex = Pool(rules, as_at, keep_all, workers, col)
    else:
        ex = InProcess(rules, as_at, keep_all, col)
    runs = Runs(spill_records)
    piece = (COLUMNAR_WORKER_CHUNK_BYTES if ex.parallel else COLUMNAR_CHUNK_BYTES) if col else CHUNK_BYTES
    p = _Pass(rules, ex, runs, chunk_bytes or piece)
    try:
        in_workers = documents_in_workers if documents_in_workers is not None else ex.parallel and not dask_address
        docs = read_documents(indexed, logs, p, in_workers)
        for fi, file in indexed:
            if file.lower().endswith(".csv") and fi not in p.table_files:
                try:
                    if (ex.parallel or chunk_bytes or col) and plain_csv(file):
                        p.read_csv_parallel(file, fi, logs[fi])
                    else:
                        p.read_csv(file, fi, logs[fi])
                except InputProblem as e:
                    logs[fi].errors.append(e.error)
        for fi, url in dbs:
            dbpass.read_database(p, url, fi, logs[fi], fi << SEQ_SHIFT)
        # Cases from YAML/JSON only, and every deferred case, are checked whole now.
        p.finish()
        p.phase = 1
        deferred = {cid: None for cid in p.deferred if cid not in p.tainted}
        csv_files = [(fi, f) for fi, f in indexed if fi in p.reread_files]
        again = reread(csv_files, deferred, docs)
        for fi, url in dbs:
            if fi in p.reread_files:
                dbpass.reread_database(url, {c.id: c for c in again}, fi << SEQ_SHIFT)
        for case in again:
            p.emit(case)
        for cid, case in docs.cases.items():
            if cid not in p.tainted and cid not in p.deferred:
                p.emit(case)
        for cid, attrs in p.tables.items():  # in a case table only: a case with no events
            if cid not in p.seen and cid not in p.tainted:
                p.seen[cid] = -1
                p.emit(Case(cid, dict(attrs), [], docs.table_where(cid)[0]))
        p.finish()
    except BaseException:
        runs.close()
        ex.close(abort=True)
        raise
    ex.close()
    tainted: dict[str, InputError] = {}
    notes = own_notes + list(docs.notes)
    for log in logs:
        errors.extend(log.errors)
        notes.extend(log.notes)
        for cid, err in log.taints:
            tainted.setdefault(cid, err)
    for cid, first in tainted.items():
        errors.append(InputError(first.file, first.line, f"case {cid} not checked: part of its timeline could not be read"))
    n_cases = len(p.seen) - sum(1 for cid in tainted if cid in p.seen)
    deferred_ids = p.deferred
    batches = runs.merged(set(tainted), set(deferred_ids))
    tables, own = p.tables, runs.attrs

    def attrs_of(cid):
        found = own.get(cid)
        return found if found is not None else tables.get(cid, {})
    findings = (f for batch in batches for f in findings_frame.expand(batch, rules, attrs_of))
    frames = None
    if tally is not None:
        if not tally.register.entries:  # nothing to excuse: counted by columns, objects only if asked
            frames = tally.over_frames(batches, rules)
            findings = (f for batch in frames for f in findings_frame.expand(batch, rules, attrs_of))
        else:
            findings = tally.over(findings)
    breach = (any(cid not in tainted and cid not in deferred_ids for cid in p.breach[0])
              or any(cid not in tainted for cid in p.breach[1]))
    return StreamResult(n_cases, findings, errors, breach, runs, notes + p.notes, tally, p.census, p.judged, p.scopes,
                        frames)
