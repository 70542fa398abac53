"""Where cases are checked: in this process, in a pool of worker processes, or on a Dask cluster.

Each worker compiles the rules once and returns its findings as compact tuples (cheap to pickle),
which the parent keeps as columns (replay.findings_frame); a worker that dies ends the run (WorkerDied), never half of it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections import deque
from types import MappingProxyType

from ..inputs.cases import parse_document
from ..inputs.csvlog import CsvLayout, RowError, csv_body
from ..model import Case, Event, Finding, InputProblem, Rule
from .engine import Replayer

SEQ_SHIFT = 32  # seq = file index << SEQ_SHIFT | position in the file: file order, then row order
CRASH_HOOK_ENV = "CASECHECK_TEST_CRASH_CASE"  # tests only: a worker checking this case id dies


# Measured on 2 cores (README "Scale and speed"), the log with its case table and the bundled
# library, JSON written, 2 workers against 1: 1.08x slower at 10,000 cases (17 MB), 1.28x faster
# at 100,000 (170 MB), 1.21x at a million. The parent reading pieces, judging results and writing
# findings competes with the workers for the cores, so on 2 cores the default is one process
# below 40 MB; with more cores, from 4 MB. Explicit --workers is always obeyed.
PARALLEL_FROM_BYTES = 4 << 20  # any number of cores: starting workers costs more than this saves
PARALLEL_FROM_BYTES_2_CORES = 40 << 20  # 1 or 2 cores: between the measured loss and the measured gain


def usable_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer than exist)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def parallel_from_bytes(cores: int | None = None) -> int:
    """The input size from which the default is a worker per core (check_paths' min_parallel_bytes)."""
    return PARALLEL_FROM_BYTES_2_CORES if (cores or usable_cores()) <= 2 else PARALLEL_FROM_BYTES


def default_workers(total_bytes: int, cores: int | None = None) -> int:
    """Worker processes for an input of total_bytes when --workers is not given."""
    cores = cores or usable_cores()
    return cores if cores > 1 and total_bytes >= parallel_from_bytes(cores) else 1


class WorkerDied(RuntimeError):
    """A worker process ended without returning its batch (killed, out of memory, crashed)."""


# --- compact findings -----------------------------------------------------------------------

def compact(f: Finding, index: dict) -> tuple:
    """A finding as a small picklable tuple (rule by index, events by type/date/seq), with its
    holder, extension and clock stops (ClockStop tuples pickle as they are)."""
    a, x = f.actual, f.extension
    return (index[f.rule.id], f.status, f.trigger.type, f.trigger.date, f.trigger.seq, f.due,
            None if a is None else a.type, None if a is None else a.date, f.days_late, f.working_days_late,
            f.worker, f.team, None if x is None else x.type, None if x is None else x.date, f.clock_stops, f.note)


def expand(case_id: str, attrs: dict, rec: tuple, rules: list[Rule]) -> Finding:
    """A compact finding as a Finding again."""
    ri, status, ttype, tdate, tseq, due, atype, adate, dl, wdl, worker, team, xtype, xdate, stops, note = rec
    return Finding(case_id, rules[ri], status, Event(tdate, ttype, NO_ATTRS, tseq), due,
                   None if atype is None else Event(adate, atype, NO_ATTRS), dl, wdl, attrs, worker, team,
                   None if xtype is None else Event(xdate, xtype, NO_ATTRS), stops, note=note)


# One read-only empty mapping for the attributes of events rebuilt from compact findings (which keep
# none): millions of findings are expanded after the last case is checked.
NO_ATTRS = MappingProxyType({})


def columnar_module():
    """The columnar path (replay.columnar), or None where polars or numpy cannot be imported;
    imported only when a run asks for it, as it costs a quarter of a second."""
    try:
        from . import columnar
    except ImportError:
        return None
    return columnar


class CaseChecker:
    """Rules compiled once (per process): checks cases into (id, attrs, compact findings, breach?)."""

    def __init__(self, rules: list[Rule], as_at: dt.date, keep_all: bool, crash_on: str | None = None,
                 columnar: bool = False):
        self.rules = rules
        self.replayer = Replayer(rules)
        self.wanted = set(self.replayer.by_type)  # the event types some rule reacts to
        self.index = {r.id: i for i, r in enumerate(rules)}
        self.as_at, self.keep_all = as_at, keep_all
        self.crash_on = crash_on  # tests only (CRASH_HOOK_ENV in the parent's environment)
        self.columnar = columnar_module() if columnar else None  # pieces of logs checked as columns
        self.reported: set[str] = set()  # rule ids already handed back as judged (run_task)

    def check(self, batch: list) -> list[tuple]:
        """batch: Case objects, or (id, attrs, file, rows) with rows (date, type, attrs, seq, line)."""
        out, index, as_at, keep_all = [], self.index, self.as_at, self.keep_all
        wanted = self.replayer.by_type
        for case in batch:
            if not isinstance(case, Case):
                # Only events some rule reacts to, on or before the as-at date, become Events:
                # the rest (visits and the like, often half a log) cannot change a finding.
                cid, attrs, file, rows = case
                case = Case(cid, attrs, [Event(d, t, a, s, file, ln) for d, t, a, s, ln in rows
                                         if t in wanted and d <= as_at], file)
            if self.crash_on is not None and case.id == self.crash_on:
                os._exit(3)  # tests only: a worker dying mid-batch
            findings = self.replayer.check_case(case, as_at, breaches_only=not keep_all)
            breach = any(f.fails_check for f in findings)
            out.append((case.id, case.attrs, [compact(f, index) for f in findings], breach))
        return out


# --- where cases are checked ------------------------------------------------------------------

class InProcess:
    parallel = False

    def __init__(self, rules, as_at, keep_all, columnar=False):
        self.checker = CaseChecker(rules, as_at, keep_all, columnar=columnar)

    def submit(self, task):
        yield run_task(self.checker, task)

    def drain(self):
        return iter(())

    def close(self, abort=False):
        pass


_WORKER: CaseChecker | None = None


def _worker_init(rules, as_at, keep_all, crash_on, columnar):
    global _WORKER
    from multiprocessing import resource_tracker
    from ..interrupts import ignore_in_worker
    ignore_in_worker()
    _quiet_tracker(resource_tracker)  # a worker relaunches a killed tracker too
    _WORKER = CaseChecker(rules, as_at, keep_all, crash_on, columnar)


def _worker_check(task):
    return run_task(_WORKER, task)


def run_task(checker: CaseChecker, task: tuple) -> tuple:
    """A unit of work for a worker: ("cases", batch), ("chunk", <a piece of a CSV log>) or
    ("documents", [(file index, path of a YAML/JSON case file)]).
    Returns (kind, result, judged): judged, the ids of the rules that gave findings not kept
    (only breaches are kept unless --all), each once per checker; with the findings kept, the
    rules that judged a case. A rule is looked for only until it is seen (Out.judged)."""
    if task[0] == "cases":
        result = "cases", checker.check(task[1])
    elif task[0] == "documents":  # YAML/JSON case files: (file index, path) -> what each does to a Builder
        result = "documents", [(fi, parse_document(file, fi << SEQ_SHIFT)) for fi, file in task[1]]
    else:
        result = "chunk", check_chunk(checker, *task[1:])
    judged = checker.replayer.judged
    new = frozenset(judged - checker.reported) if len(judged) > len(checker.reported) else frozenset()
    checker.reported |= new
    return result + (new,)


def check_chunk(checker: CaseChecker, file: str, fi: int, layout: CsvLayout, line_base: int, data: bytes,
                tables: dict | None = None):
    """Read and check a piece of a CSV log (whole lines, no quotes). Returns, in file order,
    ("r", case id, checked entry) for each run of rows of one case and ("e", line, message,
    case) for each bad row; the parent judges runs and errors in order, as the serial reader does.
    tables: the case tables' attributes of the piece's cases. A clean piece is checked by the
    columnar path when the checker has it (the same answer, tests/test_columnar_route.py)."""
    tables = tables or {}
    if checker.columnar is not None:
        try:
            return fi, _columnar_chunk(checker, file, fi, layout, line_base, data, tables)
        except checker.columnar.NotColumnar:
            pass  # a piece with a row needing the usual reader's checks: read the usual way
    reader = csv.reader(io.StringIO(data.decode("utf-8")))
    items, runs = [], []
    base = fi << SEQ_SHIFT
    cur = None
    types: dict[str, list] = {}  # event type -> [first line, count], for the parent's warnings
    try:
        for row in csv_body(file, reader, layout, line_base, max_errors=None, keep=checker.wanted):
            if isinstance(row, RowError):
                items.append(("e", row.line, row.message, row.case))
                continue
            cid, date, etype, attrs, line = row
            seen = types.get(etype)
            if seen is None:
                types[etype] = [line, 1]
            else:
                seen[1] += 1
            if cid != cur:
                cur, rows = cid, []
                runs.append((len(items), (cid, tables.get(cid, {}), file, rows)))
                items.append(None)
            if attrs is not None:  # else a type no rule names: the row only marks the case's run
                rows.append((date, etype, attrs, base | line, line))
    except InputProblem as p:
        # The file's reader gives up here, as the serial reader would: the parent names every case
        # the file touched ("u": touched, not checked) and abandons the file at this line ("x").
        for i, case in runs:
            items[i] = ("u", case[0])
        return fi, items + [("t", types), ("x", p.error.line, p.error.message)]
    for (i, case), (cid, _, recs, breach) in zip(runs, checker.check([c for _, c in runs])):
        items[i] = ("r", cid, (cid, None, recs, breach))  # None: the case table's attributes, not sent back
    items.append(("t", types))
    return fi, items


def _columnar_chunk(checker: CaseChecker, file: str, fi: int, layout: CsvLayout, line_base: int, data: bytes,
                    attrs: dict) -> list:
    header = [""] * layout.width
    for name, i in zip(("case", "date", "type"), layout[:3]):
        header[i] = name
    for i, name in layout.extra:
        header[i] = name
    items = checker.columnar.check_piece(file, fi << SEQ_SHIFT, header, line_base, data, checker.rules,
                                         checker.index, checker.as_at, checker.keep_all, attrs, compact,
                                         checker.replayer.judged)
    if checker.crash_on is not None and any(it[0] == "R" and checker.crash_on in it[1] for it in items):
        os._exit(3)  # tests only: a worker dying mid-piece
    return items


class Futures:
    """Batches out to an executor with a bounded number in flight; results back as they finish."""

    parallel = True

    def __init__(self, in_flight: int):
        self.pending: deque = deque()
        self.in_flight = in_flight

    def submit(self, batch):
        self.pending.append(self._submit(batch))
        while len(self.pending) > self.in_flight:
            yield from self._result(self.pending.popleft())

    def drain(self):
        while self.pending:
            yield from self._result(self.pending.popleft())


def _quiet_tracker(resource_tracker) -> None:
    """multiprocessing's resource tracker, started with its stderr on /dev/null: one killed and
    relaunched part-way prints a traceback for every semaphore it never saw (and a warning here)."""
    import warnings
    tracker = resource_tracker._resource_tracker
    if getattr(tracker, "_casecheck_quiet", False):
        return
    warnings.filterwarnings("ignore", message="resource_tracker: process died", category=UserWarning)
    start = tracker.ensure_running

    def ensure_running():
        null = os.open(os.devnull, os.O_WRONLY)
        saved = os.dup(2)
        try:
            os.dup2(null, 2)
            return start()
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            os.close(null)
    tracker.ensure_running = resource_tracker.ensure_running = ensure_running  # forkserver calls the module's
    tracker._casecheck_quiet = True


def _start_helpers(ctx) -> None:
    """Start multiprocessing's helper processes with Ctrl-C ignored, which they and the workers
    forked from them inherit: Ctrl-C reaches the whole process group, and is the main process's
    to handle (it ends the workers); a helper hit while still starting would print a traceback."""
    import signal
    from multiprocessing import forkserver, resource_tracker
    _quiet_tracker(resource_tracker)
    try:
        old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    except ValueError:  # not the main thread: nothing to set
        return
    # The forkserver (and so every worker forked from it) gets stderr on /dev/null too: a worker
    # has nothing to say there (a worker that dies is reported by this process), and a killed
    # tracker relaunched from a worker would print a traceback per semaphore it never saw.
    null, saved = os.open(os.devnull, os.O_WRONLY), os.dup(2)
    try:
        os.dup2(null, 2)
        resource_tracker.ensure_running()
        if ctx.get_start_method() == "forkserver":
            forkserver.ensure_running()
    finally:
        os.dup2(saved, 2)
        os.close(saved)
        os.close(null)
        signal.signal(signal.SIGINT, old)


class Pool(Futures):
    def __init__(self, rules, as_at, keep_all, workers, columnar=False):
        from concurrent.futures import ProcessPoolExecutor
        import multiprocessing as mp
        super().__init__(in_flight=workers * 3)
        ctx = mp.get_context("forkserver" if "forkserver" in mp.get_all_start_methods() else "spawn")
        _start_helpers(ctx)
        self.pool = ProcessPoolExecutor(workers, mp_context=ctx, initializer=_worker_init,
                                        initargs=(rules, as_at, keep_all, os.environ.get(CRASH_HOOK_ENV), columnar))

    def _submit(self, task):
        return self.pool.submit(_worker_check, task)

    def _result(self, fut):
        from concurrent.futures.process import BrokenProcessPool
        try:
            yield fut.result()
        except BrokenProcessPool as e:
            raise WorkerDied(f"a worker process died while checking cases ({e})") from None

    def close(self, abort=False):
        if abort:  # a worker died or the run failed: end the others, never wait on a broken pool
            for proc in list((self.pool._processes or {}).values()):
                proc.terminate()
        self.pool.shutdown(wait=not abort, cancel_futures=True)


_DASK_CHECKERS: dict = {}
DASK_CONNECT_SECONDS = 10


def _dask_check(token, rules, as_at, keep_all, columnar, task):
    checker = _DASK_CHECKERS.get(token)
    if checker is None:  # rules compiled once per Dask worker process
        checker = _DASK_CHECKERS[token] = CaseChecker(rules, as_at, keep_all, columnar=columnar)
    return run_task(checker, task)


class Dask(Futures):
    def __init__(self, rules, as_at, keep_all, address, columnar=False):
        from distributed import Client
        try:  # a bad or unreachable address is an error in bounded time, not a hang
            self.client = Client(address, set_as_default=False, timeout=DASK_CONNECT_SECONDS)
        except (ValueError, TypeError, OSError) as e:  # TimeoutError is an OSError
            raise WorkerDied(f"cannot use the Dask scheduler at {address!r} ({' '.join(str(e).split())[:200]})") from None
        n = max(1, sum(w.get("nthreads", 1) for w in self.client.scheduler_info()["workers"].values()))
        super().__init__(in_flight=n * 3)
        self.rules = self.client.scatter(rules, broadcast=True)
        self.args = (f"casecheck-{os.getpid()}-{id(self)}", as_at, keep_all, columnar)

    def _submit(self, task):
        token, as_at, keep_all, columnar = self.args
        return self.client.submit(_dask_check, token, self.rules, as_at, keep_all, columnar, task, pure=False)

    def _result(self, fut):
        try:
            yield fut.result()
        except Exception as e:  # a KilledWorker or a lost connection
            raise WorkerDied(f"the Dask cluster did not return a batch ({type(e).__name__}: {e})") from None

    def close(self, abort=False):
        self.client.close()
