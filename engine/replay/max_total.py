"""Kind `max_total`: a cap on the days spent in periods within any rolling window (docs/rules.md)."""

from __future__ import annotations

import datetime as dt

from ..dates import subtract
from ..model import Event, Rule
from .outcomes import Out, judged_due, where_ok


class MaxTotal:
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

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        if self.start is not None and t in rule.until:
            limit = judged_due(rule, self._limit_date(), ev.date)
            out.add(rule, "met" if ev.date <= limit else "exceeded", self.start, limit, ev)
            self.periods.append((self.start.date.toordinal(), ev.date.toordinal()))
            self.start = None
        if self.start is None and t in rule.start and where_ok(rule, ev):
            self.start = ev

    def finish(self, out: Out) -> None:
        if self.start is not None:
            limit = judged_due(self.rule, self._limit_date(), out.as_at)
            out.add(self.rule, "exceeded" if out.as_at > limit else "due", self.start, limit)
