"""Citations name only their source; how far each was checked is the rule's `verification`."""

import datetime as dt
import json
import re

from click.testing import CliRunner

from casecheck.cli import main
from casecheck.inputs import bundled
from casecheck.rules.lint import lint_rules
from casecheck.rules.load import load_rules
from casecheck.rules.verification import STATUSES, marks

HEAD = "ruleset: test\ntitle: Test rules\nsource: Somewhere\nrules:\n"
RULE = """\
  - id: R1
    title: A rule
    cite: {cite}
    verification: {verification}
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 15 working days
"""


def _bundled():
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == []
    return rules


def test_no_bundled_citation_or_source_carries_a_working_note():
    rules = _bundled()
    assert [(r.id, marks(r.cite)) for r in rules if marks(r.cite)] == []
    assert [(r.ruleset.name, marks(r.ruleset.source)) for r in rules if marks(r.ruleset.source)] == []


def test_every_bundled_citation_of_regulations_names_them_not_only_their_number():
    for r in _bundled():
        for m in re.finditer(r"SI \d{4}/\d+", r.cite):
            before = r.cite[:m.start()]
            assert before.endswith("(") and "Regulations" in before, (r.id, r.cite)


def test_every_bundled_rule_has_a_verification_with_where_and_when_unless_unverified():
    for r in _bundled():
        v = r.verification
        assert v and v["status"] in STATUSES, r.id
        if v["status"] != "unverified":
            assert v.get("where") and v.get("when"), r.id


def test_every_rule_citing_working_together_cites_the_2023_edition_by_chapter():
    wt = [r for r in _bundled() if "Working Together" in r.cite]
    assert len(wt) >= 7
    for r in wt:
        assert re.search(r"Working Together to Safeguard Children 2023, chapter \d+", r.cite), r.id


def test_an_unknown_verification_status_is_a_load_error_with_file_and_line(write):
    path = write("r.yaml", HEAD + RULE.format(cite="Somewhere, para 3", verification="{status: checked}"))
    rules, errors = load_rules([path])
    assert rules == []
    assert len(errors) == 1
    e = errors[0]
    assert e.file == path and e.line == 8  # the `verification:` line
    assert "verification.status" in e.message and "checked" in e.message and "verified" in e.message


def test_a_verified_citation_must_say_where_and_when_it_was_read(write):
    path = write("r.yaml", HEAD + RULE.format(cite="Somewhere, para 3", verification="{status: verified}"))
    rules, errors = load_rules([path])
    assert rules == [] and "verification.where" in errors[0].message


def test_lint_warns_on_a_working_note_in_a_citation_with_file_and_line(write):
    path = write("r.yaml", HEAD + RULE.format(cite="SI 2010/959 reg 33 - V2, paragraph not verified",
                                              verification="{status: unverified}"))
    rules, errors = load_rules([path])
    assert errors == []
    warnings = [w for w in lint_rules(rules) if "working note" in w.message]
    assert len(warnings) == 1
    assert warnings[0].file == path and warnings[0].line == 5
    assert "'V2'" in warnings[0].message and "'not verified'" in warnings[0].message


def test_lint_warns_on_an_internal_reference_in_a_ruleset_source_with_its_line(write):
    body = HEAD.replace("source: Somewhere", "source: timescales as in reference/timescales.md §1.3")
    path = write("r.yaml", body + RULE.format(cite="Somewhere, para 3", verification="{status: unverified}"))
    rules, _ = load_rules([path])
    warnings = [w for w in lint_rules(rules) if "'source'" in w.message]
    assert len(warnings) == 1 and warnings[0].line == 3 and "'§'" in warnings[0].message


def test_a_council_version_number_is_not_taken_for_a_working_note():
    assert marks("Practice Standards v3, standard 4.2") == []
    assert marks("SI 2010/959 reg 28(2)(c)(ii)") == []


def test_rules_list_json_gives_a_verification_object_per_rule():
    r = CliRunner().invoke(main, ["rules", "list", "--format", "json"])
    assert r.exit_code == 0, r.output
    rows = json.loads(r.stdout)["rules"]
    by_id = {row["id"]: row for row in rows}
    assert all("verification" in row for row in rows)
    assert by_id["LAC-REVIEW-REG33"]["verification"] == {
        "status": "verified", "when": "2026-12-06",
        "where": "legislation.gov.uk, SI 2010/959 reg 33 (as made); SI 2020/445 regs 2 (the relevant period) and "
                 "8(1)-(7) read on legislation.gov.uk, not reg 8(14), which relaxes reg 33"}


def test_rules_explain_says_how_the_citation_was_verified():
    r = CliRunner().invoke(main, ["rules", "explain", "REP-S3-PANEL-30WD"])
    assert r.exit_code == 0
    line = next(x for x in r.stdout.splitlines() if x.startswith("Verification:"))
    assert "verified in the primary text" in line and "SI 2006/1738 reg 19" in line


def test_docs_library_counts_the_rules_by_verification_status():
    from pathlib import Path
    rules = _bundled()
    text = (Path(__file__).resolve().parent.parent / "docs" / "library.md").read_text(encoding="utf-8")
    n = sum(1 for r in rules if r.verification["status"] == "verified")
    assert f"{n} of {len(rules)} rules' citations verified in the primary text" in text
    assert text.count("\nVerification: ") == len(rules)


def test_the_readme_gives_the_verified_count_of_the_bundled_library():
    from pathlib import Path
    rules = _bundled()
    n = {s: sum(1 for r in rules if r.verification["status"] == s) for s in STATUSES}
    text = " ".join((Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8").split())
    assert (f"{n['verified']} of {len(rules)} rules' citations verified in the primary text, {n['secondary']} from a "
            f"named secondary source only, {n['unverified']} not verified") in text


RELAXED = {"LAC-REVIEW-REG33": "reg 8(14)", "LAC-VISIT": "reg 8(13)", "LAC-VISIT-LONG-TERM": "reg 8(13)",
           "LAC-PLACEMENT-PLAN-5WD": "reg 8(4)", "LAC-SHORT-BREAK-17D": "reg 8", "LAC-TEMP-APPROVAL-16W": "reg 8",
           "REP-S3-PANEL-30WD": "reg 6", "REP-S3-REPORT-5WD": "reg 6", "REP-S3-RESPONSE-15WD": "reg 6",
           "PF-FIRST-VISIT-7WD": "reg 5"}


def test_every_rule_relaxed_in_2020_cites_the_relaxing_regulation_and_its_period():
    by_id = {r.id: r for r in _bundled()}
    relaxed = {r.id for r in by_id.values() if any(start == dt.date(2020, 4, 24) for start, _, _ in r.suspended)}
    assert relaxed == set(RELAXED)
    for rid, reg in RELAXED.items():
        cite = by_id[rid].cite
        assert "(Coronavirus) (Amendment) Regulations 2020 (SI 2020/445), " + reg in cite, (rid, cite)
        assert "24 April to 25 September 2020" in cite, (rid, cite)


def test_citations_name_every_provision_the_rule_applies():
    by_id = {r.id: r.cite for r in _bundled()}
    assert "reg 28(3A) (inserted by the Care Planning and Fostering (Miscellaneous Amendments) (England) " \
           "Regulations 2015 (SI 2015/495))" in by_id["LAC-VISIT-LONG-TERM"]
    assert by_id["CA89-EPO-8D"].startswith("Children Act 1989, s45(1), (3) and (4)-(6)")
    assert "regs 24 and 25(1)-(3)" in by_id["LAC-TEMP-APPROVAL-16W"]
    assert "within 25 working days of the request for stage 2" in by_id["REP-S2-25WD"]
    assert "reg 7 (no new assessment where one was made in the 3 months before" in by_id["LAC-HEALTH-INITIAL-20WD"]
    assert "reg 28(3)" in by_id["LAC-VISIT-PARENT-BEFORE-ASSESSMENT"] and "reg 28(4)" in by_id["LAC-VISIT-PARENT-WEEKLY"]
