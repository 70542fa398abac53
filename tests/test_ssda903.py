"""SSDA903 returns: a folder of CSV tables read as one source, episodes into periods of care."""

import glob

from casecheck.inputs.cases import load_cases
from casecheck.inputs.importers import plan

TABLES = {
    "header.csv": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/01/2010,WBRI,A1,,\n",
    # lower case and spaced headers, an extra column, columns in another order
    "episodes.csv": "child,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN,EXTRA\n"
                    "1,10/06/2020,P,C2,N1,U3,PR1,01/09/2020,X1,CARPL,,,,x\n"
                    "1,01/04/2020,S,C2,N1,U1,PR1,10/06/2020,X1,,,,,x\n"
                    "1,01/09/2020,L,E1,N1,U3,PR1,15/12/2020,E11,,,,,x\n"
                    "2,01/01/2021,S,V3,N1,U1,PR1,05/01/2021,E13,,,,,x\n"
                    "3,31/13/2020,S,C2,N1,U1,PR1,,,,,,,x\n"
                    "3,01/02/2021,P,C2,N1,U1,PR1,,,,,,,x\n"
                    "4,01/02/2021,S,C2\n",
    "reviews.csv": "CHILD,DOB,REVIEW,REVIEW_CODE\n1,01/01/2010,20/04/2020,PN1\n1,01/01/2010,20/04/2020,PN1\n"
                   "1,01/01/2010,15/12/2020,PN0\n",
    "missing.csv": "CHILD,DOB,MISSING,MIS_START,MIS_END\n1,01/01/2010,M,05/05/2020,06/05/2020\n",
    "ad1.csv": "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR\n"
               "1,01/01/2010,01/10/2020,01/11/2020,0,1,M1,L0\n",
    "placed_for_adoption.csv": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED\n"
                               "1,01/01/2010,20/11/2020,,\n",
    "oc3.csv": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n1,01/01/2010,YES,F2,S\n",
}


def write_return(write, folder="903", tables=TABLES):
    for name, text in tables.items():
        write(f"{folder}/{name}", text)
    return write(f"{folder}/header.csv", tables["header.csv"]).rsplit("/", 1)[0]


def events(case):
    return [(str(e.date), e.type, e.attrs) for e in case.events]


def test_episodes_reviews_missing_and_adoption_become_events(write):
    folder = write_return(write)
    notes = []
    cases, errors = load_cases([folder], notes=notes)
    by_id = {c.id: c for c in cases}
    assert events(by_id["1"]) == [
        ("2020-04-01", "became_looked_after", {"legal_status": "C2"}),
        ("2020-04-01", "placement_started", {"placement": "U1", "legal_status": "C2"}),
        ("2020-04-20", "lac_review", {"participation": "PN1"}),
        ("2020-05-05", "missing_started", {"missing": "M"}),
        ("2020-05-06", "missing_ended", {"missing": "M"}),
        ("2020-06-10", "placement_ended", {"placement": "U1"}),  # the old placement ends first
        ("2020-06-10", "placement_started", {"placement": "U3", "legal_status": "C2"}),
        ("2020-09-01", "legal_status_changed", {"legal_status": "E1"}),
        ("2020-10-01", "adoption_decision", {}),
        ("2020-11-01", "adoption_match", {}),
        ("2020-11-20", "placed_for_adoption", {}),
        ("2020-12-15", "lac_review", {"participation": "PN0"}),  # reviewed while still in care
        ("2020-12-15", "placement_ended", {"placement": "U3"}),
        ("2020-12-15", "ceased_looked_after", {"reason": "E11"}),
    ]
    assert events(by_id["2"]) == [
        ("2021-01-01", "became_looked_after", {"legal_status": "V3"}),
        ("2021-01-01", "placement_started", {"placement": "U1", "legal_status": "V3"}),
        ("2021-01-01", "short_break_started", {"legal_status": "V3"}),
        ("2021-01-05", "short_break_ended", {"legal_status": "V3"}),
        ("2021-01-05", "placement_ended", {"placement": "U1"}),
        ("2021-01-05", "ceased_looked_after", {"reason": "E13"}),
    ]
    said = [str(n) for n in notes]
    assert any("episodes.csv:1: Episodes table: columns not understood (not read): EXTRA" in n for n in said)
    assert any("reviews.csv:3: reviews.csv row 3 repeats row 2 exactly; read once" in n for n in said)
    assert any("oc3.csv: OC3 table: nothing casecheck uses" in n for n in said)


def test_bad_rows_are_reported_with_file_and_row_and_the_rest_is_read(write):
    folder = write_return(write)
    cases, errors = load_cases([folder])
    assert sorted(c.id for c in cases) == ["1", "2"]
    got = [(e.file.rsplit("/", 1)[-1], e.line, e.message) for e in errors]
    assert got == [
        ("episodes.csv", 6, "episodes.csv row 6: child 3: DECOM is not a date (DD/MM/YYYY): '31/13/2020'"),
        ("episodes.csv", 8, "episodes.csv row 8: 4 cells, the header has 14"),
        ("episodes.csv", 6, "case 3 not checked: part of its timeline could not be read"),
        ("episodes.csv", 8, "case 4 not checked: part of its timeline could not be read"),
    ]


def test_903_tables_are_told_from_event_logs_by_their_header(write):
    folder = write_return(write)
    write("903/local.csv", "case,date,type\nL1,2021-01-04,case_opened\n")
    write("903/more.yaml", "case: L2\nevents: [{date: 2021-01-05, type: case_opened}]\n")
    write("903/2021/episodes.csv", "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n9,01/03/2021,S,C2,U1,,\n")
    sources = [(fmt, sorted(f.rsplit("903/", 1)[-1] for f in files))
               for fmt, files in plan(sorted(glob.glob(folder + "/**/*.*", recursive=True)))]
    assert sources == [
        ("ssda903", ["2021/episodes.csv"]),
        ("ssda903", ["ad1.csv", "episodes.csv", "header.csv", "missing.csv", "oc3.csv",
                     "placed_for_adoption.csv", "reviews.csv"]),
        (None, ["local.csv"]), (None, ["more.yaml"])]
    cases, _ = load_cases([folder])
    assert {"1", "2", "9", "L1", "L2"} <= {c.id for c in cases}


def test_a_single_table_can_be_checked_alone(write):
    path = write("episodes.csv", TABLES["episodes.csv"])
    cases, _ = load_cases([path])
    assert sorted(c.id for c in cases) == ["1", "2"]


def test_forcing_ssda903_on_another_csv_reports_it(write):
    path = write("log.csv", "case,date,type\nL1,2021-01-04,case_opened\n")
    cases, errors = load_cases([path], input_format="ssda903")
    assert cases == [] and "not an SSDA903 table" in errors[0].message
    cases, errors = load_cases([path])
    assert [c.id for c in cases] == ["L1"]


def test_forcing_events_reads_903_tables_as_event_logs(write):
    path = write("episodes.csv", TABLES["episodes.csv"])
    cases, errors = load_cases([path], input_format="events")
    assert cases == [] and "header has no case, date, type column" in errors[0].message


def test_a_return_with_too_many_bad_rows_is_abandoned_and_its_children_not_checked(write):
    # reviews.csv comes after episodes.csv, so it is never read: child 2 is not even known
    write("903/reviews.csv", "CHILD,DOB,REVIEW,REVIEW_CODE\n2,,01/04/2021,PN1\n")
    rows = "".join(f"{n},99/99/2020,S,C2,U1,,\n" for n in range(100, 160))
    path = write("903/episodes.csv", "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n1,01/03/2021,S,C2,U1,,\n" + rows)
    cases, errors = load_cases([path.rsplit("/", 1)[0]])
    assert cases == []
    abandoned = [e for e in errors if "more than 50 bad rows" in e.message]
    assert [(e.file, e.line) for e in abandoned] == [(path, 53)]
    assert "case 1 not checked: part of its timeline could not be read" in {e.message for e in errors}


# --- issue 26: the reader against the DfE's guidance ---------------------------------------------

import datetime as dt  # noqa: E402

from casecheck.inputs import bundled  # noqa: E402
from casecheck.replay.engine import check  # noqa: E402
from casecheck.rules.load import load_rules  # noqa: E402
from casecheck.views.findings import evidence  # noqa: E402
from casecheck.views.sentences import adjustments  # noqa: E402

HEAD = "CHILD,DECOM,RNE,LS,PLACE,DEC,REC\n"


def read_episodes(write, rows, name="903/episodes.csv"):
    notes = []
    cases, errors = load_cases([write(name, HEAD + rows)], notes=notes)
    return {c.id: c for c in cases}, errors, notes


def bundled_findings(cases, rule_id, as_at=dt.date(2018, 3, 31)):
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == []
    return [f for f in check(cases, [r for r in rules if r.id == rule_id], as_at)]


def test_a_v4_agreement_is_not_a_short_break_but_the_child_is_on_short_breaks(write):
    cases, errors, _ = read_episodes(write, "1,01/04/2017,S,V4,U1,31/03/2018,E13\n"
                                            "2,01/05/2017,S,V3,U1,03/05/2017,E13\n"
                                            "2,01/06/2017,S,V3,U1,04/06/2017,X1\n"
                                            "2,04/06/2017,P,V3,U2,06/06/2017,E13\n")
    assert errors == []
    one = [(str(e.date), e.type) for e in cases["1"].events if "short_break" in e.type]
    assert one == [("2017-04-01", "short_break_agreement_started"), ("2018-03-31", "short_break_agreement_ended")]
    breaks = [(str(e.date), e.type) for e in cases["2"].events if e.type.startswith("short_break")]
    assert breaks == [("2017-05-01", "short_break_started"), ("2017-05-03", "short_break_ended"),
                      ("2017-06-01", "short_break_started"), ("2017-06-06", "short_break_ended")]  # one break
    assert cases["1"].attrs == {"short_breaks": "true"} and cases["2"].attrs == {"short_breaks": "true"}
    # a year-long agreement is no 17-day break
    assert bundled_findings([cases["1"]], "LAC-SHORT-BREAK-17D") == []
    assert [f.status for f in bundled_findings([cases["2"]], "LAC-SHORT-BREAK-17D")] == ["met", "met"]


def test_a_placement_running_at_the_returns_start_is_judged_with_a_note(write):
    # the first episode in the return changes only the legal status (RNE L): the T1 placement it
    # shows was already running, and is judged from the episode's DECOM
    rules = write("rules/t1.yaml", """
ruleset: t
rules:
  - id: HOSPITAL-6W
    kind: max_duration
    where: {placement: T1}
    from: placement_started
    until: placement_ended
    limit: 42 days
""")
    cases, errors, _ = read_episodes(write, "7,01/03/2017,L,C2,T1,30/04/2017,X1\n"
                                            "7,30/04/2017,P,C2,U1,,\n")
    assert errors == []
    first = cases["7"].events[0]
    assert (first.type, first.attrs) == ("placement_started", {"placement": "T1", "legal_status": "C2",
                                                               "before_return": "true"})
    rs, _ = load_rules([rules])
    (f,) = check([cases["7"]], rs, dt.date(2018, 3, 31))
    assert (f.status, str(f.due), str(f.actual.date)) == ("exceeded", "2017-04-12", "2017-04-30")
    assert any("began before the return's first record of it" in s for s in adjustments(f))
    assert "began before the return's first record of it: counted from 2017-03-01" in evidence(f)  # check's text


def test_overlapping_episodes_are_named_once_per_child_and_the_child_is_still_checked(write):
    cases, errors, notes = read_episodes(write,
                                         "5,01/04/2017,S,C2,U1,01/08/2017,E11\n"  # overlaps the next two
                                         "5,01/06/2017,P,L2,U2,05/06/2017,X1\n"
                                         "5,05/06/2017,P,C2,U3,,\n"
                                         "6,01/04/2017,S,C2,U1,01/06/2017,X1\n"  # only touches: normal
                                         "6,01/06/2017,P,C2,U2,,\n")
    assert errors == [] and set(cases) == {"5", "6"}
    said = [str(n) for n in notes if "overlap" in str(n)]
    assert len(said) == 1
    assert "903/episodes.csv:2: child 5: episodes overlap" in said[0]
    assert "line 2 (from 01/04/2017)" in said[0] and "line 3 (01/06/2017)" in said[0]
    # the first episode's end of care (E11 on 1 August) closes nothing: care goes on
    assert "ceased_looked_after" not in {e.type for e in cases["5"].events}
    assert [(str(e.date), e.type) for e in cases["5"].events if e.type.startswith("placement")] == [
        ("2017-04-01", "placement_started"), ("2017-06-01", "placement_ended"), ("2017-06-01", "placement_started"),
        ("2017-06-05", "placement_ended"), ("2017-06-05", "placement_started")]


def test_l1_and_l2_spells_are_judged_by_the_protection_rules(write):
    cases, errors, _ = read_episodes(write,
                                     # a 10-day order across two placements: one order, exceeded
                                     "10,01/04/2017,S,L2,U1,05/04/2017,X1\n"
                                     "10,05/04/2017,P,L2,U2,11/04/2017,X1\n"
                                     "10,11/04/2017,L,C2,U2,,\n"
                                     # a 6-day order across two placements: met
                                     "11,01/04/2017,S,L2,U1,03/04/2017,X1\n"
                                     "11,03/04/2017,P,L2,U2,07/04/2017,E13\n"
                                     # police protection for 5 days, then an EPO
                                     "12,01/04/2017,S,L1,U1,06/04/2017,X1\n"
                                     "12,06/04/2017,L,L2,U1,10/04/2017,E13\n")
    assert errors == []
    epo = [(f.case, f.status, str(f.trigger.date), str(f.actual.date))
           for f in bundled_findings(cases.values(), "CA89-EPO-8D")]
    assert sorted(epo) == [("10", "exceeded", "2017-04-01", "2017-04-11"), ("11", "met", "2017-04-01", "2017-04-07"),
                           # made the day police protection ended, the order counts from its first day (s45(3)):
                           # 8 days beginning with 1 April end on 8 April
                           ("12", "exceeded", "2017-04-06", "2017-04-10")]
    police = [(f.case, f.status, str(f.actual.date)) for f in bundled_findings(cases.values(), "CA89-POLICE-PROTECTION-72H")]
    assert police == [("12", "exceeded", "2017-04-06")]


def test_unknown_codes_and_backwards_episodes_are_errors_naming_file_and_line_and_the_rest_is_checked(write):
    cases, errors, _ = read_episodes(write, "20,01/04/2017,S,C2,U1,,\n"
                                            "21,01/04/2017,Q,C2,U1,,\n"
                                            "22,01/04/2017,S,Z9,U1,,\n"
                                            "23,01/05/2017,S,C2,U1,01/04/2017,E11\n"
                                            "24,01/04/2017,S,C2,U1,01/05/2017,Q7\n")
    assert set(cases) == {"20"}
    got = [(e.line, e.message) for e in errors if "not checked" not in e.message]
    assert got == [
        (3, "episodes.csv row 3: child 21: RNE 'Q' is not a reason for a new episode (one of B, L, P, S, T, U)"),
        (4, "episodes.csv row 4: child 22: LS 'Z9' is not a legal status (one of C1, C2, D1, E1, J1, J2, J3, L1, "
            "L2, L3, V2, V3, V4)"),
        (5, "episodes.csv row 5: child 23: the episode ends (DEC 01/04/2017) before it starts (DECOM 01/05/2017)"),
        (6, "episodes.csv row 6: child 24: REC 'Q7' is not a reason episode ceased (X1, or an E code such as E11)"),
    ]
    assert all(e.file.endswith("903/episodes.csv") for e in errors)


def test_care_ending_the_day_a_new_period_of_care_begins_ends_before_it(write):
    # the earlier period's end of care (E16) must not close the short break that starts that day
    cases, errors, _ = read_episodes(write, "30,06/12/2016,P,C2,T4,21/09/2017,E16\n"
                                            "30,21/09/2017,S,V3,T1,26/10/2017,E45\n")
    assert errors == []
    day = [e.type for e in cases["30"].events if str(e.date) == "2017-09-21"]
    assert day == ["placement_ended", "ceased_looked_after", "became_looked_after", "placement_started",
                   "short_break_started"]
    (f,) = bundled_findings([cases["30"]], "LAC-SHORT-BREAK-17D")
    assert (f.status, str(f.actual.date)) == ("exceeded", "2017-10-26")
