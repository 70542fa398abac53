"""Annex A workbooks: every mapped column, header variants, bad rows, duplicates and odd sheets."""

import datetime as dt

import openpyxl
import pytest

from casecheck.inputs.cases import load_cases
from casecheck.inputs.importers.annex_a import LISTS, list_of_sheet
from casecheck.inputs.importers.common import to_date

D = dt.date.fromisoformat
COMMON = ["Child Unique ID", "Gender", "Ethnicity", "Date of Birth", "Age of Child (Years)"]

# list -> (published date column, event type it becomes); one row per list for child C1, the
# n-th date column of list L dated 2021-L-n so that every event's source column is known.
MAPPED = {
    1: [("Date of Contact", "contact")],
    2: [("Assessment start date", "early_help_assessment_started"),
        ("Assessment completion date", "early_help_assessment_completed")],
    3: [("Date of referral", "referral")],
    4: [("Continuous Assessment Start Date", "assessment_started"),
        ("Continuous Assessment Date of Authorisation", "assessment_authorised")],
    5: [("Strategy discussion initiating Section 47 Enquiry Start Date", "strategy_discussion"),
        ("Date of Initial Child Protection Conference", "icpc")],
    6: [("CIN Start Date", "cin_started"), ("Date Child Was Last Seen", "cin_visit"),
        ("CIN Closure Date", "cin_closed")],
    7: [("Child Protection Plan Start Date", "cp_plan_started"), ("Date of the Last Statutory Visit", "cp_visit"),
        ("Date of latest review conference", "cp_review"), ("Child Protection Plan End Date", "cp_plan_ended")],
    8: [("Date Started to be Looked After", "became_looked_after"),
        ("Start date of current legal status", "legal_status_changed"),
        ("Date of Latest Statutory Review", "lac_review"), ("Date of Last Social Work Visit", "lac_visit"),
        ("Date of Last IRO Visit / Contact to the Child", "iro_visit"),
        ("Date of Last Health Assessment", "health_assessment"), ("Date of Last Dental Check", "dental_check"),
        ("Date Ceased to be Looked After", "ceased_looked_after"),
        ("Start Date of Most Recent Placement", "placement_started")],
    10: [("Date the Child Entered Care", "became_looked_after"),
         ("Date of Decision that Child Should be Placed for Adoption", "adoption_decision"),
         ("Date of Placement Order", "placement_order"),
         ("Date of Matching Child and Prospective Adopters", "adoption_match"),
         ("Date Placed for Adoption", "placed_for_adoption"), ("Date of Adoption Order", "adoption_order")],
}
EXTRA = {  # published non-date columns and the value C1's row has in them
    3: {"Referral NFA?": "b) No", "Allocated Team": "Duty Team", "Allocated Worker": "A\xa0Worker"},
    5: {"Was an Initial Child Protection Conference deemed unnecessary?": "No"},
    8: {"Child's Legal Status": "C2: FCO", "Placement Type": "U4: Foster"},
}


def workbook(path, sheets):
    """sheets: {title: [rows]}; the first row is normally the header."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(list(row))
    wb.save(path)
    return str(path)


def full_workbook(tmp_path):
    sheets = {}
    for n, cols in MAPPED.items():
        extra = EXTRA.get(n, {})
        header = COMMON + [h for h, _ in cols] + list(extra)
        row = ["C1", "a) Male", "a) WBRI", dt.datetime(2012, 1, 1), 9] + \
              [dt.datetime(2021, n, i) for i, _ in enumerate(cols, start=1)] + list(extra.values())
        sheets[f"List {n}"] = [header, row]
    return workbook(tmp_path / "annex_a.xlsx", sheets)


def test_every_mapped_column_becomes_its_event(tmp_path):
    notes = []
    cases, errors = load_cases([full_workbook(tmp_path)], notes=notes)
    assert errors == [] and notes == []
    [case] = cases
    got = {(e.date, e.type) for e in case.events}
    want = {(dt.date(2021, n, i), etype) for n, cols in MAPPED.items() for i, (_, etype) in enumerate(cols, start=1)}
    assert got == want
    attrs = {e.type: e.attrs for e in case.events}
    assert attrs["referral"] == {"referral_nfa": "false"}
    assert attrs["strategy_discussion"] == {"icpc_not_required": "false"}
    assert attrs["legal_status_changed"] == {"legal_status": "C2: FCO"}
    assert attrs["placement_started"] == {"placement_type": "U4: Foster"}
    assert case.attrs == {"team": "Duty Team", "worker": "A Worker", "date_of_birth": "2012-01-01"}


def test_every_list_with_dates_is_covered_by_this_test():
    assert {s.number for s in LISTS if s.events} == set(MAPPED)
    assert all(len(MAPPED[s.number]) == len(s.events) for s in LISTS if s.events)


@pytest.mark.parametrize("title, number", [("List 3", 3), ("list_03", 3), ("L3 Referrals", 3), ("Referrals", 3),
                                           ("LIST 10", 10), ("Children in Care", 8), ("Notes", None)])
def test_sheets_are_recognised_by_name(title, number):
    spec = list_of_sheet(title)
    assert (spec.number if spec else None) == number


def test_header_variants_text_dates_and_a_title_row(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {
        "list3": [["Annex A return, Nowhere Council"], [],
                  ["CHILD UNIQUE ID ", "date  of  referral", "allocated team", "Allocated worker name"],
                  [101, "16/09/2020", "North", "Jo"],
                  [102, "2020-09-17", None, None],
                  [103, "18-Sep-2020", "#N/A", "#N/A"],
                  [104.0, 44094, None, None]],  # a number in a date column: an Excel date serial
    })
    cases, errors = load_cases([path])
    assert errors == []
    got = {c.id: (c.events[0].date, c.attrs) for c in cases}
    assert got == {"101": (D("2020-09-16"), {"team": "North", "worker": "Jo"}),
                   "102": (D("2020-09-17"), {}), "103": (D("2020-09-18"), {}), "104": (D("2020-09-20"), {})}


def test_bad_rows_are_reported_with_sheet_and_row_and_the_rest_is_read(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {
        "List 3": [["Child Unique ID", "Date of referral", "Mystery column"],
                   ["A", dt.datetime(2021, 1, 4), "x"],
                   ["B", "31/02/2021", "x"],          # row 3: no such date
                   [None, None, None],                # row 4: blank, skipped
                   [None, dt.datetime(2021, 1, 5), "x"],  # row 5: no child
                   ["A", dt.datetime(2021, 1, 4), "x"],   # row 6: repeats row 2
                   ["C", None, "x"]],                 # row 7: blank date, no event
        "List 4": [["Child Unique ID", "Continuous Assessment Start Date"],
                   ["B", dt.datetime(2021, 1, 6)]],
        "Notes": [["anything"]],
        "List 11": [["Individual adopter identifier", "Date enquiry received"], ["X", dt.datetime(2021, 1, 1)]],
    })
    notes = []
    cases, errors = load_cases([path], notes=notes)
    assert [(c.id, [(e.type, str(e.date), e.line) for e in c.events]) for c in cases] == \
        [("A", [("referral", "2021-01-04", 2)])]
    assert [(e.file, e.line) for e in errors] == [(path, 3), (path, 5), (path, 3)]
    assert "sheet 'List 3' row 3, column 'Date of referral': child B: not a date: '31/02/2021'" in errors[0].message
    assert "sheet 'List 3' row 5: no Child Unique ID" in errors[1].message
    assert errors[2].message == "case B not checked: part of its timeline could not be read"
    said = [str(n) for n in notes]
    assert any("sheet 'List 3': columns not understood (not read): Mystery column" in n for n in said)
    assert any("sheet 'List 3' row 6 repeats row 2 exactly; read once" in n for n in said)
    assert any("sheet 'Notes' is not an Annex A list; ignored" in n for n in said)
    assert any("'List 11' (List 11) lists adopters" in n for n in said)
    assert any("sheet 'List 4': no column found for assessment_authorised" in n for n in said)


@pytest.mark.parametrize("text, date", [("16/09/2020", "2020-09-16"), ("16/09/20", "2020-09-16"),
                                        ("16-09-2020", "2020-09-16"), ("16.09.2020", "2020-09-16"),
                                        ("16 Sep 2020", "2020-09-16"), ("16 September 2020", "2020-09-16"),
                                        ("16-Sep-2020", "2020-09-16"), ("2020-09-16 00:00:00", "2020-09-16"),
                                        ("16/09/2020 09:30", "2020-09-16"), (" 03/02/2021 ", "2021-02-03"),
                                        ("#N/A", None), ("", None)])
def test_text_dates_are_read_day_first(text, date):
    assert to_date(text) == (D(date) if date else None)


@pytest.mark.parametrize("text", ["31/02/2021", "2021-13-01", "09/16/2020", "soon", "16/09"])
def test_what_is_not_a_date_is_refused(text):
    with pytest.raises(ValueError, match="not a date"):
        to_date(text)


def test_a_workbook_with_no_list_is_refused(tmp_path):
    path = workbook(tmp_path / "budget.xlsx", {"Budget": [["a", "b"]]})
    cases, errors = load_cases([path])
    assert cases == [] and "not an Annex A workbook" in errors[0].message


def test_a_file_that_is_not_a_workbook_is_refused(write):
    path = write("fake.xlsx", "not a zip")
    cases, errors = load_cases([path])
    assert cases == [] and "not a readable Excel workbook" in errors[0].message


def test_a_sheet_without_an_id_column_is_reported(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {"List 1": [["Date of Contact"], [dt.datetime(2021, 1, 1)]],
                                          "List 3": [["Child Unique ID", "Date of referral"], ["A", "01/02/2021"]]})
    cases, errors = load_cases([path])
    assert [c.id for c in cases] == ["A"]
    assert "sheet 'List 1': no Child Unique ID column" in errors[0].message


def test_identical_events_from_overlapping_lists_are_kept_once(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {
        "List 8": [["Child Unique ID", "Date Started to be Looked After"], ["A", "01/03/2021"]],
        "List 10": [["Child Unique ID", "Date the Child Entered Care"], ["A", "01/03/2021"]]})
    [case], _ = load_cases([path])
    assert [e.type for e in case.events] == ["became_looked_after"]


def test_oversized_and_zip_bomb_workbooks_are_refused(tmp_path, monkeypatch):
    from casecheck.inputs.importers import annex_a
    path = full_workbook(tmp_path)
    monkeypatch.setattr(annex_a, "MAX_XLSX_UNZIPPED", 1000)
    assert "zip bomb" in load_cases([path])[1][0].message
    monkeypatch.setattr(annex_a, "MAX_XLSX_BYTES", 1000)
    assert "over the 0 MB limit" in load_cases([path])[1][0].message


def test_excel_date_serials_decode_as_excel_does():
    import datetime as dt
    from casecheck.inputs.importers.common import to_date
    assert to_date(44562, serials=True) == dt.date(2022, 1, 1)
    assert to_date(44562.75, serials=True) == dt.date(2022, 1, 1)  # a time of day is dropped
    assert to_date(59, serials=True) == dt.date(1900, 2, 28)  # before Excel's phantom 29 Feb 1900
    assert to_date(1, serials=True) == dt.date(1900, 1, 1)


def test_list_8_police_protection_and_emergency_protection_spells_become_the_903_readers_events(tmp_path):
    path = workbook(tmp_path / "a.xlsx", {"List 8": [
        ["Child Unique ID", "Legal Status", "Start date of current legal status", "Date Ceased to be Looked After"],
        ["A", "L2", "01/03/2021", "12/03/2021"],  # an order of 11 days
        ["B", "L1 - police protection", "01/03/2021", ""],  # still in police protection
        ["C", "V3", "01/03/2021", ""]]})
    cases, errors = load_cases([path])
    assert errors == []
    by = {c.id: [(str(e.date), e.type) for e in c.events] for c in cases}
    assert ("2021-03-01", "epo_started") in by["A"] and ("2021-03-12", "epo_ended") in by["A"]
    assert ("2021-03-01", "police_protection_started") in by["B"]
    assert not any("police" in t or "epo" in t for _, t in by["C"])
    assert {c.id: c.attrs.get("short_breaks") for c in cases} == {"A": None, "B": None, "C": "true"}
