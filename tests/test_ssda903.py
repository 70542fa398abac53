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
