"""Writing a run to a findings database, schema 2 against the writer before it: the same findings
written by each into a fresh SQLite file, alternately, several times; prints the medians and the
fastest of each.

    python bench/history_writer.py LOG_FOLDER --as-at 2023-06-30 [--repeat 5]

The earlier writer is tests/data/legacy/database_v1.py (the code as it was before schema 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import statistics
import tempfile
import time

from casecheck import check, load_cases, load_rules
from casecheck.inputs import bundled
from casecheck.views.database import write_run

HERE = os.path.dirname(os.path.abspath(__file__))
LEGACY = os.path.join(HERE, "..", "tests", "data", "legacy", "database_v1.py")


def legacy_writer():
    spec = importlib.util.spec_from_file_location("casecheck.views._database_v1", LEGACY)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.write_run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log")
    ap.add_argument("--as-at", required=True)
    ap.add_argument("--repeat", type=int, default=5)
    a = ap.parse_args()
    rules, _ = load_rules([str(bundled.rules_dir())])
    cases, _ = load_cases([a.log])
    as_at = dt.date.fromisoformat(a.as_at)
    findings = check(cases, rules, as_at)
    kw = dict(as_at=as_at, started_at=dt.datetime(2024, 1, 1), rules=["bundled"], inputs=[a.log], n_cases=len(cases),
              n_errors=0, all_findings=True)
    writers = {"before schema 2": lambda url: legacy_writer()(url, iter(findings), **kw),
               "schema 2": lambda url: write_run(url, iter(findings), judged_rules=rules, **kw)}
    times: dict[str, list[float]] = {k: [] for k in writers}
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(a.repeat):
            for name, write in writers.items():
                url = f"sqlite:///{os.path.join(tmp, f'{i}-{len(times[name])}-{name[0]}.db')}"
                t = time.perf_counter()
                write(url)
                times[name].append(time.perf_counter() - t)
    print(f"{len(findings):,} findings of {len(cases):,} cases, as at {as_at}, {a.repeat} writes each")
    for name, ts in times.items():
        print(f"{name}: median {statistics.median(ts):.2f} s ({', '.join(f'{t:.2f}' for t in ts)})")
    b, n = statistics.median(times["before schema 2"]), statistics.median(times["schema 2"])
    print(f"schema 2 / before: {n / b:.3f} (medians), {min(times['schema 2']) / min(times['before schema 2']):.3f} "
          f"(fastest of each: the steadier figure on a machine others share)")


if __name__ == "__main__":
    main()
