"""One-case YAML files against the same cases in one CSV log: time per case, end to end.

    python bench/yamlfolder.py bench/out/log-100000.csv 5000    # first 5,000 cases of the log

Writes bench/out/yaml-N/ (one file per case, events as flow mappings, as people write them) and
bench/out/yaml-N.csv (the same rows), then runs `casecheck check` on each, interleaved three
times, and prints the median seconds and the ratio (YAML folder / CSV).
"""

import csv
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


def run(path: str) -> float:
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "casecheck.cli", "check", path, "--rules", os.path.join(HERE, "..", "rules"),
                    "--as-at", AS_AT, "--format", "json", "-o", os.devnull, "--workers", "1"])
    return time.perf_counter() - t


def main():
    log, n = sys.argv[1], int(sys.argv[2])
    folder, flat = write_inputs(log, n)
    times = {"yaml": [], "csv": []}
    for _ in range(3):
        times["yaml"].append(run(folder))
        times["csv"].append(run(flat))
    y, c = statistics.median(times["yaml"]), statistics.median(times["csv"])
    print(f"{n} cases: one-case YAML files {y:.2f} s, one CSV {c:.2f} s, ratio {y / c:.2f}")


if __name__ == "__main__":
    main()
