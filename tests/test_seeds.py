"""The two Ombudsman cases say only what the decisions say: no finding on an invented date, none
beyond the decision, at the decision date or long after it."""

import datetime as dt
from pathlib import Path

import pytest

from casecheck.inputs import bundled
from casecheck.inputs.cases import load_cases
from casecheck.replay import check
from casecheck.replay.examples import run_examples
from casecheck.rules.load import load_rules

YORK, NORFOLK = "LGSCO-23-011-844", "LGSCO-16-006-319"
DECIDED = {YORK: dt.date(2024, 10, 14), NORFOLK: dt.date(2018, 2, 12)}
LATER = dt.date(2030, 6, 30)  # "today", whenever the tests run
# The decision describes two management oversight records (the Head of Service's view that the
# plans had stagnated; the discussion of the assessment's outcome) without dates: the only dates in
# either case still chosen, each said so in the case file.
UNDATED_BUT_DESCRIBED = {("management_oversight", "2022-07-05"), ("management_oversight", "2023-05-15")}


@pytest.fixture(scope="module")
def library():
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == []
    cases, errors = load_cases([str(bundled.cases_dir() / "york-23-011-844.yaml"),
                                str(bundled.cases_dir() / "norfolk-16-006-319.yaml")])
    assert errors == []
    return rules, {c.id: c for c in cases}


@pytest.mark.parametrize("cid", [YORK, NORFOLK])
@pytest.mark.parametrize("when", ["decided", "later"])
def test_no_seed_finding_rests_on_an_assumed_date(library, cid, when):
    rules, cases = library
    as_at = DECIDED[cid] if when == "decided" else LATER
    for f in check([cases[cid]], rules, as_at):
        for ev in (f.trigger, f.actual):
            if ev is not None and ev.attrs.get("dating") == "assumed":
                assert (ev.type, str(ev.date)) in UNDATED_BUT_DESCRIBED, (f.rule.id, ev.type, ev.date)


@pytest.mark.parametrize("cid", [YORK, NORFOLK])
def test_no_remedy_is_overdue_at_any_date(library, cid):
    rules, cases = library
    for as_at in (DECIDED[cid], DECIDED[cid] + dt.timedelta(days=60), LATER):
        assert not [f for f in check([cases[cid]], rules, as_at) if f.rule.id.startswith("LGSCO-REMEDY")]
    assert not any("remedy_within" in e.attrs for e in cases[cid].events)


def test_the_remedy_rules_keep_their_examples(library):
    rules, _ = library
    for rid in ("LGSCO-REMEDY-1M", "LGSCO-REMEDY-4W"):
        [rule] = [r for r in rules if r.id == rid]
        results = run_examples([rule])
        assert results and all(x.passed for x in results)
        statuses = {f["status"] for x in results for f in x.actual}
        assert "met" in statuses and statuses & {"late", "missing"}


def test_no_york_complaint_stage_is_judged_on_an_invented_date(library):
    rules, cases = library
    york = cases[YORK]
    stages = {"complaint_received", "stage1_response", "stage2_requested", "stage2_started", "stage2_response",
              "stage3_requested", "panel_meeting", "panel_report"}
    assert not [e for e in york.events if e.type in stages]
    for as_at in (DECIDED[YORK], LATER):
        found = check([york], rules, as_at)
        assert not [f for f in found if f.rule.ruleset.name == "complaints-children-act-1989"]
        assert not [f for f in found if f.rule.id == "LGSCO-S26B-12M"]


def test_york_minutes_with_no_record_of_sending_get_no_finding(library):
    rules, cases = library
    york = cases[YORK]
    unrecorded = sorted(str(e.date) for e in york.events if e.type == "cin_meeting" and e.attrs.get("minutes_unrecorded"))
    assert unrecorded == ["2021-08-10", "2022-04-26", "2023-06-20"]
    for as_at in (DECIDED[YORK], LATER):
        minutes = [f for f in check([york], rules, as_at) if f.rule.id.startswith("YORK-MINUTES")]
        assert not [f for f in minutes if str(f.trigger.date) in unrecorded]
        assert all(f.status == "late" for f in minutes)


def test_york_february_2022_minutes_stay_exactly_as_the_ombudsman_found(library):
    rules, cases = library
    for as_at in (DECIDED[YORK], LATER):
        [f] = [f for f in check([cases[YORK]], rules, as_at)
               if f.rule.id == "YORK-MINUTES-15WD" and str(f.trigger.date) == "2022-02-15"]
        assert (f.status, str(f.due), f.days_late, f.working_days_late) == ("late", "2022-03-08", 35, 25)


def test_york_findings_are_the_same_at_the_decision_date_and_years_later(library):
    rules, cases = library
    def key(found):
        return sorted((f.rule.id, str(f.trigger.date), f.status, str(f.due), f.days_late) for f in found)
    assert key(check([cases[YORK]], rules, DECIDED[YORK])) == key(check([cases[YORK]], rules, LATER))


def test_the_councils_account_of_its_practice_is_not_a_rule_but_stays_quoted(library):
    rules, _ = library
    assert "YORK-CIN-NEXT-STEPS-4M" not in {r.id for r in rules}
    text = (bundled.rules_dir() / "york-practice-standards.yaml").read_text(encoding="utf-8")
    assert "The Council would\n# normally aim to have a CIN intervention lasting about 3-4 months." in text


def test_norfolk_says_its_corporate_procedure_is_an_inference():
    text = (bundled.cases_dir() / "norfolk-16-006-319.yaml").read_text(encoding="utf-8")
    assert "Complaint procedure: an inference, not something the decision states." in text
    assert "Not modelled: the review record / minutes that neither the school nor Mr X received" in text


def test_the_seed_case_files_point_to_no_internal_note():
    for name in ("york-23-011-844.yaml", "norfolk-16-006-319.yaml"):
        text = (bundled.cases_dir() / name).read_text(encoding="utf-8")
        for mark in ("seeds/", "reference/", "SPEC", "§"):
            assert mark not in text, (name, mark)
