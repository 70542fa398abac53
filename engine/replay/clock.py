"""One deadline's clock (docs/rules.md): its due date, an extension, and the stops that move it.

Shared by the kinds that have deadlines to extend or pause (`response`, `max_duration`), so
"due as of date J" means one thing everywhere. The due date is never stored moved: it is the
base due date (the rule's, or an extension's) moved by the stops counted up to J, a running stop
included, so a judgement made while the clock is stopped is never late, missing or lapsed.
"""

from __future__ import annotations

import datetime as dt

from ..dates import Duration, due_date, moved_due, parse_date, stop_length
from ..model import ClockStop, Event, Rule


class Clock:
    __slots__ = ("rule", "start", "base", "unit", "extension", "stops", "since", "lifted")

    def __init__(self, rule: Rule, start: dt.date, dur: Duration, stopped: bool = False):
        self.rule, self.start, self.unit = rule, start, dur.unit
        self.base = due_date(start, dur, rule.calendar, rule.beginning_with)
        self.extension: Event | None = None
        self.stops: list[tuple[dt.date, dt.date]] = []  # closed stops: (paused on, resumed on)
        self.since = start if stopped else None  # the date a running stop began
        self.lifted = False  # a `lift.by` event has lifted the limit until a `lift.until` event

    def due(self, j: dt.date) -> dt.date:
        """The due date as it stands on date j: the base due date moved by every stop up to j."""
        if self.lifted:
            return max(self.base, j)  # lifted: no limit runs out while the review is awaited
        if self.since is None and not self.stops:
            return self.base  # the usual case: nothing to move
        cal, working = self.rule.calendar, self.unit == "working_days"
        n = sum(stop_length(s, r, cal, working) for s, r in self.stops)
        if self.since is not None:
            n += stop_length(self.since, j, cal, working)
        due = moved_due(self.base, n, cal, working)
        # A stopped clock cannot run out: a base due date on a non-working day (from an
        # extension's `due`) could otherwise fall a day short of j.
        return max(due, j) if self.since is not None else due

    def extend(self, ev: Event, to: Duration) -> None:
        """An extension event (docs/rules.md, Extensions): on or before the current due date it replaces
        the base due date by start + `to`, or by its `due` attribute kept between the due date it
        replaces and that cap. After the due date it extends nothing."""
        if ev.date > self.due(ev.date):
            return
        self._extend_to(ev, due_date(self.start, to, self.rule.calendar, self.rule.beginning_with), to.unit)

    def extend_each(self, ev: Event) -> None:
        """An extension that repeats (`extend: {by, each, after}`, rules.successive): on or before
        the current limit it moves the limit to `each` after that limit (`after: end`) or after the
        event's own date (`after: extension`), or to its `due` attribute kept between the two;
        after the limit has passed it extends nothing."""
        rule = self.rule
        current = self.due(ev.date)
        if ev.date > current:
            return
        start = current if rule.extend_after == "end" else ev.date
        self._extend_to(ev, due_date(start, rule.extend_each, rule.calendar, False), rule.extend_each.unit)

    def _extend_to(self, ev: Event, cap: dt.date, unit: str) -> None:
        """The base due date moved to cap, or to the event's `due` date kept between the base due
        date it replaces and cap; never earlier than it was."""
        new = cap
        asked = ev.attrs.get("due")
        if asked is not None:
            try:
                new = min(max(parse_date(asked), self.base), cap)
            except ValueError:
                pass  # not an ISO date: the extension runs to the cap, as one without `due` does
        if new >= self.base:
            self.base, self.unit, self.extension = new, unit, ev

    def lift(self, ev: Event) -> None:
        """A `lift.by` event on or before the current limit lifts it (reg 25(3): "until the outcome
        of the review is known"); after the limit it lifts nothing."""
        if not self.lifted and ev.date <= self.due(ev.date):
            self.lifted, self.extension = True, ev

    def restore(self, ev: Event) -> None:
        """A `lift.until` event ends a lift: the limit is then the later of the limit it had and
        this event's date."""
        if self.lifted:
            self.lifted, self.base = False, max(self.base, ev.date)

    def pause(self, d: dt.date) -> None:
        """A `paused_by` event: stops a running clock whose due date (as of d) has not passed."""
        if self.since is None and d <= self.due(d):
            self.since = d

    def resume(self, d: dt.date) -> None:
        if self.since is not None:
            self.stops.append((self.since, d))
            self.since = None

    @property
    def stopped(self) -> bool:
        return self.since is not None

    def clock_stops(self) -> tuple[ClockStop, ...]:
        """The stops so far, for a finding judged now (a running stop has no `until`)."""
        if self.since is None and not self.stops:
            return ()
        out = tuple(ClockStop(s, r) for s, r in self.stops)
        return out + (ClockStop(self.since, None),) if self.since is not None else out
