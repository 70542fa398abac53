"""DfE Children in Need census XML -> one case per CIN episode (CINdetails) of each child.

The XML is read with expat directly, configured safely: any DOCTYPE is refused, so no entity can
be declared, expanded ("billion laughs") or fetched from outside. The census never has one.
Children are processed one at a time as the file streams by, so memory stays small.
"""

from __future__ import annotations

import os
from xml.parsers import expat

from ...model import InputProblem, SourceKind
from ..limits import MAX_XML_BYTES, MAX_XML_ELEMENTS, MAX_XML_TEXT_CHARS
from .common import Sink, flag, text_value, to_date

# Every event type the census can hold (a test checks the reader makes no other): no visits,
# minutes, supervision, LAC events - rules expecting those are not judged on its cases.
SOURCE = SourceKind("CIN census", frozenset({
    "referral", "assessment_started", "assessment_authorised", "strategy_discussion", "icpc",
    "cin_plan_started", "cin_plan_ended", "cp_plan_started", "cp_plan_ended", "cp_review", "cin_closed"}))

KNOWN = {
    "Message", "Header", "CollectionDetails", "Collection", "Year", "ReferenceDate", "Source", "SourceLevel",
    "LEA", "SoftwareCode", "Release", "SerialNo", "DateTime", "Children", "Child", "ChildIdentifiers",
    "LAchildID", "UPN", "FormerUPN", "UPNunknown", "PersonBirthDate", "ExpectedPersonBirthDate",
    "GenderCurrent", "Sex", "PersonDeathDate", "ChildCharacteristics", "Ethnicity", "Disabilities",
    "Disability", "CINdetails", "CINreferralDate", "ReferralSource", "PrimaryNeedCode", "CINclosureDate",
    "ReasonForClosure", "DateOfInitialCPC", "ReferralNFA", "Assessments", "AssessmentActualStartDate",
    "AssessmentInternalReviewDate", "AssessmentAuthorisationDate", "FactorsIdentifiedAtAssessment",
    "AssessmentFactors", "CINPlanDates", "CINPlanStartDate", "CINPlanEndDate", "Section47",
    "S47ActualStartDate", "InitialCPCtarget", "ICPCnotRequired", "ChildProtectionPlans", "CPPID",
    "CPPstartDate", "CPPendDate", "InitialCategoryOfAbuse", "LatestCategoryOfAbuse", "NumberOfPreviousCPP",
    "Reviews", "CPPreviewDate",
}


class El:
    """A parsed element: tag (namespace prefix dropped), its line, text and children."""

    __slots__ = ("tag", "line", "parts", "size", "children")

    def __init__(self, tag: str, line: int):
        self.tag, self.line, self.parts, self.size, self.children = tag, line, [], 0, []

    @property
    def text(self) -> str:
        return "".join(self.parts)

    def add_text(self, data: str) -> None:
        """Text as expat delivers it, in pieces: kept as a list and joined once (appending to a
        string is quadratic on a long one), and bounded. Whitespace before any text is dropped,
        so a container's indentation between thousands of children costs nothing."""
        if not self.parts and data.isspace():
            return
        self.size += len(data)
        if self.size > MAX_XML_TEXT_CHARS:
            raise ValueError(f"element <{self.tag}> (line {self.line}) has more than {MAX_XML_TEXT_CHARS:,} "
                             "characters of text; a census value has a few dozen")
        self.parts.append(data)

    def all(self, tag: str) -> list["El"]:
        return [c for c in self.children if c.tag == tag]

    def first(self, tag: str) -> "El | None":
        return next((c for c in self.children if c.tag == tag), None)

    def value(self, tag: str) -> str | None:
        el = self.first(tag)
        return text_value(el.text) if el is not None else None


def _refuse_dtd(*_args):
    raise ValueError("DOCTYPE declarations are not allowed (a CIN census has none; entities could "
                     "expand without bound)")


def parse(file: str, on_child, on_root=None) -> set[str]:
    """Stream file, calling on_child(El) for each complete Child element. Returns unknown tags."""
    size = os.path.getsize(file)
    if size > MAX_XML_BYTES:
        raise InputProblem(file, None, f"file is {size / 1e6:.0f} MB, over the {MAX_XML_BYTES // (1024 * 1024)} MB "
                                       "limit for XML")
    p = expat.ParserCreate()
    p.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    p.StartDoctypeDeclHandler = _refuse_dtd
    p.EntityDeclHandler = _refuse_dtd
    p.ExternalEntityRefHandler = _refuse_dtd
    stack: list[El] = []
    unknown: set[str] = set()

    held, marks = [0], []  # elements kept in memory; the count when each open Child began

    def start(name, _attrs):
        el = El(name.rsplit(":", 1)[-1], p.CurrentLineNumber)
        if el.tag not in KNOWN:
            unknown.add(el.tag)
        if not stack and on_root is not None:
            on_root(el)
        if el.tag == "Child":
            marks.append(held[0])
        if stack and stack[-1].tag != "Children":
            stack[-1].children.append(el)
            held[0] += 1
            if held[0] > MAX_XML_ELEMENTS:
                raise ValueError(f"more than {MAX_XML_ELEMENTS:,} elements in one child or outside <Children>; "
                                 "a census child has a few hundred")
        stack.append(el)

    def end(_name):
        el = stack.pop()
        if el.tag == "Child":
            held[0] = marks.pop() if marks else 0  # its elements are let go once it has been read
            on_child(el)

    def chars(data):
        if stack:
            stack[-1].add_text(data)

    p.StartElementHandler, p.EndElementHandler, p.CharacterDataHandler = start, end, chars
    try:
        with open(file, "rb") as f:
            p.ParseFile(f)
    except expat.ExpatError as e:
        raise InputProblem(file, e.lineno, f"not well-formed XML: {expat.errors.messages.get(e.code, e)}; "
                                       "the rest of the file was not read") from None
    except ValueError as e:
        raise InputProblem(file, p.CurrentLineNumber, str(e)) from None
    except OSError as e:
        raise InputProblem(file, None, f"cannot read file: {e.strerror or e}") from None
    return unknown


def read(files: list[str], builder) -> None:
    for file in files:
        def check_root(el: El):
            if el.tag != "Message":
                raise ValueError(f"not a CIN census: the root element is <{el.tag}>, not <Message>")

        with Sink(builder, file, SOURCE).reading() as sink:
            unknown = parse(file, lambda child, sink=sink, file=file: _read_child(child, file, sink), check_root)
            if unknown:
                sink.note(file, None, f"elements not understood (not read): {', '.join(sorted(unknown))}")


def _read_child(child: El, file: str, sink: Sink) -> None:
    ids = child.first("ChildIdentifiers")
    cid = ids.value("LAchildID") if ids is not None else None
    if cid is None:
        sink.fail(file, child.line, "Child has no ChildIdentifiers/LAchildID; not read")
        return
    used: dict[str, int] = {}
    for n, ep in enumerate(child.all("CINdetails"), start=1):
        ref = ep.value("CINreferralDate")
        case = f"{cid}/{ref}" if ref else f"{cid}/episode-{n}"
        used[case] = used.get(case, 0) + 1
        if used[case] > 1:
            case = f"{case}#{used[case]}"
        _read_episode(ep, cid, case, file, sink)


def _read_episode(ep: El, child: str, case: str, file: str, sink: Sink) -> None:
    events: list[tuple] = []
    bad = False

    def date_of(field_el: El | None, etype: str, **attrs):
        nonlocal bad
        if field_el is None or text_value(field_el.text) is None:
            return None
        try:
            d = to_date(field_el.text)
        except ValueError:
            sink.fail(file, field_el.line, f"child {child}, episode {case}: <{field_el.tag}> is not a date: "
                                           f"{field_el.text.strip()!r}", case)
            bad = True
            return None
        events.append((d, etype, attrs, field_el.line))
        return d

    def date(parent: El, tag: str, etype: str, **attrs):
        return date_of(parent.first(tag), etype, **attrs)

    if ep.first("CINreferralDate") is None:
        sink.fail(file, ep.line, f"child {child}: CINdetails has no CINreferralDate", case)
        bad = True
    date(ep, "CINreferralDate", "referral", referral_nfa=flag(ep.value("ReferralNFA")))
    for k, a in enumerate(ep.all("Assessments"), start=1):
        date(a, "AssessmentActualStartDate", "assessment_started", assessment=str(k))
        date(a, "AssessmentAuthorisationDate", "assessment_authorised", assessment=str(k))
    for k, s in enumerate(ep.all("Section47"), start=1):
        date(s, "S47ActualStartDate", "strategy_discussion", s47=str(k),
             icpc_not_required=flag(s.value("ICPCnotRequired")))
        date(s, "DateOfInitialCPC", "icpc", s47=str(k))
    s47_icpcs = {e[0] for e in events if e[1] == "icpc"}
    before = len(events)
    d = date(ep, "DateOfInitialCPC", "icpc")
    if d is not None and d in s47_icpcs and len(events) > before:
        events.pop()  # the episode's ICPC is the one its Section47 already gave
    for k, plan in enumerate(ep.all("CINPlanDates"), start=1):
        date(plan, "CINPlanStartDate", "cin_plan_started", cin_plan=str(k))
        date(plan, "CINPlanEndDate", "cin_plan_ended", cin_plan=str(k))
    for k, cpp in enumerate(ep.all("ChildProtectionPlans"), start=1):
        date(cpp, "CPPstartDate", "cp_plan_started", cp_plan=str(k))
        date(cpp, "CPPendDate", "cp_plan_ended", cp_plan=str(k))
        for reviews in cpp.all("Reviews"):
            for r in reviews.all("CPPreviewDate"):
                date_of(r, "cp_review", cp_plan=str(k))
    date(ep, "CINclosureDate", "cin_closed", reason=ep.value("ReasonForClosure"))
    if bad:
        return
    for d, etype, attrs, line in events:
        sink.event(case, d, etype, attrs, file, line)
    sink.case_attr(case, "child", child)
    sink.case_attr(case, "primary_need", ep.value("PrimaryNeedCode"))
