"""Write cases back out as case files (docs/formats.md): a CSV event log or YAML, so that what an importer
read can be inspected, corrected and checked again with the same findings.
"""

from __future__ import annotations

import os
from typing import Iterable, TextIO

import yaml

from ..model import Case, Event, InputError
from .findings import spreadsheet_writer


def _in_replay_order(case: Case) -> list[Event]:
    return sorted(case.events, key=lambda e: (e.date, e.seq))


def case_table_path(events_path: str) -> str:
    """Where `convert --to csv -o events.csv` puts the case table: events.cases.csv beside it."""
    root, ext = os.path.splitext(events_path)
    return f"{root}.cases{ext or '.csv'}"


def write_case_table(out: TextIO, cases: Iterable[Case]) -> int:
    """A CSV case table (docs/formats.md): case, then every case attribute; a row for each case that has
    any. Returns the number of rows written."""
    cases = [c for c in cases if c.attrs]
    attrs = sorted({k for c in cases for k in c.attrs} - {"case", "events"})
    w = spreadsheet_writer(out, ["case", *attrs], restval="")  # as the event log: the reader takes the ' off
    w.writeheader()
    for c in cases:
        w.writerow({**c.attrs, "case": c.id})
    return len(cases)


def write_event_log(out: TextIO, cases: Iterable[Case]) -> None:
    """CSV: case, date, type, then every event attribute (empty where an event has none).

    Case attributes (team, worker) go in a case table beside it (write_case_table).
    """
    cases = list(cases)
    attrs = sorted({k for c in cases for e in c.events for k in e.attrs} - {"case", "date", "type"})
    fields = ["case", "date", "type", *attrs]
    w = spreadsheet_writer(out, fields, restval="")  # formulas neutralised; the reader takes the ' off
    w.writeheader()
    for c in cases:
        for e in _in_replay_order(c):
            w.writerow({**e.attrs, "case": c.id, "date": e.date.isoformat(), "type": e.type})


def write_yaml(out: TextIO, cases: Iterable[Case], notes: Iterable[InputError] = ()) -> None:
    """YAML: a list of cases, each with its attributes and its events; notes as leading comments."""
    for n in notes:
        out.write("# " + " ".join(str(n).split()) + "\n")
    docs = []
    for c in cases:
        doc = {"case": c.id}
        doc.update((k, v) for k, v in c.attrs.items() if k not in ("case", "events"))
        doc["events"] = [{"date": e.date, "type": e.type,
                          **{k: v for k, v in e.attrs.items() if k not in ("date", "type")}}
                         for e in _in_replay_order(c)]
        docs.append(doc)
    yaml.dump(docs, out, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, default_flow_style=None,
              width=120)


class _PlainDumper(yaml.SafeDumper):
    """No &anchors and *aliases where readers share one date object between events: people read this."""

    def ignore_aliases(self, data):
        return True
