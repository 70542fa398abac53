"""SPEC §2, Extensions ('extend: {by, to}') on 'response' and 'max_duration' rules."""

import pytest
from conftest import D, make_case, make_rules, outcomes

from casecheck.replay import check
from casecheck.rules.load import ruleset_from_data

# The statutory complaints procedure: 25 working days, or where that is not possible up to 65.
STAGE2 = dict(id="S2", kind="response", trigger="stage2_received", expect="stage2_response",
              within="25 working days", extend={"by": "stage2_extended", "to": "65 working days"})
# Mon 8 Jan 2024 + 25 working days = Mon 12 Feb; + 65 working days = Wed 10 Apr (13 weeks, then
# Good Friday 29 Mar and Easter Monday 1 Apr).


def _one(rules, case, as_at):
    [f] = check([case], rules, D(as_at))
    return f


def test_an_extension_dated_on_the_due_date_extends_to_the_cap():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-02-12", "stage2_extended"),
                     ("2024-03-01", "stage2_response"))
    f = _one(make_rules(STAGE2), case, "2024-06-01")
    assert (f.status, str(f.due), f.days_late) == ("met", "2024-04-10", 0)
    assert (f.extension.type, str(f.extension.date)) == ("stage2_extended", "2024-02-12")


def test_an_extension_one_day_after_the_due_date_extends_nothing():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-02-13", "stage2_extended"),
                     ("2024-03-01", "stage2_response"))
    f = _one(make_rules(STAGE2), case, "2024-06-01")
    # late from Mon 12 Feb to Fri 1 Mar: 18 days, 14 working days
    assert (f.status, str(f.due), f.days_late, f.working_days_late, f.extension) == ("late", "2024-02-12", 18, 14, None)


def test_the_due_attribute_sets_the_new_due_date():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-02-01", "stage2_extended", {"due": "2024-03-15"}),
                     ("2024-03-18", "stage2_response"))
    assert outcomes(make_rules(STAGE2), case, "2024-06-01") == [("late", "2024-01-08", "2024-03-15", "2024-03-18", 3, 1)]


def test_a_due_attribute_beyond_the_cap_is_held_to_the_cap():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-02-01", "stage2_extended", {"due": "2024-06-01"}),
                     ("2024-04-11", "stage2_response"))
    assert outcomes(make_rules(STAGE2), case, "2024-06-01") == [("late", "2024-01-08", "2024-04-10", "2024-04-11", 1, 1)]


def test_a_due_attribute_before_the_old_due_date_keeps_the_old_due_date():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-02-01", "stage2_extended", {"due": "2024-01-20"}),
                     ("2024-02-12", "stage2_response"))
    assert outcomes(make_rules(STAGE2), case, "2024-06-01") == [("met", "2024-01-08", "2024-02-12", "2024-02-12", 0, 0)]


def test_a_due_attribute_that_is_not_a_date_extends_to_the_cap():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-02-01", "stage2_extended", {"due": "next month"}))
    assert outcomes(make_rules(STAGE2), case, "2024-03-01") == [("due", "2024-01-08", "2024-04-10", None, 0, 0)]


def test_an_extended_deadline_still_open_is_missing_from_the_new_due_date():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-01-20", "stage2_extended"))
    f = _one(make_rules(STAGE2), case, "2024-05-01")
    assert (f.status, str(f.due), f.days_late) == ("missing", "2024-04-10", 21)
    assert f.extension is not None


def test_an_extension_only_extends_the_obligations_it_agrees_with():
    rules = make_rules(dict(STAGE2, match=["complaint"]))
    case = make_case(("2024-01-08", "stage2_received", {"complaint": "a"}),
                     ("2024-01-08", "stage2_received", {"complaint": "b"}),
                     ("2024-02-01", "stage2_extended", {"complaint": "a"}))
    got = {f.trigger.attrs["complaint"]: str(f.due) for f in check([case], rules, D("2024-02-05"))}
    assert got == {"a": "2024-04-10", "b": "2024-02-12"}


def test_an_extension_after_the_obligation_closed_changes_nothing():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-03-01", "stage2_response"),
                     ("2024-03-02", "stage2_extended"), ("2024-03-03", "stage2_received"))
    got = check([case], make_rules(STAGE2), D("2024-03-05"))
    assert [(f.status, str(f.due), f.extension) for f in got] == [("late", "2024-02-12", None), ("due", "2024-04-09", None)]


def test_an_event_that_extends_and_triggers_extends_the_open_one_before_opening_the_next():
    rule = dict(STAGE2, trigger=["stage2_received", "stage2_extended"])
    case = make_case(("2024-01-08", "stage2_received"), ("2024-02-01", "stage2_extended"))
    got = check([case], make_rules(rule), D("2024-02-02"))
    assert [(str(f.trigger.date), str(f.due), f.extension is not None) for f in got] == [
        ("2024-02-01", "2024-03-07", False), ("2024-01-08", "2024-04-10", True)]


def test_an_expect_that_is_also_an_extension_answers_first():
    rule = dict(STAGE2, extend={"by": "stage2_response", "to": "65 working days"})
    case = make_case(("2024-01-08", "stage2_received"), ("2024-03-01", "stage2_response"))
    assert outcomes(make_rules(rule), case, "2024-06-01")[0][0] == "late"


def test_a_second_extension_can_move_the_due_date_on_up_to_the_cap():
    case = make_case(("2024-01-08", "stage2_received"), ("2024-02-01", "stage2_extended", {"due": "2024-03-01"}),
                     ("2024-02-28", "stage2_extended", {"due": "2024-03-20"}), ("2024-03-19", "stage2_response"))
    f = _one(make_rules(STAGE2), case, "2024-06-01")
    assert (f.status, str(f.due), str(f.extension.date)) == ("met", "2024-03-20", "2024-02-28")


PLAN = dict(id="PLAN", kind="max_duration", limit="9 months", extend={"by": "plan_extension_agreed", "to": "12 months"},
            **{"from": "cin_plan_started", "until": "cin_plan_ended"})


def test_max_duration_extension_on_or_before_the_limit_moves_it():
    case = make_case(("2024-01-01", "cin_plan_started"), ("2024-10-01", "plan_extension_agreed"),
                     ("2024-12-01", "cin_plan_ended"))
    f = _one(make_rules(PLAN), case, "2025-06-01")
    assert (f.status, str(f.due), str(f.extension.date)) == ("met", "2025-01-01", "2024-10-01")


def test_max_duration_extension_after_the_limit_extends_nothing():
    case = make_case(("2024-01-01", "cin_plan_started"), ("2024-10-02", "plan_extension_agreed"),
                     ("2024-12-01", "cin_plan_ended"))
    assert outcomes(make_rules(PLAN), case, "2025-06-01") == [("exceeded", "2024-01-01", "2024-10-01", "2024-12-01", 61, 43)]


def test_max_duration_extension_belongs_to_its_period():
    case = make_case(("2024-01-01", "cin_plan_started"), ("2024-02-01", "plan_extension_agreed"),
                     ("2024-03-01", "cin_plan_ended"), ("2024-04-01", "cin_plan_started"))
    got = check([case], make_rules(PLAN), D("2024-05-01"))
    assert [(str(f.due), f.extension is not None) for f in got] == [("2025-01-01", True), ("2025-01-01", False)]


def _errors(rule):
    rules, errors = ruleset_from_data({"ruleset": "t", "rules": [rule]}, "rules.yaml")
    assert not rules
    return [str(e) for e in errors]


@pytest.mark.parametrize("extend, message", [
    ({"by": "stage2_extended", "to": "20 working days"}, "'extend.to' (20 working days) must be longer than 'within' (25 working days)"),
    ({"by": "stage2_extended", "to": "25 working days"}, "must be longer than 'within'"),
    ({"by": "stage2_extended", "to": "4 weeks"}, "'extend.to' (4 weeks) must be longer than 'within'"),
    ({"by": "stage2_extended"}, "'extend' needs 'to'"),
    ({"to": "65 working days"}, "'extend' needs 'by'"),
    ({"by": "Stage2 Extended", "to": "65 working days"}, "'extend.by': event type must be lower_snake_case"),
    ({"by": "stage2_extended", "to": "65 working days", "upto": "x"}, "unknown key 'upto'"),
    ({"by": "stage2_extended", "to": "sixty days"}, "'extend.to': expected a duration"),
    ("stage2_extended", "'extend' must be a mapping"),
])
def test_bad_extensions_are_named_with_file_rule_and_field(extend, message):
    [err] = _errors(dict(STAGE2, extend=extend))
    assert err.startswith("rules.yaml") and "rule S2: " in err and message in err


def test_an_extension_in_other_units_is_compared_on_real_dates():
    # 6 weeks is longer than 25 working days from any start; 5 weeks is not always
    assert make_rules(dict(STAGE2, extend={"by": "stage2_extended", "to": "6 weeks"}))
    [err] = _errors(dict(STAGE2, extend={"by": "stage2_extended", "to": "5 weeks"}))
    assert "must be longer than 'within'" in err
    [err] = _errors(dict(PLAN, extend={"by": "x", "to": "270 days"}))  # 9 months is 273 to 276 days
    assert "'extend.to' (270 days) must be longer than 'limit' (9 months)" in err


@pytest.mark.parametrize("kind", ["every", "max_total"])
def test_extend_is_refused_on_kinds_without_a_single_deadline(kind):
    rule = {"every": dict(id="E", kind="every", expect="x", every="3 months", **{"from": "a"}),
            "max_total": dict(id="E", kind="max_total", limit="40 days", window="6 months", **{"from": "a"})}[kind]
    [err] = _errors(dict(rule, extend={"by": "b", "to": "1 year"}))
    assert f"'extend' is not a field of a {kind} rule (extensions apply to response and max_duration rules)" in err


EXAMPLES = """\
ruleset: complaints
rules:
  - id: STAGE2
    kind: response
    trigger: stage2_received
    expect: stage2_response
    within: 25 working days
    extend: {by: stage2_extended, to: 65 working days}
    paused_by: awaiting_complainant
    resumed_by: complainant_replied
    examples:
      - name: extended on the due date, answered in time
        events:
          - {date: 2024-01-08, type: stage2_received}
          - {date: 2024-02-12, type: stage2_extended}
          - {date: 2024-03-01, type: stage2_response}
        expect:
          - {status: met, due: 2024-04-10, extension: 2024-02-12, clock_stops: []}
      - name: waiting for the complainant
        as_at: 2024-03-01
        events:
          - {date: 2024-01-08, type: stage2_received}
          - {date: 2024-01-10, type: awaiting_complainant}
        expect:
          - {status: due, extension: null, clock_stops: [{from: 2024-01-10, until: null}]}
"""


def test_rule_examples_can_state_extensions_and_clock_stops(write):
    from casecheck.replay.examples import run_examples
    from casecheck.rules.load import load_rules
    rules, errors = load_rules([write("r.yaml", EXAMPLES)])
    assert errors == []
    assert [(r.name, r.passed) for r in run_examples(rules)] == [
        ("extended on the due date, answered in time", True), ("waiting for the complainant", True)]
    wrong = EXAMPLES.replace("extension: 2024-02-12", "extension: 2024-02-13").replace("until: null", "until: 2024-02-01")
    assert [r.passed for r in run_examples(load_rules([write("w.yaml", wrong)])[0])] == [False, False]
    bad = EXAMPLES.replace("clock_stops: []", "clock_stops: [2024-01-10]")
    [first, _] = run_examples(load_rules([write("b.yaml", bad)])[0])
    assert "'clock_stops': expected a list like [{from: 2024-05-03, until: 2024-05-08}]" in first.error


def test_rules_explain_words_extensions_and_clock_stops(write):
    from click.testing import CliRunner
    from casecheck.cli import main
    r = CliRunner().invoke(main, ["rules", "explain", "STAGE2", "--rules", write("r.yaml", EXAMPLES)])
    assert r.exit_code == 0
    assert ("A 'stage2_extended' event on or before the due date extends it, once or more, to at most the 65th "
            "working day after the trigger") in r.stdout
    assert "if the event carries a 'due' date, to that date instead (never past that cap" in r.stdout
    assert ("A 'awaiting_complainant' event on or before the due date stops the clock and a 'complainant_replied' "
            "event starts it again; the due date moves later by the working days it was stopped.") in r.stdout
    listed = CliRunner().invoke(main, ["rules", "list", "--rules", write("r.yaml", EXAMPLES)])
    assert "response, 25 working days (extendable to 65 working days)" in listed.stdout


def test_the_readme_worked_example_extension_stop_and_holder():
    rule = dict(id="STAGE2-25WD", kind="response", trigger="stage2_requested", expect="stage2_response",
                within="25 working days", extend={"by": "stage2_extended", "to": "65 working days"},
                paused_by="awaiting_complainant", resumed_by="complainant_replied")
    case = make_case(("2024-01-08", "worker_allocated", {"worker": "W-Amber"}), ("2024-01-08", "stage2_requested"),
                     ("2024-02-01", "stage2_extended", {"due": "2024-03-15"}), ("2024-02-19", "awaiting_complainant"),
                     ("2024-02-26", "complainant_replied"), ("2024-03-11", "worker_allocated", {"worker": "W-Blue"}),
                     ("2024-03-25", "stage2_response"), team="Complaints")
    f = _one(make_rules(rule), case, "2024-06-01")
    assert (f.status, str(f.due), f.days_late, f.working_days_late, f.worker, f.team) == (
        "late", "2024-03-22", 3, 1, "W-Blue", "Complaints")
    assert str(f.extension.date) == "2024-02-01" and [s.as_dict() for s in f.clock_stops] == [
        {"from": "2024-02-19", "until": "2024-02-26"}]
