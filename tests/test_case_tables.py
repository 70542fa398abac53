"""SPEC §1, CSV case tables: a `case` column and neither `date` nor `type` gives case attributes,
on every reading path; conflicting sources are input errors naming both."""

import json

from click.testing import CliRunner
from conftest import D, make_rules

from casecheck.cli import main
from casecheck.inputs.cases import load_cases
from casecheck.replay import check
from casecheck.replay.stream import check_paths
from casecheck.views.findings import finding_record

RULES = make_rules(dict(id="MIN", kind="response", trigger="cin_meeting", expect="minutes_sent", within="15 working days"))
LOG = "case,date,type\nC-1,2022-02-15,cin_meeting\nC-2,2022-02-15,cin_meeting\n"
TABLE = "case,team,worker,council\nC-1,CIN North,W-Amber,York\nC-2,,W-Blue,York\n"


def _streamed(paths, **kw):
    r = check_paths(paths, RULES, D("2022-06-01"), keep_all=True, **kw)
    try:
        return [finding_record(f) for f in r.findings], [str(e) for e in r.errors], r.n_cases
    finally:
        r.close()


def _loaded(paths):
    cases, errors = load_cases(paths)
    return [finding_record(f) for f in check(cases, RULES, D("2022-06-01"))], [str(e) for e in errors], len(cases)


def test_a_case_table_gives_a_csv_log_its_case_attributes(write):
    log, table = write("events.csv", LOG), write("events.cases.csv", TABLE)
    cases, errors = load_cases([log, table])
    assert errors == []
    assert {c.id: c.attrs for c in cases} == {"C-1": {"team": "CIN North", "worker": "W-Amber", "council": "York"},
                                             "C-2": {"worker": "W-Blue", "council": "York"}}
    findings = _loaded([log, table])[0]
    assert [(f["case"], f["worker"], f["team"]) for f in findings] == [("C-1", "W-Amber", "CIN North"),
                                                                      ("C-2", "W-Blue", None)]


def test_every_reading_path_gives_the_same_attributed_findings(write):
    paths = [write("events.csv", LOG), write("events.cases.csv", TABLE)]
    expected = _loaded(paths)
    assert expected[0][0]["worker"] == "W-Amber"
    assert _streamed(paths) == expected
    assert _streamed(paths, chunk_bytes=20) == expected  # the log cut into pieces, as workers read it
    assert _streamed(paths, workers=2) == expected


def test_a_case_only_in_a_case_table_exists_with_no_events(write):
    paths = [write("events.csv", LOG), write("cases.csv", TABLE + "C-3,Leaving care,W-Cyan,York\n")]
    cases, errors = load_cases(paths)
    assert errors == [] and [(c.id, len(c.events)) for c in cases] == [("C-1", 1), ("C-2", 1), ("C-3", 0)]
    assert _streamed(paths)[2] == _loaded(paths)[2] == 3


def test_a_case_table_that_conflicts_with_a_yaml_case_is_an_error_naming_both(write):
    yaml_case = write("a.yaml", "case: C-1\nteam: CIN South\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n")
    table = write("b.csv", "case,team\nC-1,CIN North\n")
    for got in (_loaded([yaml_case, table]), _streamed([yaml_case, table])):
        findings, errors, _ = got
        assert findings == []  # whose team is it? the case is not checked
        assert errors[0] == (f"{table}:2: case C-1: team is 'CIN South' in {yaml_case}:2 but 'CIN North' here; "
                             "correct one of them")
        assert errors[1].endswith("case C-1 not checked: part of its timeline could not be read")


def test_the_same_value_from_two_sources_is_no_conflict(write):
    yaml_case = write("a.yaml", "case: C-1\nteam: CIN North\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n")
    table = write("b.csv", "case,team,worker\nC-1,CIN North,W-Amber\n")
    cases, errors = load_cases([yaml_case, table])
    assert errors == [] and cases[0].attrs == {"team": "CIN North", "worker": "W-Amber"}


def test_yaml_cases_split_across_files_may_not_disagree(write):
    a = write("a.yaml", "case: C-1\nworker: W-Amber\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n")
    b = write("b.yaml", "case: C-1\nworker: W-Blue\nevents: []\n")
    cases, errors = load_cases([a, b])
    assert cases == [] and f"{b}:2: case C-1: worker is 'W-Amber' in {a}:2 but 'W-Blue' here" in str(errors[0])


def test_two_rows_of_one_table_that_disagree_are_named(write):
    table = write("t.csv", "case,team\nC-1,North\nC-1,South\n")
    _, errors = load_cases([write("events.csv", LOG), table])
    assert str(errors[0]) == f"{table}:3: case C-1: team is 'North' in {table}:2 but 'South' here; correct one of them"


def test_bad_case_table_rows_are_named_and_spoil_only_their_case(write):
    table = write("t.csv", "case,team\nC-1,North,extra\n,South\nC-2,South\n")
    cases, errors = load_cases([write("events.csv", LOG), table])
    assert [str(e) for e in errors][:2] == [f"{table}:2: row has 3 cells, the header has 2", f"{table}:3: row has no case"]
    assert [c.id for c in cases] == ["C-2"] and cases[0].attrs == {"team": "South"}


def test_a_header_with_date_but_no_type_is_still_an_event_log_missing_a_column(write):
    path = write("t.csv", "case,date,team\nC-1,2022-01-01,North\n")
    _, errors = load_cases([path])
    assert [str(e) for e in errors] == [f"{path}:1: header has no type column (needs case, date, type)"]


def test_check_reads_a_case_table_from_the_command_line(write):
    log, table = write("events.csv", LOG), write("events.cases.csv", TABLE)
    rules = write("rules.yaml", "ruleset: t\nrules:\n  - {id: MIN, kind: response, trigger: cin_meeting, "
                                "expect: minutes_sent, within: 15 working days}\n")
    r = CliRunner().invoke(main, ["check", log, table, "--rules", rules, "--as-at", "2022-06-01", "--format", "json"])
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert out["totals"]["cases"] == 2 and [f["worker"] for f in out["findings"]] == ["W-Amber", "W-Blue"]


def test_a_case_table_that_conflicts_with_an_annex_a_workbook_is_named(tmp_path, write):
    from test_annex_a import workbook
    book = workbook(tmp_path / "a.xlsx", {"List 3": [["Child Unique ID", "Date of referral", "Allocated Team"],
                                                     ["A", "04/01/2021", "North"]]})
    table = write("t.csv", "case,team\nA,South\n")
    cases, errors = load_cases([book, table])
    assert cases == []
    assert str(errors[0]) == f"{table}:2: case A: team is 'North' in {book} but 'South' here; correct one of them"
    agree = write("u.csv", "case,team,worker\nA,North,W-1\n")
    cases, errors = load_cases([book, agree])
    assert errors == [] and cases[0].attrs == {"team": "North", "worker": "W-1"}


def test_a_scoped_rule_sees_the_case_table_on_every_reading_path(write):
    """applies_to is judged on the attributes a case table gives, also where workers read the log."""
    scoped = make_rules(dict(id="MIN-YORK", kind="response", trigger="cin_meeting", expect="minutes_sent",
                             within="15 working days", applies_to={"council": "York"}))
    table = TABLE + "C-3,,,Leeds\n"
    paths = [write("events.csv", LOG + "C-3,2022-02-15,cin_meeting\n"), write("events.cases.csv", table)]
    cases, _ = load_cases(paths)
    expected = [finding_record(f) for f in check(cases, scoped, D("2022-06-01"))]
    assert [f["case"] for f in expected] == ["C-1", "C-2"]  # C-3 is Leeds's: not judged by York's rule
    for kw in ({}, {"chunk_bytes": 20}, {"workers": 2}):
        r = check_paths(paths, scoped, D("2022-06-01"), keep_all=True, **kw)
        try:
            assert [finding_record(f) for f in r.findings] == expected, kw
        finally:
            r.close()


def test_a_pieces_case_ids_are_read_as_the_usual_reader_reads_them():
    from casecheck.inputs.csvpieces import case_ids
    piece = b"C1,2024-01-01,x\n'=C2,2024-01-01,x\n C3 ,2024-01-01,x\nC4\nC1,2024-01-02,x\n,2024-01-01,x\n"
    assert sorted(case_ids(piece, 0)) == ["=C2", "C1", "C3", "C4"]  # stripped, the quote taken off, once each
    assert sorted(case_ids(b"2024-01-01,C9,x\n2024-01-02,C8,x\nbad\n", 1)) == ["C8", "C9"]
    # bytes polars cannot read are read line by line
    assert sorted(case_ids(b"C1,\xff\xfe\nC2,x\n", 0)) == ["C1", "C2"]


def test_a_yaml_case_that_conflicts_with_an_earlier_case_table_row_names_that_row(write):
    # the table comes first (sorted paths): its attributes are not recorded one by one, yet the
    # error names its row, and the row of a second table that gave the case another attribute
    table = write("a.csv", "case,team\nC-0,CIN East\nC-1,CIN North\n")
    table2 = write("b.csv", "case,worker\nC-1,W-1\n")
    yaml_case = write("c.yaml", "case: C-1\nteam: CIN North\nworker: W-2\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n")
    for got in (_loaded([table, table2, yaml_case]), _streamed([table, table2, yaml_case])):
        findings, errors, _ = got
        assert findings == []
        assert errors[0] == (f"{yaml_case}:3: case C-1: worker is 'W-1' in {table2}:2 but 'W-2' here; "
                             "correct one of them")
    table3 = write("d.csv", "case,team\nC-1,CIN South\n")
    findings, errors, _ = _loaded([table, table3])
    assert errors[0] == f"{table3}:2: case C-1: team is 'CIN North' in {table}:3 but 'CIN South' here; correct one of them"
