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
        assert got["cases"] == 1  # C
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
