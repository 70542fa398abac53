"""What the importers share: tolerant header matching, dates in the forms councils write them,
and a Sink that turns what an importer read into events of cases (through caseload's Builder,
so a child with an unreadable row is not checked, as for any other input).
"""

from __future__ import annotations

import datetime as dt
import re
from contextlib import contextmanager
from dataclasses import dataclass, field


from ...dates import DateOutOfRange, check_range, parse_date
from ...model import MAX_ERRORS_PER_FILE as MAX_BAD_ROWS  # the same limit as CSV event logs
from ...model import Event, InputError, InputProblem, SourceKind

BLANKS = {"", "#n/a", "n/a", "na", "null", "none", "-", "#value!", "#ref!", "nan"}
TEXT_DATE_FORMATS = ("%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %b %Y", "%d %B %Y",
                     "%d-%b-%Y", "%d-%b-%y", "%d %b %y", "%Y%m%d")

# Same-date events of one child are replayed in this order (a referral before the assessment that
# follows it, a plan's start before its review, closures last). Types not listed keep read order.
LIFECYCLE = ("contact", "early_help_assessment_started", "referral", "cin_started", "strategy_discussion",
             "assessment_started", "early_help_assessment_completed", "assessment_authorised", "icpc",
             "became_looked_after", "legal_status_changed", "placement_started", "short_break_started",
             "cp_plan_started", "cin_plan_started", "cp_visit", "cin_visit", "cp_review", "lac_visit",
             "iro_visit", "lac_review", "health_assessment", "dental_check", "missing_started",
             "missing_ended", "adoption_decision", "placement_order", "adoption_match", "placed_for_adoption",
             "adoption_order", "short_break_ended", "placement_ended", "cin_plan_ended", "cp_plan_ended",
             "ceased_looked_after", "cin_closed")
_RANK = {t: i for i, t in enumerate(LIFECYCLE)}


def norm(text) -> str:
    """A header as compared: lower case, punctuation and repeated spaces folded to one space."""
    text = str(text or "").replace("\u2019", "'").replace("\u2018", "'").replace("\xa0", " ").lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and value.strip().lower() in BLANKS)


def text_value(value) -> str | None:
    """A cell as attribute text (Excel's 123.0 read as "123"; non-breaking spaces folded)."""
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        return value.isoformat()
    return " ".join(str(value).replace("\xa0", " ").split())


def flag(value) -> str | None:
    """A yes/no cell as "true"/"false" ("Yes", "a) Yes", "Y", "1", "true"); other text as written."""
    text = text_value(value)
    if text is None:
        return None
    word = re.sub(r"^[a-z]\) ", "", text.lower())
    if word in ("yes", "y", "true", "1"):
        return "true"
    if word in ("no", "n", "false", "0"):
        return "false"
    return text


def to_date(value, serials: bool = False) -> dt.date | None:
    """A date cell: a real date, ISO text, or day-first text (dd/mm/yyyy and friends).

    None for a blank cell; ValueError for anything else. With serials, a bare number is an Excel
    date serial (a date column whose cells were never formatted as dates).
    """
    if is_blank(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return parse_date(value)
    if serials and isinstance(value, (int, float)) and not isinstance(value, bool) and 1 <= value < 73051:
        from openpyxl.utils.datetime import from_excel  # imported here: most runs read no workbook
        return from_excel(value).date()  # openpyxl's own decoding, Excel's 1900 leap-year quirk included
    if isinstance(value, str):
        text = " ".join(value.split())
        try:
            return parse_date(text)  # ISO, with or without a time
        except DateOutOfRange:
            raise
        except ValueError:
            pass
        for fmt in TEXT_DATE_FORMATS:
            try:
                return check_range(dt.datetime.strptime(text, fmt).date())
            except DateOutOfRange:
                raise
            except ValueError:
                continue
        # "16/09/2020 00:00" and similar: a date followed by a time of day
        head = text.split(" ")[0]
        if head != text and ":" in text:
            return to_date(head)
    raise ValueError(f"not a date: {value!r}")


@dataclass
class Columns:
    """Which column of a header row holds which field, by regular expressions on norm(header)."""

    found: dict[str, int]
    unknown: list[str]
    names: dict[str, str] = field(default_factory=dict)  # field -> its header as written

    @classmethod
    def match(cls, header, fields: dict[str, str], ignore: tuple[str, ...] = ()) -> "Columns":
        """fields: name -> pattern (re.fullmatch on the normalised header; first column wins).
        ignore: patterns of columns known and deliberately not used (not reported as unknown)."""
        found, unknown, names = {}, [], {}
        for i, raw in enumerate(header):
            h = norm(raw)
            if not h:
                continue
            name = next((f for f, pat in fields.items() if re.fullmatch(pat, h)), None)
            if name is not None and name not in found:
                found[name] = i
                names[name] = " ".join(str(raw).split())
            elif name is None and not any(re.fullmatch(p, h) for p in ignore):
                unknown.append(" ".join(str(raw).split()))
        return cls(found, unknown, names)


@dataclass
class Sink:
    """Collects one source's events per case, then hands them to caseload's Builder.

    Identical events of a case (same date, type and attributes) are kept once: Annex A's lists
    overlap (List 8 and List 10 both give the date a child entered care). Each case's events are
    handed over in date order, same-date events in LIFECYCLE order.
    """

    builder: object  # inputs.cases.Builder
    file: str
    kind: SourceKind | None = None  # what the source can record (given to each case it reads)
    pending: dict[str, list] = field(default_factory=dict)
    attrs: dict[str, dict] = field(default_factory=dict)
    touched: set[str] = field(default_factory=set)  # every case a record was read for
    bad: int = 0

    @contextmanager
    def reading(self):
        """Read a source; if it is abandoned part-way, every case it touched is named as not checked."""
        try:
            yield self
        except InputProblem as p:
            for cid in sorted(self.touched | set(self.pending)):
                self.builder.tainted.setdefault(cid, p.error)
            raise
        finally:
            self.flush()

    def event(self, case: str, date: dt.date, etype: str, attrs: dict, file: str, line: int | None,
              order: int | None = None) -> None:
        """order: where among same-date events this one goes (default: its type's LIFECYCLE place)."""
        self.touched.add(case)
        rank = _RANK.get(etype, len(_RANK)) if order is None else order
        self.pending.setdefault(case, []).append((date, rank, etype, {k: v for k, v in attrs.items() if v is not None},
                                                  file, line))

    def case_attr(self, case: str, key: str, value: str | None) -> None:
        if value is not None:
            self.attrs.setdefault(case, {}).setdefault(key, value)

    def fail(self, file: str, line: int | None, message: str, case: str | None = None) -> None:
        self.builder.fail(file, line, message, case)
        self.bad += 1
        if self.bad > MAX_BAD_ROWS:
            raise InputProblem(file, line, f"more than {MAX_BAD_ROWS} bad rows; the rest was not read "
                                           "and none of its children was checked")

    def note(self, file: str, line: int | None, message: str) -> None:
        self.builder.notes.append(InputError(file, line, message))

    def flush(self) -> None:
        b = self.builder
        for cid, events in self.pending.items():
            case = b.case(cid, self.file, self.kind)
            for k, v in self.attrs.get(cid, {}).items():
                case.attrs.setdefault(k, v)
            seen = set()
            ordered = sorted(enumerate(events), key=lambda ie: (ie[1][0], ie[1][1], ie[0]))
            for _, (date, _, etype, attrs, file, line) in ordered:
                key = (date, etype, tuple(sorted(attrs.items())))
                if key in seen:
                    continue
                seen.add(key)
                case.events.append(Event(date, etype, attrs, b.next_seq(), file, line))
        self.pending.clear()
