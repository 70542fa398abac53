"""The auditor's workbook (summary --format xlsx): a front sheet that stands alone (as-at date,
inputs, rules, how compliance is computed), a sheet per grouping with its total row, and every
finding with its evidence and citation. Numbers are numbers, dates are dates (months the first
of the month, shown mmm yyyy), and no cell from case data is ever a formula.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..counting import count
from ..model import Finding
from ..replay import judged
from .findings import CSV_FIELDS, flat_record
from .summary import (COMPLIANCE_NOTE, COUNT_COLUMNS, HEADINGS, STAT_COLUMNS, TOTAL, grouping_name, key_headings,
                      month_date, rounded, table_rows)
from .wording import holder, short_date


def _sheet_title(levels: tuple[str, ...], used: set[str]) -> str:
    base = "by " + "-".join(levels)
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in base)[:28]
    name, n = base, 2
    while name.lower() in used or name.lower() == "findings":
        name, n = f"{base[:26]}~{n}", n + 1
    used.add(name.lower())
    return name


def _write_sheet(wb, title: str, headers: list[str], rows: list[list], formats: dict[int, str], frozen_cols: int,
                 advance=None, bold_rows: set[int] = frozenset(), filters: bool = True):
    """A write-only sheet: bold frozen headers, filters, widths from the data; text never a formula."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    ws = wb.create_sheet(title)
    widths = [len(h) for h in headers]
    for row in rows:
        for j, value in enumerate(row):
            if value is not None:
                widths[j] = max(widths[j], 10 if isinstance(value, (dt.date, float)) else len(str(value)))
    for j, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(w + 2, 8), 60)
    ws.freeze_panes = f"{get_column_letter(frozen_cols + 1)}2"
    if filters:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    bold = Font(bold=True)

    def cell(value, fmt=None, font=None):
        if fmt is None and font is None and not (isinstance(value, str) and value.startswith("=")):
            return value  # a plain value: openpyxl makes the cell (faster for big sheets)
        c = WriteOnlyCell(ws, value=value)
        if isinstance(value, str):
            c.data_type = "s"  # never a formula, whatever the case data starts with
        if fmt:
            c.number_format = fmt
        if font:
            c.font = font
        return c

    ws.append([cell(h, font=bold) for h in headers])
    for i, row in enumerate(rows, start=1):
        font = bold if i - 1 in bold_rows else None  # bold_rows: indexes into rows (totals, headings)
        ws.append([cell(v, formats.get(j) or ("yyyy-mm-dd" if isinstance(v, dt.date) else None), font)
                   for j, v in enumerate(row)])
        if advance is not None and i % 1000 == 0:
            advance(1000)


@dataclass
class About:
    """What the workbook's front sheet states besides the numbers: the inputs and the rules."""

    inputs: list[str] = field(default_factory=list)
    rules: list = field(default_factory=list)  # casecheck.model.Rule
    n_cases: int | None = None
    not_applied: list = field(default_factory=list)  # replay.judged.NotApplied: rules that judged no case


def _about_rows(findings: list[Finding], by: list[tuple[str, ...]], as_at: dt.date, about: About) -> list[list]:
    counts = count(findings)
    rows = [["As at", as_at],
            ["Made on", dt.date.today()],
            ["Cases", about.n_cases],
            ["Findings", counts.findings],
            ["Breaches", counts.breaches],
            ["Warnings", counts.warnings],
            ["Excused", counts.excused],
            ["Inputs", "; ".join(about.inputs) or "the bundled example cases"],
            ["Rulesets", "; ".join(sorted({r.ruleset.title or r.ruleset.name for r in about.rules}))],
            ["Compliance", COMPLIANCE_NOTE],
            ["Sheets", "; ".join(grouping_name(lv) for lv in by) + "; findings: every finding with its evidence "
                       "and citation"],
            [None, None]]
    if about.not_applied:
        rows.append([judged.HEADING, judged.NONE_APPLIED if len(about.not_applied) == len(about.rules) else None])
        for why, who in judged.grouped(about.not_applied, about.rules):
            rows += [[w, why] for w in who]
        rows.append([None, None])
    rows.append(["Rules", None])
    return rows


def write_xlsx(path, findings: list[Finding], by: list[tuple[str, ...]], as_at: dt.date, advance=None,
               about: About | None = None) -> None:
    """A workbook: a front sheet (as-at date, inputs, rules, how compliance is computed), a sheet
    per grouping with its total row, then one of all findings (advance(n) after each n of them)."""
    from openpyxl import Workbook

    about = about or About(rules=list({id(f.rule): f.rule for f in findings}.values()))
    wb = Workbook(write_only=True)
    used: set[str] = {"about"}
    front = _about_rows(findings, by, as_at, about)
    rule_rows = [[r.id, r.title, r.ruleset.title or r.ruleset.name, r.severity, r.kind, r.cite or None]
                 for r in about.rules]
    _write_sheet(wb, "About", [f"casecheck compliance as at {short_date(as_at)}", "", "", "", "", ""],
                 [row + [None] * 4 for row in front] + [["rule", "title", "ruleset", "severity", "kind", "citation"]]
                 + rule_rows, {}, 0, bold_rows={len(front) - 1, len(front)}, filters=False)
    columns = COUNT_COLUMNS + STAT_COLUMNS
    stat_formats = {"compliance": "0.0%", "median_days_late": "0.0", "p90_days_late": "0.0"}
    for levels in by:
        keys = key_headings(levels)
        rows = []
        for r in table_rows(findings, levels):
            v = r.values()
            cells = []
            for lv, k in zip(levels, r.key):
                cells.append(month_date(k) if lv == "month" and k not in (TOTAL, "") else k)
                if lv == "rule":
                    cells.append(r.title or None)
            rows.append(cells + [rounded(v[c], 4 if c == "compliance" else 1) if c in stat_formats else v[c]
                                 for c in columns])
        formats = {len(keys) + i: stat_formats[c] for i, c in enumerate(columns) if c in stat_formats}
        formats.update({keys.index("month"): "mmm yyyy"} if "month" in keys else {})
        _write_sheet(wb, _sheet_title(levels, used), keys + [HEADINGS.get(c, c) for c in columns], rows, formats,
                     len(levels), bold_rows={len(rows) - 1})
    headers, rows = _findings_rows(findings)
    _write_sheet(wb, "findings", headers, rows, {}, 1, advance)
    wb.properties.title = f"casecheck compliance as at {as_at.isoformat()}"
    wb.save(path)


def _findings_rows(findings: list[Finding]) -> tuple[list[str], list[list]]:
    """Every finding as a row: the CSV fields with case attributes after the case, the citation
    after the title, real dates."""
    attrs: list[str] = []
    for f in findings:
        attrs += [k for k in f.case_attrs if k not in attrs and k not in ("worker", "team")]
    fields = list(CSV_FIELDS)
    fields.insert(fields.index("title") + 1, "cite")
    headers = fields[:1] + attrs + fields[1:]
    rows = []
    for f in findings:
        rec = flat_record(f)
        rec.update({k: f.case_attrs.get(k) for k in attrs})
        rec["cite"] = f.rule.cite
        rec["worker"], rec["team"] = holder(f, "worker"), holder(f, "team")
        rec["trigger_date"], rec["due"] = f.trigger.date, f.due
        rec["actual_date"] = f.actual.date if f.actual is not None else None
        rec["excused"] = f.excused  # a real boolean, not the CSV's text
        rows.append([None if rec[h] == "" else rec[h] for h in headers])
    return headers, rows


