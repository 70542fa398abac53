"""`casecheck rules lint` on cases with rules: an extension, withdrawal, review sought or outcome
event with nothing open to act on. Only the replay's own state machines can say what is open at an
event's date, so this lint lives beside them.
"""

from __future__ import annotations

import datetime as dt

from ..model import Case, Rule
from ..rules.lint import LintWarning
from ..rules.scope import applies
from .engine import MACHINES, event_order
from .outcomes import Out, agrees


def _acting_types(rules: list[Rule]) -> dict[str, list[Rule]]:
    """Event types that only act on something already open (an extension, a withdrawal, a review
    sought or its outcome) in every loaded rule that names them: type -> those rules."""
    acting, other = {}, set()
    for r in rules:
        for t in r.extend_by | r.unless | r.lift_by | r.lift_until:
            acting.setdefault(t, []).append(r)
        other |= r.trigger | r.fallback_trigger | r.expect | r.start | r.until | r.paused_by | r.resumed_by
    return {t: rs for t, rs in acting.items() if t not in other}


def _finds_open(machine, rule: Rule, ev) -> bool:
    """Has this rule's machine something open that the event could act on?"""
    if rule.kind == "response":
        return any(agrees(rule, trig, ev) for trig, _, _ in machine.open)
    if rule.kind == "max_duration":
        if machine.start is None:
            return False
        return machine.clock.lifted if ev.type in rule.lift_until and ev.type not in rule.lift_by else True
    return getattr(machine, "start", None) is not None or getattr(machine, "anchor", None) is not None


def lint_orphans(cases: list[Case], rules: list[Rule]) -> list[LintWarning]:
    """An extension, withdrawal, review sought or outcome event with nothing open to act on (no
    open obligation or period of any rule it acts in, as the replay stands at its date): likely a
    wrong date or a missing event before it. `check` ignores such an event; lint names it."""
    acting = _acting_types(rules)
    if not acting:
        return []
    wanted = [r for r in rules if r.event_types() & acting.keys()]
    out = []
    for c in cases:
        machines = {id(r): MACHINES[r.kind](r) for r in wanted if not r.applies_to or applies(r, c)}
        sink = Out(c, dt.date.max)  # nothing is judged at the end: only the state at each event matters
        for ev in sorted(c.events, key=event_order):
            if ev.type in acting:
                acts = [r for r in acting[ev.type] if id(r) in machines]
                if acts and not any(_finds_open(machines[id(r)], r, ev) for r in acts):
                    out.append(LintWarning(ev.source or c.source, ev.line,
                                           f"case {c.id}: {ev.type} on {ev.date} has nothing open to act on "
                                           f"(rule {', '.join(sorted(r.id for r in acts))}); check its date"))
            for r in wanted:
                m = machines.get(id(r))
                if m is not None and ev.type in r.event_types():
                    m.feed(ev, sink)
    return out
