"""Plain English, no internal shorthand: every --help page, every sentence template for every
event type in the vocabulary, and the citation carried by every finding."""

import re

import click
import pytest
from click.testing import CliRunner

from casecheck.cli import main

# Words that point at the team's design notes, or mark a citation's verification state.
BANNED = re.compile(r"SPEC|§|reference/\S*\.md|\(V2\)|\bV2\b|\(M\)|\(V2, M\)|not verified")


def _commands(cmd=main, path=()):
    yield path
    if isinstance(cmd, click.Group):
        for name, sub in cmd.commands.items():
            yield from _commands(sub, path + (name,))


@pytest.mark.parametrize("path", list(_commands()), ids=lambda p: " ".join(p) or "casecheck")
def test_every_help_page_is_free_of_shorthand_and_backticks(path):
    r = CliRunner().invoke(main, [*path, "--help"], terminal_width=100)
    assert r.exit_code == 0
    assert not BANNED.search(r.output), BANNED.search(r.output).group()
    assert "`" not in r.output


# --- every sentence template, every event type ---------------------------------------------------

SNAKE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


def _rendered_for(event_type):
    """Every sentence casecheck writes about a finding, with `event_type` in each event's place."""
    import dataclasses

    from conftest import D, make_case, make_rules
    from casecheck.model import Event, Finding
    from casecheck.views import chronology
    from casecheck.views.findings import evidence
    from casecheck.views.sentences import adjustments, finding_sentence
    from casecheck.views.wording import obligation

    rules = make_rules(
        dict(id="R", kind="response", trigger=event_type, expect=event_type, within="10 days"),
        dict(id="E", kind="every", expect=event_type, every="3 months", **{"from": event_type}),
        dict(id="M", kind="max_duration", limit="9 months", **{"from": event_type}))
    ev = Event(D("2024-03-05"), event_type, {})
    texts = []
    for rule in rules:
        for status in ("met", "due", "withdrawn", "late", "missing", "exceeded"):
            for actual in (None, Event(D("2024-04-02"), event_type, {})):
                f = Finding("C-1", rule, status, ev, D("2024-03-15"), actual, 18, 13, {}, "W-Cedar", "CIN North",
                            Event(D("2024-03-08"), event_type, {}))
                texts += [finding_sentence(f, D("2024-10-14")), obligation(f), *adjustments(f), *evidence(f)]
                f = dataclasses.replace(f, extension=None)
                texts += [finding_sentence(f, D("2024-03-15"))]
    case = make_case(("2024-03-05", event_type), ("2024-04-02", event_type))
    texts.append(chronology.markdown(chronology.build(case, [], rules, D("2024-10-14"))).split("## Event types")[0])
    return texts


def test_every_event_type_in_the_vocabulary_reads_as_english_in_every_sentence_template():
    from casecheck.rules.vocabulary import vocabulary
    for event_type in vocabulary():
        for text in _rendered_for(event_type):
            assert not SNAKE.search(text), (event_type, text)
            assert " the the " not in text.lower() and "in 0 days" not in text, (event_type, text)


def test_a_looked_after_child_reads_as_a_sentence_and_an_extension_gives_the_new_due_date():
    from conftest import D, make_case, make_rules
    from casecheck.replay import check
    from casecheck.views.sentences import adjustments, finding_sentence
    from casecheck.views.wording import obligation
    rules = make_rules(dict(id="R", kind="response", trigger="became_looked_after", expect="care_plan",
                            within="10 working days"),
                       dict(id="S2", kind="response", trigger="stage2_started", expect="stage2_response",
                            within="25 working days", extend={"by": "stage2_extended", "to": "65 working days"}))
    case = make_case(("2024-09-02", "became_looked_after"), ("2024-05-01", "stage2_started"),
                     ("2024-06-03", "stage2_extended"))
    care, stage2 = sorted(check([case], rules, D("2024-10-14")), key=lambda f: f.rule.id)
    assert obligation(care) == "care plan after the child became looked after on 2 September 2024"
    assert "The child became looked after on Monday 2 September 2024: care plan due by" in finding_sentence(
        care, D("2024-10-14"))
    assert stage2.due == D("2024-08-02")
    assert "The deadline was extended on 3 June 2024 to 2 August 2024 (stage 2 was extended)." in adjustments(stage2)


def test_a_deadline_on_the_as_at_date_is_due_today_and_long_counts_carry_a_separator(write):
    from conftest import due_items, run_cli
    rules = write("rules.yaml", "ruleset: t\nrules:\n  - {id: MIN, title: Minutes, cite: Test Act s1, "
                  "kind: response, trigger: cin_meeting, expect: minutes_sent, within: 5 working days}\n")
    cases = write("cases.yaml", "- case: C-1\n  events: [{date: 2024-10-07, type: cin_meeting}]\n"
                                "- case: C-2\n  events: [{date: 2021-01-04, type: cin_meeting}]\n")
    text = run_cli("due", cases, "--rules", rules, "--as-at", "2024-10-14").stdout
    line = next(item for item in due_items(text) if "7 October 2024" in item)
    assert "; due today" in line and "in 0 days" not in text
    assert "1,372 days (" in text
    md = run_cli("chronology", cases, "--case", "C-1", "--rules", rules, "--as-at", "2024-10-14", "--all").stdout
    assert "(within 5 working days); due today." in md and "in 0 days" not in md
    md = run_cli("chronology", cases, "--case", "C-2", "--rules", rules, "--as-at", "2024-10-14").stdout
    assert "1,372 days" in md and "- 4 January 2021 — " in md


# --- every finding carries its rule's citation ------------------------------------------------------

def test_every_finding_carries_its_citation_in_json_csv_due_and_diff(write, tmp_path):
    import csv
    import io
    import json

    from conftest import run_cli
    rules = write("rules.yaml", "ruleset: t\nrules:\n  - {id: MIN, title: Minutes, cite: Test Act 2024 s1(2), "
                  "kind: response, trigger: cin_meeting, expect: minutes_sent, within: 5 working days}\n")
    before = write("before.yaml", "- case: C-1\n  events: [{date: 2024-09-02, type: cin_meeting}]\n")
    after = write("after.yaml", "- case: C-1\n  events: [{date: 2024-09-02, type: cin_meeting}]\n"
                                "- case: C-2\n  events: [{date: 2024-09-09, type: cin_meeting}]\n")
    args = ["--rules", rules, "--as-at", "2024-10-14"]
    doc = json.loads(run_cli("check", after, *args, "--format", "json").stdout)
    assert [list(f)[3:5] for f in doc["findings"]] == [["title", "cite"]] * 2
    assert {f["cite"] for f in doc["findings"]} == {"Test Act 2024 s1(2)"}
    rows = list(csv.DictReader(io.StringIO(run_cli("check", after, *args, "--format", "csv").stdout)))
    assert [r["cite"] for r in rows] == ["Test Act 2024 s1(2)"] * 2
    due = json.loads(run_cli("due", after, *args, "--format", "json").stdout)
    assert {i["cite"] for i in due["overdue"]} == {"Test Act 2024 s1(2)"}
    (tmp_path / "b.json").write_text(run_cli("check", before, *args, "--format", "json").stdout)
    (tmp_path / "a.json").write_text(json.dumps(doc))
    diff_rows = list(csv.DictReader(io.StringIO(
        run_cli("diff", tmp_path / "b.json", tmp_path / "a.json", "--format", "csv").stdout)))
    assert diff_rows and all(r["cite"] == "Test Act 2024 s1(2)" for r in diff_rows)
    # a findings JSON written before findings carried their citation still compares
    old = json.loads((tmp_path / "b.json").read_text())
    for f in old["findings"]:
        del f["cite"]
    (tmp_path / "old.json").write_text(json.dumps(old))
    r = run_cli("diff", tmp_path / "old.json", tmp_path / "a.json", "--format", "csv")
    assert r.exit_code == 1 and "cite" in r.stdout.splitlines()[0]


# --- every user text ------------------------------------------------------------------------------

OWN_RULES = """ruleset: own
title: Our council's standards
source: Our council's practice standards (2024)
rules:
  - {id: MIN, title: Minutes within 15 working days, cite: Practice standard 4.2, kind: response,
     trigger: cin_meeting, expect: minutes_sent, within: 15 working days, match: [meeting]}
  - {id: CARE, title: Care plan within 10 working days, cite: Practice standard 7.1, kind: response,
     trigger: became_looked_after, expect: care_plan, within: 10 working days, severity: warning}
  - {id: S2, title: Stage 2 response, cite: Practice standard 9, kind: response, trigger: stage2_started,
     expect: stage2_response, within: 25 working days, extend: {by: stage2_extended, to: 65 working days},
     paused_by: awaiting_complainant, resumed_by: complainant_replied}
"""
CASES = """- case: C-1
  team: CIN North
  worker: W-Cedar
  events:
    - {date: 2024-01-08, type: worker_allocated, worker: W-Cedar, team: CIN North}
    - {date: 2024-02-05, type: cin_meeting, meeting: m1}
    - {date: 2024-03-20, type: minutes_sent, meeting: m1}
    - {date: 2024-04-02, type: became_looked_after}
    - {date: 2024-05-01, type: stage2_started}
    - {date: 2024-05-07, type: awaiting_complainant}
    - {date: 2024-05-14, type: complainant_replied}
    - {date: 2024-06-03, type: stage2_extended}
    - {date: 2024-08-12, type: worker_allocated, worker: W-Birch, team: CIN South}
    - {date: 2024-09-02, type: cin_meeting, meeting: m2}
- case: C-2
  events:
    - {date: 2024-10-07, type: cin_meeting, meeting: m3}
"""


def _free_of_shorthand(what, text, backticks_allowed=False):
    found = BANNED.search(text)
    assert not found, (what, found.group(), text[max(0, found.start() - 80):found.end() + 80])
    if not backticks_allowed:
        assert "`" not in text, (what, text[max(0, text.index("`") - 80):text.index("`") + 80])


def test_no_user_text_carries_shorthand_or_backticks(write, tmp_path):
    import openpyxl

    from conftest import run_cli
    rules, cases = write("rules.yaml", OWN_RULES), write("cases.yaml", CASES)
    common = ["--rules", rules, "--as-at", "2024-10-14"]
    runs = {}
    for fmt in ("text", "json", "csv"):
        runs[f"check {fmt}"] = run_cli("check", cases, *common, "--all", "--format", fmt)
        runs[f"due {fmt}"] = run_cli("due", cases, *common, "--format", fmt)
        runs[f"rules list {fmt}"] = run_cli("rules", "list", "--rules", rules, "--format", fmt)
    for fmt in ("text", "csv", "html"):
        runs[f"summary {fmt}"] = run_cli("summary", cases, *common, "--format", fmt)
    runs["chronology html"] = run_cli("chronology", cases, "--case", "C-1", *common, "--format", "html")
    runs["rules explain"] = run_cli("rules", "explain", "S2", "--rules", rules)
    runs["rules lint"] = run_cli("rules", "lint", "--rules", rules)
    (tmp_path / "a.json").write_text(runs["check json"].stdout)
    for fmt in ("text", "json", "csv"):
        runs[f"diff {fmt}"] = run_cli("diff", tmp_path / "a.json", tmp_path / "a.json", "--format", fmt)
    # bad inputs: what stderr says about them
    runs["bad rule"] = run_cli("check", cases, "--rules", write("bad.yaml", "ruleset: b\nrules:\n  - {id: X, kind: "
                               "response, trigger: a, expect: b, within: 2 days, extend: {by: c}}\n"), "--as-at", "2024-10-14")
    runs["bad case"] = run_cli("check", write("badcase.yaml", "case: B\nevents: 3\n"), *common)
    runs["bad register"] = run_cli("check", cases, *common, "--exceptions",
                                   write("reg.yaml", "- {case: [1], rule: R, trigger: 2022-01-01}\n"))
    runs["bad settings"] = run_cli("--settings", write("s.toml", "exceptions = 3\n"), "check", cases, *common)
    for what, r in runs.items():
        assert r.exit_code in (0, 1, 2), (what, r.output)
        _free_of_shorthand(what, r.stdout)
        _free_of_shorthand(what + " (stderr)", r.stderr)
    assert "<code>worker</code>" in runs["chronology html"].stdout
    md = run_cli("chronology", cases, "--case", "C-1", *common).stdout
    _free_of_shorthand("chronology markdown", md, backticks_allowed=True)
    for name, args in (("report.html", ["report", cases, *common]), ("summary.xlsx", ["summary", cases, *common,
                                                                                    "--format", "xlsx"])):
        run_cli(*args, "--output", tmp_path / name)
    _free_of_shorthand("report", (tmp_path / "report.html").read_text(encoding="utf-8"))
    book = openpyxl.load_workbook(tmp_path / "summary.xlsx")
    cells = "\n".join(str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row
                      if c.value is not None)
    _free_of_shorthand("workbook", cells)
