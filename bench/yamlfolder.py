"""One-case YAML (and JSON) files against the same cases in one CSV log: time per case, end to end.

    python bench/yamlfolder.py bench/out/log-100000/events.csv 5000    # first 5,000 cases of the log
    python bench/yamlfolder.py LOG 5000 --workers 1,2,default --json --before bench/out/main-pkg --rounds 3

Writes bench/out/yaml-N/ (one file per case, events as flow mappings, as people write them),
bench/out/json-N/ (the same as JSON, with --json) and bench/out/yaml-N.csv (the same rows), then
runs `casecheck check` on each, interleaved, --rounds times (three by default), with each
--workers setting ("default": no --workers option), and prints the median seconds and the
ratio (folder / CSV). --before DIR: the same runs, interleaved with these, of the casecheck
installed in DIR (`pip install --no-deps --target DIR <an earlier checkout>`), side by side.
"""

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
AS_AT = "2026-11-01"


def write_inputs(log: str, n: int) -> tuple[str, str]:
    folder = os.path.join(HERE, "out", f"yaml-{n}")
    flat = folder + ".csv"
    if os.path.exists(flat):
        return folder, flat
    os.makedirs(folder, exist_ok=True)
    with open(log, newline="") as f, open(flat, "w", newline="") as out:
        r = csv.reader(f)
        header = next(r)
        w = csv.writer(out, lineterminator="\n")
        w.writerow(header)
        cases: dict[str, list] = {}
        for row in r:
            if row[0] not in cases and len(cases) == n:
                break
            cases.setdefault(row[0], []).append(row)
            w.writerow(row)
    for cid, rows in cases.items():
        with open(os.path.join(folder, f"{cid}.yaml"), "w") as y:
            y.write(f"case: {cid}\nevents:\n")
            for row in rows:
                extra = "".join(f", {h}: {v}" for h, v in zip(header[3:], row[3:]) if v)
                y.write(f"  - {{date: {row[1]}, type: {row[2]}{extra}}}\n")
    return folder, flat


def write_json(flat: str, n: int) -> str:
    """The same cases as one JSON file each (bench/out/json-N/)."""
    folder = os.path.join(HERE, "out", f"json-{n}")
    if os.path.exists(folder):
        return folder
    os.makedirs(folder)
    cases: dict[str, list] = {}
    with open(flat, newline="") as f:
        r = csv.reader(f)
        header = next(r)
        for row in r:
            cases.setdefault(row[0], []).append({"date": row[1], "type": row[2],
                                                 **{h: v for h, v in zip(header[3:], row[3:]) if v}})
    for cid, events in cases.items():
        with open(os.path.join(folder, f"{cid}.json"), "w") as out:
            json.dump({"case": cid, "events": events}, out, indent=1)
    return folder


def run(path: str, workers: str, package: str | None = None) -> float:
    env = dict(os.environ)
    if package:
        env["PYTHONPATH"] = package
    cmd = [sys.executable, "-m", "casecheck.cli", "check", path, "--rules", os.path.join(HERE, "..", "rules"),
           "--as-at", AS_AT, "--format", "json", "-o", os.devnull]
    if workers != "default":
        cmd += ["--workers", workers]
    t = time.perf_counter()
    subprocess.run(cmd, env=env)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("log")
    ap.add_argument("n", type=int)
    ap.add_argument("--workers", default="1", help="comma-separated: 1,2,default")
    ap.add_argument("--json", action="store_true", help="a folder of JSON case files too")
    ap.add_argument("--before", help="a casecheck installed with pip --target, run side by side")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args()
    folder, flat = write_inputs(a.log, a.n)
    inputs = {"yaml": folder, **({"json": write_json(flat, a.n)} if a.json else {}), "csv": flat}
    versions = {"now": None, **({"before": a.before} if a.before else {})}
    times: dict[tuple, list] = {}
    for _ in range(a.rounds):
        for w in a.workers.split(","):
            for kind, path in inputs.items():
                for version, package in versions.items():
                    times.setdefault((version, w, kind), []).append(run(path, w, package))
    for version in versions:
        for w in a.workers.split(","):
            med = {kind: statistics.median(times[(version, w, kind)]) for kind in inputs}
            c = med["csv"]
            print(f"{version}, workers {w}, {a.n} cases: " + ", ".join(
                f"{kind} {t:.2f} s" + (f" ({t / c:.2f}x CSV)" if kind != "csv" else "") for kind, t in med.items()))


if __name__ == "__main__":
    main()
