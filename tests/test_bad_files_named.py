"""Bad files named, never crashing: each bad input an error naming its file, the rest still read."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from casecheck.cli import main

CASE = """\
case: {id}
events:
  - {{date: {date}, type: cin_plan_started}}
"""


def run(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.output


# --- settings --------------------------------------------------------------------------------

@pytest.mark.parametrize("text,expected", [
    ('[summray]\nformat = "csv"\n', "casecheck.toml: unknown section [summray]; did you mean [summary]?"),
    ('[due]\nfroamt = "csv"\n', "casecheck.toml: [due] has unknown setting 'froamt'; did you mean format?"),
    ('formta = "csv"\n', "casecheck.toml: unknown setting 'formta'; did you mean format?"),
])
def test_an_unknown_settings_section_or_key_is_exit_2_with_did_you_mean_on_the_same_line(tmp_path, monkeypatch,
                                                                                        text, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "casecheck.toml").write_text(text)
    code, out = run("check")
    assert code == 2 and expected in out.splitlines()[0]


def test_an_unknown_section_under_tool_casecheck_in_pyproject_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pyproject.toml").write_text('[tool.casecheck.sumary]\nformat = "csv"\n')
    code, out = run("check")
    assert code == 2 and "pyproject.toml: unknown section [sumary]; did you mean [summary]?" in out


@pytest.mark.parametrize("depth", [201, 3000])
@pytest.mark.parametrize("kind", ["arrays", "tables"])
def test_settings_nested_past_200_levels_are_exit_2_naming_the_file_and_the_limit(tmp_path, monkeypatch, depth, kind):
    monkeypatch.chdir(tmp_path)
    text = ("x = " + "[" * depth + "]" * depth if kind == "arrays"
            else "x = " + "{a = " * depth + "1" + "}" * depth)
    (tmp_path / "casecheck.toml").write_text(text + "\n")
    code, out = run("check")
    assert code == 2 and "casecheck.toml: nested more than 200 levels deep" in out


# --- digits ----------------------------------------------------------------------------------

@pytest.mark.parametrize("as_at", ["٢٠٢٤-٠١-٠٤", "２０２４-01-04", "2024-০1-04"])
def test_non_ascii_digits_in_as_at_are_a_usage_error(as_at):
    code, out = run("check", "--as-at", as_at)
    assert code == 2 and "digits 0-9" in out


def test_non_ascii_digits_in_case_files_are_an_error_naming_file_and_line_the_others_checked(tmp_path):
    log = tmp_path / "l.csv"
    log.write_text("case,date,type\nA,٢٠٢٤-٠١-٠٤,cin_plan_started\nB,2024-01-04,cin_plan_started\n", encoding="utf-8")
    yaml_case = tmp_path / "c.yaml"
    yaml_case.write_text(CASE.format(id="Y", date="'２０２４-01-04'"), encoding="utf-8")
    json_case = tmp_path / "c.json"
    json_case.write_text(json.dumps({"case": "J", "events": [{"date": "2024-0١-04", "type": "cin_plan_started"}]}),
                         encoding="utf-8")
    code, out = run("check", log, yaml_case, json_case, "--as-at", "2024-06-01")
    assert code == 2
    assert f"{log}:2: case A" in out and "digits 0-9" in out
    assert f"{yaml_case}:3" in out and f"{json_case}" in out
    assert "1 case checked" in out  # B


def test_non_ascii_digits_in_a_register_date_are_named(tmp_path):
    reg = tmp_path / "reg.yaml"
    reg.write_text("exceptions:\n  - case: A\n    rule: R\n    trigger: 2024-01-04\n    reason: ok\n"
                   "    approved_by: M\n    approved_on: '２０２４-02-01'\n", encoding="utf-8")
    code, out = run("exceptions", "check", reg)
    assert code == 2 and f"{reg}:2" in out and "not a date" in out


# --- lone surrogates ----------------------------------------------------------------------------

EVENT = '{"date": "2024-01-04", "type": "cin_plan_started"}'


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_a_lone_surrogate_in_a_json_case_is_an_error_naming_file_and_case_the_others_checked(tmp_path, fmt):
    doc = tmp_path / "s.json"
    doc.write_text(f'[{{"case": "A\\ud800x", "events": [{EVENT}]}}, {{"case": "B", "team": "T\\udfff", '
                   f'"events": [{EVENT}]}}, {{"case": "C", "events": [{EVENT}]}}]', encoding="utf-8")
    code, out = run("check", doc, "--as-at", "2024-06-01", "--format", fmt, "--all")
    assert code == 2 and "internal error" not in out
    if fmt == "json":
        got = json.loads(out[out.index("{"):out.rindex("}") + 1])
        assert got["totals"]["cases"] == 1  # C
        messages = [f"{e['file']}:{e['line']}: {e['message']}" for e in got["errors"]]
    else:
        messages = out.splitlines()
    assert any(f"{doc}:1: case A\\ud800x: holds a lone surrogate escape" in m for m in messages), messages
    assert any("case B: holds a lone surrogate escape" in m for m in messages)


def test_a_lone_surrogate_in_a_yaml_file_names_the_file_and_the_others_are_checked(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text('case: "A\\ud800"\nevents:\n  - {date: 2024-01-04, type: cin_plan_started}\n')
    good = tmp_path / "g.yaml"
    good.write_text(CASE.format(id="G", date="2024-01-04"))
    code, out = run("check", bad, good, "--as-at", "2024-06-01")
    assert code == 2 and f"{bad}:1: not valid YAML" in out and "1 case checked" in out


# --- sizes ------------------------------------------------------------------------------------

def test_a_csv_header_of_100000_columns_is_refused_naming_the_file_and_the_column_limit(tmp_path):
    wide = tmp_path / "wide.csv"
    n = 100_000
    wide.write_text(",".join(["case", "date", "type"] + [f"c{i}" for i in range(n)]) + "\n"
                    + ",".join(["A", "2024-01-04", "cin_plan_started"] + ["x"] * n) + "\n")
    for cmd in ("check", "summary"):
        code, out = run(cmd, wide, "--as-at", "2024-06-01")
        assert code == 2 and f"{wide}:1: header has 100,003 columns, over the 10,000 limit" in out


def test_repeated_header_names_are_found_in_linear_time():
    from casecheck.inputs.limits import repeated
    assert repeated(["a", "b", "a", "", "", "c", "b"]) == ["a", "b"]


def test_a_database_cell_over_131072_characters_is_refused_naming_database_table_case_and_column(tmp_path):
    import sqlite3
    db = tmp_path / "big.db"
    c = sqlite3.connect(db)
    c.execute('CREATE TABLE casecheck_events ("case" TEXT, date TEXT, type TEXT, team TEXT, n INTEGER)')
    c.execute("INSERT INTO casecheck_events VALUES (?, ?, ?, ?, ?)",
              ("A", "2024-01-04", "cin_plan_started", "x" * 131_073, 5))
    c.execute("INSERT INTO casecheck_events VALUES (?, ?, ?, ?, ?)", ("B", "2024-01-04", "cin_plan_started", "N", 7))
    c.execute("INSERT INTO casecheck_events VALUES (?, ?, ?, ?, ?)",
              ("C", "2024-01-04", "cin_plan_started", "x" * 131_072, 7))  # at the limit: kept
    c.commit()
    c.close()
    code, out = run("check", f"sqlite:///{db}", "--as-at", "2024-06-01")
    assert code == 2
    assert f"sqlite:///{db}: table casecheck_events" in out and "case A: column team holds more than 131,072" in out
    assert "2 cases checked" in out


# --- calendars ----------------------------------------------------------------------------------

def _weekdays(start, end):
    import datetime as dt
    d, out = dt.date.fromisoformat(start), []
    while d <= dt.date.fromisoformat(end):
        if d.weekday() < 5:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def _closed_rules(tmp_path, closed):
    rules = tmp_path / "closed.yaml"
    rules.write_text("ruleset: closed\ncalendar:\n  base: england-and-wales\n  closed: ["
                     + ", ".join(d.isoformat() for d in closed) + "]\nrules:\n  - id: R1\n    title: t\n"
                     "    kind: response\n    trigger: cin_plan_started\n    expect: cin_meeting\n"
                     "    within: 10 working days\n    cite: x\n")
    return rules


def test_a_calendar_with_no_working_day_from_1900_to_2199_is_refused_when_the_rules_load():
    from casecheck.dates import calendar_for
    assert not calendar_for("weekends-only", _weekdays("1900-01-01", "2199-12-31")).has_working_day()
    assert calendar_for("weekends-only", _weekdays("1900-01-01", "2199-12-30")).has_working_day()
    from casecheck.rules.load import calendar_setting
    with pytest.raises(ValueError, match="no working day from 1900 to 2199"):
        calendar_setting({"base": "weekends-only", "closed": [d.isoformat() for d in _weekdays("1900-01-01",
                                                                                            "2199-12-31")]})


def test_closure_days_past_the_working_day_table_never_crash_check_or_calendar_add(tmp_path):
    rules = _closed_rules(tmp_path, _weekdays("2024-01-01", "2031-12-31"))
    case = tmp_path / "c.yaml"
    case.write_text(CASE.format(id="A", date="2024-03-04"))
    code, out = run("check", case, "--rules", rules, "--as-at", "2024-06-01")
    assert code == 0 and "1 case checked" in out
    code, out = run("calendar", "add", "2024-03-04", "10 working days", "--rules", rules)
    assert code == 0 and out.startswith("2032-01-15")


def test_a_working_day_count_with_no_working_day_left_is_an_error_naming_the_calendar():
    from casecheck.dates import DateOutOfRange, calendar_for
    import datetime as dt
    cal = calendar_for("weekends-only", _weekdays("2190-01-01", "2199-12-31"))
    assert cal.add_working_days(dt.date(2190, 1, 1), 1) == dt.date(2200, 1, 1)
    with pytest.raises(DateOutOfRange, match="weekends-only"):
        cal.add_working_days(dt.date(2190, 1, 1), 10 ** 6)


# --- nesting ----------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [300, 5000])
def test_a_diff_input_nested_past_200_levels_is_exit_2_naming_the_file_and_the_limit(tmp_path, depth):
    deep = tmp_path / "deep.json"
    deep.write_text('{"as_at": "2024-01-01", "findings": [' + "[" * depth + "]" * depth + "]}")
    good = tmp_path / "good.json"
    good.write_text('{"as_at": "2024-01-01", "findings": []}')
    code, out = run("diff", good, deep)
    assert code == 2 and f"{deep}: is nested more than 200 levels deep" in out


@pytest.mark.parametrize("what", ["rules", "exceptions"])
def test_rules_and_registers_nested_past_200_levels_are_exit_2_naming_the_file(tmp_path, what):
    deep = tmp_path / "deep.yaml"
    deep.write_text(("ruleset: x\nrules: " if what == "rules" else "exceptions: ") + "[" * 300 + "]" * 300 + "\n")
    code, out = run("check", f"--{what}", deep)
    assert code == 2 and f"{deep}:" in out and "nested more than 200 levels deep" in out


# --- registers --------------------------------------------------------------------------------

def test_an_entry_approved_in_the_future_is_warned_with_register_line_and_date_and_still_excuses(tmp_path):
    from casecheck.inputs import bundled
    case = bundled.cases_dir() / "york-23-011-844.yaml"
    reg = tmp_path / "register.yaml"
    assert run("exceptions", "start", case, "--as-at", "2024-10-14", "-o", reg)[0] == 0
    text = reg.read_text()
    first = text.index("reason:")
    end = text.index("  - case:", first) if "  - case:" in text[first:] else len(text)
    entry = (text[first:end].replace('reason: ""', 'reason: "accepted"')
             .replace('approved_by: ""', 'approved_by: "M Lee"').replace("approved_on: ", "approved_on: 2198-03-01"))
    head = text[:first]
    reg.write_text(head + entry)
    code, out = run("check", case, "--as-at", "2024-10-14", "--exceptions", reg)
    assert f"casecheck: warning: {reg}:" in out and "approved on 2198-03-01, in the future" in out
    assert "1 excused" in out


# --- Annex A formulas ---------------------------------------------------------------------------

@pytest.mark.parametrize("formula", ["=DATE(2024,1,4)", "=B3+7", "=TODAY()"])
def test_an_annex_a_date_formula_with_no_saved_value_names_each_cell_and_leaves_that_child_unchecked(tmp_path,
                                                                                                    formula):
    import datetime as dt
    import openpyxl
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    ws = wb.create_sheet("List 1")
    ws.append(["Child Unique ID", "Date of Contact"])
    ws.append(["C1", dt.datetime(2024, 1, 4)])
    ws.append(["C2", formula])  # openpyxl saves a formula with no cached value
    ws.append(["C3", dt.datetime(2024, 1, 5)])
    path = tmp_path / "annex_a.xlsx"
    wb.save(path)
    code, out = run("check", path, "--as-at", "2024-06-01")
    assert code == 2
    assert f"{path}:3: 'List 1'!B3: child C2: the cell holds a formula with no saved value" in out
    assert "Excel or LibreOffice" in out and "2 cases checked" in out
