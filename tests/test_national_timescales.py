"""The national timescales added in issue 22, with the issue's worked dates, and `extend.each`
(extensions that repeat)."""

import csv

import pytest
from conftest import D, make_case, make_rules

from casecheck.inputs import bundled
from casecheck.inputs.cases import load_cases
from casecheck.replay import check
from casecheck.replay.stream import check_paths
from casecheck.rules.explain import explain
from casecheck.rules.load import load_rules, ruleset_from_data
from casecheck.views.findings import finding_record


@pytest.fixture(scope="module")
def library():
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == []
    return {r.id: r for r in rules}


def _one(library, rid, as_at, *events):
    found = check([make_case(*events)], [library[rid]], D(as_at))
    assert len(found) == 1, found
    return found[0]


# Care proceedings, Children Act 1989 s32: issued Wednesday 6 March 2024.
def test_care_proceedings_end_26_weeks_beginning_with_the_day_issued(library):
    f = _one(library, "CARE-PROCEEDINGS-26W", "2025-06-30", ("2024-03-06", "care_proceedings_issued"),
             ("2024-09-04", "care_proceedings_concluded"))
    assert (f.status, str(f.due), f.days_late, f.severity) == ("exceeded", "2024-09-03", 1, "warning")


def test_care_proceedings_extended_twice_run_8_weeks_past_each_end(library):
    once = _one(library, "CARE-PROCEEDINGS-26W", "2025-06-30", ("2024-03-06", "care_proceedings_issued"),
                ("2024-09-02", "care_proceedings_extended"), ("2024-10-29", "care_proceedings_concluded"))
    assert (once.status, str(once.due)) == ("met", "2024-10-29")
    twice = _one(library, "CARE-PROCEEDINGS-26W", "2025-06-30", ("2024-03-06", "care_proceedings_issued"),
                 ("2024-09-02", "care_proceedings_extended"), ("2024-10-29", "care_proceedings_extended"),
                 ("2024-12-27", "care_proceedings_concluded"))
    assert (twice.status, str(twice.due), twice.days_late, str(twice.extension.date)) == (
        "exceeded", "2024-12-24", 3, "2024-10-29")


def test_care_proceedings_open_a_year_are_found(library):
    f = _one(library, "CARE-PROCEEDINGS-26W", "2025-03-06", ("2024-03-06", "care_proceedings_issued"))
    assert (f.status, str(f.due), f.days_late) == ("exceeded", "2024-09-03", 184)


# Placement notification, SI 2010/959 reg 13(1): emergency placement Friday 24 May 2024.
def test_an_emergency_placement_is_notified_within_5_working_days_skipping_the_bank_holiday(library):
    f = _one(library, "PLACEMENT-NOTIFY-EMERGENCY-5WD", "2024-07-01",
             ("2024-05-24", "placement_started", {"emergency": True}), ("2024-06-04", "placement_notified"))
    assert (f.status, str(f.due), f.days_late, f.working_days_late) == ("late", "2024-06-03", 1, 1)


def test_a_notification_up_to_a_month_before_an_ordinary_placement_is_in_time(library):
    f = _one(library, "PLACEMENT-NOTIFY-BEFORE", "2024-07-01", ("2024-05-13", "placement_notified"),
             ("2024-06-10", "placement_started"))
    assert (f.status, str(f.due), str(f.actual.date)) == ("met", "2024-06-10", "2024-05-13")
    late = check([make_case(("2024-05-09", "placement_notified"), ("2024-06-10", "placement_started"))],
                 [library["PLACEMENT-NOTIFY-BEFORE"]], D("2024-07-01"))
    assert [(x.status, x.actual) for x in late] == [("missing", None)]  # over a month before: not this one's


# Secure accommodation with a court's authority, SI 1991/1505 regs 11-12.
def test_secure_accommodation_on_one_authority_never_renewed_is_over_from_the_3_months(library):
    f = _one(library, "SECURE-COURT-AUTHORITY-3M-6M", "2025-06-30", ("2024-09-02", "secure_accommodation_order"),
             ("2025-01-15", "secure_placement_ended"))
    assert (f.status, str(f.due), f.days_late, f.severity) == ("exceeded", "2024-12-02", 44, "breach")


def test_secure_accommodation_renewed_runs_6_months_from_the_renewal(library):
    f = _one(library, "SECURE-COURT-AUTHORITY-3M-6M", "2025-06-30", ("2024-09-02", "secure_accommodation_order"),
             ("2024-12-02", "secure_accommodation_order"), ("2025-06-02", "secure_placement_ended"))
    assert (f.status, str(f.due)) == ("met", "2025-06-02")


# Pathway plans: plan in January, review in July, next in April.
def test_a_pathway_plan_reviewed_nine_months_after_its_last_review_is_late(library):
    found = check([make_case(("2024-01-15", "pathway_plan"), ("2024-07-10", "pathway_plan_review"),
                             ("2025-04-10", "pathway_plan_review"))], [library["PATHWAY-PLAN-REVIEW-6M"]], D("2025-05-01"))
    assert [(f.status, str(f.due)) for f in found] == [("met", "2024-07-15"), ("late", "2025-01-10"),
                                                       ("due", "2025-10-10")]
    assert found[1].days_late == 90


def test_a_pep_is_a_warning_named_in_its_title(library):
    rule = library["PEP-INITIAL-10WD"]
    assert rule.severity == "warning" and rule.title.startswith("Personal education plan (PEP)")


# `extend.each`: the general feature.
PROCEEDINGS = dict(id="P", kind="max_duration", counting="beginning_with", limit="26 weeks",
                   until="concluded", extend={"by": "extended", "each": "8 weeks"}, **{"from": "issued"})


def test_each_extension_may_be_as_many_as_granted():
    rules = make_rules(PROCEEDINGS)
    events = [("2024-03-06", "issued")]
    due = "2024-09-03"
    for n in range(6):  # six extensions, each on the day the last one ends
        events.append((due, "extended"))
        [f] = check([make_case(*events)], rules, D("2030-01-01"))  # still open: exceeded from the last end
        due = str(f.due)
    assert due == "2025-08-05"  # 3 September 2024 (26 weeks) + 6 x 8 weeks


def test_an_extension_with_a_due_date_beyond_8_weeks_is_held_to_8_weeks():
    [f] = check([make_case(("2024-03-06", "issued"), ("2024-08-01", "extended", {"due": "2025-06-01"}),
                           ("2025-01-01", "concluded"))], make_rules(PROCEEDINGS), D("2025-06-30"))
    assert str(f.due) == "2024-10-29"


def _errors(rule):
    rules, errors = ruleset_from_data({"ruleset": "t", "rules": [rule]}, "rules.yaml")
    assert not rules
    return [str(e) for e in errors]


@pytest.mark.parametrize("extend, message", [
    ({"by": "extended", "each": "8 weeks", "to": "1 year"}, "'to' (one cap from the start) or 'each'"),
    ({"each": "8 weeks"}, "'extend' needs 'by'"),
    ({"by": "extended", "each": "eight weeks"}, "'extend.each': expected a duration"),
    ({"by": "extended", "each": "8 weeks", "after": "start"}, "'extend.after' must be end or extension"),
    ({"by": "extended", "each": "8 weeks", "evry": 1}, "unknown key 'evry'"),
])
def test_bad_repeating_extensions_are_named_with_file_and_rule(extend, message):
    [err] = _errors(dict(PROCEEDINGS, extend=extend))
    assert err.startswith("rules.yaml") and "rule P: " in err and message in err


def test_a_repeating_extension_is_for_max_duration_rules():
    rule = dict(id="R", kind="response", trigger="a", expect="b", within="10 days", extend={"by": "c", "each": "5 days"})
    [err] = _errors(rule)
    assert "'extend.each' (extensions that repeat) applies to max_duration rules" in err


def test_rules_explain_words_a_repeating_extension():
    text = explain(make_rules(PROCEEDINGS)[0])
    assert "as often as one comes, to at most 8 weeks after the end of the period it extends" in text
    renew = dict(PROCEEDINGS, extend={"by": "extended", "each": "6 months", "after": "extension"})
    assert "to at most 6 months after the date of that event" in explain(make_rules(renew)[0])


def test_a_repeating_extension_gives_the_same_findings_from_a_csv_log_as_from_yaml(write, library):
    rules = [library["CARE-PROCEEDINGS-26W"], library["SECURE-COURT-AUTHORITY-3M-6M"]]
    log = write("log.csv", "case,date,type,due\n"
                           "C-1,2024-03-06,care_proceedings_issued,\nC-1,2024-08-20,care_proceedings_extended,2024-10-01\n"
                           "C-1,2024-10-07,care_proceedings_concluded,\n"
                           "C-2,2024-09-02,secure_accommodation_order,\nC-2,2024-11-28,secure_accommodation_order,\n"
                           "C-2,2025-06-15,secure_placement_ended,\n")
    cases, errors = load_cases([log])
    assert errors == []
    loaded = sorted(map(str, (finding_record(f) for f in check(cases, rules, D("2025-12-01")))))
    for workers in (1, 2):
        r = check_paths([log], rules, D("2025-12-01"), keep_all=True, workers=workers, chunk_bytes=64)
        try:
            assert sorted(map(str, (finding_record(f) for f in r.findings))) == loaded
        finally:
            r.close()
    assert len(loaded) == 2


# The coverage table that opens docs/library.md.
def _coverage():
    with open(bundled.rules_dir() / "national-timescales.csv", encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def test_every_rule_the_coverage_table_names_is_bundled_and_every_national_rule_is_in_it(library):
    named = {i for row in _coverage() for i in row["rules"].split()}
    assert named <= set(library)
    local = {i for i in library if i.startswith("YORK-") or i.startswith("LGSCO-REMEDY")}
    assert set(library) - local - named == set()


def test_the_coverage_table_names_each_duty_its_law_and_why_a_row_is_not_modelled():
    rows = _coverage()
    for row in rows:
        assert row["area"] and row["duty"] and row["law"] and row["whose"]
        if not row["rules"]:
            assert row["verification"] in ("verified", "secondary", "unverified")
    areas = {row["area"] for row in rows}
    assert {"Front door and assessment", "Child protection", "Looked-after children", "Court orders", "Secure accommodation",
            "Adoption", "Special guardianship", "Care leavers", "Complaints", "Private fostering", "Missing children",
            "Serious incidents", "Emergency protection"} <= areas
    secure = [r for r in rows if r["duty"] == "Secure accommodation: court authority at most 3 months, then 6 at a time"]
    assert [r["law"] for r in secure] == ["SI 1991/1505 regs 11-12"]
    pep_terms = [r for r in rows if r["duty"].startswith("Personal education plan (PEP) reviews")]
    assert pep_terms and pep_terms[0]["rules"] == "PEP-REVIEW-TERMLY" and "throughout" in pep_terms[0]["note"]
    plan = [r for r in rows if r["duty"].startswith("Pathway plan: as soon as possible")]
    assert plan and not plan[0]["rules"] and "no number" in plan[0]["note"]


def test_docs_library_opens_with_the_coverage_table():
    from pathlib import Path
    text = (Path(__file__).resolve().parent.parent / "docs" / "library.md").read_text(encoding="utf-8")
    head = text.split("\n## ", 2)
    assert head[1].startswith("National timescales and the rules that judge them")
    assert "| Secure accommodation | Secure accommodation: court authority at most 3 months, then 6 at a time | " \
           "SI 1991/1505 regs 11-12 | council | `SECURE-COURT-AUTHORITY-3M-6M` | breach | secondary |" in text
