"""Replay each case's timeline against the rules (SPEC §2) and produce findings.

Rules are compiled once per run into a table from event type to the rules that care about
it; each case is then one pass over its events in (date, input order), with a small state
machine per rule. Due dates come from engine.dates; nothing here steps through days.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Iterable

from .dates import due_date
from .model import BREACHES, Case, Event, Finding, Rule


def _where_ok(rule: Rule, ev: Event) -> bool:
    return all(ev.attrs.get(k) in values for k, values in rule.where.items())


def _withdraws(rule: Rule, trigger: Event, ev: Event) -> bool:
    # `match` keys an `unless` event carries must agree (a cancelled meeting withdraws only its
    # own minutes); keys it does not carry are not compared (a closed case withdraws all).
    return all(trigger.attrs.get(k) == ev.attrs[k] for k in rule.match if k in ev.attrs)


class _Out:
    """Turns outcomes into Findings: applies in_force and works out how late a breach is."""

    __slots__ = ("case", "as_at", "findings")

    def __init__(self, case: Case, as_at: dt.date):
        self.case, self.as_at, self.findings = case, as_at, []

    def add(self, rule: Rule, status: str, trigger: Event, due: dt.date, actual: Event | None = None,
            end: dt.date | None = None) -> None:
        if not rule.in_force_on(due):
            return
        f = Finding(self.case.id, rule, status, trigger, due, actual, case_attrs=self.case.attrs)
        if status in BREACHES:
            end = end or (actual.date if actual is not None else self.as_at)
            f.days_late = (end - due).days
            f.working_days_late = rule.calendar.working_days_between(due, end)
        self.findings.append(f)


def _judged_due(rule: Rule, due: dt.date, open_until: dt.date) -> dt.date:
    """The due date a continuing duty (`every`, `max_duration`) is judged against.

    A window still open on the day its rule comes into force, whose due date fell before that
    day, is judged from the in-force date: a case with no summary for a year when a 3-monthly
    standard is adopted is in breach from the adoption, not never. Windows closed before the
    rule came into force keep their own due date, and in_force then leaves them unreported.
    """
    start = rule.in_force[0]
    if start is not None and due < start <= open_until:
        return start
    return due


class _Response:
    __slots__ = ("rule", "open")

    def __init__(self, rule: Rule):
        self.rule, self.open = rule, []  # open: [(trigger event, due date, its match values)]

    def _key(self, ev: Event):
        """The event's `match` attribute values, compared whole instead of key by key."""
        m = self.rule.match
        if not m:
            return ()
        return ev.attrs.get(m[0]) if len(m) == 1 else tuple(ev.attrs.get(k) for k in m)

    def feed(self, ev: Event, out: _Out) -> None:
        rule, t = self.rule, ev.type
        # Close before opening, so an event that is both expect and trigger (a meeting that
        # must follow the last meeting) answers the previous obligation and starts the next.
        if self.open and t in rule.expect:
            key, keep = self._key(ev), []
            for entry in self.open:
                trig, due, k = entry
                if k == key:
                    out.add(rule, "met" if ev.date <= due else "late", trig, due, ev)
                else:
                    keep.append(entry)
            self.open = keep
        if self.open and t in rule.unless:
            keep = []
            for entry in self.open:
                trig, due, _ = entry
                if ev.date <= due and _withdraws(rule, trig, ev):
                    out.add(rule, "withdrawn", trig, due, ev)
                else:
                    keep.append(entry)
            self.open = keep
        if t in rule.trigger and (not rule.where or _where_ok(rule, ev)):
            self.open.append((ev, due_date(ev.date, rule.within, rule.calendar, rule.beginning_with), self._key(ev)))

    def finish(self, out: _Out) -> None:
        if self.rule.optional:
            return  # the expected event may never come; only its timing, when it does, is judged
        for trig, due, _ in self.open:
            out.add(self.rule, "missing" if due < out.as_at else "due", trig, due)


class _Every:
    __slots__ = ("rule", "anchor", "due")

    def __init__(self, rule: Rule):
        self.rule, self.anchor, self.due = rule, None, None  # anchor is None: no period open

    def feed(self, ev: Event, out: _Out) -> None:
        rule, t = self.rule, ev.type
        if self.anchor is not None and t in rule.expect:
            due = _judged_due(rule, self.due, ev.date)
            out.add(rule, "met" if ev.date <= due else "late", self.anchor, due, ev)
            self.anchor, self.due = ev, due_date(ev.date, rule.every, rule.calendar, rule.beginning_with)
        if self.anchor is not None and t in rule.until:
            due = _judged_due(rule, self.due, ev.date)
            if due < ev.date:
                out.add(rule, "missing", self.anchor, due, ev, end=ev.date)
            self.anchor = self.due = None
        if self.anchor is None and t in rule.start and _where_ok(rule, ev):
            self.anchor = ev
            self.due = due_date(ev.date, rule.first or rule.every, rule.calendar, rule.beginning_with)

    def finish(self, out: _Out) -> None:
        if self.anchor is not None:
            due = _judged_due(self.rule, self.due, out.as_at)
            out.add(self.rule, "missing" if due < out.as_at else "due", self.anchor, due)


class _MaxDuration:
    __slots__ = ("rule", "start", "limit")

    def __init__(self, rule: Rule):
        self.rule, self.start, self.limit = rule, None, None

    def feed(self, ev: Event, out: _Out) -> None:
        rule, t = self.rule, ev.type
        if self.start is not None and t in rule.until:
            limit = _judged_due(rule, self.limit, ev.date)
            out.add(rule, "met" if ev.date <= limit else "exceeded", self.start, limit, ev)
            self.start = self.limit = None
        if self.start is None and t in rule.start and _where_ok(rule, ev):
            self.start = ev
            self.limit = due_date(ev.date, rule.limit, rule.calendar, rule.beginning_with)

    def finish(self, out: _Out) -> None:
        if self.start is not None:
            limit = _judged_due(self.rule, self.limit, out.as_at)
            out.add(self.rule, "exceeded" if out.as_at > limit else "due", self.start, limit)


_MACHINES = {"response": _Response, "every": _Every, "max_duration": _MaxDuration}


_event_order = operator.attrgetter("date", "seq")


class Replayer:
    """Rules compiled once: event type -> the indices of the rules that react to it."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = list(rules)
        self.by_type: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for t in rule.event_types():
                self.by_type.setdefault(t, []).append(i)

    def check_case(self, case: Case, as_at: dt.date) -> list[Finding]:
        """Every finding for one case, in SPEC order."""
        out = _Out(case, as_at)
        machines: dict[int, object] = {}
        by_type, rules = self.by_type, self.rules
        for ev in sorted(case.events, key=_event_order):
            if ev.date > as_at:
                continue  # events after the as-at date are ignored (SPEC §1)
            for i in by_type.get(ev.type, ()):
                m = machines.get(i)
                if m is None:
                    rule = rules[i]
                    m = machines[i] = _MACHINES[rule.kind](rule)
                m.feed(ev, out)
        for m in machines.values():
            m.finish(out)
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
