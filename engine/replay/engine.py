"""Replay each case's timeline against the rules (docs/rules.md) and produce findings.

Rules are compiled once per run into a table from event type to the rules that care about
it; each case is then one pass over its events in (date, input order), with a small state
machine per rule (one module per kind). Due dates come from casecheck.dates; nothing here steps
through days.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Iterable

from ..model import WORKER_ALLOCATED, Case, Finding, Rule
from .every import Every
from .fixed_windows import FixedWindows
from .holders import attribute
from .max_duration import MaxDuration
from .max_total import MaxTotal
from .outcomes import Out
from .response import Response
from ..rules.scope import skipped_rules

MACHINES = {"response": Response, "every": Every, "max_duration": MaxDuration, "max_total": MaxTotal}


event_order = operator.attrgetter("date", "seq")


class Replayer:
    """Rules compiled once: event type -> the indices of the rules that react to it."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = list(rules)
        self.by_type: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for t in rule.event_types():
                self.by_type.setdefault(t, []).append(i)
        # Allocations feed no rule but say who held the case: they must reach every replay
        # (the streaming readers keep only the types in by_type).
        self.by_type.setdefault(WORKER_ALLOCATED, [])
        self.scoped = [i for i, rule in enumerate(self.rules) if rule.applies_to]
        self._unrecordable: dict = {}  # SourceKind -> the rules its cases are not judged by
        self.judged: set[str] = set()  # rules that gave a finding not kept (breaches_only): Out.judged

    def check_case(self, case: Case, as_at: dt.date, breaches_only: bool = False) -> list[Finding]:
        """Every finding for one case (or only its breaches), in the findings' order (docs/formats.md)."""
        out = Out(case, as_at, breaches_only, self.judged)
        machines: dict[int, object] = {}
        by_type, rules = self.by_type, self.rules
        skip = (skipped_rules(rules, case, self.scoped, self._unrecordable)
                if self.scoped or case.source_kind is not None else ())
        allocations = []
        for ev in sorted(case.events, key=event_order):
            if ev.date > as_at:
                continue  # events after the as-at date are ignored (docs/formats.md)
            if ev.type == WORKER_ALLOCATED:
                allocations.append(ev)
            for i in by_type.get(ev.type, ()):
                if i in skip:
                    continue  # out of the rule's scope, or its source cannot record its answer
                m = machines.get(i)
                if m is None:
                    rule = rules[i]
                    m = machines[i] = (Every(rule, case.attrs) if rule.by_age else FixedWindows(rule) if rule.windows
                                       else MACHINES[rule.kind](rule))
                m.feed(ev, out)
        for m in machines.values():
            m.finish(out)
        attribute(out.findings, allocations, case)
        out.findings.sort(key=Finding.sort_key)
        return out.findings


def check(cases: Iterable[Case], rules: Iterable[Rule], as_at: dt.date) -> list[Finding]:
    """All findings for all cases, ordered by case, due date, rule id, trigger date."""
    replayer = Replayer(rules)
    findings = []
    for case in cases:
        findings.extend(replayer.check_case(case, as_at))
    findings.sort(key=Finding.sort_key)
    return findings
