"""Kind `every`: an expected event recurring while a period is open (SPEC §2)."""

from __future__ import annotations

import datetime as dt

from ..dates import due_date, parse_date
from ..model import Event, Rule
from .outcomes import Out, judged_due, where_ok

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
    __slots__ = ("rule", "start", "anchor", "due", "n", "born", "note")

    def __init__(self, rule: Rule, attrs: dict | None = None):
        self.rule, self.start, self.anchor, self.due, self.n = rule, None, None, None, 0  # anchor None: no period
        self.born = date_of_birth(attrs or {}) if rule.by_age else None
        self.note = unknown_age_note(rule) if rule.by_age and self.born is None else None

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
            if self.born is not None:
                for under, every in rule.by_age:  # the youngest band the child is in on the anchor
                    if anchor.date < due_date(self.born, under, rule.calendar, False):
                        dur = every
                        break
        return due_date(anchor.date, dur, rule.calendar, rule.beginning_with)

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        if self.anchor is not None and t in rule.expect:
            due = judged_due(rule, self.due, ev.date)
            out.add(rule, "met" if ev.date <= due else "late", self.anchor, due, ev, note=self.note)
            self.n += 1
            self.anchor, self.due = ev, self._next_due(ev)
        if self.anchor is not None and t in rule.until:
            due = judged_due(rule, self.due, ev.date)
            if due < ev.date:
                out.add(rule, "missing", self.anchor, due, ev, end=ev.date, note=self.note)
            self.start = self.anchor = self.due = None
        if self.anchor is None and t in rule.start and where_ok(rule, ev):
            self.start = self.anchor = ev
            self.n = 0
            self.due = self._next_due(ev)

    def finish(self, out: Out) -> None:
        if self.anchor is not None:
            due = judged_due(self.rule, self.due, out.as_at)
            out.add(self.rule, "missing" if due < out.as_at else "due", self.anchor, due, note=self.note)
