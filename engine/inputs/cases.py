"""Load case timelines from YAML, JSON and CSV files (docs/formats.md) into Case objects.

Files are read in sorted path order whatever order they were named in, and a running sequence
number records each event's place, so same-date events keep file order and the result never
depends on the order of the command line. A case whose records are partly unreadable is not
checked at all (its errors say so): findings on a timeline with holes would be false evidence.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable

from . import importers
from ..dates import parse_date
from ..model import Case, Event, InputError, InputProblem, SourceKind
from .csvlog import read_csv
from .files import find_files, split_sources
from .own import leave_out_own
from .values import bad_date_attribute, event_type, normalise_value
from .structured import line_of, load_document

CASE_SUFFIXES = (".yaml", ".yml", ".json", ".csv")


@dataclass
class Builder:
    """Collects cases (merging records with the same id) and the errors met on the way."""

    cases: dict[str, Case] = field(default_factory=dict)
    tainted: dict[str, InputError] = field(default_factory=dict)  # case id -> first error
    errors: list[InputError] = field(default_factory=list)
    notes: list[InputError] = field(default_factory=list)  # warnings: the input was still read
    seq: int = 0
    kinds: dict[str, SourceKind] = field(default_factory=dict)  # case id -> what its returns can record
    plain: set[str] = field(default_factory=set)  # case ids with events from a case file or event log
    tables: dict[str, dict] = field(default_factory=dict)  # case id -> attributes from CSV case tables
    # case id -> its first table row, as one int (table_where: (file, line)): a tuple each would
    # cost a million-case table 50 MB more
    table_at: dict[str, int] = field(default_factory=dict)
    table_names: list[str] = field(default_factory=list)  # the case tables read, in order
    # (case id, attribute) -> (value, file, line) where it was first given, to catch conflicts; an
    # attribute given by a case id's first table row is not recorded here (a million-case table
    # would hold a tuple per cell): that row is where it was given (first_given)
    attr_at: dict[tuple[str, str], tuple[str, str, int | None]] = field(default_factory=dict)

    def case(self, case_id: str, source: str, kind: SourceKind | None = None, events: bool = True) -> Case:
        """The case of that id (new or merged). kind: what the council return it is read from can
        record; None for a case file or event log, which can record anything, so a case with events
        from one is judged by every rule (events=False: the file gives attributes only)."""
        c = self.cases.get(case_id)
        if c is None:
            c = self.cases[case_id] = Case(case_id, {}, [], source)
        if kind is not None:
            self.kinds[case_id] = self.kinds[case_id].merged(kind) if case_id in self.kinds else kind
        elif events:
            self.plain.add(case_id)
        return c

    def fail(self, file: str, line: int | None, message: str, case_id: str | None = None) -> None:
        err = InputError(file, line, message)
        self.errors.append(err)
        if case_id is not None:
            self.tainted.setdefault(case_id, err)

    def set_attr(self, attrs: dict, case_id: str, key: str, value: str, file: str, line: int | None) -> None:
        """Give a case an attribute; a second source giving it another value is an input error
        naming both (docs/formats.md), and the case is not checked: whose team is it?"""
        self.check_value(case_id, key, value, file, line)
        first = self.first_given(case_id, key)
        if first is None:
            if case_id not in self.table_at or (file, line) != self.table_where(case_id):
                self.attr_at[(case_id, key)] = (value, file, line)
        elif first[0] != value:
            self.conflict(case_id, key, first[0], _where(first[1], first[2]), value, file, line)
            return
        attrs[key] = value

    def check_value(self, case_id: str, key: str, value, file: str, line: int | None) -> None:
        """An attribute that must be a date and is not: an error naming it, but the case is still
        checked, as if it had none (rules read it as unknown)."""
        message = bad_date_attribute(case_id, key, value)
        if message:
            self.errors.append(InputError(file, line, message))

    def first_given(self, case_id: str, key: str) -> tuple[str, str, int | None] | None:
        """(value, file, line) of the first source that gave the case this attribute, if any."""
        first = self.attr_at.get((case_id, key))
        if first is None:
            held = self.tables.get(case_id)
            if held is not None and key in held:
                return held[key], *self.table_where(case_id)
        return first

    def conflict(self, case_id: str, key: str, first, first_where: str, value, file: str, line: int | None) -> None:
        self.fail(file, line, f"case {case_id}: {key} is {first!r} in {first_where} but {value!r} here; "
                              "correct one of them", case_id)

    def table_row(self, case_id: str, file: str, line: int) -> dict:
        """The attributes of a case in the case tables, to be filled from a row of `file` (then
        given to table_done)."""
        if case_id not in self.table_at:
            if not self.table_names or self.table_names[-1] != file:
                self.table_names.append(file)
            self.table_at[case_id] = (len(self.table_names) - 1) << 32 | line
        held = self.tables.get(case_id)
        # a case's attributes may be shared with other cases (table_done): copied before a second
        # row changes them
        self.tables[case_id] = attrs = {} if held is None else dict(held)
        return attrs

    def table_where(self, case_id: str) -> tuple[str, int]:
        """(file, line) of the case's first table row."""
        at = self.table_at[case_id]
        return self.table_names[at >> 32], at & 0xFFFFFFFF

    def table_done(self, case_id: str, shared: dict) -> None:
        """A table row read: cases with the same attributes share one dict (a million-case table
        repeats a few hundred councils, teams and workers). Nothing changes a shared dict: a later
        row copies it first (table_row), and readers copy before they add (Case(..., dict(...)))."""
        attrs = self.tables[case_id]
        if len(shared) > 100_000:  # attributes unique to each case: sharing saves nothing
            shared.clear()
        self.tables[case_id] = shared.setdefault(tuple(attrs.items()), attrs)

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def result(self) -> tuple[list[Case], list[InputError]]:
        for cid, attrs in self.tables.items():
            # A case in a table and in no event source exists, with no events (README decision).
            case = self.cases.get(cid) or self.case(cid, self.table_where(cid)[0], events=False)
            for key, value in attrs.items():
                had = case.attrs.get(key)
                if had is not None and had != value:  # from a council return, which keeps no lines
                    _, file, line = self.first_given(cid, key)
                    self.conflict(cid, key, had, case.source, value, file, line)
                case.attrs[key] = value
        errors = list(self.errors)
        for cid, first in self.tainted.items():
            errors.append(InputError(first.file, first.line, f"case {cid} not checked: part of its timeline could not be read"))
            self.cases.pop(cid, None)
        for cid, kind in self.kinds.items():
            if cid in self.cases and cid not in self.plain:
                self.cases[cid].source_kind = kind
        return list(self.cases.values()), errors


def _where(file: str, line: int | None) -> str:
    return f"{file}:{line}" if line else file


def _read_event(raw, file: str, b: Builder) -> Event:
    line = line_of(raw)
    if not isinstance(raw, dict):
        raise InputProblem(file, line, "an event must be a mapping with date and type")
    for key in ("date", "type"):
        if raw.get(key) is None:
            raise InputProblem(file, line, f"event has no {key}")
    try:
        date = parse_date(raw["date"])
    except ValueError as e:
        raise InputProblem(file, line_of(raw, "date", line), str(e)) from None
    try:
        etype = event_type(raw["type"])
    except ValueError as e:
        raise InputProblem(file, line_of(raw, "type", line), str(e)) from None
    attrs = {}
    for k, v in raw.items():
        if k in ("date", "type"):
            continue
        try:
            nv = normalise_value(v)
        except ValueError as e:
            raise InputProblem(file, line_of(raw, k, line), f"event attribute {k!r} {e}") from None
        if nv is not None:
            attrs[str(k)] = nv
    return Event(date, etype, attrs, b.next_seq(), file, line)


def read_events(raw_events, file: str) -> list[Event]:
    """Events given as data (as in a case file's `events:` list); raises InputProblem on a bad one."""
    if not isinstance(raw_events, list):
        raise InputProblem(file, line_of(raw_events), "`events` must be a list of events")
    b = Builder()
    return [_read_event(ev, file, b) for ev in raw_events]


def _case_id(raw: dict) -> str | None:
    value = raw.get("case")
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    if isinstance(value, str):
        text = value
    else:
        # Numbers are read as strings, exactly as written (YAML `case: 00123` stays "00123").
        text = getattr(raw, "raw", {}).get("case") or str(value)
    return text.strip() or None


def _holds_surrogate(value) -> bool:
    stack = [value]
    while stack:
        v = stack.pop()
        if isinstance(v, str):
            if not v.isascii() and any("\ud800" <= c <= "\udfff" for c in v):
                return True
        elif isinstance(v, dict):
            stack.extend(v.keys())
            stack.extend(v.values())
        elif isinstance(v, list):
            stack.extend(v)
    return False


def _read_case_mapping(raw, file: str, b: Builder) -> None:
    line = line_of(raw)
    if not isinstance(raw, dict):
        b.fail(file, line, "a case must be a mapping with case and events")
        return
    cid = _case_id(raw)
    if cid is None:
        b.fail(file, line_of(raw, "case", line), "case has no identifier (`case:` must be a string or number)")
        return
    if _holds_surrogate(raw):  # a lone \ud800-\udfff escape in JSON: not text, and no output could hold it
        shown = cid.encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
        b.fail(file, line, f"case {shown}: holds a lone surrogate escape (\\ud800-\\udfff), which is not "
                           "text; correct it where the file was made", None if shown != cid else cid)
        return
    events = raw.get("events")
    case = b.case(cid, file, events=bool(events))
    if not isinstance(events, list):
        b.fail(file, line_of(raw, "events", line), f"case {cid}: `events` must be a list of events", cid)
        return
    for k, v in raw.items():
        if k in ("case", "events"):
            continue
        if isinstance(v, (dict, list)):
            b.fail(file, line_of(raw, k, line), f"case {cid}: attribute {k!r} must be a single value", cid)
            continue
        nv = normalise_value(v)
        if nv is not None:
            b.set_attr(case.attrs, cid, str(k), nv, file, line_of(raw, k, line))
    for ev in events:
        try:
            case.events.append(_read_event(ev, file, b))
        except InputProblem as p:
            b.fail(p.error.file, p.error.line, f"case {cid}: {p.error.message}", cid)


def read_document(file: str, b: Builder | DocumentSteps) -> None:
    data = load_document(file, b.notes)
    if isinstance(data, dict) and "ruleset" in data and "case" not in data:
        raise InputProblem(file, line_of(data, "ruleset"), "this is a rule file (it has `ruleset:`), given where "
                                                           "case files were expected: give it with --rules")
    if isinstance(data, dict) and "case" not in data and "cases" in data:
        if not isinstance(data["cases"], list):
            raise InputProblem(file, line_of(data, "cases"), "`cases` must be a list of cases")
        data = data["cases"]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise InputProblem(file, None, "expected a case, a list of cases, or a mapping with `cases:`")
    for raw in data:
        _read_case_mapping(raw, file, b)


class DocumentSteps:
    """What reading one YAML/JSON case file does to a Builder, recorded where the file was parsed (a
    worker process) and done to the run's Builder later, in sorted path order (apply): the same
    cases, merges, attributes, conflicts, errors, notes and sequence numbers as read_document on
    that Builder. Nothing recorded depends on other files: merging a case met before, and judging
    its attributes against earlier files and case tables, is left to apply."""

    __slots__ = ("seq", "steps", "notes", "problem")

    def __init__(self, seq: int):
        self.seq = seq  # the Builder's seq before the file; after it once read
        self.steps: list[tuple] = []
        self.notes: list[InputError] = []
        self.problem: InputError | None = None  # the InputProblem that ended the file, if one did

    # the Builder methods read_document uses
    def case(self, case_id: str, source: str, kind: SourceKind | None = None, events: bool = True) -> Case:
        case = Case(case_id, {}, [], source)
        self.steps.append(("c", case_id, source, kind, events, case.events))  # events filled as read
        return case

    def fail(self, file: str, line: int | None, message: str, case_id: str | None = None) -> None:
        self.steps.append(("f", file, line, message, case_id))

    def set_attr(self, attrs: dict, case_id: str, key: str, value: str, file: str, line: int | None) -> None:
        self.steps.append(("a", case_id, key, value, file, line))

    def next_seq(self) -> int:
        self.seq += 1
        return self.seq

    def __getstate__(self):
        # Sent back from a worker: events as plain tuples (a date as its ordinal, one string per
        # event type, no empty attributes), a third cheaper to unpickle than Event objects.
        types: dict[str, str] = {}
        steps = [s if s[0] != "c" else s[:5] + ([(e.date.toordinal(), types.setdefault(e.type, e.type), e.attrs or None,
                                                   e.seq, e.line) for e in s[5]],)
                 for s in self.steps]
        return self.seq, steps, self.notes, self.problem

    def __setstate__(self, state):
        self.seq, steps, self.notes, self.problem = state
        day = dt.date.fromordinal
        self.steps = [s if s[0] != "c" else s[:5] + ([Event(day(d), t, a if a is not None else {}, q, s[2], ln)
                                                       for d, t, a, q, ln in s[5]],)
                      for s in steps]

    def apply(self, b: Builder) -> None:
        """Do to b what read_document would have done (an InputProblem raised as it would be)."""
        b.notes.extend(self.notes)
        for step in self.steps:
            if step[0] == "c":
                _, cid, source, kind, events, evs = step
                b.case(cid, source, kind, events).events.extend(evs)
            elif step[0] == "a":
                _, cid, key, value, file, line = step
                b.set_attr(b.cases[cid].attrs, cid, key, value, file, line)
            else:
                b.fail(*step[1:])
        b.seq = self.seq
        if self.problem is not None:
            raise InputProblem(self.problem.file, self.problem.line, self.problem.message)


def parse_document(file: str, seq: int) -> DocumentSteps:
    """read_document of one file, recorded (DocumentSteps) to be applied to a Builder whose seq is seq."""
    steps = DocumentSteps(seq)
    try:
        read_document(file, steps)
    except InputProblem as p:
        steps.problem = p.error
    return steps


def needs_importer(paths: Iterable[str], input_format: str | None = None) -> bool:
    """True when an input is a council return (or input_format names one): those are read whole."""
    if input_format not in (None, "events"):
        return True
    _, paths = split_sources(paths)
    files, _ = find_files(paths, CASE_SUFFIXES + importers.SUFFIXES, "case file")
    files = leave_out_own(paths, files)[0]
    return any(fmt is not None for fmt, _ in importers.plan(files))


def load_cases(paths: Iterable[str], input_format: str | None = None,
               notes: list[InputError] | None = None) -> tuple[list[Case], list[InputError]]:
    """Read every case file under paths. Returns (cases, errors); one bad file spoils no other.

    Database URLs are read by inputs.database. Annex A workbooks, CIN census XML and SSDA903 CSVs
    are read by inputs.importers (detected by content, or all read as input_format); their
    warnings are appended to notes.
    """
    urls, paths = split_sources(paths)
    files, errors = find_files(paths, CASE_SUFFIXES + importers.SUFFIXES, "case file")
    files, own_errors, own_notes = leave_out_own(paths, files)  # casecheck's outputs are not cases
    errors += own_errors
    b = Builder()
    b.notes.extend(own_notes)
    for url in urls:  # databases (docs/formats.md): casecheck_events, or the SSD
        try:
            from .database import read_database  # SQLAlchemy is imported only when a database is named
            read_database(url, b)
        except InputProblem as p:
            b.errors.append(p.error)
    for fmt, group in importers.plan(files, input_format):
        file = group[0]
        try:
            if fmt is not None:
                importers.read(fmt, group, b)
            elif file.lower().endswith(".csv"):
                read_csv(file, b)
            else:
                read_document(file, b)
        except InputProblem as p:
            b.errors.append(p.error)
    cases, errs = b.result()
    if notes is not None:
        notes.extend(b.notes)
    return sorted(cases, key=lambda c: c.id), errors + errs
