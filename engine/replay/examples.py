"""Rules that test themselves: run each rule's `examples:` and compare the findings.

An example is a small timeline with the findings of that one rule it must produce:

    examples:
      - name: minutes eight weeks late
        as_at: 2024-10-14                 # optional: default two years after the last event
        events:
          - {date: 2022-02-15, type: cin_meeting, meeting: m1}
          - {date: 2022-04-12, type: minutes_sent, meeting: m1}
        expect:
          - {status: late, due: 2022-03-08, days_late: 35, working_days_late: 25}

Each expected finding names any of status, due, trigger, actual, days_late,
working_days_late, extension (the extending event's date, or null), clock_stops (a list of
{from, until}, until null for a stop still running) and worker and team; the list must match the
rule's findings one for one, in the findings' order (docs/formats.md).

An example's case is one the rule applies to: it gets the first value of each `applies_to`
attribute (an example shows the timescale, not the scope). `case: {council: Leeds}` gives it
case attributes of its own instead (`case: {case: C-1}` its identifier), to show a case out of scope.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..inputs.cases import read_events
from ..inputs.values import normalise_value
from ..dates import Duration, due_date, parse_date
from ..model import Case, Finding, InputProblem, Rule
from .engine import Replayer
from ..inputs.structured import line_of
from ..rules.fields import EXAMPLE_KEYS, EXPECT_KEYS  # the loader checks them too

DEFAULT_AS_AT_AFTER = Duration(2, "years")  # long enough for every window of an example to close


@dataclass
class ExampleResult:
    rule: Rule
    name: str
    line: int | None
    expected: list = field(default_factory=list)
    actual: list = field(default_factory=list)
    error: str | None = None  # the example itself is malformed

    @property
    def passed(self) -> bool:
        return self.error is None and _matches(self.expected, self.actual)


# Facts a finding usually lacks: shown only when it has them, so a failing example reads short.
UNLESS_SET = {"extension": None, "clock_stops": [], "worker": None, "team": None, "note": None}


def finding_facts(f: Finding) -> dict:
    """A finding in the terms examples use."""
    facts = {"status": f.status, "due": f.due.isoformat(), "trigger": f.trigger.date.isoformat(),
             "actual": f.actual.date.isoformat() if f.actual else None,
             "days_late": f.days_late, "working_days_late": f.working_days_late,
             "extension": f.extension.date.isoformat() if f.extension else None,
             "clock_stops": [s.as_dict() for s in f.clock_stops], "worker": f.worker, "team": f.team,
             "note": f.note}
    return {k: v for k, v in facts.items() if k not in UNLESS_SET or v != UNLESS_SET[k]}


def _matches(expected: list[dict], actual: list[dict]) -> bool:
    return len(expected) == len(actual) and all(
        all(a.get(k, UNLESS_SET.get(k)) == v for k, v in e.items()) for e, a in zip(expected, actual))


def _expected(raw, file: str) -> list[dict]:
    if not isinstance(raw, list):
        raise InputProblem(file, line_of(raw), "`expect` must be a list of findings ([] for none)")
    out = []
    for item in raw:
        if not isinstance(item, dict):
            raise InputProblem(file, line_of(item), "each expected finding must be a mapping like {status: met, due: ...}")
        unknown = [k for k in item if k not in EXPECT_KEYS]
        if unknown:
            raise InputProblem(file, line_of(item, unknown[0]),
                               f"unknown key {unknown[0]!r} in an expected finding (use {', '.join(EXPECT_KEYS)})")
        facts = {}
        for k, v in item.items():
            try:
                if k in ("due", "trigger") or (k in ("actual", "extension") and v is not None):
                    v = parse_date(v).isoformat()
                elif k == "clock_stops":
                    v = _stops(v)
            except ValueError as e:
                raise InputProblem(file, line_of(item, k), f"`{k}`: {e}") from None
            facts[k] = v
        out.append(facts)
    return out


def _example_case(rule: Rule, raw: dict, name: str, events) -> Case:
    """The example's case: in the rule's scope unless the example gives `case:` attributes."""
    given = raw.get("case")
    if given is None:
        attrs = {k: sorted(v for v in values if v is not None)[0] for k, values in rule.applies_to.items()
                 if any(v is not None for v in values)}
    elif isinstance(given, dict) and all(not isinstance(v, (dict, list)) for v in given.values()):
        attrs = {str(k): normalise_value(v) for k, v in given.items()}
    else:
        raise InputProblem(rule.file, line_of(raw, "case"), "`case` must be a mapping of case attributes, like {council: Leeds}")
    cid = attrs.pop("case", None) or f"example:{name}"
    return Case(cid, attrs, events)


def _stops(value) -> list[dict]:
    """clock_stops as an example states them: [{from: date, until: date or null}, ...]."""
    if not isinstance(value, list) or not all(isinstance(s, dict) and set(s) <= {"from", "until"} and "from" in s
                                              for s in value):
        raise ValueError("expected a list like [{from: 2024-05-03, until: 2024-05-08}] (until null while stopped)")
    return [{"from": parse_date(s["from"]).isoformat(),
             "until": None if s.get("until") is None else parse_date(s["until"]).isoformat()} for s in value]


def run_example(rule: Rule, raw, replayer: Replayer | None = None) -> ExampleResult:
    file = rule.file
    name = raw.get("name", "(unnamed)") if isinstance(raw, dict) else "(unnamed)"
    result = ExampleResult(rule, str(name), line_of(raw, default=rule.line))
    try:
        if not isinstance(raw, dict):
            raise InputProblem(file, result.line, "an example must be a mapping with name, events and expect")
        unknown = [k for k in raw if k not in EXAMPLE_KEYS]
        if unknown:
            raise InputProblem(file, line_of(raw, unknown[0]), f"unknown key {unknown[0]!r} in an example")
        for key in ("events", "expect"):
            if key not in raw:
                raise InputProblem(file, result.line, f"example has no `{key}`")
        events = read_events(raw["events"], file)
        case = _example_case(rule, raw, str(name), events)
        result.expected = _expected(raw["expect"], file)
        if raw.get("as_at") is not None:
            try:
                as_at = parse_date(raw["as_at"])
            except ValueError as e:
                raise InputProblem(file, line_of(raw, "as_at"), f"`as_at`: {e}") from None
        else:
            last = max((e.date for e in events), default=dt.date(2000, 1, 1))
            as_at = due_date(last, DEFAULT_AS_AT_AFTER, rule.calendar)
    except InputProblem as p:
        result.error, result.line = p.error.message, p.error.line or result.line
        return result
    replayer = replayer or Replayer([rule])
    result.actual = [finding_facts(f) for f in replayer.check_case(case, as_at)]
    return result


def run_examples(rules) -> list[ExampleResult]:
    """Every example of every rule, in rule order."""
    results = []
    for rule in rules:
        replayer = Replayer([rule])
        results.extend(run_example(rule, raw, replayer) for raw in rule.examples)
    return results
