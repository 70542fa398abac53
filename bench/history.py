"""The history benchmark: a generated cohort checked monthly into a findings database, then
`casecheck history` and `casecheck site` over it, timed, with peak memory and the site's size.

    python bench/history.py 10000 --runs 12 --work bench/out/history [--seed 1]

Steps: bench/generate.py writes the log and its case table into WORK/log/; `casecheck check
WORK/log --all --output sqlite:///WORK/runs.db` once per month end (the log's later events are ignored by --as-at, so the
runs move on as a council's do); then `history` of the whole database (JSON to a file), `history
--case ID`, `site -o`, and `site --split-by team`. Each command is a process of its own; peak
memory is the largest resident size of it and its children (getrusage, RUSAGE_CHILDREN, read
after each command: the figure is that command's whenever it is the largest yet, which the
report says). Prints one line a step and a JSON summary.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def month_ends(first: dt.date, n: int) -> list[dt.date]:
    out, d = [], first
    for _ in range(n):
        nxt = (d.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
        out.append(nxt - dt.timedelta(days=1))
        d = nxt
    return out


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def timed(cmd: list[str], env: dict) -> tuple[float, float, int]:
    """(wall seconds, CPU seconds of the command and its children, peak RSS in MB of the largest
    child so far). CPU seconds are the steadier figure on a machine others share."""
    t, c = time.perf_counter(), _cpu()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    secs, cpu = time.perf_counter() - t, _cpu() - c
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)}: exit {proc.returncode}: {proc.stderr[-2000:]}")
    return secs, cpu, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def folder_size(path: str) -> tuple[int, int, int]:
    """(bytes, files, the largest case page's bytes)."""
    total = files = largest = 0
    for folder, _, names in os.walk(path):
        for n in names:
            size = os.path.getsize(os.path.join(folder, n))
            total += size
            files += 1
            if os.path.basename(folder) == "cases":
                largest = max(largest, size)
    return total, files, largest


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", type=int)
    ap.add_argument("--runs", type=int, default=12)
    ap.add_argument("--work", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--first", default="2023-01-01", help="the month of the first run")
    a = ap.parse_args()
    casecheck = shutil.which("casecheck") or sys.exit("casecheck is not installed (pip install -e .)")
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    env = dict(os.environ, CI="1")
    log = os.path.join(a.work, "log")  # the log and its case table (teams, workers, the council), read together
    os.makedirs(log)
    subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(a.cases), "-o", os.path.join(log, "log.csv"),
                    "--seed", str(a.seed)], check=True)
    url = f"sqlite:///{os.path.join(a.work, 'runs.db')}"
    out: dict = {"cases": a.cases, "runs": a.runs, "write_seconds": [], "write_cpu_seconds": []}
    for as_at in month_ends(dt.date.fromisoformat(a.first), a.runs):
        secs, cpu, mb = timed([casecheck, "check", log, "--as-at", as_at.isoformat(), "--all", "--output", url], env)
        out["write_seconds"].append(round(secs, 2))
        out["write_cpu_seconds"].append(round(cpu, 2))
        print(f"check --all --output, as at {as_at}: {secs:.1f} s ({cpu:.1f} s CPU)", flush=True)
    import sqlite3  # the standard library's: the database is the runs' SQLite file
    with sqlite3.connect(os.path.join(a.work, "runs.db")) as conn:
        one = conn.execute("SELECT \"case\" FROM casecheck_findings WHERE status = 'missing' LIMIT 1").fetchone()[0]
    steps = [("history", [casecheck, "history", url, "--format", "json", "-o", os.path.join(a.work, "history.json")]),
             ("history --case", [casecheck, "history", url, "--case", one, "--format", "json"]),
             ("site", [casecheck, "site", url, "-o", os.path.join(a.work, "site")]),
             ("site --split-by team", [casecheck, "site", url, "-o", os.path.join(a.work, "site-teams"),
                                       "--split-by", "team"])]
    for name, cmd in steps:
        secs, cpu, mb = timed(cmd, env)
        out[name] = {"seconds": round(secs, 2), "cpu_seconds": round(cpu, 2), "peak_mb_so_far": mb}
        print(f"{name}: {secs:.1f} s ({cpu:.1f} s CPU), peak resident so far {mb} MB", flush=True)
    for name in ("site", "site-teams"):
        total, files, largest = folder_size(os.path.join(a.work, name))
        out[name + " size"] = {"bytes": total, "files": files, "largest_case_page": largest}
        print(f"{name}: {total / 1e6:.1f} MB in {files:,} files; largest case page {largest:,} bytes")
    out["database_bytes"] = os.path.getsize(os.path.join(a.work, "runs.db"))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
