"""Kind `max_duration`: a period that must not last too long (SPEC §2); its limit date may be
extended (`extend`), through the same Clock as a `response` deadline."""

from __future__ import annotations

from ..model import Event, Rule
from ..rules import successive
from .clock import Clock
from .outcomes import Out, judged_due, until_ok, where_ok


class MaxDuration:
    __slots__ = ("rule", "start", "clock")

    def __init__(self, rule: Rule):
        self.rule, self.start, self.clock = rule, None, None

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        if self.start is not None and t in rule.until and until_ok(rule, ev):
            limit = judged_due(rule, self.clock.due(ev.date), ev.date)
            out.add(rule, "met" if ev.date <= limit else "exceeded", self.start, limit, ev, clock=self.clock)
            self.start = self.clock = None
        if self.start is not None and t in rule.extend_by:
            if rule.extend_each is not None:
                successive.extend(self.clock, ev)
            else:
                self.clock.extend(ev, rule.extend_to)
        if self.start is None and t in rule.start and where_ok(rule, ev):
            self.start = ev
            self.clock = Clock(rule, ev.date, rule.limit)

    def finish(self, out: Out) -> None:
        if self.start is not None:
            limit = judged_due(self.rule, self.clock.due(out.as_at), out.as_at)
            out.add(self.rule, "exceeded" if out.as_at > limit else "due", self.start, limit, clock=self.clock)
