"""Rules right in the circumstances the law names: stage 2 from the request, a review sought lifting
a temporary approval's cap, an initial health assessment done before care, health reviews by date
of birth, emergency protection orders counted "beginning with" the day made (or the day police
protection began), and return interviews the child declines."""

import datetime as dt
import json

import yaml

from click.testing import CliRunner

from casecheck.inputs import bundled
from casecheck.replay import check
from casecheck.rules.load import load_rules
from casecheck.cli import main
from conftest import D, make_case, make_rules

_BUNDLED = None


def _rules(*ids):
    global _BUNDLED
    if _BUNDLED is None:
        _BUNDLED, errors = load_rules([str(bundled.rules_dir())])
        assert errors == [], [str(e) for e in errors]
    return [r for r in _BUNDLED if r.id in ids]


def _found(rule_id, case, as_at):
    return [(f.status, str(f.trigger.date), str(f.due), f.days_late, f.working_days_late, f.note)
            for f in check([case], _rules(rule_id), D(as_at))]


# --- stage 2 -------------------------------------------------------------------------------------

def test_stage_2_counts_from_the_request():
    case = make_case(("2024-06-03", "stage2_requested", {"complaint": "c1"}),
                     ("2024-06-24", "stage2_started", {"complaint": "c1"}),
                     ("2024-07-19", "stage2_response", {"complaint": "c1"}))
    assert _found("REP-S2-25WD", case, "2025-06-30") == [("late", "2024-06-03", "2024-07-08", 11, 9, None)]


def test_stage_2_extended_runs_to_65_working_days_from_the_request():
    case = make_case(("2024-06-03", "stage2_requested", {"complaint": "c1"}),
                     ("2024-06-20", "stage2_extended", {"complaint": "c1"}),
                     ("2024-09-04", "stage2_response", {"complaint": "c1"}))
    assert _found("REP-S2-25WD", case, "2025-06-30") == [("late", "2024-06-03", "2024-09-03", 1, 1, None)]


def test_stage_2_with_only_its_start_recorded_counts_from_the_start_and_says_so():
    case = make_case(("2024-06-24", "stage2_started", {"complaint": "c1"}),
                     ("2024-07-19", "stage2_response", {"complaint": "c1"}))
    [(status, trigger, due, _, _, note)] = _found("REP-S2-25WD", case, "2025-06-30")
    assert (status, trigger, due) == ("met", "2024-06-24", "2024-07-29")
    assert "stage 2 started" in note and "no stage 2 requested" in note


def test_stage_2_gives_one_finding_per_complaint_however_its_events_are_ordered():
    # the start recorded before the request on the same day: still one finding, from the request
    case = make_case(("2024-06-03", "stage2_started", {"complaint": "c1"}),
                     ("2024-06-03", "stage2_requested", {"complaint": "c1"}),
                     ("2024-06-05", "stage2_requested", {"complaint": "c2"}),
                     ("2024-06-10", "stage2_started", {"complaint": "c2"}))
    found = _found("REP-S2-25WD", case, "2024-06-20")
    assert [(s, t, n) for s, t, _, _, _, n in found] == [("due", "2024-06-03", None), ("due", "2024-06-05", None)]


# --- temporary approval, reg 25(3) ---------------------------------------------------------------

def _approval(*extra):
    return make_case(("2024-07-01", "temporary_approval_started"), *extra)


def test_a_review_sought_lifts_the_approval_cap():
    case = _approval(("2024-09-30", "temporary_approval_review_sought"), ("2025-03-03", "temporary_approval_ended"))
    assert _found("LAC-TEMP-APPROVAL-16W", case, "2025-06-30") == [("met", "2024-07-01", "2025-03-03", 0, 0, None)]


def test_approval_running_after_the_review_outcome_is_exceeded_from_the_outcome():
    case = _approval(("2024-09-30", "temporary_approval_review_sought"),
                     ("2025-02-10", "temporary_approval_review_outcome"), ("2025-03-03", "temporary_approval_ended"))
    assert _found("LAC-TEMP-APPROVAL-16W", case, "2025-06-30") == [
        ("exceeded", "2024-07-01", "2025-02-10", 21, 15, None)]


def test_an_outcome_before_the_16_weeks_end_keeps_the_16_weeks():
    case = _approval(("2024-08-01", "temporary_approval_review_sought"),
                     ("2024-09-01", "temporary_approval_review_outcome"), ("2024-11-01", "temporary_approval_ended"))
    assert _found("LAC-TEMP-APPROVAL-16W", case, "2025-06-30")[0][:3] == ("exceeded", "2024-07-01", "2024-10-21")


def test_a_review_sought_after_the_limit_lifts_nothing():
    case = _approval(("2024-11-01", "temporary_approval_review_sought"), ("2025-03-03", "temporary_approval_ended"))
    assert _found("LAC-TEMP-APPROVAL-16W", case, "2025-06-30") == [
        ("exceeded", "2024-07-01", "2024-10-21", 133, 92, None)]


def test_a_review_sought_inside_an_extension_lifts_the_extended_limit():
    case = _approval(("2024-10-14", "temporary_approval_extended"), ("2024-12-10", "temporary_approval_review_sought"),
                     ("2025-01-20", "temporary_approval_ended"))
    assert _found("LAC-TEMP-APPROVAL-16W", case, "2025-06-30")[0][0] == "met"


# --- initial health assessment, reg 7 -------------------------------------------------------------

def test_a_health_assessment_in_the_3_months_before_care_is_the_initial_one():
    case = make_case(("2024-07-22", "health_assessment"), ("2024-09-02", "became_looked_after"))
    [f] = check([case], _rules("LAC-HEALTH-INITIAL-20WD"), D("2025-06-30"))
    assert (f.status, str(f.actual.date)) == ("met", "2024-07-22")


def test_an_older_health_assessment_is_not_the_initial_one():
    case = make_case(("2024-05-20", "health_assessment"), ("2024-09-02", "became_looked_after"))
    assert _found("LAC-HEALTH-INITIAL-20WD", case, "2024-10-31")[0][0] == "missing"


# --- health reviews by date of birth -------------------------------------------------------------

def _reviews(**attrs):
    return make_case(("2024-09-02", "became_looked_after"), ("2024-09-16", "health_assessment"),
                     ("2025-05-19", "health_assessment"), **attrs)


def test_an_under_5s_health_reviews_are_due_6_monthly():
    found = _found("LAC-HEALTH-REVIEW-12M", _reviews(date_of_birth="2021-03-01"), "2025-06-30")
    assert ("late", "2024-09-16", "2025-03-16", 64, 43, None) in found


def test_a_child_aged_5_or_more_is_reviewed_12_monthly_with_no_note():
    found = _found("LAC-HEALTH-REVIEW-12M", _reviews(date_of_birth="2012-05-01"), "2025-06-30")
    assert [s for s, *_ in found] == ["met", "met", "due"]
    assert all(note is None for *_, note in found)


def test_the_interval_follows_the_age_on_the_windows_anchor():
    # 5 on 1 March 2025: the window anchored on 16 September 2024 is 6 months, the next 12
    case = make_case(("2024-09-02", "became_looked_after"), ("2024-09-16", "health_assessment"),
                     ("2025-03-10", "health_assessment"), date_of_birth="2020-03-01")
    found = _found("LAC-HEALTH-REVIEW-12M", case, "2025-06-30")
    assert [(s, due) for s, _, due, *_ in found] == [("met", "2025-03-16"), ("met", "2025-09-02"),
                                                    ("due", "2026-03-10")]


def test_an_unknown_date_of_birth_is_said_on_the_finding():
    found = _found("LAC-HEALTH-REVIEW-12M", _reviews(), "2025-06-30")
    assert [s for s, *_ in found] == ["met", "met", "due"]
    assert all("date of birth is not known" in note and "under 5" in note for *_, note in found)


def test_a_date_of_birth_that_is_not_a_date_is_checked_as_unknown():
    found = _found("LAC-HEALTH-REVIEW-12M", _reviews(date_of_birth="sometime in 2021"), "2025-06-30")
    assert [s for s, *_ in found] == ["met", "met", "due"]
    assert all("not known" in note for *_, note in found)


_CASE_YAML = """case: C-1
{dob}events:
  - {{date: 2024-09-02, type: became_looked_after}}
  - {{date: 2024-09-16, type: health_assessment}}
  - {{date: 2025-05-19, type: health_assessment}}
"""


def _check(write, dob_line, fmt):
    path = write("c.yaml", _CASE_YAML.format(dob=dob_line))
    return CliRunner().invoke(main, ["check", path, "--as-at", "2025-06-30", "--rules", _CARE_PLANNING, "--all",
                                     "--format", fmt])


_CARE_PLANNING = str(bundled.rules_dir() / "care-planning-2010.yaml")


def _reviews_of(doc):
    return [f for f in doc["findings"] if f["rule"] == "LAC-HEALTH-REVIEW-12M"]


def test_an_unknown_date_of_birth_is_a_note_in_json_and_a_line_in_text(write):
    found = _reviews_of(json.loads(_check(write, "", "json").stdout))
    assert [f["note"] for f in found] == [found[0]["note"]] * 3
    assert "date of birth is not known" in found[0]["note"]
    assert "not known" not in found[0]["title"]
    text = _check(write, "", "text").output
    assert text.count("date of birth is not known") == 3


def test_a_known_date_of_birth_gives_no_note(write):
    doc = json.loads(_check(write, "date_of_birth: 2021-03-01\n", "json").stdout)
    assert all(f["note"] is None for f in doc["findings"])
    assert [f["status"] for f in _reviews_of(doc)] == ["late", "met", "due"]


def test_a_date_of_birth_that_is_not_a_date_is_an_error_naming_file_line_case_and_value(write):
    result = _check(write, "date_of_birth: 31/02/2021\n", "json")
    assert result.exit_code == 2
    doc = json.loads(result.stdout)
    [err] = doc["errors"]
    assert err["line"] == 2 and err["file"].endswith("c.yaml")
    assert "C-1" in err["message"] and "31/02/2021" in err["message"] and "date_of_birth" in err["message"]
    # the case is still checked, as if its date of birth were unknown
    assert [f["status"] for f in _reviews_of(doc)] == ["met", "met", "due"]
    assert all("not known" in f["note"] for f in _reviews_of(doc))


def test_a_bad_date_of_birth_in_a_case_table_names_its_row(write):
    log = write("log.csv", "case,date,type\nC-1,2024-09-02,became_looked_after\nC-1,2024-09-16,health_assessment\n")
    table = write("cases.csv", "case,date_of_birth\nC-1,not a date\n")
    result = CliRunner().invoke(main, ["check", log, table, "--as-at", "2025-06-30",
                                       "--rules", _CARE_PLANNING, "--format", "json"])
    assert result.exit_code == 2
    [err] = json.loads(result.stdout)["errors"]
    assert err["file"].endswith("cases.csv") and err["line"] == 2 and "not a date" in err["message"]


# --- emergency protection orders, s45 -----------------------------------------------------------

def test_an_epo_lasts_8_days_beginning_with_the_day_it_was_made():
    made = ("2024-04-10", "epo_started")
    assert _found("CA89-EPO-8D", make_case(made, ("2024-04-17", "epo_ended")), "2025-01-01")[0][:3] == (
        "met", "2024-04-10", "2024-04-17")
    assert _found("CA89-EPO-8D", make_case(made, ("2024-04-18", "epo_ended")), "2025-01-01")[0][:4] == (
        "exceeded", "2024-04-10", "2024-04-17", 1)


def test_an_epo_made_during_police_protection_counts_from_its_start():
    for pp_end in ("2024-04-10", None):  # ended the day the order was made, or never recorded as ended
        events = [("2024-04-08", "police_protection_started"), ("2024-04-10", "epo_started")]
        if pp_end:
            events.append((pp_end, "police_protection_ended"))
        case = make_case(*events, ("2024-04-16", "epo_ended"))
        assert _found("CA89-EPO-8D", case, "2025-01-01")[0][:4] == ("exceeded", "2024-04-10", "2024-04-15", 1)


def test_police_protection_ended_the_same_day_before_the_order_still_counts():
    case = make_case(("2024-04-08", "police_protection_started"), ("2024-04-10", "police_protection_ended"),
                     ("2024-04-10", "epo_started"), ("2024-04-16", "epo_ended"))
    assert _found("CA89-EPO-8D", case, "2025-01-01")[0][2] == "2024-04-15"


def test_police_protection_ended_on_an_earlier_day_moves_nothing():
    case = make_case(("2024-04-07", "police_protection_started"), ("2024-04-09", "police_protection_ended"),
                     ("2024-04-10", "epo_started"), ("2024-04-16", "epo_ended"))
    assert _found("CA89-EPO-8D", case, "2025-01-01")[0][:3] == ("met", "2024-04-10", "2024-04-17")


# --- return home interviews ----------------------------------------------------------------------

def test_a_declined_return_interview_withdraws_the_duty():
    case = make_case(("2024-03-01", "missing_ended"), ("2024-03-02", "return_interview_declined"))
    assert _found("MISSING-RHI-72H", case, "2025-01-01")[0][0] == "withdrawn"


def test_the_return_interview_rule_says_carried_out_not_offered():
    [rule] = _rules("MISSING-RHI-72H")
    assert "carried out" in rule.title and "offered" not in rule.title


# --- the features, on rules of one's own -----------------------------------------------------------

def test_a_fallback_trigger_is_ignored_once_the_trigger_was_recorded():
    rules = make_rules({"id": "R", "kind": "response", "trigger": "asked", "fallback_trigger": "started",
                        "expect": "answered", "within": "10 days"})
    case = make_case(("2024-01-01", "asked"), ("2024-01-05", "answered"), ("2024-01-08", "started"))
    assert [(f.status, str(f.trigger.date)) for f in check([case], rules, D("2024-06-01"))] == [("met", "2024-01-01")]


# --- the same findings from every input path ---------------------------------------------------------

_EVENTS = [("A", "2024-06-03", "stage2_requested", "c1"), ("A", "2024-06-24", "stage2_started", "c1"),
           ("A", "2024-07-19", "stage2_response", "c1"), ("B", "2024-06-24", "stage2_started", "c2"),
           ("B", "2024-09-02", "became_looked_after", ""), ("B", "2024-09-16", "health_assessment", ""),
           ("B", "2025-05-19", "health_assessment", ""), ("A", "2024-07-22", "health_assessment", ""),
           ("A", "2024-09-02", "became_looked_after", ""), ("A", "2025-05-19", "health_assessment", ""),
           ("A", "2024-07-01", "temporary_approval_started", ""),
           ("A", "2024-09-30", "temporary_approval_review_sought", ""),
           ("A", "2025-02-10", "temporary_approval_review_outcome", ""),
           ("A", "2025-03-03", "temporary_approval_ended", ""), ("B", "2024-04-08", "police_protection_started", ""),
           ("B", "2024-04-10", "epo_started", ""), ("B", "2024-04-16", "epo_ended", ""),
           ("B", "2024-03-01", "missing_ended", ""), ("B", "2024-03-02", "return_interview_declined", "")]


def _run(paths, *extra):
    result = CliRunner().invoke(main, ["check", *paths, "--as-at", "2025-06-30", "--all", "--format", "json", *extra])
    assert result.exit_code in (0, 1), result.output
    return [{k: f[k] for k in ("case", "rule", "status", "trigger", "due", "days_late", "extension", "note")}
            for f in json.loads(result.stdout)["findings"]]


def test_the_new_features_give_the_same_findings_from_yaml_csv_with_a_case_table_and_workers(write):
    docs = [{"case": cid, **attrs, "events": [{"date": d, "type": t, **({"complaint": c} if c else {})}
                                              for k, d, t, c in _EVENTS if k == cid]}
            for cid, attrs in (("A", {"date_of_birth": "2021-03-01"}), ("B", {}))]
    yaml_path = write("cases.yaml", yaml.safe_dump(docs, sort_keys=False))
    log = write("log.csv", "case,date,type,complaint\n" + "".join(f"{k},{d},{t},{c}\n" for k, d, t, c in _EVENTS))
    table = write("cases.csv", "case,date_of_birth\nA,2021-03-01\nB,\n")
    from_yaml = _run([yaml_path])
    assert len(from_yaml) > 8 and any(f["note"] for f in from_yaml)
    assert _run([log, table]) == from_yaml
    assert _run([log, table], "--workers", "2") == from_yaml


# --- lint: an event acting on nothing ------------------------------------------------------------------

def test_an_extension_withdrawal_or_outcome_with_nothing_open_is_a_lint_warning_ignored_by_check(write):
    cases = write("c.csv", "case,date,type,complaint\n"
                           "X,2024-04-10,epo_started,\nX,2024-04-12,epo_ended,\nX,2024-04-14,epo_extended,\n"
                           "X,2024-05-01,complaint_received,c1\nX,2024-05-03,stage1_response,c1\n"
                           "X,2024-05-06,complaint_withdrawn,c1\n"
                           "X,2024-06-01,temporary_approval_started,\nX,2024-06-10,temporary_approval_review_outcome,\n"
                           "X,2024-06-20,temporary_approval_ended,\n")
    protection = str(bundled.rules_dir())
    lint = CliRunner().invoke(main, ["rules", "lint", cases, "--rules", protection])
    warned = [line for line in lint.stdout.splitlines() if "nothing open to act on" in line]
    assert [w.split(": ", 2)[1].split(":")[-1] for w in warned] == ["4", "7", "9"]  # each event's line
    assert "epo_extended on 2024-04-14" in warned[0] and "CA89-EPO-8D" in warned[0]
    assert "complaint_withdrawn on 2024-05-06" in warned[1]
    assert "temporary_approval_review_outcome on 2024-06-10" in warned[2]
    checked = CliRunner().invoke(main, ["check", cases, "--rules", protection, "--as-at", "2025-01-01",
                                        "--format", "json"])
    doc = json.loads(checked.stdout)
    assert doc["errors"] == [] and not any("nothing open" in w["message"] for w in doc["warnings"])


def test_an_extension_acting_on_an_open_period_is_not_warned_about(write):
    cases = write("c.csv", "case,date,type\nX,2024-04-10,epo_started\nX,2024-04-12,epo_extended\n"
                           "X,2024-04-20,epo_ended\n")
    lint = CliRunner().invoke(main, ["rules", "lint", cases, "--rules", str(bundled.rules_dir())])
    assert "nothing open" not in lint.stdout and lint.exit_code == 0


# --- SI 2020/445's relevant period, 24 April to 25 September 2020 ----------------------------------------

def test_a_looked_after_review_due_in_the_2020_relevant_period_is_not_judged_but_2021_lateness_is():
    case = make_case(("2019-09-02", "became_looked_after"), ("2019-09-25", "lac_review"), ("2019-11-25", "lac_review"),
                     ("2020-08-12", "lac_review"), ("2021-03-12", "lac_review"))
    found = _found("LAC-REVIEW-REG33", case, "2021-06-30")
    assert [(s, due) for s, _, due, *_ in found] == [("met", "2019-09-30"), ("met", "2019-12-25"),
                                                    ("late", "2021-02-12"), ("due", "2021-09-12")]


def test_a_visit_due_in_the_2020_relevant_period_is_not_judged():
    case = make_case(("2020-03-16", "placement_started"), ("2020-03-16", "lac_visit"), ("2020-08-03", "lac_visit"),
                     ("2020-12-01", "placement_ended"))
    found = _found("LAC-VISIT", case, "2021-06-30")
    assert [(s, due) for s, _, due, *_ in found] == [("met", "2020-03-23"), ("missing", "2020-09-26")]


def test_a_short_break_begun_in_the_relevant_period_may_run_past_17_days_but_the_75_day_total_still_judges():
    case = make_case(("2020-09-01", "short_break_started"), ("2020-11-30", "short_break_ended"))
    assert _found("LAC-SHORT-BREAK-17D", case, "2021-06-30") == []
    assert _found("LAC-SHORT-BREAK-75D-12M", case, "2021-06-30")[0][0] == "exceeded"


def test_a_saving_keeps_the_relaxation_for_a_review_panel_request_received_in_the_relevant_period():
    saved = make_case(("2020-09-01", "stage3_requested", {"complaint": "c1"}),
                      ("2020-11-30", "panel_meeting", {"complaint": "c1"}))
    assert _found("REP-S3-PANEL-30WD", saved, "2021-06-30") == []
    later = make_case(("2020-09-28", "stage3_requested", {"complaint": "c1"}),
                      ("2020-12-30", "panel_meeting", {"complaint": "c1"}))
    assert _found("REP-S3-PANEL-30WD", later, "2021-06-30")[0][0] == "late"


# --- visits, reg 28(3A) and reg 28(4) -----------------------------------------------------------------

_FIRST_YEAR = [(d, "lac_visit") for d in ("2022-01-14", "2022-02-24", "2022-04-07", "2022-05-19", "2022-06-30",
                                          "2022-08-11", "2022-09-22", "2022-11-03", "2022-12-15")]
_FIVE_MONTHLY = [("2023-05-15", "lac_visit"), ("2023-10-15", "lac_visit"), ("2024-03-15", "lac_visit")]


def _long_term(*extra):
    return make_case(("2022-01-10", "placement_started", {"long_term": True}),
                     ("2022-01-10", "long_term_fostering_confirmed"), *_FIRST_YEAR, *extra)


def _breaches(rule_id, case, as_at="2024-05-01"):
    return [(s, due) for s, _, due, *_ in _found(rule_id, case, as_at) if s != "met"]


def test_visits_may_be_6_monthly_once_the_child_agrees_a_year_after_long_term_fostering_is_confirmed():
    agreed = _long_term(("2023-01-20", "reduced_visits_agreed"), *_FIVE_MONTHLY)
    assert _breaches("LAC-VISIT-LONG-TERM", agreed) == [("due", "2024-09-15")]
    not_agreed = _long_term(*_FIVE_MONTHLY)
    assert [s for s, _ in _breaches("LAC-VISIT-LONG-TERM", not_agreed)] == ["late", "late", "late", "due"]


def test_an_agreement_before_the_anniversary_takes_effect_on_the_anniversary():
    case = _long_term(("2022-12-01", "reduced_visits_agreed"), *_FIVE_MONTHLY)
    assert _breaches("LAC-VISIT-LONG-TERM", case) == [("due", "2024-09-15")]


def test_no_reduced_visits_without_long_term_fostering_confirmed():
    case = make_case(("2022-01-10", "placement_started", {"long_term": True}), *_FIRST_YEAR,
                     ("2023-01-20", "reduced_visits_agreed"), *_FIVE_MONTHLY)
    assert [s for s, _ in _breaches("LAC-VISIT-LONG-TERM", case)] == ["late", "late", "late", "due"]


def test_after_a_withdrawal_visits_are_due_3_months_from_the_later_of_the_last_visit_and_the_withdrawal():
    case = _long_term(("2023-01-20", "reduced_visits_agreed"), *_FIVE_MONTHLY, ("2024-04-01", "reduced_visits_withdrawn"))
    assert _breaches("LAC-VISIT-LONG-TERM", case, "2024-08-01") == [("missing", "2024-07-01")]


def test_a_connected_carers_child_is_visited_weekly_until_the_first_review_then_4_weekly():
    case = make_case(("2024-03-04", "temporary_approval_started"), ("2024-03-08", "lac_visit"),
                     ("2024-03-22", "lac_visit"), ("2024-03-28", "lac_review"), ("2024-04-19", "lac_visit"),
                     ("2024-05-28", "lac_visit"), ("2024-06-01", "temporary_approval_ended"))
    assert _breaches("LAC-VISIT-CONNECTED-WEEKLY", case, "2025-01-01") == [("late", "2024-03-15"),
                                                                          ("late", "2024-05-17")]


def test_a_window_already_overdue_at_the_first_review_keeps_its_weekly_due_date():
    case = make_case(("2024-03-04", "temporary_approval_started"), ("2024-03-08", "lac_visit"),
                     ("2024-03-20", "lac_review"), ("2024-03-25", "lac_visit"), ("2024-04-01", "temporary_approval_ended"))
    assert _breaches("LAC-VISIT-CONNECTED-WEEKLY", case, "2025-01-01") == [("late", "2024-03-15")]


def test_a_child_living_with_a_parent_under_an_interim_care_order_is_left_to_the_weekly_rule():
    case = make_case(("2024-09-02", "placement_started", {"with_parent": "interim_care_order"}),
                     ("2024-09-20", "lac_visit"), ("2024-10-01", "placement_ended"))
    assert _breaches("LAC-VISIT-PARENT-WEEKLY", case, "2024-12-01") == [("late", "2024-09-09"), ("missing", "2024-09-27")]
    assert _found("LAC-VISIT", case, "2024-12-01") == []


def test_a_child_placed_with_a_parent_before_assessment_is_visited_6_weekly_after_the_first_review():
    case = make_case(("2024-09-02", "placement_started", {"with_parent": "before_assessment"}),
                     ("2024-09-06", "lac_visit"), ("2024-09-13", "lac_visit"), ("2024-09-20", "lac_review"),
                     ("2024-10-25", "lac_visit"), ("2024-12-06", "lac_visit"), ("2024-12-20", "placement_ended"))
    assert _breaches("LAC-VISIT-PARENT-BEFORE-ASSESSMENT", case, "2025-01-01") == []
    assert _breaches("LAC-VISIT-PARENT-WEEKLY", case, "2025-01-01") == []
    assert _found("LAC-VISIT", case, "2025-01-01") == []


def test_an_interim_care_order_with_a_parent_stays_4_weekly_after_the_first_review():
    case = make_case(("2024-09-02", "placement_started", {"with_parent": "interim_care_order"}),
                     ("2024-09-06", "lac_visit"), ("2024-09-13", "lac_visit"), ("2024-09-20", "lac_review"),
                     ("2024-10-25", "lac_visit"), ("2024-11-01", "placement_ended"))
    assert _breaches("LAC-VISIT-PARENT-WEEKLY", case, "2025-01-01") == [("late", "2024-10-11")]
    assert _found("LAC-VISIT-PARENT-BEFORE-ASSESSMENT", case, "2025-01-01") == []


def test_a_temporarily_approved_connected_carers_placement_is_judged_by_the_weekly_rule_only():
    # reg 28(2) applies "subject to paragraphs (3) to (6)": one judgement of each visit, not two
    for long_term in (False, True):
        case = make_case(("2024-03-04", "placement_started", {"long_term": long_term}),
                         ("2024-03-04", "temporary_approval_started"), ("2024-03-08", "lac_visit"),
                         ("2024-05-28", "lac_visit"), ("2024-06-01", "temporary_approval_ended"))
        judged = [f.rule.id for f in check([case], _rules("LAC-VISIT", "LAC-VISIT-LONG-TERM",
                                                             "LAC-VISIT-CONNECTED-WEEKLY"), D("2024-06-01"))]
        assert set(judged) == {"LAC-VISIT-CONNECTED-WEEKLY"}


def test_a_general_visit_window_overdue_when_a_temporary_approval_starts_is_missing():
    case = make_case(("2024-01-08", "placement_started"), ("2024-01-10", "lac_visit"),
                     ("2024-03-11", "temporary_approval_started"))
    assert _breaches("LAC-VISIT", case, "2024-06-01") == [("missing", "2024-02-21")]


def test_the_new_features_give_the_same_findings_from_a_database(write, tmp_path):
    import sqlalchemy as sa
    from dbfixtures import sqlite_url
    docs = [{"case": cid, **attrs, "events": [{"date": d, "type": t, **({"complaint": c} if c else {})}
                                              for k, d, t, c in _EVENTS if k == cid]}
            for cid, attrs in (("A", {"date_of_birth": "2021-03-01"}), ("B", {}))]
    from_yaml = _run([write("cases.yaml", yaml.safe_dump(docs, sort_keys=False))])
    url = sqlite_url(tmp_path / "cases.db")
    engine = sa.create_engine(url)
    md = sa.MetaData()
    events = sa.Table("casecheck_events", md, sa.Column("id", sa.Integer, primary_key=True),
                      sa.Column("case", sa.String(5)), sa.Column("date", sa.Date), sa.Column("type", sa.String(40)),
                      sa.Column("complaint", sa.String(5)))
    cases = sa.Table("casecheck_cases", md, sa.Column("case", sa.String(5)), sa.Column("date_of_birth", sa.String(20)))
    with engine.begin() as conn:
        md.create_all(conn)
        conn.execute(events.insert(), [{"case": k, "date": D(d), "type": t, "complaint": c or None}
                                       for k, d, t, c in _EVENTS])
        conn.execute(cases.insert(), [{"case": "A", "date_of_birth": "2021-03-01"}, {"case": "B", "date_of_birth": None}])
    assert _run([url]) == from_yaml
    with engine.begin() as conn:
        conn.execute(cases.update().where(cases.c.case == "B").values(date_of_birth="soon"))
    result = CliRunner().invoke(main, ["check", url, "--as-at", "2025-06-30", "--all", "--format", "json"])
    doc = json.loads(result.stdout)
    assert result.exit_code == 2
    [err] = doc["errors"]
    assert "case B" in err["message"] and "'soon'" in err["message"] and "casecheck_cases" in err["message"]
    assert [f for f in doc["findings"] if f["case"] == "B"]  # still checked


def test_an_annex_a_workbook_gives_the_childs_date_of_birth(tmp_path):
    import openpyxl
    from casecheck.inputs.cases import load_cases
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List 8"
    ws.append(["Child Unique ID", "Date of Birth", "Date Started to be Looked After", "Date of Last Health Assessment"])
    ws.append(["C1", dt.datetime(2021, 3, 1), dt.datetime(2024, 9, 2), dt.datetime(2024, 9, 16)])
    ws.append(["C2", "01/03/2012", dt.datetime(2024, 9, 2), None])
    ws.append(["C3", "not known", dt.datetime(2024, 9, 2), None])
    wb.save(tmp_path / "annex.xlsx")
    cases, errors = load_cases([str(tmp_path / "annex.xlsx")])
    assert {c.id: c.attrs.get("date_of_birth") for c in cases} == {"C1": "2021-03-01", "C2": "2012-03-01", "C3": None}
    [err] = errors
    assert err.line == 4 and "C3" in err.message and "'not known'" in err.message
