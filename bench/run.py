"""The benchmark runner: every measurement the README's Scale and speed section states, on the same
seeded logs, one at a time, each in a process of its own.

    python3 -m venv bench/.venv && bench/.venv/bin/pip install -r bench/requirements.txt   # peers, once
    python bench/run.py                                   # core and peers at 1k, 10k, 100k cases
    python bench/run.py --sizes 100000 --only pipeline    # the rest of the pipeline (database writers,
                                                          # summary, due, report, --workers 2, --dask)
    python bench/run.py --sizes 100000 --only core,yaml --rounds 3
    python bench/run.py --sizes 100000 --only "check --format json,summary"   # rows by name (or part)
    python bench/run.py --sizes 100000 --only "casecheck, full library, 1 worker" --only reference
    python bench/run.py --table bench/out/results.jsonl   # the table of a recorded run, nothing run
    python bench/run.py --list                            # every row, its group and its baseline

`python` is the project's venv (casecheck installed). Groups (--only takes groups and parts of row
names, comma-separated; default core,peers):
- core: casecheck through its API (bench/measure.py: 1 worker, the default, 2 workers, the replay
  engine only, the columnar path alone) with the bundled library (breaches written as --format
  json, to /dev/null) and with the timed responses (bench/rules-response.yaml, every finding
  digested); the plain bisect reference (bench/reference.py) and the columnar prototype
  (bench/prototype.py) on the timed responses. The digests of the timed-response rows must agree.
- peers: Declare4Py and PM4Py (bench/peers.py, in bench/.venv), up to --peer-max / --pm4py-max cases.
- pipeline: whole `casecheck` commands on the log folder with the bundled library, from start to
  exit: check --format json (the baseline), check --output sqlite:/// and postgresql:// (a
  throwaway server from the `pgserver` package, a fresh database each time), summary, due,
  report, check --workers 2 and check --dask on a LocalCluster of 2 workers.
- yaml: one-case YAML files against the same cases in one CSV log (--yaml-cases of the log).
- dbread: check of a generated SQLite case database (bench/database.py) of the size.

Logs: for each size N, LOGS/log-N/events.csv and its case table (bench/generate.py makes them when
missing; LOGS is --logs, default bench/out). Each row is appended as a JSON line to --out (default
bench/out/results.jsonl) as soon as it is measured; the table follows. Seconds: the API rows
(core, peers) from reading the rules to the last finding written, without interpreter start-up;
the command rows (pipeline, yaml, dbread) the whole command. Peak RSS: the largest process, and
the sum over the whole process tree (workers, a Dask cluster), sampled every 0.5 s; the command
rows also record CPU seconds (the command and its workers), whose ratio is shown after the wall
time's: steadier on a shared machine. Ratios are
each row's seconds over its baselines' in the same round and size (--list names them); with
--rounds N the rows run in N interleaved rounds, and the table shows the median seconds and
each round's ratio: on a shared machine, ratios within a round are what count.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Callable

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
AS_AT = "2026-11-01"
DB_AS_AT = "2024-06-30"  # bench/database.py's cases run from 2021 to 2024
PEER_PY = os.path.join(HERE, ".venv", "bin", "python")
RESPONSE = os.path.join(HERE, "rules-response.yaml")
FULL = os.path.join(ROOT, "rules")
# The package as it was before the latest round of speed work (commit 55fcea0), for ratios in the same run:
#   git worktree add /tmp/before 55fcea0 && pip install --no-deps --target bench/out/main-pkg /tmp/before
MAIN_PKG = os.path.join(OUT, "main-pkg")
sys.path.insert(0, HERE)  # yamlfolder

FULL_1 = "casecheck, full library, 1 worker"
RESP_1 = "casecheck, timed responses, 1 worker"
REFERENCE = "plain Python reference (bisect)"
PROTOTYPE = "columnar prototype, timed responses"
CHECK_JSON = "check --format json"
YAML_CSV = "check, the same cases in one CSV"
GROUPS = ("core", "peers", "pipeline", "yaml", "dbread")


@dataclass
class Ctx:
    """What a row's command is made from, for one size."""
    n: int
    log: str  # LOGS/log-N/events.csv
    tmp: str  # a scratch folder, emptied after each row
    cores: int
    pg: Callable[[], str] | None = None  # a fresh PostgreSQL database's URL
    yaml_folder: str = ""
    json_folder: str = ""
    yaml_csv: str = ""
    cases_db: str = ""

    @property
    def folder(self) -> str:  # the log and its case table, as a council's export is read
        return os.path.dirname(self.log)


@dataclass
class Row:
    name: str
    group: str
    rules: str  # full, response, pipeline, yaml, dbread: which rows' results are alike
    command: Callable[[Ctx], list[str]]
    baselines: tuple[str, ...] = ()
    env: dict | None = field(default=None)
    needs: str = ""  # main-pkg, peer-venv, postgresql


def _me(*args) -> list[str]:
    return [sys.executable, os.path.join(HERE, "measure.py"), *args]


def _cli(*args, dask: int = 0) -> list[str]:
    pre = ["--dask-workers", str(dask)] if dask else []
    return _me("cli", *pre, "--", sys.executable, "-m", "casecheck", *args)


def _peer(tool: str) -> Callable[[Ctx], list[str]]:
    return lambda c: [PEER_PY, os.path.join(HERE, "peers.py"), tool, c.log, AS_AT]


def _check(c: Ctx, *more: str) -> list[str]:
    return _cli("check", c.folder, "--rules", FULL, "--as-at", AS_AT, *more)


ROWS = [
    Row(FULL_1, "core", "full", lambda c: _me("casecheck", c.folder, AS_AT, "1", FULL)),
    Row("casecheck, full library, default workers", "core", "full",
        lambda c: _me("casecheck", c.folder, AS_AT, "default", FULL), (FULL_1, REFERENCE, PROTOTYPE)),
    Row("casecheck, full library, 2 workers", "core", "full",
        lambda c: _me("casecheck", c.folder, AS_AT, "2", FULL), (FULL_1,)),
    Row("casecheck, full library, 1 worker, replay engine only", "core", "full",
        lambda c: _me("casecheck", c.folder, AS_AT, "1", FULL, "replay"), (FULL_1,)),
    Row("columnar path alone, full library", "core", "full", lambda c: _me("columnar", c.folder, AS_AT, FULL),
        (FULL_1,)),
    Row("casecheck at 55fcea0, full library, 1 worker", "core", "full",
        lambda c: _me("casecheck", c.folder, AS_AT, "1", FULL), (FULL_1,), dict(PYTHONPATH=MAIN_PKG), "main-pkg"),
    Row(RESP_1, "core", "response", lambda c: _me("casecheck", c.folder, AS_AT, "1", RESPONSE),
        (REFERENCE, PROTOTYPE)),
    Row("casecheck, timed responses, default workers", "core", "response",
        lambda c: _me("casecheck", c.folder, AS_AT, "default", RESPONSE), (REFERENCE, PROTOTYPE)),
    Row("columnar path alone, timed responses", "core", "response",
        lambda c: _me("columnar", c.folder, AS_AT, RESPONSE), (REFERENCE, PROTOTYPE)),
    Row("casecheck at 55fcea0, timed responses, 1 worker", "core", "response",
        lambda c: _me("casecheck", c.folder, AS_AT, "1", RESPONSE), (RESP_1,), dict(PYTHONPATH=MAIN_PKG), "main-pkg"),
    Row(REFERENCE, "core", "response", lambda c: _me("reference", c.log, AS_AT), (RESP_1,)),
    Row(PROTOTYPE, "core", "response", lambda c: _me("prototype", c.log, AS_AT), (RESP_1,)),
    Row("Declare4Py 2.2.0 (MP-Declare)", "peers", "response", _peer("declare4py"), (RESP_1,), needs="peer-venv"),
    Row("PM4Py temporal profile", "peers", "response", _peer("pm4py"), (RESP_1,), needs="peer-venv"),
    # the rest of the pipeline: whole commands, the bundled library, the log with its case table
    Row(CHECK_JSON, "pipeline", "pipeline",
        lambda c: _check(c, "--format", "json", "-o", os.path.join(c.tmp, "findings.json"))),
    Row("check --output sqlite:///", "pipeline", "pipeline",
        lambda c: _check(c, "--output", f"sqlite:///{os.path.join(c.tmp, 'runs.db')}"), (CHECK_JSON,)),
    Row("check --output postgresql://", "pipeline", "pipeline",
        lambda c: _check(c, "--output", c.pg()), (CHECK_JSON,), needs="postgresql"),
    Row("summary", "pipeline", "pipeline",
        lambda c: _cli("summary", c.folder, "--rules", FULL, "--as-at", AS_AT, "-o", os.path.join(c.tmp, "s.txt")),
        (CHECK_JSON,)),
    Row("due", "pipeline", "pipeline",
        lambda c: _cli("due", c.folder, "--rules", FULL, "--as-at", AS_AT, "-o", os.path.join(c.tmp, "due.txt")),
        (CHECK_JSON,)),
    Row("report", "pipeline", "pipeline",
        lambda c: _cli("report", c.folder, "--rules", FULL, "--as-at", AS_AT, "-o", os.path.join(c.tmp, "r.html")),
        (CHECK_JSON,)),
    Row("check --format json --workers 1", "pipeline", "pipeline",
        lambda c: _check(c, "--format", "json", "-o", os.path.join(c.tmp, "f.json"), "--workers", "1"),
        (CHECK_JSON,)),
    Row("check --format json --workers 2", "pipeline", "pipeline",
        lambda c: _check(c, "--format", "json", "-o", os.path.join(c.tmp, "f.json"), "--workers", "2"),
        (CHECK_JSON,)),
    Row("check --format json --dask (LocalCluster, 2 workers)", "pipeline", "pipeline",
        lambda c: _cli("check", c.folder, "--rules", FULL, "--as-at", AS_AT, "--format", "json",
                       "-o", os.path.join(c.tmp, "f.json"), "--dask", "{dask}", dask=2),
        (CHECK_JSON, "check --format json --workers 2")),
    # one-case YAML files against one CSV log of the same cases
    Row(YAML_CSV, "yaml", "yaml", lambda c: _cli("check", c.yaml_csv, "--rules", FULL, "--as-at", AS_AT,
                                                 "--format", "json", "-o", os.devnull, "--workers", "1")),
    Row("check, one-case YAML files", "yaml", "yaml",
        lambda c: _cli("check", c.yaml_folder, "--rules", FULL, "--as-at", AS_AT, "--format", "json",
                       "-o", os.devnull, "--workers", "1"), (YAML_CSV,)),
    Row("check, one-case JSON files", "yaml", "yaml",
        lambda c: _cli("check", c.json_folder, "--rules", FULL, "--as-at", AS_AT, "--format", "json",
                       "-o", os.devnull, "--workers", "1"), (YAML_CSV,)),
    # reading a case database (bench/database.py's cohort)
    Row("check sqlite:/// case database, 1 worker", "dbread", "dbread",
        lambda c: _cli("check", f"sqlite:///{c.cases_db}", "--as-at", DB_AS_AT, "--format", "csv",
                       "-o", os.devnull, "--workers", "1")),
]


def chosen(only: list[str]) -> list[Row]:
    """Rows whose group is named, or whose name is a part of --only (comma-separated, unless the
    whole is a row's name: names have commas), or else contains it."""
    names = {r.name for r in ROWS}
    parts = [p.strip() for o in only for p in ([o] if o in names else o.split(",")) if p.strip()]

    def named(part: str, row: Row) -> bool:
        return part == row.name if part in names else part in row.name
    out = [r for r in ROWS if r.group in parts or any(p not in GROUPS and named(p, r) for p in parts)]
    unknown = [p for p in parts if p not in GROUPS and not any(named(p, r) for r in ROWS)]
    if unknown:
        sys.exit(f"--only: no group or row named {', '.join(unknown)} (groups: {', '.join(GROUPS)}; --list names the rows)")
    return out


def ensure_log(logs: str, n: int) -> str:
    log = os.path.join(logs, f"log-{n}", "events.csv")
    if not os.path.exists(log):
        os.makedirs(os.path.dirname(log), exist_ok=True)
        subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), "-o", log], check=True)
    return log


class Postgres:
    """A throwaway PostgreSQL server (the `pgserver` package, as the tests use), started on first
    use; each call gives a fresh, empty database."""

    def __init__(self):
        self.server = self.folder = None
        self.made = 0

    def __call__(self) -> str:
        import sqlalchemy as sa
        if self.server is None:
            import warnings
            self.folder = tempfile.mkdtemp(prefix="casecheck-bench-pg-")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                import pgserver
                self.server = pgserver.get_server(os.path.join(self.folder, "data"), cleanup_mode="delete")
        self.made += 1
        name = f"bench_{os.getpid()}_{self.made}"
        base = sa.make_url(self.server.get_uri()).set(drivername="postgresql+psycopg")
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
        admin.dispose()
        return base.set(drivername="postgresql", database=name).render_as_string(hide_password=False)

    def close(self):
        if self.server is not None:
            self.server.cleanup()
            shutil.rmtree(self.folder, ignore_errors=True)


def measure(row: Row, ctx: Ctx, timeout: int) -> dict:
    env = dict(os.environ, CI="1", **(row.env or {}))
    t = time.time()
    try:
        cmd = row.command(ctx)
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd=ROOT, env=env)
        if p.returncode != 0:
            return {"error": (p.stderr.strip() or p.stdout.strip())[-300:], "wall": round(time.time() - t, 1)}
        res = json.loads(p.stdout.strip().splitlines()[-1])
    except subprocess.TimeoutExpired:
        res = {"error": f"timed out after {timeout} s"}
    except (IndexError, json.JSONDecodeError):
        res = {"error": p.stderr[-300:]}
    res["wall"] = round(time.time() - t, 1)
    return res


def prepare(rows: list[Row], ctx: Ctx, logs: str, yaml_cases: int) -> None:
    """The inputs some rows need besides the log: YAML files, a case database."""
    if any(r.group == "yaml" for r in rows):
        import yamlfolder
        k = min(ctx.n, yaml_cases)
        ctx.yaml_folder, ctx.yaml_csv = yamlfolder.write_inputs(ctx.log, k, os.path.join(logs, f"yaml-{k}-of-{ctx.n}"))
        ctx.json_folder = yamlfolder.write_json(ctx.yaml_csv, os.path.join(logs, f"json-{k}-of-{ctx.n}"))
    if any(r.group == "dbread" for r in rows):
        ctx.cases_db = os.path.join(logs, f"cases-{ctx.n}.db")
        if not os.path.exists(ctx.cases_db):
            subprocess.run([sys.executable, os.path.join(HERE, "database.py"), str(ctx.n), "-o", ctx.cases_db],
                           check=True)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="1000,10000,100000", help="cases, comma-separated")
    ap.add_argument("--only", action="append", help=f"groups ({', '.join(GROUPS)}) or row names (or parts), "
                                                    "comma-separated; or one row's whole name; repeatable "
                                                    "(default: core,peers)")
    ap.add_argument("--rounds", type=int, default=1, help="run the rows this many times, interleaved")
    ap.add_argument("--logs", default=OUT, help="the folder of log-N/ (made there when missing)")
    ap.add_argument("--out", default=os.path.join(OUT, "results.jsonl"), help="results, appended as JSON lines")
    ap.add_argument("--peer-max", type=int, default=100_000, help="largest size given to the peers")
    ap.add_argument("--pm4py-max", type=int, default=10_000,
                    help="largest size given to PM4Py: it held 2 GB at 10,000 cases, growing with the log")
    ap.add_argument("--yaml-cases", type=int, default=5000, help="cases of the log written as one-case YAML files")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--table", metavar="RESULTS_JSONL", help="print the table of a recorded run, run nothing")
    ap.add_argument("--list", action="store_true", help="name every row, its group and baselines, run nothing")
    a = ap.parse_args(argv)
    if a.table:
        with open(a.table) as f:
            print_table([json.loads(line) for line in f if line.strip()])
        return
    if a.list:
        for r in ROWS:
            print(f"{r.group:9} {r.name}" + (f"  (x {'; x '.join(r.baselines)})" if r.baselines else ""))
        return
    rows = chosen(a.only or ["core,peers"])
    os.makedirs(os.path.dirname(os.path.abspath(a.out)), exist_ok=True)
    pg = Postgres()
    results = []
    try:
        for n in map(int, a.sizes.split(",")):
            log = ensure_log(a.logs, n)
            with open(log, "rb") as f:
                events = sum(1 for _ in f) - 1
            ctx = Ctx(n, log, "", os.cpu_count() or 1, pg)
            prepare(rows, ctx, a.logs, a.yaml_cases)
            for rnd in range(1, a.rounds + 1):
                for row in rows:
                    if skipped(row, n, a):
                        continue
                    ctx.tmp = tempfile.mkdtemp(prefix="casecheck-bench-")
                    try:
                        res = measure(row, ctx, a.timeout)
                    finally:
                        shutil.rmtree(ctx.tmp, ignore_errors=True)
                    cases = min(n, a.yaml_cases) if row.group == "yaml" else n
                    res.update(tool=row.name, group=row.group, rules=row.rules, baselines=list(row.baselines),
                               cases=cases, events=events if row.group not in ("yaml", "dbread") else None,
                               round=rnd)
                    if res.get("seconds") and res["events"]:
                        res["events_per_s"] = round(events / res["seconds"])
                    results.append(res)
                    print(json.dumps(res), flush=True)
                    with open(a.out, "a") as f:
                        f.write(json.dumps(res) + "\n")
    finally:
        pg.close()
    print()
    print_table(results)


def skipped(row: Row, n: int, a) -> bool:
    if row.needs == "main-pkg" and not os.path.isdir(MAIN_PKG):
        return True
    if row.needs == "peer-venv":
        return not os.path.exists(PEER_PY) or n > a.peer_max or ("PM4Py" in row.name and n > a.pm4py_max)
    return False


def ratios(results: list[dict]) -> dict:
    """(cases, round, tool) -> {baseline: this row's seconds over the baseline's}."""
    secs = {(r["cases"], r.get("round", 1), r["tool"]): r["seconds"] for r in results if r.get("seconds")}
    out = {}
    for r in results:
        key = (r["cases"], r.get("round", 1), r["tool"])
        if key in secs:
            out[key] = {b: round(secs[key] / secs[(key[0], key[1], b)], 2) for b in r.get("baselines", ())
                        if secs.get((key[0], key[1], b))}
    return out


def print_table(results: list[dict]) -> None:
    """One line a row and size: the median seconds over the rounds, peak RSS (the largest of the
    rounds), each baseline's ratio (every round's, the median first), and what it found."""
    rat = ratios(results)
    rows: dict[tuple, list[dict]] = {}
    for r in results:
        rows.setdefault((r["cases"], r["tool"]), []).append(r)
    print("| cases | tool | seconds | peak RSS MB (whole tree) | ratios | result |")
    print("| ---: | --- | ---: | ---: | --- | --- |")
    for (cases, tool), rs in rows.items():
        ok = [r for r in rs if "seconds" in r]
        if not ok:
            print(f"| {cases:,} | {tool} | - | - | - | {rs[-1].get('error', '')[:100]} |")
            continue
        secs = statistics.median(r["seconds"] for r in ok)
        own = max(r.get("rss_mb") or 0 for r in ok)
        tree = max(r.get("tree_rss_mb") or 0 for r in ok)
        rss = f"{own}" + (f" ({tree})" if tree > own + 5 else "")
        shown = []
        cpu = {(r["cases"], r.get("round", 1), r["tool"]): r["cpu_seconds"] for r in results if r.get("cpu_seconds")}
        for b in ok[0].get("baselines", ()):
            each = [rat[(cases, r.get("round", 1), tool)][b] for r in ok
                    if b in rat.get((cases, r.get("round", 1), tool), {})]
            if each:
                more = f" ({', '.join(map(str, each))})" if len(each) > 1 else ""
                shown.append(f"{statistics.median(each)}x {b}{more}")
            by_cpu = [round(cpu[(cases, r.get("round", 1), tool)] / cpu[(cases, r.get("round", 1), b)], 2)
                      for r in ok if cpu.get((cases, r.get("round", 1), b)) and (cases, r.get("round", 1), tool) in cpu]
            if by_cpu:
                shown.append(f"CPU {statistics.median(by_cpu)}x")
        print(f"| {cases:,} | {tool} | {round(secs, 2)} | {rss} | {'; '.join(shown) or '-'} | {result(ok[-1])} |")


def result(r: dict) -> str:
    if r.get("digest"):
        return f"digest {r['digest']}"
    if isinstance(r.get("findings"), dict):
        return ", ".join(f"{v} {k}" for k, v in sorted(r["findings"].items()))
    if "violations" in r:
        return f"{r['violations']} violations"
    if "deviations" in r:
        return f"{r['deviations']} deviations"
    if "exit" in r:
        return f"exit {r['exit']}"
    return ""


if __name__ == "__main__":
    main()
