"""The bundled rules and example cases: they load cleanly and show what they are there to show."""

import datetime as dt

from casecheck.inputs import bundled
from casecheck.inputs.cases import load_cases
from casecheck.model import STATUSES
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
    summary = found["YORK-CASE-SUMMARY-3M", "2021-05-17"]
    assert (summary.status, str(summary.due)) == ("missing", "2022-10-01")
    # "Nor was there evidence of the service manager reviewing the CIN plan after 26 weeks".
    assert found["YORK-SM-REVIEW-26W", "2021-05-17"].status == "missing"
    # The plan ran far past 9 months.
    assert found["YORK-CIN-PLAN-MAX-9M", "2021-05-17"].status == "exceeded"
    # Supervision was found actioned: no supervision breach.
    assert not any(f.rule.id == "YORK-SUPERVISION-6W" and f.is_breach for f in found.values())
