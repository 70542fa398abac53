"""The life of each finding of one case across the runs taken: when it was first seen a breach,
whether it is open at the latest run, when and how it was put right, how long it was open.

A life covers the breaches (`late`, `missing`, `exceeded`, either severity, excused or not). A
finding is open in a run while it is a breach nothing has closed: `missing` or `exceeded` with no
`actual`. It is put right by the first later run that sees it closed, and `how`:
- `late`: the expected event came after the due date (for `max_duration`, the period ended past
  its limit); `lapsed`: an `unless` event, or the end of an `every` period, ended the duty unmet
  (`missing` with an actual); the day it closed is the actual's date;
- `now met`, `now withdrawn`: a later `--all` run judged it so (an event recorded afterwards with
  an earlier date);
- `rule withdrawn`: a later run did not judge its rule at all (known only for runs that recorded
  their rules); `no longer reported`: its case was not in the run, or its records changed.
A breach already closed when first seen is put right at that run; one that opens again has
`put_right` null and `opened_again` true.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterable

from ..dates import days_between
from ..model import BREACHES
from .identity import base, key_parts, key_text
from .reader import RunInfo, as_date

HOWS = ("late", "lapsed", "now met", "now withdrawn", "rule withdrawn", "no longer reported")
_OPEN = ("missing", "exceeded")


def _spec_order(row: dict):
    return (str(row["due"]), row["rule"], str(row["trigger_date"]))


def assign_keys(rows: list[dict]) -> None:
    """Give every row its identity (row["key"]): its stored finding_key, or, for a row an earlier
    casecheck wrote without one, the key its case, rule, trigger type and date and its repeat
    number in its run (counted as the writer counts them, in the run's order) give."""
    keyed: dict[tuple, str] = {}
    for r in rows:
        r["trigger_date"] = as_date(r["trigger_date"])
        if r.get("finding_key"):
            r["key"] = r["finding_key"]
            try:
                parts = key_parts(r["key"])
                keyed.setdefault((r["case"], r["rule"], r["trigger_type"], r["trigger_date"], parts[-1]), r["key"])
            except (ValueError, TypeError, IndexError):
                pass  # a key written by something else: it still identifies its own rows
    loose = [r for r in rows if not r.get("finding_key")]
    seen: dict[tuple, int] = {}
    for r in sorted(loose, key=lambda r: (r["run_id"], *_spec_order(r))):
        b4 = (r["case"], r["rule"], r["trigger_type"], r["trigger_date"])
        n = seen.get((r["run_id"], b4), 0)
        seen[(r["run_id"], b4)] = n + 1
        r["key"] = keyed.get((*b4, n)) or key_text(
            base(r["case"], r["rule"], r["trigger_type"], r["trigger_date"].isoformat(), None), n)


def lives(case_rows: list[dict], runs: list[RunInfo], rule_cites: dict[str, str] | None = None) -> list[dict]:
    """Each finding of one case that was a breach in some run, as a history entry (see the module)."""
    assign_keys(case_rows)
    index = {r.run_id: i for i, r in enumerate(runs)}
    by_key: dict[str, dict[int, dict]] = {}
    for r in case_rows:
        i = index.get(r["run_id"])
        if i is not None:
            by_key.setdefault(r["key"], {})[i] = r
    out = []
    for key, seen in by_key.items():
        entry = _life(key, seen, runs, rule_cites or {})
        if entry is not None:
            out.append(entry)
    out.sort(key=lambda e: (e["due"], e["rule"], e["trigger"]["date"], e["key"]))
    return out


def _iso(d) -> str | None:
    return None if d is None else d.isoformat()


def _life(key: str, seen: dict[int, dict], runs: list[RunInfo], cites: dict[str, str]) -> dict | None:
    breach_runs = [i for i in sorted(seen) if seen[i]["status"] in BREACHES]
    if not breach_runs:
        return None
    first = breach_runs[0]
    state, put_right, last_open, opened_again = None, None, None, False
    excused = None
    reported = []
    rule = seen[first]["rule"]
    for i in range(first, len(runs)):
        run, row = runs[i], seen.get(i)
        if row is None:
            if state == "open":
                how = "rule withdrawn" if run.rules is not None and rule not in run.rules else "no longer reported"
                put_right, state = {"run_id": run.run_id, "as_at": _iso(run.as_at), "date": None, "how": how}, "closed"
            continue
        reported.append((run, row))
        if row["excused"] and excused is None:
            excused = {"reason": row.get("exception_reason") or "", "approver": row.get("exception_approved_by") or "",
                       "run_id": run.run_id, "as_at": _iso(run.as_at)}
        status = row["status"]
        if status in BREACHES:
            if status in _OPEN and row["actual_date"] in (None, ""):
                if state == "closed":
                    put_right, opened_again = None, True
                state, last_open = "open", (run, row)
            elif state != "closed":
                how = "lapsed" if status == "missing" else "late"
                put_right = {"run_id": run.run_id, "as_at": _iso(run.as_at), "date": _iso(as_date(row["actual_date"])),
                             "how": how}
                state = "closed"
        elif state == "open":
            how = {"met": "now met", "withdrawn": "now withdrawn"}.get(status, "no longer reported")
            put_right = {"run_id": run.run_id, "as_at": _iso(run.as_at), "date": _iso(as_date(row["actual_date"])),
                         "how": how}
            state = "closed"
    latest_breach = max((i for i in seen if seen[i]["status"] in BREACHES))
    last_row = seen[latest_breach]
    due = as_date(last_row["due"])
    if state == "open":
        end = runs[-1].as_at
    elif put_right["how"] in ("late", "lapsed") and put_right["date"]:
        end = as_date(put_right["date"])
    else:
        end = last_open[0].as_at if last_open else as_date(put_right["as_at"])
    cite = last_row.get("cite") or cites.get(rule, "")
    return {
        "key": key,
        "case": last_row["case"], "rule": rule, "title": last_row["title"] or "", "cite": cite or "",
        "severity": last_row["severity"], "team": last_row["team"], "worker": last_row["worker"],
        "trigger": {"type": last_row["trigger_type"], "date": _iso(last_row["trigger_date"])},
        "due": _iso(due),
        "first_seen": _iso(runs[first].as_at),
        "last_seen": _iso(reported[-1][0].as_at),
        "runs": [{"run_id": run.run_id, "as_at": _iso(run.as_at), "status": row["status"],
                  "due": _iso(as_date(row["due"])), "days_late": row["days_late"], "excused": bool(row["excused"])}
                 for run, row in reported],
        "times_seen": len(reported),
        "open": state == "open",
        "opened_again": opened_again,
        "put_right": put_right,
        "days_open": days_between(due, end) if due and end else 0,
        "excused": excused,
        "rule_changed": [],
    }


def new_at_latest(entry: dict, runs: list[RunInfo]) -> bool:
    return entry["first_seen"] == runs[-1].as_at.isoformat()


def put_right_at_latest(entry: dict, runs: list[RunInfo]) -> bool:
    return bool(entry["put_right"]) and entry["put_right"]["run_id"] == runs[-1].run_id


def counts(entries: Iterable[dict], runs: list[RunInfo]) -> dict:
    """Open, put right (ever) and new at the latest run."""
    c = {"open": 0, "put_right": 0, "new": 0}
    for e in entries:
        c["open"] += e["open"]
        c["put_right"] += e["put_right"] is not None
        c["new"] += new_at_latest(e, runs)
    return c


def open_since(entry: dict, as_at: dt.date) -> int:
    return days_between(dt.date.fromisoformat(entry["due"]), as_at)
