"""'applies_to': which cases a ruleset or rule judges, by case attribute; and rules a council
return cannot answer, left out on its cases."""

import json

from click.testing import CliRunner
from hypothesis import given, strategies as st

from casecheck.cli import main
from casecheck.model import SourceKind
from casecheck.replay import check
from casecheck.rules.explain import explain
from casecheck.rules.lint import unrecordable_notes
from casecheck.rules.load import ruleset_from_data
from conftest import D, make_case, make_rules

MINUTES = dict(id="MIN", kind="response", trigger="cin_meeting", expect="minutes_sent", within="10 days")
LATE = (("2022-02-15", "cin_meeting"), ("2022-04-12", "minutes_sent"))


def _ids(rules, *cases):
    return [(f.case, f.rule.id) for f in check(list(cases), rules, D("2024-10-14"))]


def test_a_scoped_ruleset_judges_only_its_councils_cases():
    rules = make_rules(MINUTES, applies_to={"council": "City of York Council"})
    york = make_case(*LATE, case_id="Y", council="City of York Council")
    leeds = make_case(*LATE, case_id="L", council="Leeds City Council")
    unknown = make_case(*LATE, case_id="U")  # no council attribute: not judged by a scoped rule
    assert _ids(rules, york, leeds, unknown) == [("Y", "MIN")]


def test_a_rules_own_scope_replaces_its_rulesets_and_case_names_the_identifier():
    rules = make_rules(MINUTES, dict(MINUTES, id="ONE", applies_to={"case": ["C-9", "C-10"]}),
                       applies_to={"council": "York"})
    a = make_case(*LATE, case_id="C-9", council="Leeds")
    b = make_case(*LATE, case_id="C-2", council="York")
    assert _ids(rules, a, b) == [("C-2", "MIN"), ("C-9", "ONE")]


def test_null_in_a_scope_admits_cases_without_the_attribute():
    rules = make_rules(dict(MINUTES, applies_to={"council": ["York", None]}))
    assert _ids(rules, make_case(*LATE, case_id="A"), make_case(*LATE, case_id="B", council="Leeds")) == [("A", "MIN")]


@given(st.sampled_from(["York", "Leeds", None]), st.sampled_from(["York", "Leeds"]))
def test_scope_only_ever_removes_findings(council, scoped_to):
    # The law of scope: a scoped rule finds exactly what the unscoped one does on admitted cases,
    # and nothing on the others.
    attrs = {} if council is None else {"council": council}
    case = make_case(*LATE, **attrs)
    plain = check([case], make_rules(MINUTES), D("2024-10-14"))
    scoped = check([case], make_rules(dict(MINUTES, applies_to={"council": scoped_to})), D("2024-10-14"))
    assert [(f.status, f.due) for f in scoped] == ([(f.status, f.due) for f in plain] if council == scoped_to else [])


def test_a_bad_scope_is_an_error_naming_file_rule_and_field():
    for bad, says in (({"council": []}, "'applies_to.council' lists no value"),
                      ("York", "'applies_to' must be a mapping of case attribute"),
                      ({"council": {"x": 1}}, "'applies_to.council' must be a string, number or boolean"),
                      ({"events": "x"}, "'events' is not a case attribute")):
        rules, errors = ruleset_from_data({"ruleset": "r", "rules": [dict(MINUTES, applies_to=bad)]}, "r.yaml")
        assert rules == [] and len(errors) == 1
        assert errors[0].file == "r.yaml" and "rule MIN:" in errors[0].message and says in errors[0].message


def test_a_bad_ruleset_scope_stops_the_ruleset():
    import pytest
    from casecheck.model import InputProblem
    with pytest.raises(InputProblem, match="ruleset r: 'applies_to' must be a mapping"):
        ruleset_from_data({"ruleset": "r", "applies_to": ["York"], "rules": [MINUTES]}, "r.yaml")


def test_explain_words_the_scope():
    [scoped] = make_rules(dict(MINUTES, applies_to={"council": "City of York Council"}))
    assert ("Applies to: only cases where the case attribute 'council' is 'City of York Council'; a case without "
            "the attribute is not judged by this rule.") in explain(scoped)
    [one] = make_rules(dict(MINUTES, applies_to={"case": "LGSCO-23-011-844"}))
    assert "Applies to: only cases where the case identifier is 'LGSCO-23-011-844'." in explain(one)
    [everyone] = make_rules(MINUTES)
    assert "Applies to: every case." in explain(everyone)


# --- rules a source can answer ------------------------------------------------------------------

RETURN = SourceKind("test return", frozenset({"cin_meeting", "placement_started", "placement_ended"}))
STAY = dict(id="STAY", kind="max_duration", limit="10 days", **{"from": "placement_started", "until": "placement_ended"})


def test_a_return_that_cannot_record_the_answer_is_not_judged_by_the_rule():
    rules = make_rules(MINUTES, STAY)
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-01", "placement_started"), ("2022-03-20", "placement_ended"))
    assert sorted(f.rule.id for f in check([case], rules, D("2024-10-14"))) == ["MIN", "STAY"]
    case.source_kind = RETURN
    # MIN waits for minutes_sent, which the return cannot hold; STAY's period ends with an event it can.
    assert [f.rule.id for f in check([case], rules, D("2024-10-14"))] == ["STAY"]


def test_the_notes_name_each_rule_left_out_once_per_source():
    rules = make_rules(MINUTES, STAY, dict(MINUTES, id="NEVER", trigger="visit_planned"))
    cases = [make_case(("2022-02-15", "cin_meeting"), case_id=c) for c in ("A", "B")]
    for c in cases:
        c.source_kind, c.source = RETURN, "return/"
    [note] = unrecordable_notes(rules, cases + [make_case(case_id="plain")])
    # NEVER is not named: the return cannot hold its trigger either, so it would find nothing anyway.
    assert note.file == "return/" and note.line is None
    assert note.message.startswith("rule MIN not judged on 2 cases from this test return: it cannot record minutes_sent")


def _census_child(write):
    """A one-child CIN census file, and the case read from it alone."""
    from casecheck.inputs.cases import load_cases
    census = write("census.xml", "<Message><Children><Child><ChildIdentifiers><LAchildID>K1</LAchildID>"
                                 "</ChildIdentifiers><CINdetails><CINreferralDate>2022-01-01</CINreferralDate>"
                                 "</CINdetails></Child></Children></Message>")
    [alone], _ = load_cases([census])
    return census, alone


def test_a_case_also_read_from_a_case_file_is_judged_by_every_rule(write):
    from casecheck.inputs.cases import load_cases
    census, alone = _census_child(write)
    assert alone.source_kind is not None and alone.source_kind.name == "CIN census"
    extra = write("k1.yaml", f"case: '{alone.id}'\nevents:\n  - {{date: 2022-01-02, type: referral_decision}}\n")
    [merged], _ = load_cases([census, extra])
    assert merged.source_kind is None


def test_sources_merge_what_they_can_record():
    other = SourceKind("other", frozenset({"lac_visit"}))
    both = RETURN.merged(other)
    assert both.name == "other + test return" and both.event_types == RETURN.event_types | {"lac_visit"}
    assert RETURN.merged(RETURN) is RETURN


def test_each_importer_reads_only_the_event_types_it_declares():
    from casecheck.inputs.cases import load_cases
    from casecheck.inputs.importers import annex_a, cin_census, ssda903
    import pathlib
    samples = pathlib.Path(__file__).parent / "data" / "public-samples"
    for folder, source in (("csc-validator-be-903", ssda903.SOURCE), ("csc-validator-be-cin", cin_census.SOURCE)):
        cases, _ = load_cases([str(samples / folder)])
        used = {e.type for c in cases for e in c.events}
        assert used and used <= source.event_types, used - source.event_types
        assert {c.source_kind for c in cases} == {source}
    assert {"contact", "lac_visit", "health_assessment"} <= annex_a.SOURCE.event_types
    assert "lac_visit" not in ssda903.SOURCE.event_types and "minutes_sent" not in cin_census.SOURCE.event_types


def test_the_public_903_sample_says_which_rules_it_could_not_judge():
    import pathlib
    sample = str(pathlib.Path(__file__).parent / "data" / "public-samples" / "csc-validator-be-903")
    runner = CliRunner()
    default = runner.invoke(main, ["check", sample, "--as-at", "2024-03-31", "--format", "json"])
    anyway = runner.invoke(main, ["check", sample, "--as-at", "2024-03-31", "--format", "json", "--judge-unrecordable"])
    left_out = {line.split("rule ", 1)[1].split(" ", 1)[0] for line in default.stderr.splitlines()
                if "not judged on" in line}
    # a 903 return holds placements, reviews and missing episodes, but no visits, plans, health
    # assessments, return interviews, placement notifications or personal education plans
    assert left_out == {"LAC-VISIT", "LAC-VISIT-LONG-TERM", "LAC-VISIT-PARENT-WEEKLY",
                        "LAC-VISIT-PARENT-BEFORE-ASSESSMENT", "LAC-CARE-PLAN-10WD",
                        "LAC-PLACEMENT-PLAN-5WD", "LAC-HEALTH-INITIAL-20WD", "LAC-HEALTH-REVIEW-12M", "MISSING-RHI-72H",
                        "PLACEMENT-NOTIFY-BEFORE", "PLACEMENT-NOTIFY-EMERGENCY-5WD", "PEP-INITIAL-10WD",
                        "PEP-REVIEW-TERMLY"}
    assert "not judged" not in anyway.stderr
    kept = json.loads(default.stdout)["findings"]
    every = json.loads(anyway.stdout)["findings"]
    assert not {f["rule"] for f in kept} & left_out
    assert len(kept) < len(every) / 3  # what the data can support: reviews and short breaks
    assert [f for f in every if f["rule"] not in left_out] == kept


def test_lint_does_not_call_differently_scoped_copies_duplicates():
    from casecheck.rules.lint import lint_rules
    york = dict(MINUTES, applies_to={"council": "York"})
    leeds = dict(MINUTES, id="MIN-LEEDS", applies_to={"council": "Leeds"})
    assert not [w for w in lint_rules(make_rules(york, leeds)) if "duplicate" in w.message]
    same = dict(MINUTES, id="MIN-AGAIN", applies_to={"council": "York"})
    assert [w for w in lint_rules(make_rules(york, same)) if "duplicate" in w.message]


def test_a_case_file_giving_only_attributes_keeps_the_returns_limits(write):
    # A council attribute given in a YAML file with no events (whichever file is read first) does
    # not make the return's child judgeable by rules the return cannot answer.
    from casecheck.inputs.cases import load_cases
    census, alone = _census_child(write)
    attrs = write("a.yaml", f"case: '{alone.id}'\ncouncil: City of York Council\nevents: []\n")
    [merged], _ = load_cases([attrs, census])
    assert merged.attrs["council"] == "City of York Council" and merged.source_kind == alone.source_kind


def test_a_case_table_giving_a_council_keeps_the_returns_limits(write):
    from casecheck.inputs.cases import load_cases
    census, alone = _census_child(write)
    table = write("cases.csv", f"case,council\n{alone.id},City of York Council\n")
    [merged], errors = load_cases([census, table])
    assert errors == [] and merged.attrs["council"] == "City of York Council"
    assert merged.source_kind == alone.source_kind


def test_a_rule_scoped_away_from_every_case_of_a_return_is_not_named():
    rules = make_rules(dict(MINUTES, applies_to={"council": "York"}))
    case = make_case(("2022-02-15", "cin_meeting"), case_id="A", council="Leeds")
    case.source_kind = RETURN
    assert unrecordable_notes(rules, [case]) == []
    case.attrs["council"] = "York"
    [note] = unrecordable_notes(rules, [case])
    assert "rule MIN not judged on 1 case from this test return" in note.message
