"""Load and validate rule files (SPEC §2) into Rule objects.

Rule files are data: they are read with safe YAML and every field is checked against the
fields its kind allows, so a typo is an error naming the file, line, rule and field, and
nothing in a rule file is ever executed. A rule with an error is left out (and reported);
the other rules of the file and the other files are still loaded.
"""

from __future__ import annotations

from typing import Iterable

from ..inputs.files import find_files
from ..inputs.values import normalise_value
from ..dates import CALENDAR_NAMES, DEFAULT_CALENDAR, Calendar, calendar_for, parse_date, parse_duration
from ..model import KINDS, SEVERITIES, InputError, InputProblem, Rule, Ruleset
from ..inputs.structured import line_of, load_document
from .fields import _Bad, _suggest, _types, _word, clock_stops, extension

RULE_SUFFIXES = (".yaml", ".yml", ".json")
RULESET_FIELDS = ("ruleset", "title", "source", "calendar", "in_force", "applies_to", "rules", "description")
COMMON_FIELDS = ("id", "title", "cite", "severity", "kind", "counting", "in_force", "suspended", "applies_to", "where",
                 "description",
                 "examples")
KIND_FIELDS = {
    # kind: (required, optional)
    "response": (("trigger", "expect", "within"),
                 ("match", "unless", "optional", "lookback", "extend", "paused_by", "resumed_by")),
    "every": (("expect", "every", "from"), ("first", "until", "then")),
    "max_duration": (("from", "limit"), ("until", "extend")),
    "max_total": (("from", "limit", "window"), ("until",)),
}
ALL_RULE_FIELDS = sorted(set(COMMON_FIELDS).union(*(r + o for r, o in KIND_FIELDS.values())))
# Why a field is refused on a kind, where the reason is not obvious.
FIELD_KINDS = {"extend": "extensions apply to response and max_duration rules",
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
        if not isinstance(item, dict) or set(item) != {"from", "until", "by"}:
            raise _Bad("suspended", f"each `suspended` period needs exactly `from`, `until` and `by`, like {example}")
        if not isinstance(item["by"], str) or not item["by"].strip():
            raise _Bad("suspended", "`suspended.by` must say what relaxed the timescale (a citation)")
        try:
            start, end = parse_date(item["from"]), parse_date(item["until"])
        except ValueError as e:
            raise _Bad("suspended", f"`suspended`: {e}") from None
        if start > end:
            raise _Bad("suspended", f"`suspended`: `from` ({start}) is after `until` ({end})")
        spans.append((start, end, item["by"].strip()))
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
    """`first: 3 months` (SPEC), or a list: the first windows of a period in order."""
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
        if not isinstance(item, dict) or set(item) != {"after", "every"}:
            raise _Bad("then", "each `then` step needs exactly `after` and `every`, like {after: 1 year, every: 3 months}")
        try:
            phases.append((parse_duration(item["after"]), parse_duration(item["every"])))
        except ValueError as e:
            raise _Bad("then", f"`then`: {e}") from None
    return tuple(phases)


def _attr_values(value, key: str, what: str, example: str) -> dict[str, frozenset]:
    """`where` (event attributes) or `applies_to` (case attributes): attribute -> value or list of
    values, `null` standing for "absent"."""
    if not isinstance(value, dict) or not value:
        raise _Bad(key, f"`{key}` must be a mapping of {what} attribute to value (or list of values), like {example}")
    out = {}
    for k, v in value.items():
        if not isinstance(k, str) or not k.strip():
            raise _Bad(key, f"`{key}`: {k!r} is not an attribute name")
        items = v if isinstance(v, list) else [v]
        if not items:
            raise _Bad(key, f"`{key}.{k}` lists no value")
        try:
            out[k] = frozenset(normalise_value(i) for i in items)
        except ValueError as e:
            raise _Bad(key, f"`{key}.{k}` {e}") from None
    return out


def _where(value) -> dict[str, frozenset]:
    return _attr_values(value, "where", "event", "{long_term: true}")


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
    rule = Rule(
        id=rid, kind=kind, ruleset=ruleset, calendar=ruleset.calendar,
        title=raw.get("title", rid), cite=raw.get("cite", ""), severity=severity,
        match=tuple(match), beginning_with=counting == "beginning_with", optional=optional,
        in_force=_in_force(raw["in_force"]) if "in_force" in raw else ruleset.in_force,
        suspended=_suspended(raw["suspended"]) if "suspended" in raw else (),
        where=_where(raw["where"]) if "where" in raw else {},
        applies_to=_applies_to(raw["applies_to"]) if "applies_to" in raw else ruleset.applies_to,
        description=raw.get("description", ""), examples=examples,
        file=file, line=line_of(raw),
    )
    for key, attr in (("trigger", "trigger"), ("expect", "expect"), ("unless", "unless"),
                      ("from", "start"), ("until", "until")):
        if raw.get(key) is not None:
            setattr(rule, attr, _types(raw, key))
    for key in ("within", "lookback", "every", "limit", "window"):
        if raw.get(key) is not None:
            setattr(rule, key, _duration(raw, key))
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
    if raw.get("extend") is not None:
        rule.extend_by, rule.extend_to = extension(raw["extend"], rule)
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
        raise InputProblem(file, line_of(data, bad.key), f"ruleset {name}: {bad}") from None
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
            errors.append(InputError(file, line_of(raw, bad.key), f"rule {rid}: {bad}"))
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
