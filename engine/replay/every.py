"""Kind `every`: an expected event recurring while a period is open (docs/rules.md)."""

from __future__ import annotations

import datetime as dt

from ..dates import due_date, parse_date
from ..model import Event, Rule
from .outcomes import Out, judged_due, until_ok, where_ok

DATE_OF_BIRTH = "date_of_birth"  # the case attribute `by_age` reads


def date_of_birth(attrs: dict) -> dt.date | None:
    """The case's date of birth, or None where it has none or one that is not a date (the readers
    report that as an error; the case is checked as if it had none)."""
    value = attrs.get(DATE_OF_BIRTH)
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(value)
    except ValueError:
        return None


def unknown_age_note(rule: Rule) -> str:
    """The note on each finding of a `by_age` rule for a case without a date of birth."""
    limbs = ", ".join(f"under {under} ({every})" for under, every in rule.by_age)
    return f"the date of birth is not known, so the interval for a child {limbs} was not checked"


class Every:
    __slots__ = ("rule", "start", "anchor", "due", "n", "born", "note", "sw_on", "sw_since", "sw_applied")

    def __init__(self, rule: Rule, attrs: dict | None = None):
        self.rule, self.start, self.anchor, self.due, self.n = rule, None, None, None, 0  # anchor None: no period
        self.born = date_of_birth(attrs or {}) if rule.by_age else None
        self.note = unknown_age_note(rule) if rule.by_age and self.born is None else None
        k = len(rule.switch)
        # per switch: the date its `on` came in this period, the last `since` date, and whether its
        # start has been applied to the window open then
        self.sw_on, self.sw_since, self.sw_applied = [None] * k, [None] * k, [False] * k

    def _activation(self, i: int) -> dt.date | None:
        """The day switch i is on from: its `on` event's, or `after` past its `since` event if later."""
        sw, on = self.rule.switch[i], self.sw_on[i]
        if on is None or not sw.since:
            return on
        since = self.sw_since[i]
        return None if since is None else max(on, due_date(since, sw.after, self.rule.calendar, False))

    def _switched(self, d: dt.date):
        """The interval of the last switch on by date d, else None."""
        dur = None
        for i, sw in enumerate(self.rule.switch):
            a = self._activation(i)
            if a is not None and a <= d:
                dur = sw.every
        return dur

    def _catch_up(self, d: dt.date) -> None:
        """A switch that came on by date d re-times the window then open, 'from its anchor', where
        that was not yet overdue and the new interval is the longer."""
        rule = self.rule
        for i, sw in enumerate(rule.switch):
            a = self._activation(i)
            if a is None or self.sw_applied[i] or a > d:
                continue
            self.sw_applied[i] = True
            if self.anchor is not None and a <= self.due:
                self.due = max(self.due, due_date(self.anchor.date, sw.every, rule.calendar, rule.beginning_with))

    def _switch_event(self, ev: Event) -> None:
        rule, t = self.rule, ev.type
        for i, sw in enumerate(rule.switch):
            if t in sw.since:
                self.sw_since[i] = ev.date
            if self.anchor is None:
                continue
            if t in sw.on and self.sw_on[i] is None:
                self.sw_on[i] = ev.date
            elif t in sw.off and self.sw_on[i] is not None:
                a = self._activation(i)
                self.sw_on[i], self.sw_applied[i] = None, False
                if a is not None and a <= ev.date and ev.date <= self.due:
                    # off again: the usual interval, from the later of the last anchor and this day
                    since = max(self.anchor.date, ev.date)
                    self.due = due_date(since, self._duration(since), rule.calendar, rule.beginning_with)

    def _next_due(self, anchor: Event) -> dt.date:
        """The due date of the window anchored on `anchor`, the n-th of its period (0-based)."""
        return due_date(anchor.date, self._duration(anchor.date), self.rule.calendar, self.rule.beginning_with)

    def _duration(self, on: dt.date):
        """The length of the n-th window of the period anchored on date `on`."""
        rule = self.rule
        if rule.switch:
            dur = self._switched(on)
            if dur is not None:
                return dur
        if self.n < len(rule.first):
            dur = rule.first[self.n]
        else:
            dur = rule.every
            for after, every in rule.then:  # the latest phase that has begun by the anchor wins
                if on >= due_date(self.start.date, after, rule.calendar, False):
                    dur = every
            if self.born is not None:
                for under, every in rule.by_age:  # the youngest band the child is in on the anchor
                    if on < due_date(self.born, under, rule.calendar, False):
                        dur = every
                        break
        return dur

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        if rule.switch:
            self._switch_event(ev)
            self._catch_up(ev.date)
        if self.anchor is not None and t in rule.expect:
            due = judged_due(rule, self.due, ev.date)
            out.add(rule, "met" if ev.date <= due else "late", self.anchor, due, ev, note=self.note)
            self.n += 1
            self.anchor, self.due = ev, self._next_due(ev)
        if self.anchor is not None and t in rule.until and until_ok(rule, ev):
            due = judged_due(rule, self.due, ev.date)
            if due < ev.date:
                out.add(rule, "missing", self.anchor, due, ev, end=ev.date, note=self.note)
            self.start = self.anchor = self.due = None
        if self.anchor is None and t in rule.start and where_ok(rule, ev):
            self.start = self.anchor = ev
            self.n = 0
            k = len(rule.switch)
            self.sw_on, self.sw_applied = [None] * k, [False] * k  # a new period: no switch on yet
            self.due = self._next_due(ev)

    def finish(self, out: Out) -> None:
        if self.rule.switch:
            self._catch_up(out.as_at)
        if self.anchor is not None:
            due = judged_due(self.rule, self.due, out.as_at)
            out.add(self.rule, "missing" if due < out.as_at else "due", self.anchor, due, note=self.note)
