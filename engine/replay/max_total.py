"""Kind `max_total`: a cap on the days spent in periods within any rolling window, or within fixed
year-long windows (`window_start`) (docs/rules.md)."""

from __future__ import annotations

import datetime as dt

from ..dates import subtract, year_window
from ..model import Event, Rule
from .outcomes import Out, judged_due, until_ok, where_ok


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

    def _fixed(self, out: Out, end: dt.date, ev: Event | None) -> None:
        """Fixed windows (`window_start`): the current period judged in each window it has nights
        in. In a window, its due date is the latest end date keeping that window's total within the
        cap (at latest the window's end: it cannot exceed there after it); it is measured to its
        end, or to the window's end where it runs on into the next window."""
        rule = self.rule
        cap = rule.limit.n * (7 if rule.limit.unit == "weeks" else 1)
        s, e = self.start.date, end
        first, nxt = year_window(s, rule.window_start)
        while True:
            lo, hi = max(s, first), min(e, nxt)
            a, b = first.toordinal(), nxt.toordinal()
            prior = sum(max(0, min(pe, b) - max(ps, a)) for ps, pe in self.periods)
            due = dt.date.fromordinal(min(max(lo.toordinal() + cap - prior, lo.toordinal()), b))
            due = judged_due(rule, due, hi)
            if ev is not None or nxt <= e:  # closed, or a window the open period has run past
                out.add(rule, "met" if hi <= due else "exceeded", self.start, due, ev, end=hi)
            else:  # the window holding the as-at date, the period still open
                out.add(rule, "exceeded" if hi > due else "due", self.start, due, end=hi)
            if e < nxt or (ev is not None and e == nxt):  # an open period is also due in the as-at's window
                return
            first, nxt = nxt, year_window(nxt, rule.window_start)[1]

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        if self.start is not None and t in rule.until and until_ok(rule, ev):
            if rule.window_start is not None:
                self._fixed(out, ev.date, ev)
            else:
                limit = judged_due(rule, self._limit_date(), ev.date)
                out.add(rule, "met" if ev.date <= limit else "exceeded", self.start, limit, ev)
            self.periods.append((self.start.date.toordinal(), ev.date.toordinal()))
            self.start = None
        if self.start is None and t in rule.start and where_ok(rule, ev):
            self.start = ev

    def finish(self, out: Out) -> None:
        if self.start is not None:
            if self.rule.window_start is not None:
                self._fixed(out, out.as_at, None)
                return
            limit = judged_due(self.rule, self._limit_date(), out.as_at)
            out.add(self.rule, "exceeded" if out.as_at > limit else "due", self.start, limit)
