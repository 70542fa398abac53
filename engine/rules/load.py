"""Load and validate rule files (docs/rules.md) into Rule objects.

Rule files are data: they are read with safe YAML and every field is checked against the
fields its kind allows, so a typo is an error naming the file, line, rule and field, and
nothing in a rule file is ever executed. A rule with an error is left out (and reported);
the other rules of the file and the other files are still loaded.
"""

from __future__ import annotations

from typing import Iterable

from ..inputs.files import find_files
from ..inputs.values import normalise_value
from ..dates import (CALENDAR_NAMES, DEFAULT_CALENDAR, Calendar, calendar_for, parse_date, parse_duration,
                     windows_overlap)
from ..model import KINDS, SEVERITIES, InputError, InputProblem, Not, Rule, Ruleset, Switch
from ..inputs.structured import line_of, load_document
# fields' public names, under the short local names the loader has always used
from .fields import Bad as _Bad, clock_stops, example_keys, extension, type_pair, unknown_key
from .fields import event_types as _types, one_word as _word, suggest as _suggest
from .successive import successive_extension
from .verification import verification

RULE_SUFFIXES = (".yaml", ".yml", ".json")
RULESET_FIELDS = ("ruleset", "title", "source", "calendar", "in_force", "applies_to", "rules", "description")
COMMON_FIELDS = ("id", "title", "cite", "severity", "kind", "counting", "in_force", "suspended", "applies_to", "where",
                 "description", "verification",
                 "examples")
KIND_FIELDS = {
    # kind: (required, optional)
    "response": (("trigger", "expect", "within"),
                 ("match", "unless", "optional", "lookback", "extend", "paused_by", "resumed_by", "fallback_trigger")),
    "every": (("expect", "from"), ("every", "first", "until", "until_where", "then", "by_age", "switch", "windows")),
    "max_duration": (("from", "limit"), ("until", "until_where", "extend", "lift", "counts_from")),
    "max_total": (("from", "limit", "window"), ("until", "until_where", "window_start")),
}
ALL_RULE_FIELDS = sorted(set(COMMON_FIELDS).union(*(r + o for r, o in KIND_FIELDS.values())))
# Why a field is refused on a kind, where the reason is not obvious.
FIELD_KINDS = {"extend": "extensions apply to response and max_duration rules",
               "until_where": "it filters the `until` events that end a period; a response rule has none",
               "window_start": "fixed windows apply to max_total rules",
               "windows": "fixed calendar windows such as school terms apply to every rules",
               "fallback_trigger": "a fallback trigger applies to response rules",
               "lift": "lifting a limit applies to max_duration rules",
               "counts_from": "counting from an earlier period applies to max_duration rules",
               "by_age": "intervals by age apply to every rules",
               "switch": "intervals switched by an event apply to every rules",
               "paused_by": "clock stops apply to response rules", "resumed_by": "clock stops apply to response rules"}
COUNTINGS = ("after", "beginning_with")


def _duration(raw: dict, key: str):
    try:
        return parse_duration(raw[key])
    except ValueError as e:
        raise _Bad(key, f"`{key}`: {e}") from None


def _in_force(value, key="in_force"):
    if not isinstance(value, dict):
        raise _Bad(key, "`in_force` must be a mapping with `from` and/or `until` dates")
    unknown = [k for k in value if k not in ("from", "until")]
    if unknown:
        raise _Bad(key, f"`in_force` has unknown key {unknown[0]!r}{_suggest(unknown[0], ('from', 'until'))}")
    ends = []
    for end in ("from", "until"):
        v = value.get(end)
        try:
            ends.append(None if v is None else parse_date(v))
        except ValueError as e:
            raise _Bad(key, f"`in_force.{end}`: {e}") from None
    if ends[0] and ends[1] and ends[0] > ends[1]:
        raise _Bad(key, "`in_force`: `from` is after `until`")
    return tuple(ends)


def _suspended(value) -> tuple:
    """`suspended: [{from: 2020-04-24, until: 2020-09-25, by: SI 2020/445 reg 5}]`: periods in which
    the timescale did not apply (a temporary relaxation), each with what relaxed it."""
    example = "[{from: 2020-04-24, until: 2020-09-25, by: SI 2020/445 reg 5}]"
    if not isinstance(value, list) or not value:
        raise _Bad("suspended", f"`suspended` must be a list of periods like {example}")
    spans = []
    for item in value:
        if isinstance(item, dict):
            unknown_key(item, ("from", "until", "by", "saved"), "a suspended period", field="suspended")
        if not isinstance(item, dict) or not {"from", "until", "by"} <= set(item) <= {"from", "until", "by", "saved"}:
            raise _Bad("suspended", f"each `suspended` period needs `from`, `until` and `by` (and may say `saved: "
                                    f"true`), like {example}")
        if not isinstance(item.get("saved", False), bool):
            raise _Bad("suspended", "`suspended.saved` must be true or false")
        if not isinstance(item["by"], str) or not item["by"].strip():
            raise _Bad("suspended", "`suspended.by` must say what relaxed the timescale (a citation)")
        try:
            start, end = parse_date(item["from"]), parse_date(item["until"])
        except ValueError as e:
            raise _Bad("suspended", f"`suspended`: {e}") from None
        if start > end:
            raise _Bad("suspended", f"`suspended`: `from` ({start}) is after `until` ({end})")
        spans.append((start, end, item["by"].strip(), item.get("saved", False)))
    return tuple(sorted(spans))


def _calendar(value):
    """`calendar: england-and-wales`, or `calendar: {base: ..., closed: [dates]}` for closure days."""
    if value is None:
        return calendar_for(DEFAULT_CALENDAR)
    if isinstance(value, str):
        base, closed = value, []
    elif isinstance(value, dict):
        unknown = [k for k in value if k not in ("base", "closed")]
        if unknown:
            raise _Bad("calendar", f"`calendar` has unknown key {unknown[0]!r}{_suggest(unknown[0], ('base', 'closed'))}")
        base, closed = value.get("base", DEFAULT_CALENDAR), value.get("closed") or []
        _word(base, "calendar", CALENDAR_NAMES, "calendar.base")
        if not isinstance(closed, list):
            raise _Bad("calendar", "`calendar.closed` must be a list of dates")
    else:
        raise _Bad("calendar", f"`calendar` must be a name ({', '.join(CALENDAR_NAMES)}) or a mapping with base and closed")
    try:
        cal = calendar_for(base, [parse_date(d) for d in closed])
    except ValueError as e:
        raise _Bad("calendar", f"`calendar`: {e}") from None
    if not cal.has_working_day():
        raise _Bad("calendar", "`calendar`: its closure days leave no working day from 1900 to 2199, so no "
                               "working-day deadline could ever fall due")
    return cal


def calendar_setting(value) -> Calendar:
    """A calendar as a ruleset (or the settings file) names it; ValueError when it is not one."""
    try:
        return _calendar(value)
    except _Bad as bad:
        raise ValueError(str(bad).removeprefix("`calendar`: ")) from None


def _first(raw: dict) -> tuple:
    """`first: 3 months`, or a list: the first windows of a period in order."""
    value = raw["first"]
    items = value if isinstance(value, list) else [value]
    if not items:
        raise _Bad("first", "`first` lists no duration")
    try:
        return tuple(parse_duration(v) for v in items)
    except ValueError as e:
        raise _Bad("first", f"`first`: {e}") from None


def _then(raw: dict) -> tuple:
    """`then: [{after: 1 year, every: 3 months}]`: intervals that apply once a phase has begun."""
    value = raw["then"]
    if not isinstance(value, list) or not value:
        raise _Bad("then", "`then` must be a list like [{after: 1 year, every: 3 months}]")
    phases = []
    for item in value:
        if isinstance(item, dict):
            unknown_key(item, ("after", "every"), "a then step", field="then")
        if not isinstance(item, dict) or set(item) != {"after", "every"}:
            raise _Bad("then", "each `then` step needs exactly `after` and `every`, like {after: 1 year, every: 3 months}")
        try:
            phases.append((parse_duration(item["after"]), parse_duration(item["every"])))
        except ValueError as e:
            raise _Bad("then", f"`then`: {e}") from None
    return tuple(phases)


def _by_age(value) -> tuple:
    """`by_age: [{under: 5 years, every: 6 months}]`: intervals by the child's age on the anchor."""
    example = "[{under: 5 years, every: 6 months}]"
    if not isinstance(value, list) or not value:
        raise _Bad("by_age", f"`by_age` must be a list like {example}")
    steps = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"under", "every"}:
            raise _Bad("by_age", f"each `by_age` step needs exactly `under` and `every`, like {example}")
        try:
            under, every = parse_duration(item["under"]), parse_duration(item["every"])
        except ValueError as e:
            raise _Bad("by_age", f"`by_age`: {e}") from None
        if under.unit in ("working_days", "days", "weeks"):
            raise _Bad("by_age", "`by_age.under` is an age: give it in months or years")
        steps.append((under, every))
    # the youngest band first: the first one the child is under wins
    return tuple(sorted(steps, key=lambda s: (s[0].unit == "years", s[0].n * (12 if s[0].unit == "years" else 1))))


SWITCH_KEYS = ("from", "every", "until", "since", "after")


def _switch(value) -> tuple:
    """`switch: [{from: lac_review, every: 4 weeks}]`, or with `until`, `since` and `after`:
    [{from: reduced_visits_agreed, until: reduced_visits_withdrawn, since: long_term_fostering_confirmed,
    after: 1 year, every: 6 months}]."""
    example = "[{from: lac_review, every: 4 weeks}]"
    if not isinstance(value, list) or not value:
        raise _Bad("switch", f"`switch` must be a list like {example}")
    out = []
    for item in value:
        if not isinstance(item, dict):
            raise _Bad("switch", f"each `switch` step must be a mapping like {example[1:-1]}")
        unknown = [k for k in item if k not in SWITCH_KEYS]
        if unknown:
            raise _Bad("switch", f"`switch` has unknown key {unknown[0]!r}{_suggest(unknown[0], SWITCH_KEYS)}")
        for key in ("from", "every"):
            if item.get(key) is None:
                raise _Bad("switch", f"each `switch` step needs `{key}`, like {example[1:-1]}")
        if (item.get("since") is None) != (item.get("after") is None):
            raise _Bad("switch", "`switch.since` and `switch.after` go together (the step waits `after` from the "
                                 "`since` event)")
        try:
            every = parse_duration(item["every"])
            after = None if item.get("after") is None else parse_duration(item["after"])
        except ValueError as e:
            raise _Bad("switch", f"`switch`: {e}") from None
        on = _types(item, "from", "switch.from")
        off = _types(item, "until", "switch.until") if item.get("until") is not None else frozenset()
        since = _types(item, "since", "switch.since") if item.get("since") is not None else frozenset()
        if on & off:
            raise _Bad("switch", f"{', '.join(sorted(on & off))} is in both `switch.from` and `switch.until`")
        out.append(Switch(on, every, off, since, after))
    return tuple(out)


def _attr_values(value, key: str, what: str, example: str, negation: bool = False) -> dict[str, frozenset]:
    """`where`, `until_where` (event attributes) or `applies_to` (case attributes): attribute -> value
    or list of values, `null` standing for "absent"; with negation, also `{not: value or list}` (a
    Not: the attribute must not have one of the values; an event without it matches)."""
    if not isinstance(value, dict) or not value:
        raise _Bad(key, f"`{key}` must be a mapping of {what} attribute to value (or list of values), like {example}")
    out = {}
    for k, v in value.items():
        if not isinstance(k, str) or not k.strip():
            raise _Bad(key, f"`{key}`: {k!r} is not an attribute name")
        negated = negation and isinstance(v, dict)
        if negated:
            if list(v) != ["not"]:
                raise _Bad(key, f"`{key}.{k}` must be a value, a list of values or {{not: value or list}}, "
                                f"got a mapping with {', '.join(map(repr, v))}")
            v = v["not"]
        items = v if isinstance(v, list) else [v]
        if not items:
            raise _Bad(key, f"`{key}.{k}` lists no value")
        try:
            values = frozenset(normalise_value(i) for i in items)
        except ValueError as e:
            raise _Bad(key, f"`{key}.{k}` {e}") from None
        out[k] = Not(values) if negated else values
    return out


def _where(value, key: str = "where") -> dict[str, frozenset]:
    return _attr_values(value, key, "event", "{long_term: true} or {legal_status: {not: L2}}", negation=True)


def _window_start(value, key: str = "window_start") -> tuple[int, int]:
    """`window_start: MM-DD` (04-01: each year from 1 April): the day fixed windows begin."""
    text = str(value).strip() if isinstance(value, (str, int)) and not isinstance(value, bool) else ""
    parts = text.split("-")
    ok = len(parts) == 2 and all(p.isdigit() and len(p) == 2 for p in parts)
    month, day = (int(parts[0]), int(parts[1])) if ok else (0, 0)
    if not ok or not 1 <= month <= 12 or not 1 <= day <= (28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31):
        raise _Bad(key.split(".")[0], f"`{key}` must be a day of the year as MM-DD (04-01 for 1 April; "
                                      f"29 February is not allowed), got {value!r}")
    return month, day


WINDOWS_EXAMPLE = "[{from: 09-01, until: 12-31}, {from: 01-01, until: 03-31}, {from: 04-01, until: 07-31}]"
# what fixed windows replace: intervals counted from events
NOT_WITH_WINDOWS = ("every", "first", "then", "by_age", "switch")


def _windows(value) -> tuple:
    """`windows: [{from: 09-01, until: 12-31}, ...]`: fixed windows recurring each year (school terms),
    each from and until a day of the year; one may run over the year's end; none may overlap."""
    if not isinstance(value, list) or not value:
        raise _Bad("windows", f"`windows` must be a list of days of the year like {WINDOWS_EXAMPLE}")
    out = []
    for item in value:
        if not isinstance(item, dict) or set(item) != {"from", "until"}:
            raise _Bad("windows", "each of `windows` needs `from` and `until` (MM-DD) and nothing else, like "
                                  "{from: 09-01, until: 12-31}")
        out.append((_window_start(item["from"], "windows.from"), _window_start(item["until"], "windows.until")))
    clash = windows_overlap(out)
    if clash:
        raise _Bad("windows", f"`windows` overlap: one runs to {clash[0]:%d %B} and another begins on {clash[1]:%d %B}")
    return tuple(out)  # as given (explain shows them so); yearly_windows puts them in date order


def _applies_to(value) -> dict[str, frozenset]:
    """The cases a ruleset or rule judges, by case attribute (`case` is the case's identifier)."""
    if isinstance(value, dict) and "events" in value:
        raise _Bad("applies_to", "`applies_to.events`: `events` is not a case attribute")
    return _attr_values(value, "applies_to", "case", "{council: City of York Council}")


def _build_rule(raw: dict, ruleset: Ruleset, file: str) -> Rule:
    rid = raw.get("id")
    kind = raw.get("kind")
    if kind is None:
        raise _Bad("kind", f"no `kind` (one of {', '.join(KINDS)})")
    _word(kind, "kind", KINDS)
    if kind not in KIND_FIELDS:
        raise _Bad("kind", f"unknown kind {kind!r}{_suggest(kind, KINDS)}; expected one of {', '.join(KINDS)}")
    required, optional = KIND_FIELDS[kind]
    allowed = set(COMMON_FIELDS) | set(required) | set(optional)
    for key in raw:
        if key not in allowed:
            if key in ALL_RULE_FIELDS:
                why = f" ({FIELD_KINDS[key]})" if key in FIELD_KINDS else ""
                raise _Bad(key, f"`{key}` is not a field of a {kind} rule{why}")
            raise _Bad(key, f"unknown field {key!r}{_suggest(key, allowed)}")
    for key in required:
        if raw.get(key) is None:
            raise _Bad(None, f"{kind} rules need `{key}`")
    for key in ("title", "cite", "description"):
        if key in raw and not isinstance(raw[key], str):
            raise _Bad(key, f"`{key}` must be text")
    severity = raw.get("severity", "breach")
    _word(severity, "severity", SEVERITIES)
    if severity not in SEVERITIES:
        raise _Bad("severity", f"`severity` must be breach or warning, got {severity!r}")
    counting = raw.get("counting", "after")
    _word(counting, "counting", COUNTINGS)
    if counting not in COUNTINGS:
        raise _Bad("counting", f"`counting` must be after or beginning_with, got {counting!r}{_suggest(counting, COUNTINGS)}")
    match = raw.get("match", [])
    match = match if isinstance(match, list) else [match]
    if not all(isinstance(m, str) and m for m in match):
        raise _Bad("match", "`match` must be a list of event attribute names")
    optional = raw.get("optional", False)
    if not isinstance(optional, bool):
        raise _Bad("optional", f"`optional` must be true or false, got {optional!r}")
    examples = raw.get("examples", [])
    if not isinstance(examples, list):
        raise _Bad("examples", "`examples` must be a list")
    example_keys(examples)
    rule = Rule(
        id=rid, kind=kind, ruleset=ruleset, calendar=ruleset.calendar,
        title=raw.get("title", rid), cite=raw.get("cite", ""), severity=severity,
        match=tuple(match), beginning_with=counting == "beginning_with", optional=optional,
        in_force=_in_force(raw["in_force"]) if "in_force" in raw else ruleset.in_force,
        suspended=tuple(s[:3] for s in _suspended(raw["suspended"])) if "suspended" in raw else (),
        saved=tuple(s[:3] for s in _suspended(raw["suspended"]) if s[3]) if "suspended" in raw else (),
        where=_where(raw["where"]) if "where" in raw else {},
        until_where=_where(raw["until_where"], "until_where") if "until_where" in raw else {},
        applies_to=_applies_to(raw["applies_to"]) if "applies_to" in raw else ruleset.applies_to,
        description=raw.get("description", ""), examples=examples,
        verification=verification(raw["verification"]) if "verification" in raw else None,
        file=file, line=line_of(raw),
    )
    for key, attr in (("trigger", "trigger"), ("expect", "expect"), ("unless", "unless"),
                      ("from", "start"), ("until", "until")):
        if raw.get(key) is not None:
            setattr(rule, attr, _types(raw, key))
    for key in ("within", "lookback", "every", "limit", "window"):
        if raw.get(key) is not None:
            setattr(rule, key, _duration(raw, key))
    if rule.until_where and not rule.until:
        raise _Bad("until_where", "`until_where` filters the `until` events: give `until` too")
    if "window_start" in raw:
        rule.window_start = _window_start(raw["window_start"])
        if rule.window.unit not in ("months", "years") or rule.window.n * (12 if rule.window.unit == "years" else 1) != 12:
            raise _Bad("window_start", "fixed windows (`window_start`) are a year long: give `window: 12 months` "
                                       "or `window: 1 year`")
    if raw.get("first") is not None:
        rule.first = _first(raw)
    if raw.get("then") is not None:
        rule.then = _then(raw)
    if rule.lookback is not None and rule.lookback.unit == "working_days":
        raise _Bad("lookback", "`lookback` must be in days, weeks, months or years")
    if rule.window is not None and rule.window.unit == "working_days":
        raise _Bad("window", "`window` must be in days, weeks, months or years")
    if kind == "max_total" and rule.limit.unit not in ("days", "weeks"):
        raise _Bad("limit", "a max_total `limit` counts days: give it in days or weeks")
    if isinstance(raw.get("extend"), dict) and "each" in raw["extend"]:
        successive_extension(raw["extend"], rule)
    elif raw.get("extend") is not None:
        rule.extend_by, rule.extend_to = extension(raw["extend"], rule)
    if raw.get("fallback_trigger") is not None:
        rule.fallback_trigger = _types(raw, "fallback_trigger")
        if rule.fallback_trigger & rule.trigger:
            raise _Bad("fallback_trigger", "`fallback_trigger` names an event type that is already a `trigger`")
    if raw.get("lift") is not None:
        rule.lift_by, rule.lift_until = type_pair(raw["lift"], "lift", ("by", "until"),
                                                  "{by: temporary_approval_review_sought, until: temporary_approval_review_outcome}")
    if raw.get("counts_from") is not None:
        rule.counts_from = type_pair(raw["counts_from"], "counts_from", ("from", "until"),
                                     "{from: police_protection_started, until: police_protection_ended}")
    if raw.get("by_age") is not None:
        rule.by_age = _by_age(raw["by_age"])
    if raw.get("switch") is not None:
        rule.switch = _switch(raw["switch"])
    if kind == "every":
        if raw.get("windows") is not None:
            clash = [k for k in NOT_WITH_WINDOWS if raw.get(k) is not None]
            if clash:
                raise _Bad(clash[0], f"`{clash[0]}` counts intervals from events; fixed `windows` replace them: "
                                     "give one or the other")
            rule.windows = _windows(raw["windows"])
        elif raw.get("every") is None:
            raise _Bad(None, "every rules need `every` (or fixed `windows`, such as school terms)")
    clock_stops(raw, rule)
    return rule


def ruleset_from_data(data, file: str, seen_rulesets: dict | None = None,
                     seen_ids: dict | None = None,
                     default_calendar: Calendar | None = None) -> tuple[list[Rule], list[InputError]]:
    """Validate one ruleset given as data (as read from `file`). Raises InputProblem when the
    whole ruleset is unusable; returns the good rules and an error for each bad one."""
    seen_rulesets = {} if seen_rulesets is None else seen_rulesets
    seen_ids = {} if seen_ids is None else seen_ids
    if not isinstance(data, dict) or "ruleset" not in data:
        first = data[0] if isinstance(data, list) and data else data
        if isinstance(first, dict) and ("case" in first or "cases" in first or "events" in first):
            raise InputProblem(file, line_of(first), "this is a case file (it has `case:`), given where rule "
                                                     "files were expected: give it as a PATH, not with --rules")
        raise InputProblem(file, line_of(data), "not a rule file: expected a mapping with `ruleset:` and `rules:`")
    name = data["ruleset"]
    if not isinstance(name, str) or not name.strip():
        raise InputProblem(file, line_of(data, "ruleset"), "`ruleset` must be a name")
    if name in seen_rulesets:
        raise InputProblem(file, line_of(data, "ruleset"), f"ruleset {name!r} is already loaded from {seen_rulesets[name]}")
    for key in data:
        if key not in RULESET_FIELDS:
            raise InputProblem(file, line_of(data, key), f"ruleset {name}: unknown field {key!r}{_suggest(key, RULESET_FIELDS)}")
    for key in ("title", "source", "description"):
        if key in data and not isinstance(data[key], str):
            raise InputProblem(file, line_of(data, key), f"ruleset {name}: `{key}` must be text")
    try:
        ruleset = Ruleset(name, data.get("title", name), data.get("source", ""), file, _calendar(data.get("calendar"))
                          if "calendar" in data or default_calendar is None else default_calendar)
        if "in_force" in data:
            ruleset.in_force = _in_force(data["in_force"])
        if "applies_to" in data:
            ruleset.applies_to = _applies_to(data["applies_to"])
    except _Bad as bad:
        raise InputProblem(file, bad.line or line_of(data, bad.key), f"ruleset {name}: {bad}") from None
    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list):
        raise InputProblem(file, line_of(data, "rules"), f"ruleset {name}: `rules` must be a list of rules")
    seen_rulesets[name] = file
    rules, errors = [], []
    for raw in raw_rules:
        line = line_of(raw)
        if not isinstance(raw, dict):
            errors.append(InputError(file, line, f"ruleset {name}: each rule must be a mapping"))
            continue
        rid = raw.get("id")
        if not isinstance(rid, str) or not rid.strip():
            errors.append(InputError(file, line_of(raw, "id"), f"ruleset {name}: a rule has no `id`"))
            continue
        if rid in seen_ids:
            errors.append(InputError(file, line_of(raw, "id"), f"rule {rid}: duplicate rule id (first in {seen_ids[rid]})"))
            continue
        seen_ids[rid] = f"{file}:{line}" if line else file
        try:
            rules.append(_build_rule(raw, ruleset, file))
        except _Bad as bad:
            errors.append(InputError(file, bad.line or line_of(raw, bad.key), f"rule {rid}: {bad}"))
    return rules, errors


def load_rules(paths: Iterable[str], default_calendar: Calendar | None = None,
               notes: list[InputError] | None = None) -> tuple[list[Rule], list[InputError]]:
    """Read every rule file under paths, in sorted order. Returns (rules, errors).

    default_calendar: the working-day calendar of rulesets that name none (a council's settings);
    England and Wales bank holidays when None. Warnings (a file read as Windows-1252) go to notes."""
    files, errors = find_files(paths, RULE_SUFFIXES, "rule file")
    rules: list[Rule] = []
    seen_rulesets: dict[str, str] = {}
    seen_ids: dict[str, str] = {}
    for file in files:
        try:
            got, errs = ruleset_from_data(load_document(file, notes), file, seen_rulesets, seen_ids, default_calendar)
        except InputProblem as p:
            errors.append(p.error)
            continue
        rules.extend(got)
        errors.extend(errs)
    return rules, errors
