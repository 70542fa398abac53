"""`casecheck due`: what is overdue and what falls due within a window, soonest first."""

import csv
import io
import json

from click.testing import CliRunner

from casecheck.cli import main
from conftest import D, make_case, make_rules
from casecheck.views import due as duelist
from casecheck.dates import parse_duration
from casecheck.replay import check

RULES = [
    {"id": "MIN", "title": "Minutes in 5 working days", "kind": "response", "trigger": "meeting", "expect": "minutes",
     "within": "5 working days"},
    {"id": "PLAN", "title": "Plan at most 1 month", "kind": "max_duration", "from": "plan_started",
     "until": "plan_ended", "limit": "1 month"},
    {"id": "VISIT", "title": "Visit every 2 weeks", "kind": "every", "expect": "visit", "every": "2 weeks",
     "from": "plan_started", "until": "plan_ended"},
]
AS_AT = "2024-12-20"  # a Friday; the next working days skip Christmas and Boxing Day


def findings():
    cases = [
        # due 2024-12-27 (the 5th working day after 18 Dec: 19, 20, 23, 24, 27)
        make_case(("2024-12-18", "meeting"), case_id="C-soon", worker="W1"),
        # due 2024-12-24: inside a 3-working-day window (ends 2024-12-27)
        make_case(("2024-12-17", "meeting"), case_id="C-sooner", worker="W2"),
        # due 2024-12-23
        make_case(("2024-12-16", "meeting"), case_id="C-soonest", worker="W1"),
        # overdue: due 2024-12-06, no minutes
        make_case(("2024-11-29", "meeting"), case_id="C-overdue", worker="W2"),
        # late but closed: not on the list
        make_case(("2024-11-01", "meeting"), ("2024-11-20", "minutes"), case_id="C-late"),
        # plan still open past its limit (2024-11-01): exceeded; no visit since it started: missing (due
        # 2024-10-15). Both open, so both overdue.
        make_case(("2024-10-01", "plan_started"), case_id="C-plan", worker="W3", team="T"),
        # a plan that ended: the missing visit window closed with it (actual set) -> not on the list
        make_case(("2024-09-01", "plan_started"), ("2024-11-01", "plan_ended"), case_id="C-closed"),
    ]
    return check(cases, make_rules(*RULES), D(AS_AT))


def test_overdue_then_due_soonest_first_in_the_working_day_window():
    items = duelist.due_list(findings(), D(AS_AT), parse_duration("3 working days")).items
    got = [(i.section, i.finding.case, i.finding.rule.id, str(i.finding.due)) for i in items]
    assert got == [
        ("overdue", "C-plan", "VISIT", "2024-10-15"),
        ("overdue", "C-plan", "PLAN", "2024-11-01"),
        ("overdue", "C-overdue", "MIN", "2024-12-06"),
        ("due", "C-soonest", "MIN", "2024-12-23"),
        ("due", "C-sooner", "MIN", "2024-12-24"),
        ("due", "C-soon", "MIN", "2024-12-27"),  # 3 working days after 20 Dec: 23, 24, 27 (Christmas skipped)
    ]
    fewer = duelist.due_list(findings(), D(AS_AT), parse_duration("2 working days")).items
    assert [i.finding.case for i in fewer if i.section == "due"] == ["C-soonest", "C-sooner"]


def test_ties_on_a_due_date_go_by_worker_then_case():
    rules = make_rules(RULES[0])
    cases = [make_case(("2024-12-16", "meeting"), case_id=c, worker=w) for c, w in
             (("A", "W2"), ("B", "W1"), ("C", "W1"))]
    items = duelist.due_list(check(cases, rules, D(AS_AT)), D(AS_AT), parse_duration("1 week")).items
    assert [i.finding.case for i in items] == ["B", "C", "A"]


def _files(write):
    rules = write("rules.yaml", "ruleset: t\nrules:\n  - {id: MIN, title: Minutes in 5 working days, kind: response, "
                  "trigger: meeting, expect: minutes, within: 5 working days}\n")
    cases = write("cases.yaml", "- case: C-1\n  worker: W1\n  team: North\n  events: [{date: 2024-12-16, type: meeting}]\n"
                  "- case: C-2\n  events: [{date: 2024-11-29, type: meeting}]\n")
    return rules, cases


def test_text_csv_and_json(write):
    rules, cases = _files(write)
    r = CliRunner().invoke(main, ["due", cases, "--rules", rules, "--as-at", AS_AT])
    assert r.exit_code == 1
    lines = r.stdout.splitlines()
    assert lines[0] == "Overdue at 20 December 2024 (still open): 1 (1 breach, 0 warnings)"
    assert lines[1].split() == ["2024-12-06", "case", "C-2"]
    unwrapped = " ".join(r.stdout.split())  # lines are wrapped at 100 columns
    assert "14 days (10 working days) overdue" in unwrapped
    assert ("Due within 10 working days of 2024-12-20 (by 2025-01-08; working days are Monday to Friday less "
            "England and Wales bank holidays)") in unwrapped
    [c1] = [ln for ln in lines if ln.startswith("  2024-12-23")]
    assert c1.split() == ["2024-12-23", "case", "C-1"]
    assert "in 3 days (1 working day); W1 (North) holds the case" in unwrapped
    rows = list(csv.DictReader(io.StringIO(
        CliRunner().invoke(main, ["due", cases, "--rules", rules, "--as-at", AS_AT, "--format", "csv"]).stdout)))
    assert [(r["section"], r["case"], r["due"], r["worker"]) for r in rows] == [
        ("overdue", "C-2", "2024-12-06", ""), ("due", "C-1", "2024-12-23", "W1")]
    doc = json.loads(CliRunner().invoke(main, ["due", cases, "--rules", rules, "--as-at", AS_AT, "--within", "1 day",
                                               "--format", "json"]).stdout)
    assert doc["within"] == "1 day" and [i["case"] for i in doc["overdue"]] == ["C-2"] and doc["due"] == []
    assert doc["overdue"][0]["days_overdue"] == 14 and doc["errors"] == []


def test_bad_window_and_unreadable_input_exit_2(write):
    rules, cases = _files(write)
    r = CliRunner().invoke(main, ["due", cases, "--rules", rules, "--within", "soon"])
    assert r.exit_code == 2 and "expected a duration" in r.stderr
    bad = write("bad.yaml", "case: B\nevents:\n  - {date: 2022-02-30, type: meeting}\n")
    r = CliRunner().invoke(main, ["due", cases, bad, "--rules", rules, "--as-at", AS_AT])
    assert r.exit_code == 2 and f"{bad}:3" in r.stderr and "C-1" in r.stdout


# --- second round: who holds the case, filters, grouping, limits, paused and excused ----------

import dataclasses  # noqa: E402

from casecheck.model import ClockStop, ExceptionEntry  # noqa: E402


def _overdue_cohort():
    """Ten overdue minutes (due 2024-12-06 .. ), held by W1/W2 in teams North/South; one case's
    finding says W9 held it on the due date although the case attribute still says W1."""
    rules = make_rules(RULES[0])
    cases = [make_case(("2024-11-29", "meeting"), case_id=f"C{i:02}", worker="W1" if i % 2 else "W2",
                       team="North" if i < 6 else "South") for i in range(10)]
    fs = check(cases, rules, D(AS_AT))
    fs[0] = dataclasses.replace(fs[0], worker="W9", team="East")
    return fs


def _due(*args):
    return CliRunner().invoke(main, ["due", *args])


def test_worker_and_team_are_who_held_the_case_on_the_due_date_and_filter_it():
    fs = _overdue_cohort()
    within = parse_duration("1 day")
    held = duelist.due_list(fs, D(AS_AT), within, workers=["W9"])
    assert [(i.finding.case, i.record()["worker"], i.record()["team"]) for i in held.items] == [("C00", "W9", "East")]
    w1 = duelist.due_list(fs, D(AS_AT), within, workers=["W1"])
    assert sorted(i.finding.case for i in w1.items) == ["C01", "C03", "C05", "C07", "C09"]
    both = duelist.due_list(fs, D(AS_AT), within, workers=["W1", "W2"], teams=["South"])
    assert sorted(i.finding.case for i in both.items) == ["C06", "C07", "C08", "C09"]
    assert duelist.due_list(fs, D(AS_AT), within, teams=["Nowhere"]).items == []


def test_limit_per_section_counts_the_rest_and_grouping_limits_per_group():
    fs = _overdue_cohort()
    out = io.StringIO()
    dl = duelist.due_list(fs, D(AS_AT), parse_duration("1 day"), limit=3)
    duelist.write_text(out, dl, D(AS_AT), parse_duration("1 day"))
    text = out.getvalue()
    assert text.startswith("Overdue at 20 December 2024 (still open): 10 (10 breaches, 0 warnings)\n")
    assert text.count(" case C") == 3 and "  ... and 7 more\n" in text
    out = io.StringIO()
    dl = duelist.due_list(fs, D(AS_AT), parse_duration("1 day"), group_by="worker", limit=2)
    duelist.write_text(out, dl, D(AS_AT), parse_duration("1 day"), "worker")
    text = out.getvalue()
    assert " Worker W1: 5\n" in text and " Worker W2: 4\n" in text and " Worker W9: 1\n" in text
    assert text.index("Worker W1") < text.index("Worker W2") < text.index("Worker W9")
    assert text.count("  ... and 3 more\n") == 1 and text.count("  ... and 2 more\n") == 1


def test_plural_forms_are_right_for_one():
    rules = make_rules(RULES[0])
    # due 2024-12-19 (5 working days after 12 Dec); as at the 20th: 1 day, 1 working day overdue
    fs = check([make_case(("2024-12-12", "meeting"), case_id="C-one")], rules, D(AS_AT))
    out = io.StringIO()
    duelist.write_text(out, duelist.due_list(fs, D(AS_AT), parse_duration("1 day")), D(AS_AT), parse_duration("1 day"))
    assert "; 1 day (1 working day) overdue" in out.getvalue()
    assert "days (1 working days)" not in out.getvalue()


def test_a_paused_clock_is_not_overdue_and_an_excused_breach_is_listed_apart():
    fs = _overdue_cohort()[:3]
    soon = check([make_case(("2024-12-19", "meeting"), case_id="C-paused")], make_rules(RULES[0]), D(AS_AT))[0]
    fs.append(dataclasses.replace(soon, clock_stops=(ClockStop(D("2024-12-19")),)))
    entry = ExceptionEntry("C01", "MIN", D("2024-11-29"), "Family asked to wait; agreed", "Head of Service",
                           D("2024-12-01"))
    fs[1] = dataclasses.replace(fs[1], exception=entry)
    dl = duelist.due_list(fs, D(AS_AT), parse_duration("10 working days"))
    assert [(i.section, i.finding.case) for i in dl.items] == [
        ("overdue", "C02"), ("overdue", "C00"), ("paused", "C-paused"), ("excused", "C01")]  # W2 before W9
    out = io.StringIO()
    duelist.write_text(out, dl, D(AS_AT), parse_duration("10 working days"))
    text = out.getvalue()
    assert "Overdue at 20 December 2024 (still open): 2 (2 breaches, 0 warnings)\n" in text
    assert "paused since 2024-12-19" in text and "Paused at 2024-12-20" in text
    assert "excused: Family asked to wait; agreed (approved by Head of Service)" in text
    doc = io.StringIO()
    duelist.write_json(doc, dl, D(AS_AT), parse_duration("10 working days"), [])
    doc = json.loads(doc.getvalue())
    assert doc["totals"] == {"overdue": 2, "overdue_breaches": 2, "overdue_warnings": 0, "paused": 1, "due": 0,
                             "excused": 1}
    assert doc["paused"][0]["paused_since"] == "2024-12-19" and doc["excused"][0]["exception_reason"].startswith("Family")


def test_due_command_takes_filters_grouping_limit_and_the_shared_input_options(write):
    rules, cases = _files(write)
    r = _due(cases, "--rules", rules, "--as-at", AS_AT, "--team", "North", "--format", "csv")
    assert [row["case"] for row in csv.DictReader(io.StringIO(r.stdout))] == ["C-1"]
    r = _due(cases, "--rules", rules, "--as-at", AS_AT, "--group-by", "worker", "--limit", "1",
             "--input-format", "events", "--workers", "2")
    assert r.exit_code == 1, r.output
    assert " Worker (none): 1\n" in r.stdout and " Worker W1: 1\n" in r.stdout
    r = _due(cases, "--rules", rules, "--group-by", "tema")
    assert r.exit_code == 2 and "tema" in r.stderr


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=60, deadline=None)
@given(limit=st.integers(1, 6), group_by=st.sampled_from([None, "worker", "team"]),
       workers=st.lists(st.sampled_from(["W1", "W2", "W9"]), max_size=2))
def test_limits_and_filters_only_ever_shorten_the_list_never_reorder_or_miscount(limit, group_by, workers):
    fs = _overdue_cohort()
    within = parse_duration("1 day")
    full = duelist.due_list(fs, D(AS_AT), within, workers=workers, group_by=group_by)
    cut = duelist.due_list(fs, D(AS_AT), within, workers=workers, group_by=group_by, limit=limit)
    assert cut.total == full.total and cut.group_total == full.group_total
    kept = [id(i.finding) for i in cut.items]
    assert kept == [id(i.finding) for i in full.items if id(i.finding) in set(kept)]  # same order
    for (section, group), n in full.group_total.items():
        shown = [i for i in cut.items if i.section == section
                 and (group is None or duelist.group_of(i.finding, group_by) == group)]
        assert len(shown) == min(n, limit)
    if workers:
        assert all(i.record()["worker"] in workers for i in full.items)


def test_the_engines_attribution_reaches_the_list_and_the_summary(write):
    rules, _ = _files(write)
    cases = write("alloc.yaml", "case: C-9\nworker: W-Old\nteam: North\nevents:\n"
                  "  - {date: 2024-11-20, type: worker_allocated, worker: W-New, team: South}\n"
                  "  - {date: 2024-11-29, type: meeting}\n")
    r = _due(cases, "--rules", rules, "--as-at", AS_AT, "--worker", "W-New", "--format", "json")
    [item] = json.loads(r.stdout)["overdue"]
    assert (item["case"], item["worker"], item["team"]) == ("C-9", "W-New", "South")
    assert json.loads(_due(cases, "--rules", rules, "--as-at", AS_AT, "--worker", "W-Old",
                           "--format", "json").stdout)["overdue"] == []
    r = CliRunner().invoke(main, ["summary", cases, "--rules", rules, "--as-at", AS_AT, "--by", "worker",
                                  "--overall", "--format", "csv"])
    rows = [row for row in csv.DictReader(io.StringIO(r.stdout)) if row["grouping"] in ("worker", "total")]
    assert [(row["grouping"], row["worker"]) for row in rows] == [("worker", "W-New"), ("total", "")]
