"""The rule shapes the columnar path took over from the replay engine, each against the replay
engine (the reference) on random cases and random rules, every field compared in order: fixed
`windows` for `every` (school terms), `counts_from` and successive extensions (`extend: {by, each}`) for `max_duration`,
`fallback_trigger` for `response`, `by_age` for `every`, `lift` for `max_duration`; and the bundled rules' examples on both paths."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.dates import due_date, parse_date
from casecheck.inputs import bundled
from casecheck.inputs.cases import read_events
from casecheck.model import Case, Event
from casecheck.replay.columnar import supports
from casecheck.replay.examples import DEFAULT_AS_AT_AFTER, _example_case
from casecheck.rules.load import load_rules, ruleset_from_data

from casecheck.replay.stream import check_paths
from casecheck.views.findings import finding_record

from test_columnar_diff import START, TYPES, cases_st, response_rule, ruleset_st
from test_columnar_periods import (PERIOD_TYPES, _check_both, _rules, _types, busy_cases_st, duration_st,
                                   every_rule, extension_cases_st, max_duration_rule, period_common)

# school terms, one window over the year's end, single days and a window on 28 February
WINDOW_SETS = [[{"from": "09-01", "until": "12-31"}, {"from": "01-01", "until": "03-31"},
                {"from": "04-01", "until": "07-31"}],
               [{"from": "12-01", "until": "02-10"}],
               [{"from": "03-01", "until": "03-01"}, {"from": "03-02", "until": "03-02"}],
               [{"from": "06-15", "until": "02-28"}],
               [{"from": "01-10", "until": "01-20"}, {"from": "05-01", "until": "08-31"}, {"from": "10-02", "until": "10-30"}]]


@st.composite
def windows_st(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(WINDOW_SETS))
    first = dt.date(2001, 1, 1) + dt.timedelta(days=draw(st.integers(0, 364)))
    last = first + dt.timedelta(days=draw(st.integers(0, 300)))
    return [{"from": f"{first:%m-%d}", "until": f"{last:%m-%d}"}]


def edges(rules):
    """The days either side of each of the rules' windows' first and last days, over the years the cases span."""
    return sorted({dt.date(y, *ends) + dt.timedelta(days=n) for y in (2023, 2024) for r in rules
                   for window in r.windows for ends in window for n in (-1, 0, 1)})


@st.composite
def edge_cases_st(draw, rules):
    """busy_cases_st's cases, often with events of the rules' own types on their windows' edges."""
    cases = draw(busy_cases_st())
    if draw(st.booleans()):
        days = edges(rules)
        types = sorted(set().union(*(r.start | r.expect for r in rules))) * 2 + sorted(set().union(*(r.until for r in rules)))
        seq = 5000
        for c in cases:
            for day, etype, meeting, team in draw(st.lists(st.tuples(
                    st.sampled_from(days), st.sampled_from(types), st.sampled_from([None, "m1", "m2"]),
                    st.sampled_from([None, "t1", "t2", ""])), max_size=25)):
                seq += 1
                attrs = {k: v for k, v in (("meeting", meeting), ("team", team)) if v is not None}
                c.events.append(Event(day, etype, attrs, seq))
    return cases


@st.composite
def windows_rule(draw, i):
    rule = dict(draw(period_common()), id=f"W{i}", kind="every", expect=_types(draw), windows=draw(windows_st()))
    rule.pop("counting", None)
    return rule


@st.composite
def windows_rules_st(draw):
    return draw(ruleset_st([draw(windows_rule(i)) for i in range(draw(st.integers(1, 3)))]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), as_at_day=st.integers(0, 800), breaches_only=st.booleans())
def test_columnar_fixed_window_findings_equal_the_replay_engines(data, as_at_day, breaches_only):
    """`every` with fixed `windows`: windows over the year's end, single days, several periods a
    case, events on a window's edges and on the period's own dates."""
    rules = data.draw(windows_rules_st())
    _check_both(rules, data.draw(edge_cases_st(rules)), START + dt.timedelta(days=as_at_day), breaches_only)


def test_a_term_with_no_review_is_missing_to_the_next_review_and_a_term_cut_short_is_not_judged():
    rules = _rules({"id": "PEP", "kind": "every", "expect": "pep_review", "from": "became_looked_after",
                    "until": "ceased_looked_after", "windows": WINDOW_SETS[0]})
    d = dt.date
    events = [Event(d(2023, 9, 4), "became_looked_after", {}, 1), Event(d(2024, 2, 1), "pep_review", {}, 2),
              Event(d(2024, 10, 3), "pep_review", {}, 3), Event(d(2024, 11, 20), "ceased_looked_after", {}, 4)]
    got = _check_both(rules, [Case("C-1", {}, events)], d(2025, 1, 1), False)
    # the autumn term 2023 began before the period (4 September): not judged, so the spring term is
    # anchored on the start; the summer term has
    # no review: missing from 31 July to the next review; the autumn term 2024 ended after the period
    assert [(f.status, str(f.trigger.date), str(f.due), f.days_late) for f in got] == [
        ("met", "2023-09-04", "2024-03-31", 0), ("missing", "2024-02-01", "2024-07-31", 64)]
    assert all(supports(r) for r in rules)


def test_which_every_rules_with_windows_are_handed_back():
    """Fixed windows are columnar, but not with a `where` on a name the chunk uses for its own columns."""
    parsed, errors = ruleset_from_data({"ruleset": "x", "rules": [
        {"id": "W", "title": "w", "kind": "every", "expect": "b", "from": "a", "until": "c", "where": {"m": "x"},
         "windows": WINDOW_SETS[0]},
        {"id": "WO", "title": "w", "kind": "every", "expect": "b", "from": "a", "where": {"seq": "1"},
         "windows": WINDOW_SETS[0]}]}, "<x>")
    assert not errors, [str(e) for e in errors]
    assert [r.id for r in parsed if supports(r)] == ["W"]


def test_the_bundled_rules_examples_give_the_replay_engines_findings_on_the_columnar_path():
    """Every example of every bundled rule the columnar path takes, all findings, both ways."""
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert not errors
    checked = set()
    for rule in rules:
        if not supports(rule):
            continue
        for raw in rule.examples:
            events = read_events(raw["events"], rule.file)
            case = _example_case(rule, raw, raw["name"], events)
            last = max((e.date for e in events), default=dt.date(2000, 1, 1))
            as_at = parse_date(raw["as_at"]) if raw.get("as_at") else due_date(last, DEFAULT_AS_AT_AFTER, rule.calendar)
            _check_both([rule], [case], as_at, False)
            checked.add(rule.kind if not rule.windows else "windows")
    assert checked >= {"response", "every", "max_duration", "max_total", "windows"}


@st.composite
def counts_from_rule(draw, i):
    """max_duration_rule's rules (an `extend: {by, to}` now and then) counted from another period,
    whose types may be the rule's own."""
    rule = draw(max_duration_rule(i))
    began = _types(draw)
    rest = [t for t in PERIOD_TYPES if t not in began]
    rule["counts_from"] = {"from": began, "until": draw(st.lists(st.sampled_from(rest), min_size=1, max_size=2,
                                                                  unique=True))}
    return rule


@st.composite
def counts_from_rules_st(draw):
    return draw(ruleset_st([draw(counts_from_rule(i)) for i in range(draw(st.integers(1, 3)))]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=counts_from_rules_st(), cases=extension_cases_st(), as_at_day=st.integers(0, 800),
       breaches_only=st.booleans())
def test_columnar_counts_from_findings_equal_the_replay_engines(rules, cases, as_at_day, breaches_only):
    """`counts_from`: the other period begun on, before or after the start, ended on its day or
    before it, restarted; each finding's note where the limit counts from the other period."""
    _check_both(rules, cases, START + dt.timedelta(days=as_at_day), breaches_only)


def test_an_order_made_during_police_protection_counts_from_it_with_a_note():
    rules = _rules({"id": "EPO", "kind": "max_duration", "limit": "8 days", "counting": "beginning_with",
                    "from": "epo_made", "until": "epo_ended",
                    "counts_from": {"from": "police_protection_started", "until": "police_protection_ended"}})
    d = dt.date
    during = Case("C-1", {}, [Event(d(2024, 1, 1), "police_protection_started", {}, 1),
                              Event(d(2024, 1, 3), "epo_made", {}, 2), Event(d(2024, 1, 3), "police_protection_ended", {}, 3),
                              Event(d(2024, 1, 10), "epo_ended", {}, 4)])
    after = Case("C-2", {}, [Event(d(2024, 1, 1), "police_protection_started", {}, 5),
                             Event(d(2024, 1, 2), "police_protection_ended", {}, 6), Event(d(2024, 1, 3), "epo_made", {}, 7),
                             Event(d(2024, 1, 10), "epo_ended", {}, 8)])
    got = _check_both(rules, [during, after], d(2024, 6, 1), False)
    assert [(f.case, f.status, str(f.due), f.note) for f in got] == [
        ("C-1", "exceeded", "2024-01-08",
         "counted from 2024-01-01, when the police protection started period that was running on 2024-01-03 began"),
        ("C-2", "met", "2024-01-10", None)]
    assert all(supports(r) for r in rules)


def test_a_csv_logs_counts_from_notes_are_the_replay_engines(write):
    """Through the CSV pieces the workers check: the note travels with each finding."""
    rules = _rules({"id": "EPO", "kind": "max_duration", "limit": "8 days", "counting": "beginning_with",
                    "from": "epo_made", "until": "epo_ended",
                    "counts_from": {"from": "police_protection_started", "until": "police_protection_ended"}})
    path = write("log.csv", "case,date,type\nC-1,2024-01-01,police_protection_started\nC-1,2024-01-03,epo_made\n"
                            "C-2,2024-01-05,epo_made\nC-2,2024-01-20,epo_ended\n")
    found = []
    for columnar in (True, False):
        run = check_paths([path], rules, dt.date(2024, 6, 1), keep_all=True, columnar_path=columnar)
        found.append([finding_record(f) for f in run.findings])  # (the trigger's seq is each reader's own)
        run.close()
    assert found[0] == found[1]
    assert [r["note"] is not None for r in found[0]] == [True, False]


@st.composite
def successive_rule(draw, i):
    """max_duration_rule's rules extended again and again (`each`, after the end or the extending
    event), by types that may also start or end the period; now and then counted from another."""
    rule = draw(max_duration_rule(i, extend=False))
    rule["extend"] = {"by": _types(draw), "each": draw(duration_st())}
    if draw(st.booleans()):
        rule["extend"]["after"] = draw(st.sampled_from(["end", "extension"]))
    if draw(st.integers(0, 3)) == 0:
        rule["counts_from"] = {"from": [PERIOD_TYPES[0]], "until": [PERIOD_TYPES[1]]}
    return rule


@st.composite
def successive_rules_st(draw):
    return draw(ruleset_st([draw(successive_rule(i)) for i in range(draw(st.integers(1, 3)))]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=successive_rules_st(), cases=extension_cases_st(), as_at_day=st.integers(0, 800),
       breaches_only=st.booleans())
def test_columnar_successive_extension_findings_equal_the_replay_engines(rules, cases, as_at_day, breaches_only):
    """`extend: {by, each}`: many extensions a period, some after the limit, some carrying a `due`
    (a date before, within or past the step, or not a date)."""
    _check_both(rules, cases, START + dt.timedelta(days=as_at_day), breaches_only)


def test_secure_accommodation_renewed_twice_runs_six_months_from_each_order():
    rules = _rules({"id": "SECURE", "kind": "max_duration", "from": "secure_accommodation_order",
                    "until": "secure_placement_ended", "limit": "3 months",
                    "extend": {"by": "secure_accommodation_order", "each": "6 months", "after": "extension"}})
    d = dt.date
    case = Case("C-1", {}, [Event(d(2024, 1, 10), "secure_accommodation_order", {}, 1),
                            Event(d(2024, 4, 5), "secure_accommodation_order", {}, 2),
                            Event(d(2024, 9, 1), "secure_accommodation_order", {}, 3),
                            Event(d(2025, 4, 1), "secure_placement_ended", {}, 4)])
    (f,) = _check_both(rules, [case], d(2025, 6, 1), False)
    assert (f.status, str(f.due), str(f.extension.date)) == ("exceeded", "2025-03-01", "2024-09-01")
    assert all(supports(r) for r in rules)


@st.composite
def fallback_rule(draw, i):
    """test_columnar_diff's response rules (match, where, unless, optional, extend, lookback, scope)
    with a fallback trigger, which may also be an expect, an unless or an extension; not with clock
    stops (those are handed back)."""
    rule = draw(response_rule(i))
    rule.pop("paused_by", None)
    rule.pop("resumed_by", None)
    rest = [t for t in TYPES if t not in rule["trigger"]]
    rule["fallback_trigger"] = draw(st.lists(st.sampled_from(rest), min_size=1, max_size=2, unique=True))
    return rule


@st.composite
def fallback_rules_st(draw):
    return draw(ruleset_st([draw(fallback_rule(i)) for i in range(draw(st.integers(1, 3)))]))


@st.composite
def response_cases_st(draw, rules):
    """cases_st's cases with more events of the rules' own types (the match values few, the dates
    now and then crowded onto a few days)."""
    cases = draw(cases_st()) or [Case("C-1", {}, [])]
    types = sorted(set().union(*(r.trigger | r.fallback_trigger | r.expect | r.unless | r.extend_by for r in rules)))
    few = draw(st.lists(st.integers(0, 700), min_size=1, max_size=3))
    day = st.sampled_from(few) if draw(st.booleans()) else st.integers(0, 700)
    seq = 5000
    for c in cases:
        for n, etype, meeting, team in draw(st.lists(st.tuples(day, st.sampled_from(types), st.sampled_from([None, "m1", "m2"]),
                                                               st.sampled_from([None, "t1"])), max_size=25)):
            seq += 1
            attrs = {k: v for k, v in (("meeting", meeting), ("team", team)) if v is not None}
            c.events.append(Event(START + dt.timedelta(days=n), etype, attrs, seq))
    return cases


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), as_at_day=st.integers(0, 800), breaches_only=st.booleans())
def test_columnar_fallback_trigger_findings_equal_the_replay_engines(data, as_at_day, breaches_only):
    """`fallback_trigger`: a fallback before, after or without a trigger of its match values, one
    taken over by a later trigger, answered or lapsed first; each such finding's note."""
    rules = data.draw(fallback_rules_st())
    _check_both(rules, data.draw(response_cases_st(rules)), START + dt.timedelta(days=as_at_day), breaches_only)


def test_a_stage_2_started_without_a_request_is_counted_from_with_a_note_until_a_request_takes_it_over():
    rules = _rules({"id": "S2", "kind": "response", "trigger": "stage2_requested", "fallback_trigger": "stage2_started",
                    "expect": "stage2_response", "within": "25 working days", "match": ["complaint"]})
    d = dt.date
    case = Case("C-1", {}, [Event(d(2024, 1, 2), "stage2_started", {"complaint": "A"}, 1),
                            Event(d(2024, 1, 2), "stage2_started", {"complaint": "B"}, 2),
                            Event(d(2024, 1, 5), "stage2_requested", {"complaint": "B"}, 3),
                            Event(d(2024, 3, 1), "stage2_response", {"complaint": "A"}, 4),
                            Event(d(2024, 3, 1), "stage2_response", {"complaint": "B"}, 5)])
    got = _check_both(rules, [case], d(2024, 6, 1), False)
    assert [(f.trigger.type, f.status, f.note is not None) for f in got] == [
        ("stage2_started", "late", True), ("stage2_requested", "late", False)]
    assert all(supports(r) for r in rules)


@st.composite
def by_age_rules_st(draw):
    """test_columnar_periods' every rules (first, then, any unit) with one to three age bands."""
    rules = []
    for i in range(draw(st.integers(1, 3))):
        rule = draw(every_rule(i))
        unders = draw(st.lists(st.sampled_from(["6 months", "18 months", "1 year", "2 years", "5 years"]), min_size=1,
                               max_size=3, unique=True))
        rule["by_age"] = [{"under": u, "every": draw(duration_st())} for u in unders]
        rules.append(rule)
    return draw(ruleset_st(rules))


@st.composite
def born_cases_st(draw, rules):
    """busy_cases_st's cases, each with a date of birth (one that makes the child pass an age band
    while a period runs), none, or one that is not a date; often with events of the rules' types
    on the days the child passes a band and the days either side."""
    cases = draw(busy_cases_st())
    types = sorted(set().union(*(r.start | r.expect for r in rules)))
    seq = 5000
    for c in cases:
        born = draw(st.sampled_from([None, "x", "2018-03-31", "2020-02-29", "2021-06-15", "2022-11-30", "2023-05-01"]))
        c.attrs.pop("date_of_birth", None)
        if born is None or born == "x":
            if born:
                c.attrs["date_of_birth"] = born
            continue
        c.attrs["date_of_birth"] = born
        if draw(st.booleans()):
            edges = sorted({due_date(parse_date(born), under, r.calendar) + dt.timedelta(days=n) for r in rules
                            for under, _ in r.by_age for n in (-1, 0, 1)})
            for day, etype in draw(st.lists(st.tuples(st.sampled_from(edges), st.sampled_from(types)), max_size=12)):
                seq += 1
                c.events.append(Event(day, etype, {}, seq))
    return cases


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), as_at_day=st.integers(0, 800), breaches_only=st.booleans())
def test_columnar_by_age_findings_equal_the_replay_engines(data, as_at_day, breaches_only):
    """`by_age`: the youngest band the child is in on each window's anchor, after `first` and over
    `then`; a case without a date of birth (or with one that is not a date) checked without the
    bands, each finding noting it."""
    rules = data.draw(by_age_rules_st())
    _check_both(rules, data.draw(born_cases_st(rules)), START + dt.timedelta(days=as_at_day), breaches_only)


def test_a_health_review_every_six_months_before_five_and_twelve_after_and_a_note_without_a_birth_date():
    rules = _rules({"id": "HEALTH", "kind": "every", "expect": "health_review", "first": "12 months",
                    "every": "12 months", "by_age": [{"under": "5 years", "every": "6 months"}],
                    "from": "became_looked_after", "until": "ceased_looked_after"})
    d = dt.date
    events = [Event(d(2020, 1, 1), "became_looked_after", {}, 1), Event(d(2020, 12, 1), "health_review", {}, 2),
              Event(d(2021, 8, 1), "health_review", {}, 3)]
    young = Case("C-1", {"date_of_birth": "2019-01-01"}, events)
    unknown = Case("C-2", {}, [Event(e.date, e.type, {}, e.seq + 10) for e in events])
    got = _check_both(rules, [young, unknown], d(2021, 9, 1), False)
    assert [(f.case, f.status, str(f.due), f.note is not None) for f in got] == [
        ("C-1", "met", "2021-01-01", False), ("C-1", "late", "2021-06-01", False), ("C-1", "due", "2022-02-01", False),
        ("C-2", "met", "2021-01-01", True), ("C-2", "met", "2021-12-01", True), ("C-2", "due", "2022-08-01", True)]
    assert all(supports(r) for r in rules)


@st.composite
def lift_rules_st(draw):
    """max_duration rules (a cap, successive extensions or none; counted from another period now
    and then) whose limit events lift and restore, by types that may also start, end or extend."""
    rules = []
    for i in range(draw(st.integers(1, 3))):
        rule = draw(st.one_of(max_duration_rule(i), successive_rule(i)))
        by = _types(draw)
        rule["lift"] = {"by": by, "until": draw(st.lists(st.sampled_from([t for t in PERIOD_TYPES if t not in by]),
                                                         min_size=1, max_size=2, unique=True))}
        rules.append(rule)
    return draw(ruleset_st(rules))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=lift_rules_st(), cases=extension_cases_st(), as_at_day=st.integers(0, 800), breaches_only=st.booleans())
def test_columnar_lift_findings_equal_the_replay_engines(rules, cases, as_at_day, breaches_only):
    """`lift`: lifted on or before the limit (not after), restored to the later of the limit and
    the restoring day, lifted again, among extensions; the lifting event as the extension."""
    _check_both(rules, cases, START + dt.timedelta(days=as_at_day), breaches_only)
