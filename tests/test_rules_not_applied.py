"""Rules that judged no case: every loaded rule that gave no finding of any status is named with
its reason, on every path a run takes (case files, CSV logs read as columns, workers), and in
every view; a rule that judged any case, even with only met findings, is never named."""

import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from conftest import run_cli as run
from casecheck.inputs import bundled

AS_AT = "2024-10-14"
YORK_RULES = str(bundled.rules_dir() / "york-practice-standards.yaml")
COUNCIL_SCOPED = {"YORK-MINUTES-15WD", "YORK-CASE-SUMMARY-3M", "YORK-MGMT-OVERSIGHT-3M", "YORK-SM-REVIEW-26W",
                  "YORK-CIN-PLAN-MAX-9M", "YORK-ASSESSMENT-12M"}


@pytest.fixture(scope="module")
def york_log(tmp_path_factory):
    """The bundled York case as an event log and its case table (where its council is said)."""
    folder = tmp_path_factory.mktemp("york")
    log = folder / "york.csv"
    r = run("convert", str(bundled.cases_dir() / "york-23-011-844.yaml"), "--to", "csv", "-o", str(log))
    assert r.exit_code == 0 and (folder / "york.cases.csv").exists()
    return str(log), str(folder / "york.cases.csv")


def _not_applied(*args) -> dict[str, dict]:
    r = run("check", *args, "--as-at", AS_AT, "--format", "json")
    assert r.exit_code in (0, 1), r.output
    return {n["rule"]: n for n in json.loads(r.stdout)["rules_not_applied"]}


@pytest.mark.parametrize("path", [[], ["--workers", "2"], ["--all"]], ids=["columnar", "workers", "all"])
def test_a_york_log_without_its_case_table_names_every_york_rule_and_says_to_give_it(york_log, path):
    log, table = york_log
    without = _not_applied(log, *path)
    york = {rid: n for rid, n in without.items()
            if n["ruleset"] == "york-practice-standards" and n["reason"].startswith("out of scope")}
    assert set(york) == COUNCIL_SCOPED  # the two rules scoped to this case by id are in scope
    # the seed records no stage 2 Report (no assumed dates), so the supervision recommendation has
    # nothing to start from, with or without the case table
    assert "no case" in without["YORK-SUPERVISION-6W"]["reason"]
    for n in york.values():
        assert n["reason"].startswith("out of scope") and "give the case table" in n["reason"]
        assert n["cases"] == 1 and n["title"]
    with_table = _not_applied(log, table, *path)
    assert not any(n["ruleset"] == "york-practice-standards" and n["reason"].startswith("out of scope")
                   for n in with_table.values())
    # the same rules judged nothing either way but York's: the rest of the list is the same
    assert {k: v for k, v in without.items() if k not in york} == with_table


def test_the_case_file_and_the_log_name_the_same_rules(york_log):
    log, table = york_log
    from_yaml = _not_applied(str(bundled.cases_dir() / "york-23-011-844.yaml"))
    assert from_yaml == _not_applied(log, table) == _not_applied(log, table, "--workers", "2")
    assert "LAC-CARE-PLAN-10WD" in from_yaml and "no case" in from_yaml["LAC-CARE-PLAN-10WD"]["reason"]


def test_another_councils_case_exits_0_and_says_no_rule_applied():
    r = run("check", str(bundled.cases_dir() / "norfolk-16-006-319.yaml"), "--rules", YORK_RULES, "--as-at", AS_AT)
    assert r.exit_code == 0
    lines = r.stdout.splitlines()
    assert lines[0] == "Rules that judged no case:"
    assert lines[-2:] == ["As at 2024-10-14: 1 case checked, 0 breaches, 0 warnings, 0 excused.",
                          'No loaded rule applied to any case: each rule\'s reason is under "Rules that judged no case".']
    assert "these are of Norfolk County Council" in " ".join(r.stdout.split()) and max(map(len, lines)) <= 100


RULES = """
ruleset: t
title: Test standards
rules:
  - id: MET-ONLY
    title: Minutes within 15 days
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 15 days
  - id: NO-TRIGGER
    title: Visit after a referral
    kind: response
    trigger: referral
    expect: home_visit
    within: 10 days
  - id: LATER
    title: A standard adopted later
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 5 days
    in_force: {from: 2030-01-01}
  - id: ONLY-URGENT
    title: Urgent meetings minuted within 2 days
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 2 days
    where: {urgency: [urgent]}
  - id: LATE-ONE
    title: Minutes within 1 day
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 1 day
"""
LOG = "case,date,type\n" + "".join(f"C-{i},2024-0{1 + i % 9}-01,cin_meeting\nC-{i},2024-0{1 + i % 9}-05,minutes_sent\n"
                                   for i in range(30))


@pytest.mark.parametrize("extra", [[], ["--workers", "2"]], ids=["one process", "workers"])
def test_each_reason_and_a_rule_with_only_met_findings_is_not_named(write, extra):
    rules, log = write("rules.yaml", RULES), write("log.csv", LOG)
    got = _not_applied(log, "--rules", rules, *extra)
    assert set(got) == {"NO-TRIGGER", "LATER", "ONLY-URGENT"}  # MET-ONLY judged 30 cases, all met
    assert got["NO-TRIGGER"]["reason"] == "its trigger (referral) is in no case"
    assert got["LATER"]["reason"].startswith("not in force: it applies from 2030-01-01")
    assert got["ONLY-URGENT"]["reason"].startswith("a needed attribute is absent")
    assert got["NO-TRIGGER"]["cases"] == 30


def test_every_view_has_the_section(write, tmp_path):
    rules, log = write("rules.yaml", RULES), write("log.csv", LOG)
    args = [log, "--rules", rules, "--as-at", AS_AT]
    heading = "Rules that judged no case"
    due = run("due", *args, "--format", "json")
    assert {n["rule"] for n in json.loads(due.stdout)["rules_not_applied"]} == {"NO-TRIGGER", "LATER", "ONLY-URGENT"}
    for command in (["check"], ["due"], ["summary"]):
        r = run(*command, *args)
        assert f"\n{heading}:\n" in r.stdout and "NO-TRIGGER (Visit after a referral)" in r.stdout, command
        assert "MET-ONLY" not in r.stdout.split(heading)[1]
    page, report, xlsx = tmp_path / "s.html", tmp_path / "r.html", tmp_path / "s.xlsx"
    run("summary", *args, "--format", "html", "-o", page)
    run("report", *args, "-o", report)
    for html in (page.read_text(), report.read_text()):
        section = html.split(f"<h2>{heading}</h2>")[1].split("</div>")[0]
        section = re.sub(r"<span class=\"id\">([^<]*)</span>", r"\1", section)  # ids kept on one line
        assert "NO-TRIGGER (Visit after a referral)" in section and "MET-ONLY" not in section
    run("summary", *args, "--format", "xlsx", "-o", xlsx)
    rows = [r[:2] for r in load_workbook(xlsx)["About"].iter_rows(values_only=True)]
    at = rows.index((heading, None))
    assert rows[at + 1] == ("NO-TRIGGER (Visit after a referral)", "its trigger (referral) is in no case")


def test_a_ruleset_whose_rules_all_judged_nothing_for_one_reason_is_named_once(write):
    rules = write("rules.yaml", RULES)
    other = write("other.yaml", "ruleset: pf\ntitle: Private fostering\nrules:\n" + "".join(
        f"  - {{id: PF-{i}, title: T{i}, kind: response, trigger: pf_notified, expect: pf_visit, within: 7 days}}\n"
        for i in range(3)))
    r = run("check", write("log.csv", LOG), "--rules", rules, "--rules", other, "--as-at", AS_AT)
    assert "    ruleset pf (Private fostering): all 3 rules\n" in r.stdout and "PF-1" not in r.stdout


def test_a_rule_a_council_return_cannot_answer_is_named_with_that_reason():
    census = Path(__file__).parent / "data" / "public-samples" / "csc-validator-be-cin" / "fake_CIN_data.xml"
    got = _not_applied(str(census))
    assert got["WT-REFERRAL-DECISION-1WD"]["reason"].startswith(
        "not judged on a CIN census: it cannot record referral_decision")
    assert "--judge-unrecordable" in got["WT-REFERRAL-DECISION-1WD"]["reason"]
    # judged anyway when asked: then it judges the census's referrals and is not listed
    r = run("check", str(census), "--judge-unrecordable", "--as-at", AS_AT, "--format", "json")
    assert "WT-REFERRAL-DECISION-1WD" not in {n["rule"] for n in json.loads(r.stdout)["rules_not_applied"]}
