"""A misspelled key anywhere in a rule file, its examples and their expected findings included, is
refused when any command loads the file: exit 2, naming the file, the line, the key and the key meant."""

import pytest

from conftest import run_cli
from casecheck.inputs import bundled
from casecheck.rules.load import load_rules

RULE = """ruleset: t
title: Test standards
in_force: {from: 2020-01-01}
rules:
  - id: S2
    title: Stage 2 response
    cite: Test Act 2024 s2
    kind: response
    trigger: stage2_started
    expect: stage2_response
    within: 25 working days
    extend: {by: stage2_extended, to: 65 working days}
    paused_by: awaiting_complainant
    resumed_by: complainant_replied
    examples:
      - name: paused a week
        as_at: 2024-10-14
        events:
          - {date: 2024-05-01, type: stage2_started}
          - {date: 2024-05-07, type: awaiting_complainant}
          - {date: 2024-05-14, type: complainant_replied}
          - {date: 2024-06-10, type: stage2_response}
        expect:
          - {status: met, due: 2024-06-14, clock_stops: [{from: 2024-05-07, until: 2024-05-14}]}
"""

# (what is misspelled, the text to change, its misspelling, the line it is on, the key meant)
TYPOS = [
    ("example key", "        expect:\n", "        expext:\n", 23, "expect"),
    ("expected finding key", "{status: met,", "{staus: met,", 24, "status"),
    ("expected clock stop key", "[{from: 2024-05-07, until:", "[{from: 2024-05-07, untill:", 24, "until"),
    ("example event key", "{date: 2024-06-10, type: stage2_response}", "{date: 2024-06-10, tpye: stage2_response}", 22,
     "type"),
    ("example name key", "      - name: paused a week\n", "      - nmae: paused a week\n", 16, "name"),
    ("rule field", "    resumed_by: complainant_replied\n", "    resumed_bye: complainant_replied\n", 14, "resumed_by"),
    ("ruleset field", "title: Test standards\n", "titel: Test standards\n", 2, "title"),
    ("extend key", "extend: {by: stage2_extended, to:", "extend: {by: stage2_extended, too:", 12, "to"),
    ("in_force key", "in_force: {from: 2020-01-01}", "in_force: {form: 2020-01-01}", 3, "from"),
]


def test_the_rule_file_without_typos_loads_and_its_example_passes(write):
    rules = write("rules.yaml", RULE)
    assert load_rules([rules])[1] == []
    r = run_cli("rules", "test", "--rules", rules)
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("what, right, wrong, line, meant", TYPOS, ids=[t[0] for t in TYPOS])
@pytest.mark.parametrize("command", [["check"], ["due"], ["summary"], ["rules", "list"], ["rules", "test"],
                                     ["rules", "lint"]], ids=" ".join)
def test_a_misspelled_key_is_refused_by_every_command_naming_file_line_key_and_the_key_meant(
        write, what, right, wrong, line, meant, command):
    assert RULE.count(right) == 1
    rules = write("rules.yaml", RULE.replace(right, wrong))
    key = next(w for w in wrong.replace("{", " ").replace(",", " ").split() if w.endswith(":")
               and w[:-1] not in right)[:-1]
    args = [*command, "--rules", rules] + ([str(bundled.cases_dir() / "fictional-complaints.yaml"),
                                           "--as-at", "2024-10-14"] if command[0] != "rules" else [])
    r = run_cli(*args)
    assert r.exit_code == 2, (r.exit_code, r.output)
    assert f"{rules}:{line}:" in r.stderr and repr(key) in r.stderr and f"did you mean {meant!r}?" in r.stderr, r.stderr


def test_an_event_attribute_that_is_no_misspelling_is_kept(write):
    # an example's event may carry any attribute: only a near miss of date or type is refused
    rules = write("rules.yaml", RULE.replace("{date: 2024-05-01, type: stage2_started}",
                                             "{date: 2024-05-01, type: stage2_started, complaint: c1}"))
    assert load_rules([rules])[1] == []


def test_the_bundled_library_has_no_misspelled_key():
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == [] and rules


@pytest.mark.parametrize("field, text, key, meant", [
    ("suspended", "    suspended: [{from: 2020-04-24, untill: 2020-09-25, by: SI 2020/445 reg 5}]\n", "untill", "until"),
    ("then", "    then: [{afterr: 1 year, every: 3 months}]\n", "afterr", "after")])
def test_a_misspelled_key_in_a_suspended_period_or_a_then_step_is_named_with_the_key_meant(write, field, text, key,
                                                                                           meant):
    rules = write("rules.yaml", "ruleset: t\nrules:\n  - id: V\n    kind: every\n    from: placement_started\n"
                                "    expect: lac_visit\n    every: 6 weeks\n" + text)
    r = run_cli("rules", "list", "--rules", rules)
    assert r.exit_code == 2
    assert f"{rules}:8: rule V: unknown key {key!r} in " in r.stderr and f"(did you mean {meant!r}?)" in r.stderr
