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
    from engine.replay import check
    from conftest import D
    assert [f.rule.id for f in check([case], rules, D("2030-01-01"))] == ["MIN"]


def test_the_obligation_is_still_tracked_before_the_start_date():
    # An `every` window anchored before the standard came in force still moves the anchor.
    rule = dict(id="SUM", kind="every", expect="case_summary", every="3 months",
                in_force={"from": "2022-10-01"}, **{"from": "case_opened"})
    case = make_case(("2022-01-10", "case_opened"), ("2022-04-01", "case_summary"), ("2022-07-01", "case_summary"))
    # Windows due 10 Apr and 1 Jul fall before 1 Oct and are not reported; 1 Oct is, and is missing.
    assert outcomes(make_rules(rule), case, "2022-12-01") == [("missing", "2022-07-01", "2022-10-01", None, 61, 44)]
