"""Kind `every` with fixed `windows`: an expected event in each calendar window (a school term)
that lies wholly within an open period.

A period opens on a `from` event and closes on an `until` event, as for intervals. The windows
judged are those that begin on or after the period's first day and end before the day it closes:
the child was looked after throughout. The first `expect` dated within such a window meets it (due:
its last day), reported once the window has ended (or at the as-at date, while it runs). One with
none is `missing` once it has ended, counted to the next `expect`, the period's close or the as-at
date, whichever comes first; one running at the as-at date with none yet is `due`. The trigger of
each finding is the anchor, as for intervals: the last `expect` before the window, else the event
that opened the period.
"""

from __future__ import annotations

import datetime as dt

from ..dates import yearly_windows
from ..model import Event, Rule
from .outcomes import Out, until_ok, where_ok


class FixedWindows:
    __slots__ = ("rule", "anchor", "windows", "current", "opened", "met", "pending")

    def __init__(self, rule: Rule):
        self.rule = rule
        self.anchor: Event | None = None  # the last expect, else the period's start; None: no period
        self.windows = None  # the period's windows in date order, from its first day
        self.current: tuple[dt.date, dt.date] | None = None  # the window not yet judged
        self.opened: Event | None = None  # the anchor when the current window began
        self.met: Event | None = None  # the first expect within the current window
        self.pending: list[tuple[Event, dt.date]] = []  # ended with none: (anchor, due), counted on

    def _next(self) -> None:
        self.current, self.met = next(self.windows), None

    def _pass(self, d: dt.date, out: Out) -> None:
        """Judge the windows that ended before day d."""
        while self.current is not None and self.current[1] < d:
            if self.opened is None:  # began after the last event seen: its anchor is the latest
                self.opened = self.anchor
            if self.met is not None:
                out.add(self.rule, "met", self.opened, self.current[1], self.met)
            else:
                self.pending.append((self.opened, self.current[1]))
            self.opened = None
            self._next()

    def _count(self, out: Out, end: dt.date) -> None:
        for anchor, due in self.pending:
            out.add(self.rule, "missing", anchor, due, end=end)
        self.pending = []

    def feed(self, ev: Event, out: Out) -> None:
        rule, t, d = self.rule, ev.type, ev.date
        if self.anchor is not None:
            self._pass(d, out)
            if self.opened is None and self.current[0] <= d:
                self.opened = self.anchor  # the window holding d began after the last event seen
            if t in rule.expect:
                self._count(out, d)
                if self.current[0] <= d and self.met is None:
                    self.met = ev
                self.anchor = ev
            if t in rule.until and until_ok(rule, ev):
                self._count(out, d)  # the window holding day d was not covered throughout
                self.anchor = self.windows = self.current = self.opened = self.met = None
        if self.anchor is None and t in rule.start and where_ok(rule, ev):
            self.anchor = ev
            self.windows = yearly_windows(d, rule.windows)
            self._next()
            self.opened = ev if self.current[0] <= d else None

    def finish(self, out: Out) -> None:
        if self.anchor is None:
            return
        as_at = out.as_at
        self._pass(as_at, out)
        self._count(out, as_at)
        first, last = self.current
        if first <= as_at:
            opened = self.opened or self.anchor
            if self.met is not None:
                out.add(self.rule, "met", opened, last, self.met)
            else:
                out.add(self.rule, "due", opened, last)
