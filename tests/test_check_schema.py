"""docs/check.schema.json (JSON Schema 2020-12) describes what `check --format json` writes: real
output validates with and without --all, with an exceptions register, extensions and clock stops;
a document whose `findings` is not a list, or whose counts are missing, does not."""

import copy
import json
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from conftest import run_cli as run

SCHEMA = json.loads((Path(__file__).resolve().parent.parent / "docs" / "check.schema.json").read_text())
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=Draft202012Validator.FORMAT_CHECKER)
AS_AT = "2024-06-30"

RULES = """
ruleset: complaints-test
title: Complaints (test)
rules:
  - id: STAGE2-25WD
    title: Stage 2 response within 25 working days, or 65 where extended
    cite: Test regulations, reg 17
    kind: response
    trigger: stage2_started
    expect: stage2_response
    within: 25 working days
    extend: {by: stage2_extended, to: 65 working days}
    paused_by: awaiting_complainant
    resumed_by: complainant_replied
  - id: VISIT-10D
    title: Visit within 10 days
    severity: warning
    kind: response
    trigger: referral
    expect: home_visit
    within: 10 days
"""
CASES = """
- case: EXT
  team: North
  events:
    - {date: 2024-01-02, type: stage2_started}
    - {date: 2024-01-20, type: stage2_extended}
    - {date: 2024-05-01, type: stage2_response}
- case: STOPS
  events:
    - {date: 2024-02-01, type: stage2_started}
    - {date: 2024-02-05, type: awaiting_complainant}
    - {date: 2024-02-19, type: complainant_replied}
    - {date: 2024-03-11, type: awaiting_complainant}
- case: LATE
  events:
    - {date: 2024-01-08, type: stage2_started}
    - {date: 2024-03-20, type: stage2_response}
    - {date: 2024-04-01, type: referral}
    - {date: 2024-04-05, type: home_visit}
    - {date: 2024-05-01, type: referral}
"""
REGISTER = """
- case: LATE
  rule: STAGE2-25WD
  trigger: 2024-01-08
  reason: Complainant asked for the meeting to wait
  approved_by: Head of Service
  approved_on: 2024-03-01
"""


@pytest.fixture
def inputs(write):
    return [write("cases.yaml", CASES), "--rules", write("rules.yaml", RULES), "--as-at", AS_AT]


def _errors(doc) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_the_schema_is_a_valid_2020_12_schema():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


@pytest.mark.parametrize("extra", [[], ["--all"], ["--exceptions", "REGISTER"], ["--all", "--exceptions", "REGISTER"]],
                         ids=["breaches", "all", "exceptions", "all-exceptions"])
def test_real_output_with_extensions_clock_stops_and_exceptions_is_valid(inputs, write, extra):
    extra = [write("register.yaml", REGISTER) if a == "REGISTER" else a for a in extra]
    r = run("check", *inputs, *extra, "--format", "json")
    assert r.exit_code in (0, 1), r.output
    doc = json.loads(r.stdout)
    assert _errors(doc) == []
    findings = doc["findings"]
    # what the schema was checked against: an extension, a closed and a running clock stop
    assert any(f["extension"] for f in findings)
    if "--all" in extra:
        assert any(s["until"] is None for f in findings for s in f["clock_stops"])
        assert any(s["until"] is not None for f in findings for s in f["clock_stops"])
    assert any(f["exception"] for f in findings) == ("--exceptions" in " ".join(extra))


def test_the_bundled_cases_output_is_valid():
    for extra in ([], ["--all"]):
        doc = json.loads(run("check", "--as-at", "2024-10-14", "--format", "json", *extra).stdout)
        assert doc["findings"] and _errors(doc) == []


@pytest.mark.parametrize("spoil", [
    lambda d: d.update(findings={"0": d["findings"][0]}),
    lambda d: d.update(findings="none"),
    lambda d: d.pop("totals"),
    lambda d: d["totals"].pop("warnings"),
    lambda d: d["findings"][0].update(status="overdue"),
    lambda d: d["findings"][0].update(days_late="35"),
    lambda d: d["findings"][0].update(due="14/10/2024"),
    lambda d: d["rules_not_applied"].append({"rule": "X"}),
], ids=["findings-object", "findings-string", "no-totals", "no-warnings-count", "bad-status", "days-as-text",
        "bad-date", "not-applied-without-reason"])
def test_a_spoilt_document_is_rejected(inputs, spoil):
    doc = json.loads(run("check", *inputs, "--format", "json").stdout)
    assert _errors(doc) == []
    bad = copy.deepcopy(doc)
    spoil(bad)
    assert _errors(bad) != []
