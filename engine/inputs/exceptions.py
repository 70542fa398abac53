"""Exceptions registers (docs/formats.md): breaches a manager or auditor accepted with a recorded reason.

A register is YAML (a list of entries, or `exceptions: [...]`) or CSV with the same columns. It is
data: read by the safe readers of `structured` and the csv module, nothing in it runs. A bad entry
is an input error naming the file and line and is left out; the good entries still apply.

`Register.excuse` marks the breaches an entry names: the finding keeps its status and lateness
and carries the entry. `Register.unmatched` names, afterwards, the entries that matched nothing
(a typo in a case id, or a breach that is no longer one): warnings, not errors.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Iterable

from ..dates import parse_date
from ..model import BREACHES, MAX_ERRORS_PER_FILE, ExceptionEntry, Finding, InputError, InputProblem
from .files import find_files
from .limits import check_columns, repeated
from .structured import MAX_YAML_BYTES, check_not_binary, line_of, load_document, read_text

REGISTER_SUFFIXES = (".yaml", ".yml", ".json", ".csv")
REQUIRED = ("case", "rule", "trigger", "reason", "approved_by", "approved_on")
COLUMNS = ("case", "rule", "trigger", "due", "reason", "approved_by", "approved_on")
NOTE = "note"  # optional free text (what the breach was); `exceptions start` writes it for context
_DATES = ("trigger", "due", "approved_on")
_HOW = {"case": "the case id as in the case file",
        "rule": "the rule id as `casecheck check` reports it",
        "trigger": "the breach's trigger date (YYYY-MM-DD)",
        "reason": "why the breach was accepted",
        "approved_by": "who accepted it (name and role)",
        "approved_on": "when (YYYY-MM-DD)"}
# A cell `casecheck`'s CSV writers guarded against formulas ('=..., '-...) reads back as written.
_GUARDED = ("'=", "'+", "'-", "'@")


def _text(value, raw: dict | None = None, key: str = "") -> str:
    """A field as text: numbers as written (case 00123 stays "00123"), dates in ISO form."""
    if type(value) is str:  # nearly every field, and every CSV cell
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (int, float)) and raw and key in raw:
        return str(raw[key]).strip()
    return str(value).strip()


def entry_from(fields: dict, file: str, line: int | None, raw: dict | None = None) -> ExceptionEntry:
    """One entry from its fields (text, numbers or dates); raises InputProblem naming what to fix."""
    values = {k: fields.get(k) for k in COLUMNS}
    for k, v in values.items():
        if isinstance(v, (dict, list)):
            raise InputProblem(file, line, f"entry: `{k}` must be a single value, not a "
                                           f"{'mapping' if isinstance(v, dict) else 'list'}")
    text = {k: _text(v, raw, k) for k, v in values.items()}
    who = f"entry for case {text['case']}, rule {text['rule']}: " if text["case"] and text["rule"] else ""
    empty = [k for k in REQUIRED if not text[k]]
    if empty:
        absent = [f"`{k}`" for k in empty if k not in fields]
        blank = [f"`{k}`" for k in empty if k in fields]
        what = "; ".join(([f"no {', '.join(absent)}"] if absent else [])
                         + ([f"{', '.join(blank)} {'is' if len(blank) == 1 else 'are'} empty"] if blank else []))
        hows = [_HOW[k] for k in empty]
        how = hows[0] if len(hows) == 1 else ", ".join(hows[:-1]) + " and " + hows[-1]
        raise InputProblem(file, line, f"{who}{what}: fill in {how}, or delete the entry if the breach was not "
                                       "accepted")
    dates = {}
    for k in _DATES:
        try:
            dates[k] = parse_date(values[k]) if text[k] else None
        except ValueError:
            raise InputProblem(file, line, f"{who}`{k}` is {text[k]!r}, not a date: write it as YYYY-MM-DD") from None
    if dates["due"] is not None and dates["due"] < dates["trigger"]:
        raise InputProblem(file, line, f"{who}`due` {dates['due']} is before `trigger` {dates['trigger']}: "
                                       "a finding is due on or after its trigger")
    return ExceptionEntry(case=text["case"], rule=text["rule"], trigger=dates["trigger"], reason=text["reason"],
                          approved_by=text["approved_by"], approved_on=dates["approved_on"], due=dates["due"],
                          file=file, line=line)


def _unknown_fields(keys: Iterable, file: str, line: int | None, notes: list[InputError]) -> None:
    extra = [str(k) for k in keys if k not in COLUMNS and k != NOTE]
    if extra:
        notes.append(InputError(file, line, f"{', '.join(map(repr, extra))} {'is not a' if len(extra) == 1 else 'are not'} "
                                            f"register field{'s' if len(extra) > 1 else ''} ({', '.join(COLUMNS)}, "
                                            f"{NOTE}); ignored"))


def _read_yaml(file: str, entries: list, errors: list, notes: list) -> None:
    data = load_document(file)
    if isinstance(data, dict) and "exceptions" in data:
        unknown = [k for k in data if k != "exceptions"]
        if unknown:
            notes.append(InputError(file, line_of(data, unknown[0]), f"only `exceptions:` is read; "
                                                                   f"{', '.join(map(repr, unknown))} ignored"))
        data = data["exceptions"]
    if data is None:
        return  # an empty register: nothing excused
    if not isinstance(data, list):
        raise InputProblem(file, line_of(data), "a register is a list of entries (or a mapping with `exceptions:`), "
                                                "each with case, rule, trigger, reason, approved_by, approved_on")
    for i, raw in enumerate(data, start=1):
        line = line_of(raw)
        try:
            if not isinstance(raw, dict):
                raise InputProblem(file, line, f"entry {i} is {str(raw)[:40]!r}: each entry must be a mapping with "
                                               "case, rule, trigger, reason, approved_by and approved_on")
            _unknown_fields(raw.keys(), file, line, notes)
            entries.append(entry_from(raw, file, line, getattr(raw, "raw", None)))
        except InputProblem as p:
            errors.append(p.error)
            if len(errors) >= MAX_ERRORS_PER_FILE:
                raise InputProblem(file, line, f"more than {MAX_ERRORS_PER_FILE} bad entries; the rest of the "
                                               "register was not read") from None


def _unguard(cell: str) -> str:
    return cell[1:] if cell.startswith(_GUARDED) else cell


def _read_csv(file: str, entries: list, errors: list, notes: list) -> None:
    text = read_text(file, MAX_YAML_BYTES)
    reader = csv.reader(text.splitlines(keepends=True))
    try:
        header = [h.strip() for h in next(reader, [])]
        check_columns(header, file)
    except csv.Error as e:
        raise InputProblem(file, 1, f"cannot read the header row: {e}") from None
    if not any(header):
        raise InputProblem(file, 1, f"empty file: expected a header row with {', '.join(COLUMNS)}")
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputProblem(file, 1, f"header has no {', '.join(missing)} column (a register's columns: "
                                    f"{', '.join(COLUMNS)})")
    dupes = repeated(header)
    if dupes:
        raise InputProblem(file, 1, f"header repeats column {', '.join(dupes)}")
    _unknown_fields([h for h in header if h], file, 1, notes)
    prev = reader.line_num
    while True:
        try:
            row = next(reader, None)
        except csv.Error as e:
            raise InputProblem(file, prev + 1, f"unreadable row ({e}); the rest of the register was not read") from None
        if row is None:
            return
        line, prev = prev + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        try:
            if len(row) != len(header):
                raise InputProblem(file, line, f"row has {len(row)} cells, the header has {len(header)}")
            entries.append(entry_from({h: _unguard(c.strip()) for h, c in zip(header, row)}, file, line))
        except InputProblem as p:
            errors.append(p.error)
            if len(errors) >= MAX_ERRORS_PER_FILE:
                raise InputProblem(file, line, f"more than {MAX_ERRORS_PER_FILE} bad rows; the rest of the "
                                               "register was not read") from None


def read_register(path: str) -> tuple[list[ExceptionEntry], list[InputError], list[InputError]]:
    """One register file: (entries, errors, notes). Raises InputProblem when none of it is readable."""
    entries: list[ExceptionEntry] = []
    errors: list[InputError] = []
    notes: list[InputError] = []
    if path.lower().endswith(".csv"):
        with open(path, "rb") as f:
            check_not_binary(path, f.read(8192))
        _read_csv(path, entries, errors, notes)
    else:
        _read_yaml(path, entries, errors, notes)
    today = dt.date.today()
    for e in entries:  # a typing slip (2204 for 2024), most likely: named, but the entry still excuses
        if e.approved_on and e.approved_on > today:
            notes.append(InputError(e.file, e.line, f"entry for case {e.case}, rule {e.rule}: approved on "
                                                    f"{e.approved_on}, in the future"))
    return entries, errors, notes


class Register:
    """Entries from every register given, indexed by (case, rule, trigger date)."""

    def __init__(self, entries: Iterable[ExceptionEntry] = (), notes: Iterable[InputError] = ()):
        self.entries = list(entries)
        self.notes = list(notes)  # warnings met reading the registers
        self._by_key: dict[tuple, list[ExceptionEntry]] = {}
        first: dict[tuple, ExceptionEntry] = {}
        for e in self.entries:
            full = (e.case, e.rule, e.trigger, e.due)
            if full in first:
                earlier = first[full]
                self.notes.append(InputError(e.file, e.line, f"entry for case {e.case}, rule {e.rule}, trigger "
                                                             f"{e.trigger} repeats the one at {earlier.file}:"
                                                             f"{earlier.line}; the first is used"))
                continue
            first[full] = e
            self._by_key.setdefault((e.case, e.rule, e.trigger), []).append(e)
        for found in self._by_key.values():
            found.sort(key=lambda e: e.due is None)  # an entry naming the due date is the closer match
        self._used: set[int] = set()

    def __bool__(self) -> bool:
        return bool(self.entries)

    def excuse(self, f: Finding) -> Finding:
        """Mark a breach the register names as excused (its status and lateness are unchanged)."""
        if f.status not in BREACHES or not self._by_key:
            return f
        for e in self._by_key.get((f.case, f.rule.id, f.trigger.date), ()):
            if e.due is None or e.due == f.due:
                f.exception = e
                self._used.add(id(e))
                break
        return f

    def unmatched(self, rule_ids: Iterable[str] | None = None, cases: set[str] | None = None) -> list[InputError]:
        """A warning for each entry that excused no breach (call after every finding went by);
        rule_ids, the loaded rules' ids, let it say when the entry's rule is not among them;
        cases, when only some cases were judged (one case's chronology), limits it to theirs."""
        known = None if rule_ids is None else set(rule_ids)
        out = []
        for found in self._by_key.values():
            for e in found:
                if id(e) not in self._used and (cases is None or e.case in cases):
                    due = f", due {e.due}" if e.due else ""
                    why = (f"no loaded rule has the id {e.rule} (check --rules)" if known is not None
                           and e.rule not in known else "check the case id, rule id and dates (or the breach is "
                                                        "no longer one)")
                    out.append(InputError(e.file, e.line, f"exception for case {e.case}, rule {e.rule}, trigger "
                                                          f"{e.trigger}{due} matches no breach: {why}"))
        return sorted(out, key=lambda w: (w.file, w.line or 0))


def load_registers(paths: Iterable[str]) -> tuple[Register, list[InputError]]:
    """Every register under paths (files or folders) as one Register, and the errors reading them."""
    files, errors = find_files(paths, REGISTER_SUFFIXES, "register file")
    entries: list[ExceptionEntry] = []
    notes: list[InputError] = []
    for file in files:
        try:
            got, errs, warns = read_register(file)
        except InputProblem as p:
            errors.append(p.error)
            continue
        except OSError as e:
            errors.append(InputError(file, None, f"cannot read file: {e.strerror or e}"))
            continue
        entries += got
        errors += errs
        notes += warns
    return Register(entries, notes), errors
