"""Write cases back out as SPEC §1 case files: a CSV event log or YAML, so that what an importer
read can be inspected, corrected and checked again with the same findings.
"""

from __future__ import annotations

import csv
from typing import Iterable, TextIO

import yaml

from ..model import Case, Event, InputError


def _in_replay_order(case: Case) -> list[Event]:
    return sorted(case.events, key=lambda e: (e.date, e.seq))


def write_event_log(out: TextIO, cases: Iterable[Case]) -> None:
    """CSV: case, date, type, then every event attribute (empty where an event has none).

    Case attributes (team, worker) have no place in the event-log form; write YAML to keep them.
    """
    cases = list(cases)
    attrs = sorted({k for c in cases for e in c.events for k in e.attrs} - {"case", "date", "type"})
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["case", "date", "type", *attrs])
    for c in cases:
        for e in _in_replay_order(c):
            w.writerow([c.id, e.date.isoformat(), e.type, *(e.attrs.get(a, "") for a in attrs)])


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
