"""Rule files (SPEC §2) are validated on load; each error names file, line, rule and field."""

import pytest

from casecheck.rules.load import load_rules

HEAD = "ruleset: test\ntitle: Test rules\nrules:\n"
GOOD = """\
  - id: GOOD
    title: A good rule
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 15 working days
"""


def _load(write, body, name="r.yaml"):
    return load_rules([write(name, HEAD + body + GOOD)])


def test_a_good_rule_file_loads_every_field(write):
    body = """\
  - id: FULL
    title: Everything
    cite: Somewhere, para 3
    severity: warning
    kind: every
    expect: [case_summary, case_summary_update]
    every: 3 months
    first: 20 working days
    from: case_opened
    until: case_closed
    counting: beginning_with
    in_force: {from: 2022-10-01, until: 2030-01-01}
    where: {route: [cin, cp]}
"""
    rules, errors = _load(write, body)
    assert errors == []
    full = rules[0]
    assert (full.id, full.kind, full.severity, full.cite) == ("FULL", "every", "warning", "Somewhere, para 3")
    assert full.expect == {"case_summary", "case_summary_update"} and full.start == {"case_opened"}
    assert str(full.every) == "3 months" and [str(d) for d in full.first] == ["20 working days"] and full.beginning_with
    assert [str(d) for d in full.in_force] == ["2022-10-01", "2030-01-01"]
    assert full.where == {"route": {"cin", "cp"}} and full.line == 4
    assert rules[1].title == "A good rule" and rules[1].severity == "breach" and rules[1].calendar.name == "england-and-wales"


@pytest.mark.parametrize("body,line,message", [
    ("  - id: X\n    kind: reponse\n", 5, "unknown kind 'reponse' (did you mean 'response'?)"),
    ("  - id: X\n    trigger: a\n", 4, "no 'kind'"),
    ("  - id: X\n    kind: response\n    trigger: a\n    expect: b\n    within: fifteen days\n", 8,
     "'within': expected a duration"),
    ("  - id: X\n    kind: response\n    trigger: a\n    expect: b\n", 4, "response rules need 'within'"),
    ("  - id: X\n    kind: response\n    trigger: a\n    expect: b\n    within: 1 day\n    macth: [m]\n", 9,
     "unknown field 'macth' (did you mean 'match'?)"),
    ("  - id: X\n    kind: max_duration\n    from: a\n    limit: 9 months\n    every: 3 months\n", 8,
     "'every' is not a field of a max_duration rule"),
    ("  - id: X\n    kind: every\n    expect: a\n    every: 3 months\n", 4, "every rules need 'from'"),
    ("  - id: X\n    kind: response\n    trigger: Bad Name\n    expect: b\n    within: 1 day\n", 6, "lower_snake_case"),
    ("  - id: X\n    kind: response\n    trigger: a\n    expect: b\n    within: 1 day\n    severity: fatal\n", 9,
     "'severity' must be breach or warning"),
    ("  - id: X\n    kind: response\n    trigger: a\n    expect: b\n    within: 1 day\n    counting: from_day_one\n", 9,
     "'counting' must be after or beginning_with"),
    ("  - id: X\n    kind: response\n    trigger: a\n    expect: b\n    within: 1 day\n    in_force: {from: 2023-13-01}\n",
     9, "'in_force.from': not an ISO date"),
    ("  - id: X\n    kind: response\n    trigger: a\n    expect: b\n    within: 1 day\n"
     "    in_force: {from: 2024-01-01, until: 2023-01-01}\n", 9, "'from' is after 'until'"),
    ("  - id: X\n    kind: response\n    trigger: a\n    expect: b\n    within: 0 days\n", 8, "at least 1"),
    ("  - id: X\n    kind: response\n    trigger: []\n    expect: b\n    within: 1 day\n", 6, "names no event type"),
    ("  - title: no id\n    kind: response\n", 4, "a rule has no 'id'"),
    ("  - id: GOOD\n    kind: response\n    trigger: a\n    expect: b\n    within: 1 day\n", None,
     "duplicate rule id (first in"),
])
def test_rule_errors_name_file_line_rule_and_field(write, body, line, message):
    rules, errors = _load(write, body)
    assert len(errors) == 1, errors
    err = errors[0]
    assert message in err.message and err.file.endswith("r.yaml")
    if line is not None:
        assert err.line == line
    if "id: X" in body:
        assert err.message.startswith("rule X:")
    # The bad rule is left out; the good rule of the same file is still loaded.
    assert [r.id for r in rules] == ["GOOD"]


def test_duplicate_rule_ids_across_files_name_the_first(write):
    first = write("a.yaml", HEAD + GOOD)
    second = write("b.yaml", HEAD.replace("test", "other") + GOOD)
    rules, errors = load_rules([second, first])
    assert [r.ruleset.name for r in rules] == ["test"]  # files are read in sorted order
    assert "duplicate rule id" in errors[0].message and "a.yaml:4" in errors[0].message
    assert errors[0].file == second


@pytest.mark.parametrize("text,line,message", [
    ("title: x\nrules: []\n", 1, "not a rule file"),
    ("ruleset: t\nrules: {}\n", 2, "'rules' must be a list"),
    ("ruleset: t\nsauce: x\nrules: []\n", 2, "unknown field 'sauce' (did you mean 'source'?)"),
    ("ruleset: t\ncalendar: narnia\nrules: []\n", 2, "unknown calendar 'narnia'"),
    ("ruleset: t\ncalendar: {base: england-and-wales, closed: [2022-12-32]}\nrules: []\n", 2, "not an ISO date"),
    ("ruleset: t\nin_force: {start: 2022-01-01}\nrules: []\n", 2, "unknown key 'start'"),
    ("ruleset: t\nrules: [\n", 3, "not valid YAML"),
])
def test_ruleset_errors(write, text, line, message):
    path = write("r.yaml", text)
    other = write("z.yaml", HEAD.replace("test", "z") + GOOD)
    rules, errors = load_rules([path, other])
    assert [r.id for r in rules] == ["GOOD"]  # one bad file stops no other
    assert (errors[0].file, errors[0].line) == (path, line) and message in errors[0].message


def test_same_ruleset_twice_is_refused(write):
    a = write("a.yaml", HEAD + GOOD)
    b = write("b.yaml", HEAD + GOOD.replace("GOOD", "OTHER"))
    rules, errors = load_rules([a, b])
    assert "already loaded from" in errors[0].message and [r.id for r in rules] == ["GOOD"]


def test_calendar_with_closure_days_and_ruleset_in_force(write):
    text = ("ruleset: t\ncalendar: {base: england-and-wales, closed: [2022-12-28, 2022-12-29, 2022-12-30]}\n"
            "in_force: {from: 2022-01-01}\nrules:\n" + GOOD)
    [rule], errors = load_rules([write("r.yaml", text)])
    assert errors == [] and not rule.calendar.is_working_day(__import__("datetime").date(2022, 12, 28))
    assert str(rule.in_force[0]) == "2022-01-01"


def test_rule_files_are_data_never_code(write, tmp_path):
    marker = tmp_path / "ran"
    text = HEAD + f"  - id: !!python/object/apply:os.system ['touch {marker}']\n"
    rules, errors = load_rules([write("r.yaml", text)])
    assert rules == [] and not marker.exists() and "not valid YAML" in errors[0].message
