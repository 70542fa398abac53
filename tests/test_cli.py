"""`casecheck check` as SPEC §3 and §4 describe it: formats, options and exit status."""

import csv
import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from casecheck import __version__
from casecheck.cli import main

RULES = """\
ruleset: york-test
rules:
  - id: YORK-MINUTES-15WD
    title: CIN meeting minutes shared within 15 working days
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 15 working days
    match: [meeting]
  - id: SOFT
    title: A warning only
    severity: warning
    kind: response
    trigger: referral
    expect: referral_decision
    within: 1 working day
"""
LATE = """\
case: C-1042
team: North
events:
  - {date: 2022-02-15, type: cin_meeting, meeting: m-2022-02}
  - {date: 2022-04-12, type: minutes_sent, meeting: m-2022-02}
"""
MET = "case: C-2\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n  - {date: 2022-02-16, type: minutes_sent}\n"
SOFT_LATE = "case: C-3\nevents:\n  - {date: 2022-02-15, type: referral}\n  - {date: 2022-03-01, type: referral_decision}\n"


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def files(write):
    return {"rules": write("rules.yaml", RULES), "late": write("late.yaml", LATE), "met": write("met.yaml", MET),
            "soft": write("soft.yaml", SOFT_LATE)}


def test_json_output_is_the_spec_document(files):
    r = run("check", files["late"], files["met"], "--rules", files["rules"], "--as-at", "2024-10-14", "--format", "json")
    assert r.exit_code == 1
    doc = json.loads(r.stdout)
    assert doc == {
        "generator": f"casecheck {__version__}", "as_at": "2024-10-14", "errors": [],
        "totals": {"cases": 2, "findings": 1, "breaches": 1, "warnings": 0, "excused": 0,
                   "by_status": {"met": 0, "due": 0, "withdrawn": 0, "late": 1, "missing": 0, "exceeded": 0}},
        "rules_not_applied": [{"rule": "SOFT", "ruleset": "york-test", "title": "A warning only",
                               "reason": "its trigger (referral) is in no case", "cases": 2}],
        "findings": [{
            "case": "C-1042", "rule": "YORK-MINUTES-15WD", "ruleset": "york-test",
            "title": "CIN meeting minutes shared within 15 working days", "cite": "", "severity": "breach",
            "status": "late", "trigger": {"type": "cin_meeting", "date": "2022-02-15"}, "due": "2022-03-08",
            "actual": {"type": "minutes_sent", "date": "2022-04-12"}, "days_late": 35, "working_days_late": 25,
            "worker": None, "team": "North", "extension": None, "clock_stops": [], "exception": None, "note": None}],
        "warnings": []}


def test_all_reports_every_finding_in_spec_order(files):
    r = run("check", files["met"], files["late"], files["soft"], "--rules", files["rules"], "--as-at", "2024-10-14",
            "--format", "json", "--all")
    got = [(f["case"], f["status"], f["due"]) for f in json.loads(r.stdout)["findings"]]
    assert got == [("C-1042", "late", "2022-03-08"), ("C-2", "met", "2022-03-08"), ("C-3", "late", "2022-02-16")]


def test_exit_status_ignores_warning_rules(files):
    assert run("check", files["met"], "--rules", files["rules"], "--as-at", "2024-10-14").exit_code == 0
    soft = run("check", files["soft"], "--rules", files["rules"], "--as-at", "2024-10-14")
    assert soft.exit_code == 0 and "late" in soft.stdout and "[warning]" in soft.stdout
    assert run("check", files["late"], "--rules", files["rules"], "--as-at", "2024-10-14").exit_code == 1


def test_csv_output_flattens_the_json_fields(files):
    r = run("check", files["late"], "--rules", files["rules"], "--as-at", "2024-10-14", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert rows == [{"case": "C-1042", "rule": "YORK-MINUTES-15WD", "ruleset": "york-test",
                     "title": "CIN meeting minutes shared within 15 working days", "cite": "",
                     "severity": "breach", "status": "late", "trigger_type": "cin_meeting", "trigger_date": "2022-02-15",
                     "due": "2022-03-08", "actual_type": "minutes_sent", "actual_date": "2022-04-12",
                     "days_late": "35", "working_days_late": "25", "worker": "", "team": "North",
                     "extension_type": "", "extension_date": "", "clock_stops": "", "excused": "false",
                     "exception_reason": "", "exception_approved_by": "", "exception_approved_on": ""}]


def test_text_output_groups_by_case_without_colour_in_a_pipe(files):
    r = run("check", files["late"], files["met"], "--rules", files["rules"], "--as-at", "2024-10-14", "--all")
    lines = r.stdout.splitlines()
    assert lines[0] == "Case C-1042 (team: North)"
    assert "late" in lines[1] and "YORK-MINUTES-15WD" in lines[1]
    evidence = " ".join(" ".join(lines[2:4]).split())  # one line, wrapped at 100 columns
    assert "due 2022-03-08" in evidence and "35 days (25 working days) late" in evidence
    assert "Case C-2" in r.stdout and "\x1b[" not in r.stdout
    assert r.stdout.split("\n\n")[-1].replace("\n", " ").strip() == (  # one paragraph, wrapped at 100 columns
        "As at 2024-10-14: 2 cases checked, 2 findings (1 met, 1 late): 1 breach (1 late), 0 warnings, 0 excused.")


def test_output_file(files, tmp_path):
    out = tmp_path / "findings.json"
    r = run("check", files["late"], "--rules", files["rules"], "--as-at", "2024-10-14", "--format", "json",
            "-o", str(out))
    assert r.stdout == "" and json.loads(out.read_text())["findings"][0]["days_late"] == 35


def test_unreadable_input_exits_2_names_it_and_still_checks_the_rest(files, write):
    bad = write("bad.yaml", "case: B\nevents:\n  - date: 2022-02-30\n    type: cin_meeting\n")
    r = run("check", files["late"], bad, "--rules", files["rules"], "--as-at", "2024-10-14", "--format", "json")
    assert r.exit_code == 2
    doc = json.loads(r.stdout)
    assert [f["case"] for f in doc["findings"]] == ["C-1042"]
    assert doc["errors"][0]["file"] == bad and doc["errors"][0]["line"] == 3
    assert "2022-02-30" in doc["errors"][0]["message"]
    text = run("check", files["late"], bad, "--rules", files["rules"], "--as-at", "2024-10-14")
    assert text.exit_code == 2 and f"{bad}:3:" in text.stderr and "C-1042" in text.stdout


def test_a_bad_rule_file_exits_2_and_the_good_rules_still_run(files, write):
    bad = write("bad-rules.yaml", "ruleset: broken\nrules:\n  - id: X\n    kind: reponse\n")
    r = run("check", files["late"], "--rules", files["rules"], "--rules", bad, "--as-at", "2024-10-14")
    assert r.exit_code == 2 and "did you mean 'response'" in r.stderr and "YORK-MINUTES-15WD" in r.stdout


def test_bad_options_exit_2_with_a_message(files):
    r = run("check", files["late"], "--as-at", "14/10/2024")
    assert r.exit_code == 2 and "not an ISO date" in r.stderr
    assert run("check", "--format", "xml").exit_code == 2


def test_events_after_as_at_are_ignored(files):
    r = run("check", files["late"], "--rules", files["rules"], "--as-at", "2022-03-01", "--format", "json", "--all")
    [f] = json.loads(r.stdout)["findings"]
    assert (f["status"], f["actual"]) == ("due", None) and r.exit_code == 0


def test_help_teaches_with_examples():
    r = run("check", "--help")
    assert r.exit_code == 0 and "Examples:" in r.stdout and "Exit status" in r.stdout


def test_bundled_defaults_show_the_york_minutes_breach():
    r = run("check", "--as-at", "2024-10-14", "--format", "json")
    doc = json.loads(r.stdout)
    assert doc["errors"] == [] and r.exit_code == 1
    york = [f for f in doc["findings"] if f["rule"] == "YORK-MINUTES-15WD" and f["trigger"]["date"] == "2022-02-15"]
    assert len(york) == 1
    assert (york[0]["due"], york[0]["actual"]["date"], york[0]["days_late"], york[0]["working_days_late"]) == \
        ("2022-03-08", "2022-04-12", 35, 25)


def test_installed_command_finds_its_bundled_rules_and_cases(tmp_path):
    # The command installed beside this Python (the README's venv), else the one on PATH.
    beside = Path(sys.executable).parent / "casecheck"
    exe = str(beside) if beside.exists() else shutil.which("casecheck")
    assert exe, "no casecheck command: install the project first (see README)"
    proc = subprocess.run([exe, "check", "--as-at", "2024-10-14", "--format", "json"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    doc = json.loads(proc.stdout)
    assert doc["errors"] == [] and doc["totals"]["cases"] >= 5
    assert any(f["rule"] == "YORK-MINUTES-15WD" and f["due"] == "2022-03-08" for f in doc["findings"])


def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_neutralised(write, files):
    evil = write("evil.yaml", "case: '=HYPERLINK(\"http://x\")'\nevents:\n"
                              "  - {date: 2022-02-15, type: cin_meeting}\n")
    r = run("check", evil, "--rules", files["rules"], "--as-at", "2024-10-14", "--format", "csv")
    [row] = list(csv.DictReader(io.StringIO(r.stdout)))
    assert row["case"] == "'=HYPERLINK(\"http://x\")" and row["days_late"] == "951"


def test_a_rule_whose_expected_events_the_data_never_holds_is_pointed_out(files, write):
    # A CIN census records referrals but never the referral decision: every SOFT finding is
    # missing, which says what the return lacks, not what practice did.
    census = write("census.xml", "<Message><Children>" + "".join(
        f"<Child><ChildIdentifiers><LAchildID>K{i}</LAchildID></ChildIdentifiers>"
        f"<CINdetails><CINreferralDate>2022-0{i}-01</CINreferralDate></CINdetails></Child>" for i in (1, 2))
        + "</Children></Message>")
    # By default the census's cases are not judged by SOFT at all, and the run says why.
    left_out = run("check", census, "--rules", files["rules"], "--as-at", "2024-10-14", "--format", "json")
    assert json.loads(left_out.stdout)["findings"] == []
    assert any("rule SOFT not judged on 2 cases" in w["message"] for w in json.loads(left_out.stdout)["warnings"])
    assert ("rule SOFT not judged on 2 cases from this CIN census: it cannot record referral_decision"
            in left_out.stderr)
    assert left_out.exit_code == 0
    # --judge-unrecordable judges them anyway; the missing findings are then pointed out.
    r = run("check", census, "--rules", files["rules"], "--as-at", "2024-10-14", "--format", "json",
            "--judge-unrecordable")
    assert [f["status"] for f in json.loads(r.stdout)["findings"]] == ["missing", "missing"]
    doc = json.loads(r.stdout)
    said = "rule SOFT: 2 missing findings, but no case holds any referral_decision event"
    assert f"casecheck: warning: {files['rules']}:" in r.stderr and said in r.stderr
    [warning] = [w for w in doc["warnings"] if said in w["message"]]
    assert warning["file"] == files["rules"] and warning["line"] is not None
    assert "not judged" not in r.stderr
    assert r.exit_code == 0  # SOFT is a warning rule
    answered = write("answered.xml", "<Message><Children><Child><ChildIdentifiers><LAchildID>K9</LAchildID>"
                                     "</ChildIdentifiers><CINdetails><CINreferralDate>2022-01-01</CINreferralDate>"
                                     "</CINdetails></Child></Children></Message>")
    both = run("check", answered, files["soft"], "--rules", files["rules"], "--as-at", "2024-10-14")
    assert "does the data record them" not in both.stderr


def test_text_summary_line_counts_in_good_english(files):
    one = run("check", files["late"], "--rules", files["rules"], "--as-at", "2024-10-14")
    assert one.stdout.splitlines()[-1] == "As at 2024-10-14: 1 case checked, 1 breach (1 late), 0 warnings, 0 excused."
    none = run("check", files["met"], "--rules", files["rules"], "--as-at", "2024-10-14")
    assert none.stdout.splitlines()[-1] == "As at 2024-10-14: 1 case checked, 0 breaches, 0 warnings, 0 excused."
    one_finding = run("check", files["met"], "--rules", files["rules"], "--as-at", "2024-10-14", "--all")
    assert one_finding.stdout.splitlines()[-1] == ("As at 2024-10-14: 1 case checked, 1 finding (1 met): "
                                                   "0 breaches, 0 warnings, 0 excused.")
    # A warning-severity breach is a warning in the headline, never a breach (exit 0).
    soft = run("check", files["soft"], "--rules", files["rules"], "--as-at", "2024-10-14")
    assert soft.stdout.splitlines()[-1] == "As at 2024-10-14: 1 case checked, 0 breaches, 1 warning, 0 excused."
    assert soft.exit_code == 0
