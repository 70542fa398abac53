"""`casecheck diff BEFORE AFTER`: breaches new, put right and continuing between two runs of check."""

import csv
import io
import json

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.views.findings import CHECK_CSV_FIELDS

RULES = ("ruleset: t\nrules:\n"
         "  - {id: MIN, title: Minutes in 5 days, kind: response, trigger: meeting, expect: minutes, within: 5 days}\n"
         "  - {id: VISIT, title: Visit in 10 days, kind: response, trigger: meeting, expect: visit, within: 10 days,"
         " severity: warning}\n")
CASES = ("- case: A\n  team: North\n  events:\n"
         "    - {date: 2024-01-01, type: meeting}\n"     # MIN due 01-06: missing as at 01-20; minutes 01-25 -> late
         "    - {date: 2024-01-25, type: minutes}\n"
         "    - {date: 2024-01-25, type: visit}\n"
         "- case: B\n  events:\n"
         "    - {date: 2024-01-02, type: meeting}\n"     # MIN missing at 01-20, still missing at 02-20
         "    - {date: 2024-02-01, type: meeting}\n"     # a new meeting after the first run: new breach
         "- case: '=C'\n  events:\n"
         "    - {date: 2024-01-10, type: meeting}\n"     # MIN missing at 01-20 ...
         "    - {date: 2024-01-30, type: meeting_cancelled}\n")


def _runs(write, tmp_path):
    rules, cases = write("rules.yaml", RULES), write("cases.yaml", CASES)
    out = {}
    for name, as_at in (("before", "2024-01-20"), ("after", "2024-02-20")):
        path = str(tmp_path / f"{name}.json")
        r = CliRunner().invoke(main, ["check", cases, "--rules", rules, "--as-at", as_at, "--format", "json",
                                      "-o", path])
        assert r.exit_code == 1, r.output
        out[name] = path
    return out["before"], out["after"]


def _ids(records):
    return [(r["case"], r["rule"], r["trigger"]["date"], r["status"]) for r in records]


def test_new_resolved_and_continuing_as_json(write, tmp_path):
    before, after = _runs(write, tmp_path)
    # put C's breach right by hand in the later run: drop it as if it had been met
    doc = json.load(open(after))
    doc["findings"] = [f for f in doc["findings"] if f["case"] != "=C"]
    json.dump(doc, open(after, "w"))
    r = CliRunner().invoke(main, ["diff", before, after, "--format", "json"])
    assert r.exit_code == 1, r.output
    got = json.loads(r.stdout)
    assert _ids(got["new"]) == [("B", "MIN", "2024-02-01", "missing"), ("B", "VISIT", "2024-02-01", "missing")]
    # C's visit was not yet owed at the first run (due on its as-at date): only its minutes were a breach
    assert _ids(got["resolved"]) == [("=C", "MIN", "2024-01-10", "missing")]
    assert _ids(got["continuing"]) == [("A", "MIN", "2024-01-01", "late"), ("A", "VISIT", "2024-01-01", "late"),
                                       ("B", "MIN", "2024-01-02", "missing"), ("B", "VISIT", "2024-01-02", "missing")]
    # each a finding as check writes it: AFTER's for new and continuing, BEFORE's for resolved
    assert got["continuing"][2]["days_late"] == 44 and got["resolved"][0]["days_late"] == 5
    assert got["new"][0]["worker"] is None and "clock_stops" in got["new"][0]
    assert got["before"]["as_at"] == "2024-01-20" and got["after"]["as_at"] == "2024-02-20"


def test_text_says_how_a_continuing_breach_moved_on_and_csv_is_spreadsheet_safe(write, tmp_path):
    before, after = _runs(write, tmp_path)
    r = CliRunner().invoke(main, ["diff", before, after])
    unwrapped = " ".join(r.stdout.split())  # lines are wrapped at 100 columns
    assert unwrapped.startswith(f"{after} (as at 2024-02-20) against {before} (as at 2024-01-20): new 1 breach, "
                                "2 warnings, 0 excused; put right 0 breaches, 0 warnings, 0 excused; continuing "
                                "3 breaches, 2 warnings, 0 excused.")  # VISIT is a warning: counted apart
    new = r.stdout.split("New since the earlier run: 1 breach, 2 warnings, 0 excused\n")[1].split("\n\n")[0]
    assert new.count("  case B\n") == 1 and new.count("meeting 2024-02-01") == 2  # a case named once
    assert "due 2024-01-06: late, 19 days (14 working days) late (was missing, 14 days (10 working days) overdue)" \
        in unwrapped
    r = CliRunner().invoke(main, ["diff", before, after, "--format", "csv"])
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    assert list(rows[0]) == ["change", *CHECK_CSV_FIELDS] and "cite" in rows[0]
    assert [row["change"] for row in rows] == ["new"] * 3 + ["continuing"] * 5
    assert {row["case"] for row in rows if row["case"].startswith("'")} == {"'=C"}


def test_no_new_breach_exits_0_and_a_new_warning_alone_does_not_fail(write, tmp_path):
    before, after = _runs(write, tmp_path)
    assert CliRunner().invoke(main, ["diff", after, after]).exit_code == 0
    doc = json.load(open(after))
    doc["findings"] = [f for f in doc["findings"] if not (f["case"] == "B" and f["rule"] == "MIN"
                                                          and f["trigger"]["date"] == "2024-02-01")]
    json.dump(doc, open(after, "w"))
    r = CliRunner().invoke(main, ["diff", before, after, "--format", "json"])
    assert r.exit_code == 0 and _ids(json.loads(r.stdout)["new"]) == [("=C", "VISIT", "2024-01-10", "missing"),
                                                                       ("B", "VISIT", "2024-02-01", "missing")]


@pytest.mark.parametrize("text, message", [
    ("not json at all\n", "is not valid JSON (Expecting value); it is not a casecheck JSON document"),
    ('{"as_at": "2024-01-01", "findings": [{"case": "A"}]}', "finding 1 has no 'rule'"),
    ('[1, 2]', "has no 'as_at' and 'findings' list"),
    ('{"as_at": "2024-01-01", "findings": [{"case": "A", "rule": "R", "status": "odd", "due": "2024-01-02",'
     ' "trigger": {"type": "t", "date": "2024-01-01"}}]}', "unknown status 'odd'"),
])
def test_an_input_that_is_not_a_casecheck_json_document_is_named(write, tmp_path, text, message):
    before, _ = _runs(write, tmp_path)
    bad = write("bad.json", text)
    r = CliRunner().invoke(main, ["diff", before, bad])
    assert r.exit_code == 2 and f"casecheck: {bad}" in r.stderr and message in r.stderr and r.stdout == ""
    assert "Traceback" not in r.output


def test_a_missing_file_and_an_unreachable_database_exit_2_with_a_reason(tmp_path):
    r = CliRunner().invoke(main, ["diff", str(tmp_path / "none.json"), "postgresql://127.0.0.1:1/runs"])
    assert r.exit_code == 2
    assert "none.json: cannot be read" in r.stderr and "postgresql://127.0.0.1:1/runs: cannot connect to the " \
        "database" in r.stderr


# --- the laws of a diff, over generated runs --------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from casecheck.views import diff as views_diff  # noqa: E402

_record = st.builds(
    lambda case, rule, day, status, late: {
        "case": case, "rule": rule, "status": status, "trigger": {"type": "t", "date": f"2024-01-{day:02}"},
        "due": f"2024-02-{day:02}", "severity": "breach", "days_late": late, "working_days_late": late,
        "title": "", "exception": None},
    st.sampled_from(["A", "B", "C"]), st.sampled_from(["R1", "R2"]), st.integers(1, 5),
    st.sampled_from(["met", "due", "withdrawn", "late", "missing", "exceeded"]), st.integers(0, 9))


def _run(records):
    # one finding per identity, as a run of check gives
    return views_diff.Run("x", "2024-03-01", list({views_diff.identity(r): r for r in records}.values()))


@settings(max_examples=200, deadline=None)
@given(st.lists(_record, max_size=25), st.lists(_record, max_size=25))
def test_every_breach_of_either_run_is_in_exactly_one_change(before, after):
    b, a = _run(before), _run(after)
    d = views_diff.compare(b, a)
    ids = lambda records: [views_diff.identity(r) for r in records]  # noqa: E731
    breaches = lambda run: {views_diff.identity(r) for r in run.findings if r["status"] in ("late", "missing", "exceeded")}  # noqa: E731,E501
    assert sorted(ids(d.new) + ids(d.continuing)) == sorted(breaches(a))
    assert sorted(ids(d.resolved) + ids(d.continuing)) == sorted(breaches(b))
    assert not set(ids(d.new)) & set(ids(d.resolved))
    # comparing a run with itself: nothing new, nothing put right
    same = views_diff.compare(a, a)
    assert same.new == [] and same.resolved == [] and sorted(ids(same.continuing)) == sorted(breaches(a))
    # and the other way round, new and resolved swap
    back = views_diff.compare(a, b)
    assert sorted(ids(back.new)) == sorted(ids(d.resolved)) and sorted(ids(back.resolved)) == sorted(ids(d.new))
