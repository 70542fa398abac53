"""`casecheck due`: what is overdue and what falls due within a window, soonest first."""

import csv
import io
import json

from click.testing import CliRunner

from casecheck.cli import main
from conftest import D, make_case, make_rules
from casecheck.views import due as duelist
from casecheck.dates import parse_duration
from casecheck.replay import check

RULES = [
    {"id": "MIN", "title": "Minutes in 5 working days", "kind": "response", "trigger": "meeting", "expect": "minutes",
     "within": "5 working days"},
    {"id": "PLAN", "title": "Plan at most 1 month", "kind": "max_duration", "from": "plan_started",
     "until": "plan_ended", "limit": "1 month"},
    {"id": "VISIT", "title": "Visit every 2 weeks", "kind": "every", "expect": "visit", "every": "2 weeks",
     "from": "plan_started", "until": "plan_ended"},
]
AS_AT = "2024-12-20"  # a Friday; the next working days skip Christmas and Boxing Day


def findings():
    cases = [
        # due 2024-12-27 (the 5th working day after 18 Dec: 19, 20, 23, 24, 27)
        make_case(("2024-12-18", "meeting"), case_id="C-soon", worker="W1"),
        # due 2024-12-24: inside a 3-working-day window (ends 2024-12-27)
        make_case(("2024-12-17", "meeting"), case_id="C-sooner", worker="W2"),
        # due 2024-12-23
        make_case(("2024-12-16", "meeting"), case_id="C-soonest", worker="W1"),
        # overdue: due 2024-12-06, no minutes
        make_case(("2024-11-29", "meeting"), case_id="C-overdue", worker="W2"),
        # late but closed: not on the list
        make_case(("2024-11-01", "meeting"), ("2024-11-20", "minutes"), case_id="C-late"),
        # plan still open past its limit (2024-11-01): exceeded; no visit since it started: missing (due
        # 2024-10-15). Both open, so both overdue.
        make_case(("2024-10-01", "plan_started"), case_id="C-plan", worker="W3", team="T"),
        # a plan that ended: the missing visit window closed with it (actual set) -> not on the list
        make_case(("2024-09-01", "plan_started"), ("2024-11-01", "plan_ended"), case_id="C-closed"),
    ]
    return check(cases, make_rules(*RULES), D(AS_AT))


def test_overdue_then_due_soonest_first_in_the_working_day_window():
    items = duelist.due_list(findings(), D(AS_AT), parse_duration("3 working days"))
    got = [(i.section, i.finding.case, i.finding.rule.id, str(i.finding.due)) for i in items]
    assert got == [
        ("overdue", "C-plan", "VISIT", "2024-10-15"),
        ("overdue", "C-plan", "PLAN", "2024-11-01"),
        ("overdue", "C-overdue", "MIN", "2024-12-06"),
        ("due", "C-soonest", "MIN", "2024-12-23"),
        ("due", "C-sooner", "MIN", "2024-12-24"),
        ("due", "C-soon", "MIN", "2024-12-27"),  # 3 working days after 20 Dec: 23, 24, 27 (Christmas skipped)
    ]
    fewer = duelist.due_list(findings(), D(AS_AT), parse_duration("2 working days"))
    assert [i.finding.case for i in fewer if i.section == "due"] == ["C-soonest", "C-sooner"]


def test_ties_on_a_due_date_go_by_worker_then_case():
    rules = make_rules(RULES[0])
    cases = [make_case(("2024-12-16", "meeting"), case_id=c, worker=w) for c, w in
             (("A", "W2"), ("B", "W1"), ("C", "W1"))]
    items = duelist.due_list(check(cases, rules, D(AS_AT)), D(AS_AT), parse_duration("1 week"))
    assert [i.finding.case for i in items] == ["B", "C", "A"]


def _files(write):
    rules = write("rules.yaml", "ruleset: t\nrules:\n  - {id: MIN, title: Minutes in 5 working days, kind: response, "
                  "trigger: meeting, expect: minutes, within: 5 working days}\n")
    cases = write("cases.yaml", "- case: C-1\n  worker: W1\n  team: North\n  events: [{date: 2024-12-16, type: meeting}]\n"
                  "- case: C-2\n  events: [{date: 2024-11-29, type: meeting}]\n")
    return rules, cases


def test_text_csv_and_json(write):
    rules, cases = _files(write)
    r = CliRunner().invoke(main, ["due", cases, "--rules", rules, "--as-at", AS_AT])
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "Overdue at 2024-12-20 (still open), most overdue first: 1"
    assert lines[1].split() == ["2024-12-06", "case", "C-2"]
    assert "14 days (10 working days) overdue" in lines[2]
    assert lines[4].startswith("Due within 10 working days of 2024-12-20 (by 2025-01-08")
    assert lines[5].split() == ["2024-12-23", "case", "C-1", "(worker", "W1,", "team", "North)"]
    assert "in 3 days (1 working day)" in lines[6]
    rows = list(csv.DictReader(io.StringIO(
        CliRunner().invoke(main, ["due", cases, "--rules", rules, "--as-at", AS_AT, "--format", "csv"]).stdout)))
    assert [(r["section"], r["case"], r["due"], r["worker"]) for r in rows] == [
        ("overdue", "C-2", "2024-12-06", ""), ("due", "C-1", "2024-12-23", "W1")]
    doc = json.loads(CliRunner().invoke(main, ["due", cases, "--rules", rules, "--as-at", AS_AT, "--within", "1 day",
                                               "--format", "json"]).stdout)
    assert doc["within"] == "1 day" and [i["case"] for i in doc["overdue"]] == ["C-2"] and doc["due"] == []
    assert doc["overdue"][0]["days_overdue"] == 14 and doc["errors"] == []


def test_bad_window_and_unreadable_input_exit_2(write):
    rules, cases = _files(write)
    r = CliRunner().invoke(main, ["due", cases, "--rules", rules, "--within", "soon"])
    assert r.exit_code == 2 and "expected a duration" in r.stderr
    bad = write("bad.yaml", "case: B\nevents:\n  - {date: 2022-02-30, type: meeting}\n")
    r = CliRunner().invoke(main, ["due", cases, bad, "--rules", rules, "--as-at", AS_AT])
    assert r.exit_code == 2 and f"{bad}:3" in r.stderr and "C-1" in r.stdout
