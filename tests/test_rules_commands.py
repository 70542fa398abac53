"""`casecheck rules list|explain|test|lint` and `casecheck calendar add|between`."""

import json

from click.testing import CliRunner

from casecheck.cli import main
from casecheck.replay.examples import run_examples
from casecheck.rules.load import load_rules

RULE = """\
ruleset: mine
title: My council's standards
rules:
  - id: MIN-15WD
    title: Minutes within 15 working days
    cite: Practice standard 4.2
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 15 working days
    match: [meeting]
    examples:
      - name: on the due date
        events:
          - {date: 2022-02-15, type: cin_meeting, meeting: m1}
          - {date: 2022-03-08, type: minutes_sent, meeting: m1}
        expect:
          - {status: met, due: 2022-03-08, actual: 2022-03-08}
      - name: eight weeks late
        events:
          - {date: 2022-02-15, type: cin_meeting, meeting: m1}
          - {date: 2022-04-12, type: minutes_sent, meeting: m1}
        expect:
          - {status: late, due: 2022-03-08, days_late: 35, working_days_late: 25}
      - name: another meeting's minutes do not count
        as_at: 2022-03-09
        events:
          - {date: 2022-02-15, type: cin_meeting, meeting: m1}
          - {date: 2022-02-16, type: minutes_sent, meeting: m0}
        expect:
          - {status: missing, trigger: 2022-02-15, actual: null, days_late: 1}
"""


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_examples_pass_and_a_wrong_expectation_fails(write):
    rules, errors = load_rules([write("r.yaml", RULE)])
    assert errors == []
    results = run_examples(rules)
    assert [(r.name, r.passed) for r in results] == [("on the due date", True), ("eight weeks late", True),
                                                    ("another meeting's minutes do not count", True)]
    wrong = RULE.replace("days_late: 35", "days_late: 34")
    [bad] = [r for r in run_examples(load_rules([write("w.yaml", wrong)])[0]) if not r.passed]
    assert bad.name == "eight weeks late" and bad.actual[0]["days_late"] == 35 and bad.line == 19


def test_rules_test_reports_like_a_test_runner(write):
    good = run("rules", "test", write("r.yaml", RULE), "-v")
    assert good.exit_code == 0 and "PASS MIN-15WD: on the due date" in good.stdout
    assert good.stdout.strip().endswith("3 passed, 0 failed")
    bad = run("rules", "test", write("w.yaml", RULE.replace("status: met", "status: late")))
    assert bad.exit_code == 1
    assert "FAIL MIN-15WD: on the due date" in bad.stdout
    assert "expected: status late, due 2022-03-08, actual 2022-03-08" in bad.stdout
    assert "actual:   status met, due 2022-03-08, trigger 2022-02-15, actual 2022-03-08" in bad.stdout
    assert bad.stdout.strip().endswith("2 passed, 1 failed")


def test_malformed_examples_are_reported_with_their_line(write):
    text = RULE.replace("          - {status: met, due: 2022-03-08, actual: 2022-03-08}",
                        "          - {status: met, deu: 2022-03-08}")
    r = run("rules", "test", write("r.yaml", text))
    # a misspelled key is refused when the rule is loaded, as by every command
    assert r.exit_code == 2 and "unknown key 'deu' in an expected finding (did you mean 'due'?)" in r.stderr
    assert "r.yaml:" in r.stderr
    text = RULE.replace("{date: 2022-03-08, type: minutes_sent, meeting: m1}", "{date: 2022-03-32, type: minutes_sent}")
    r = run("rules", "test", write("d.yaml", text))
    assert r.exit_code == 1 and "not an ISO date" in r.stdout


def test_rules_list_shows_every_rule(write):
    r = run("rules", "list", "--rules", write("r.yaml", RULE), "--format", "json")
    assert json.loads(r.stdout)["rules"] == [{"id": "MIN-15WD", "ruleset": "mine",
                                              "title": "Minutes within 15 working days", "kind": "response",
                                              "window": "15 working days", "severity": "breach",
                                              "cite": "Practice standard 4.2", "verification": None}]
    text = run("rules", "list", "--rules", write("r.yaml", RULE))
    assert text.stdout.splitlines()[:3] == ["My council's standards (mine)", "  MIN-15WD: Minutes within 15 working days",
                                           "    response, 15 working days; Practice standard 4.2"]


def test_window_text_for_each_kind():
    from conftest import make_rules
    from casecheck.rules.explain import window
    rules = make_rules(
        dict(id="E", kind="every", expect="lac_review", first=["20 working days", "3 months"], every="6 months",
             **{"from": "became_looked_after"}),
        dict(id="V", kind="every", expect="lac_visit", first="1 week", every="6 weeks",
             then=[{"after": "1 year", "every": "3 months"}], **{"from": "placement_started"}),
        dict(id="M", kind="max_duration", limit="9 months", **{"from": "cin_plan_started"}),
        dict(id="T", kind="max_total", limit="75 days", window="12 months", **{"from": "short_break_started"}))
    assert [window(r) for r in rules] == [
        "every 6 months (first 20 working days, then 3 months)",
        "every 6 weeks (first 1 week); every 3 months after 1 year",
        "at most 9 months", "at most 75 days in any 12 months"]


def test_rules_explain_gives_the_arithmetic(write):
    r = run("rules", "explain", "MIN-15WD", "--rules", write("r.yaml", RULE))
    assert r.exit_code == 0
    assert ("It is due on the 15th working day after the 'cin_meeting', weekends and England and Wales bank "
            "holidays excluded.") in r.stdout
    assert "with the same 'meeting'" in r.stdout and "`" not in r.stdout and "Citation: Practice standard 4.2" in r.stdout
    missing = run("rules", "explain", "MIN-15W", "--rules", write("r.yaml", RULE))
    assert missing.exit_code == 2 and "did you mean MIN-15WD" in missing.stderr


def test_rules_lint_warns_with_file_and_line(write):
    rules = write("r.yaml", "ruleset: t\nrules:\n"
                            "  - id: A\n    title: a\n    cite: x\n    kind: response\n    trigger: cin_meting\n"
                            "    expect: minutes_sent\n    within: 1 day\n"
                            "  - id: B\n    title: b\n    cite: x\n    kind: response\n    trigger: cin_meting\n"
                            "    expect: minutes_sent\n    within: 1 day\n"
                            "  - id: C\n    kind: response\n    trigger: cin_meeting\n    expect: cin_meeting\n    within: 4 weeks\n")
    cases = write("c.csv", "case,date,type\nX,2022-01-01,cin_meeting\nX,2022-01-02,minuts_sent\nY,2022-01-03,minuts_sent\n")
    r = run("rules", "lint", cases, "--rules", rules)
    out = r.stdout
    assert r.exit_code == 1
    assert f"warning: {rules}:3: rule A: 'trigger' names an unknown event type 'cin_meting' (did you mean 'cin_meeting'?)" in out
    assert f"warning: {rules}:10: rule B judges exactly what rule A does ({rules}:3): duplicate findings" in out
    assert f"{rules}:17: rule C: cin_meeting is both trigger and expect" in out
    assert f"{rules}:17: rule C has no 'cite'" in out and f"{rules}:17: rule C has no 'title'" in out
    assert f"warning: {cases}:3: unknown event type 'minuts_sent' (did you mean 'minutes_sent'?), 2 times" in out
    assert out.strip().endswith("3 rules, 2 cases: 0 errors, 10 warnings")


def test_calendar_add_and_between():
    r = run("calendar", "add", "2022-05-27", "5 working days")
    assert r.stdout.splitlines()[0] == "2022-06-07 (Tuesday 7 June 2022)"
    assert "Bank holidays skipped: 2022-06-02 (Thu), 2022-06-03 (Fri)" in r.stdout
    r = run("calendar", "add", "2022-05-16", "12 months", "--beginning-with")
    assert r.stdout.startswith("2023-05-15 ")
    r = run("calendar", "between", "2022-03-08", "2022-04-12")
    assert r.stdout.startswith("35 calendar days, 25 working days from 2022-03-08 (Tue) to 2022-04-12 (Tue); working "
                               "days are Monday to Friday less England and Wales bank holidays.")
    r = run("calendar", "add", "2022-07-29", "1 working day", "--calendar", "scotland")
    assert r.stdout.startswith("2022-08-02 ")
    bad = run("calendar", "add", "2022-05-27", "five days")
    assert bad.exit_code == 2 and "expected a duration" in bad.stderr


def test_the_rule_in_docs_rules_md_loads_and_its_examples_pass(write):
    import re
    from pathlib import Path
    doc = (Path(__file__).resolve().parent.parent / "docs" / "rules.md").read_text(encoding="utf-8")
    first_block = re.search(r"```yaml\n(.*?)```", doc, re.S).group(1)
    rules, errors = load_rules([write("doc.yaml", first_block)])
    assert errors == [] and [r.id for r in rules] == ["MC-MINUTES-10WD"]
    results = run_examples(rules)
    assert len(results) == 2 and all(r.passed for r in results), [(r.expected, r.actual) for r in results]


def test_library_markdown_explains_each_rule_with_its_examples(write):
    r = run("rules", "list", "--rules", write("r.yaml", RULE), "--format", "markdown")
    assert r.exit_code == 0
    assert "### MIN-15WD: Minutes within 15 working days" in r.stdout
    assert "Breach, `response`, 15 working days. Citation: Practice standard 4.2" in r.stdout
    assert "It is due on the 15th working day after the `cin_meeting`" in r.stdout
    assert "- name: eight weeks late" in r.stdout and "days_late: 35" in r.stdout
