"""One date parser, as strict as SPEC everywhere, and a supported range with clear errors outside it."""

import datetime as dt

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.dates import MAX_DATE, MIN_DATE, calendar_for, due_date, parse_date, parse_duration
from casecheck.inputs.cases import load_cases
from casecheck.rules.load import ruleset_from_data

BAD_FORMS = ["20241014", "2024-W42-1", "2024-288", "14/10/2024", "2024-10-14garbage", "2024-1-4", "2024-10-14T25:00"]


@pytest.mark.parametrize("text", BAD_FORMS)
def test_only_yyyy_mm_dd_and_datetimes_starting_with_it_are_dates(text):
    with pytest.raises(ValueError, match="YYYY-MM-DD|no such date"):
        parse_date(text)


@pytest.mark.parametrize("text, want", [("2024-10-14", "2024-10-14"), ("2024-10-14T09:30", "2024-10-14"),
                                        ("2024-10-14 23:59:59.123+01:00", "2024-10-14"),
                                        ("2024-10-14T00:00:00Z", "2024-10-14")])
def test_datetimes_count_by_their_date(text, want):
    assert parse_date(text) == dt.date.fromisoformat(want)


def test_the_same_bad_date_is_refused_alike_by_csv_and_yaml(write):
    c = write("a.csv", "case,date,type\nA,20220215,referral\n")
    y = write("b.yaml", "case: B\nevents:\n  - {date: 20220215, type: referral}\n")
    cases, errors = load_cases([c, y])
    assert cases == []
    assert sorted((e.file, e.line) for e in errors if "YYYY-MM-DD" in e.message) == [(c, 2), (y, 3)]


@pytest.mark.parametrize("date", ["0001-01-01", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_event_dates_outside_the_range_name_file_and_line(write, date):
    path = write("a.yaml", f"case: A\nevents:\n  - {{date: 2022-01-01, type: referral}}\n  - {{date: {date}, type: x}}\n")
    csv = write("b.csv", f"case,date,type\nB,{date},referral\nG,2022-01-01,referral\n")
    cases, errors = load_cases([path, csv])
    assert [c.id for c in cases] == ["G"]
    assert (path, 4) in [(e.file, e.line) for e in errors] and (csv, 2) in [(e.file, e.line) for e in errors]
    assert any("1900-01-01 to 2199-12-31" in e.message for e in errors)


def test_the_range_ends_are_supported_and_their_arithmetic_works():
    cal = calendar_for()
    for d in (MIN_DATE, MAX_DATE):
        assert parse_date(d.isoformat()) == d
        for text in ("100 years", "1200 months", "5218 weeks", "36525 days", "26100 working days"):
            due = due_date(d, parse_duration(text), cal)
            assert due > d and due.year <= 2301


@pytest.mark.parametrize("text", ["100000 years", "999999999 days", "99999999 working days", "1201 months",
                                  "9" * 5000 + " days"])
def test_durations_over_100_years_are_refused(text):
    with pytest.raises(ValueError, match="at most 100 years"):
        parse_duration(text)


@pytest.mark.parametrize("field, value", [("within", "100000 years"), ("within", "99999999 working days"),
                                          ("in_force", {"from": "0001-01-01"})])
def test_rule_files_name_file_rule_and_field(field, value):
    rule = {"id": "R1", "kind": "response", "trigger": "a", "expect": "b", "within": "1 day", field: value}
    rules, errors = ruleset_from_data({"ruleset": "x", "rules": [rule]}, "r.yaml")
    assert rules == [] and errors[0].file == "r.yaml"
    assert "R1" in errors[0].message and f"'{field}" in errors[0].message


@pytest.mark.parametrize("args", [["check", "--as-at", "20241014"], ["check", "--as-at", "2024-W42-1"],
                                  ["check", "--as-at", "9999-12-31"], ["calendar", "add", "9999-12-31", "1 day"],
                                  ["calendar", "add", "2024-01-01", "100000 years"],
                                  ["calendar", "between", "0001-01-01", "9999-12-31"],
                                  ["due", "--within", "100000 years"]])
def test_command_line_dates_and_durations_outside_the_range_are_usage_errors(args):
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "YYYY-MM-DD" in res.output or "supported range" in res.output or "at most 100 years" in res.output


def test_a_lookback_rule_on_the_earliest_case_and_the_latest_as_at_are_judged(write):
    rules = write("r.yaml", "ruleset: x\nrules:\n  - id: R1\n    kind: response\n    trigger: a\n    expect: b\n"
                            "    within: 26100 working days\n    lookback: 100 years\n")
    case = write("c.yaml", "case: A\nevents:\n  - {date: 1900-01-01, type: b}\n  - {date: 1900-01-02, type: a}\n"
                           "  - {date: 2199-12-31, type: a}\n")
    res = CliRunner().invoke(main, ["check", case, "--rules", rules, "--as-at", "2199-12-31", "--all",
                                    "--format", "csv"])
    assert res.exit_code == 0 and "Traceback" not in res.output
    rows = [r.split(",") for r in res.output.splitlines()[1:]]
    assert [(r[6], r[8], r[9]) for r in rows] == [("met", "1900-01-02", "2002-05-03"), ("due", "2199-12-31", "2300-01-16")]
