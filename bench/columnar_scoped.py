"""The columnar path alone over a CSV log, every case given the same case attributes (most of the
bundled library is scoped by `applies_to`, e.g. to York: without attributes those rules judge no
case), timed; --hand-back KIND,... gives those kinds to the replay engine, as the columnar path
did before it expressed them, to compare. Prints seconds, peak RSS and the breaches' counts and
digest (the same digest for both runs: the same findings).

    python bench/columnar_scoped.py LOG AS_AT RULES [--attr council="City of York Council"]
        [--hand-back every,max_duration] [--kinds every,max_duration]
"""

import argparse
import datetime as dt
import json
import os
import resource
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.dirname(HERE))


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("as_at")
    ap.add_argument("rules")
    ap.add_argument("--attr", action="append", default=[], help="NAME=VALUE, given to every case")
    ap.add_argument("--hand-back", default="", help="kinds the replay engine checks instead, comma-separated")
    ap.add_argument("--kinds", default="", help="check only the rules of these kinds, comma-separated")
    a = ap.parse_args(argv)
    from measure import _digest

    from casecheck.replay.columnar import check as colcheck, frame
    from casecheck.rules.load import load_rules
    for kind in filter(None, a.hand_back.split(",")):
        colcheck.KINDS.pop(kind)
    attrs = dict(kv.split("=", 1) for kv in a.attr)
    t = time.perf_counter()
    rules, errors = load_rules([a.rules])
    assert not errors, errors
    if a.kinds:
        rules = [r for r in rules if r.kind in a.kinds.split(",")]
    as_at = dt.date.fromisoformat(a.as_at)
    parts, handed, n_cases = [], [], 0
    for df in frame._chunks(a.log, frame.CHUNK_BYTES):
        ids = df["case"].unique().to_list()
        n_cases += len(ids)
        found, slow = colcheck.compact_findings(df, rules, as_at, True, {cid: attrs for cid in ids})
        parts.append(found)
        handed.extend(slow)
    import polars as pl
    found = colcheck.sort_findings(pl.concat(parts), rules)
    handed.sort(key=lambda f: f.sort_key())
    summary = _digest(colcheck.merged(found, handed, rules, {}))
    secs = time.perf_counter() - t
    print(json.dumps({"seconds": round(secs, 2), "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "columnar_rules": sum(colcheck.supports(r) for r in rules), "rules": len(rules),
                      "cases": n_cases, **summary}))


if __name__ == "__main__":
    main()
