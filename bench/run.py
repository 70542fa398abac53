"""The side-by-side benchmark: every tool on the same seeded logs, in one run, one at a time.

    python3 -m venv bench/.venv && bench/.venv/bin/pip install -r bench/requirements.txt   # peers, once
    .venv/bin/python bench/run.py                       # 1k, 10k, 100k cases (+ peers)
    .venv/bin/python bench/run.py --sizes 1000000 --only casecheck

Logs and results go to bench/out/ (not in git): for each size N, bench/out/log-N/events.csv and
its case table events.cases.csv (bench/generate.py). casecheck reads the folder (log and table),
as a council's export would be read; the reference and the peers read the log alone. Each measurement runs in its own process, so
its peak RSS is its own; with workers, the peak of the sum over the parent and its workers is
shown too (sampled every 0.5 s). Seconds are wall time inside the process, from reading rules and
log to the last finding written, excluding interpreter start-up and imports.
"""

import argparse
import json
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
OUT = os.path.join(HERE, "out")
AS_AT = "2026-11-01"
PEER_PY = os.path.join(HERE, ".venv", "bin", "python")
RESPONSE = os.path.join(HERE, "rules-response.yaml")
FULL = os.path.join(ROOT, "rules")
# The package as it was before issue 15 (commit 2c67223), for ratios in the same run:
#   git worktree add /tmp/before 2c67223 && pip install --no-deps --target bench/out/main-pkg /tmp/before
MAIN_PKG = os.path.join(OUT, "main-pkg")


def tools(log, cores):
    folder = os.path.dirname(log)  # the log and its case table
    me = [sys.executable, os.path.join(HERE, "measure.py")]
    peer = [PEER_PY, os.path.join(HERE, "peers.py")]
    before = dict(os.environ, PYTHONPATH=MAIN_PKG)
    return [
        ("casecheck, full library, 1 worker", "full", me + ["casecheck", folder, AS_AT, "1", FULL]),
        ("casecheck, full library, default workers", "full", me + ["casecheck", folder, AS_AT, "default", FULL]),
        (f"casecheck, full library, {cores} workers", "full", me + ["casecheck", folder, AS_AT, str(cores), FULL]),
        ("casecheck, full library, 1 worker, replay engine only", "full",
         me + ["casecheck", folder, AS_AT, "1", FULL, "replay"]),
        ("columnar path alone, full library", "full", me + ["columnar", folder, AS_AT, FULL]),
        ("casecheck before issue 15, full library, 1 worker", "full", me + ["casecheck", folder, AS_AT, "1", FULL],
         before),
        ("casecheck, timed responses, 1 worker", "response", me + ["casecheck", folder, AS_AT, "1", RESPONSE]),
        ("columnar path alone, timed responses", "response", me + ["columnar", folder, AS_AT, RESPONSE]),
        ("casecheck before issue 15, timed responses, 1 worker", "response",
         me + ["casecheck", folder, AS_AT, "1", RESPONSE], before),
        ("plain Python reference (bisect)", "response", me + ["reference", log, AS_AT]),
        ("Declare4Py 2.2.0 (MP-Declare)", "peer", peer + ["declare4py", log, AS_AT]),
        ("PM4Py temporal profile", "peer", peer + ["pm4py", log, AS_AT]),
    ]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--only", default=None, help="run only tools whose name contains this")
    ap.add_argument("--peer-max", type=int, default=100_000, help="largest size given to the peers")
    ap.add_argument("--pm4py-max", type=int, default=10_000,
                    help="largest size given to PM4Py: it held 2 GB at 10,000 cases, growing with the log")
    ap.add_argument("--timeout", type=int, default=900)
    ap.add_argument("--table", metavar="RESULTS_JSONL", help="print the table of a recorded run, run nothing")
    a = ap.parse_args()
    if a.table:
        with open(a.table) as f:
            print_table(with_ratios([json.loads(line) for line in f if line.strip()]))
        return
    os.makedirs(OUT, exist_ok=True)
    cores = os.cpu_count() or 1
    rows = []
    for n in map(int, a.sizes.split(",")):
        log = os.path.join(OUT, f"log-{n}", "events.csv")
        if not os.path.exists(log):
            os.makedirs(os.path.dirname(log), exist_ok=True)
            subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), str(n), "-o", log], check=True)
        with open(log, "rb") as f:
            events = sum(1 for _ in f) - 1
        for name, kind, cmd, *env in tools(log, cores):
            if a.only and a.only not in name:
                continue
            if env and not os.path.isdir(MAIN_PKG):
                continue
            if kind == "peer" and (n > a.peer_max or ("PM4Py" in name and n > a.pm4py_max)):
                continue
            t = time.time()
            try:
                p = subprocess.run(cmd, capture_output=True, text=True, timeout=a.timeout, cwd=ROOT,
                                   env=env[0] if env else None)
                res = json.loads(p.stdout.strip().splitlines()[-1]) if p.returncode == 0 else {"error": p.stderr[-300:]}
            except subprocess.TimeoutExpired:
                res = {"error": f"timed out after {a.timeout} s"}
            except (IndexError, json.JSONDecodeError):
                res = {"error": p.stderr[-300:]}
            res.update(tool=name, kind=kind, cases=n, events=events, wall=round(time.time() - t, 1))
            if "seconds" in res:
                res["events_per_s"] = round(events / res["seconds"]) if res["seconds"] else None
            rows.append(res)
            print(json.dumps(res), flush=True)
            with open(os.path.join(OUT, "results.jsonl"), "a") as f:
                f.write(json.dumps(res) + "\n")
    print()
    print_table(with_ratios(rows))


def with_ratios(rows):
    """Each row's seconds against casecheck's one-worker row of its size and rule set."""
    base = {(r["cases"], "full" if r["kind"] == "full" else "response"): r["seconds"] for r in rows
            if r.get("tool") in ("casecheck, full library, 1 worker", "casecheck, timed responses, 1 worker")
            and "seconds" in r}
    for r in rows:
        ref = base.get((r["cases"], "full" if r["kind"] == "full" else "response"))
        if "seconds" in r:
            r["ratio"] = round(r["seconds"] / ref, 2) if ref else None
    return rows


def print_table(rows):
    print("| cases | events | tool | seconds | events/s | peak RSS MB | x casecheck 1 worker | result |")
    print("| ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        if "error" in r:
            print(f"| {r['cases']:,} | {r['events']:,} | {r['tool']} | - | - | - | - | {r['error'][:80]} |")
            continue
        tree = r.get("tree_rss_mb") or 0
        rss = f"{r['rss_mb']}" + (f" ({tree} with workers)" if tree > r["rss_mb"] + 5 else "")
        result = r.get("digest") or r.get("violations") or r.get("deviations") or ""
        found = r.get("findings")
        if found and not r.get("digest"):
            result = ", ".join(f"{v} {k}" for k, v in sorted(found.items()))
        elif r.get("digest"):
            result = f"digest {r['digest']}"
        elif "violations" in r:
            result = f"{r['violations']} violations"
        elif "deviations" in r:
            result = f"{r['deviations']} deviations"
        print(f"| {r['cases']:,} | {r['events']:,} | {r['tool']} | {r['seconds']} | {r['events_per_s']:,} | {rss} | "
              f"{r['ratio']} | {result} |")


if __name__ == "__main__":
    main()
