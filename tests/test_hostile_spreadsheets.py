"""Spreadsheet safety: no CSV casecheck writes carries a formula from case text, and a converted
event log still checks to the same findings."""

import json

import pytest
from click.testing import CliRunner

from casecheck.cli import main

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "@SUM(1)", "-2+3", "\r=1+1", "\t=1", "x\r=2+2"]
RULES = """\
ruleset: ss
rules:
  - id: R1
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 15 working days
    match: [meeting]
"""


def spreadsheet_rows(text: str) -> list[list[str]]:
    """Rows as a spreadsheet splits them: at any CR or LF outside quotes (the strictest reading)."""
    rows, row, cell, quoted, i = [], [], "", False, 0
    while i < len(text):
        ch = text[i]
        if quoted:
            if ch == '"' and text[i + 1:i + 2] == '"':
                cell += '"'
                i += 1
            elif ch == '"':
                quoted = False
            else:
                cell += ch
        elif ch == '"' and cell == "":
            quoted = True
        elif ch == ",":
            row.append(cell)
            cell = ""
        elif ch in "\r\n":
            row.append(cell)
            rows.append(row)
            row, cell = [], ""
        else:
            cell += ch
        i += 1
    if cell or row:
        rows.append(row + [cell])
    return rows


def assert_no_formula(text: str):
    for row in spreadsheet_rows(text):
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (cell, row)


def _cases(write):
    docs = []
    for i, value in enumerate(HOSTILE):
        docs.append(f"- case: {json.dumps(value)}\n  team: {json.dumps(value)}\n  events:\n"
                    f"    - {{date: 2022-02-15, type: cin_meeting, meeting: {json.dumps(value)}, note: {json.dumps(value)}}}\n"
                    f"    - {{date: 2022-0{3 + i % 2}-20, type: minutes_sent, meeting: {json.dumps(value)}}}\n")
    return write("cases.yaml", "".join(docs))


def _run(*args):
    res = CliRunner().invoke(main, list(args))
    assert res.exit_code in (0, 1), res.output
    return res.stdout


def test_convert_to_csv_neutralises_formulas_and_checks_to_the_same_findings(write, tmp_path):
    src = _cases(write)
    rules = write("r.yaml", RULES)
    log = tmp_path / "log.csv"
    _run("convert", src, "--to", "csv", "--output", str(log))
    text = log.read_bytes().decode("utf-8")
    assert_no_formula(text)
    assert "'=cmd" in text and "'+1+1" in text and "'@SUM(1)" in text
    direct = json.loads(_run("check", src, "--rules", rules, "--as-at", "2022-06-01", "--all", "--format", "json"))
    again = json.loads(_run("check", str(log), "--rules", rules, "--as-at", "2022-06-01", "--all", "--format", "json"))
    for doc in (direct, again):
        for f in doc["findings"]:
            f.pop("team")  # case attributes have no place in a CSV event log (convert says so)
    assert direct["findings"] == again["findings"] and len(direct["findings"]) == len(HOSTILE)
    assert {f["case"] for f in again["findings"]} == {h.strip() for h in HOSTILE}  # ids are trimmed


@pytest.mark.parametrize("cmd", [["summary", "--by", "team", "--format", "csv"], ["due", "--format", "csv"],
                                 ["check", "--format", "csv", "--all"], ["rules", "list", "--format", "csv"]])
def test_summary_due_and_check_csv_carry_no_formula_and_no_bare_carriage_return(write, cmd):
    src = _cases(write)
    rules = write("r.yaml", RULES.replace("within: 15 working days", "within: 1 day").replace(
        "title", "title").replace("id: R1", "id: R1\n    title: \"=1+1\\r@x\""))
    args = cmd + ([] if cmd[0] == "rules" else [src, "--as-at", "2022-02-15"]) + ["--rules", rules]
    out = _run(*args)
    assert_no_formula(out)
    assert len(spreadsheet_rows(out)) > 1
