"""The view commands share check's conventions: help with examples, paths, exit status."""

import pytest
from click.testing import CliRunner

from casecheck.cli import main

VIEWS = ("chronology", "summary", "due", "report")


@pytest.mark.parametrize("command", VIEWS)
def test_help_has_an_example_and_the_shared_options(command):
    r = CliRunner().invoke(main, [command, "--help"])
    assert r.exit_code == 0
    assert "Examples:" in r.stdout and f"casecheck {command} " in r.stdout
    assert "--rules PATH" in r.stdout and "--as-at YYYY-MM-DD" in r.stdout and "Exit status" in r.stdout


@pytest.mark.parametrize("command", ("check",) + VIEWS)
def test_every_command_that_reads_cases_takes_the_same_input_options(command):
    r = CliRunner().invoke(main, [command, "--help"])
    options = [line.split()[0].rstrip(",") for line in r.stdout.splitlines() if line.strip().startswith("-")]
    shared = ["--rules", "--as-at", "--input-format", "-j"]
    assert [o for o in options if o in shared] == shared, options


def test_views_replayed_in_worker_processes_give_the_same_findings(monkeypatch):
    from casecheck.commands import views
    from casecheck.inputs import bundled
    from casecheck.inputs.cases import load_cases
    from casecheck.replay import check
    from casecheck.rules.load import load_rules
    import datetime as dt

    rules, _ = load_rules([str(bundled.rules_dir())])
    cases, _ = load_cases([str(bundled.cases_dir())])
    as_at = dt.date(2026, 11, 24)
    monkeypatch.setattr(views, "PARALLEL_FROM_CASES", 0)
    monkeypatch.setattr(views, "BATCH", 1)
    key = lambda f: (f.case, f.rule.id, f.status, f.trigger.date, f.due, f.days_late, f.working_days_late,
                     f.case_attrs)
    serial = [key(f) for f in check(cases, rules, as_at)]
    assert len(serial) > 10 and len(cases) > 1
    assert [key(f) for f in views.replay(cases, rules, as_at, workers=2)] == serial


def test_the_group_help_lists_the_views():
    r = CliRunner().invoke(main, ["--help"])
    for command in VIEWS:
        assert f"  {command} " in r.stdout


@pytest.mark.parametrize("args", [("summary",), ("due",), ("report", "-o", "OUT")])
def test_unreadable_input_exits_2_and_is_named(args, write, tmp_path):
    bad = write("bad.yaml", "case: B\nevents:\n  - {date: 2022-02-30, type: cin_meeting}\n")
    args = [str(tmp_path / "r.html") if a == "OUT" else a for a in args]
    r = CliRunner().invoke(main, [*args, bad, "--as-at", "2024-10-14"])
    assert r.exit_code == 2 and f"{bad}:3" in r.stderr


@pytest.mark.parametrize("command", ["summary", "due"])
def test_no_breach_exits_0(command, write):
    rules = write("rules.yaml", "ruleset: t\nrules:\n  - {id: R, title: T, kind: response, trigger: a, expect: b, "
                  "within: 2 days}\n")
    case = write("c.yaml", "case: C\nevents: [{date: 2024-01-01, type: a}, {date: 2024-01-02, type: b}]\n")
    r = CliRunner().invoke(main, [command, case, "--rules", rules, "--as-at", "2024-02-01"])
    assert r.exit_code == 0, r.output
    assert CliRunner().invoke(main, [command, case, "--rules", rules, "--as-at", "bad"]).exit_code == 2
