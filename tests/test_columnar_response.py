"""The columnar `response` kind's lapses (`unless`) and `where`: the corners of SPEC §2 each
stated with the findings they must give, by both paths, and a differential test on dense random
timelines of few event types (so that lapses, events playing several parts and `where` on
present and absent attributes come up in most examples)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.model import Case, Event
from casecheck.replay.columnar import check_frame, frame_from_cases, supports
from casecheck.replay.engine import Replayer
from casecheck.rules.load import ruleset_from_data
from casecheck.views.findings import finding_record
from conftest import make_case, make_rules

AS_AT = dt.date(2024, 12, 31)


def both(rules, cases, as_at=AS_AT, breaches_only=False):
    """(status, trigger date, actual type, actual date, days late) per finding from the columnar
    path, after checking the replay engine gives the same findings, every field."""
    assert all(supports(r) for r in rules)
    got = check_frame(frame_from_cases(cases), rules, as_at, breaches_only, {c.id: c.attrs for c in cases})
    replayer = Replayer(rules)
    expected = sorted((f for c in cases for f in replayer.check_case(c, as_at, breaches_only)), key=lambda f: f.sort_key())
    assert [finding_record(f) for f in got] == [finding_record(f) for f in expected]
    return [(f.status, str(f.trigger.date), f.actual and f.actual.type, f.actual and str(f.actual.date), f.days_late)
            for f in got]


def rule(**fields):
    base = {"id": "R", "title": "r", "kind": "response", "trigger": "cin_meeting", "expect": "minutes_sent",
            "within": "10 days"}
    return make_rules(dict(base, **fields))


def test_a_lapse_on_or_before_the_due_date_withdraws_and_after_it_is_missing_to_the_unless_event():
    rules = rule(unless="case_closed")
    a = make_case(("2024-01-01", "cin_meeting"), ("2024-01-11", "case_closed"), case_id="A")  # on the due date
    b = make_case(("2024-01-01", "cin_meeting"), ("2024-01-20", "case_closed"), case_id="B")  # 9 days after
    assert both(rules, [a, b]) == [("withdrawn", "2024-01-01", "case_closed", "2024-01-11", 0),
                                   ("missing", "2024-01-01", "case_closed", "2024-01-20", 9)]


def test_an_optional_duty_that_lapses_after_its_due_date_gives_nothing_but_one_withdrawn_in_time_is_reported():
    rules = rule(unless="case_closed", optional=True)
    late = make_case(("2024-01-01", "cin_meeting"), ("2024-01-20", "case_closed"), case_id="A")
    early = make_case(("2024-01-01", "cin_meeting"), ("2024-01-05", "case_closed"), case_id="B")
    assert both(rules, [late, early]) == [("withdrawn", "2024-01-01", "case_closed", "2024-01-05", 0)]


def test_the_first_of_expect_and_unless_closes_the_duty_and_a_later_one_does_nothing():
    rules = rule(unless="case_closed")
    answered = make_case(("2024-01-01", "cin_meeting"), ("2024-01-03", "minutes_sent"),
                         ("2024-01-04", "case_closed"), case_id="A")
    lapsed = make_case(("2024-01-01", "cin_meeting"), ("2024-01-03", "case_closed"),
                       ("2024-01-04", "minutes_sent"), case_id="B")
    same_day = make_case(("2024-01-01", "cin_meeting"), ("2024-01-03", "case_closed"),  # input order decides
                         ("2024-01-03", "minutes_sent"), case_id="C")
    assert both(rules, [answered, lapsed, same_day]) == [
        ("met", "2024-01-01", "minutes_sent", "2024-01-03", 0),
        ("withdrawn", "2024-01-01", "case_closed", "2024-01-03", 0),
        ("withdrawn", "2024-01-01", "case_closed", "2024-01-03", 0)]


def test_an_event_that_is_expect_and_unless_answers():
    rules = rule(unless=["minutes_sent", "case_closed"])
    case = make_case(("2024-01-01", "cin_meeting"), ("2024-01-20", "minutes_sent"))
    assert both(rules, [case]) == [("late", "2024-01-01", "minutes_sent", "2024-01-20", 9)]


def test_an_event_that_is_unless_and_trigger_lapses_the_earlier_duty_and_opens_one_it_does_not_lapse():
    rules = rule(unless="cin_meeting")  # a new meeting ends the wait for the last one's minutes
    case = make_case(("2024-01-01", "cin_meeting"), ("2024-01-05", "cin_meeting"), ("2024-01-30", "cin_meeting"))
    assert both(rules, [case]) == [
        ("withdrawn", "2024-01-01", "cin_meeting", "2024-01-05", 0),
        ("missing", "2024-01-05", "cin_meeting", "2024-01-30", 15),
        ("missing", "2024-01-30", None, None, 326)]


def test_an_event_that_is_expect_and_trigger_and_unless_answers_the_last_duty_and_opens_the_next():
    rules = rule(trigger="cin_meeting", expect="cin_meeting", unless="cin_meeting")
    case = make_case(("2024-01-01", "cin_meeting"), ("2024-01-05", "cin_meeting"))
    assert both(rules, [case], as_at=dt.date(2024, 1, 10)) == [
        ("met", "2024-01-01", "cin_meeting", "2024-01-05", 0), ("due", "2024-01-05", None, None, 0)]


def test_an_unless_event_is_compared_only_on_the_match_keys_it_carries():
    rules = rule(match=["meeting", "team"], unless="case_closed")
    case = make_case(
        ("2024-01-01", "cin_meeting", {"meeting": "m1", "team": "t1"}),
        ("2024-01-01", "cin_meeting", {"meeting": "m2", "team": "t1"}),
        ("2024-01-01", "cin_meeting", {"meeting": "m3", "team": "t2"}),
        ("2024-01-01", "cin_meeting", {"team": "t1"}),  # no meeting: a lapse naming one cannot agree
        ("2024-01-02", "case_closed", {"meeting": "m1"}),  # m1 only (whatever its team)
        ("2024-01-03", "case_closed", {"meeting": "m9", "team": "t1"}),  # agrees with none
        ("2024-01-04", "case_closed", {"team": "t1"}),  # the rest of team t1's
        ("2024-01-05", "case_closed"))  # all that are left
    assert both(rules, [case]) == [
        ("withdrawn", "2024-01-01", "case_closed", "2024-01-02", 0),
        ("withdrawn", "2024-01-01", "case_closed", "2024-01-04", 0),
        ("withdrawn", "2024-01-01", "case_closed", "2024-01-05", 0),
        ("withdrawn", "2024-01-01", "case_closed", "2024-01-04", 0)]  # same due date: in input order


def test_lapses_stay_within_their_case():
    rules = rule(unless="case_closed")
    a = make_case(("2024-01-01", "cin_meeting"), case_id="A")
    b = make_case(("2024-01-01", "case_closed"), ("2024-01-02", "case_closed"), case_id="B")
    assert both(rules, [a, b]) == [("missing", "2024-01-01", None, None, 355)]


@pytest.mark.parametrize("where, counted", [
    ({"meeting": "m1"}, ["m1"]),
    ({"meeting": ["m1", None]}, ["m1", None]),  # null: events without the attribute count too
    ({"meeting": [None]}, [None]),
    ({"meeting": ""}, [""]),  # an empty value given in a case file is a value, not absence
    ({"district": "East"}, []),  # an attribute no event carries: only null would count
    ({"district": [None]}, ["m1", "m2", None, ""]),
])
def test_where_counts_only_triggers_with_the_listed_values(where, counted):
    rules = rule(where=where)
    values = ["m1", "m2", None, ""]
    events = [Event(dt.date(2024, 1, 1 + i), "cin_meeting", {} if v is None else {"meeting": v}, i + 1)
              for i, v in enumerate(values)]
    got = both(rules, [Case("C-1", {}, events)])
    assert [s for s, *_ in got] == ["missing"] * len(counted)
    assert [t for _, t, *_ in got] == [f"2024-01-0{1 + values.index(v)}" for v in counted]


def test_a_trigger_where_excludes_still_answers_and_lapses_as_its_other_parts():
    rules = rule(trigger="cin_meeting", expect="cin_meeting", unless="cin_meeting", where={"meeting": "m1"})
    case = make_case(("2024-01-01", "cin_meeting", {"meeting": "m1"}), ("2024-01-03", "cin_meeting", {"meeting": "m2"}))
    assert both(rules, [case]) == [("met", "2024-01-01", "cin_meeting", "2024-01-03", 0)]


# Dense random timelines: four event types, every rule drawn over them.
TYPES = ["cin_meeting", "minutes_sent", "case_closed", "referral"]
START = dt.date(2023, 12, 1)


@st.composite
def dense_rules(draw):
    rules = []
    for i in range(draw(st.integers(1, 3))):
        parts = {k: draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))
                 for k in ("trigger", "expect", "unless")}
        r = {"id": f"R{i}", "title": "r", "kind": "response", **parts,
             "within": f"{draw(st.integers(1, 20))} {draw(st.sampled_from(['days', 'working days', 'months']))}",
             "match": draw(st.sampled_from([[], ["meeting"], ["meeting", "team"], ["team", "meeting"]]))}
        if draw(st.booleans()):
            r["optional"] = True
        where = draw(st.sampled_from([None, {"meeting": "m1"}, {"meeting": ["m2", None]}, {"team": [None]},
                                      {"team": "t1", "meeting": ["m1", "m2"]}, {"district": "East"}]))
        if where:
            r["where"] = where
        if draw(st.booleans()):  # extensions, often by an event that also triggers, answers or lapses
            n, unit = r["within"].split(" ", 1)
            r["extend"] = {"by": draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True)),
                           "to": f"{int(n) + draw(st.integers(1, 20))} {unit}"}
        if draw(st.booleans()):  # clock stops: two of the four types, often with other parts
            paused, resumed = draw(st.permutations(TYPES))[:2]
            r.update(paused_by=paused, resumed_by=resumed)
        if draw(st.booleans()):  # answered early: an expect up to this long before the trigger
            r["lookback"] = f"{draw(st.integers(1, 20))} {draw(st.sampled_from(['days', 'weeks', 'months']))}"
        rules.append(r)
    parsed, errors = ruleset_from_data({"ruleset": "dense", "rules": rules}, "<dense>")
    assert not errors and all(supports(r) for r in parsed)
    return parsed


dense_event = st.tuples(st.integers(0, 60), st.sampled_from(TYPES), st.sampled_from([None, "m1", "m2"]),
                        st.sampled_from([None, "t1", "t2", ""]),  # "" given in a case file is a value
                        st.sampled_from([None, None, "2023-12-20", "2024-01-09", "2024-01-20", "2024-03-01", "x"]))


@st.composite
def dense_cases(draw):
    cases, seq = [], 0
    for cid in draw(st.lists(st.sampled_from(["C-1", "C-2", "C-3"]), min_size=1, max_size=3, unique=True)):
        events = []
        for day, etype, meeting, team, due in draw(st.lists(dense_event, min_size=1, max_size=25)):
            seq += 1  # due: the date an extension asks for
            attrs = {k: v for k, v in (("meeting", meeting), ("team", team), ("due", due)) if v is not None}
            events.append(Event(START + dt.timedelta(days=day), etype, attrs, seq))
        cases.append(Case(cid, {}, events))
    return cases


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=dense_rules(), cases=dense_cases(), as_at_day=st.integers(0, 90), breaches_only=st.booleans())
def test_dense_timelines_give_the_replay_engines_findings(rules, cases, as_at_day, breaches_only):
    both(rules, cases, START + dt.timedelta(days=as_at_day), breaches_only)


LOG = """case,date,type,meeting,urgent
C1,2024-01-01,cin_meeting,m1,yes
C1,2024-01-01,cin_meeting,m2,
C1,2024-01-02,meeting_cancelled,m1,
C1,2024-02-01,cin_meeting,m3,no
C1,2024-02-03,case_closed,,
C2,2024-01-10,cin_meeting,,yes
C2,2024-03-01,case_closed,,
C3,2024-01-10,cin_meeting,m1,
C3,2024-01-12,minutes_sent,m1,
"""


def test_a_csv_log_with_empty_cells_gives_the_usual_readers_findings(write):
    """Through the columnar reader (empty cells read as absent attributes) and check_paths."""
    from casecheck.replay.columnar import check_log, merged
    from casecheck.replay.stream import check_paths
    rules = make_rules(
        {"id": "MIN", "title": "m", "kind": "response", "trigger": "cin_meeting", "expect": "minutes_sent",
         "within": "15 working days", "match": ["meeting"], "unless": ["meeting_cancelled", "case_closed"]},
        {"id": "URG", "title": "u", "kind": "response", "trigger": "cin_meeting", "expect": "minutes_sent",
         "within": "5 days", "where": {"urgent": ["yes", None]}, "unless": "case_closed", "optional": True})
    path = write("log.csv", LOG)
    n, found, handed = check_log(path, rules, AS_AT, breaches_only=False)
    got = list(merged(found, handed, rules, {}))
    ref = check_paths([path], rules, AS_AT, keep_all=True)
    expected = list(ref.findings)
    ref.close()
    assert not handed and n == 3
    assert [finding_record(f) for f in got] == [finding_record(f) for f in expected]
    # URG's obligations in C1 and C2 lapse after their due date (optional: nothing); m3 and the
    # non-urgent "no" meeting are not URG's triggers; C1's case_closed carries no meeting: it lapses m2 and m3
    assert [(f.case, f.rule.id, f.status, str(f.trigger.date), f.actual and f.actual.type) for f in got] == [
        ("C1", "MIN", "withdrawn", "2024-01-01", "meeting_cancelled"),
        ("C1", "MIN", "missing", "2024-01-01", "case_closed"),
        ("C1", "MIN", "withdrawn", "2024-02-01", "case_closed"),
        ("C2", "MIN", "missing", "2024-01-10", "case_closed"),
        ("C3", "URG", "met", "2024-01-10", "minutes_sent"),
        ("C3", "MIN", "met", "2024-01-10", "minutes_sent")]


def test_minutes_sent_within_the_lookback_before_the_meeting_meet_it_and_older_or_other_minutes_do_not():
    rules = rule(match=["meeting"], lookback="10 days")
    early = make_case(("2024-01-05", "minutes_sent", {"meeting": "m1"}), ("2024-01-10", "cin_meeting", {"meeting": "m1"}),
                      case_id="A")
    other = make_case(("2024-01-05", "minutes_sent", {"meeting": "m2"}), ("2024-01-10", "cin_meeting", {"meeting": "m1"}),
                      case_id="B")
    old = make_case(("2023-12-30", "minutes_sent", {"meeting": "m1"}), ("2024-01-10", "cin_meeting", {"meeting": "m1"}),
                    case_id="C")
    assert both(rules, [early, other, old], as_at=dt.date(2024, 2, 1)) == [
        ("met", "2024-01-10", "minutes_sent", "2024-01-05", 0),
        ("missing", "2024-01-10", None, None, 12), ("missing", "2024-01-10", None, None, 12)]


def test_one_expect_closes_an_open_duty_and_still_answers_a_later_trigger_early():
    rules = rule(lookback="10 days")
    case = make_case(("2024-01-01", "cin_meeting"), ("2024-01-03", "minutes_sent"), ("2024-01-04", "cin_meeting"))
    assert both(rules, [case]) == [("met", "2024-01-01", "minutes_sent", "2024-01-03", 0),
                                   ("met", "2024-01-04", "minutes_sent", "2024-01-03", 0)]


def _extensions(rules, cases, as_at=AS_AT):
    """The extension's date per finding (columnar path), after both() has compared every field."""
    both(rules, cases, as_at)
    got = check_frame(frame_from_cases(cases), rules, as_at, False, {c.id: c.attrs for c in cases})
    return [f.extension and str(f.extension.date) for f in got]


def test_an_extension_carrying_a_meeting_extends_only_that_meetings_minutes_and_one_without_extends_all():
    rules = rule(match=["meeting"], extend={"by": "minutes_delayed", "to": "20 days"})
    m1, m2 = {"meeting": "m1"}, {"meeting": "m2"}
    one = make_case(("2024-01-01", "cin_meeting", m1), ("2024-01-01", "cin_meeting", m2),
                    ("2024-01-05", "minutes_delayed", m2), ("2024-01-15", "minutes_sent", m1),
                    ("2024-01-15", "minutes_sent", m2), case_id="A")
    every = make_case(("2024-01-01", "cin_meeting", m1), ("2024-01-01", "cin_meeting", m2),
                      ("2024-01-05", "minutes_delayed"), ("2024-01-15", "minutes_sent", m1),
                      ("2024-01-15", "minutes_sent", m2), case_id="B")
    assert both(rules, [one, every]) == [("late", "2024-01-01", "minutes_sent", "2024-01-15", 4),
                                         ("met", "2024-01-01", "minutes_sent", "2024-01-15", 0),
                                         ("met", "2024-01-01", "minutes_sent", "2024-01-15", 0),
                                         ("met", "2024-01-01", "minutes_sent", "2024-01-15", 0)]
    assert _extensions(rules, [one, every]) == [None, "2024-01-05", "2024-01-05", "2024-01-05"]


def test_an_extension_on_the_due_date_extends_to_its_due_and_a_later_one_in_time_to_the_cap():
    rules = rule(extend={"by": "minutes_delayed", "to": "30 days"})
    case = make_case(("2024-01-01", "cin_meeting"), ("2024-01-11", "minutes_delayed", {"due": "2024-01-20"}),
                     ("2024-01-20", "minutes_delayed"), ("2024-02-05", "minutes_sent"))
    assert both(rules, [case]) == [("late", "2024-01-01", "minutes_sent", "2024-02-05", 5)]
    assert _extensions(rules, [case]) == ["2024-01-20"]


def test_an_extension_the_day_after_the_due_date_extends_nothing():
    rules = rule(extend={"by": "minutes_delayed", "to": "30 days"})
    case = make_case(("2024-01-01", "cin_meeting"), ("2024-01-12", "minutes_delayed"), ("2024-01-20", "minutes_sent"))
    assert both(rules, [case]) == [("late", "2024-01-01", "minutes_sent", "2024-01-20", 9)]
    assert _extensions(rules, [case]) == [None]


def _stops(rules, cases, as_at=AS_AT):
    """(status, due, days late, clock stops) per finding (columnar path), after both() has
    compared every field."""
    both(rules, cases, as_at)
    got = check_frame(frame_from_cases(cases), rules, as_at, False, {c.id: c.attrs for c in cases})
    return [(f.status, str(f.due), f.days_late, [(str(s.start), s.until and str(s.until)) for s in f.clock_stops])
            for f in got]


STOPPED = {"paused_by": "awaiting_family", "resumed_by": "family_replied"}


def test_a_stop_moves_the_due_date_by_its_days_and_is_reported():
    case = make_case(("2024-01-01", "cin_meeting"), ("2024-01-03", "awaiting_family"),
                     ("2024-01-08", "family_replied"), ("2024-01-14", "minutes_sent"))
    assert _stops(rule(**STOPPED), [case]) == [("met", "2024-01-16", 0, [("2024-01-03", "2024-01-08")])]


def test_a_trigger_while_the_clock_is_stopped_begins_stopped_and_a_pause_after_the_due_date_stops_nothing():
    stopped = make_case(("2024-01-01", "awaiting_family"), ("2024-01-02", "cin_meeting"),
                        ("2024-01-05", "family_replied"), case_id="A")
    late = make_case(("2024-01-01", "cin_meeting"), ("2024-01-12", "awaiting_family"), case_id="B")
    assert _stops(rule(**STOPPED), [stopped, late], as_at=dt.date(2024, 2, 1)) == [
        ("missing", "2024-01-15", 17, [("2024-01-02", "2024-01-05")]), ("missing", "2024-01-11", 21, [])]
