"""Kind `every`: an expected event recurring while a period is open (SPEC §2)."""

from __future__ import annotations

import datetime as dt

from ..dates import due_date
from ..model import Event, Rule
from .outcomes import Out, judged_due, until_ok, where_ok


class Every:
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

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        if self.anchor is not None and t in rule.expect:
            due = judged_due(rule, self.due, ev.date)
            out.add(rule, "met" if ev.date <= due else "late", self.anchor, due, ev)
            self.n += 1
            self.anchor, self.due = ev, self._next_due(ev)
        if self.anchor is not None and t in rule.until and until_ok(rule, ev):
            due = judged_due(rule, self.due, ev.date)
            if due < ev.date:
                out.add(rule, "missing", self.anchor, due, ev, end=ev.date)
            self.start = self.anchor = self.due = None
        if self.anchor is None and t in rule.start and where_ok(rule, ev):
            self.start = self.anchor = ev
            self.n = 0
            self.due = self._next_due(ev)

    def finish(self, out: Out) -> None:
        if self.anchor is not None:
            due = judged_due(self.rule, self.due, out.as_at)
            out.add(self.rule, "missing" if due < out.as_at else "due", self.anchor, due)
