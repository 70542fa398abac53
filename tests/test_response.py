"""SPEC §2, kind `response`: one trigger opens an obligation that an expect event closes."""

from conftest import make_case, make_rules, outcomes

MINUTES = dict(id="MIN", title="Minutes within 15 working days", kind="response",
               trigger="cin_meeting", expect="minutes_sent", within="15 working days")


def test_york_minutes_late_by_35_days_and_25_working_days():
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-04-12", "minutes_sent"))
    assert outcomes(make_rules(MINUTES), case, "2024-10-14") == [
        ("late", "2022-02-15", "2022-03-08", "2022-04-12", 35, 25)]


def test_met_on_the_due_date_itself():
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-08", "minutes_sent"))
    assert outcomes(make_rules(MINUTES), case, "2024-01-01") == [
        ("met", "2022-02-15", "2022-03-08", "2022-03-08", 0, 0)]


def test_late_by_one_day_after_the_due_date():
    # Due Tue 8 Mar; minutes Wed 9 Mar: 1 day, 1 working day late.
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-09", "minutes_sent"))
    assert outcomes(make_rules(MINUTES), case, "2024-01-01")[0][0::4] == ("late", 1)


def test_same_date_expect_after_the_trigger_counts():
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-02-15", "minutes_sent"))
    assert outcomes(make_rules(MINUTES), case, "2024-01-01") == [
        ("met", "2022-02-15", "2022-03-08", "2022-02-15", 0, 0)]


def test_same_date_events_keep_file_order():
    # The minutes come first in the file, so they are replayed before the meeting opens its
    # obligation, and do not close it; only the later minutes do.
    case = make_case(("2022-02-15", "minutes_sent"), ("2022-02-15", "cin_meeting"),
                     ("2022-03-10", "minutes_sent"))
    assert outcomes(make_rules(MINUTES), case, "2024-01-01") == [
        ("late", "2022-02-15", "2022-03-08", "2022-03-10", 2, 2)]


def test_an_expect_before_the_trigger_does_not_close_it():
    case = make_case(("2022-02-01", "minutes_sent"), ("2022-02-15", "cin_meeting"))
    # Missing at as-at Fri 11 Mar 2022: 3 days, 3 working days (9, 10, 11 Mar) after due 8 Mar.
    assert outcomes(make_rules(MINUTES), case, "2022-03-11") == [
        ("missing", "2022-02-15", "2022-03-08", None, 3, 3)]


def test_still_open_is_due_until_the_due_date_has_passed():
    case = make_case(("2022-02-15", "cin_meeting"))
    rules = make_rules(MINUTES)
    assert outcomes(rules, case, "2022-03-07")[0][0] == "due"
    assert outcomes(rules, case, "2022-03-08")[0][0] == "due"   # the due date has not passed yet
    assert outcomes(rules, case, "2022-03-09")[0][:2] == ("missing", "2022-02-15")


def test_due_and_met_findings_are_not_late():
    case = make_case(("2022-02-15", "cin_meeting"))
    assert outcomes(make_rules(MINUTES), case, "2022-03-01") == [
        ("due", "2022-02-15", "2022-03-08", None, 0, 0)]


def test_events_after_the_as_at_date_are_ignored():
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-01", "minutes_sent"))
    assert outcomes(make_rules(MINUTES), case, "2022-02-28")[0][0] == "due"
    assert outcomes(make_rules(MINUTES), case, "2022-03-01")[0][0] == "met"
    # A trigger after the as-at date opens nothing.
    assert outcomes(make_rules(MINUTES), case, "2022-02-14") == []


def test_one_expect_closes_every_open_obligation_it_matches():
    case = make_case(("2022-01-10", "cin_meeting"), ("2022-02-15", "cin_meeting"),
                     ("2022-03-01", "minutes_sent"))
    got = outcomes(make_rules(MINUTES), case, "2024-01-01")
    # 10 Jan + 15 WD = 31 Jan; 1 Mar is 29 days / 21 working days later.
    assert got == [("late", "2022-01-10", "2022-01-31", "2022-03-01", 29, 21),
                   ("met", "2022-02-15", "2022-03-08", "2022-03-01", 0, 0)]


def test_match_only_lets_the_matching_expect_close():
    rules = make_rules(dict(MINUTES, match=["meeting"]))
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "feb"}),
                     ("2022-02-20", "cin_meeting", {"meeting": "feb-2"}),
                     ("2022-03-01", "minutes_sent", {"meeting": "feb-2"}),
                     ("2022-04-12", "minutes_sent", {"meeting": "feb"}))
    got = outcomes(rules, case, "2024-01-01")
    assert [(g[0], g[1], g[3]) for g in got] == [("late", "2022-02-15", "2022-04-12"),
                                                ("met", "2022-02-20", "2022-03-01")]


def test_match_treats_a_missing_attribute_as_different_from_a_present_one():
    rules = make_rules(dict(MINUTES, match=["meeting"]))
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "feb"}), ("2022-02-16", "minutes_sent"))
    assert outcomes(rules, case, "2022-04-01")[0][0] == "missing"


def test_match_compares_numbers_and_text_alike():
    rules = make_rules(dict(MINUTES, match=["meeting"]))
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": 7}), ("2022-02-16", "minutes_sent", {"meeting": "7"}))
    assert outcomes(rules, case, "2022-04-01")[0][0] == "met"


def test_unless_on_or_before_the_due_date_withdraws():
    rules = make_rules(dict(MINUTES, unless="case_closed"))
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-08", "case_closed"),
                     ("2022-05-01", "minutes_sent"))
    assert outcomes(rules, case, "2024-01-01") == [
        ("withdrawn", "2022-02-15", "2022-03-08", "2022-03-08", 0, 0)]


def test_unless_after_the_due_date_does_not_withdraw_but_lapses():
    rules = make_rules(dict(MINUTES, unless="case_closed"))
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-09", "case_closed"))
    got = outcomes(rules, case, "2022-03-10")
    assert got == [("missing", "2022-02-15", "2022-03-08", "2022-03-09", 1, 1)]  # tests/test_lapse.py
    late = make_case(("2022-02-15", "cin_meeting"), ("2022-03-09", "minutes_sent"), ("2022-03-10", "case_closed"))
    assert outcomes(rules, late, "2024-01-01")[0][0] == "late"


def test_unless_only_withdraws_open_obligations():
    rules = make_rules(dict(MINUTES, unless="case_closed"))
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-02-20", "minutes_sent"), ("2022-02-21", "case_closed"))
    assert [g[0] for g in outcomes(rules, case, "2024-01-01")] == ["met"]


def test_unless_respects_match_keys_it_carries():
    rules = make_rules(dict(MINUTES, match=["meeting"], unless=["meeting_cancelled", "case_closed"]))
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "a"}),
                     ("2022-02-15", "cin_meeting", {"meeting": "b"}),
                     ("2022-02-16", "meeting_cancelled", {"meeting": "a"}))
    assert [(g[0]) for g in outcomes(rules, case, "2022-03-01")] == ["withdrawn", "due"]
    closed = make_case(("2022-02-15", "cin_meeting", {"meeting": "a"}),
                       ("2022-02-15", "cin_meeting", {"meeting": "b"}),
                       ("2022-02-16", "case_closed"))
    assert [g[0] for g in outcomes(rules, closed, "2022-03-01")] == ["withdrawn", "withdrawn"]


def test_lists_of_types_mean_any_of_them():
    rules = make_rules(dict(MINUTES, trigger=["cin_meeting", "core_group"], expect=["minutes_sent", "minutes_emailed"]))
    case = make_case(("2022-02-15", "core_group"), ("2022-02-16", "minutes_emailed"),
                     ("2022-02-17", "cin_meeting"))
    assert [g[0] for g in outcomes(rules, case, "2022-03-01")] == ["met", "due"]


def test_an_event_both_expect_and_trigger_closes_the_last_and_opens_the_next():
    rule = dict(id="NEXT", kind="response", trigger="cin_meeting", expect="cin_meeting", within="4 weeks")
    case = make_case(("2021-08-02", "cin_meeting"), ("2021-08-30", "cin_meeting"), ("2021-10-04", "cin_meeting"))
    assert outcomes(make_rules(rule), case, "2021-10-05") == [
        ("met", "2021-08-02", "2021-08-30", "2021-08-30", 0, 0),
        ("late", "2021-08-30", "2021-09-27", "2021-10-04", 7, 5),
        ("due", "2021-10-04", "2021-11-01", None, 0, 0)]


def test_where_limits_which_triggers_open_an_obligation():
    rule = dict(id="REMEDY", kind="response", trigger="ombudsman_decision", expect="remedy_completed",
                within="1 month", where={"remedy_within": "1 month"})
    rules = make_rules(rule)
    other = make_case(("2018-02-12", "ombudsman_decision", {"remedy_within": "4 weeks"}))
    assert outcomes(rules, other, "2019-01-01") == []
    this = make_case(("2018-02-12", "ombudsman_decision", {"remedy_within": "1 month"}))
    assert outcomes(rules, this, "2019-01-01")[0][:3] == ("missing", "2018-02-12", "2018-03-12")


def test_missing_is_counted_to_the_as_at_date():
    case = make_case(("2022-02-15", "cin_meeting"))
    assert outcomes(make_rules(MINUTES), case, "2022-04-12") == [
        ("missing", "2022-02-15", "2022-03-08", None, 35, 25)]


def test_a_warning_rule_keeps_its_status():
    from casecheck.replay import check
    from conftest import D
    rules = make_rules(dict(MINUTES, severity="warning"))
    [f] = check([make_case(("2022-02-15", "cin_meeting"))], rules, D("2022-04-12"))
    assert (f.status, f.severity, f.is_breach) == ("missing", "warning", True)


def test_optional_judges_only_the_timing_of_an_event_that_happens():
    # LGA 1974 s26B style: nobody has to complain to the Ombudsman, but a complaint must come
    # within 12 months beginning with notice.
    rule = dict(id="S26B", kind="response", trigger="complaint_received", expect="ombudsman_complaint",
                within="12 months", counting="beginning_with", optional=True)
    rules = make_rules(rule)
    assert outcomes(rules, make_case(("2022-05-16", "complaint_received")), "2025-01-01") == []
    assert outcomes(rules, make_case(("2022-05-16", "complaint_received"), ("2023-05-15", "ombudsman_complaint")),
                    "2025-01-01")[0][:4] == ("met", "2022-05-16", "2023-05-15", "2023-05-15")
    assert outcomes(rules, make_case(("2022-05-16", "complaint_received"), ("2023-05-16", "ombudsman_complaint")),
                    "2025-01-01")[0][0] == "late"


def test_breaches_only_builds_just_the_breaches_and_the_same_ones():
    from casecheck.replay import Replayer
    from conftest import D
    rules = make_rules(MINUTES, dict(MINUTES, id="MIN2", within="2 working days"))
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-02-18", "minutes_sent"), ("2022-03-01", "cin_meeting"))
    every = Replayer(rules).check_case(case, D("2022-04-01"))
    only = Replayer(rules).check_case(case, D("2022-04-01"), breaches_only=True)
    assert sorted(f.status for f in every) == ["late", "met", "missing", "missing"]
    assert [(f.rule.id, f.status, f.due) for f in only] == [(f.rule.id, f.status, f.due) for f in every if f.is_breach]
