"""`casecheck summary`: compliance per rule over a cohort, grouped, as text, csv, xlsx and html."""

import csv
import re
import datetime as dt
import io
import random
import statistics
from collections import Counter

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from casecheck.cli import main
from conftest import D, make_case, make_rules
from casecheck.inputs import bundled
from casecheck.views import summary, workbook
from casecheck.inputs.cases import load_cases
from casecheck.replay import check
from casecheck.rules.load import load_rules

AS_AT = "2026-11-24"


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


RULES = [{"id": "R", "title": "Reply within 2 days", "kind": "response", "trigger": "ask", "expect": "reply",
          "within": "2 days"},
         {"id": "S", "title": "Visit within 1 day", "kind": "response", "trigger": "ask", "expect": "visit",
          "within": "1 day"}]


def cohort():
    """4 cases: R met 3 times and late once (5 days); S late by 1, 2, 3 and 10 days... and one due."""
    cases = [
        make_case(("2024-01-01", "ask"), ("2024-01-02", "reply"), ("2024-01-03", "visit"), case_id="C1", team="A"),
        make_case(("2024-01-01", "ask"), ("2024-01-03", "reply"), ("2024-01-04", "visit"), case_id="C2", team="A"),
        make_case(("2024-02-01", "ask"), ("2024-02-01", "reply"), ("2024-02-05", "visit"), case_id="C3", team="B"),
        make_case(("2024-02-01", "ask"), ("2024-02-08", "reply"), ("2024-02-12", "visit"), case_id="C4", team="B"),
        make_case(("2024-03-30", "ask"), case_id="C5"),
    ]
    return cases, make_rules(*RULES)


def test_percentile_is_linear_between_ranks():
    assert summary.percentile([], 0.9) is None
    assert summary.percentile([7], 0.9) == 7
    assert summary.percentile([10, 1, 4, 3, 2], 0.5) == 3
    assert summary.percentile([1, 2, 3, 4, 10], 0.9) == pytest.approx(7.6)
    rng = random.Random(3)
    for _ in range(50):
        xs = [rng.randint(0, 500) for _ in range(rng.randint(2, 40))]
        assert summary.percentile(xs, 0.9) == pytest.approx(statistics.quantiles(xs, n=10, method="inclusive")[8])
        assert summary.percentile(xs, 0.5) == pytest.approx(statistics.median(xs))


def test_hand_made_cohort_exact_numbers():
    cases, rules = cohort()
    findings = check(cases, rules, D("2024-03-31"))
    rows = {r.key: r.values() for r in summary.summarise(findings, ("rule",))}
    assert rows[("R",)] == {"findings": 5, "owed": 4, "met": 3, "late": 1, "missing": 0, "exceeded": 0,
                            "breaches": 1, "warnings": 0, "excused": 0, "due": 1,
                            "withdrawn": 0, "compliance": 0.75, "median_days_late": 5, "p90_days_late": 5}
    s = rows[("S",)]
    assert (s["owed"], s["met"], s["late"], s["due"]) == (4, 0, 4, 1)
    assert s["compliance"] == 0.0
    # S is 1, 2, 3 and 10 days late: median 2.5; 90th percentile 3 + 0.7 * 7
    assert s["median_days_late"] == 2.5 and s["p90_days_late"] == pytest.approx(7.9)
    by_team = {r.key: r.values() for r in summary.summarise(findings, ("team", "rule"))}
    assert by_team[("A", "R")]["compliance"] == 1.0 and by_team[("B", "R")]["compliance"] == 0.5
    assert by_team[("(none)", "R")]["due"] == 1
    by_month = {r.key: r.values()["findings"] for r in summary.summarise(findings, ("month", "rule"))}
    assert by_month == {("2024-01", "R"): 2, ("2024-01", "S"): 2, ("2024-02", "R"): 2, ("2024-02", "S"): 2,
                        ("2024-04", "R"): 1, ("2024-03", "S"): 1}


def _row(text: str, *key: str) -> list[str]:
    """A table row's cells, read across the panels the text table is split into: the key once."""
    lines = [ln.split() for ln in text.splitlines() if ln.split()[:len(key)] == list(key)]
    return lines[0] + [cell for ln in lines[1:] for cell in ln[len(key):]] if lines else []


def test_text_shows_the_rate_and_the_percentile_method(write):
    cases, _ = cohort()
    rules_file = write("rules.yaml", "ruleset: t\nrules:\n" + "".join(
        f"  - {{id: {r['id']}, title: {r['title']}, kind: response, trigger: ask, expect: {r['expect']}, "
        f"within: {r['within']}}}\n" for r in RULES))
    cases_file = write("cases.yaml", "".join(
        f"- case: {c.id}\n" + (f"  team: {c.attrs['team']}\n" if c.attrs else "") + "  events:\n"
        + "".join(f"    - {{date: {e.date}, type: {e.type}}}\n" for e in c.events) for c in cases))
    r = run("summary", cases_file, "--rules", rules_file, "--as-at", "2024-03-31", "--by", "team")
    assert r.exit_code == 0  # a document: written, whatever its breaches
    line = " ".join(_row(r.stdout, "R"))
    # findings, owed, met, late, missing, exceeded, breaches, warnings, excused, due, withdrawn, ...
    assert line.split() == ["R", "Reply", "within", "2", "days", "5", "4", "3", "1", "0", "0", "1", "0", "0", "1",
                            "0", "75.0%", "5.0", "5.0"]
    # the total: R and S together, late by 5 (R) and 1, 2, 3, 10 days (S)
    alls = [ln.split() for ln in r.stdout.splitlines() if ln.startswith("Total ")]
    assert _row(r.stdout.split("\nBy team, rule")[0], "Total") == ["Total", "10", "8", "3", "5", "0", "0", "5", "0", "0", "2", "0", "37.5%", "3.0",
                                       "8.0"]
    assert len(alls) == 2 * 2  # two tables, each in two panels (100 columns)
    assert "By team, rule" in r.stdout and "PERCENTILE.INC" in r.stdout
    assert "50.0%" in _row(r.stdout, "B", "R")


@pytest.fixture(scope="module")
def bundled_findings():
    rules, _ = load_rules([str(bundled.rules_dir())])
    cases, _ = load_cases([str(bundled.cases_dir())])
    return cases, check(cases, rules, D(AS_AT))


def test_bundled_summary_has_the_counts_the_findings_imply(bundled_findings):
    cases, findings = bundled_findings
    r = run("summary", "--as-at", AS_AT, "--format", "csv", "--by", "team")
    assert r.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    by_rule = {row["rule"]: row for row in rows if row["grouping"] == "rule" and row["rule"] != "Total"}
    expected = {}
    for f in findings:
        expected.setdefault(f.rule.id, Counter())[f.status] += 1
    assert set(by_rule) == set(expected)
    for rule_id, counts in expected.items():
        row = by_rule[rule_id]
        for status in ("met", "late", "missing", "exceeded", "due", "withdrawn"):
            assert int(row[status]) == counts[status], (rule_id, status)
        owed = counts["met"] + counts["late"] + counts["missing"] + counts["exceeded"]
        assert int(row["owed"]) == owed
        assert float(row["compliance_percent"]) == round(100 * counts["met"] / owed, 1)
        late = sorted(f.days_late for f in findings if f.rule.id == rule_id and f.is_breach)
        if late:
            assert float(row["median_days_late"]) == statistics.median(late)
    # per team: the teams' rows add up to the rule's
    team_rows = [row for row in rows if row["grouping"] == "team,rule" and row["team"] != "Total"]
    for rule_id in expected:
        assert sum(int(row["findings"]) for row in team_rows if row["rule"] == rule_id) == sum(expected[rule_id].values())
    judged = {f.case for f in findings}  # a case with no finding (the Norfolk decision's) has no row
    assert {row["team"] for row in team_rows} == {c.attrs.get("team", "(none)") for c in cases if c.id in judged}


def test_xlsx_has_a_sheet_per_grouping_real_numbers_and_dates(bundled_findings, tmp_path):
    _, findings = bundled_findings
    out = tmp_path / "s.xlsx"
    r = run("summary", "--as-at", AS_AT, "--format", "xlsx", "-o", str(out), "--by", "team", "--by", "month")
    assert r.exit_code == 0 and r.stdout == ""
    wb = load_workbook(out)
    assert wb.sheetnames == ["About", "by rule", "by team-rule", "by month-rule", "findings"]
    ws = wb["by rule"]
    assert ws.freeze_panes == "B2"
    headers = [c.value for c in ws[1]]
    assert headers[:5] == ["rule", "title", "findings", "owed", "met"]
    row = {h: c for h, c in zip(headers, ws[2])}
    assert isinstance(row["findings"].value, int) and isinstance(row["met"].value, int)
    assert isinstance(row["compliance"].value, float) and row["compliance"].number_format == "0.0%"
    assert 0 <= row["compliance"].value <= 1
    fs = wb["findings"]
    assert fs.max_row == len(findings) + 1 and fs.freeze_panes == "B2"
    fh = [c.value for c in fs[1]]
    first = {h: c for h, c in zip(fh, fs[2])}
    assert isinstance(first["due"].value, dt.datetime) and first["due"].number_format == "yyyy-mm-dd"
    assert first["due"].value.date() == findings[0].due
    assert isinstance(first["days_late"].value, int)
    assert "team" in fh and "worker" in fh


def test_xlsx_needs_output_and_case_data_never_becomes_a_formula(write, tmp_path):
    assert run("summary", "--format", "xlsx").exit_code == 2
    cases, rules = cohort()
    cases[0].attrs["team"] = "=HYPERLINK(\"http://x\",\"y\")"
    out = tmp_path / "f.xlsx"
    workbook.write_xlsx(str(out), check(cases, rules, D("2024-03-31")), summary.groupings(["team"]), D("2024-03-31"))
    ws = load_workbook(out)["by team-rule"]
    assert ws["A1"].value == "team"
    cell = next(c for c in ws["A"] if str(c.value).startswith("="))
    assert cell.data_type == "s"


def test_groupings():
    assert summary.groupings([]) == [("rule",)]
    assert summary.groupings(["rule", "team", "team"]) == [("rule",), ("team", "rule")]
    assert summary.groupings(["team,month", "rule,worker"]) == [("rule",), ("team", "month", "rule"),
                                                                  ("rule", "worker")]


def test_html_summary_escapes_attribute_values():
    cases, rules = cohort()
    cases[0].attrs["team"] = "<script>alert(1)</script>"
    html = summary.html_tables(check(cases, rules, D("2024-03-31")), summary.groupings(["team"]))
    assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<caption>Compliance by team, rule</caption>" in html


def test_an_unknown_grouping_attribute_is_refused_with_the_closest_known_one():
    r = run("summary", "--as-at", AS_AT, "--by", "tema")
    assert r.exit_code == 2 and r.stdout == ""
    assert "--by 'tema': no case has that attribute; did you mean 'team'?" in r.stderr
    assert "known: council, month, rule, team, worker" in r.stderr
    r = run("report", "--as-at", AS_AT, "--by", "team,mnth", "-o", "x.html")
    assert r.exit_code == 2 and "did you mean 'month'?" in r.stderr


# --- second round: titles, totals, overall per group, rounding, the workbook that stands alone ---

import dataclasses  # noqa: E402


def test_overall_compliance_per_team_has_no_rule_level_and_a_total():
    cases, rules = cohort()
    findings = check(cases, rules, D("2024-03-31"))
    [by_rule, by_team] = summary.groupings(["team"], overall=True)
    assert by_team == ("team",)
    rows = {r.key: r.values() for r in summary.table_rows(findings, by_team)}
    # team A: R met twice, S late twice -> 2 / 4; team B: R met once, late once, S late twice -> 1 / 4
    assert rows[("A",)]["compliance"] == 0.5 and rows[("B",)]["compliance"] == 0.25
    assert rows[("Total",)]["owed"] == 8 and rows[("Total",)]["met"] == 3
    out = io.StringIO()
    summary.write_text(out, findings, [by_rule, by_team], D("2024-03-31"), len(cases))
    text = out.getvalue()
    assert "By team (every rule together)\n" in text
    assert "Compliance as at 2024-03-31: 5 cases, 10 findings: 5 breaches (5 late), 0 warnings, 0 excused." in text
    assert _row(text, "A")[-3] == "50.0%"
    r = run("summary", "--as-at", AS_AT, "--by", "team", "--overall", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    got = [row for row in rows if row["grouping"] == "team"]
    assert got and all(row["rule"] == "" and row["title"] == "" for row in got)
    assert rows[-1]["grouping"] == "total" and rows[-1]["team"] == rows[-1]["rule"] == ""


def test_worker_and_team_groups_are_who_held_the_case_on_the_due_date():
    cases, rules = cohort()
    findings = check(cases, rules, D("2024-03-31"))
    findings = [dataclasses.replace(f, team="Duty") if f.case == "C1" else f for f in findings]
    teams = {r.key: r.values()["findings"] for r in summary.summarise(findings, ("team",))}
    assert teams == {("A",): 2, ("B",): 4, ("Duty",): 2, ("(none)",): 2}


def test_csv_has_titles_a_total_row_month_dates_and_no_float_noise():
    cases, rules = cohort()
    findings = check(cases, rules, D("2024-03-31"))
    # lateness that makes float noise: 0.9 quantile of [1, 2, 3, 10] by interpolation is 7.8999999...
    out = io.StringIO()
    summary.write_csv(out, findings, summary.groupings(["month"]))
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    s_row = next(r for r in rows if r["grouping"] == "rule" and r["rule"] == "S")
    assert s_row["title"] == "Visit within 1 day" and s_row["p90_days_late"] == "7.9"
    assert all(len(v.split(".")[-1]) <= 1 for r in rows for k, v in r.items()
               if k in ("median_days_late", "p90_days_late", "compliance_percent") and "." in v)
    # one total row, last: `total` in grouping, the levels empty; months only ever YYYY-MM
    totals = [r for r in rows if r["grouping"] == "total"]
    assert totals == [rows[-1]] and rows[-1]["findings"] == "10"
    assert rows[-1]["rule"] == rows[-1]["month"] == rows[-1]["title"] == ""
    assert {r["month"] for r in rows if r["grouping"] == "month,rule"} == {
        "2024-01", "2024-02", "2024-03", "2024-04"}


def test_the_workbook_opens_with_a_sheet_that_stands_alone(bundled_findings, tmp_path):
    cases, findings = bundled_findings
    out = tmp_path / "s.xlsx"
    r = run("summary", str(bundled.cases_dir()), "--as-at", AS_AT, "--format", "xlsx", "-o", str(out),
            "--by", "month", "--by", "team", "--overall")
    assert r.exit_code == 0, r.output
    wb = load_workbook(out)
    assert wb.sheetnames[0] == "About"
    about = {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True) if row[0]}
    assert about["As at"].date() == D(AS_AT) and about["Cases"] == len(cases) and about["Findings"] == len(findings)
    assert str(bundled.cases_dir()) in about["Inputs"]
    assert about["Compliance"].startswith("Compliance = met / (met + late + missing + exceeded)")
    rule_ids = {row[0] for row in wb["About"].iter_rows(values_only=True)}
    assert {f.rule.id for f in findings} <= rule_ids
    ws = wb["by month"]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == ["month", "findings"]
    first = ws.cell(row=2, column=1)
    assert isinstance(first.value, dt.datetime) and first.value.day == 1 and first.number_format == "mmm yyyy"
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "Total" and last[headers.index("findings")] == len(findings)
    assert ws.cell(row=ws.max_row, column=1).font.b
    assert [c.value for c in wb["by team"][1]][:2] == ["team", "findings"]
    fs = wb["findings"]
    fh = [c.value for c in fs[1]]
    assert fh[fh.index("title") + 1] == "cite"
    cited = next(f for f in findings if f.rule.cite)
    row = next(r for r in fs.iter_rows(min_row=2, values_only=True) if r[fh.index("rule")] == cited.rule.id)
    assert row[fh.index("cite")] == cited.rule.cite


def test_trend_by_month_is_a_chart_with_its_numbers_beside_it():
    from casecheck.views import trend
    cases, rules = cohort()
    findings = check(cases, rules, D("2024-03-31"))
    # Jan: R met twice, S late twice -> 50%; Feb: R met once and late once, S late twice -> 25%;
    # Mar: only S of C5, due on the as-at date: nothing owed, no point
    assert trend.monthly(findings, D("2024-03-31")) == [("2024-01", 0.5, 4), ("2024-02", 0.25, 4), ("2024-03", None, 0)]
    html = trend.chart("all rules together", trend.monthly(findings, D("2024-03-31")))
    assert 'role="img"' in html and 'aria-label="Compliance by month, all rules together: 50.0% in Jan 2024, ' \
                                    '25.0% in Feb 2024"' in html
    assert '<p class="nums">Jan 2024: 50.0% of 4; Feb 2024: 25.0% of 4</p>' in html
    # one polyline through the two points: 100% is y=8, 0% is y=70 in the 90-high chart
    assert re.search(r'<polyline points="[\d.]+,39\.0 [\d.]+,54\.5"', html)
    # a month with nothing owed between two that had breaks the line; a single point is no trend
    gap = [("2024-01", 0.5, 4), ("2024-02", None, 0), ("2024-03", 1.0, 2)]
    assert trend.chart("x", gap).count("<polyline") == 2
    assert trend.chart("x", [("2024-01", 0.5, 4)]) == ""
    r = run("summary", "--as-at", AS_AT, "--format", "html")
    assert r.stdout.count('<figure class="trend">') >= 2 and "Compliance by month" in r.stdout
    assert "<script" not in r.stdout
