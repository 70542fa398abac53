"""What the rule kinds share: turning outcomes into Findings, and the small tests they all make."""

from __future__ import annotations

import datetime as dt

from ..dates import days_between, next_day
from ..model import BREACHES, Case, Event, Finding, Rule, attrs_match
from .clock import Clock


def where_ok(rule: Rule, ev: Event) -> bool:
    return attrs_match(rule.where, ev.attrs)


def until_ok(rule: Rule, ev: Event) -> bool:
    """Does this `until` event end the period (`until_where`)?"""
    return not rule.until_where or attrs_match(rule.until_where, ev.attrs)


def agrees(rule: Rule, trigger: Event, ev: Event) -> bool:
    """Does an `unless`, `extend.by`, `paused_by` or `resumed_by` event concern this obligation?
    The `match` keys it carries must agree (a cancelled meeting withdraws only its own minutes);
    keys it does not carry are not compared (a closed case withdraws all)."""
    return all(trigger.attrs.get(k) == ev.attrs[k] for k in rule.match if k in ev.attrs)


class Out:
    """Turns outcomes into Findings: applies in_force and works out how late a breach is."""

    __slots__ = ("case", "as_at", "findings", "breaches_only", "judged")

    def __init__(self, case: Case, as_at: dt.date, breaches_only: bool = False, judged: set | None = None):
        self.case, self.as_at, self.findings, self.breaches_only = case, as_at, [], breaches_only
        # ids of the rules that gave a finding left out as not a breach: with the findings kept,
        # the rules that judged a case (a run names those that judged none)
        self.judged = judged if judged is not None else set()

    def add(self, rule: Rule, status: str, trigger: Event, due: dt.date, actual: Event | None = None,
            end: dt.date | None = None, clock: Clock | None = None, note: str | None = None) -> None:
        if rule.saved and any(begin <= trigger.date <= end for begin, end, _ in rule.saved):
            return  # begun within a relaxation that a saving provision keeps on after it ended
        if self.breaches_only and status not in BREACHES:
            if rule.id not in self.judged and rule.in_force_on(due):
                self.judged.add(rule.id)
            return  # most outcomes are met: when only breaches are wanted, none is built for them
        if not rule.in_force_on(due):
            return
        f = Finding(self.case.id, rule, status, trigger, due, actual, case_attrs=self.case.attrs, note=note)
        if clock is not None:
            f.extension, f.clock_stops = clock.extension, clock.clock_stops()
        if status in BREACHES:
            end = end or (actual.date if actual is not None else self.as_at)
            f.days_late = days_between(due, end)
            f.working_days_late = rule.calendar.working_days_between(due, end)
        self.findings.append(f)


def judged_due(rule: Rule, due: dt.date, open_until: dt.date) -> dt.date:
    """The due date a continuing duty (`every`, `max_duration`, `max_total`) is judged against.

    A window still open on the day its rule comes into force, whose due date fell before that
    day, is judged from the in-force date: a case with no summary for a year when a 3-monthly
    standard is adopted is in breach from the adoption, not never. Windows closed before the
    rule came into force keep their own due date, and in_force then leaves them unreported.
    """
    start = rule.in_force[0]
    if start is not None and due < start <= open_until:
        return start
    for begin, end, _ in rule.suspended:
        # the same after a relaxation: a window that fell due while the timescale was suspended
        # and is still open when it applies again is judged from the first day it applies
        resumed = next_day(end)
        if begin <= due < resumed <= open_until:
            return resumed
    return due
