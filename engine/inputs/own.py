"""casecheck's own outputs, known by their content (never their names), so they are not read as cases.

A findings JSON put beside the cases it was made from, a CSV of `check`, `due` or `diff`, a summary
workbook: each would otherwise be read as a case file and fail line by line. Every JSON casecheck
writes opens with a `generator` field; its CSVs have headers of their own; its workbook has an
About sheet and casecheck's title in its properties; a register `exceptions start` wrote opens with its own
comment. In a folder such files are skipped with one warning; named directly, each is refused.
(HTML is never read as cases: it is no case file's suffix.)
"""

from __future__ import annotations

import csv
import os
import re
from functools import lru_cache

from ..columns import CHECK_CSV_FIELDS, CSV_FIELDS, DUE_FIELDS  # the writers' own headers
from ..model import InputError
from .exceptions import COLUMNS, NOTE

HEAD_BYTES = 4096
_JSON_GENERATOR = re.compile(rb'^\s*\{\s*"generator"\s*:\s*"casecheck')
_JSON_FINDINGS = re.compile(rb'^\s*\{\s*"as_at"\s*:\s*"[^"]*"\s*,\s*"cases"\s*:')  # check's JSON before `generator`
_JSON_KINDS = ((re.compile(rb'"within"\s*:'), "due list"), (re.compile(rb'"before"\s*:\s*\{'), "differences"),
               (re.compile(rb'"rules"\s*:\s*\['), "rule list"))
_REGISTER = re.compile(rb"^# Exceptions register \(casecheck")

# What to do with each kind instead of reading it as cases.
HINTS = {"findings": "to compare runs use casecheck diff", "differences": "it compares two runs",
         "due list": "it lists what is due", "summary": "it summarises a run", "rule list": "it lists rules",
         "exceptions register": "give it with --exceptions"}


def generator() -> str:
    """The `generator` field of every JSON document casecheck writes: 'casecheck 1.2.0'."""
    from .. import __version__
    return f"casecheck {__version__}"


@lru_cache(maxsize=1)
def _csv_headers() -> dict[tuple[str, ...], str]:
    """Exact headers of the CSVs casecheck writes (with and without the citation column)."""
    out = {}
    for fields in (CHECK_CSV_FIELDS, CSV_FIELDS):
        out[tuple(fields)] = "findings"
        out[("change",) + tuple(fields)] = "differences"
    out[tuple(DUE_FIELDS)] = "due list"
    out[tuple(f for f in DUE_FIELDS if f != "cite")] = "due list"
    out[tuple(COLUMNS) + (NOTE,)] = "exceptions register"
    return out


def _csv_kind(header: list[str]) -> str | None:
    kind = _csv_headers().get(tuple(header))
    if kind is not None:
        return kind
    if header[:1] == ["grouping"] and "compliance_percent" in header:
        return "summary"
    if header[:6] == ["id", "ruleset", "title", "kind", "window", "severity"]:
        return "rule list"
    return None


def _workbook_kind(path: str) -> str | None:
    """'summary' for casecheck's workbook: an About sheet, and casecheck's title in its properties.
    Read from the zip's two small index parts alone (never the sheets: a hostile workbook is for
    the importer's guards to refuse)."""
    import zipfile
    try:
        with zipfile.ZipFile(path) as z:
            parts = {}
            for name in ("xl/workbook.xml", "docProps/core.xml"):
                info = z.getinfo(name)
                if info.file_size > 1 << 20:
                    return None
                parts[name] = z.read(info)
    except (OSError, KeyError, zipfile.BadZipFile, RuntimeError, ValueError, EOFError):
        return None  # not a workbook casecheck wrote; the importer says what is wrong with it
    about = re.search(rb'<sheet\b[^>]*\bname="About"', parts["xl/workbook.xml"])
    title = re.search(rb"<dc:title>casecheck ", parts["docProps/core.xml"])
    return "summary" if about and title else None


def written_by_casecheck(path: str) -> str | None:
    """What casecheck output the file is ('findings', 'summary', ...), or None for anything else."""
    low = path.lower()
    try:
        if low.endswith(".xlsx"):
            return _workbook_kind(path)
        with open(path, "rb") as fh:
            head = fh.read(HEAD_BYTES)
    except OSError:
        return None  # the reader says why it cannot be read
    head = head.removeprefix(b"\xef\xbb\xbf")
    if low.endswith(".json"):
        if _JSON_GENERATOR.match(head) or _JSON_FINDINGS.match(head):
            return next((kind for pattern, kind in _JSON_KINDS if pattern.search(head)), "findings")
        return None
    if low.endswith(".csv"):
        line = head.split(b"\n", 1)[0].rstrip(b"\r")
        try:
            header = next(csv.reader([line.decode("utf-8")]))
        except (UnicodeDecodeError, StopIteration, csv.Error):
            return None
        return _csv_kind(header)
    if low.endswith((".yaml", ".yml")):
        return "exceptions register" if _REGISTER.match(head) else None
    return None


def leave_out_own(paths, files: list[str]) -> tuple[list[str], list[InputError], list[InputError]]:
    """(files to read as cases, errors, notes): casecheck's outputs named directly are errors,
    those found in a folder are left out with one note naming them."""
    named = {os.path.normpath(p) for p in paths if isinstance(p, str) and os.path.isfile(p)}
    kept, errors, skipped = [], [], []
    for f in files:
        kind = written_by_casecheck(f)
        if kind is None:
            kept.append(f)
        elif os.path.normpath(f) in named:
            errors.append(InputError(f, None, f"{os.path.basename(f)} was written by casecheck ({kind}), not cases; "
                                              f"{HINTS[kind]}"))
        else:
            skipped.append(f)
    notes = []
    if skipped:
        folders = [p for p in paths if isinstance(p, str) and os.path.isdir(p)]
        names = ", ".join(os.path.basename(f) for f in skipped[:10]) + (", ..." if len(skipped) > 10 else "")
        notes.append(InputError(", ".join(folders) or os.path.dirname(skipped[0]), None,
                                f"skipped {len(skipped)} file{'s' if len(skipped) != 1 else ''} written by "
                                f"casecheck: {names}"))
    return kept, errors, notes
