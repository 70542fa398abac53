"""Loading case files (SPEC §1): every form, and every kind of bad input named with file and line."""

import json

import pytest

from casecheck.inputs.cases import load_cases
from casecheck.model import MAX_ERRORS_PER_FILE

YAML_ONE = """\
case: C-1042
team: Children in Need North
events:
  - date: 2022-02-15
    type: cin_meeting
    meeting: m-2022-02
  - date: 2022-04-12T16:30:00
    type: minutes_sent
    meeting: m-2022-02
"""


def _ids(cases):
    return [c.id for c in cases]


def test_one_case_per_yaml_file(write):
    cases, errors = load_cases([write("c.yaml", YAML_ONE)])
    assert errors == []
    [c] = cases
    assert c.id == "C-1042" and c.attrs == {"team": "Children in Need North"}
    assert [(str(e.date), e.type, e.attrs) for e in c.events] == [
        ("2022-02-15", "cin_meeting", {"meeting": "m-2022-02"}),
        ("2022-04-12", "minutes_sent", {"meeting": "m-2022-02"})]
    assert c.events[0].line == 4


def test_a_list_of_cases_and_a_cases_mapping(write):
    listed = write("list.yaml", "- case: A\n  events: []\n- case: B\n  events: []\n")
    mapped = write("map.yml", "cases:\n  - case: C\n    events: []\n")
    cases, errors = load_cases([listed, mapped])
    assert errors == [] and _ids(cases) == ["A", "B", "C"]


def test_numbers_are_read_as_strings_exactly_as_written(write):
    cases, _ = load_cases([write("n.yaml", "- case: 1042\n  events: []\n- case: 00123\n  events: []\n")])
    assert _ids(cases) == ["00123", "1042"]
    cases, _ = load_cases([write("n.json", '[{"case": 7, "events": []}]')])
    assert _ids(cases) == ["7"]


def test_json_case_file(write):
    doc = {"case": "J-1", "worker": "SW 4", "events": [{"date": "2022-02-15", "type": "cin_meeting", "urgent": True}]}
    cases, errors = load_cases([write("j.json", json.dumps(doc, indent=1))])
    assert errors == []
    assert cases[0].attrs == {"worker": "SW 4"} and cases[0].events[0].attrs == {"urgent": "true"}


def test_csv_rows_of_a_case_anywhere_and_in_any_order(write):
    text = ("case,date,type,meeting\n"
            "B,2022-03-01,cin_meeting,\n"
            "A,2022-04-12,minutes_sent,m1\n"
            "B,2022-01-01,case_opened,\n"
            "A,2022-02-15,cin_meeting,m1\n")
    cases, errors = load_cases([write("log.csv", text)])
    assert errors == []
    a, b = cases
    assert (a.id, [e.type for e in a.events]) == ("A", ["minutes_sent", "cin_meeting"])
    assert a.events[1].attrs == {"meeting": "m1"} and b.events[0].attrs == {}  # empty cell = absent
    assert [e.line for e in a.events] == [3, 5]


def test_folders_are_searched_recursively_and_other_files_skipped(write):
    write("d/a.yaml", "case: A\nevents: []\n")
    write("d/sub/b.csv", "case,date,type\nB,2022-01-01,referral\n")
    write("d/notes.txt", "not a case")
    write("d/.hidden/c.yaml", "case: C\nevents: []\n")
    import os
    folder = os.path.dirname(write("d/x.json", '{"case": "X", "events": []}'))
    cases, errors = load_cases([folder])
    assert errors == [] and _ids(cases) == ["A", "B", "X"]


def test_records_of_one_case_in_several_files_are_merged_in_sorted_file_order(write):
    first = write("2-visits.csv", "case,date,type\nA,2022-01-01,cin_visit\n")
    second = write("1-meetings.yaml", "case: A\nteam: North\nevents:\n  - {date: 2022-01-01, type: cin_meeting}\n")
    for order in ([first, second], [second, first]):
        [c], errors = load_cases(order)
        assert errors == []
        assert [e.type for e in sorted(c.events, key=lambda e: e.seq)] == ["cin_meeting", "cin_visit"]
        assert c.attrs == {"team": "North"}


@pytest.mark.parametrize("text,line,message", [
    ("case: A\nevents:\n  - date: 2022-02-30\n    type: cin_meeting\n", 3, "not an ISO date"),
    ("case: A\nevents:\n  - date: 15/02/2022\n    type: cin_meeting\n", 3, "not an ISO date"),
    ("case: A\nevents:\n  - date: 2022-02-15\n    type: CIN Meeting\n", 4, "lower_snake_case"),
    ("case: A\nevents:\n  - date: 2022-02-15\n", 3, "event has no type"),
    ("case: A\nevents:\n  - type: cin_meeting\n", 3, "event has no date"),
    ("case: A\nevents:\n  - date: 2022-02-15\n    type: x\n    who: [a, b]\n", 5, "must be a string, number or boolean"),
    ("case: A\nevents:\n  - just a string\n", None, "must be a mapping"),
    ("case: A\nevents: nope\n", 2, "'events' must be a list"),
    ("case: A\nteam: [a]\nevents: []\n", 2, "must be a single value"),
])
def test_bad_case_records_name_file_and_line_and_spare_other_cases(write, text, line, message):
    path = write("bad.yaml", "- " + text.replace("\n", "\n  ").rstrip() + "\n- case: GOOD\n  events: []\n")
    cases, errors = load_cases([path])
    assert _ids(cases) == ["GOOD"]  # the bad case is not checked; the good one is
    assert errors[0].file == path and message in errors[0].message
    if line is not None:
        assert errors[0].line == line
    assert any("case A not checked" in e.message for e in errors)


@pytest.mark.parametrize("text,line,message", [
    ("case: A\nevents: [\n", 3, "not valid YAML"),
    ("case: A\ncase: B\nevents: []\n", 2, "duplicate key 'case'"),
    ("team: North\nevents: []\n", 1, "no identifier"),
    ("42\n", None, "expected a case"),
    ("cases: 5\n", 1, "'cases' must be a list"),
])
def test_unreadable_yaml_files(write, text, line, message):
    path = write("bad.yaml", text)
    good = write("good.yaml", "case: G\nevents: []\n")
    cases, errors = load_cases([path, good])
    assert _ids(cases) == ["G"]
    assert len(errors) >= 1 and errors[0].file == path and message in errors[0].message
    assert errors[0].line == line


def test_bad_json_names_the_line(write):
    path = write("bad.json", '[\n {"case": "A",\n  "events": [\n   {"date": "2022-13-01", "type": "x"}]}]')
    cases, errors = load_cases([path])
    assert cases == [] and (errors[0].line, errors[0].file) == (4, path)
    path = write("syntax.json", '{"case": "A",\n "events": [,]}')
    assert load_cases([path])[1][0].line == 2


def test_bad_csv_rows_are_named_and_the_rest_still_read(write):
    text = ("case,date,type,meeting\n"
            "A,2022-02-15,cin_meeting,m1\n"
            "B,2022-02-31,cin_meeting,\n"     # line 3: bad date spoils case B
            "C,2022-02-15,Bad Type,\n"         # line 4: bad type spoils case C
            ",2022-02-15,cin_meeting,\n"       # line 5: no case
            "D,2022-02-15\n"                   # line 6: short row
            "B,2022-03-01,minutes_sent,\n"
            "E,2022-02-15,cin_meeting,\n")
    path = write("log.csv", text)
    cases, errors = load_cases([path])
    assert _ids(cases) == ["A", "E"]
    assert [(e.line, e.file) for e in errors[:4]] == [(3, path), (4, path), (5, path), (6, path)]
    assert "2022-02-31" in errors[0].message and "case B" in errors[0].message
    assert {m for e in errors for m in ("B", "C", "D") if f"case {m} not checked" in e.message} == {"B", "C", "D"}


def test_csv_header_problems(write):
    for text, message in (("case,when,type\nA,2022-01-01,x\n", "no date column"),
                          ("", "empty file"),
                          ("case,date,type,date\n", "repeats column date")):
        path = write("h.csv", text)
        cases, errors = load_cases([path])
        assert cases == [] and errors[0].line == 1 and message in errors[0].message


def test_a_csv_with_too_many_bad_rows_is_abandoned_whole(write):
    rows = "".join(f"A,not-a-date-{i},x\n" for i in range(MAX_ERRORS_PER_FILE + 10))
    path = write("junk.csv", "case,date,type\nZ,2022-01-01,referral\n" + rows)
    good = write("good.yaml", "case: G\nevents: []\n")
    cases, errors = load_cases([path, good])
    assert _ids(cases) == ["G"]  # Z was read before the junk, but the file was abandoned
    assert any("the rest of the file was not read" in e.message for e in errors)
    assert len(errors) < MAX_ERRORS_PER_FILE + 5


def test_binary_files_are_refused_and_non_utf8_read_as_windows_1252(write):
    path = write("bin.yaml", b"\x00\x01\x02garbage" * 100, mode="wb")
    assert "not a text file" in load_cases([path])[1][0].message
    path = write("latin.yaml", "case: A\nteam: caf\xe9\nevents: []\n".encode("cp1252"), mode="wb")
    cases, errors = load_cases([path], notes=(notes := []))
    assert errors == [] and cases[0].attrs["team"] == "caf\xe9"
    assert "not UTF-8" in notes[0].message and notes[0].line == 2 and notes[0].file == path
    path = write("bin.csv", b"case,date,type\n\x00\x00", mode="wb")
    assert "not a text file" in load_cases([path])[1][0].message


def test_yaml_alias_bomb_is_refused_quickly(write):
    bomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 9) + "]")
    path = write("bomb.yaml", "\n".join(bomb) + "\n")
    cases, errors = load_cases([path])
    assert cases == [] and "alias" in errors[0].message and errors[0].file == path


def test_a_100_mb_junk_file_is_refused_before_it_is_parsed(write, tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        f.truncate(100 * 1024 * 1024)  # sparse: costs no disk or time to make
    cases, errors = load_cases([str(path)])
    assert cases == [] and "over the 2 MB limit" in errors[0].message


def test_python_tags_are_never_executed(write, tmp_path):
    marker = tmp_path / "pwned"
    path = write("evil.yaml", f"case: !!python/object/apply:os.system ['touch {marker}']\nevents: []\n")
    cases, errors = load_cases([path])
    assert cases == [] and not marker.exists() and "not valid YAML" in errors[0].message


def test_missing_paths_and_wrong_suffixes_are_errors_not_crashes(write, tmp_path):
    good = write("good.yaml", "case: G\nevents: []\n")
    (tmp_path / "empty").mkdir()
    cases, errors = load_cases([str(tmp_path / "nope.yaml"), write("x.txt", "hi"), good, str(tmp_path / "empty")])
    assert _ids(cases) == ["G"]
    assert sorted(e.message.split(" (")[0] for e in errors) == ["no case files in this folder", "no such file or folder",
                                                                 "not a case file"]
