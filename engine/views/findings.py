"""Write findings out: JSON (docs/formats.md), CSV (the JSON fields flattened) and text for people."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
from typing import Callable, Iterable, Iterator, TextIO

import click
import orjson

from ..inputs.own import generator
from ..inputs.values import FORMULA_START
from ..model import BREACHES, STATUSES, Finding, InputError
from ..columns import CHECK_CSV_FIELDS, CSV_FIELDS  # check's CSV headers (inputs.own knows them too)
from ..counting import Counts
from ..replay.judged import NONE_APPLIED
from ..terminal import visible
from .wording import days_words, event_phrase


def safe_cell(v):
    """A value as a spreadsheet may safely open it: text it would run as a formula (=, +, -, @, tab
    or CR first) gets a leading ' (OWASP's advice; casecheck's CSV reader takes it off again, so a
    converted event log checks the same). Numbers are written as they are."""
    return "'" + v if isinstance(v, str) and v.startswith(FORMULA_START) else v


class _SpreadsheetSafeWriter(csv.DictWriter):
    """csv.DictWriter for files people open in a spreadsheet: case files are untrusted (safe_cell).
    A row with a carriage return in a cell is written with every cell quoted: the csv module does
    not quote a lone CR, and a spreadsheet would read it as a row break, starting a new row with
    what follows (perhaps a formula)."""

    def __init__(self, f, fieldnames, **kwargs):
        super().__init__(f, fieldnames, **kwargs)
        self._quoted = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator=kwargs.get("lineterminator", "\r\n"))

    def writerow(self, rowdict):
        row = {k: safe_cell(v) for k, v in rowdict.items()}
        if any(isinstance(v, str) and "\r" in v for v in row.values()):
            return self._quoted.writerow(self._dict_to_list(row))
        return super().writerow(row)

    def writerows(self, rowdicts):
        for row in rowdicts:
            self.writerow(row)


def spreadsheet_writer(out: TextIO, fieldnames, **kwargs) -> csv.DictWriter:
    """The one way casecheck writes CSV."""
    return _SpreadsheetSafeWriter(out, fieldnames=fieldnames, lineterminator="\n", **kwargs)


def finding_record(f: Finding) -> dict:
    """One finding as the JSON object docs/formats.md describes."""
    return _record(f, dt.date.isoformat)


def _record(f: Finding, day: Callable) -> dict:
    """finding_record, each date given as day(date) (write_json leaves them as dates for orjson,
    which writes the same ISO text)."""
    a, x = f.actual, f.extension
    return {
        "case": f.case,
        "rule": f.rule.id,
        "ruleset": f.rule.ruleset.name,
        "title": f.rule.title,
        "cite": f.rule.cite,
        "severity": f.rule.severity,
        "status": f.status,
        "trigger": {"type": f.trigger.type, "date": day(f.trigger.date)},
        "due": day(f.due),
        "actual": None if a is None else {"type": a.type, "date": day(a.date)},
        "days_late": f.days_late,
        "working_days_late": f.working_days_late,
        "worker": f.worker,
        "team": f.team,
        "extension": None if x is None else {"type": x.type, "date": day(x.date)},
        "clock_stops": [s.as_dict() for s in f.clock_stops],
        "exception": None if f.exception is None else f.exception.as_dict(),
        "note": f.note,
    }


def flat_record(f: Finding) -> dict:
    """One finding as a CSV row: the JSON fields with trigger and actual flattened."""
    return flatten(finding_record(f))


def flatten(record: dict, fields=CSV_FIELDS) -> dict:
    """A finding object (as finding_record gives, or as read back from JSON) as a CSV row of `fields`."""
    r = dict(record)
    trig, act, ext = r.pop("trigger"), r.pop("actual") or {}, r.pop("extension") or {}
    exc = r.pop("exception") or {}
    r.pop("note", None)  # not a CSV column (yet): the JSON and text say it
    r.update(trigger_type=trig["type"], trigger_date=trig["date"],
             actual_type=act.get("type", ""), actual_date=act.get("date", ""),
             worker=r["worker"] or "", team=r["team"] or "",
             extension_type=ext.get("type", ""), extension_date=ext.get("date", ""),
             # one cell: "2024-01-02..2024-01-09; 2024-02-01.." (a running stop has no end)
             clock_stops="; ".join(f"{s['from']}..{s['until'] or ''}" for s in r.pop("clock_stops") or ()),
             excused="true" if exc else "false", exception_reason=exc.get("reason", ""),
             exception_approved_by=exc.get("approved_by", ""), exception_approved_on=exc.get("approved_on", ""))
    r.setdefault("cite", "")  # a JSON file written before findings carried their citation
    return {k: r[k] for k in fields}


def write_json(out: TextIO, as_at: dt.date, n_cases: int, findings: Iterable[Finding],
               errors: Iterable[InputError], warnings: Callable[[], Iterable[InputError]] | None = None,
               after: Callable[[], dict] | None = None, frames=None, rules=None) -> None:
    """`check --format json` (docs/check.schema.json), written as findings arrive (never all in
    memory); the same text json.dump(doc, indent=2, ensure_ascii=False) would give. `totals`
    counts the findings written (casecheck.counting), so it is the only place the document
    carries counts. `warnings` and `after` (more keys: rules_not_applied) are called once the
    findings are written: some are known only then. frames (with the run's rules): the findings
    as frames instead (replay.findings_frame, none excused), written by columns (views.json_frames)."""
    def dumps(value, indent: str) -> str:
        # orjson's indent-2 output is byte for byte json.dumps(indent=2, ensure_ascii=False)
        # (tests/test_columnar_json.py), and it is ~20x faster: indent makes json use its
        # pure-Python encoder, which was a quarter of a large run.
        return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode().replace("\n", "\n" + indent)

    counts = Counts()
    out.write("{\n" f'  "generator": {dumps(generator(), "")},\n'
              f'  "as_at": {dumps(as_at.isoformat(), "")},\n  "findings": [')
    first = True
    if frames is not None:
        from . import json_frames
        from ..replay.findings_frame import count
        first = not json_frames.write_records(out, json_frames.batches(frames), rules,
                                              lambda frame: count(frame, rules, counts))
        findings = ()
    for batch in _batches(findings, 256):
        counts.update(batch)
        # a list of findings at once, less its brackets, indented two more: the same text as
        # one finding at a time at half the cost; orjson writes a date as its ISO text
        text = orjson.dumps([_record(f, _same) for f in batch], option=orjson.OPT_INDENT_2)[1:-2].decode()
        out.write(("" if first else ",") + text.replace("\n", "\n  "))
        first = False
    out.write("]" if first else "\n  ]")
    out.write(',\n  "totals": ' + dumps(counts.totals(n_cases), "  "))
    errs = [e.as_dict() for e in errors]
    warns = [w.as_dict() for w in (warnings() if warnings is not None else ())]
    for key, value in (after() if after is not None else {}).items():
        out.write(f',\n  "{key}": ' + dumps(value, "  "))
    out.write(',\n  "errors": ' + dumps(errs, "  ") + ',\n  "warnings": ' + dumps(warns, "  ") + "\n}\n")


def _same(d):
    return d


def _batches(items: Iterable, n: int) -> Iterator[list]:
    it = iter(items)
    while batch := list(itertools.islice(it, n)):
        yield batch


def write_csv(out: TextIO, findings: Iterable[Finding]) -> None:
    w = spreadsheet_writer(out, CHECK_CSV_FIELDS)
    w.writeheader()
    for f in findings:
        w.writerow(flatten(finding_record(f), CHECK_CSV_FIELDS))


_STATUS_STYLE = {"late": "red", "missing": "red", "exceeded": "red", "due": "yellow", "met": "green",
                 "withdrawn": "blue"}


def lateness(f: Finding) -> str:
    """'35 days (25 working days) late', or '' when not a breach."""
    if f.status not in BREACHES:
        return ""
    word = {"late": "late", "missing": "overdue", "exceeded": "over the limit"}[f.status]
    return f"{days_words(f.days_late, f.working_days_late)} {word}"


def holder(f: Finding) -> str:
    """Who held the case on the due date, in words ('held by W-Amber (CIN North)'), or ''."""
    if not (f.worker or f.team):
        return ""
    if not f.worker:
        return f"held by team {f.team}"
    return f"held by {f.worker}" + (f" ({f.team})" if f.team else "")


def evidence(f: Finding) -> list[str]:
    """What else decided the finding, in words: who held the case, an extension, clock stops, an
    exception ('extended on 2024-01-15 to 2024-02-05', 'clock stopped 12 days (...)', ...)."""
    # Who held the case, where that is not what the case heading already says (an allocation).
    held = (f.worker, f.team) != (f.case_attrs.get("worker"), f.case_attrs.get("team"))
    out = [holder(f) + " on the due date"] if held and (f.worker or f.team) else []
    if f.trigger.attrs.get("before_return") == "true":  # a 903 return's first episode (docs/importers.md)
        out.append(f"began before the return's first record of it: counted from {f.trigger.date}")
    if f.extension is not None:
        # The due date shown is the extended one, unless clock stops moved it on afterwards (docs/rules.md).
        to = "" if f.clock_stops else f" to {f.due}"
        out.append(f"extended on {f.extension.date}{to} ({event_phrase(f.extension.type)})")
    for s in f.clock_stops:
        if s.until is None:
            out.append(f"clock stopped from {s.start}, still stopped when judged")
        else:
            n = (s.until - s.start).days
            out.append(f"clock stopped {n} day{'s' if n != 1 else ''} ({s.start} to {s.until})")
    if f.note:
        out.append(f"note: {f.note}")
    e = f.exception
    if e is not None:
        where = f"{e.file}:{e.line}" if e.line else e.file
        out.append(f"excused: {e.reason}, approved by {e.approved_by} on {e.approved_on}"
                   + (f" ({where})" if where else ""))
    return out


def finding_line(f: Finding, color: bool) -> str:
    status = f"{f.status:<9}"
    if color:
        status = click.style(status, fg=_STATUS_STYLE[f.status], bold=f.is_breach and not f.excused,
                             dim=f.excused)
    label = "limit" if f.rule.kind == "max_duration" else "due"
    parts = [f"{f.trigger.type} {f.trigger.date}", f"{label} {f.due}"]
    if f.actual is not None:
        parts.append(f"{f.actual.type} {f.actual.date}")
    late = lateness(f)
    if late:
        parts.append(late)
    sev = " [warning]" if f.rule.severity == "warning" else ""
    sev += " [excused]" if f.excused else ""
    indent = "\n            "
    rest = f" {f.rule.id}{sev}: {f.rule.title}" + indent + "; ".join(parts) + "".join(
        indent + line for line in evidence(f))
    return f"  {status}" + (visible(rest) if color else rest)  # coloured: only our own sequences stay


def write_text(out: TextIO, as_at: dt.date, n_cases: int, findings: Iterable[Finding], color: bool,
               shown_all: bool, after: Callable[[], list[str]] | None = None) -> None:
    """Findings case by case, the lines `after` gives once they are written (the rules that
    judged no case), then a headline counting breaches, warnings and excused apart: the last
    line, but for the sentence saying no rule applied at all, which follows it."""
    current = None
    counts = Counts()  # any register was applied before the findings reached here
    for f in findings:
        counts.add(f)
        if f.case != current:
            if current is not None:
                out.write("\n")
            current = f.case
            attrs = ", ".join(f"{k}: {v}" for k, v in f.case_attrs.items())
            head = f"Case {f.case}" + (f" ({attrs})" if attrs else "")
            out.write((click.style(visible(head), bold=True) if color else head) + "\n")
        out.write(finding_line(f, color) + "\n")
    total = counts.findings
    lines = after() if after is not None else []
    last = [lines.pop(0)] if lines and lines[0] == NONE_APPLIED else []
    if total:
        out.write("\n")
    if lines:
        out.write("\n".join(lines) + "\n\n")
    head = f"As at {as_at}: {n_cases} case{'s' if n_cases != 1 else ''} checked, "
    if shown_all:
        detail = ", ".join(f"{counts.by_status[s]:,} {s}" for s in STATUSES if counts.by_status[s])
        head += f"{total} finding{'s' if total != 1 else ''}" + (f" ({detail})" if detail else "") + ": "
    out.write(head + counts.headline() + ".\n" + "".join(f"{line}\n" for line in last))
