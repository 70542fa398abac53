"""Kind `max_duration`: a period that must not last too long (docs/rules.md); its limit date may be
extended (`extend`), through the same Clock as a `response` deadline."""

from __future__ import annotations

from ..model import Event, Rule
from .clock import Clock
from ..rules.eventwords import types_words
from .outcomes import Out, judged_due, until_ok, where_ok


class MaxDuration:
    __slots__ = ("rule", "start", "clock", "other", "note")

    def __init__(self, rule: Rule):
        self.rule, self.start, self.clock = rule, None, None
        self.other: list = [None, None]  # counts_from: the latest such period's [start, end] dates
        self.note = None

    def _counted_from(self, ev: Event):
        """The date the period's limit counts from: its own, or that of a `counts_from` period
        running on its day (begun on or before it, not ended on an earlier day)."""
        began, ended = self.other
        if began is not None and began <= ev.date and (ended is None or ended >= ev.date):
            return began
        return ev.date

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        if t in rule.counts_from[0]:
            self.other = [ev.date, None]
        elif t in rule.counts_from[1] and self.other[0] is not None and self.other[1] is None:
            self.other[1] = ev.date
        if self.start is not None and t in rule.until and until_ok(rule, ev):
            limit = judged_due(rule, self.clock.due(ev.date), ev.date)
            out.add(rule, "met" if ev.date <= limit else "exceeded", self.start, limit, ev, clock=self.clock,
                    note=self.note)
            self.start = self.clock = self.note = None
        if self.start is not None and t in rule.extend_by:
            if rule.extend_each is not None:
                self.clock.extend_each(ev)
            else:
                self.clock.extend(ev, rule.extend_to)
        if self.start is not None and t in rule.lift_by:
            self.clock.lift(ev)
        if self.start is not None and t in rule.lift_until:
            self.clock.restore(ev)
        if self.start is None and t in rule.start and where_ok(rule, ev):
            self.start = ev
            begins = self._counted_from(ev) if rule.counts_from[0] else ev.date
            self.clock = Clock(rule, begins, rule.limit)
            if begins != ev.date:
                self.note = (f"counted from {begins}, when the {types_words(rule.counts_from[0])} period that was "
                             f"running on {ev.date} began")

    def finish(self, out: Out) -> None:
        if self.start is not None:
            limit = judged_due(self.rule, self.clock.due(out.as_at), out.as_at)
            out.add(self.rule, "exceeded" if out.as_at > limit else "due", self.start, limit, clock=self.clock,
                    note=self.note)
