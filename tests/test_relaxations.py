"""`suspended`: a timescale temporarily relaxed (SI 2020/445), and the bundled library's national
rules doing what the law says: the 2020 private fostering relaxation, stage 1 extensions."""

import datetime as dt

import pytest
from hypothesis import given, strategies as st

from casecheck.inputs import bundled
from casecheck.replay import check
from casecheck.rules.explain import explain
from casecheck.rules.load import load_rules, ruleset_from_data
from conftest import D, make_case, make_rules

RELAXED = [{"from": "2020-04-24", "until": "2020-09-25", "by": "SI 2020/445 reg 5"}]
VISIT = dict(id="PF", kind="response", trigger="private_fostering_notified", expect="private_fostering_visit",
             within="7 working days", suspended=RELAXED)


def _bundled():
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == []
    return {r.id: r for r in rules}


def _statuses(rule, *events, as_at="2025-01-01"):
    return [(f.status, str(f.due)) for f in check([make_case(*events)], [rule], D(as_at))]


def test_a_private_fostering_visit_19_days_after_a_may_2020_notification_is_no_breach_but_in_2021_is():
    rule = _bundled()["PF-FIRST-VISIT-7WD"]
    assert _statuses(rule, ("2020-05-11", "private_fostering_notified"), ("2020-05-30", "private_fostering_visit")) == []
    assert _statuses(rule, ("2021-05-10", "private_fostering_notified"),
                     ("2021-05-29", "private_fostering_visit")) == [("late", "2021-05-19")]


def test_deadlines_either_side_of_the_relaxation_are_judged():
    [rule] = make_rules(VISIT)
    # due 2020-04-23 (the day before) and 2020-09-28 (after): judged; due 2020-04-24 and 2020-09-25: not
    for notified, judged in (("2020-04-14", True), ("2020-04-15", False), ("2020-09-16", False), ("2020-09-17", True)):
        found = _statuses(rule, (notified, "private_fostering_notified"))
        assert bool(found) == judged, notified


@given(st.dates(dt.date(2019, 6, 1), dt.date(2021, 6, 1)), st.integers(0, 60))
def test_a_relaxation_only_ever_removes_findings_due_within_it(notified, after):
    plain = make_rules({k: v for k, v in VISIT.items() if k != "suspended"})
    relaxed = make_rules(VISIT)
    events = [(notified.isoformat(), "private_fostering_notified"),
              ((notified + dt.timedelta(days=after)).isoformat(), "private_fostering_visit")]
    before = [(f.status, f.due) for f in check([make_case(*events)], plain, D("2022-01-01"))]
    now = [(f.status, f.due) for f in check([make_case(*events)], relaxed, D("2022-01-01"))]
    assert now == [x for x in before if not (D("2020-04-24") <= x[1] <= D("2020-09-25"))]


def test_a_continuing_duty_still_unmet_when_the_relaxation_ends_is_judged_from_the_next_day():
    rule = make_rules(dict(id="V", kind="every", expect="visit", every="6 weeks", suspended=RELAXED,
                           **{"from": "opened"}))
    # due 2020-05-13, inside the relaxation, still open after it: judged from 2020-09-26
    case = make_case(("2020-04-01", "opened"), ("2020-10-05", "visit"))
    found = [(f.status, str(f.due), f.days_late) for f in check([case], rule, D("2020-10-31"))]
    assert found == [("late", "2020-09-26", 9), ("due", "2020-11-16", 0)]
    # a window that fell due before the relaxation was already breached: it keeps its due date
    early = make_case(("2020-03-02", "opened"), ("2020-10-05", "visit"))
    assert [(f.status, str(f.due)) for f in check([early], rule, D("2020-10-31"))][0] == ("late", "2020-04-13")


def test_a_bad_suspension_is_an_error_naming_the_rule_and_field():
    for bad, says in (([{"from": "2020-04-24", "until": "2020-09-25"}], "needs 'from', 'until' and 'by'"),
                      ([{"from": "2020-09-25", "until": "2020-04-24", "by": "x"}], "'from' (2020-09-25) is after"),
                      ("2020", "must be a list of periods")):
        rules, errors = ruleset_from_data({"ruleset": "r", "rules": [dict(VISIT, suspended=bad)]}, "r.yaml")
        assert rules == [] and "rule PF:" in errors[0].message and says in errors[0].message


def test_explain_words_the_suspension():
    [rule] = make_rules(VISIT)
    assert "Suspended from 2020-04-24 to 2020-09-25 (SI 2020/445 reg 5)" in explain(rule)


def test_a_stage_1_reply_inside_its_extension_is_met():
    rule = _bundled()["REP-S1-10WD"]
    received = ("2022-05-16", "complaint_received", {"complaint": "c1"})
    reply = ("2022-06-08", "stage1_response", {"complaint": "c1"})
    assert _statuses(rule, received, reply) == [("late", "2022-05-30")]
    extended = ("2022-05-26", "stage1_extended", {"complaint": "c1"})
    [f] = check([make_case(received, extended, reply)], [rule], D("2025-01-01"))
    assert (f.status, str(f.due), str(f.extension.date)) == ("met", "2022-06-15", "2022-05-26")
    assert not {"REP-S1-20WD", "REP-S2-65WD"} & set(_bundled())  # one rule each, extension included


@pytest.mark.parametrize("rid", ["PF-FIRST-VISIT-7WD", "PF-VISITS", "LEAVING-CARE-NEEDS-3M", "CA89-POLICE-PROTECTION-72H",
                                 "CA89-EPO-8D", "SECURE-NO-ORDER-72H-28D", "SIN-NOTIFY-5WD", "SIN-RAPID-REVIEW-15WD",
                                 "MISSING-RHI-72H", "LAC-TEMP-APPROVAL-16W"])
def test_each_national_rule_has_a_passing_and_a_breaching_example(rid):
    from casecheck.replay.examples import run_examples
    results = run_examples([_bundled()[rid]])
    assert results and all(r.passed for r in results)
    statuses = {f["status"] for r in results for f in r.actual}
    assert "met" in statuses and statuses & {"late", "missing", "exceeded"}
