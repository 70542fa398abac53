"""Warnings (SPEC §4): in the JSON `warnings` list and on stderr, on every path, never in the exit status."""

import json

import pytest

from conftest import run_cli

RULES = """
ruleset: t
rules:
  - id: MINUTES
    title: Minutes within 15 working days
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 15 working days
"""
AS_AT = "2024-10-14"


run = run_cli


def _log(write, name="log.csv", rows=300):
    # C-0 has the typo twice; many other cases follow so the log is long enough to cut in pieces.
    lines = ["case,date,type", "C-0,2022-02-15,cin_meeting", "C-0,2022-02-16,cin_meting", "C-0,2022-02-17,cin_meting"]
    lines += [f"C-{i},2022-02-15,cin_meeting\nC-{i},2022-02-16,minutes_sent" for i in range(1, rows)]
    lines.append(f"C-{rows},2022-03-01,cin_visit")  # in the vocabulary: no warning, though no rule names it
    return write(name, "\n".join(lines) + "\n")


@pytest.mark.parametrize("extra", [[], ["--workers", "2"]])
def test_a_typo_in_an_event_type_is_a_warning_with_did_you_mean_file_line_and_count(write, extra):
    rules, log = write("rules.yaml", RULES), _log(write)
    r = run("check", log, "--rules", rules, "--as-at", AS_AT, "--format", "json", *extra)
    assert r.exit_code == 1  # C-0's minutes are missing: the warning changes nothing about that
    [w] = json.loads(r.stdout)["warnings"]
    assert (w["file"], w["line"]) == (log, 3)
    assert w["message"] == ("unknown event type 'cin_meting' (did you mean 'cin_meeting'?): no loaded rule names it, "
                            "so its 2 events are ignored")
    assert f"casecheck: warning: {log}:3: unknown event type 'cin_meting' (did you mean 'cin_meeting'?)" in r.stderr


def test_the_same_warning_from_a_case_file_and_in_memory_commands(write):
    rules = write("rules.yaml", RULES)
    case = write("c.yaml", "case: C-1\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n"
                           "  - {date: 2022-02-16, type: minits_sent}\n")
    for command in (["check"], ["summary"], ["due", "--format", "json"]):
        r = run(command[0], case, *command[1:], "--rules", rules, "--as-at", AS_AT)
        assert r.exit_code == (0 if command[0] == "summary" else 1)  # summary: a document, 0 once written
        assert f"casecheck: warning: {case}:4: unknown event type 'minits_sent' (did you mean 'minutes_sent'?)" in r.stderr
    due = json.loads(run("due", case, "--rules", rules, "--as-at", AS_AT, "--format", "json").stdout)
    [w] = due["warnings"]
    assert w["file"] == case and w["line"] == 4 and "1 event is ignored" in w["message"]


def test_types_a_rule_names_or_the_vocabulary_knows_are_not_warned_about(write):
    rules = write("rules.yaml", RULES.replace("expect: minutes_sent", "expect: our_local_minutes"))
    case = write("c.yaml", "case: C-1\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n"
                           "  - {date: 2022-02-16, type: our_local_minutes}\n  - {date: 2022-02-17, type: cin_visit}\n"
                           "  - {date: 2022-02-17, type: worker_allocated, worker: W-1}\n")
    r = run("check", case, "--rules", rules, "--as-at", AS_AT, "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["warnings"] == [] and "warning" not in r.stderr


def test_warnings_come_after_errors_in_the_document_and_never_make_exit_2(write):
    rules = write("rules.yaml", RULES)
    case = write("c.yaml", "case: C-1\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n"
                           "  - {date: 2022-02-16, type: minutes_sent}\n  - {date: 2022-02-16, type: minits_sent}\n")
    r = run("check", case, "--rules", rules, "--as-at", AS_AT, "--format", "json")
    assert r.exit_code == 0
    assert list(json.loads(r.stdout)) == ["generator", "as_at", "findings", "totals", "rules_not_applied", "errors",
                                          "warnings"]
