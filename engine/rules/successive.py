"""Extensions that repeat (casecheck): `extend: {by: EVENT, each: 8 weeks}` on a max_duration rule.

Some limits may be extended as often as a court or panel grants, each time by at most a fixed
length, with no overall cap: care proceedings' 26 weeks, extended "by up to 8 weeks" at a time,
each extension "ending no more than 8 weeks after the later of the end of the 26 weeks and the
end of the last extension" (Children Act 1989 s32(5), (8)); secure accommodation authorised by
a court for up to 3 months, then renewed for up to 6 months at a time (SI 1991/1505 regs 11-12).

`each` is measured from the end of the period being extended (`after: end`, the default) or
from the date of the extending event itself (`after: extension`, a renewal order running from
the day it is made). An extending event dated on or before the current limit moves the limit to
that date + `each`, or to its `due` attribute's date held between the limit it replaces and that
cap; one after the limit has passed extends nothing. `extend.to` (one cap from the start) and
`extend.each` are alternatives. The replay engine's Clock applies them (replay.clock.Clock.extend_each).
"""

from __future__ import annotations

from ..dates import parse_duration
from ..model import Rule
from .fields import Bad, event_types, suggest

KEYS = ("by", "each", "after")
AFTERS = ("end", "extension")
EXAMPLE = "{by: care_proceedings_extended, each: 8 weeks}"


def successive_extension(value: dict, rule: Rule) -> None:
    """Validate `extend: {by, each, after}` and set it on the rule."""
    unknown = [k for k in value if k not in KEYS and k != "to"]
    if unknown:
        raise Bad("extend", f"`extend` has unknown key {unknown[0]!r}{suggest(unknown[0], KEYS)}")
    if "to" in value:
        raise Bad("extend", "`extend` takes `to` (one cap from the start) or `each` (a fixed length at a time), not both")
    if rule.kind != "max_duration":
        raise Bad("extend", "`extend.each` (extensions that repeat) applies to max_duration rules")
    if value.get("by") is None:
        raise Bad("extend", f"`extend` needs `by`, like {EXAMPLE}")
    rule.extend_by = event_types(value, "by", "extend.by")
    try:
        rule.extend_each = parse_duration(value["each"])
    except ValueError as e:
        raise Bad("extend", f"`extend.each`: {e}") from None
    after = value.get("after", "end")
    if after not in AFTERS:
        raise Bad("extend", f"`extend.after` must be end or extension, got {after!r}")
    rule.extend_after = after


def describe(rule: Rule) -> str:
    """The extension in words, for `rules explain`."""
    frm = "the end of the period it extends" if rule.extend_after == "end" else "the date of that event"
    return (f" A `{'`, `'.join(sorted(rule.extend_by))}` event on or before the limit date extends it, as often as one "
            f"comes, to at most {rule.extend_each} after {frm}; if the event carries a `due` date, to that date instead "
            "(never past that cap, never earlier than the limit it replaces). One after the limit has passed extends nothing.")


def window(rule: Rule) -> str:
    frm = "" if rule.extend_after == "end" else " from each"
    return f" (extendable by up to {rule.extend_each} at a time{frm}, as often as granted)"
