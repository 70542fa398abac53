"""The plain-Python reference: bench/rules-response.yaml's timed responses, checked per case with
sorted lists and bisect, as simply as possible. Reads the whole log into a dict of cases.

    python bench/reference.py LOG.csv AS_AT  ->  prints one JSON line: findings by status and a digest
"""

import bisect
import csv
import datetime as dt
import hashlib
import json
import sys
from collections import Counter, defaultdict

import holidays

# (id, trigger, expect, unit, n, match key or None), as in bench/rules-response.yaml
RULES = [("B-MINUTES-15WD", "cin_meeting", "minutes_sent", "wd", 15, "meeting"),
         ("B-SM-REVIEW-26W", "cin_plan_started", "service_manager_review", "days", 182, None),
         ("B-NEXT-STEPS-4M", "cin_plan_started", "team_manager_next_steps", "months", 4, None),
         ("B-S1-20WD", "complaint_received", "stage1_response", "wd", 20, "complaint"),
         ("B-S2-65WD", "stage2_started", "stage2_response", "wd", 65, "complaint")]

OFF = {d.toordinal() for d in holidays.UnitedKingdom(subdiv="ENG", years=range(2000, 2041))}
WD = [o for o in range(dt.date(2000, 1, 1).toordinal(), dt.date(2040, 12, 31).toordinal() + 1)
      if (o + 6) % 7 < 5 and o not in OFF]  # ordinals of working days


def add_months(d, n):
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    last = (dt.date(y + m // 12, m % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(y, m, min(d.day, last))


def due(d, unit, n):
    if unit == "wd":
        return dt.date.fromordinal(WD[bisect.bisect_right(WD, d.toordinal()) + n - 1])
    if unit == "days":
        return d + dt.timedelta(days=n)
    return add_months(d, n)


def check_case(cid, events, as_at, out):
    # events: [(date, seq, type, {attr: value})], in file order
    by_type = defaultdict(list)
    for e in events:
        if e[0] <= as_at:
            by_type[e[2]].append(e)
    for rid, trig, exp, unit, n, key in RULES:
        if trig not in by_type:
            continue
        answers = defaultdict(list)  # match value -> sorted [(date, seq)]
        for d, s, _, a in by_type.get(exp, ()):
            answers[a.get(key) if key else None].append((d, s))
        for v in answers.values():
            v.sort()
        for d, s, _, a in by_type[trig]:
            dd = due(d, unit, n)
            cand = answers.get(a.get(key) if key else None, [])
            i = bisect.bisect_right(cand, (d, s))
            if i < len(cand):
                status = "met" if cand[i][0] <= dd else "late"
            else:
                status = "missing" if dd < as_at else "due"
            out.append((cid, rid, d.isoformat(), dd.isoformat(), status))


def main(path, as_at):
    as_at = dt.date.fromisoformat(as_at)
    cases = defaultdict(list)
    with open(path, newline="") as f:
        r = csv.reader(f)
        head = next(r)
        ic, idate, itype = head.index("case"), head.index("date"), head.index("type")
        extra = [(i, h) for i, h in enumerate(head) if i not in (ic, idate, itype)]
        for seq, row in enumerate(r):
            cases[row[ic]].append((dt.date.fromisoformat(row[idate]), seq, row[itype],
                                   {h: row[i] for i, h in extra if row[i]}))
    out = []
    for cid, events in cases.items():
        check_case(cid, events, as_at, out)
    out.sort()
    digest = hashlib.sha256("\n".join(map(repr, out)).encode()).hexdigest()[:16]
    print(json.dumps({"cases": len(cases), "findings": dict(Counter(o[4] for o in out)), "digest": digest}))


if __name__ == "__main__":
    main(*sys.argv[1:])
