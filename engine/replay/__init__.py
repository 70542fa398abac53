"""Replay each case's timeline against the rules (SPEC §2) and produce findings.

Rules are compiled once per run into a table from event type to the rules that care about
it; each case is then one pass over its events in (date, input order), with a small state
machine per rule. Due dates come from casecheck.dates; nothing here steps through days.
"""

from __future__ import annotations

import datetime as dt
import operator
from typing import Iterable

from ..dates import days_between, due_date, subtract
from ..model import BREACHES, Case, Event, Finding, Rule


def _where_ok(rule: Rule, ev: Event) -> bool:
    return all(ev.attrs.get(k) in values for k, values in rule.where.items())


def _withdraws(rule: Rule, trigger: Event, ev: Event) -> bool:
    # `match` keys an `unless` event carries must agree (a cancelled meeting withdraws only its
    # own minutes); keys it does not carry are not compared (a closed case withdraws all).
    return all(trigger.attrs.get(k) == ev.attrs[k] for k in rule.match if k in ev.attrs)


class _Out:
    """Turns outcomes into Findings: applies in_force and works out how late a breach is."""

    __slots__ = ("case", "as_at", "findings", "breaches_only")

    def __init__(self, case: Case, as_at: dt.date, breaches_only: bool = False):
        self.case, self.as_at, self.findings, self.breaches_only = case, as_at, [], breaches_only

    def add(self, rule: Rule, status: str, trigger: Event, due: dt.date, actual: Event | None = None,
            end: dt.date | None = None) -> None:
        if (self.breaches_only and status not in BREACHES) or not rule.in_force_on(due):
            return  # most outcomes are met: when only breaches are wanted, none is built for them
        f = Finding(self.case.id, rule, status, trigger, due, actual, case_attrs=self.case.attrs)
        if status in BREACHES:
            end = end or (actual.date if actual is not None else self.as_at)
            f.days_late = days_between(due, end)
            f.working_days_late = rule.calendar.working_days_between(due, end)
        self.findings.append(f)


def _judged_due(rule: Rule, due: dt.date, open_until: dt.date) -> dt.date:
    """The due date a continuing duty (`every`, `max_duration`, `max_total`) is judged against.

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
    __slots__ = ("rule", "open", "earlier")

    def __init__(self, rule: Rule):
        self.rule, self.open = rule, []  # open: [(trigger event, due date, its match values)]
        self.earlier: list[Event] = []  # expect events so far, kept only when the rule has a lookback

    def _key(self, ev: Event):
        """The event's `match` attribute values, compared whole instead of key by key."""
        m = self.rule.match
        if not m:
            return ()
        return ev.attrs.get(m[0]) if len(m) == 1 else tuple(ev.attrs.get(k) for k in m)

    def _answered_early(self, trig: Event, key) -> Event | None:
        """The latest expect within `lookback` before the trigger that matches it, if any."""
        start = subtract(trig.date, self.rule.lookback)
        for ev in reversed(self.earlier):
            if ev.date < start:
                return None
            if self._key(ev) == key:
                return ev
        return None

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
            due, key = due_date(ev.date, rule.within, rule.calendar, rule.beginning_with), self._key(ev)
            early = self._answered_early(ev, key) if rule.lookback is not None else None
            if early is not None:
                out.add(rule, "met", ev, due, early)  # done before it was owed: a plan made in advance
            else:
                self.open.append((ev, due, key))
        if rule.lookback is not None and t in rule.expect:
            self.earlier.append(ev)

    def finish(self, out: _Out) -> None:
        if self.rule.optional:
            return  # the expected event may never come; only its timing, when it does, is judged
        for trig, due, _ in self.open:
            out.add(self.rule, "missing" if due < out.as_at else "due", trig, due)


class _Every:
    __slots__ = ("rule", "start", "anchor", "due", "n")

    def __init__(self, rule: Rule):
        self.rule, self.start, self.anchor, self.due, self.n = rule, None, None, None, 0  # anchor None: no period

    def _next_due(self, anchor: Event) -> dt.date:
        """The due date of the window anchored on `anchor`, the n-th of its period (0-based)."""
        rule = self.rule
        if self.n < len(rule.first):
            dur = rule.first[self.n]
        else:
            dur = rule.every
            for after, every in rule.then:  # the latest phase that has begun by the anchor wins
                if anchor.date >= due_date(self.start.date, after, rule.calendar, False):
                    dur = every
        return due_date(anchor.date, dur, rule.calendar, rule.beginning_with)

    def feed(self, ev: Event, out: _Out) -> None:
        rule, t = self.rule, ev.type
        if self.anchor is not None and t in rule.expect:
            due = _judged_due(rule, self.due, ev.date)
            out.add(rule, "met" if ev.date <= due else "late", self.anchor, due, ev)
            self.n += 1
            self.anchor, self.due = ev, self._next_due(ev)
        if self.anchor is not None and t in rule.until:
            due = _judged_due(rule, self.due, ev.date)
            if due < ev.date:
                out.add(rule, "missing", self.anchor, due, ev, end=ev.date)
            self.start = self.anchor = self.due = None
        if self.anchor is None and t in rule.start and _where_ok(rule, ev):
            self.start = self.anchor = ev
            self.n = 0
            self.due = self._next_due(ev)

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


class _MaxTotal:
    """A cap on the days spent in periods within any rolling window (short breaks: 75 in 12 months).

    A period from s to e counts the e - s days (nights) s, s+1, ..., e-1. Within one period the
    total over the window ending on a day never falls (each day adds one and drops at most one),
    so the first day over the cap is found by bisection, not by walking the days. The finding's
    due date is the latest end date that keeps within the cap.
    """

    __slots__ = ("rule", "periods", "start")

    def __init__(self, rule: Rule):
        self.rule, self.periods, self.start = rule, [], None  # periods: closed (s, e) ordinals

    def _total(self, day: int) -> int:
        """Days in periods within the window ending on `day` (the current period running through it)."""
        lo = subtract(dt.date.fromordinal(day), self.rule.window).toordinal()  # window is (lo, day]
        total = 0
        for s, e in self.periods + [(self.start.date.toordinal(), day + 1)]:
            total += max(0, min(e - 1, day) - max(s, lo + 1) + 1)
        return total

    def _limit_date(self) -> dt.date:
        """The latest end date of the current period that keeps the window's total within the cap."""
        cap = self.rule.limit.n * (7 if self.rule.limit.unit == "weeks" else 1)
        s = self.start.date.toordinal()
        lo, hi = s, s + cap  # by night s + cap the period alone is over the cap
        if self._total(hi) <= cap:
            return dt.date.fromordinal(hi + 1)  # the window is too short ever to exceed the cap
        while lo < hi:  # first night over the cap
            mid = (lo + hi) // 2
            if self._total(mid) > cap:
                hi = mid
            else:
                lo = mid + 1
        return dt.date.fromordinal(lo)

    def feed(self, ev: Event, out: _Out) -> None:
        rule, t = self.rule, ev.type
        if self.start is not None and t in rule.until:
            limit = _judged_due(rule, self._limit_date(), ev.date)
            out.add(rule, "met" if ev.date <= limit else "exceeded", self.start, limit, ev)
            self.periods.append((self.start.date.toordinal(), ev.date.toordinal()))
            self.start = None
        if self.start is None and t in rule.start and _where_ok(rule, ev):
            self.start = ev

    def finish(self, out: _Out) -> None:
        if self.start is not None:
            limit = _judged_due(self.rule, self._limit_date(), out.as_at)
            out.add(self.rule, "exceeded" if out.as_at > limit else "due", self.start, limit)


_MACHINES = {"response": _Response, "every": _Every, "max_duration": _MaxDuration, "max_total": _MaxTotal}


_event_order = operator.attrgetter("date", "seq")


class Replayer:
    """Rules compiled once: event type -> the indices of the rules that react to it."""

    def __init__(self, rules: Iterable[Rule]):
        self.rules = list(rules)
        self.by_type: dict[str, list[int]] = {}
        for i, rule in enumerate(self.rules):
            for t in rule.event_types():
                self.by_type.setdefault(t, []).append(i)

    def check_case(self, case: Case, as_at: dt.date, breaches_only: bool = False) -> list[Finding]:
        """Every finding for one case (or only its breaches), in SPEC order."""
        out = _Out(case, as_at, breaches_only)
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
