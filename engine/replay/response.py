"""Kind `response`: a one-off follow-up due a fixed time after its trigger (docs/rules.md).

Each open obligation has its own Clock (its due date, an extension, its stops). An event that
plays several parts acts in the order docs/rules.md gives: expect, unless, extend.by, paused_by, resumed_by,
trigger.
"""

from __future__ import annotations

from ..dates import subtract
from ..model import Event, Rule
from .clock import Clock
from ..rules.eventwords import event_words, types_words
from .outcomes import Out, agrees, where_ok


class Response:
    __slots__ = ("rule", "open", "earlier", "switches", "n", "seen")

    def __init__(self, rule: Rule):
        self.rule, self.open = rule, []  # open: [(trigger event, its Clock, its match values)]
        self.earlier: list[Event] = []  # expect events so far, kept only when the rule has a lookback
        # The last paused_by/resumed_by event per set of match values it carried, so that an
        # obligation opened while its clock is stopped begins stopped: {carried: (n, paused?)}.
        self.switches: dict[tuple, tuple[int, bool]] = {}
        self.n = 0
        self.seen: set = set()  # fallback_trigger: the match values of every trigger so far

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

    def _begins_stopped(self, trig: Event) -> bool:
        """Was the last paused_by/resumed_by event that agrees with this trigger a paused_by?"""
        last = (-1, False)
        for carried, state in self.switches.items():
            if state[0] > last[0] and all(trig.attrs.get(k) == v for k, v in carried):
                last = state
        return last[1]

    def _switch(self, ev: Event, pause: bool) -> None:
        rule = self.rule
        for trig, clock, _ in self.open:
            if agrees(rule, trig, ev):
                clock.pause(ev.date) if pause else clock.resume(ev.date)
        self.n += 1
        self.switches[tuple((k, ev.attrs[k]) for k in rule.match if k in ev.attrs)] = (self.n, pause)

    def feed(self, ev: Event, out: Out) -> None:
        rule, t = self.rule, ev.type
        # Close before opening, so an event that is both expect and trigger (a meeting that
        # must follow the last meeting) answers the previous obligation and starts the next.
        if self.open and t in rule.expect:
            key, keep = self._key(ev), []
            for entry in self.open:
                trig, clock, k = entry
                if k == key:
                    due = clock.due(ev.date)
                    out.add(rule, "met" if ev.date <= due else "late", trig, due, ev, clock=clock, note=self.note(trig))
                else:
                    keep.append(entry)
            self.open = keep
        if self.open and t in rule.unless:
            keep = []
            for entry in self.open:
                trig, clock, _ = entry
                if not agrees(rule, trig, ev):
                    keep.append(entry)
                    continue
                due = clock.due(ev.date)
                if ev.date <= due:
                    out.add(rule, "withdrawn", trig, due, ev, clock=clock, note=self.note(trig))
                elif not rule.optional:
                    # Lapsed undone (the plan ended without its review): missing, late to this date.
                    out.add(rule, "missing", trig, due, ev, clock=clock, note=self.note(trig))
            self.open = keep
        if self.open and t in rule.extend_by:
            for trig, clock, _ in self.open:
                if agrees(rule, trig, ev):
                    clock.extend(ev, rule.extend_to)
        if t in rule.paused_by:
            self._switch(ev, True)
        if t in rule.resumed_by:
            self._switch(ev, False)
        if rule.fallback_trigger:
            ev = self._fallback(ev, out)
            if ev is None:
                return
        if t in rule.trigger and (not rule.where or where_ok(rule, ev)):
            key = self._key(ev)
            early = self._answered_early(ev, key) if rule.lookback is not None else None
            stopped = bool(self.switches) and self._begins_stopped(ev)
            clock = Clock(rule, ev.date, rule.within, stopped)
            if early is not None:  # done before it was owed: a plan made in advance
                out.add(rule, "met", ev, clock.due(ev.date), early, clock=clock)
            else:
                self.open.append((ev, clock, key))
        if rule.lookback is not None and t in rule.expect:
            self.earlier.append(ev)

    def _fallback(self, ev: Event, out: Out) -> Event | None:
        """`fallback_trigger`: such an event opens an obligation only where no trigger with its
        `match` values was recorded before it; a trigger coming after it (a request recorded after
        the start, on the same day or later) takes the open obligation over. Returns the event
        to go on with, or None when it opens nothing."""
        rule, t, key = self.rule, ev.type, self._key(ev)
        if t in rule.trigger and (not rule.where or where_ok(rule, ev)):
            self.seen.add(key)
            self.open = [e for e in self.open if not (e[2] == key and e[0].type in rule.fallback_trigger)]
            return ev
        if t in rule.fallback_trigger and (not rule.where or where_ok(rule, ev)):
            if key not in self.seen:
                self.seen.add(key)
                self.open.append((ev, Clock(rule, ev.date, rule.within), key))
            return None
        return ev

    def note(self, trig: Event) -> str | None:
        if trig.type not in self.rule.fallback_trigger:
            return None
        return (f"counted from the {event_words(trig.type)} event on {trig.date}: no "
                f"{types_words(self.rule.trigger)} event is recorded for it")

    def finish(self, out: Out) -> None:
        if self.rule.optional:
            return  # the expected event may never come; only its timing, when it does, is judged
        as_at = out.as_at
        for trig, clock, _ in self.open:
            due = clock.due(as_at)
            out.add(self.rule, "missing" if due < as_at else "due", trig, due, clock=clock, note=self.note(trig))
