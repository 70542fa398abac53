"""What changed between two runs of `casecheck check`: breaches new since the earlier run, put
right, and continuing.

A breach is the same breach in both runs when its identity is (casecheck.history.identity: case,
rule, trigger type and date, repeats told apart by their order). Only breaches are compared (`late`,
`missing`, `exceeded`): a run written without --all holds nothing else, and with --all the
other findings are not breaches to follow up.

- new: a breach in AFTER with no breach of that identity in BEFORE (AFTER's finding);
- resolved: a breach in BEFORE with no breach of that identity in AFTER (BEFORE's finding):
  put right, withdrawn, or its case no longer in the run;
- continuing: a breach in both (AFTER's finding; its status or lateness may have moved on).

Findings are finding objects (dicts, as docs/formats.md describes them), whatever they were read from, so another kind of
run (a findings database) needs only a reader (casecheck.commands.diff) that yields them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Iterable, TextIO

from ..counting import Counts, count
from ..history.identity import Keyer
from ..model import BREACHES
from ..inputs.own import generator
from .findings import CHECK_CSV_FIELDS, flatten, spreadsheet_writer
from .wording import days_words

CHANGES = ("new", "resolved", "continuing")
SHORT = {"new": "new", "resolved": "put right", "continuing": "continuing"}
WORDS = {"new": "New since the earlier run", "resolved": "Put right (or no longer a breach) since the earlier run",
         "continuing": "Continuing from the earlier run"}


def identity(record: dict) -> tuple[str, str, str, str]:
    """What a finding record's identity is made of, less the number of its repeat in the run."""
    return (record["case"], record["rule"], record["trigger"]["type"], record["trigger"]["date"])


def _order(record: dict):
    return (record["case"], record["due"], record["rule"], record["trigger"]["date"])


@dataclass
class Run:
    """One run's findings as the records docs/formats.md describes, where they came from and as at what date."""

    source: str
    as_at: str
    findings: list[dict]


@dataclass
class Diff:
    before: Run
    after: Run
    new: list[dict] = field(default_factory=list)
    resolved: list[dict] = field(default_factory=list)
    continuing: list[dict] = field(default_factory=list)
    was: dict[int, dict] = field(default_factory=dict)  # id(AFTER's record) -> BEFORE's record of a continuing breach

    def changes(self) -> Iterable[tuple[str, dict]]:
        for change in CHANGES:
            for record in getattr(self, change):
                yield change, record

    def counts(self, change: str) -> Counts:
        """One change's findings counted as every view counts them (casecheck.counting)."""
        return count(getattr(self, change))

    @property
    def new_failing(self) -> int:
        """New breaches that fail a check: severity `breach`, not excused (exit status 1)."""
        return self.counts("new").breaches


def _breaches(findings: Iterable[dict]) -> dict[str, dict]:
    keyer = Keyer(per_case=False)
    return {keyer.record_key(r): r for r in findings if r["status"] in BREACHES}


def compare(before: Run, after: Run) -> Diff:
    old, now = _breaches(before.findings), _breaches(after.findings)
    d = Diff(before, after)
    d.new = sorted((r for k, r in now.items() if k not in old), key=_order)
    d.resolved = sorted((r for k, r in old.items() if k not in now), key=_order)
    d.continuing = sorted((r for k, r in now.items() if k in old), key=_order)
    d.was = {id(r): old[k] for k, r in now.items() if k in old}
    return d


# --- writers ----------------------------------------------------------------------------------

def _lateness(r: dict) -> str:
    word = {"late": "late", "missing": "overdue", "exceeded": "over the limit"}[r["status"]]
    return f"{days_words(r['days_late'], r['working_days_late'])} {word}"


def _line(r: dict, was: dict | None, head: bool) -> str:
    who = ", ".join(x for x in (r.get("worker") and f"worker {r['worker']}", r.get("team") and f"team {r['team']}")
                    if x)
    case = (f"  case {r['case']}" + (f" ({who})" if who else "") + "\n") if head else ""
    what = (f"      {r['rule']}: {r['title']}\n"
            f"      {r['trigger']['type']} {r['trigger']['date']}, due {r['due']}: {r['status']}, {_lateness(r)}")
    if was is not None and (was["status"], was["days_late"]) != (r["status"], r["days_late"]):
        what += f" (was {was['status']}, {_lateness(was)})"
    if r.get("exception"):
        what += f"; excused: {r['exception'].get('reason', '')}"
    return f"{case}{what}\n"


def write_text(out: TextIO, d: Diff) -> None:
    out.write(f"{d.after.source} (as at {d.after.as_at}) against {d.before.source} (as at {d.before.as_at}): "
              + "; ".join(f"{SHORT[change]} {d.counts(change).short()}" for change in CHANGES) + ".\n")
    for change in CHANGES:
        records = getattr(d, change)
        out.write(f"\n{WORDS[change]}: {d.counts(change).short()}\n")
        for i, r in enumerate(records):
            head = i == 0 or records[i - 1]["case"] != r["case"]  # each case named once, its breaches below
            out.write(_line(r, d.was.get(id(r)) if change == "continuing" else None, head))
    out.write("\nA breach is the same in both runs when its case, rule, trigger and trigger date are.\n")


def write_json(out: TextIO, d: Diff) -> None:
    doc = {"generator": generator(), "before": {"source": d.before.source, "as_at": d.before.as_at},
           "after": {"source": d.after.source, "as_at": d.after.as_at},
           **{change: getattr(d, change) for change in CHANGES},
           "totals": {change: d.counts(change).three() for change in CHANGES}}
    json.dump(doc, out, indent=2, ensure_ascii=False)
    out.write("\n")


def write_csv(out: TextIO, d: Diff) -> None:
    w = spreadsheet_writer(out, ("change",) + CHECK_CSV_FIELDS)
    w.writeheader()
    for change, r in d.changes():
        w.writerow({"change": change, **flatten(r, CHECK_CSV_FIELDS)})
