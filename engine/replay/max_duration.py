"""Kind `max_duration`: a period that must not last longer than its limit (SPEC §2)."""

from __future__ import annotations

from ..dates import due_date
from ..model import Event, Rule
from .outcomes import Out, judged_due, where_ok


class MaxDuration:
    __slots__ = ("rule", "start", "limit")

    def __init__(self, rule: Rule):
        self.rule, self.start, self.limit = rule, None, None

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        if self.start is not None and t in rule.until:
            limit = judged_due(rule, self.limit, ev.date)
            out.add(rule, "met" if ev.date <= limit else "exceeded", self.start, limit, ev)
            self.start = self.limit = None
        if self.start is None and t in rule.start and where_ok(rule, ev):
            self.start = ev
            self.limit = due_date(ev.date, rule.limit, rule.calendar, rule.beginning_with)

    def finish(self, out: Out) -> None:
        if self.start is not None:
            limit = judged_due(self.rule, self.limit, out.as_at)
            out.add(self.rule, "exceeded" if out.as_at > limit else "due", self.start, limit)
