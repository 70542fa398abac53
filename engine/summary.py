"""Compliance per rule over a cohort, for auditors: counts, compliance rate and lateness.

A grouping is a tuple of levels: `rule`, `month` (the month of the due date) or any case
attribute (`team`, `worker`, ...). `rule` is always one level of every grouping.

- owed: findings whose deadline had come by the as-at date (met + late + missing + exceeded);
  `due` (not yet owed) and `withdrawn` findings are counted but are not owed.
- compliance: met / owed, None when nothing was owed.
- median and 90th percentile of days late, over the breaches (late, missing, exceeded), in
  calendar days. Percentiles are by linear interpolation between closest ranks (the "inclusive"
  method: Excel's PERCENTILE.INC, numpy's default): rank p * (n - 1), counting from 0.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, TextIO

from .htmlpage import esc
from .model import BREACHES, STATUSES, Finding
from .report import flat_record

NONE = "(none)"
COUNT_COLUMNS = ("findings", "owed", "met") + BREACHES + ("due", "withdrawn")
STAT_COLUMNS = ("compliance", "median_days_late", "p90_days_late")
HEADINGS = {"findings": "findings", "owed": "owed", "compliance": "compliance",
            "median_days_late": "median days late", "p90_days_late": "90th pct days late"}


def percentile(values: list[float], p: float) -> float | None:
    """The p-th quantile (0 <= p <= 1) by linear interpolation between closest ranks."""
    if not values:
        return None
    xs = sorted(values)
    rank = p * (len(xs) - 1)
    lo = int(rank)
    hi = min(lo + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (rank - lo)


@dataclass
class Row:
    key: tuple[str, ...]
    counts: Counter = field(default_factory=Counter)
    days_late: list[int] = field(default_factory=list)
    title: str = ""

    def add(self, f: Finding) -> None:
        self.counts[f.status] += 1
        if f.status in BREACHES:
            self.days_late.append(f.days_late)

    @property
    def owed(self) -> int:
        return self.counts["met"] + sum(self.counts[s] for s in BREACHES)

    def values(self) -> dict:
        """Every column's value: counts as ints, compliance as a fraction, days as numbers."""
        owed = self.owed
        v = {"findings": sum(self.counts.values()), "owed": owed}
        v.update({s: self.counts[s] for s in STATUSES})
        v["compliance"] = self.counts["met"] / owed if owed else None
        v["median_days_late"] = percentile(self.days_late, 0.5)
        v["p90_days_late"] = percentile(self.days_late, 0.9)
        return v


def groupings(by: Iterable[str]) -> list[tuple[str, ...]]:
    """`rule` alone, then one grouping per --by value (comma-separated levels nest), rule last
    unless placed. `--by rule` adds nothing new."""
    out = [("rule",)]
    for spec in by:
        levels = tuple(p.strip() for p in spec.split(",") if p.strip())
        if not levels:
            continue
        if "rule" not in levels:
            levels += ("rule",)
        if levels not in out:
            out.append(levels)
    return out


def level_value(f: Finding, level: str) -> str:
    if level == "rule":
        return f.rule.id
    if level == "month":
        return f.due.strftime("%Y-%m")
    return f.case_attrs.get(level, NONE)


def summarise(findings: Iterable[Finding], levels: tuple[str, ...]) -> list[Row]:
    rows: dict[tuple, Row] = {}
    for f in findings:
        key = tuple(level_value(f, lv) for lv in levels)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(key, title=f.rule.title if levels == ("rule",) else "")
        row.add(f)
    return [rows[k] for k in sorted(rows)]


def total(findings: Iterable[Finding]) -> Row:
    row = Row(("all",))
    for f in findings:
        row.add(f)
    return row


def grouping_name(levels: tuple[str, ...]) -> str:
    return "by " + ", ".join(levels)


def _fmt(column: str, value) -> str:
    if value is None:
        return ""
    if column == "compliance":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# --- text and csv ---------------------------------------------------------------------------

def write_text(out: TextIO, findings: list[Finding], by: list[tuple[str, ...]], as_at: dt.date, n_cases: int) -> None:
    out.write(f"Compliance as at {as_at}: {n_cases} case{'s' if n_cases != 1 else ''}, "
              f"{len(findings)} findings.\n")
    columns = COUNT_COLUMNS + STAT_COLUMNS
    for levels in by:
        rows = summarise(findings, levels)
        table = [list(levels) + [HEADINGS.get(c, c) for c in columns]]
        for r in rows + [total(findings)]:
            key = list(r.key) if len(r.key) == len(levels) else ["all"] + [""] * (len(levels) - 1)
            v = r.values()
            table.append(key + [_fmt(c, v[c]) for c in columns])
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        out.write(f"\n{grouping_name(levels).capitalize()}\n")
        for j, row in enumerate(table):
            cells = [c.ljust(w) if i < len(levels) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
            out.write("  ".join(cells).rstrip() + "\n")
            if j == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")
    out.write("\nCompliance = met / (met + late + missing + exceeded). Days late are calendar days over the "
              "breaches; percentiles interpolate linearly between ranks (Excel PERCENTILE.INC).\n")


def csv_rows(findings: list[Finding], by: list[tuple[str, ...]]) -> tuple[list[str], list[dict]]:
    levels_all = []
    for levels in by:
        levels_all += [lv for lv in levels if lv not in levels_all]
    fields = ["grouping"] + levels_all + list(COUNT_COLUMNS) + ["compliance_percent", "median_days_late", "p90_days_late"]
    rows = []
    for levels in by:
        for r in summarise(findings, levels):
            v = r.values()
            row = {"grouping": ",".join(levels), **dict(zip(levels, r.key))}
            row.update({c: v[c] for c in COUNT_COLUMNS})
            row["compliance_percent"] = "" if v["compliance"] is None else round(v["compliance"] * 100, 1)
            row["median_days_late"] = "" if v["median_days_late"] is None else v["median_days_late"]
            row["p90_days_late"] = "" if v["p90_days_late"] is None else v["p90_days_late"]
            rows.append(row)
    return fields, rows


def write_csv(out: TextIO, findings: list[Finding], by: list[tuple[str, ...]]) -> None:
    fields, rows = csv_rows(findings, by)
    w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n", restval="")
    w.writeheader()
    w.writerows(rows)


# --- xlsx -----------------------------------------------------------------------------------

def _sheet_title(levels: tuple[str, ...], used: set[str]) -> str:
    base = "by " + "-".join(levels)
    base = "".join("_" if ch in "[]:*?/\\" else ch for ch in base)[:28]
    name, n = base, 2
    while name.lower() in used or name.lower() == "findings":
        name, n = f"{base[:26]}~{n}", n + 1
    used.add(name.lower())
    return name


def _put(ws, row: int, col: int, value, number_format: str | None = None):
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula, whatever the case data starts with
    if number_format:
        cell.number_format = number_format
    return cell


def _finish_sheet(ws, widths: list[int], freeze: str) -> None:
    from openpyxl.utils import get_column_letter

    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 8), 60)
    ws.freeze_panes = freeze
    ws.auto_filter.ref = ws.dimensions


def write_xlsx(path: str, findings: list[Finding], by: list[tuple[str, ...]], as_at: dt.date) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    used: set[str] = set()
    columns = COUNT_COLUMNS + STAT_COLUMNS
    formats = {"compliance": "0.0%", "median_days_late": "0.0", "p90_days_late": "0.0"}
    for levels in by:
        ws = wb.create_sheet(_sheet_title(levels, used))
        headers = list(levels) + (["title"] if levels == ("rule",) else []) + [HEADINGS.get(c, c) for c in columns]
        for j, h in enumerate(headers, start=1):
            _put(ws, 1, j, h).font = bold
        widths = [len(h) for h in headers]
        for i, r in enumerate(summarise(findings, levels), start=2):
            cells = list(r.key) + ([r.title] if levels == ("rule",) else [])
            v = r.values()
            for j, value in enumerate(cells, start=1):
                _put(ws, i, j, value)
                widths[j - 1] = max(widths[j - 1], len(str(value)))
            for j, c in enumerate(columns, start=len(cells) + 1):
                _put(ws, i, j, v[c], formats.get(c))
        _finish_sheet(ws, widths, ws.cell(row=2, column=len(levels) + 1).coordinate)
    _findings_sheet(wb.create_sheet("findings"), findings, bold)
    wb.properties.title = f"casecheck compliance as at {as_at.isoformat()}"
    wb.save(path)


def _findings_sheet(ws, findings: list[Finding], bold) -> None:
    attrs: list[str] = []
    for f in findings:
        attrs += [k for k in f.case_attrs if k not in attrs]
    fields = list(flat_record(findings[0]).keys()) if findings else ["case", "rule", "status"]
    headers = fields[:1] + attrs + fields[1:]
    for j, h in enumerate(headers, start=1):
        _put(ws, 1, j, h).font = bold
    widths = [len(h) for h in headers]
    for i, f in enumerate(findings, start=2):
        rec = flat_record(f)
        rec.update({k: f.case_attrs.get(k) for k in attrs})
        rec["trigger_date"], rec["due"] = f.trigger.date, f.due
        rec["actual_date"] = f.actual.date if f.actual is not None else None
        for j, h in enumerate(headers, start=1):
            value = rec[h]
            value = None if value == "" else value
            _put(ws, i, j, value, "yyyy-mm-dd" if isinstance(value, dt.date) else None)
            widths[j - 1] = max(widths[j - 1], len(str(value)) if value is not None else 0)
    _finish_sheet(ws, widths, "B2")


# --- html -------------------------------------------------------------------------------------

def html_tables(findings: list[Finding], by: list[tuple[str, ...]]) -> str:
    columns = COUNT_COLUMNS + STAT_COLUMNS
    out = []
    for levels in by:
        head = "".join(f"<th scope=\"col\">{esc(lv)}</th>" for lv in levels)
        head += "".join(f"<th scope=\"col\">{esc(HEADINGS.get(c, c))}</th>" for c in columns)
        body = []
        for r in summarise(findings, levels) + [total(findings)]:
            key = list(r.key) if len(r.key) == len(levels) else ["all"] + [""] * (len(levels) - 1)
            title = f" title=\"{esc(r.title)}\"" if r.title else ""
            cells = f"<th scope=\"row\"{title}>{esc(key[0])}</th>" + "".join(f"<td>{esc(k)}</td>" for k in key[1:])
            v = r.values()
            cells += "".join(f"<td class=\"num\">{esc(_fmt(c, v[c]))}</td>" for c in columns)
            body.append(f"<tr>{cells}</tr>")
        out.append(f"<table class=\"summary\"><caption>Compliance {esc(grouping_name(levels))}</caption>"
                   f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return "\n".join(out)
