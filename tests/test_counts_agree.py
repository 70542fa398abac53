"""One counting model: every view gives the same breaches, warnings and excused for the same run.

On the bundled cases and on generated ones, each with a register excusing some breaches and some
warnings, the three counts are read back from every view (check's text, JSON and CSV, summary's
text, CSV, workbook and page, the report, diff and the findings database) and compared: no view
may disagree with another, and the three never overlap.
"""

import csv
import datetime as dt
import io
import json
import random
import re

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from conftest import run_cli as run
from casecheck.counting import Counts, kind_of
from casecheck.inputs import bundled

AS_AT = "2024-10-14"
THREE = re.compile(r"([\d,]+) breach(?:es)?(?: \([^)]*\))?, ([\d,]+) warnings?, ([\d,]+) excused")

RULES = """
ruleset: gen
rules:
  - id: GEN-MINUTES
    title: Minutes within 5 working days
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 5 working days
  - id: GEN-VISIT
    title: Visit within 10 days
    severity: warning
    kind: response
    trigger: referral
    expect: home_visit
    within: 10 days
"""


def _generated_cases(n: int = 40, seed: int = 21) -> str:
    """Cases with met, late, missing and not-yet-due deadlines of both rules, from a fixed seed."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        events = []
        for _ in range(rng.randint(0, 4)):
            start = dt.date(2023, 1, 2) + dt.timedelta(days=rng.randint(0, 650))  # some still due at AS_AT
            kind, answer = rng.choice([("cin_meeting", "minutes_sent"), ("referral", "home_visit")])
            events.append(f"    - {{date: {start}, type: {kind}}}")
            gap = rng.choice([None, 2, 4, 9, 15, 40])  # None: never answered (missing, or due)
            if gap is not None and start + dt.timedelta(days=gap) <= dt.date.fromisoformat(AS_AT):
                events.append(f"    - {{date: {start + dt.timedelta(days=gap)}, type: {answer}}}")
        team = rng.choice(["North", "South", None])
        out.append(f"- case: G-{i:03d}\n" + (f"  team: {team}\n" if team else "")
                   + ("  events:\n" + "\n".join(events) + "\n" if events else "  events: []\n"))
    return "".join(out)


def _register(findings: list[dict]) -> str:
    """Entries excusing every third breach and every third warning (by finding order)."""
    entries, seen = [], {"breach": 0, "warning": 0}
    for f in findings:
        if f["status"] not in ("late", "missing", "exceeded"):
            continue
        seen[f["severity"]] += 1
        if seen[f["severity"]] % 3 == 1:
            entries.append(f"- case: {json.dumps(f['case'])}\n  rule: {f['rule']}\n  trigger: {f['trigger']['date']}\n"
                           f"  due: {f['due']}\n  reason: Agreed delay\n  approved_by: Head of Service\n"
                           f"  approved_on: 2024-10-01\n")
    return "".join(entries)


def _paragraphs(text: str) -> list[str]:
    """Text output's paragraphs, each unwrapped onto one line (text is wrapped at 100 columns)."""
    return [" ".join(p.split()) for p in text.strip().split("\n\n")]


def _three(text: str) -> tuple[int, int, int]:
    m = THREE.search(text)
    assert m, text[:500]
    return tuple(int(g.replace(",", "")) for g in m.groups())


def _cohort(write, which: str) -> list[str]:
    """The inputs of a run: the bundled cases and rules, or generated ones; plus a register."""
    if which == "bundled":
        base = [str(bundled.cases_dir())]
    else:
        base = [write("cases.yaml", _generated_cases()), "--rules", write("rules.yaml", RULES)]
    findings = json.loads(run("check", *base, "--as-at", AS_AT, "--format", "json").stdout)["findings"]
    register = write("register.yaml", _register(findings))
    return base + ["--exceptions", register]


@pytest.mark.parametrize("which", ["bundled", "generated"])
def test_every_view_gives_the_same_breaches_warnings_and_excused(write, tmp_path, which):
    args = _cohort(write, which) + ["--as-at", AS_AT]
    views: dict[str, tuple[int, int, int]] = {}

    doc = json.loads(run("check", *args, "--format", "json", "--all").stdout)
    t = doc["totals"]
    views["check json --all"] = (t["breaches"], t["warnings"], t["excused"])
    truth = Counts().update(doc["findings"])  # the records themselves, counted by the one model
    views["check json findings"] = (truth.breaches, truth.warnings, truth.excused)
    assert t["findings"] == len(doc["findings"]) and sum(t["by_status"].values()) == t["findings"]
    assert truth.excused > 0 and truth.warnings > 0 and truth.breaches > 0  # the register bites both ways
    assert any(kind_of(f) == "excused" and f["severity"] == "warning" for f in doc["findings"])

    only = json.loads(run("check", *args, "--format", "json").stdout)["totals"]
    views["check json"] = (only["breaches"], only["warnings"], only["excused"])
    views["check text"] = _three(_paragraphs(run("check", *args).stdout)[-1])
    rows = list(csv.DictReader(io.StringIO(run("check", *args, "--format", "csv").stdout)))
    assert {r["excused"] for r in rows} <= {"true", "false"}
    views["check csv"] = (
        sum(r["severity"] == "breach" and r["excused"] == "false" for r in rows),
        sum(r["severity"] == "warning" and r["excused"] == "false" for r in rows),
        sum(r["excused"] == "true" for r in rows))

    views["summary text"] = _three(_paragraphs(run("summary", *args).stdout)[0])
    srows = list(csv.DictReader(io.StringIO(run("summary", *args, "--by", "team", "--format", "csv").stdout)))
    [total] = [r for r in srows if r["grouping"] == "total"]
    views["summary csv total"] = (int(total["breaches"]), int(total["warnings"]), int(total["excused"]))
    by_rule = [r for r in srows if r["grouping"] == "rule"]
    views["summary csv rules added"] = tuple(sum(int(r[c]) for r in by_rule) for c in ("breaches", "warnings", "excused"))

    xlsx = tmp_path / "s.xlsx"
    run("summary", *args, "--format", "xlsx", "-o", xlsx)
    wb = load_workbook(xlsx)
    about = {row[0]: row[1] for row in wb["About"].iter_rows(values_only=True) if row[0]}
    views["workbook about"] = (about["Breaches"], about["Warnings"], about["Excused"])
    sheet = wb["by rule"]
    head = [c.value for c in sheet[1]]
    last = [c.value for c in sheet[sheet.max_row]]
    assert last[0] == "Total"
    views["workbook by-rule total"] = tuple(last[head.index(c)] for c in ("breaches", "warnings", "excused"))
    fsheet = wb["findings"]
    fhead = [c.value for c in fsheet[1]]
    frows = [dict(zip(fhead, (c.value for c in r))) for r in fsheet.iter_rows(min_row=2)]
    assert {r["excused"] for r in frows} <= {True, False}  # real booleans, not text
    views["workbook findings"] = (
        sum(r["status"] in ("late", "missing", "exceeded") and r["severity"] == "breach" and r["excused"] is False
            for r in frows),
        sum(r["status"] in ("late", "missing", "exceeded") and r["severity"] == "warning" and r["excused"] is False
            for r in frows),
        sum(r["excused"] is True for r in frows))

    page = tmp_path / "s.html"
    run("summary", *args, "--format", "html", "-o", page)
    html = page.read_text(encoding="utf-8")
    views["summary html intro"] = _three(html.split("<p>", 1)[1].split("</p>", 1)[0])
    report = tmp_path / "r.html"
    r = run("report", *args, "-o", report)
    assert r.exit_code == 0
    html = report.read_text(encoding="utf-8")
    views["report intro"] = _three(html.split("</h1>", 1)[1].split("</p>", 1)[0])
    index = html.split('<table class="index cards">', 1)[1].split("</table>", 1)[0]
    total_row = index.split('<tr class="total">', 1)[1]
    views["report index total"] = tuple(int(n.replace(",", "")) for n in re.findall(r'class="num"[^>]*>([\d,]+)<', total_row))
    per_case = [tuple(int(n.replace(",", "")) for n in re.findall(r'class="num"[^>]*>([\d,]+)<', row)[:3])
                for row in index.split('<tbody>', 1)[1].split('<tr class="total">')[0].split("</tr>") if "num" in row]
    views["report index cases added"] = tuple(sum(c[i] for c in per_case) for i in range(3))
    sections = re.findall(r'<section id="case-[^"]*"[^>]*>\s*<h3[^>]*>.*?</h3>\s*<p>([^<]*)</p>', html, re.S)
    views["report case sections added"] = tuple(sum(_three(s)[i] for s in sections) for i in range(3))

    empty = write("empty.json", json.dumps({"as_at": "2024-01-01", "findings": []}))
    after = write("after.json", run("check", *args, "--format", "json").stdout)
    d = json.loads(run("diff", empty, after, "--format", "json").stdout)
    views["diff new"] = tuple(d["totals"]["new"][k] for k in ("breaches", "warnings", "excused"))
    views["diff text new"] = _three(_paragraphs(run("diff", empty, after).stdout)[0])
    same = json.loads(run("diff", after, after, "--format", "json").stdout)
    views["diff continuing"] = tuple(same["totals"]["continuing"][k] for k in ("breaches", "warnings", "excused"))

    db = f"sqlite:///{tmp_path / 'f.db'}"
    run("check", *args, "-o", db)
    engine = sa.create_engine(db)
    with engine.connect() as conn:
        [(breaches, warnings, excused)] = conn.execute(
            sa.text("select breaches, warnings, excused from casecheck_runs")).fetchall()
        rows = conn.execute(sa.text("select status, severity, excused from casecheck_findings")).fetchall()
    engine.dispose()
    in_rows = Counts().update({"status": s, "severity": v, "exception": bool(e)} for s, v, e in rows)
    views["database findings"] = (in_rows.breaches, in_rows.warnings, in_rows.excused)
    views["database run"] = (breaches, warnings, excused)

    disagree = {name: got for name, got in views.items() if got != views["check json findings"]}
    assert len(views) == 21 and disagree == {}, (views["check json findings"], disagree)


def test_due_counts_its_overdue_items_by_the_same_model(write):
    args = _cohort(write, "generated") + ["--as-at", AS_AT]
    doc = json.loads(run("due", *args, "--format", "json").stdout)
    t = doc["totals"]
    overdue = Counts().update(doc["overdue"])
    assert t["overdue"] == len(doc["overdue"]) == t["overdue_breaches"] + t["overdue_warnings"]
    assert (t["overdue_breaches"], t["overdue_warnings"], overdue.excused) == (overdue.breaches, overdue.warnings, 0)
    first = run("due", *args).stdout.splitlines()[0]
    assert first == (f"Overdue at 14 October 2024 (still open): {t['overdue']} ({t['overdue_breaches']} breach"
                     f"{'es' if t['overdue_breaches'] != 1 else ''}, {t['overdue_warnings']} warning"
                     f"{'s' if t['overdue_warnings'] != 1 else ''})")
    # what the register excused is listed apart, never among the overdue
    assert t["excused"] == len(doc["excused"]) and all(i["exception_reason"] for i in doc["excused"])


# --- the law itself -----------------------------------------------------------------------------

from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

from conftest import D, make_rules  # noqa: E402
from casecheck.model import BREACHES, STATUSES, Event, ExceptionEntry, Finding  # noqa: E402
from casecheck.views.findings import finding_record  # noqa: E402

_RULES = {sev: make_rules({"id": f"R-{sev}", "title": "t", "kind": "response", "trigger": "a", "expect": "b",
                           "within": "1 day", "severity": sev})[0] for sev in ("breach", "warning")}
_ENTRY = ExceptionEntry("C", "R", D("2024-01-01"), "agreed", "Head of Service", D("2024-01-02"))


@hsettings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(STATUSES), st.sampled_from(["breach", "warning"]), st.booleans()),
                max_size=40))
def test_breaches_warnings_and_excused_never_overlap_and_add_up_to_the_breach_statuses(specs):
    findings = [Finding("C", _RULES[sev], status, Event(D("2024-01-01"), "a"), D("2024-01-02"),
                        exception=_ENTRY if excused and status in BREACHES else None)
                for status, sev, excused in specs]
    counts = Counts().update(findings)
    kinds = [kind_of(f) for f in findings]
    assert counts.breaches + counts.warnings + counts.excused == sum(f.status in BREACHES for f in findings)
    assert all((k is None) == (f.status not in BREACHES) for k, f in zip(kinds, findings))
    assert counts.breaches == sum(f.fails_check for f in findings)
    # the same counts from the records `check --format json` writes, as diff reads them back
    again = Counts().update(finding_record(f) for f in findings)
    assert (again.three(), again.by_status) == (counts.three(), counts.by_status)
    assert counts.totals(7)["findings"] == len(findings) == sum(counts.totals()["by_status"].values())
