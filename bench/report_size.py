"""The HTML report's size per case for a generated cohort (the README states the figure).

    .venv/bin/python bench/report_size.py              # 1,000 cases
    .venv/bin/python bench/report_size.py --cases 5000

Cases are bench/generate.py's seeded CIN timelines (about 40 events each) of City of York Council
(so its scoped practice standards apply), spread over 8 teams and 40 workers, checked against the bundled rules as at 2026-11-01. The figure is bytes of
the written report divided by cases; the report's target is at most 10 KB (10,240 bytes) a case.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from generate import case_events  # noqa: E402

AS_AT = dt.date(2026, 11, 1)
TARGET = 10 * 1024


def cohort(n: int, seed: int = 1):
    """n generated cases as casecheck Case objects, with team and worker attributes."""
    from casecheck.inputs.values import normalise_value
    from casecheck.model import Case, Event

    rnd = random.Random(seed)
    cases = []
    for i in range(n):
        cid = f"C{i:07}"
        events = [Event(d, t, {k: normalise_value(v) for k, v in a.items()}, seq=j)
                  for j, (d, t, a) in enumerate(case_events(rnd, cid))]
        # York's cases, so that York's practice standards (scoped to that council) judge them too
        cases.append(Case(cid, {"council": "City of York Council", "team": f"Team {i % 8 + 1}",
                                "worker": f"W-{i % 40 + 1:02}"}, events))
    return cases


def report_bytes(n: int, seed: int = 1) -> int:
    """The size in bytes of the report on n generated cases."""
    from casecheck.inputs import bundled
    from casecheck.replay import check
    from casecheck.rules.load import load_rules
    from casecheck.views import htmlreport, summary

    rules, errors = load_rules([str(bundled.rules_dir())])
    assert not errors, errors
    cases = cohort(n, seed)
    findings = check(cases, rules, AS_AT)
    return sum(len(part.encode("utf-8"))
               for part in htmlreport.report_parts(cases, rules, findings, AS_AT, [], summary.groupings(["team"])))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    size = report_bytes(args.cases, args.seed)
    print(f"{args.cases:,} cases: report {size:,} bytes, {size / args.cases:,.0f} bytes a case "
          f"(target at most {TARGET:,})")


if __name__ == "__main__":
    main()
