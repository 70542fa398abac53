"""Commands read their arguments the same way: rules with --rules (rule files given as arguments
too, for `rules test` and `rules lint`), and `calendar` works in a ruleset's own calendar."""

from click.testing import CliRunner

from casecheck.cli import main

OWN = """ruleset: own
title: Our council's standards
calendar: {base: england-and-wales, closed: [2022-12-28, 2022-12-29, 2022-12-30]}
rules:
  - id: OWN-1
    title: Reply in 5 working days
    cite: Our practice standard 1
    kind: response
    trigger: ask
    expect: reply
    within: 5 working days
    examples:
      - name: replied in time
        events: [{date: 2022-12-20, type: ask}, {date: 2023-01-04, type: reply}]
        expect: [{status: met, due: 2023-01-04}]
"""
OTHER = """ruleset: other
calendar: scotland
rules:
  - {id: OTHER-1, title: T, kind: response, trigger: ask, expect: reply, within: 2 days}
"""


def run(*args):
    return CliRunner().invoke(main, list(args))


def test_rules_test_takes_rule_files_as_arguments_or_with_rules(write):
    own = write("own.yaml", OWN)
    for args in (["rules", "test", own], ["rules", "test", "--rules", own]):
        r = run(*args)
        assert r.exit_code == 0, r.output
        assert r.stdout.strip().endswith("1 passed, 0 failed")


def test_rules_lint_reads_a_rule_file_argument_as_rules_and_other_paths_as_cases(write):
    own = write("own.yaml", OWN)
    case = write("case.yaml", "case: C\nevents: [{date: 2022-12-20, type: ask}, {date: 2022-12-21, type: rply}]\n")
    r = run("rules", "lint", own)
    assert "1 rule, 0 cases: 0 errors" in r.stdout, r.output
    r = run("rules", "lint", case, "--rules", own)
    assert "1 rule, 1 case: 0 errors" in r.stdout and "rply" in r.stdout
    r = run("rules", "lint", own, case)  # the same, with the rule file among the arguments
    assert "1 rule, 1 case: 0 errors" in r.stdout and "rply" in r.stdout


def test_calendar_uses_a_rulesets_own_closure_days_and_words_them(write):
    own = write("own.yaml", OWN)
    plain = run("calendar", "add", "2022-12-20", "5 working days")
    assert plain.stdout.startswith("2022-12-29 ")
    r = run("calendar", "add", "2022-12-20", "5 working days", "--rules", own)
    assert r.exit_code == 0 and r.stdout.startswith("2023-01-04 (Wednesday 4 January 2023)")
    assert "weekends and England and Wales bank holidays and 3 closure days of the council's own excluded" in r.stdout
    assert "england-and-wales+3" not in r.stdout
    closed = run("calendar", "add", "2022-12-20", "5 working days", "--closed", "2022-12-28", "--closed", "2022-12-29")
    assert closed.stdout.startswith("2023-01-03 ")
    r = run("calendar", "between", "2022-12-20", "2023-01-05", "--rules", own)
    assert r.stdout.startswith("16 calendar days, 6 working days")
    assert "Bank holidays and closure days in between: 2022-12-26 (Mon), 2022-12-27 (Tue), 2022-12-28 (Wed)" in r.stdout


def test_calendar_with_rulesets_of_different_calendars_needs_ruleset(write):
    own, other = write("own.yaml", OWN), write("other.yaml", OTHER)
    r = run("calendar", "add", "2022-12-20", "5 working days", "--rules", own, "--rules", other)
    assert r.exit_code == 2 and "--ruleset NAME" in r.stderr and "other, own" in r.stderr
    r = run("calendar", "add", "2022-12-20", "5 working days", "--rules", own, "--rules", other, "--ruleset", "own")
    assert r.exit_code == 0 and r.stdout.startswith("2023-01-04 ")
    r = run("calendar", "add", "2022-12-20", "5 working days", "--rules", own, "--ruleset", "nope")
    assert r.exit_code == 2 and "no ruleset 'nope'" in r.stderr
    assert run("calendar", "add", "2022-12-20", "5 working days", "--ruleset", "own").exit_code == 2


def test_rules_explain_words_a_custom_calendar(write):
    own = write("own.yaml", OWN)
    r = run("rules", "explain", "OWN-1", "--rules", own)
    assert "weekends and England and Wales bank holidays and 3 closure days of the council's own excluded" in r.stdout
    assert "+3" not in r.stdout
