"""What falls due soon and what is already overdue, for managers.

From the Findings casecheck.replay.check gives as at a date:
- overdue: breaches still open at the as-at date (`missing` or `exceeded` with nothing that
  closed them), most overdue first;
- due: findings with status `due` whose due date is on or before the end of the window, the
  as-at date + `within` (casecheck.dates.due_date, in the rule's own working-day calendar).
Both soonest (earliest due date) first, then by worker, case and rule.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Iterable, TextIO

from ..dates import Duration, calendar_for, days_between, due_date
from ..model import Finding
from .findings import spreadsheet_writer
from .wording import obligation, timescale

FIELDS = ("section", "due", "days_overdue", "working_days_overdue", "worker", "team", "case", "rule", "title",
          "severity", "status", "trigger_type", "trigger_date", "what")


@dataclass
class Item:
    section: str  # "overdue" or "due"
    finding: Finding

    def record(self) -> dict:
        f = self.finding
        return {"section": self.section, "due": f.due.isoformat(), "days_overdue": f.days_late,
                "working_days_overdue": f.working_days_late, "worker": f.case_attrs.get("worker", ""),
                "team": f.case_attrs.get("team", ""), "case": f.case, "rule": f.rule.id, "title": f.rule.title,
                "severity": f.rule.severity, "status": f.status, "trigger_type": f.trigger.type,
                "trigger_date": f.trigger.date.isoformat(), "what": f"{obligation(f)} ({timescale(f.rule)})"}


def _order(f: Finding):
    return (f.due, f.case_attrs.get("worker", ""), f.case, f.rule.id, f.trigger.date, f.trigger.seq)


def window_end(as_at: dt.date, within: Duration, f: Finding | None = None) -> dt.date:
    """The last day of the window, in the finding's rule calendar (the default one otherwise)."""
    return due_date(as_at, within, f.rule.calendar if f is not None else calendar_for())


def due_list(findings: Iterable[Finding], as_at: dt.date, within: Duration) -> list[Item]:
    overdue, due = [], []
    for f in findings:
        if f.status in ("missing", "exceeded") and f.actual is None:
            overdue.append(f)
        elif f.status == "due" and f.due <= window_end(as_at, within, f):
            due.append(f)
    return ([Item("overdue", f) for f in sorted(overdue, key=_order)]
            + [Item("due", f) for f in sorted(due, key=_order)])


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def write_text(out: TextIO, items: list[Item], as_at: dt.date, within: Duration) -> None:
    end = window_end(as_at, within)
    heads = {"overdue": f"Overdue at {as_at} (still open), most overdue first",
             "due": f"Due within {within} of {as_at} (by {end} in the England and Wales calendar), soonest first"}
    for section in ("overdue", "due"):
        rows = [i for i in items if i.section == section]
        out.write(f"{heads[section]}: {len(rows)}\n")
        for i in rows:
            r = i.record()
            who = ", ".join(x for x in (f"worker {r['worker']}" if r["worker"] else "",
                                        f"team {r['team']}" if r["team"] else "") if x)
            late = (f"; {r['days_overdue']} days ({r['working_days_overdue']} working days) overdue"
                    if section == "overdue" else f"; in {_count(days_between(as_at, i.finding.due), 'day')} "
                    f"({_count(i.finding.rule.calendar.working_days_between(as_at, i.finding.due), 'working day')})")
            warn = " [warning]" if r["severity"] == "warning" else ""
            out.write(f"  {r['due']}  case {r['case']}" + (f" ({who})" if who else "") + "\n"
                      f"              {r['rule']}{warn}: {r['what']}{late}\n")
        out.write("\n")


def write_csv(out: TextIO, items: list[Item]) -> None:
    w = spreadsheet_writer(out, FIELDS)
    w.writeheader()
    for i in items:
        w.writerow(i.record())


def write_json(out: TextIO, items: list[Item], as_at: dt.date, within: Duration, errors, warnings=()) -> None:
    doc = {"as_at": as_at.isoformat(), "within": str(within),
           "overdue": [i.record() for i in items if i.section == "overdue"],
           "due": [i.record() for i in items if i.section == "due"],
           "errors": [e.as_dict() for e in errors],
           "warnings": [w.as_dict() for w in warnings]}
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")
