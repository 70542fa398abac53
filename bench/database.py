"""A seeded SQLite case database for measuring the database reader: N cases in casecheck_events
(and a casecheck_cases table giving each a team). bench/run.py's dbread row checks it
(`python bench/run.py --only dbread --sizes 100000`).

Each case is a short Child in Need timeline over the bundled rules' event types: a referral and
its assessment, CIN meetings with or without their minutes, supervision and case summaries, with
gaps drawn so that most timescales are met and a minority are late or missing. Rows are inserted
in random case order; the reader orders them.

    python bench/database.py 100000 -o bench/out/cases-100000.db [--seed 1]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sqlite3
import sys
import time

TEAMS = ("CIN North", "CIN South", "CIN East", "Disabled Children", "Family Support")


def case_rows(rnd: random.Random, cid: str):
    d = dt.date(2021, 1, 4) + dt.timedelta(days=rnd.randrange(0, 1000))
    yield d, "referral", None
    yield d + dt.timedelta(days=rnd.choice([20, 30, 40, 50, 70])), "assessment_authorised", None
    for m in range(rnd.randrange(1, 4)):
        d += dt.timedelta(days=rnd.randrange(30, 120))
        meeting = f"{cid}-m{m}"
        yield d, "cin_meeting", meeting
        if rnd.random() < 0.9:
            yield d + dt.timedelta(days=rnd.choice([5, 10, 15, 20, 30])), "minutes_sent", meeting
    for _ in range(rnd.randrange(0, 3)):
        yield d - dt.timedelta(days=rnd.randrange(1, 60)), "case_supervision", None


def generate(path: str, n: int, seed: int) -> int:
    rnd = random.Random(seed)
    if os.path.exists(path):
        os.remove(path)
    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
        CREATE TABLE casecheck_events (id INTEGER PRIMARY KEY, "case" TEXT NOT NULL, date DATE NOT NULL,
                                       type TEXT NOT NULL, meeting TEXT);
        CREATE TABLE casecheck_cases ("case" TEXT PRIMARY KEY, team TEXT);
    """)
    order = list(range(n))
    rnd.shuffle(order)
    rows = 0
    for start in range(0, n, 10_000):
        batch, cases = [], []
        for i in order[start:start + 10_000]:
            cid = f"C-{i:07d}"
            cases.append((cid, rnd.choice(TEAMS)))
            batch.extend((cid, d.isoformat(), t, m) for d, t, m in case_rows(rnd, cid))
        db.executemany('INSERT INTO casecheck_events ("case", date, type, meeting) VALUES (?, ?, ?, ?)', batch)
        db.executemany('INSERT INTO casecheck_cases VALUES (?, ?)', cases)
        rows += len(batch)
    # The index a council's database would have for this query (ORDER BY case, date, id).
    db.execute('CREATE INDEX ix_events_case_date ON casecheck_events ("case", date, id)')
    db.commit()
    db.close()
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cases", type=int)
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    os.makedirs(os.path.dirname(os.path.abspath(a.output)), exist_ok=True)
    t = time.perf_counter()
    rows = generate(a.output, a.cases, a.seed)
    print(f"{a.output}: {a.cases} cases, {rows} events in {time.perf_counter() - t:.1f} s", file=sys.stderr)


if __name__ == "__main__":
    main()
