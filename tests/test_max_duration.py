"""SPEC §2, kind `max_duration`: a period must not last longer than its limit."""

from conftest import make_case, make_rules, outcomes

PLAN = dict(id="PLAN9", kind="max_duration", limit="9 months", **{"from": "cin_plan_started", "until": "cin_plan_ended"})


def test_closed_on_the_limit_date_is_met():
    case = make_case(("2022-01-31", "cin_plan_started"), ("2022-10-31", "cin_plan_ended"))
    assert outcomes(make_rules(PLAN), case, "2024-01-01") == [
        ("met", "2022-01-31", "2022-10-31", "2022-10-31", 0, 0)]


def test_closed_after_the_limit_is_exceeded():
    case = make_case(("2022-05-31", "cin_plan_started"), ("2023-03-01", "cin_plan_ended"))
    # 31 May + 9 months = 28 Feb 2023 (clipped); closed 1 Mar: 1 day, 1 working day over.
    assert outcomes(make_rules(PLAN), case, "2024-01-01") == [
        ("exceeded", "2022-05-31", "2023-02-28", "2023-03-01", 1, 1)]


def test_open_period_is_due_until_the_as_at_date_passes_the_limit():
    case = make_case(("2022-01-31", "cin_plan_started"))
    rules = make_rules(PLAN)
    assert outcomes(rules, case, "2022-10-31") == [("due", "2022-01-31", "2022-10-31", None, 0, 0)]
    # Tue 1 Nov: 1 day, 1 working day over.
    assert outcomes(rules, case, "2022-11-01") == [("exceeded", "2022-01-31", "2022-10-31", None, 1, 1)]


def test_periods_reopen_and_from_is_ignored_while_open():
    case = make_case(("2021-01-04", "cin_plan_started"), ("2021-03-01", "cin_plan_started"),
                     ("2021-09-01", "cin_plan_ended"), ("2021-12-01", "cin_plan_ended"),
                     ("2022-01-10", "cin_plan_started"))
    assert outcomes(make_rules(PLAN), case, "2022-02-01") == [
        ("met", "2021-01-04", "2021-10-04", "2021-09-01", 0, 0),
        ("due", "2022-01-10", "2022-10-10", None, 0, 0)]


def test_an_event_that_ends_one_period_and_starts_another():
    rule = dict(id="PLACEMENT", kind="max_duration", limit="17 days",
                **{"from": "short_break_started", "until": ["short_break_ended", "short_break_started"]})
    case = make_case(("2022-01-01", "short_break_started"), ("2022-01-10", "short_break_started"))
    assert [g[0] for g in outcomes(make_rules(rule), case, "2022-02-01")] == ["met", "exceeded"]
