"""Ofsted ILACS Annex A workbook (one sheet per list) -> one case per child (Child Unique ID).

Sheets are recognised by name ("List 3", "list3", "L3 Referrals", "Referrals"); headers by
tolerant patterns (case, spacing and punctuation ignored; known synonyms). docs/importers.md
gives the mapping and what it means that Annex A keeps only the latest visit or review.
"""

from __future__ import annotations

import hashlib
import os
import re
import zipfile
from dataclasses import dataclass, field

from ...model import InputProblem, SourceKind
from ..limits import (MAX_XLSX_BYTES, MAX_XLSX_COLUMNS, MAX_XLSX_PART_BYTES, MAX_XLSX_ROWS,
                      MAX_XLSX_SHARED_STRINGS_BYTES, MAX_XLSX_UNZIPPED, MB)
from .ssda903 import SPELLS
from .common import Columns, Sink, flag, norm, text_value, to_date

HEADER_SEARCH_ROWS = 10  # some templates put a title above the header row

ID = r"child unique id|unique child id|child id|child identifier|child unique identifier|unique id|child ref(erence)?|lachildid|person id"
TEAM = r"allocated team( name)?|team"
WORKER = r"allocated (social )?worker( name)?|allocated sw|social worker|worker"
DOB = r"date of birth|dob|birth date"  # the case attribute date_of_birth (rules with `by_age` read it)
D = r"(date of )?"
FLAGS = ("referral_nfa", "icpc_not_required")  # yes/no columns, read as "true"/"false"
# Published columns deliberately not read (reported as understood, not as unknown).
IGNORED = (
    r"gender|sex|ethnicity|age.*|.*disabilit.*|la|.*number of.*",
    r"(was|did|is|does|has) .*|.*reason.*|.*source.*|.*category.*|primary need.*|.*need code",
    r"placement (provider|postcode|location)|la of placement|urn of placement|.*permanence plan.*",
    r"case status|organisation.*|child seen.*|.*seen alone.*|eligibility.*|la in touch|type of accommodation",
    r"suitability of accommodation|activity status|subject to .*|unaccompanied.*|family identifier",
    r"date of decision that child should no longer be placed for adoption",
    r"date the child was placed for fostering in ffa or concurrent planning placement",
)


@dataclass(frozen=True)
class ListSpec:
    number: int
    subject: str  # a sheet named by subject rather than number ("Referrals")
    events: dict[str, str] = field(default_factory=dict)  # event type -> header pattern
    attrs: dict[str, tuple[str, str]] = field(default_factory=dict)  # attr -> (pattern, event type)
    children: bool = True  # List 11 lists adopters, not children


LISTS = (
    ListSpec(1, r"contacts?", {"contact": rf"{D}contact( date)?"}),
    ListSpec(2, r"early help( assessments?)?", {
        "early_help_assessment_started": r"(early help )?assessment start(ed)? date|date (early help )?assessment started",
        "early_help_assessment_completed": r"(early help )?assessment (completion|completed|end) date|date (early help )?assessment (completed|ended)",
    }),
    ListSpec(3, r"referrals?", {"referral": r"date of referral|referral (start )?date"},
             {"referral_nfa": (r"referral nfa|referral no further action", "referral")}),
    ListSpec(4, r"(single |continuous )?assessments?", {
        "assessment_started": r"(continuous |single )?assessment (actual )?start date|date (continuous )?assessment started",
        "assessment_authorised": r"(continuous |single )?assessment (date of authorisation|authorisation date|authorised date)|date (continuous )?assessment authorised",
    }),
    ListSpec(5, r"(section 47|s47).*|.*icpcs?", {
        "strategy_discussion": r"strategy discussion initiating (section |s)?47 enquiry start date|(section |s)?47 (enquiry )?start date|date of strategy discussion|strategy discussion date",
        "icpc": r"date of (the )?initial child protection conference|initial child protection conference date|(date of )?icpc( date)?",
    }, {"icpc_not_required": (r"was an initial child protection conference deemed unnecessary|icpc (deemed )?(unnecessary|not required)", "strategy_discussion")}),
    ListSpec(6, r"children in need|cin", {
        "cin_started": r"cin (episode )?start date|date cin started",
        "cin_visit": r"date (the )?child was last seen|date (child )?last seen|last seen date",
        "cin_closed": r"cin (episode )?(closure|close|end) date|date cin (closed|ended)",
    }),
    ListSpec(7, r"child protection( plans?)?|cp plans?", {
        "cp_plan_started": r"(child protection|cp) plan start date",
        "cp_visit": r"date of (the )?last statutory visit|last statutory visit date",
        "cp_review": r"date of (the )?(latest|last) review conference|(latest|last) review conference date",
        "cp_plan_ended": r"(child protection|cp) plan end date",
    }),
    ListSpec(8, r"children in care|looked after children|cla|lac", {
        "became_looked_after": r"date (child )?started to be looked after|date (child )?became looked after|(cla|lac) start date",
        "legal_status_changed": r"start date of (the )?current legal status|current legal status start date",
        "lac_review": r"date of (the )?(latest|last) statutory review|(latest|last) statutory review date",
        "lac_visit": r"date of (the )?last social work visit|last social work visit date",
        "iro_visit": r"date of (the )?last iro visit( contact)?( to the child)?|date of (the )?last iro contact",
        "health_assessment": r"date of (the )?last health assessment|last health assessment date",
        "dental_check": r"date of (the )?last dental check|last dental check date",
        "ceased_looked_after": r"date (child )?ceased to be looked after|(cla|lac) end date",
        "placement_started": r"start date of (the )?most recent placement|most recent placement start date",
    }, {"legal_status": (r"child s legal status|(current )?legal status", "legal_status_changed"),
        "placement_type": (r"placement type", "placement_started")}),
    ListSpec(9, r"care leavers?"),
    ListSpec(10, r"adoptions?( children)?|children adopted", {
        "became_looked_after": r"date (the )?child entered care",
        "adoption_decision": r"date of (the )?decision that (the )?child should be placed for adoption|date of adm decision",
        "placement_order": r"date of (the )?placement order|placement order date",
        "adoption_match": r"date of matching (the )?child and prospective adopters|date (child )?matched",
        "placed_for_adoption": r"date (child )?placed for adoption",
        "adoption_order": r"date of (the )?adoption order|adoption order date",
    }),
    ListSpec(11, r"adopters?", children=False),
)
_BY_NUMBER = {s.number: s for s in LISTS}


# Every event type an Annex A workbook can hold: the dated columns of its lists.
# List 8's current legal status L1 or L2 (police protection, emergency protection order) is also a
# spell of its own, as the SSDA903 reader gives it: from the status's start date, to the date the
# child ceased to be looked after where the list gives one.
LEGAL_SPELLS = {code: pair for code, pair in SPELLS.items() if code in ("L1", "L2")}
SOURCE = SourceKind("Annex A workbook", frozenset(etype for spec in LISTS for etype in spec.events)
                    | {etype for pair in LEGAL_SPELLS.values() for etype in pair})


def list_of_sheet(title: str) -> ListSpec | None:
    """The Annex A list a sheet holds, from its name: 'List 3', 'list_3', 'L3 Referrals', 'Referrals'."""
    name = norm(title)
    m = re.match(r"(?:list|l) ?0*(\d{1,2})\b", name)
    if m:
        return _BY_NUMBER.get(int(m.group(1)))
    return next((s for s in LISTS if re.fullmatch(s.subject, name)), None)


def _open_workbook(file: str):
    import openpyxl

    try:
        size = os.path.getsize(file)
        if size > MAX_XLSX_BYTES:
            raise InputProblem(file, None, f"workbook is {size / 1e6:.0f} MB, over the "
                                           f"{MAX_XLSX_BYTES // (1024 * 1024)} MB limit")
        with zipfile.ZipFile(file) as z:
            _check_parts(file, z.infolist())
        return openpyxl.load_workbook(file, read_only=True, data_only=True)
    except InputProblem:
        raise
    except OSError as e:
        raise InputProblem(file, None, f"cannot read file: {e.strerror or e}") from None
    except Exception as e:  # zipfile.BadZipFile, openpyxl's own errors on a damaged workbook
        raise InputProblem(file, None, f"not a readable Excel workbook (.xlsx): {e}") from None


def _check_parts(file: str, parts) -> None:
    """Refuse a workbook whose parts unpack to more than casecheck reads (a zip bomb, or not an
    Annex A return), by the sizes the zip directory declares."""
    def refuse(what: str, limit: int):
        raise InputProblem(file, None, f"{what} unpacks to more than {limit // MB} MB (a zip bomb?); "
                                       "workbook refused")
    if sum(i.file_size for i in parts) > MAX_XLSX_UNZIPPED:
        refuse("the workbook", MAX_XLSX_UNZIPPED)
    for i in parts:
        if i.filename.lower().endswith("sharedstrings.xml") and i.file_size > MAX_XLSX_SHARED_STRINGS_BYTES:
            refuse(f"its shared strings ({i.filename})", MAX_XLSX_SHARED_STRINGS_BYTES)
        if i.file_size > MAX_XLSX_PART_BYTES:
            refuse(f"its part {i.filename}", MAX_XLSX_PART_BYTES)


def read(files: list[str], builder) -> None:
    """Read each Annex A workbook in files into builder (a caseload.Builder)."""
    for file in files:
        wb = _open_workbook(file)
        try:
            sheets = [(ws, list_of_sheet(ws.title)) for ws in wb.worksheets]
            if not any(spec for _, spec in sheets):
                raise InputProblem(file, None, "not an Annex A workbook: no sheet is named as a list "
                                               "(List 1 ... List 11)")
            rows_left = MAX_XLSX_ROWS
            with Sink(builder, file, SOURCE).reading() as sink:
                for ws, spec in sheets:
                    if spec is None:
                        sink.note(file, None, f"sheet {ws.title!r} is not an Annex A list; ignored")
                    elif not spec.events:
                        why = "lists adopters, not children" if not spec.children else "has no dates casecheck uses"
                        sink.note(file, None, f"sheet {ws.title!r} (List {spec.number}) {why}; ignored")
                    else:
                        try:
                            rows_left = _read_sheet(ws, spec, file, sink, rows_left)
                        except InputProblem:
                            raise
                        except Exception as e:  # a damaged sheet inside a readable workbook
                            raise InputProblem(file, None, f"sheet {ws.title!r} could not be read ({e}); "
                                                           "the rest of the workbook was not read") from None
        finally:
            wb.close()


_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)", re.S)
_REF = re.compile(rb'\br="([A-Z]{1,3})(\d+)"')
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")


def unsaved_formulas(file: str, ws) -> dict[tuple[int, int], str]:
    """Cells of a sheet holding a formula with no saved value ((row, column index) -> `D7`), as
    openpyxl and some exports save them: the reader sees such a cell as empty, so a date computed
    by =DATE(...) or =B2+7 would silently vanish."""
    from openpyxl.utils import column_index_from_string
    part = getattr(ws, "_worksheet_path", None)
    if not part:
        return {}
    with zipfile.ZipFile(file) as z:
        try:
            data = z.read(part.lstrip("/"))
        except KeyError:
            return {}
    out = {}
    if b"<f" not in data and b":f" not in data:
        return out
    for m in _CELL.finditer(data):
        body = m.group(2)
        if body and re.search(rb"<(?:\w+:)?f\b", body) and not _VALUE.search(body):
            ref = _REF.search(m.group(1))
            if ref:
                col, row = ref.group(1).decode(), int(ref.group(2))
                out[(row, column_index_from_string(col) - 1)] = f"{col}{row}"
    return out


def _read_sheet(ws, spec: ListSpec, file: str, sink: Sink, rows_left: int) -> int:
    """Read one list; returns how many more rows the workbook may have (MAX_XLSX_ROWS in all)."""
    sheet = ws.title
    # The read-only reader trusts the sheet's declared <dimension>: a stale one (A1:C3 on a sheet
    # of 50 rows) would end the rows early, and A1:XFD1048576 would pad every row to 16,384
    # cells. Forget it, read the rows that are there, and no further right than any list goes.
    if hasattr(ws, "reset_dimensions"):
        ws.reset_dimensions()
    rows = ws.iter_rows(values_only=True, max_col=MAX_XLSX_COLUMNS)
    fields = {"case": ID, "team": TEAM, "worker": WORKER, "dob": DOB, **spec.events,
              **{f"attr:{a}": pat for a, (pat, _) in spec.attrs.items()}}
    cols, header_row = None, 0
    for header_row, row in enumerate(rows, start=1):
        cand = Columns.match(row, fields, IGNORED)
        if "case" in cand.found:
            cols = cand
            break
        if header_row >= HEADER_SEARCH_ROWS:
            break
    if cols is None:
        sink.fail(file, None, f"sheet {sheet!r}: no Child Unique ID column in its first {HEADER_SEARCH_ROWS} "
                              "rows; sheet not read")
        return rows_left
    if cols.unknown:
        sink.note(file, header_row, f"sheet {sheet!r}: columns not understood (not read): {', '.join(cols.unknown)}")
    missing = [e for e in spec.events if e not in cols.found]
    if missing:
        sink.note(file, header_row, f"sheet {sheet!r}: no column found for {', '.join(missing)}")
    # Each row is remembered by a 128-bit digest of its values, not the values themselves: a wide
    # sheet's cells would otherwise all stay in memory (a collision is beyond practical chance).
    seen: dict[bytes, int] = {}
    unsaved = unsaved_formulas(file, ws)
    for line, row in enumerate(rows, start=header_row + 1):
        values = tuple(text_value(v) for v in row)
        if all(v is None for v in values):
            continue
        rows_left -= 1
        if rows_left < 0:  # every child read is held until the workbook is done: bound them
            raise InputProblem(file, line, f"sheet {sheet!r}: the workbook has more than {MAX_XLSX_ROWS:,} rows "
                                           "of children, more than casecheck reads from one workbook; split it "
                                           "by list or by year. The workbook was not read")
        key = hashlib.blake2b(repr(values).encode("utf-8", "surrogatepass"), digest_size=16).digest()
        if key in seen:
            sink.note(file, line, f"sheet {sheet!r} row {line} repeats row {seen[key]} exactly; read once")
            continue
        seen[key] = line
        bad = [unsaved[(line, cols.found[e])] for e in spec.events if (line, cols.found.get(e)) in unsaved]
        if bad:
            cid = text_value(_cell(row, cols, "case"))
            for ref in bad:
                sink.fail(file, line, f"'{sheet}'!{ref}: child {cid}: the cell holds a formula with no saved value, "
                                      "so its date cannot be read; open the workbook in Excel or LibreOffice and "
                                      "save it, then check it again", cid)
            continue
        _read_row(row, line, spec, cols, file, sheet, sink)
    return rows_left


def _cell(row, cols: Columns, name: str):
    i = cols.found.get(name)
    return row[i] if i is not None and i < len(row) else None


def _read_row(row, line: int, spec: ListSpec, cols: Columns, file: str, sheet: str, sink: Sink) -> None:
    cid = text_value(_cell(row, cols, "case"))
    where = f"sheet {sheet!r} row {line}"
    if cid is None:
        sink.fail(file, line, f"{where}: no Child Unique ID")
        return
    dates = {}
    for etype in spec.events:
        value = _cell(row, cols, etype)
        try:
            dates[etype] = to_date(value, serials=True)
        except ValueError:
            sink.fail(file, line, f"{where}, column {cols.names[etype]!r}: child {cid}: not a date: {value!r}", cid)
            return
    attrs_for: dict[str, dict] = {}
    for attr, (_, etype) in spec.attrs.items():
        value = _cell(row, cols, f"attr:{attr}")
        attrs_for.setdefault(etype, {})[attr] = flag(value) if attr in FLAGS else text_value(value)
    for etype, date in dates.items():
        if date is not None:
            sink.event(cid, date, etype, attrs_for.get(etype, {}), file, line)
    if spec.number == 8:
        _legal_spell(cid, dates, attrs_for.get("legal_status_changed", {}).get("legal_status"), file, line, sink)
    if any(d is not None for d in dates.values()):
        sink.case_attr(cid, "team", text_value(_cell(row, cols, "team")))
        sink.case_attr(cid, "worker", text_value(_cell(row, cols, "worker")))
        born = _cell(row, cols, "dob")
        try:
            born = to_date(born, serials=True)
        except ValueError:  # reported, but the child is still checked, as if the date were not known
            sink.fail(file, line, f"{where}, column {cols.names['dob']!r}: child {cid}: date_of_birth {born!r} is "
                                  "not a date; the case is checked as if its date of birth were not known")
        else:
            sink.case_attr(cid, "date_of_birth", None if born is None else born.isoformat())


def _legal_spell(cid: str, dates: dict, status: str | None, file: str, line: int, sink: Sink) -> None:
    """List 8's current legal status as the 903 reader's events: an L1 or L2 spell from the status's
    start date (to the end of care where given); V3 or V4 marks a child on a series of short breaks."""
    m = re.match(r"\s*([A-Z]\d)\b", (status or "").upper())
    code = m.group(1) if m else None
    if code in ("V3", "V4"):
        sink.case_attr(cid, "short_breaks", "true")
    start, end = dates.get("legal_status_changed"), dates.get("ceased_looked_after")
    if code in LEGAL_SPELLS and start is not None:
        sink.event(cid, start, LEGAL_SPELLS[code][0], {"legal_status": code}, file, line)
        if end is not None and end >= start:
            sink.event(cid, end, LEGAL_SPELLS[code][1], {"legal_status": code}, file, line)
