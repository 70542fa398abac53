"""Messages that say how to fix the input."""

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.inputs.cases import load_cases
from casecheck.rules.load import load_rules

RULE_FILE = "ruleset: x\nrules:\n  - {id: R1, kind: response, trigger: a, expect: b, within: 1 day}\n"
CASE_FILE = "case: A\nevents:\n  - {date: 2022-01-03, type: referral}\n"


@pytest.mark.parametrize("header, words", [("case;date;type", "separated by a semicolon (;)"),
                                           ("case\tdate\ttype", "separated by a tab"),
                                           ("Case,Date,Type", "headers are lower case: rename Case, Date, Type"),
                                           ("case,Date,type", "rename Date to date")])
def test_a_header_that_is_nearly_right_says_how_to_fix_it(write, header, words):
    sep = ";" if ";" in header else "\t" if "\t" in header else ","
    path = write("log.csv", header + "\n" + sep.join(["A", "2022-01-03", "referral"]) + "\n")
    cases, errors = load_cases([path])
    assert cases == [] and (errors[0].file, errors[0].line) == (path, 1) and words in errors[0].message


def test_the_empty_rows_a_spreadsheet_leaves_are_ignored(write):
    path = write("log.csv", "case,date,type,team\nA,2022-01-03,referral,\n,,,\n, , ,\n,,\n\n")
    cases, errors = load_cases([path])
    assert errors == [] and [c.id for c in cases] == ["A"]


def test_a_row_without_a_case_but_with_data_is_still_an_error(write):
    path = write("log.csv", "case,date,type\nA,2022-01-03,referral\n,2022-01-04,referral\n")
    cases, errors = load_cases([path])
    assert [(e.line, e.message) for e in errors] == [(3, "row has no case")]


def test_a_rule_file_given_as_a_case_file_is_named_as_such(write):
    rules = write("rules.yaml", RULE_FILE)
    cases, errors = load_cases([rules, write("a.yaml", CASE_FILE)])
    assert [c.id for c in cases] == ["A"]
    assert errors[0].file == rules and "this is a rule file" in errors[0].message and "--rules" in errors[0].message


@pytest.mark.parametrize("text", [CASE_FILE, "- " + CASE_FILE.replace("\n", "\n  "), "cases:\n  - case: A\n"])
def test_a_case_file_given_as_a_rule_file_is_named_as_such(write, text):
    rules, errors = load_rules([write("c.yaml", text)])
    assert rules == [] and "this is a case file" in errors[0].message


def test_the_command_line_shows_the_hint(write):
    res = CliRunner().invoke(main, ["check", write("log.csv", "case;date;type\nA;2022-01-03;referral\n"),
                                    "--as-at", "2022-06-01"])
    assert res.exit_code == 2 and "log.csv:1:" in res.output and "semicolon" in res.output
