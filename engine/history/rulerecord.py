"""A rule as a run judged it, recorded beside the run (table casecheck_run_rules): its definition
as loaded, as canonical JSON, and a digest of it, so that `history` can say in which runs a rule
changed, and tell a rule taken out of the library ("rule withdrawn") from a case no longer reported.

Where the rule was read from (file, line) and its worked examples are left out: moving a rule to
another file, or adding an example, does not change what it judges."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib

from ..dates import Calendar, Duration
from ..model import Not, Rule
from .identity import canonical

_LEFT_OUT = {"file", "line", "examples", "ruleset", "calendar"}


def _plain(v):
    if isinstance(v, Not):  # {attribute: {not: values}}: kept apart from a plain list of values
        return {"not": _plain(frozenset(v))}
    if isinstance(v, (frozenset, set)):
        return sorted((_plain(x) for x in v), key=lambda x: (x is None, canonical(x)))
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    if isinstance(v, dict):
        return {str(k): _plain(x) for k, x in v.items()}
    if isinstance(v, Duration):
        return str(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, Calendar):
        return {"name": v.name, "closures": sorted(d.isoformat() for d in v.closures)}
    if dataclasses.is_dataclass(v) and not isinstance(v, type):  # a Switch, or any later part of a rule
        return {f.name: _plain(getattr(v, f.name)) for f in dataclasses.fields(v)}
    return v


def definition(rule: Rule) -> dict:
    """The rule's fields as plain JSON values, its ruleset by name and its calendar by name and closures."""
    out = {f.name: _plain(getattr(rule, f.name)) for f in dataclasses.fields(rule) if f.name not in _LEFT_OUT}
    out["ruleset"] = rule.ruleset.name
    out["calendar"] = _plain(rule.calendar)
    return out


def record(rule: Rule) -> dict:
    """One row of casecheck_run_rules (less run_id)."""
    text = canonical(definition(rule))
    return {"rule": rule.id, "ruleset": rule.ruleset.name, "title": rule.title, "cite": rule.cite,
            "severity": rule.severity, "kind": rule.kind, "definition": text,
            "digest": hashlib.sha256(text.encode()).hexdigest()}
