"""Seeded synthetic CSV event logs for the benchmark: N cases of about 40 events each.

Each case is a Child in Need plan over the bundled rules' event types (rules/*.yaml): CIN meetings
with their minutes, supervision, case summaries, management oversight, a service-manager review,
an assessment, home visits that no rule names, and for some cases a complaint that runs through
the statutory stages and the Ombudsman. Gaps are drawn around each timescale so that most
obligations are met and a realistic minority are late or missing. Rows are grouped by case (as a
case-management export is); cases come in random order. `--ungrouped` shuffles the rows.

Beside the log, a case table (`X.cases.csv` for `-o X.csv`, SPEC §1) gives each case its council
(City of York Council, so the York practice standards, scoped to that council, judge it), team
and worker, as a council's export would.

    python bench/generate.py 10000 -o bench/out/log-10k.csv [--seed 1] [--ungrouped] [--no-case-table]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random

FIELDS = ("case", "date", "type", "meeting", "complaint", "remedy_within")
CASE_FIELDS = ("case", "council", "team", "worker")
TEAMS = ("CIN North", "CIN South", "Disabled Children", "Assessment")


def case_events(rnd: random.Random, cid: str) -> list[tuple]:
    ev = []
    start = dt.date(2021, 1, 4) + dt.timedelta(days=rnd.randrange(0, 1300))
    length = rnd.randrange(150, 420)  # plan length in days: some run past 9 months
    end = start + dt.timedelta(days=length)
    ev.append((start, "cin_plan_started", {}))

    def every(etype, gap, late_p):
        d = start
        while True:
            d += dt.timedelta(days=int(gap * (1.6 if rnd.random() < late_p else rnd.uniform(0.6, 1.0))))
            if d >= end:
                return
            ev.append((d, etype, {}))

    every("case_supervision", 42, 0.12)
    every("case_summary", 91, 0.15)
    every("management_oversight", 91, 0.15)
    d, m = start, 0
    while True:  # CIN meetings every ~6 weeks, minutes 3-30 days later (sometimes never)
        d += dt.timedelta(days=rnd.randrange(28, 50))
        if d >= end:
            break
        m += 1
        mid = f"{cid}-m{m}"
        ev.append((d, "cin_meeting", {"meeting": mid}))
        if rnd.random() < 0.95:
            ev.append((d + dt.timedelta(days=rnd.choice((3, 7, 10, 14, 18, 21, 30))), "minutes_sent", {"meeting": mid}))
    if rnd.random() < 0.85:
        ev.append((start + dt.timedelta(days=rnd.randrange(120, 200)), "service_manager_review", {}))
    if rnd.random() < 0.9:
        ev.append((start + dt.timedelta(days=rnd.randrange(20, 140)), "team_manager_next_steps", {}))
    ev.append((start + dt.timedelta(days=rnd.randrange(200, 380)), "assessment_authorised", {}))
    if rnd.random() < 0.25:  # a complaint through the stages
        c = f"{cid}-c1"
        d = start + dt.timedelta(days=rnd.randrange(10, length))
        ev.append((d, "complaint_received", {"complaint": c}))
        d += dt.timedelta(days=rnd.randrange(5, 35))
        ev.append((d, "stage1_response", {"complaint": c}))
        if rnd.random() < 0.4:
            d += dt.timedelta(days=rnd.randrange(3, 20))
            ev.append((d, "stage2_started", {"complaint": c}))
            d += dt.timedelta(days=rnd.randrange(20, 100))
            ev.append((d, "stage2_response", {"complaint": c}))
            if rnd.random() < 0.3:
                d += dt.timedelta(days=rnd.randrange(30, 400))
                ev.append((d, "ombudsman_complaint", {}))
                d += dt.timedelta(days=rnd.randrange(60, 200))
                within = rnd.choice(("1 month", "4 weeks"))
                ev.append((d, "ombudsman_decision", {"remedy_within": within}))
                ev.append((d + dt.timedelta(days=rnd.randrange(10, 45)), "remedy_completed", {}))
    if rnd.random() < 0.8:
        ev.append((end, "cin_plan_ended", {}))
    while len(ev) < 40:  # visits: the bulk of a real log, named by no timescale
        ev.append((start + dt.timedelta(days=rnd.randrange(0, length)), "cin_visit", {}))
    ev.sort(key=lambda e: e[0])
    return ev


def rows(n: int, seed: int):
    rnd = random.Random(seed)
    order = list(range(1, n + 1))
    rnd.shuffle(order)
    for k in order:
        cid = f"C{k:07d}"
        for date, etype, attrs in case_events(rnd, cid):
            yield (cid, date.isoformat(), etype, attrs.get("meeting", ""), attrs.get("complaint", ""),
                   attrs.get("remedy_within", ""))


def case_rows(n: int, seed: int):
    rnd = random.Random(seed + 1)
    for k in range(1, n + 1):
        yield f"C{k:07d}", "City of York Council", rnd.choice(TEAMS), f"W{rnd.randrange(1, 201):03d}"


def table_path(log: str) -> str:
    return (log[:-4] if log.lower().endswith(".csv") else log) + ".cases.csv"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", type=int)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--ungrouped", action="store_true", help="shuffle rows (a log not grouped by case)")
    ap.add_argument("--no-case-table", action="store_true", help="no case table beside the log")
    a = ap.parse_args()
    if not a.no_case_table:
        with open(table_path(a.output), "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(CASE_FIELDS)
            w.writerows(case_rows(a.cases, a.seed))
    with open(a.output, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(FIELDS)
        if a.ungrouped:
            allrows = list(rows(a.cases, a.seed))
            random.Random(a.seed).shuffle(allrows)
            w.writerows(allrows)
        else:
            w.writerows(rows(a.cases, a.seed))


if __name__ == "__main__":
    main()
