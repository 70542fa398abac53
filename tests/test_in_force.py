"""SPEC §2 In force: a finding is reported only when its due date is within the dates."""

from conftest import make_case, make_rules, outcomes

MINUTES = dict(id="MIN", kind="response", trigger="cin_meeting", expect="minutes_sent", within="10 days")


def _dues(rules, *meetings):
    case = make_case(*[(m, "cin_meeting") for m in meetings])
    return [g[2] for g in outcomes(rules, case, "2030-01-01")]


def test_from_and_until_are_both_included():
    rules = make_rules(dict(MINUTES, in_force={"from": "2022-10-01", "until": "2023-03-31"}))
    # Due dates: 30 Sep (out), 1 Oct (in), 31 Mar (in), 1 Apr (out).
    assert _dues(rules, "2022-09-20", "2022-09-21", "2023-03-21", "2023-03-22") == ["2022-10-01", "2023-03-31"]


def test_open_ended_in_force():
    rules = make_rules(dict(MINUTES, in_force={"from": "2022-10-01"}))
    assert _dues(rules, "2022-09-20", "2025-01-01") == ["2025-01-11"]
    rules = make_rules(dict(MINUTES, in_force={"until": "2022-10-01"}))
    assert _dues(rules, "2022-09-21", "2022-09-22") == ["2022-10-01"]


def test_a_rules_own_in_force_replaces_its_rulesets():
    rules = make_rules(dict(MINUTES, in_force={"from": "2020-01-01"}),
                       dict(MINUTES, id="MIN2"), in_force={"from": "2023-01-01"})
    case = make_case(("2021-06-01", "cin_meeting"))
    # Only MIN (in force from 2020) judges the 2021 deadline; MIN2 inherits the 2023 start.
    from casecheck.replay import check
    from conftest import D
    assert [f.rule.id for f in check([case], rules, D("2030-01-01"))] == ["MIN"]


def test_the_obligation_is_still_tracked_before_the_start_date():
    # An `every` window anchored before the standard came in force still moves the anchor.
    rule = dict(id="SUM", kind="every", expect="case_summary", every="3 months",
                in_force={"from": "2022-10-01"}, **{"from": "case_opened"})
    case = make_case(("2022-01-10", "case_opened"), ("2022-04-01", "case_summary"), ("2022-07-01", "case_summary"))
    # Windows due 10 Apr and 1 Jul fall before 1 Oct and are not reported; 1 Oct is, and is missing.
    assert outcomes(make_rules(rule), case, "2022-12-01") == [("missing", "2022-07-01", "2022-10-01", None, 61, 44)]


SUMMARY_FROM_OCT = dict(id="SUM", kind="every", expect="case_summary", every="3 months",
                        in_force={"from": "2022-10-01"}, **{"from": "case_opened", "until": "case_closed"})


def test_a_continuing_duty_still_unmet_when_it_comes_in_force_is_judged_from_that_day():
    # No summary since the case opened in May 2021 (window due 17 Aug 2021, before the standard).
    # On 1 Oct 2022 the standard applies and the case has none: missing from that day, not never.
    case = make_case(("2021-05-17", "case_opened"))
    assert outcomes(make_rules(SUMMARY_FROM_OCT), case, "2022-10-03") == [
        ("missing", "2021-05-17", "2022-10-01", None, 2, 1)]
    assert outcomes(make_rules(SUMMARY_FROM_OCT), case, "2022-10-01") == [
        ("due", "2021-05-17", "2022-10-01", None, 0, 0)]


def test_a_window_answered_after_the_start_is_late_from_the_start():
    case = make_case(("2021-05-17", "case_opened"), ("2022-11-15", "case_summary"))
    got = outcomes(make_rules(SUMMARY_FROM_OCT), case, "2022-12-01")
    assert got[0] == ("late", "2021-05-17", "2022-10-01", "2022-11-15", 45, 32)
    on_the_day = make_case(("2021-05-17", "case_opened"), ("2022-10-01", "case_summary"))
    assert outcomes(make_rules(SUMMARY_FROM_OCT), on_the_day, "2022-12-01")[0][0] == "met"


def test_windows_closed_before_the_start_stay_unreported():
    case = make_case(("2021-05-17", "case_opened"), ("2022-09-15", "case_summary"))
    # The Aug 2021 window closed (late) in Sept 2022, before the standard: not judged. The next
    # window, due 15 Dec 2022, is.
    assert outcomes(make_rules(SUMMARY_FROM_OCT), case, "2022-12-01") == [("due", "2022-09-15", "2022-12-15", None, 0, 0)]
    closed = make_case(("2021-05-17", "case_opened"), ("2022-09-15", "case_closed"))
    assert outcomes(make_rules(SUMMARY_FROM_OCT), closed, "2022-12-01") == []


def test_a_period_over_its_limit_when_the_rule_comes_in_force_is_judged_from_that_day():
    rule = dict(id="PLAN", kind="max_duration", limit="9 months", in_force={"from": "2022-10-01"},
                **{"from": "cin_plan_started", "until": "cin_plan_ended"})
    still_open = make_case(("2021-05-17", "cin_plan_started"))
    assert outcomes(make_rules(rule), still_open, "2022-10-11")[0][:3] == ("exceeded", "2021-05-17", "2022-10-01")
    ended_before = make_case(("2021-05-17", "cin_plan_started"), ("2022-06-01", "cin_plan_ended"))
    assert outcomes(make_rules(rule), ended_before, "2022-10-11") == []


def test_one_off_deadlines_before_the_start_are_never_judged():
    # `response` is a one-off deadline: one that fell before the rule came in force is not judged.
    rule = dict(MINUTES, in_force={"from": "2022-10-01"})
    case = make_case(("2022-09-01", "cin_meeting"))
    assert outcomes(make_rules(rule), case, "2023-01-01") == []


def test_a_cap_already_passed_when_the_rule_comes_in_force_is_judged_from_that_day():
    rule = dict(id="SB", kind="max_total", limit="10 days", window="12 months", in_force={"from": "2024-01-05"},
                **{"from": "short_break_started", "until": "short_break_ended"})
    # 40 nights from 1 Dec 2023 to 10 Jan 2024: over the 10-night cap from 11 Dec, before the rule; still
    # running on 5 Jan when it comes in force, so judged from then: ended 10 Jan, 5 days (8-10 Jan) over.
    case = make_case(("2023-12-01", "short_break_started"), ("2024-01-10", "short_break_ended"))
    assert outcomes(make_rules(rule), case, "2024-06-01") == [
        ("exceeded", "2023-12-01", "2024-01-05", "2024-01-10", 5, 3)]
