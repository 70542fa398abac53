"""What falls due soon and what is already overdue, for managers.

From the Findings casecheck.replay.check gives as at a date, four sections:
- overdue: breaches still open at the as-at date (`missing` or `exceeded` with nothing that
  closed them) and not excused, most overdue first;
- paused: obligations whose clock is stopped at the as-at date (docs/rules.md, clock stops): they are
  neither overdue nor counting down, so they are listed apart with the date the clock stopped;
- due: findings with status `due` (clock running) whose due date is on or before the end of the
  window, the as-at date + `within` (casecheck.dates.due_date, in the rule's own calendar);
- excused: open breaches an exceptions register accepts, listed apart so they are not chased.
Each soonest (earliest due date) first, then by worker, case and rule.

Worker and team are those who held the case on the due date (Finding.worker/team), else the
case's own attributes. Filters keep only the given workers or teams.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Iterable, TextIO

from ..dates import Calendar, Duration, calendar_for, days_between, due_date
from ..columns import DUE_FIELDS as FIELDS  # the due list's CSV header (inputs.own knows it too)
from ..counting import Counts, plural
from ..model import Finding
from ..inputs.own import generator
from .findings import spreadsheet_writer
from .wording import days_words, held_on_due_date, holder, obligation, short_date, timescale

SECTIONS = ("overdue", "paused", "due", "excused")
GROUP_LEVELS = ("worker", "team")
NOBODY = "(none)"


@dataclass
class Item:
    section: str  # one of SECTIONS
    finding: Finding

    @property
    def paused_since(self) -> dt.date | None:
        stops = self.finding.clock_stops
        return stops[-1].start if stops and stops[-1].until is None else None

    def record(self) -> dict:
        f = self.finding
        paused = self.paused_since
        return {"section": self.section, "due": f.due.isoformat(), "days_overdue": f.days_late,
                "working_days_overdue": f.working_days_late,
                "paused_since": paused.isoformat() if paused else "",
                "worker": holder(f, "worker") or "", "team": holder(f, "team") or "", "case": f.case,
                "rule": f.rule.id, "title": f.rule.title, "cite": f.rule.cite, "severity": f.rule.severity, "status": f.status,
                "trigger_type": f.trigger.type, "trigger_date": f.trigger.date.isoformat(),
                "what": f"{obligation(f)} ({timescale(f.rule)})",
                "exception_reason": f.exception.reason if f.exception is not None else ""}


@dataclass
class DueList:
    """The sections, each in order; `total` counts every item of a section before any --limit."""

    items: list[Item]
    total: dict[str, int] = field(default_factory=dict)
    overdue: Counts = field(default_factory=Counts)  # the overdue section's breaches and warnings
    group_total: dict[tuple[str, str | None], int] = field(default_factory=dict)  # (section, group or None)

    def section(self, name: str) -> list[Item]:
        return [i for i in self.items if i.section == name]


def _order(f: Finding):
    return (f.due, holder(f, "worker") or "", f.case, f.rule.id, f.trigger.date, f.trigger.seq)


def window_end(as_at: dt.date, within: Duration, f: Finding | None = None) -> dt.date:
    """The last day of the window, in the finding's rule calendar (the default one otherwise)."""
    return due_date(as_at, within, f.rule.calendar if f is not None else calendar_for())


def _section(f: Finding, as_at: dt.date, within: Duration) -> str | None:
    if f.status in ("missing", "exceeded") and f.actual is None:
        return "excused" if f.excused else "overdue"
    if f.status == "due":
        if f.clock_stops and f.clock_stops[-1].until is None:
            return "paused"
        if f.due <= window_end(as_at, within, f):
            return "due"
    return None


def listed(f: Finding, as_at: dt.date, within: Duration) -> bool:
    """Whether the finding is in some section of the list (before --worker, --team, --limit):
    due_list never looks at the others, so a stream of findings can be narrowed to these first."""
    return _section(f, as_at, within) is not None


def _kept(f: Finding, workers: set[str], teams: set[str]) -> bool:
    return ((not workers or (holder(f, "worker") or "") in workers)
            and (not teams or (holder(f, "team") or "") in teams))


def due_list(findings: Iterable[Finding], as_at: dt.date, within: Duration, workers: Iterable[str] = (),
             teams: Iterable[str] = (), group_by: str | None = None, limit: int | None = None) -> DueList:
    """The manager's list: sections in SECTIONS order, grouped by worker or team when asked
    (groups in name order), at most `limit` items per section (per group when grouped)."""
    workers, teams = set(workers), set(teams)
    found: dict[str, list[Finding]] = {s: [] for s in SECTIONS}
    for f in findings:
        section = _section(f, as_at, within)
        if section is not None and _kept(f, workers, teams):
            found[section].append(f)
    dl = DueList([])
    key = (lambda f: (group_of(f, group_by), _order(f))) if group_by else _order
    dl.overdue.update(found["overdue"])
    for section in SECTIONS:
        dl.total[section] = len(found[section])
        for f in sorted(found[section], key=key):
            g = (section, group_of(f, group_by) if group_by else None)
            dl.group_total[g] = dl.group_total.get(g, 0) + 1
            if limit is None or dl.group_total[g] <= limit:
                dl.items.append(Item(section, f))
    return dl


def group_of(f: Finding, level: str) -> str:
    return holder(f, level) or NOBODY


# --- text -----------------------------------------------------------------------------------

def calendar_words(cal: Calendar) -> str:
    return "weekends only" if cal.days_off == "none" else f"less {cal.days_off}"


def _heads(as_at: dt.date, within: Duration, cal: Calendar) -> dict[str, str]:
    end = due_date(as_at, within, cal)
    return {"overdue": f"Overdue at {short_date(as_at)} (still open)",
            "paused": f"Paused at {as_at} (the clock is stopped: not counting down, not overdue)",
            "due": f"Due within {within} of {as_at} (by {end}; working days are Monday to Friday "
                   f"{calendar_words(cal)}), soonest first",
            "excused": f"Excused at {as_at} (overdue, but accepted in an exceptions register)"}


def _line(i: Item, as_at: dt.date) -> str:
    f, r = i.finding, i.record()
    if i.section in ("overdue", "excused"):
        state = f"; {days_words(f.days_late, f.working_days_late)} overdue"
        if i.section == "excused":
            state += f"; excused: {f.exception.reason} (approved by {f.exception.approved_by})"
    elif i.section == "paused":
        state = f"; paused since {i.paused_since}, due {f.due} if the clock ran again now"
    else:
        days = days_between(as_at, f.due)
        state = ("; due today" if days == 0 else
                 f"; in {days_words(days, f.rule.calendar.working_days_between(as_at, f.due))}")
    held = held_on_due_date(f, as_at)
    warn = " [warning]" if r["severity"] == "warning" else ""
    # who held the case is said once, in the sentence with the due date (never a second worker)
    return (f"  {r['due']}  case {r['case']}\n"
            f"              {r['rule']}{warn}: {r['what']}{state}" + (f"; {held}" if held else "") + "\n")


def write_text(out: TextIO, dl: DueList, as_at: dt.date, within: Duration, group_by: str | None = None,
               calendar: Calendar | None = None, after: list[str] = ()) -> None:
    """The sections, the overdue one first; then the lines `after` (the rules that judged no case)."""
    heads = _heads(as_at, within, calendar or calendar_for())
    for section in SECTIONS:
        n = dl.total[section]
        if section in ("paused", "excused") and not n:
            continue  # sections most councils never have are shown only when they hold something
        split = ""
        if section == "overdue":  # "7 (6 breaches, 1 warning)": the same split as JSON totals
            split = (f" ({plural(dl.overdue.breaches, 'breach', 'breaches')}, "
                     f"{plural(dl.overdue.warnings, 'warning')})")
        out.write(f"{heads[section]}: {n:,}{split}\n")
        groups: dict[str | None, list[Item]] = {}
        for i in dl.section(section):
            groups.setdefault(group_of(i.finding, group_by) if group_by else None, []).append(i)
        for g, items in groups.items():
            if g is not None:
                out.write(f" {group_by.capitalize()} {g}: {dl.group_total[section, g]:,}\n")
            for i in items:
                out.write(_line(i, as_at))
            more = dl.group_total[section, g] - len(items)
            if more > 0:
                out.write(f"  ... and {more:,} more\n")
        out.write("\n")
    if after:
        out.write("\n".join(after) + "\n")


def write_csv(out: TextIO, dl: DueList) -> None:
    w = spreadsheet_writer(out, FIELDS)
    w.writeheader()
    for i in dl.items:
        w.writerow(i.record())


def totals(dl: DueList) -> dict:
    """JSON `totals`: each section's items (before --limit); `overdue` split into breaches and warnings."""
    return {"overdue": dl.total["overdue"], "overdue_breaches": dl.overdue.breaches,
            "overdue_warnings": dl.overdue.warnings, **{s: dl.total[s] for s in SECTIONS if s != "overdue"}}


def write_json(out: TextIO, dl: DueList, as_at: dt.date, within: Duration, errors, warnings=(),
               rules_not_applied: list[dict] = ()) -> None:
    doc = {"generator": generator(), "as_at": as_at.isoformat(), "within": str(within),
           **{s: [i.record() for i in dl.section(s)] for s in SECTIONS},
           "totals": totals(dl), "rules_not_applied": list(rules_not_applied),
           "errors": [e.as_dict() for e in errors],
           "warnings": [w.as_dict() for w in warnings]}
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")
