"""Council returns built to hurt: huge XML text, lying or absurd workbook dimensions, zip bombs."""

import re
import zipfile

import openpyxl

from casecheck.inputs import limits
from casecheck.inputs.cases import load_cases


def _census(children: int, text: str = "") -> str:
    kids = "".join(f"<Child><ChildIdentifiers><LAchildID>K{i}</LAchildID></ChildIdentifiers><CINdetails>"
                   f"<CINreferralDate>2021-04-01</CINreferralDate></CINdetails></Child>\n    " for i in range(children))
    return ("<?xml version=\"1.0\"?>\n<Message>\n  <Children>\n    " + kids +
            f"<Child><ChildIdentifiers><LAchildID>BIG</LAchildID><UPN>{text}</UPN></ChildIdentifiers></Child>\n"
            "  </Children>\n</Message>\n")


def test_an_element_with_megabytes_of_text_is_refused_with_its_line_and_quickly(write):
    path = write("cin.xml", _census(3, "x" * (limits.MAX_XML_TEXT_CHARS + 10)))
    cases, errors = load_cases([path])
    assert [(e.file, e.line) for e in errors][:1] == [(path, 7)] and "characters of text" in errors[0].message


def test_indentation_between_many_children_is_not_text(write):
    path = write("cin.xml", _census(2000).replace("\n    ", "\n" + " " * 600 + "\n"))
    cases, errors = load_cases([path])
    assert errors == [] and len(cases) == 2000


def _annex_a(path, rows: int) -> str:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "List 3"
    ws.append(["Child Unique ID", "Date of referral"])
    for i in range(rows):
        ws.append([f"K{i}", f"2021-04-{1 + i % 28:02d}"])
    wb.save(path)
    return str(path)


def _rewrite(path: str, name: str, change) -> None:
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist()}
    parts[name] = change(parts[name])
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)


def _dimension(ref: str):
    return lambda xml: re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(), xml)


def test_a_stale_dimension_drops_no_row(tmp_path):
    path = _annex_a(tmp_path / "a.xlsx", 50)
    _rewrite(path, "xl/worksheets/sheet1.xml", _dimension("A1:C3"))
    cases, errors = load_cases([path])
    assert errors == [] and len(cases) == 50


def test_a_dimension_of_the_whole_sheet_reads_only_the_rows_there(tmp_path):
    path = _annex_a(tmp_path / "a.xlsx", 20)
    _rewrite(path, "xl/worksheets/sheet1.xml", _dimension("A1:XFD1048576"))
    cases, errors = load_cases([path])  # minutes before: every row padded to 16,384 cells, a million rows
    assert errors == [] and len(cases) == 20


def _bomb(path, part: str, size: int) -> str:
    """A workbook whose `part` unpacks to `size` bytes of spaces (a few hundred KB packed)."""
    _annex_a(path, 3)
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i) for i in z.infolist() if i.filename != part}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
        with z.open(part, "w", force_zip64=True) as f:
            block = b" " * (1 << 20)
            for _ in range(size >> 20):
                f.write(block)
    return str(path)


def test_sheet_and_shared_string_zip_bombs_are_refused_before_they_are_unpacked(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text("case: G\nevents: []\n")
    sheet = _bomb(tmp_path / "s.xlsx", "xl/worksheets/sheet1.xml", limits.MAX_XLSX_PART_BYTES + (1 << 20))
    strings = _bomb(tmp_path / "t.xlsx", "xl/sharedStrings.xml", limits.MAX_XLSX_SHARED_STRINGS_BYTES + (1 << 20))
    cases, errors = load_cases([sheet, strings, str(good)])
    assert [c.id for c in cases] == ["G"]
    assert sorted(e.file for e in errors) == sorted([sheet, strings])
    assert all("zip bomb" in e.message for e in errors)


def test_one_child_with_too_many_elements_is_refused_with_its_line(write, monkeypatch):
    from casecheck.inputs.importers import cin_census
    monkeypatch.setattr(cin_census, "MAX_XML_ELEMENTS", 500)
    path = write("cin.xml", _census(600).replace(
        "<UPN></UPN>", "<UPN>x</UPN>" + "<Disability>D</Disability>\n" * 600))
    cases, errors = load_cases([path])
    # the 600 children before were each let go once read: only the big one's (line 604) count
    assert errors[0].file == path and errors[0].line > 604 and "elements in one child" in errors[0].message


def test_a_workbook_over_the_row_limit_is_refused_with_sheet_and_row(tmp_path, monkeypatch):
    from casecheck.inputs.importers import annex_a
    monkeypatch.setattr(annex_a, "MAX_XLSX_ROWS", 30)
    path = _annex_a(tmp_path / "a.xlsx", 40)
    cases, errors = load_cases([path])
    assert cases == [] and (errors[0].file, errors[0].line) == (path, 32) and "more than 30 rows" in errors[0].message
    ok = _annex_a(tmp_path / "b.xlsx", 30)
    assert len(load_cases([ok])[0]) == 30
