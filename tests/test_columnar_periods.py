"""The columnar `every`, `max_duration` and `max_total` kinds against the replay engine (the
reference): random period rules drawing every option (from/where, until/until_where, `not`,
expect, every, first, then, any unit, rolling and fixed windows,
beginning_with, in_force, suspended, applies_to), with event types shared between start, until
and expect and many events on one date, must give identical findings, every field, in order."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.model import Case, Event
from casecheck.replay.columnar import check_frame, check_log, frame_from_cases, merged, supports
from casecheck.replay.engine import Replayer
from casecheck.replay.stream import check_paths
from casecheck.rules.load import ruleset_from_data

from test_columnar_diff import (START, TYPES, WHERE, _fields, case_attrs_st, cases_st, event_st, in_force_st,
                                response_rule, ruleset_st, scope_st)
from test_columnar_log import AS_AT as LOG_AS_AT, LOG
from conftest import make_rules

# Fewer types than the cases use, so one event type is often start, until and expect at once.
PERIOD_TYPES = TYPES[:6]
# event_st's events, their types folded onto those the period rules name (allocations kept)
_FOLD = {t: t if t == "worker_allocated" else PERIOD_TYPES[i % len(PERIOD_TYPES)] for i, t in enumerate(TYPES)}
period_event_st = event_st.map(lambda e: (e[0], _FOLD[e[1]], *e[2:]))
SPANS = {"days": 60, "weeks": 10, "months": 6, "years": 2, "working days": 40}
# `not` (an event without the attribute matches it, unless null is listed), alone or with a plain value
NOT_WHERE = [{"meeting": {"not": "m1"}}, {"meeting": {"not": ["m1", None]}}, {"meeting": {"not": [None]}},
             {"team": {"not": ["t1", ""]}, "meeting": "m2"}, {"district": {"not": "East"}}]


@st.composite
def duration_st(draw):
    unit = draw(st.sampled_from(sorted(SPANS)))
    return f"{draw(st.integers(1, SPANS[unit]))} {unit}"


def _types(draw, min_size=1):
    return draw(st.lists(st.sampled_from(PERIOD_TYPES), min_size=min_size, max_size=2, unique=True))


@st.composite
def period_common(draw):
    """The options both kinds share: from (with where), until, counting, in force, scope."""
    rule = {"from": _types(draw)}
    until = _types(draw, 0)
    if until:
        rule["until"] = until
        until_where = draw(st.sampled_from(WHERE + NOT_WHERE))
        if until_where:
            rule["until_where"] = until_where
    where = draw(st.sampled_from(WHERE + NOT_WHERE))
    if where:
        rule["where"] = where
    if draw(st.booleans()):
        rule["counting"] = "beginning_with"
    rule.update(draw(in_force_st(500)))
    rule.update(draw(scope_st()))
    return rule


@st.composite
def every_rule(draw, i):
    rule = dict(draw(period_common()), id=f"E{i}", kind="every", expect=_types(draw), every=draw(duration_st()))
    if draw(st.booleans()):
        first = draw(st.lists(duration_st(), min_size=1, max_size=3))
        rule["first"] = first[0] if len(first) == 1 and draw(st.booleans()) else first
    if draw(st.booleans()):
        rule["then"] = [{"after": draw(duration_st()), "every": draw(duration_st())}
                        for _ in range(draw(st.integers(1, 3)))]
    return rule


# the most days a duration of one unit can span, to draw an `extend.to` in days always longer
_MOST_DAYS = {"days": 1, "weeks": 7, "months": 31, "years": 366, "working days": 3}


@st.composite
def max_duration_rule(draw, i, extend=None):
    """extend: None for now and then, True for always, False for never an `extend: {by, to}`."""
    limit = draw(duration_st())
    rule = dict(draw(period_common()), id=f"M{i}", kind="max_duration", limit=limit)
    if extend or (extend is None and draw(st.booleans())):
        n, unit = limit.split(" ", 1)
        if draw(st.booleans()):
            to = f"{int(n) + draw(st.integers(1, 40))} {unit}"  # same unit, longer
        else:
            to = f"{int(n) * _MOST_DAYS[unit] + 10 + draw(st.integers(0, 60))} days"
        rule["extend"] = {"by": _types(draw), "to": to}
    return rule


@st.composite
def max_total_rule(draw, i):
    """Rolling windows (in days, weeks, months, years) and fixed ones, with `until_where` and `not`."""
    limit = draw(st.sampled_from([f"{draw(st.integers(1, 40))} days", f"{draw(st.integers(1, 6))} weeks"]))
    rule = dict(draw(period_common()), id=f"T{i}", kind="max_total", limit=limit,
                window=draw(st.sampled_from(["12 months", "1 year", "30 days", "2 months", "6 weeks", "3 days"])))
    rule.pop("counting", None)
    if rule["window"] in ("12 months", "1 year") and draw(st.booleans()):
        rule["window_start"] = draw(st.sampled_from(["04-01", "01-01", "12-31", "03-01"]))
    return rule


@st.composite
def period_rules_st(draw):
    rules = [draw(st.one_of(every_rule(i), max_duration_rule(i), max_total_rule(i)))
             for i in range(draw(st.integers(1, 4)))]
    if draw(st.booleans()):
        rules.append(draw(response_rule(9)))
    return draw(ruleset_st(rules))


@st.composite
def busy_cases_st(draw):
    """cases_st's cases with more events of the rules' types, or crowded onto a few dates (the
    order of same-date events and of one event's parts matters)."""
    cases = draw(cases_st())
    if not cases:
        cases = [Case("C-1", draw(case_attrs_st), [])]
    seq = 1000
    for c in cases:
        for day, etype, meeting, team, worker in draw(st.lists(period_event_st, min_size=3, max_size=40)):
            seq += 1
            attrs = {k: v for k, v in (("meeting", meeting), ("team", team), ("worker", worker)) if v is not None}
            c.events.append(Event(START + dt.timedelta(days=day), etype, attrs, seq))
    if draw(st.integers(0, 3)) == 0:
        days = draw(st.lists(st.integers(0, 700), min_size=1, max_size=4))
        for c in cases:
            c.events = [Event(START + dt.timedelta(days=days[e.seq % len(days)]), e.type, e.attrs, e.seq)
                        for e in c.events]
    return cases


def _check_both(rules, cases, as_at, breaches_only):
    replayer = Replayer(rules)
    expected = sorted((f for c in cases for f in replayer.check_case(c, as_at, breaches_only)),
                      key=lambda f: f.sort_key())
    got = check_frame(frame_from_cases(cases), rules, as_at, breaches_only, {c.id: c.attrs for c in cases})
    assert _fields(got) == _fields(expected)
    return got


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=period_rules_st(), cases=busy_cases_st(), as_at_day=st.integers(0, 800), breaches_only=st.booleans())
def test_columnar_period_findings_equal_the_replay_engines(rules, cases, as_at_day, breaches_only):
    _check_both(rules, cases, START + dt.timedelta(days=as_at_day), breaches_only)


def test_which_period_rules_are_handed_back():
    """every: all of it; max_duration: successive extensions (`extend: {each}`) too;
    max_total: rolling and fixed windows, with until_where; no kind with a `where` or `until_where`
    on an attribute named like a column of the chunk's own (it cannot be told apart from it)."""
    parsed, errors = ruleset_from_data({"ruleset": "x", "rules": [
        {"id": "E", "kind": "every", "expect": "b", "every": "3 months", "from": "a", "until": "c",
         "first": ["10 working days", "6 weeks"], "then": [{"after": "1 year", "every": "6 months"}],
         "where": {"m": "x"}, "counting": "beginning_with"},
        {"id": "M", "kind": "max_duration", "limit": "9 months", "from": "a", "until": "c", "where": {"m": "x"}},
        {"id": "MX", "kind": "max_duration", "limit": "9 months", "from": "a", "until": "c",
         "extend": {"by": "e", "to": "12 months"}},
        {"id": "MS", "kind": "max_duration", "limit": "9 months", "from": "a", "until": "c",
         "extend": {"by": "e", "each": "3 months", "after": "extension"}},
        {"id": "T", "kind": "max_total", "limit": "30 days", "window": "1 year", "from": "a", "until": "c"},
        {"id": "ES", "kind": "every", "expect": "b", "every": "3 months", "from": "a", "where": {"seq": "1"}},
        {"id": "MR", "kind": "max_duration", "limit": "9 months", "from": "a", "where": {"run": "1"}},
        {"id": "MN", "kind": "max_duration", "limit": "9 months", "from": "a", "until": "c",
         "where": {"m": {"not": "x"}}, "until_where": {"m": {"not": ["x", None]}}},
        {"id": "MU", "kind": "max_duration", "limit": "9 months", "from": "a", "until": "c",
         "until_where": {"ord": "1"}},
        {"id": "TF", "kind": "max_total", "limit": "30 days", "window": "12 months", "window_start": "04-01",
         "from": "a", "until": "c", "until_where": {"m": "x"}},
        {"id": "TO", "kind": "max_total", "limit": "30 days", "window": "1 year", "from": "a", "until": "c",
         "until_where": {"type": "x"}}]}, "<x>")
    assert not errors, [str(e) for e in errors]
    assert [r.id for r in parsed if supports(r)] == ["E", "M", "MX", "MS", "T", "MN", "TF"]


def _rules(*raw):
    parsed, errors = ruleset_from_data({"ruleset": "x", "calendar": "weekends-only",
                                        "rules": [dict(r, title=r["id"]) for r in raw]}, "<x>")
    assert not errors, [str(e) for e in errors]
    return parsed


def test_an_event_that_is_expect_until_and_start_is_judged_then_closes_and_reopens():
    rules = _rules({"id": "E", "kind": "every", "expect": ["review", "restart"], "every": "10 days",
                    "from": ["open", "restart"], "until": ["restart", "close"]},
                   {"id": "M", "kind": "max_duration", "limit": "15 days", "from": ["open", "restart"],
                    "until": ["restart", "close"]})
    d = dt.date(2024, 1, 1)
    events = [Event(d, "open", {}, 1), Event(d + dt.timedelta(days=5), "review", {}, 2),
              Event(d + dt.timedelta(days=20), "restart", {}, 3), Event(d + dt.timedelta(days=25), "close", {}, 4)]
    got = _check_both(rules, [Case("C-1", {}, events)], d + dt.timedelta(days=60), False)
    # restart: its expect part is late in the first period (due day 15), its until part then
    # closes that period (the window it anchored, due day 30, is not missing) and its start
    # opens the second; max_duration's first period is exceeded (limit day 15) at the restart.
    assert [(f.rule.id, f.status, f.trigger.seq, f.due.day, f.actual.type) for f in got] == [
        ("E", "met", 1, 11, "review"), ("E", "late", 2, 16, "restart"), ("M", "exceeded", 1, 16, "restart"),
        ("M", "met", 3, 5, "close")]


def test_a_period_ending_on_its_limit_date_is_met_and_one_open_on_it_is_due():
    rules = _rules({"id": "M", "kind": "max_duration", "limit": "10 days", "from": "open", "until": "close"},
                   {"id": "E", "kind": "every", "every": "10 days", "expect": "review", "from": "open",
                    "until": "close"})
    d = dt.date(2024, 1, 1)
    ten = d + dt.timedelta(days=10)
    ended = Case("C-1", {}, [Event(d, "open", {}, 1), Event(ten, "review", {}, 2), Event(ten, "close", {}, 3)])
    still_open = Case("C-2", {}, [Event(d, "open", {}, 4)])
    got = _check_both(rules, [ended, still_open], ten, False)
    assert [(f.case, f.rule.id, f.status) for f in got] == [("C-1", "E", "met"), ("C-1", "M", "met"),
                                                            ("C-2", "E", "due"), ("C-2", "M", "due")]


def test_a_clean_csv_log_gives_the_replay_engines_period_findings(write):
    """Through the CSV columnar reader: an empty cell is an absent attribute (C2's meeting without
    an id opens a `where: {meeting: [m1, null]}` period); max_duration with extend is columnar too."""
    rules = make_rules(
        {"id": "VISITS", "title": "visits", "kind": "every", "expect": ["minutes_sent", "home_visit"],
         "every": "1 month", "first": "2 weeks", "from": "cin_meeting", "where": {"meeting": ["m1", None]},
         "until": "cin_plan_ended"},
        {"id": "PLAN", "title": "plan", "kind": "max_duration", "limit": "9 months", "from": "cin_plan_started",
         "until": "cin_plan_ended"},
        {"id": "PLAN-EXT", "title": "plan", "kind": "max_duration", "limit": "2 months", "from": "cin_plan_started",
         "until": "cin_plan_ended", "extend": {"by": "home_visit", "to": "12 months"}})
    path = write("log.csv", LOG)
    for keep_all in (False, True):
        n, found, handed = check_log(path, rules, LOG_AS_AT, breaches_only=not keep_all, chunk_bytes=40)
        got = list(merged(found, handed, rules, {}))
        ref = check_paths([path], rules, LOG_AS_AT, keep_all=keep_all, columnar_path=False)  # the replay engine
        expected = list(ref.findings)
        ref.close()
        assert n == 3 and [r.id for r in rules if supports(r)] == ["VISITS", "PLAN", "PLAN-EXT"]
        assert _fields(got) == _fields(expected)
        assert {f.rule.id for f in expected if f.status != "met"} == {"VISITS", "PLAN", "PLAN-EXT"}


def test_until_where_with_not_keeps_one_emergency_protection_order_across_placements_on_both_paths():
    # the example: one period for the whole L2 order, however many placements it spans,
    # closed by a change to another status or by the end of care (which has no legal status)
    rules = _rules({"id": "EPO", "kind": "max_duration", "limit": "8 days",
                    "from": ["placement_started", "legal_status_changed"], "where": {"legal_status": "L2"},
                    "until": ["legal_status_changed", "placement_started", "ceased_looked_after"],
                    "until_where": {"legal_status": {"not": "L2"}}})
    d = dt.date(2024, 1, 1)
    at = lambda n: d + dt.timedelta(days=n)  # noqa: E731
    ten = Case("C-1", {}, [Event(d, "placement_started", {"legal_status": "L2"}, 1),
                           Event(at(4), "placement_started", {"legal_status": "L2"}, 2),
                           Event(at(10), "legal_status_changed", {"legal_status": "C2"}, 3)])
    six = Case("C-2", {}, [Event(d, "placement_started", {"legal_status": "L2"}, 4),
                           Event(at(3), "placement_started", {"legal_status": "L2"}, 5),
                           Event(at(6), "ceased_looked_after", {}, 6)])
    got = _check_both(rules, [ten, six], at(60), False)
    assert [(f.case, f.status, f.trigger.seq, f.actual.type) for f in got] == [
        ("C-1", "exceeded", 1, "legal_status_changed"), ("C-2", "met", 4, "ceased_looked_after")]


def test_until_where_lets_an_agreements_end_leave_a_break_running():
    rules = _rules({"id": "BREAK", "kind": "max_duration", "limit": "17 days", "from": "short_break_started",
                    "until": ["short_break_ended", "short_break_agreement_ended"],
                    "until_where": {"legal_status": ["V3"]}})
    d = dt.date(2024, 1, 1)
    case = Case("C-1", {}, [Event(d, "short_break_started", {"legal_status": "V3"}, 1),
                            Event(d + dt.timedelta(days=2), "short_break_agreement_ended", {"legal_status": "V4"}, 2),
                            Event(d + dt.timedelta(days=20), "short_break_ended", {"legal_status": "V3"}, 3)])
    (f,) = _check_both(rules, [case], d + dt.timedelta(days=60), False)
    assert (f.status, f.actual.type, f.actual.date) == ("exceeded", "short_break_ended", d + dt.timedelta(days=20))


@st.composite
def max_total_rules_st(draw):
    return draw(ruleset_st([draw(max_total_rule(i)) for i in range(draw(st.integers(1, 3)))]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=max_total_rules_st(), cases=busy_cases_st(), as_at_day=st.integers(0, 800), breaches_only=st.booleans())
def test_columnar_max_total_findings_equal_the_replay_engines(rules, cases, as_at_day, breaches_only):
    """Rolling and fixed windows alone, so that most examples hold several periods per case."""
    _check_both(rules, cases, START + dt.timedelta(days=as_at_day), breaches_only)


def _breaks(*spans, open_from=None):
    """A case of short breaks: (start, end) date pairs, then perhaps one still open."""
    events, seq = [], 0
    for s, e in spans:
        events += [Event(s, "short_break_started", {}, seq + 1), Event(e, "short_break_ended", {}, seq + 2)]
        seq += 2
    if open_from is not None:
        events.append(Event(open_from, "short_break_started", {}, seq + 1))
    return Case("C-1", {}, events)


def _short_breaks(**fields):
    return _rules(dict({"id": "T", "kind": "max_total", "from": "short_break_started", "until": "short_break_ended",
                        "limit": "10 days", "window": "30 days"}, **fields))


def _summary(findings):
    return [(f.status, str(f.trigger.date), str(f.due), f.actual and str(f.actual.date), f.days_late)
            for f in findings]


def test_an_earlier_break_in_the_rolling_window_brings_the_next_ones_limit_forward():
    d = dt.date
    case = _breaks((d(2024, 1, 1), d(2024, 1, 6)), (d(2024, 1, 10), d(2024, 1, 20)))
    # the first break's 5 nights count in the second's window: over 10 on the night of 15 January
    assert _summary(_check_both(_short_breaks(), [case], d(2024, 6, 1), False)) == [
        ("met", "2024-01-01", "2024-01-11", "2024-01-06", 0),
        ("exceeded", "2024-01-10", "2024-01-15", "2024-01-20", 5)]


def test_an_earlier_breaks_nights_leave_the_rolling_window_one_a_day():
    d = dt.date
    case = _breaks((d(2024, 1, 1), d(2024, 1, 11)), (d(2024, 2, 1), d(2024, 2, 12)))
    # from 1 February the total holds at 9 while January's nights leave the 30 days as February's
    # come in; the eleventh night of February is the first over 10
    assert _summary(_check_both(_short_breaks(), [case], d(2024, 6, 1), False)) == [
        ("met", "2024-01-01", "2024-01-11", "2024-01-11", 0),
        ("exceeded", "2024-02-01", "2024-02-11", "2024-02-12", 1)]


def test_a_break_across_the_first_of_april_is_judged_in_each_year_and_measured_to_the_years_end():
    d = dt.date
    case = _breaks((d(2024, 1, 1), d(2024, 3, 11)), (d(2024, 3, 26), d(2024, 4, 10)))
    rules = _short_breaks(limit="75 days", window="12 months", window_start="04-01")
    # 70 nights before it in the year to 31 March: its own may run to 31 March, and it is 1 day
    # over at the year's end (not 10, to its end); from 1 April it starts the new year's 75 afresh
    assert _summary(_check_both(rules, [case], d(2024, 12, 1), False)) == [
        ("met", "2024-01-01", "2024-03-16", "2024-03-11", 0),
        ("exceeded", "2024-03-26", "2024-03-31", "2024-04-10", 1),
        ("met", "2024-03-26", "2024-06-15", "2024-04-10", 0)]


def test_an_open_break_on_the_first_day_of_a_year_is_judged_in_the_year_it_ran_past_and_due_in_the_new():
    d = dt.date
    rules = _short_breaks(limit="5 days", window="1 year", window_start="04-01")
    case = _breaks(open_from=d(2024, 3, 20))
    assert _summary(_check_both(rules, [case], d(2024, 4, 1), False)) == [
        ("exceeded", "2024-03-20", "2024-03-25", None, 7),
        ("due", "2024-03-20", "2024-04-06", None, 0)]


_DUE_VALUES = [(START + dt.timedelta(days=n)).isoformat() for n in (30, 200, 400, 650)] + ["x", ""]


@st.composite
def extension_cases_st(draw):
    """busy_cases_st's cases, some events carrying a `due` (a date, or not one) for an extension."""
    cases = draw(busy_cases_st())
    for c in cases:
        for e in c.events:
            if draw(st.integers(0, 2)) == 0:
                e.attrs["due"] = draw(st.sampled_from(_DUE_VALUES))
    return cases


@st.composite
def extended_rules_st(draw):
    return draw(ruleset_st([draw(max_duration_rule(i, extend=True)) for i in range(draw(st.integers(1, 3)))]))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=extended_rules_st(), cases=extension_cases_st(), as_at_day=st.integers(0, 800),
       breaches_only=st.booleans())
def test_columnar_extended_max_duration_findings_equal_the_replay_engines(rules, cases, as_at_day, breaches_only):
    """`extend: {by, to}`, extension events carrying a `due` or not, often on an event that also
    starts or ends a period."""
    _check_both(rules, cases, START + dt.timedelta(days=as_at_day), breaches_only)


def _plan(*events, as_at=dt.date(2024, 6, 1)):
    """A plan limited to 10 days, extensible to 30 from its start, judged by both paths: (status,
    due, days late, the extension's date) per finding."""
    rules = _rules({"id": "PLAN", "kind": "max_duration", "from": "plan_started", "until": "plan_ended",
                    "limit": "10 days", "extend": {"by": "plan_extended", "to": "30 days"}})
    case = Case("C-1", {}, [Event(d, t, attrs, n) for n, (d, t, attrs) in enumerate(events, 1)])
    return [(f.status, str(f.due), f.days_late, f.extension and str(f.extension.date))
            for f in _check_both(rules, [case], as_at, False)]


def test_each_extension_in_time_moves_the_limit_to_its_due_held_within_the_cap_and_the_last_is_reported():
    d = dt.date
    assert _plan((d(2024, 1, 1), "plan_started", {}), (d(2024, 1, 5), "plan_extended", {"due": "2024-01-15"}),
                 (d(2024, 1, 14), "plan_extended", {"due": "2024-02-20"}),  # past the cap: to 31 January
                 (d(2024, 2, 3), "plan_ended", {})) == [("exceeded", "2024-01-31", 3, "2024-01-14")]


def test_an_extension_after_the_limit_extends_nothing():
    d = dt.date
    assert _plan((d(2024, 1, 1), "plan_started", {}), (d(2024, 1, 12), "plan_extended", {}),
                 (d(2024, 1, 20), "plan_ended", {})) == [("exceeded", "2024-01-11", 9, None)]


def test_an_extension_asking_an_earlier_date_keeps_the_limit_and_is_still_the_extension():
    d = dt.date
    assert _plan((d(2024, 1, 1), "plan_started", {}), (d(2024, 1, 5), "plan_extended", {"due": "2024-01-08"}),
                 (d(2024, 1, 11), "plan_ended", {})) == [("met", "2024-01-11", 0, "2024-01-05")]


def test_an_extension_whose_due_is_not_a_date_runs_to_the_cap_and_the_next_plan_starts_unextended():
    d = dt.date
    assert _plan((d(2024, 1, 1), "plan_started", {}), (d(2024, 1, 10), "plan_extended", {"due": "soon"}),
                 (d(2024, 1, 25), "plan_ended", {}), (d(2024, 1, 25), "plan_started", {}),
                 (d(2024, 2, 10), "plan_extended", {})) == [  # after the second plan's limit (4 February)
        ("met", "2024-01-31", 0, "2024-01-10"), ("exceeded", "2024-02-04", 118, None)]
