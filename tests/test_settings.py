"""A council's settings file: defaults every command honours, and the command line still wins."""

import json
import os

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.settings import load

RULES = """
ruleset: ours
rules:
  - id: OURS-MINUTES-5WD
    title: Minutes within 5 working days
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 5 working days
"""
CASE = """
case: C-1
events:
  - {date: 2022-02-15, type: cin_meeting}
  - {date: 2022-02-24, type: minutes_sent}
"""


@pytest.fixture
def council(tmp_path, monkeypatch):
    (tmp_path / "ours").mkdir()
    (tmp_path / "ours" / "rules.yaml").write_text(RULES)
    (tmp_path / "case.yaml").write_text(CASE)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def run(*args):
    r = CliRunner().invoke(main, list(args))
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r


def rule_ids(stdout):
    return sorted({f["rule"] for f in json.loads(stdout)["findings"]})


def test_casecheck_toml_sets_rules_and_format_for_every_command(council):
    (council / "casecheck.toml").write_text('rules = ["ours/"]\nformat = "json"\n')
    r = run("check", "case.yaml", "--as-at", "2024-01-01")
    assert r.exit_code == 1 and rule_ids(r.stdout) == ["OURS-MINUTES-5WD"]
    # due offers json too; summary does not, so it keeps its own default (text)
    assert json.loads(run("due", "case.yaml", "--as-at", "2024-01-01").stdout)["as_at"] == "2024-01-01"
    assert run("summary", "case.yaml", "--as-at", "2024-01-01").stdout.lstrip().startswith("Compliance")


def test_the_command_line_wins_over_the_settings(council):
    (council / "casecheck.toml").write_text('rules = ["ours/"]\nformat = "json"\n')
    r = run("check", "case.yaml", "--as-at", "2024-01-01", "--format", "csv", "--rules", "bundled")
    assert r.stdout.startswith("case,rule,")
    assert "OURS-MINUTES-5WD" not in r.stdout


def test_bundled_adds_the_council_rules_to_the_library(council):
    (council / "casecheck.toml").write_text('rules = ["bundled", "ours/"]\n')
    r = run("rules", "list", "--format", "json")
    ids = {row["id"] for row in json.loads(r.stdout)["rules"]}
    assert "OURS-MINUTES-5WD" in ids and "YORK-MINUTES-15WD" in ids
    r = run("rules", "list", "--format", "json", "--rules", "bundled", "--rules", "ours")
    assert {row["id"] for row in json.loads(r.stdout)["rules"]} == ids


def test_a_command_table_sets_that_command_only(council):
    (council / "casecheck.toml").write_text('[check]\nformat = "csv"\n')
    assert run("check", "case.yaml", "--rules", "ours", "--as-at", "2024-01-01").stdout.startswith("case,rule,")
    assert not run("due", "case.yaml", "--rules", "ours", "--as-at", "2024-01-01").stdout.startswith("{")


def test_pyproject_tool_table_is_read_when_there_is_no_casecheck_toml(council):
    (council / "pyproject.toml").write_text('[project]\nname = "x"\n\n[tool.casecheck]\nrules = ["ours"]\n')
    r = run("check", "case.yaml", "--as-at", "2024-01-01", "--format", "json")
    assert rule_ids(r.stdout) == ["OURS-MINUTES-5WD"]


def test_paths_are_relative_to_the_settings_file(council, tmp_path_factory):
    (council / "casecheck.toml").write_text('rules = ["ours"]\n')
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    os.chdir(elsewhere)
    r = run("--settings", str(council / "casecheck.toml"), "check", str(council / "case.yaml"),
            "--as-at", "2024-01-01", "--format", "json")
    assert rule_ids(r.stdout) == ["OURS-MINUTES-5WD"]


def test_the_settings_calendar_gives_council_closure_days(council):
    # 2022-02-16 closed: the 5th working day after 15 Feb moves from the 22nd to the 23rd,
    # so minutes on the 23rd are met instead of late.
    (council / "case.yaml").write_text(CASE.replace("2022-02-24", "2022-02-23"))
    assert run("check", "case.yaml", "--rules", "ours", "--as-at", "2024-01-01").exit_code == 1
    (council / "casecheck.toml").write_text('calendar = {base = "england-and-wales", closed = ["2022-02-16"]}\n')
    assert run("check", "case.yaml", "--rules", "ours", "--as-at", "2024-01-01").exit_code == 0
    r = run("calendar", "add", "2022-02-15", "5 working days")
    assert r.stdout.startswith("2022-02-23")


@pytest.mark.parametrize("text, message", [
    ("rules = 3\n", "'rules' must be a path or a list of paths"),
    ("colour = 'red'\n", "unknown setting 'colour'"),
    ("calendar = 'narnia'\n", "unknown calendar 'narnia'"),
    ("rules = [\n", "not valid TOML"),
])
def test_a_bad_settings_file_is_named_with_what_is_wrong_and_exit_2(council, text, message):
    (council / "casecheck.toml").write_text(text)
    r = run("check", "case.yaml")
    assert r.exit_code == 2
    assert "casecheck.toml" in r.stderr and message in r.stderr
    assert "Traceback" not in r.stderr


def test_no_settings_file_means_no_settings(tmp_path):
    s = load(folder=tmp_path)
    assert s.file is None and s.rules == () and s.calendar is None and s.format is None
