"""Field checks shared by the rule loader, and those of the deadline fields: `extend`
(response, max_duration) and `paused_by`/`resumed_by` (response). Each problem is a Bad naming
the field, which the loader reports with the file, line and rule."""

from __future__ import annotations

import datetime as dt
import difflib

from ..dates import Duration, due_date, parse_duration
from ..inputs.structured import line_of
from ..inputs.values import EVENT_TYPE_RE
from ..model import Rule

EXTEND_KEYS = ("by", "to")
# Durations are compared on every day of a leap year: `1 month` against `30 days` differs by
# the month, and working days against calendar days by the weekday and bank holidays.
_REFERENCE_DAYS = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]


class Bad(Exception):
    """A problem with one field of one rule (`line`: where inside the field, when known)."""

    def __init__(self, key: str | None, message: str, line: int | None = None):
        super().__init__(message)
        self.key = key
        self.line = line


def suggest(key: str, choices) -> str:
    """" (did you mean 'x'?)" for the choice closest to key, or nothing."""
    close = difflib.get_close_matches(str(key), list(choices), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def one_word(value, key: str, choices, name: str | None = None) -> None:
    """A field that takes one word from a list: anything else (a list, a mapping) is named as such."""
    if not isinstance(value, str):
        what = {list: "a list", dict: "a mapping"}.get(type(value), repr(value))
        raise Bad(key, f"`{name or key}` must be one word, one of {', '.join(choices)}; got {what}")


def event_types(raw: dict, key: str, field: str | None = None) -> frozenset[str]:
    """Event types named by raw[key] (one or a list); `field` is the name errors give it."""
    name = field or key
    value = raw[key]
    items = value if isinstance(value, list) else [value]
    if not items:
        raise Bad(key if field is None else field.split(".")[0], f"`{name}` names no event type")
    for t in items:
        if not isinstance(t, str) or not EVENT_TYPE_RE.match(t):
            raise Bad(key if field is None else field.split(".")[0],
                       f"`{name}`: event type must be lower_snake_case, got {t!r}")
    return frozenset(items)


def longer(to: Duration, base: Duration, rule: Rule) -> bool:
    """Is `to` never shorter than `base`, and longer from at least one day?"""
    if to.unit == base.unit:
        return to.n > base.n
    pairs = [(due_date(d, to, rule.calendar, rule.beginning_with), due_date(d, base, rule.calendar, rule.beginning_with))
             for d in _REFERENCE_DAYS]
    return all(a >= b for a, b in pairs) and any(a > b for a, b in pairs)


def extension(value, rule: Rule) -> tuple[frozenset[str], Duration]:
    """`extend: {by: event type(s), to: duration}`: the events that extend the deadline, and the cap
    (from the trigger or the period's start), which must be longer than `within` or `limit`."""
    if not isinstance(value, dict):
        raise Bad("extend", "`extend` must be a mapping like {by: stage2_extended, to: 65 working days}")
    unknown = [k for k in value if k not in EXTEND_KEYS]
    if unknown:
        raise Bad("extend", f"`extend` has unknown key {unknown[0]!r}{suggest(unknown[0], EXTEND_KEYS)}")
    for key in EXTEND_KEYS:
        if value.get(key) is None:
            raise Bad("extend", f"`extend` needs `{key}`, like {{by: stage2_extended, to: 65 working days}}")
    by = event_types(value, "by", "extend.by")
    try:
        to = parse_duration(value["to"])
    except ValueError as e:
        raise Bad("extend", f"`extend.to`: {e}") from None
    base_key = "within" if rule.kind == "response" else "limit"
    base = rule.within if rule.kind == "response" else rule.limit
    if not longer(to, base, rule):
        raise Bad("extend", f"`extend.to` ({to}) must be longer than `{base_key}` ({base}): "
                             "an extension moves the deadline later")
    return by, to


def clock_stops(raw: dict, rule: Rule) -> None:
    """`paused_by` and `resumed_by` (response rules): both or neither, and no type in both."""
    given = [k for k in ("paused_by", "resumed_by") if raw.get(k) is not None]
    if not given:
        return
    if len(given) == 1:
        other = "resumed_by" if given[0] == "paused_by" else "paused_by"
        raise Bad(given[0], f"`{given[0]}` needs `{other}` too: a clock that stops must be able to run again"
                   if other == "resumed_by" else "`resumed_by` needs `paused_by` too: nothing stops the clock")
    rule.paused_by, rule.resumed_by = event_types(raw, "paused_by"), event_types(raw, "resumed_by")
    both = rule.paused_by & rule.resumed_by
    if both:
        raise Bad("resumed_by", f"{', '.join(sorted(both))} is in both `paused_by` and `resumed_by`")


def type_pair(value, key: str, parts: tuple[str, str], example: str) -> tuple[frozenset[str], frozenset[str]]:
    """A mapping of two event-type fields, both required (`lift: {by, until}`, `counts_from: {from,
    until}`), no type in both."""
    if not isinstance(value, dict):
        raise Bad(key, f"`{key}` must be a mapping like {example}")
    unknown = [k for k in value if k not in parts]
    if unknown:
        raise Bad(key, f"`{key}` has unknown key {unknown[0]!r}{suggest(unknown[0], parts)}")
    for part in parts:
        if value.get(part) is None:
            raise Bad(key, f"`{key}` needs `{part}`, like {example}")
    a, b = (event_types(value, p, f"{key}.{p}") for p in parts)
    if a & b:
        raise Bad(key, f"{', '.join(sorted(a & b))} is in both `{key}.{parts[0]}` and `{key}.{parts[1]}`")
    return a, b
# The keys of a rule's examples (replay/examples.py runs them). Checked whenever a rule is loaded, so
# a misspelled key (`expext:`, `staus:`) is refused by every command, not only by `rules test`.
EXAMPLE_KEYS = ("name", "as_at", "case", "events", "expect")
EXPECT_KEYS = ("status", "due", "trigger", "actual", "days_late", "working_days_late", "extension", "clock_stops",
               "worker", "team", "note")
STOP_KEYS = ("from", "until")
EVENT_KEYS = ("date", "type")  # an event's other keys are its attributes, any name


def unknown_key(mapping, allowed, what: str, free: bool = False, field: str = "examples") -> None:
    """Raise Bad for a key of mapping not in allowed (free: only one that looks like a misspelling
    of an allowed key the mapping lacks)."""
    for key in mapping:
        if key in allowed:
            continue
        if free:
            hint = suggest(key, [k for k in allowed if k not in mapping])
            if not hint:
                continue
        else:
            hint = suggest(key, allowed) or f" (use {', '.join(allowed)})"
        raise Bad(field, f"unknown key {key!r} in {what}{hint}", line_of(mapping, key))


def example_keys(examples: list) -> None:
    """Every key of every example, expected finding, clock stop and event: a misspelling is a Bad."""
    for ex in examples:
        if not isinstance(ex, dict):
            continue  # `rules test` says what an example must be
        unknown_key(ex, EXAMPLE_KEYS, "an example")
        for ev in ex.get("events") or () if isinstance(ex.get("events"), list) else ():
            if isinstance(ev, dict):
                unknown_key(ev, EVENT_KEYS, "an example's event", free=True)
        for item in ex.get("expect") or () if isinstance(ex.get("expect"), list) else ():
            if not isinstance(item, dict):
                continue
            unknown_key(item, EXPECT_KEYS, "an expected finding")
            for stop in item.get("clock_stops") or () if isinstance(item.get("clock_stops"), list) else ():
                if isinstance(stop, dict):
                    unknown_key(stop, STOP_KEYS, "an expected clock stop")
