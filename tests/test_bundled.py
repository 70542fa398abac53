"""The bundled rules and example cases: they load cleanly and show what they are there to show."""

import datetime as dt

from casecheck.inputs import bundled
from casecheck.inputs.cases import load_cases
from casecheck.model import STATUSES, Case
from casecheck.replay import check
from casecheck.rules.load import load_rules

AS_AT = dt.date(2026, 11, 24)


def _load():
    rules, rule_errors = load_rules([str(bundled.rules_dir())])
    cases, case_errors = load_cases([str(bundled.cases_dir())])
    assert rule_errors == [] and case_errors == [], [str(e) for e in rule_errors + case_errors]
    return rules, cases


def test_every_bundled_rule_has_an_id_title_citation_and_severity():
    rules, _ = _load()
    assert {r.ruleset.name for r in rules} >= {"york-practice-standards", "complaints-children-act-1989", "lgsco"}
    for r in rules:
        assert r.title and r.title != r.id, r.id
        assert len(r.cite) > 10, r.id
        assert r.severity in ("breach", "warning")


def test_the_example_cases_between_them_produce_every_status():
    rules, cases = _load()
    assert len(cases) >= 5
    seen = {f.status for f in check(cases, rules, AS_AT)}
    assert seen == set(STATUSES)


def test_york_case_shows_the_ombudsmans_findings_at_the_decision_date():
    rules, cases = _load()
    [york] = [c for c in cases if c.id == "LGSCO-23-011-844"]
    found = {(f.rule.id, str(f.trigger.date)): f for f in check([york], rules, dt.date(2024, 10, 14))}
    minutes = found["YORK-MINUTES-15WD", "2022-02-15"]
    assert (minutes.status, str(minutes.due), str(minutes.actual.date), minutes.days_late,
            minutes.working_days_late) == ("late", "2022-03-08", "2022-04-12", 35, 25)
    # "a failure to record a case summary update every three months": judged from the standard's
    # October 2022 edition, as no summary had been recorded when it applied.
    summary = found["YORK-CASE-SUMMARY-3M", "2021-08-10"]
    assert (summary.status, str(summary.due)) == ("missing", "2022-10-01")
    # "Nor was there evidence of the service manager reviewing the CIN plan after 26 weeks".
    assert found["YORK-SM-REVIEW-26W", "2021-08-10"].status == "missing"
    # The plan ran far past 9 months.
    assert found["YORK-CIN-PLAN-MAX-9M", "2021-08-10"].status == "exceeded"
    # Supervision was found actioned: no supervision breach.
    assert not any(f.rule.id == "YORK-SUPERVISION-6W" and f.is_breach for f in found.values())


def _bundled_case(cases, cid):
    [case] = [c for c in cases if c.id == cid]
    return case


def test_a_case_of_another_council_gets_no_york_finding():
    rules, cases = _load()
    york = _bundled_case(cases, "LGSCO-23-011-844")
    assert any(f.rule.ruleset.name == "york-practice-standards" for f in check([york], rules, dt.date(2024, 10, 14)))
    for attrs in ({"council": "Leeds City Council"}, {}):
        other = Case("LEEDS-1", attrs, york.events)
        found = check([other], rules, dt.date(2024, 10, 14))
        assert not any(f.rule.ruleset.name == "york-practice-standards" for f in found)


def test_the_norfolk_case_gets_no_statutory_complaint_finding():
    # The complaint was about Early Help, handled under the Council's own procedure (decision paras
    # 16-17): the statutory timescales do not judge it; the Ombudsman's own time limit still does.
    rules, cases = _load()
    norfolk = _bundled_case(cases, "LGSCO-16-006-319")
    found = check([norfolk], rules, dt.date(2018, 2, 12))
    assert not [f for f in found if f.rule.ruleset.name == "complaints-children-act-1989"]
    assert all(e.attrs.get("procedure") == "corporate" for e in norfolk.events
               if e.type in ("complaint_received", "stage1_response", "stage2_started", "stage3_requested"))


def test_the_same_late_york_minutes_are_one_breach_not_two():
    rules, cases = _load()
    found = [f for f in check([_bundled_case(cases, "LGSCO-23-011-844")], rules, dt.date(2024, 10, 14))
             if f.trigger.type == "cin_meeting" and str(f.trigger.date) == "2023-01-17"]
    assert sorted((f.rule.id, f.status, f.severity) for f in found) == [
        ("YORK-MINUTES-10WD", "late", "warning"), ("YORK-MINUTES-15WD", "late", "breach")]
    assert sum(f.fails_check for f in found) == 1


def test_york_recommendations_judge_only_mr_ys_case_from_its_stage_2_report():
    rules, cases = _load()
    york = _bundled_case(cases, "LGSCO-23-011-844")
    by_id = {r.id: r for r in rules}
    # the 10-working-day recommendation judges meetings after the Report, not after a fixed date
    assert by_id["YORK-MINUTES-10WD"].in_force == (None, None)
    assert by_id["YORK-MINUTES-10WD"].where["after_stage2_report"] == frozenset({"true"})
    assert by_id["YORK-SUPERVISION-6W"].start == {"stage2_response"}
    for rid in ("YORK-MINUTES-10WD", "YORK-SUPERVISION-6W"):
        assert by_id[rid].applies_to == {"case": frozenset({"LGSCO-23-011-844"})}
    # no minutes placed on time on invented dates: only the two sending dates the decision gives
    assert sorted(str(e.date) for e in york.events if e.type == "minutes_sent") == ["2022-04-12", "2023-06-06"]
    # every event of both reconstructed cases says how its date is known
    for case in (york, _bundled_case(cases, "LGSCO-16-006-319")):
        assert all(e.attrs.get("dating") in ("exact", "approx", "assumed") for e in case.events), case.id
