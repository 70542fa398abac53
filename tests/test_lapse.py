"""SPEC §2, `response`: an `unless` event after the due date closes an open obligation `missing`
at its own date (the duty lapsed undone), instead of leaving it overdue for ever."""

from conftest import D, make_case, make_rules, outcomes

from casecheck.replay import check

MINUTES = dict(id="MIN", kind="response", trigger="cin_meeting", expect="minutes_sent", within="15 working days",
               match=["meeting"], unless=["meeting_cancelled", "case_closed"])


def test_an_unless_one_day_after_the_due_date_lapses_the_duty_at_its_date():
    # 15 Feb 2022 + 15 working days = 8 Mar; the case closed on 9 Mar with the minutes never sent.
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "m1"}), ("2022-03-09", "case_closed"))
    assert outcomes(make_rules(MINUTES), case, "2024-10-14") == [
        ("missing", "2022-02-15", "2022-03-08", "2022-03-09", 1, 1)]


def test_the_lapsing_event_is_the_evidence_and_lateness_stops_growing():
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "m1"}), ("2022-04-08", "case_closed"))
    for as_at in ("2022-05-01", "2025-01-01"):
        [f] = check([case], make_rules(MINUTES), D(as_at))
        assert (f.status, f.actual.type, str(f.actual.date), f.days_late) == ("missing", "case_closed", "2022-04-08", 31)


def test_an_unless_on_the_due_date_still_withdraws():
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "m1"}), ("2022-03-08", "case_closed"))
    assert outcomes(make_rules(MINUTES), case, "2024-10-14") == [
        ("withdrawn", "2022-02-15", "2022-03-08", "2022-03-08", 0, 0)]


def test_a_lapsed_duty_is_not_answered_again_by_a_later_expect():
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "m1"}), ("2022-03-09", "case_closed"),
                     ("2022-03-10", "minutes_sent", {"meeting": "m1"}))
    assert outcomes(make_rules(MINUTES), case, "2024-10-14") == [
        ("missing", "2022-02-15", "2022-03-08", "2022-03-09", 1, 1)]


def test_a_lapse_agrees_on_the_match_attributes_the_unless_event_carries():
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "m1"}), ("2022-02-16", "cin_meeting", {"meeting": "m2"}),
                     ("2022-03-10", "meeting_cancelled", {"meeting": "m2"}))
    got = outcomes(make_rules(MINUTES), case, "2022-03-20")
    # m1 is still open and overdue at the as-at date; m2 lapsed when its cancellation came late.
    assert got == [("missing", "2022-02-15", "2022-03-08", None, 12, 8),
                   ("missing", "2022-02-16", "2022-03-09", "2022-03-10", 1, 1)]


def test_an_unless_after_the_obligation_closed_changes_nothing():
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "m1"}), ("2022-03-01", "minutes_sent", {"meeting": "m1"}),
                     ("2022-04-01", "case_closed"))
    assert outcomes(make_rules(MINUTES), case, "2024-10-14") == [
        ("met", "2022-02-15", "2022-03-08", "2022-03-01", 0, 0)]


def test_an_optional_duty_that_lapses_reports_nothing():
    # optional: the expected event may never come, so only its timing is judged, never its absence.
    rules = make_rules(dict(MINUTES, optional=True))
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "m1"}), ("2022-04-01", "case_closed"))
    assert outcomes(rules, case, "2024-10-14") == []


def test_a_case_with_no_unless_event_stays_missing_to_the_as_at_date():
    case = make_case(("2022-02-15", "cin_meeting", {"meeting": "m1"}))
    assert outcomes(make_rules(MINUTES), case, "2022-03-10") == [("missing", "2022-02-15", "2022-03-08", None, 2, 2)]


def test_rules_explain_says_a_late_unless_lapses_the_duty():
    from casecheck.rules.explain import explain
    [rule] = make_rules(MINUTES)
    assert ("event on or before the due date withdraws it; one after the due date, while it is still open, ends it "
            "as missing on that event's date (the duty lapsed undone).") in explain(rule)
