"""Filters and choices checked against the data: an unknown name is refused (exit 2, nothing
written) with the closest one, never taken to mean "nothing"; the documents exit 0 once written."""

import json

import pytest

from conftest import run_cli as run
from casecheck.inputs import bundled

AS_AT = "2024-10-14"


def test_due_refuses_a_worker_not_in_the_cases_with_the_closest_name_and_writes_nothing(tmp_path):
    out = tmp_path / "due.json"
    r = run("due", "--as-at", AS_AT, "--worker", "W-Brich", "--format", "json", "-o", out)
    assert r.exit_code == 2 and not out.exists() and r.stdout == ""
    assert "--worker: no worker 'W-Brich' in these cases; did you mean 'W-Birch'?" in r.output
    r = run("due", "--as-at", AS_AT, "--team", "CIN Nroth")
    assert r.exit_code == 2 and "no team 'CIN Nroth' in these cases; did you mean 'CIN North'?" in r.output


def test_due_exits_by_the_list_it_shows():
    whole = json.loads(run("due", "--as-at", AS_AT, "--format", "json").stdout)["totals"]
    assert whole["overdue_breaches"] > 0 and run("due", "--as-at", AS_AT).exit_code == 1
    # W-Birch's cases have no overdue breach: her list is clean, whatever the cohort holds
    birch = run("due", "--as-at", AS_AT, "--worker", "W-Birch", "--format", "json")
    assert json.loads(birch.stdout)["totals"]["overdue_breaches"] == 0 and birch.exit_code == 0
    cedar = run("due", "--as-at", AS_AT, "--worker", "W-Cedar", "--format", "json")
    assert json.loads(cedar.stdout)["totals"]["overdue_breaches"] > 0 and cedar.exit_code == 1


@pytest.mark.parametrize("args, hint", [
    (["summary", "--by", "teem"], "did you mean 'team'?"),
    (["report", "--by", "teem", "-o", "OUT"], "did you mean 'team'?"),
    (["due", "--group-by", "teem"], "did you mean 'team'?"),
    (["check", "--format", "jsn"], "did you mean 'json'?"),
])
def test_a_misspelt_level_or_format_suggests_the_closest(args, hint, tmp_path):
    r = run(*[str(tmp_path / "r.html") if a == "OUT" else a for a in args], "--as-at", AS_AT)
    assert r.exit_code == 2 and hint in r.output
    assert not (tmp_path / "r.html").exists()


def test_chronology_case_lists_the_cases_and_suggests_one():
    r = run("chronology", str(bundled.cases_dir() / "fictional-cin.yaml"), "--case", "FIC-002", "--as-at", AS_AT)
    assert r.exit_code == 2
    assert "did you mean 'FIC-0002'? (cases there: FIC-0001, FIC-0002, FIC-0003)" in r.output


@pytest.mark.parametrize("command, offered", [
    (["summary"], "'text', 'csv', 'xlsx', 'html'"),
    (["report", "-o", "OUT"], "'html'"),
    (["chronology", "CASE"], "'markdown', 'html'"),
])
def test_a_bad_format_offers_only_that_commands_formats(command, offered, tmp_path):
    args = [str(tmp_path / "r.html") if a == "OUT" else str(bundled.cases_dir() / "york-23-011-844.yaml")
            if a == "CASE" else a for a in command]
    r = run(*args, "--format", "pdf")
    assert r.exit_code == 2 and offered in r.output
    others = {"json", "markdown", "xlsx", "yaml", "--input-format"} - {w.strip("'") for w in offered.split(", ")}
    assert not any(o in r.output.split("Error:")[1] for o in others)


def test_a_command_without_format_says_what_it_offers_not_another_option():
    r = run("convert", str(bundled.cases_dir()), "--format", "csv")
    assert r.exit_code == 2 and "convert has no --format option; it writes csv or yaml, chosen with --to" in r.output
    assert "--input-format" not in r.output


def test_report_takes_format_html_and_the_documents_exit_0_once_written(tmp_path):
    report = tmp_path / "r.html"
    assert run("check", "--as-at", AS_AT).exit_code == 1  # the cohort has breaches
    r = run("report", "--as-at", AS_AT, "--format", "html", "-o", report)
    assert r.exit_code == 0 and report.read_text().startswith("<!DOCTYPE html>")
    assert run("summary", "--as-at", AS_AT).exit_code == 0
    assert run("chronology", str(bundled.cases_dir() / "york-23-011-844.yaml"), "--as-at", AS_AT).exit_code == 0


def test_the_documents_exit_2_for_an_unreadable_input_though_they_are_written(write, tmp_path):
    bad = write("bad.yaml", "case: X\nevents: [{date: 2024-13-45, type: referral}]\n")
    good = str(bundled.cases_dir() / "york-23-011-844.yaml")
    report = tmp_path / "r.html"
    r = run("report", good, bad, "--as-at", AS_AT, "-o", report)
    assert r.exit_code == 2 and report.exists() and "bad.yaml" in r.stderr
    r = run("summary", good, bad, "--as-at", AS_AT)
    assert r.exit_code == 2 and r.stdout.startswith("Compliance as at")
