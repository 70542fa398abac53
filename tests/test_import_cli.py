"""check and convert on council data: detection, --input-format, warnings, and the round trip
(convert, then check the converted file: the same findings as checking the source)."""

import json

import pytest
from click.testing import CliRunner
from test_annex_a import full_workbook, workbook
from test_cin_census import CENSUS
from test_ssda903 import write_return

from casecheck.cli import main
from casecheck.inputs.cases import load_cases
from casecheck.rules.vocabulary import vocabulary

RULES = """\
ruleset: importer-round-trip
rules:
  - {id: ASSESS-45WD, kind: response, trigger: referral, expect: assessment_authorised, within: 45 working days}
  - {id: ICPC-15WD, kind: response, trigger: strategy_discussion, expect: icpc, within: 15 working days}
  - {id: LAC-REVIEW-20WD, kind: response, trigger: became_looked_after, expect: lac_review, within: 20 working days}
  - {id: CP-REVIEWS, kind: every, expect: cp_review, every: 6 months, first: 3 months,
     from: cp_plan_started, until: cp_plan_ended}
  - {id: PLACEMENT-2M, kind: max_duration, from: placement_started, until: placement_ended, limit: 2 months}
"""


def run(*args):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture
def sources(tmp_path, write):
    return {"annex-a": full_workbook(tmp_path), "cin-census": write("cin.xml", CENSUS),
            "ssda903": write_return(write), "rules": write("rules.yaml", RULES)}


def findings(*args):
    r = run("check", *args, "--as-at", "2023-01-01", "--format", "json", "--all")
    return r.exit_code, json.loads(r.stdout)["findings"]


@pytest.mark.parametrize("fmt", ["annex-a", "cin-census", "ssda903"])
@pytest.mark.parametrize("to", ["csv", "yaml"])
def test_convert_then_check_gives_the_same_findings(sources, tmp_path, fmt, to):
    rules = ("--rules", sources["rules"])
    # A converted return is an ordinary case file, judged by every rule; the return itself is
    # judged by every rule only with --judge-unrecordable.
    code, direct = findings(sources[fmt], *rules, "--judge-unrecordable")
    clean = fmt == "annex-a"  # the CIN and 903 fixtures have bad rows on purpose: named, the rest read
    assert code == (1 if clean else 2) and direct and any(f["status"] in ("late", "missing", "exceeded") for f in direct)
    out = tmp_path / f"converted.{to}"
    r = run("convert", sources[fmt], "--to", to, "--output", out)
    assert r.exit_code == (0 if clean else 2)
    # csv: the event log and the case table written beside it (team, worker), checked together
    table = tmp_path / "converted.cases.csv"
    assert table.exists() == (to == "csv")  # the 903 fixture's V3 child has `short_breaks` (a case attribute)
    converted = (out, table) if table.exists() else (out,)
    assert findings(*converted, *rules) == (1, direct)
    assert fmt != "annex-a" or any(f["worker"] for f in direct)


def test_importers_emit_only_the_vocabulary(sources):
    cases, _ = load_cases([sources["annex-a"], sources["cin-census"], sources["ssda903"]])
    used = {e.type for c in cases for e in c.events}
    assert len(used) > 30 and used <= set(vocabulary())


def test_check_detects_each_source_by_content_and_warns_on_stderr(tmp_path, write):
    path = workbook(tmp_path / "a.xlsx", {"List 3": [["Child Unique ID", "Date of referral", "Odd"],
                                                     ["A", "04/01/2021", "x"]], "Read me": [["hello"]]})
    r = run("check", path, "--rules", write("rules.yaml", RULES), "--as-at", "2021-06-01")
    assert r.exit_code == 1 and "missing   ASSESS-45WD" in r.stdout
    assert "casecheck: warning: " + path + ":1: sheet 'List 3': columns not understood (not read): Odd" in r.stderr
    assert "sheet 'Read me' is not an Annex A list; ignored" in r.stderr
    # The same notes are the JSON document's warnings (SPEC §4), with file and line.
    doc = json.loads(run("check", path, "--rules", write("rules.yaml", RULES), "--as-at", "2021-06-01",
                         "--format", "json").stdout)
    assert {"file": path, "line": 1, "message": "sheet 'List 3': columns not understood (not read): Odd"} in doc["warnings"]


def test_input_format_forces_the_reader(sources):
    r = run("check", sources["cin-census"], "--input-format", "annex-a", "--rules", sources["rules"])
    assert r.exit_code == 2 and "not a readable Excel workbook" in r.stderr
    r = run("check", sources["cin-census"], "--input-format", "bogus")
    assert r.exit_code == 2 and "Invalid value for '--input-format'" in r.stderr


def test_convert_writes_yaml_case_files_with_attributes_and_warnings(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {"List 3": [["Child Unique ID", "Date of referral", "Allocated Team", "Odd"],
                                                     ["A", "04/01/2021", "North", "x"]]})
    r = run("convert", path, "--to", "yaml")
    assert r.exit_code == 0
    assert "# " + path + ":1: sheet 'List 3': columns not understood (not read): Odd\n" in r.stdout
    assert "- case: A\n  team: North\n  events:\n  - {date: 2021-01-04, type: referral}\n" in r.stdout
    r = run("convert", path, "--to", "csv")
    assert r.stdout == "case,date,type\nA,2021-01-04,referral\n"
    assert "case attributes (team, worker, ...) were left out: a CSV event log has no place for them; " \
           "give --output FILE" in r.stderr
    out = tmp_path / "events.csv"
    r = run("convert", path, "--to", "csv", "-o", out)
    assert (tmp_path / "events.cases.csv").read_text() == "case,team\nA,North\n"
    assert f"written to the case table {tmp_path / 'events.cases.csv'}: check it together with {out}" in r.stderr


def test_convert_needs_a_source_and_a_target():
    assert run("convert", "--to", "csv").exit_code == 2
    assert run("convert", "x.xlsx").exit_code == 2
