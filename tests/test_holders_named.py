"""Who held the case, in every view's sentences: each finding's sentence names the worker and team
who held the case on its due date (as the JSON's `worker` and `team` do), and each case's heading
names who holds it now and since when. Dates in sentences read as "5 March 2024", never ISO."""

import json
import re

import pytest

from conftest import due_items, run_cli

RULES = """ruleset: t
title: Test standards
rules:
  - {id: MIN, title: Minutes within 15 working days, cite: Test Act 2024 s1, kind: response,
     trigger: cin_meeting, expect: minutes_sent, within: 15 working days, match: [meeting]}
"""

# Two late minutes: the first due 26 February 2024 (W-Cedar held the case), the second due
# 23 September 2024, after W-Birch took the case over on 12 August 2024.
CASE = """case: H-1
team: CIN South
worker: W-Birch
events:
  - {date: 2024-01-08, type: worker_allocated, worker: W-Cedar, team: CIN North}
  - {date: 2024-02-05, type: cin_meeting, meeting: m1}
  - {date: 2024-03-20, type: minutes_sent, meeting: m1}
  - {date: 2024-08-12, type: worker_allocated, worker: W-Birch, team: CIN South}
  - {date: 2024-09-02, type: cin_meeting, meeting: m2}
"""
AS_AT = "2024-10-14"
FIRST = "W-Cedar (CIN North) held the case on the due date"
SECOND = "W-Birch (CIN South) held the case on the due date"
NOW = "Held now by W-Birch (CIN South), since 12 August 2024"
ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


@pytest.fixture
def files(write):
    return write("rules.yaml", RULES), write("case.yaml", CASE)


def _plain(html_fragment):
    """An HTML fragment's text (identifiers are wrapped in spans that keep them on one line)."""
    return re.sub(r"<[^>]+>", "", html_fragment)


def _sentences_with_a_due_date(text):
    return [s for s in re.split(r"(?<=\.)\s", text) if "due by" in s]


def test_json_puts_each_late_deadline_on_the_worker_who_held_it(files):
    rules, case = files
    doc = json.loads(run_cli("check", case, "--rules", rules, "--as-at", AS_AT, "--format", "json").stdout)
    assert [(f["due"], f["worker"], f["team"]) for f in doc["findings"]] == [
        ("2024-02-26", "W-Cedar", "CIN North"), ("2024-09-23", "W-Birch", "CIN South")]


def test_chronology_markdown_names_the_holder_on_each_due_date_and_today_in_the_heading(files):
    rules, case = files
    text = run_cli("chronology", case, "--rules", rules, "--as-at", AS_AT).stdout
    head = text.split("## Drift summary")[0]
    assert NOW in head and "Worker:" not in head and "Team:" not in head
    chron = text.split("## Chronology")[1]
    first = next(ln for ln in chron.splitlines() if ln.startswith("- 26 February 2024 — "))
    second = next(ln for ln in chron.splitlines() if ln.startswith("- 23 September 2024 — "))
    assert FIRST in first and "W-Birch" not in first
    assert SECOND in second and "W-Cedar" not in second
    assert not ISO.search(chron), "chronology sentences write dates as '5 March 2024'"


def test_chronology_html_names_the_holders_too(files):
    rules, case = files
    html = run_cli("chronology", case, "--rules", rules, "--as-at", AS_AT, "--format", "html").stdout
    assert NOW in html
    items = [_plain(i) for i in re.findall(r"<li class=\"breach[^>]*>(.*?)</li>", html, re.S)]
    assert len(items) == 2
    assert FIRST in items[0] and "W-Birch" not in items[0]
    assert SECOND in items[1] and "W-Cedar" not in items[1]
    text = re.sub(r"<[^>]+>", " ", html.split("<ol class=\"chronology\">")[1])
    assert not ISO.search(text)


def test_report_heading_index_and_sentences_name_the_right_workers(files, tmp_path):
    rules, case = files
    out = tmp_path / "report.html"
    run_cli("report", case, "--rules", rules, "--as-at", AS_AT, "--output", out)
    html = out.read_text(encoding="utf-8")
    [held] = re.findall(r"<td data-label=\"held now by\">(.*?)</td>", html.split("<tr class=\"total\">")[0])
    assert "<th scope=\"col\">held now by</th>" in html and _plain(held) == "W-Birch (CIN South)"
    section = html.split("<section id=\"case-")[1]
    assert NOW in section
    items = [_plain(i) for i in re.findall(r"<li class=\"breach[^>]*>(.*?)</li>", section, re.S)]
    assert len(items) == 2
    assert FIRST in items[0] and "W-Birch" not in items[0]
    assert SECOND in items[1] and "W-Cedar" not in items[1]
    sentences = " ".join(re.sub(r"<[^>]+>", " ", i) for i in items)
    assert not ISO.search(sentences)


def test_due_list_names_the_holder_in_each_overdue_sentence_and_no_other_worker(write):
    rules = write("rules.yaml", RULES)
    # the second meeting's minutes were never sent: overdue, on W-Birch; the first's too, on W-Cedar
    case = write("case.yaml", CASE.replace("  - {date: 2024-03-20, type: minutes_sent, meeting: m1}\n", ""))
    text = run_cli("due", case, "--rules", rules, "--as-at", AS_AT).stdout
    lines = [item for item in due_items(text) if "MIN:" in item]
    assert len(lines) == 2
    assert FIRST in lines[0] and "W-Birch" not in lines[0]
    assert SECOND in lines[1] and "W-Cedar" not in lines[1]
    assert "after the CIN meeting on 5 February 2024" in lines[0]


def test_a_case_never_handed_over_has_no_since_date(write):
    rules = write("rules.yaml", RULES)
    case = write("case.yaml", "case: C-2\nteam: CIN East\nworker: W-Oak\nevents:\n"
                              "  - {date: 2024-02-05, type: cin_meeting, meeting: m1}\n")
    text = run_cli("chronology", case, "--rules", rules, "--as-at", AS_AT).stdout
    assert "Held now by W-Oak (CIN East).\n" in text
    assert "W-Oak (CIN East) held the case on the due date" in text
