"""A finding as plain sentences, for people who read a chronology rather than a table.

"CIN meeting on Tuesday 15 February 2022: minutes sent due by Tuesday 8 March 2022 (within
15 working days); minutes sent 12 April 2022, 35 days (25 working days) late."

Then what moved the due date or changes how the breach counts, each as its own sentence: the
date a standard came into force (a continuing duty judged from it), an extension, stops of
the clock, and an exception accepted in a register.
"""

from __future__ import annotations

import datetime as dt

from ..model import Finding
from .wording import days_words, event_phrase, held_on_due_date, long_date, short_date, timescale, types_words


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def outcome(f: Finding, as_at: dt.date) -> str:
    """What happened, in words, with the lateness of a breach."""
    act, late = f.actual, days_words(f.days_late, f.working_days_late)
    did = f"{event_phrase(act.type)} on {short_date(act.date)}" if act is not None else ""
    if f.status == "met":
        return f"{did}, in time" if act else "met in time"
    if f.status == "withdrawn":
        return f"withdrawn: {did}" if act else "withdrawn"
    if f.status == "due":
        return "due today" if f.due == as_at else f"not yet due on {short_date(as_at)}"
    if f.status == "late":
        return f"{did}, {late} late"
    if f.status == "missing":
        if act is not None:
            return f"never done before {did}, {late} after it was due"
        return f"still not done on {short_date(as_at)}, {late} overdue"
    if act is not None:  # exceeded
        return f"it ran until {did}, {late} over the limit"
    return f"still running on {short_date(as_at)}, {late} over the limit"


def finding_sentence(f: Finding, as_at: dt.date) -> str:
    """What was owed, by when, what happened, and who held the case on the due date, in one sentence."""
    rule, trig = f.rule, f.trigger
    when = f"{event_phrase(trig.type)} on {long_date(trig.date)}"
    if rule.kind == "response":
        owed = f"{_cap(when)}: {types_words(rule.expect)} due by {long_date(f.due)} ({timescale(rule)})"
    elif rule.kind == "every":
        owed = (f"{_cap(types_words(rule.expect))} due by {long_date(f.due)} ({timescale(rule)}; "
                f"counted since {when})")
    else:
        owed = f"The period since {when} was to end by {long_date(f.due)} ({timescale(rule)})"
    held = held_on_due_date(f, as_at)
    return f"{owed}; {outcome(f, as_at)}" + (f"; {held}" if held else "") + "."


def adjustments(f: Finding) -> list[str]:
    """Sentences on what moved the due date, or why a breach does not count as one."""
    out = []
    start = f.rule.in_force[0]
    if start is not None and f.due == start and f.rule.kind != "response":
        out.append(f"Judged from {long_date(start)}, when the standard came into force: the duty fell due "
                   f"earlier, but the standard did not apply before that date.")
    if f.trigger.attrs.get("before_return") == "true":
        out.append(f"It began before the return's first record of it: counted from {long_date(f.trigger.date)}, "
                   "the start of the first episode the return holds, so it may have run longer.")
    if f.extension is not None:
        # the due date shown is the extended one, unless clock stops moved it on afterwards
        to = "" if f.clock_stops else f" to {short_date(f.due)}"
        out.append(f"The deadline was extended on {short_date(f.extension.date)}{to} "
                   f"({event_phrase(f.extension.type)}).")
    for stop in f.clock_stops:
        if stop.until is None:
            out.append(f"The clock stopped on {long_date(stop.start)} and had not restarted when this was judged.")
        else:
            out.append(f"The clock stopped from {long_date(stop.start)} to {long_date(stop.until)}; the due date "
                       f"moved later by that time.")
    if f.exception is not None:
        e = f.exception
        out.append(f"Excused: {e.reason} (approved by {e.approved_by} on {long_date(e.approved_on)}); "
                   f"not counted as a breach.")
    return out
