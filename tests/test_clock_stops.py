"""SPEC §2, Clock stops ('paused_by', 'resumed_by') on 'response' rules, calendar and working days."""

import pytest
from conftest import D, make_case, make_rules, outcomes

from casecheck.model import ClockStop
from casecheck.replay import check
from casecheck.rules.load import ruleset_from_data

# Wed 1 May 2024 + 10 working days = Thu 16 May (Mon 6 May is the Early May bank holiday).
COMPLAINT = dict(id="C1", kind="response", trigger="complaint_received", expect="stage1_response",
                 within="10 working days", paused_by="awaiting_complainant", resumed_by="complainant_replied")


def _one(rules, case, as_at):
    [f] = check([case], rules, D(as_at))
    return f


def test_a_stop_in_working_days_across_a_weekend_and_a_bank_holiday():
    # Stopped Fri 3 May to Wed 8 May: Fri 3, Sat 4, Sun 5, Mon 6 (bank holiday), Tue 7 hold two
    # working days (Fri 3 and Tue 7), so the due date moves two working days: Thu 16 -> Mon 20.
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-03", "awaiting_complainant"),
                     ("2024-05-08", "complainant_replied"), ("2024-05-20", "stage1_response"))
    f = _one(make_rules(COMPLAINT), case, "2024-06-01")
    assert (f.status, str(f.due), f.clock_stops) == ("met", "2024-05-20", (ClockStop(D("2024-05-03"), D("2024-05-08")),))
    late = make_case(*[(str(e.date), e.type) for e in case.events[:3]], ("2024-05-21", "stage1_response"))
    assert outcomes(make_rules(COMPLAINT), late, "2024-06-01") == [("late", "2024-05-01", "2024-05-20", "2024-05-21", 1, 1)]


def test_a_stop_in_calendar_days_moves_the_due_date_by_its_length():
    rules = make_rules(dict(COMPLAINT, within="14 days"))
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-03", "awaiting_complainant"),
                     ("2024-05-08", "complainant_replied"))
    assert outcomes(rules, case, "2024-05-21") == [("missing", "2024-05-01", "2024-05-20", None, 1, 1)]


def test_stops_add_up():
    rules = make_rules(dict(COMPLAINT, within="14 days"))
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-03", "awaiting_complainant"),
                     ("2024-05-08", "complainant_replied"), ("2024-05-10", "awaiting_complainant"),
                     ("2024-05-13", "complainant_replied"))
    f = _one(rules, case, "2024-05-22")
    assert (str(f.due), len(f.clock_stops)) == ("2024-05-23", 2)  # 15 May + 5 + 3 days


def test_a_stop_and_restart_on_one_day_moves_nothing():
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-03", "awaiting_complainant"),
                     ("2024-05-03", "complainant_replied"))
    f = _one(make_rules(COMPLAINT), case, "2024-05-10")
    assert (str(f.due), f.clock_stops) == ("2024-05-16", (ClockStop(D("2024-05-03"), D("2024-05-03")),))


def test_an_obligation_opened_while_the_clock_is_stopped_begins_stopped_from_its_trigger():
    # Stopped from its own trigger (Wed 1 May) to Wed 8 May: Wed 1, Thu 2, Fri 3 and Tue 7 are
    # working days, so Thu 16 May moves four working days, to Wed 22 May.
    case = make_case(("2024-04-29", "awaiting_complainant"), ("2024-05-01", "complaint_received"),
                     ("2024-05-08", "complainant_replied"))
    f = _one(make_rules(COMPLAINT), case, "2024-05-20")
    assert (f.status, str(f.due), f.clock_stops) == ("due", "2024-05-22", (ClockStop(D("2024-05-01"), D("2024-05-08")),))


def test_an_obligation_opened_after_the_clock_restarted_runs():
    case = make_case(("2024-04-29", "awaiting_complainant"), ("2024-04-30", "complainant_replied"),
                     ("2024-05-01", "complaint_received"))
    f = _one(make_rules(COMPLAINT), case, "2024-05-10")
    assert (str(f.due), f.clock_stops) == ("2024-05-16", ())


def test_an_event_that_stops_and_triggers_opens_a_stopped_obligation():
    rules = make_rules(dict(COMPLAINT, trigger=["complaint_received", "awaiting_complainant"]))
    case = make_case(("2024-05-01", "awaiting_complainant"))
    f = _one(rules, case, "2024-07-01")
    assert (f.status, f.clock_stops) == ("due", (ClockStop(D("2024-05-01"), None),))


def test_judged_while_stopped_it_is_never_late_or_missing():
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-10", "awaiting_complainant"))
    f = _one(make_rules(COMPLAINT), case, "2024-09-01")
    assert (f.status, f.days_late, f.clock_stops) == ("due", 0, (ClockStop(D("2024-05-10"), None),))
    assert f.due >= D("2024-09-01")
    answered = make_case(*[(str(e.date), e.type) for e in case.events], ("2024-08-01", "stage1_response"))
    f = _one(make_rules(COMPLAINT), answered, "2024-09-01")
    assert (f.status, f.clock_stops) == ("met", (ClockStop(D("2024-05-10"), None),))


def test_an_unless_while_stopped_withdraws_rather_than_lapses():
    rules = make_rules(dict(COMPLAINT, unless="complaint_withdrawn"))
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-10", "awaiting_complainant"),
                     ("2024-06-30", "complaint_withdrawn"))
    assert outcomes(rules, case, "2024-09-01")[0][0] == "withdrawn"


def test_a_pause_after_the_due_date_stops_nothing():
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-17", "awaiting_complainant"),
                     ("2024-05-24", "complainant_replied"), ("2024-05-20", "stage1_response"))
    f = _one(make_rules(COMPLAINT), case, "2024-06-01")
    assert (f.status, str(f.due), f.clock_stops) == ("late", "2024-05-16", ())


def test_a_resume_with_no_stop_does_nothing():
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-03", "complainant_replied"))
    assert outcomes(make_rules(COMPLAINT), case, "2024-05-10") == [("due", "2024-05-01", "2024-05-16", None, 0, 0)]


def test_stops_agree_on_the_match_attributes_they_carry():
    rules = make_rules(dict(COMPLAINT, match=["complaint"]))
    case = make_case(("2024-05-01", "complaint_received", {"complaint": "a"}),
                     ("2024-05-01", "complaint_received", {"complaint": "b"}),
                     ("2024-05-03", "awaiting_complainant", {"complaint": "a"}),
                     ("2024-05-08", "complainant_replied"))  # carries no 'complaint': restarts all
    got = {f.trigger.attrs["complaint"]: str(f.due) for f in check([case], rules, D("2024-05-10"))}
    assert got == {"a": "2024-05-20", "b": "2024-05-16"}


def test_an_extension_replaces_the_due_date_that_stops_then_move():
    # 1 May + 20 working days = Fri 31 May (27 May bank holiday); the stop holds two working days: Tue 4 Jun.
    rules = make_rules(dict(COMPLAINT, extend={"by": "extended", "to": "20 working days"}))
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-03", "awaiting_complainant"),
                     ("2024-05-08", "complainant_replied"), ("2024-05-17", "extended"))
    f = _one(rules, case, "2024-05-21")
    assert (f.status, str(f.due), f.extension.type) == ("due", "2024-06-04", "extended")


def test_an_extension_while_stopped_counts_the_stop_to_its_date():
    # Due 16 May; stopped since 10 May; the extension on 20 May is on time because the stop
    # counted to 20 May moves the due date past it.
    rules = make_rules(dict(COMPLAINT, extend={"by": "extended", "to": "20 working days"}))
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-10", "awaiting_complainant"),
                     ("2024-05-20", "extended"), ("2024-05-21", "complainant_replied"))
    f = _one(rules, case, "2024-05-22")
    # 31 May moved by the working days 10, 13-17 and 20 May (7): Tue 11 Jun.
    assert (str(f.due), f.extension is not None) == ("2024-06-11", True)


def _errors(rule):
    rules, errors = ruleset_from_data({"ruleset": "t", "rules": [rule]}, "rules.yaml")
    assert not rules
    return [str(e) for e in errors]


def test_paused_by_needs_resumed_by_and_the_reverse():
    [err] = _errors({k: v for k, v in COMPLAINT.items() if k != "resumed_by"})
    assert "rule C1: 'paused_by' needs 'resumed_by' too" in err
    [err] = _errors({k: v for k, v in COMPLAINT.items() if k != "paused_by"})
    assert "rule C1: 'resumed_by' needs 'paused_by' too" in err


def test_one_type_cannot_both_stop_and_restart_the_clock():
    [err] = _errors(dict(COMPLAINT, resumed_by=["complainant_replied", "awaiting_complainant"]))
    assert "awaiting_complainant is in both 'paused_by' and 'resumed_by'" in err


@pytest.mark.parametrize("field", ["paused_by", "resumed_by"])
def test_clock_stops_are_refused_on_other_kinds(field):
    rule = dict(id="P", kind="max_duration", limit="9 months", **{"from": "a", "until": "b", field: "x"})
    [err] = _errors(rule)
    assert f"'{field}' is not a field of a max_duration rule (clock stops apply to response rules)" in err


def test_bad_event_types_in_clock_stops_are_named():
    [err] = _errors(dict(COMPLAINT, paused_by="Awaiting Complainant"))
    assert "'paused_by': event type must be lower_snake_case" in err


def test_lint_names_unknown_types_in_the_new_fields():
    from casecheck.rules.lint import lint_rules
    rules = make_rules(dict(COMPLAINT, cite="reg 14", title="Stage 1", paused_by="awaiting_complainnt",
                            extend={"by": "stage1_extnded", "to": "20 working days"}))
    messages = [w.message for w in lint_rules(rules)]
    assert any("'paused_by' names an unknown event type 'awaiting_complainnt'" in m for m in messages)
    assert any("'extend.by' names an unknown event type 'stage1_extnded'" in m for m in messages)


def test_order_of_parts_expect_before_pause_and_pause_before_trigger():
    # One event type that answers, stops the clock and opens the next: the answer comes first (the
    # answered obligation is not stopped), the stop next, and the new obligation starts stopped.
    rules = make_rules(dict(COMPLAINT, expect="stage1_response", trigger=["complaint_received", "stage1_response"],
                            paused_by="stage1_response", resumed_by="complainant_replied"))
    case = make_case(("2024-05-01", "complaint_received"), ("2024-05-10", "stage1_response"))
    got = check([case], rules, D("2024-09-01"))
    assert [(f.status, str(f.trigger.date), f.clock_stops) for f in got] == [
        ("met", "2024-05-01", ()), ("due", "2024-05-10", (ClockStop(D("2024-05-10"), None),))]


def test_order_of_parts_unless_before_extension():
    rules = make_rules(dict(COMPLAINT, unless="complaint_withdrawn",
                            extend={"by": ["complaint_withdrawn", "extended"], "to": "20 working days"}))
    withdrawn = make_case(("2024-05-01", "complaint_received"), ("2024-05-10", "complaint_withdrawn"))
    [f] = check([withdrawn], rules, D("2024-09-01"))
    assert (f.status, f.extension) == ("withdrawn", None)  # withdrawn first: nothing left to extend
