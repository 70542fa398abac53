"""Kind `response`: a one-off follow-up due a fixed time after its trigger (SPEC §2)."""

from __future__ import annotations

from ..dates import due_date, subtract
from ..model import Event, Rule
from .outcomes import Out, where_ok, withdraws


class Response:
    __slots__ = ("rule", "open", "earlier")

    def __init__(self, rule: Rule):
        self.rule, self.open = rule, []  # open: [(trigger event, due date, its match values)]
        self.earlier: list[Event] = []  # expect events so far, kept only when the rule has a lookback

    def _key(self, ev: Event):
        """The event's `match` attribute values, compared whole instead of key by key."""
        m = self.rule.match
        if not m:
            return ()
        return ev.attrs.get(m[0]) if len(m) == 1 else tuple(ev.attrs.get(k) for k in m)

    def _answered_early(self, trig: Event, key) -> Event | None:
        """The latest expect within `lookback` before the trigger that matches it, if any."""
        start = subtract(trig.date, self.rule.lookback)
        for ev in reversed(self.earlier):
            if ev.date < start:
                return None
            if self._key(ev) == key:
                return ev
        return None

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        # Close before opening, so an event that is both expect and trigger (a meeting that
        # must follow the last meeting) answers the previous obligation and starts the next.
        if self.open and t in rule.expect:
            key, keep = self._key(ev), []
            for entry in self.open:
                trig, due, k = entry
                if k == key:
                    out.add(rule, "met" if ev.date <= due else "late", trig, due, ev)
                else:
                    keep.append(entry)
            self.open = keep
        if self.open and t in rule.unless:
            keep = []
            for entry in self.open:
                trig, due, _ = entry
                if ev.date <= due and withdraws(rule, trig, ev):
                    out.add(rule, "withdrawn", trig, due, ev)
                else:
                    keep.append(entry)
            self.open = keep
        if t in rule.trigger and (not rule.where or where_ok(rule, ev)):
            due, key = due_date(ev.date, rule.within, rule.calendar, rule.beginning_with), self._key(ev)
            early = self._answered_early(ev, key) if rule.lookback is not None else None
            if early is not None:
                out.add(rule, "met", ev, due, early)  # done before it was owed: a plan made in advance
            else:
                self.open.append((ev, due, key))
        if rule.lookback is not None and t in rule.expect:
            self.earlier.append(ev)

    def finish(self, out: Out) -> None:
        if self.rule.optional:
            return  # the expected event may never come; only its timing, when it does, is judged
        for trig, due, _ in self.open:
            out.add(self.rule, "missing" if due < out.as_at else "due", trig, due)
