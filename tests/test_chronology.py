"""`casecheck chronology`: one case's events and breaches in date order, with a drift summary."""


import pytest
from markdown_it import MarkdownIt
from click.testing import CliRunner

from casecheck.cli import main
from conftest import D, make_case, make_rules
from casecheck.inputs import bundled
from casecheck.views import chronology
from casecheck.inputs.cases import load_cases
from casecheck.replay import check
from casecheck.rules.load import load_rules

YORK = str(bundled.cases_dir() / "york-23-011-844.yaml")


def run(*args):
    result = CliRunner().invoke(main, list(args))
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


@pytest.fixture(scope="module")
def york_md():
    r = run("chronology", YORK, "--as-at", "2024-10-14")
    assert r.exit_code == 0, r.stderr  # a document: 0 once written, though the case has breaches
    return r.stdout


def test_york_february_2022_minutes_breach_sits_at_its_due_date_with_its_numbers(york_md):
    [line] = [ln for ln in york_md.splitlines() if ln.startswith("- 8 March 2022 — ")]
    assert line == ("- 8 March 2022 — **Breach (late): The CIN meeting on Tuesday 15 February 2022: minutes sent due "
                    "by Tuesday 8 March 2022 (within 15 working days); the minutes were sent on 12 April 2022, 35 days "
                    "(25 working days) late; team CP/CIN team held the case on the due date.**  ")
    # the citation and ruleset title follow on the next line
    after = york_md.splitlines()[york_md.splitlines().index(line) + 1]
    assert "City of York Council CIN practice standards" in after and "'Complaint b'" in after
    # the breach lies between the meeting and the minutes, in date order
    lines = york_md.splitlines()
    # each event says how its date is known (the decision gives the month only)
    meeting = lines.index("- 15 February 2022 — The CIN meeting (dating: approx; note: chaired by a senior social "
                          "worker standing in; recorded the case should be stepped down)")
    sent = lines.index("- 12 April 2022 — The minutes were sent (dating: approx)")
    assert meeting < lines.index(line) < sent


def test_york_entries_are_in_date_order_and_every_event_is_there(york_md):
    import datetime as dt
    dates = [dt.datetime.strptime(ln[2:].split(" — ")[0], "%d %B %Y").date()
             for ln in york_md.split("## Chronology\n")[1].split("\n## ")[0].splitlines() if ln.startswith("- ")]
    assert dates == sorted(dates)
    rules, _ = load_rules([str(bundled.rules_dir())])
    [case], _ = load_cases([YORK])
    findings = check([case], rules, D("2024-10-14"))
    n_breaches = sum(f.is_breach for f in findings)
    # 17 events; 8 breaches (warnings included) once the complaint stages, supervision sessions and
    # minutes the decision does not date were left out
    assert len(dates) == len(case.events) + n_breaches == 17 + 8


def test_york_drift_summary(york_md):
    summary = york_md.split("## Drift summary")[1].split("## Chronology")[0]
    assert "CIN meeting minutes shared within 15 working days of the meeting" in summary
    # 2 late (February 2022, January 2023); the meetings with no record of sending are not judged
    assert "CIN meeting minutes shared within 15 working days of the meeting (City of York Council CIN practice " \
           "standards and complaint recommendations (as reported by the Ombudsman)): 2 breaches (2 late)" in summary
    # longest overdue: the service manager review the Report found no evidence of
    overdue = summary.split("**Longest overdue item**")[1].split("**")[0]
    assert "CIN plan started on Tuesday 10 August 2021: service manager review due by Tuesday 8 February 2022" in overdue
    assert "497 days (340 working days) after it was due" in overdue
    gap = summary.split("**Longest gap with no recorded activity**")[1].split("**")[0]
    assert "364 days with no recorded activity" in gap and "16 October 2023" in gap and "14 October 2024" in gap
    plans = summary.split("**Plans against their limits**")[1]
    assert ("the period since the CIN plan started on 10 August 2021 ran 679 days until the CIN plan ended on "
            "20 June 2023, against a limit of 9 months (to 10 May 2022)") in plans
    assert "406 days (278 working days) over" in plans


def test_no_internal_ids_unless_asked(york_md):
    assert "YORK-MINUTES-15WD" not in york_md
    assert york_md.startswith("# Chronology of case LGSCO-23-011-844\n\nHeld now by team CP/CIN team.\n\n"
                              "Council: City of York Council\n")
    assert "m-2022-02" not in york_md  # the meeting reference only links minutes to meetings
    assert "minutes unrecorded: true" in york_md  # attributes that are not links are kept
    with_ids = run("chronology", YORK, "--as-at", "2024-10-14", "--ids").stdout
    assert "; rule YORK-MINUTES-15WD" in with_ids
    assert "meeting: m-2022-02" in with_ids


def test_event_types_read_as_words_with_their_meanings(york_md):
    assert "cin_meeting" not in york_md and "minutes_sent" not in york_md
    assert "- **CIN meeting**: A Child in Need meeting (review of the plan) is held" in york_md


def test_markdown_escapes_case_data():
    rules = make_rules({"id": "R", "title": "T", "kind": "response", "trigger": "a", "expect": "b",
                        "within": "2 days"})
    case = make_case(("2024-01-01", "a", {"note": "*bold* [link](http://x) <b>hi</b>"}), team="A|B")
    c = chronology.build(case, check([case], rules, D("2024-02-01")), rules, D("2024-02-01"))
    text = chronology.markdown(c)
    rendered = MarkdownIt().render(text)
    assert "<em>" not in rendered and "<a " not in rendered and "<b>" not in rendered
    assert "*bold* [link](http://x) &lt;b&gt;hi&lt;/b&gt;" in rendered and "Held now by team A|B." in rendered
    html = chronology.html(c)
    assert "<b>hi</b>" not in html and "&lt;b&gt;hi&lt;/b&gt;" in html


def test_all_places_met_findings_too_and_a_clean_case_says_no_breaches():
    rules = make_rules({"id": "R", "title": "Reply in 2 days", "kind": "response", "trigger": "a", "expect": "b",
                        "within": "2 days"})
    case = make_case(("2024-01-01", "a"), ("2024-01-02", "b"))
    findings = check([case], rules, D("2024-02-01"))
    text = chronology.markdown(chronology.build(case, findings, rules, D("2024-02-01")))
    assert "- No breaches." in text and "Finding (met)" not in text
    text = chronology.markdown(chronology.build(case, findings, rules, D("2024-02-01"), show_all=True))
    assert ("- 3 January 2024 — Met: The a on Monday 1 January 2024: b due by Wednesday 3 January 2024 (within "
            "2 days); the b on 2 January 2024, in time.") in text


def test_several_cases_need_case_and_an_unknown_case_is_named():
    path = str(bundled.cases_dir() / "fictional-cin.yaml")
    r = run("chronology", path, "--as-at", "2026-11-24")
    assert r.exit_code == 2 and "holds 3 cases (FIC-0001, FIC-0002, FIC-0003)" in r.stderr and "--case ID" in r.stderr
    r = run("chronology", path, "--case", "FIC-9999")
    assert r.exit_code == 2 and "no case 'FIC-9999'" in r.stderr
    r = run("chronology", path, "--case", "FIC-0002", "--as-at", "2026-11-24", "--format", "html")
    assert r.exit_code == 0 and r.stdout.startswith("<!DOCTYPE html>") and "Drift summary" in r.stdout


def test_unreadable_case_file_exits_2(write):
    bad = write("bad.yaml", "case: B\nevents:\n  - date: 2022-02-30\n    type: cin_meeting\n")
    r = run("chronology", bad)
    assert r.exit_code == 2 and f"{bad}:3" in r.stderr and "no case could be read" in r.stderr


def test_later_events_are_left_out_and_counted():
    rules = make_rules({"id": "R", "title": "T", "kind": "response", "trigger": "a", "expect": "b",
                        "within": "2 days"})
    case = make_case(("2024-01-01", "a"), ("2024-03-01", "b"))
    c = chronology.build(case, check([case], rules, D("2024-02-01")), rules, D("2024-02-01"))
    text = chronology.markdown(c)
    assert "1 later event is not shown" in text and "2024-03-01" not in text
    assert "still not done on 1 February 2024, 29 days (21 working days) overdue" in text


def test_every_kind_of_rule_reads_with_its_whole_window():
    from conftest import make_rules
    from casecheck.views.wording import timescale
    rules = make_rules(
        dict(id="R", kind="response", trigger="cin_meeting", expect="minutes_sent", within="15 working days"),
        dict(id="E", kind="every", expect="lac_review", first=["20 working days", "3 months"], every="6 months",
             **{"from": "became_looked_after"}),
        dict(id="M", kind="max_duration", limit="9 months", **{"from": "cin_plan_started"}),
        dict(id="T", kind="max_total", limit="75 days", window="12 months", **{"from": "short_break_started"}))
    assert [timescale(r) for r in rules] == [
        "within 15 working days", "every 6 months (first 20 working days, then 3 months)",
        "at most 9 months", "at most 75 days in any 12 months"]


def test_markdown_is_clean_our_words_unescaped_snake_case_kept_and_case_text_made_safe():
    rules = make_rules({"id": "R", "title": "Reply in 2 days", "kind": "response", "trigger": "a", "expect": "b",
                        "within": "2 days", "severity": "warning"})
    case = make_case(("2024-01-01", "a", {"ref": "remedy_within", "note": "_start and end_ &amp; `x` ~~gone~~"}),
                     case_id="C-7", team="North", worker="W-Amber")
    text = chronology.markdown(chronology.build(case, check([case], rules, D("2024-02-01")), rules, D("2024-02-01")))
    assert "\\[warning\\]" not in text and "remedy_within" in text and "remedy\\_within" not in text
    assert "Reply in 2 days (test-rules): 0 breaches, 1 warning, 0 excused" in text
    assert text.startswith("# Chronology of case C-7\n\nHeld now by W-Amber (North).\n")
    rendered = MarkdownIt().enable("strikethrough").render(text)
    assert "_start and end_ &amp;amp; `x` ~~gone~~" in rendered  # shown as typed: no emphasis, entity, code or strike
    assert "<code>" not in rendered and "<s>" not in rendered


def test_adjustments_are_explained_in_words():
    import dataclasses
    from casecheck.model import ClockStop, Event, ExceptionEntry
    rules = make_rules({"id": "R", "title": "Reply", "kind": "response", "trigger": "a", "expect": "b",
                        "within": "10 days"})
    case = make_case(("2024-01-01", "a"), ("2024-02-01", "b"))
    [f] = check([case], rules, D("2024-03-01"))
    f = dataclasses.replace(f, extension=Event(D("2024-01-05"), "extension_agreed"),
                            clock_stops=(ClockStop(D("2024-01-08"), D("2024-01-12")),),
                            exception=ExceptionEntry("C-1", "R", D("2024-01-01"), "Family away", "Service manager",
                                                     D("2024-01-20")))
    text = chronology.markdown(chronology.build(case, [f], rules, D("2024-03-01")))
    assert "Excused breach (late)" in text
    # with clock stops after it, the extended due date is not the one shown: no "to" date
    assert "The deadline was extended on 5 January 2024 (the extension agreed)." in text
    assert "The clock stopped from Monday 8 January 2024 to Friday 12 January 2024" in text
    assert "Excused: Family away (approved by Service manager on Saturday 20 January 2024); not counted as a breach." \
        in text


def test_a_breach_dated_on_a_standards_in_force_date_says_why(york_md):
    [line] = [ln for ln in york_md.splitlines() if ln.startswith("- 1 October 2022 — **Breach (missing): Case summary")]
    assert ("Judged from Saturday 1 October 2022, when the standard came into force: the duty fell due earlier, "
            "but the standard did not apply before that date.") in line
