"""Rule files with the wrong types: a named error for the field, never a TypeError, in every command."""

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.model import InputProblem
from casecheck.rules.load import ALL_RULE_FIELDS, RULESET_FIELDS, ruleset_from_data

GOOD = {"id": "R1", "kind": "response", "trigger": "referral", "expect": "assessment_completed",
        "within": "10 days"}
ODD = [["response"], {"base": ["x"]}, {"a": {"b": 1}}, 12345, True, 1.5, [], {}, [[1]], "9" * 5000]


@pytest.mark.parametrize("value", ODD, ids=repr)
def test_any_rule_field_of_any_type_is_an_error_or_accepted_never_a_crash(value):
    for key in ALL_RULE_FIELDS:
        rule = dict(GOOD, **{key: value})
        rules, errors = ruleset_from_data({"ruleset": "x", "rules": [rule]}, "r.yaml")
        assert rules or errors
        assert all(e.file == "r.yaml" and e.message for e in errors)
        if errors:
            assert "R1" in errors[0].message or "rule" in errors[0].message


@pytest.mark.parametrize("value", ODD, ids=repr)
def test_any_ruleset_field_of_any_type_is_an_error_never_a_crash(value):
    for key in RULESET_FIELDS:
        data = {"ruleset": "x", "rules": [GOOD], key: value}
        try:
            rules, errors = ruleset_from_data(data, "r.yaml")
        except InputProblem as p:
            assert p.error.file == "r.yaml" and p.error.message
        else:
            assert rules or errors or (key == "rules" and value == [])


@pytest.mark.parametrize("field, text", [("kind", "[response]"), ("kind", "{a: 1}"), ("severity", "[breach]"),
                                         ("counting", "{x: 1}")])
def test_a_list_or_mapping_where_one_word_belongs_is_named(field, text):
    from casecheck.inputs.structured import parse_yaml
    data = parse_yaml(f"ruleset: x\nrules:\n  - id: R1\n    kind: response\n    trigger: a\n    expect: b\n"
                      f"    within: 1 day\n    {field}: {text}\n".replace("    kind: response\n", "")
                      if field == "kind" else
                      f"ruleset: x\nrules:\n  - id: R1\n    kind: response\n    trigger: a\n    expect: b\n"
                      f"    within: 1 day\n    {field}: {text}\n", "r.yaml")
    rules, errors = ruleset_from_data(data, "r.yaml")
    assert rules == [] and errors[0].line == 8 - (field == "kind")
    assert f"'{field}' must be one word" in errors[0].message


@pytest.mark.parametrize("cmd", [["rules", "list"], ["rules", "lint"], ["rules", "explain", "R1"],
                                 ["rules", "test"], ["check"]])
@pytest.mark.parametrize("body", ["    kind: [response]\n", "    kind: {a: 1}\n", "    kind: response\n    within: [1]\n"])
def test_every_rules_command_names_the_bad_rule_and_exits_2(write, cmd, body):
    rules = write("bad.yaml", "ruleset: x\ncalendar: {base: [england-and-wales]}\nrules:\n  - id: R1\n" + body)
    case = write("a.yaml", "case: A\nevents:\n  - {date: 2022-01-03, type: referral}\n")
    args = cmd + ([rules] if cmd == ["rules", "test"] else ["--rules", rules]) + (
        [case] if cmd[0] == "check" or cmd[1:] == ["lint"] else [])
    res = CliRunner().invoke(main, args)
    out = res.output
    assert res.exit_code == 2 and "Traceback" not in out and "internal error" not in out
    assert "bad.yaml" in out and "calendar" in out
