"""SPEC §2, kind `every`: a recurring obligation while a period is open."""

from conftest import make_case, make_rules, outcomes

SUMMARY = dict(id="SUM", kind="every", expect="case_summary", every="3 months",
               **{"from": "case_opened", "until": "case_closed"})


def test_windows_chain_from_the_start_and_each_expect():
    case = make_case(("2022-01-10", "case_opened"), ("2022-04-01", "case_summary"), ("2022-07-01", "case_summary"))
    assert outcomes(make_rules(SUMMARY), case, "2022-08-01") == [
        ("met", "2022-01-10", "2022-04-10", "2022-04-01", 0, 0),
        ("met", "2022-04-01", "2022-07-01", "2022-07-01", 0, 0),
        ("due", "2022-07-01", "2022-10-01", None, 0, 0)]


def test_late_window_re_anchors_on_the_late_event():
    case = make_case(("2022-01-10", "case_opened"), ("2022-05-10", "case_summary"))
    # Due 10 Apr (Sun); 10 May is 30 days; working days 11 Apr-10 May less Good Fri 15, Easter Mon
    # 18 Apr and Early May 2 May: 22 weekdays - 3 = 19... counted: 11-14 (4), 19-22 (8), 25-29 (13),
    # 3-6 May (17), 9-10 (19).
    assert outcomes(make_rules(SUMMARY), case, "2022-06-01") == [
        ("late", "2022-01-10", "2022-04-10", "2022-05-10", 30, 19),
        ("due", "2022-05-10", "2022-08-10", None, 0, 0)]


def test_missing_while_the_period_is_still_open():
    case = make_case(("2022-01-10", "case_opened"))
    assert outcomes(make_rules(SUMMARY), case, "2022-04-11")[0][:3] == ("missing", "2022-01-10", "2022-04-10")
    assert outcomes(make_rules(SUMMARY), case, "2022-04-10")[0][0] == "due"


def test_first_window_may_differ():
    rule = dict(SUMMARY, first="20 working days", every="6 months")
    case = make_case(("2022-01-10", "case_opened"), ("2022-02-07", "case_summary"))
    # 10 Jan + 20 working days = Mon 7 Feb 2022; the next window is 6 months from 7 Feb.
    assert outcomes(make_rules(rule), case, "2022-03-01") == [
        ("met", "2022-01-10", "2022-02-07", "2022-02-07", 0, 0),
        ("due", "2022-02-07", "2022-08-07", None, 0, 0)]


def test_period_closed_before_the_window_fell_due_reports_nothing_for_it():
    case = make_case(("2022-01-10", "case_opened"), ("2022-03-01", "case_closed"))
    assert outcomes(make_rules(SUMMARY), case, "2024-01-01") == []


def test_period_closed_on_the_due_date_reports_nothing_for_it():
    case = make_case(("2022-01-10", "case_opened"), ("2022-04-10", "case_closed"))
    assert outcomes(make_rules(SUMMARY), case, "2024-01-01") == []


def test_period_closed_after_the_due_date_is_missing_to_the_closing_date():
    case = make_case(("2022-01-10", "case_opened"), ("2022-04-12", "case_closed"))
    # Due Sun 10 Apr; closed Tue 12 Apr: 2 days, 2 working days (11, 12).
    assert outcomes(make_rules(SUMMARY), case, "2024-01-01") == [
        ("missing", "2022-01-10", "2022-04-10", "2022-04-12", 2, 2)]


def test_periods_close_and_reopen():
    case = make_case(("2022-01-10", "case_opened"), ("2022-03-01", "case_summary"), ("2022-04-01", "case_closed"),
                     ("2022-09-01", "case_summary"),  # outside any period: ignored
                     ("2023-01-05", "case_opened"), ("2023-06-01", "case_closed"))
    # After Wed 5 Apr to Thu 1 Jun 2023: 6 Apr (1), 11-14 (5), 17-28 (15), 2-5 May (19), 9-12 (23),
    # 15-26 (33), 30 May-1 Jun (36); Good Fri, Easter Mon, 1 May, 8 May (coronation), 29 May off.
    assert outcomes(make_rules(SUMMARY), case, "2024-01-01") == [
        ("met", "2022-01-10", "2022-04-10", "2022-03-01", 0, 0),
        ("missing", "2023-01-05", "2023-04-05", "2023-06-01", 57, 36)]


def test_from_is_ignored_while_a_period_is_open_and_until_while_none_is():
    case = make_case(("2022-01-05", "case_closed"), ("2022-01-10", "case_opened"), ("2022-02-10", "case_opened"))
    # The second opening does not restart the clock: still due 10 Apr from 10 Jan.
    assert outcomes(make_rules(SUMMARY), case, "2022-03-01") == [("due", "2022-01-10", "2022-04-10", None, 0, 0)]


def test_an_every_rule_without_until_stays_open():
    rule = {k: v for k, v in SUMMARY.items() if k != "until"}
    case = make_case(("2022-01-10", "case_opened"), ("2022-02-01", "case_closed"))
    assert outcomes(make_rules(rule), case, "2022-05-01")[0][0] == "missing"


def test_same_day_open_and_expect_follow_file_order():
    rules = make_rules(SUMMARY)
    after = make_case(("2022-01-10", "case_opened"), ("2022-01-10", "case_summary"))
    assert [g[0] for g in outcomes(rules, after, "2022-02-01")] == ["met", "due"]
    before = make_case(("2022-01-10", "case_summary"), ("2022-01-10", "case_opened"))
    assert [g[0] for g in outcomes(rules, before, "2022-02-01")] == ["due"]
