"""Compliance per rule over a cohort, for auditors: counts, compliance rate and lateness.

A grouping is a tuple of levels: `rule`, `month` (the month of the due date) or any case
attribute (`team`, `worker`, ...). `rule` is always one level of every grouping.

- owed: findings whose deadline had come by the as-at date (met + late + missing + exceeded);
  `due` (not yet owed) and `withdrawn` findings are counted but are not owed.
- breaches, warnings, excused: the same breaches (late + missing + exceeded) counted apart, as
  every headline does: of `breach`-severity rules, of `warning`-severity rules, and excused by an
  exceptions register (whatever the rule's severity). They always add up to late + missing + exceeded.
- compliance: met / owed, None when nothing was owed. An excused breach stays owed and not met:
  the deadline was still missed (SPEC §5 keeps its status); the register records that it was
  accepted, which the `excused` column shows beside the rate instead of hiding it inside it.
- median and 90th percentile of days late, over the breaches (late, missing, exceeded), in
  calendar days. Percentiles are by linear interpolation between closest ranks (the "inclusive"
  method: Excel's PERCENTILE.INC, numpy's default): rank p * (n - 1), counting from 0.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable, TextIO

from .htmlpage import esc
from ..model import BREACHES, STATUSES, Finding
from ..replay.tally import counted, kind_of
from .findings import CSV_FIELDS, flat_record, spreadsheet_writer

NONE = "(none)"
_KIND_COLUMN = {"breach": "breaches", "warning": "warnings", "excused": "excused"}
KIND_COLUMNS = ("breaches", "warnings", "excused")  # the breaches counted apart (replay.tally.kind_of)
COUNT_COLUMNS = ("findings", "owed", "met") + BREACHES + KIND_COLUMNS + ("due", "withdrawn")
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
        kind = kind_of(f)
        if kind is not None:
            self.counts[_KIND_COLUMN[kind]] += 1
            self.days_late.append(f.days_late)

    @property
    def owed(self) -> int:
        return self.counts["met"] + sum(self.counts[s] for s in BREACHES)

    def values(self) -> dict:
        """Every column's value: counts as ints, compliance as a fraction, days as numbers."""
        owed = self.owed
        v = {"findings": sum(self.counts[s] for s in STATUSES), "owed": owed}
        v.update({s: self.counts[s] for s in STATUSES + KIND_COLUMNS})
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


def total(findings: Iterable[Finding], width: int = 1) -> Row:
    """All findings in one row, its key "all" padded to `width` levels."""
    row = Row(("all",) + ("",) * (width - 1))
    for f in findings:
        row.add(f)
    return row


def table_rows(findings: list[Finding], levels: tuple[str, ...]) -> list[Row]:
    """The grouping's rows, then the total: what the text and HTML tables show."""
    return summarise(findings, levels) + [total(findings, len(levels))]


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
    tally = counted(findings)
    out.write(f"Compliance as at {as_at}: {n_cases} case{'s' if n_cases != 1 else ''}, "
              f"{len(findings)} finding{'s' if len(findings) != 1 else ''}: {tally.headline()}.\n")
    columns = COUNT_COLUMNS + STAT_COLUMNS
    for levels in by:
        table = [list(levels) + [HEADINGS.get(c, c) for c in columns]]
        for r in table_rows(findings, levels):
            v = r.values()
            table.append(list(r.key) + [_fmt(c, v[c]) for c in columns])
        widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
        out.write(f"\n{grouping_name(levels).capitalize()}\n")
        for j, row in enumerate(table):
            cells = [c.ljust(w) if i < len(levels) else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
            out.write("  ".join(cells).rstrip() + "\n")
            if j == 0:
                out.write("  ".join("-" * w for w in widths) + "\n")
    out.write("\nCompliance = met / (met + late + missing + exceeded); an excused breach stays owed and not met. "
              "Late + missing + exceeded = breaches (of breach-severity rules) + warnings (of warning-severity "
              "rules) + excused (in an exceptions register). Days late are calendar days over all of them; "
              "percentiles interpolate linearly between ranks (Excel PERCENTILE.INC).\n")


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
    w = spreadsheet_writer(out, fields, restval="")
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


def _write_sheet(wb, title: str, headers: list[str], rows: list[list], formats: dict[int, str], frozen_cols: int,
                 advance=None):
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
        ws.append([cell(v, formats.get(j) or ("yyyy-mm-dd" if isinstance(v, dt.date) else None))
                   for j, v in enumerate(row)])
        if advance is not None and i % 1000 == 0:
            advance(1000)


def write_xlsx(path: str, findings: list[Finding], by: list[tuple[str, ...]], as_at: dt.date, advance=None) -> None:
    """A workbook: a sheet per grouping, then one of all findings (advance(n) after each n of them)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    used: set[str] = set()
    columns = COUNT_COLUMNS + STAT_COLUMNS
    stat_formats = {"compliance": "0.0%", "median_days_late": "0.0", "p90_days_late": "0.0"}
    for levels in by:
        titled = levels == ("rule",)
        keys = list(levels) + (["title"] if titled else [])
        rows = []
        for r in summarise(findings, levels):
            v = r.values()
            rows.append(list(r.key) + ([r.title] if titled else []) + [v[c] for c in columns])
        formats = {len(keys) + i: stat_formats[c] for i, c in enumerate(columns) if c in stat_formats}
        _write_sheet(wb, _sheet_title(levels, used), keys + [HEADINGS.get(c, c) for c in columns], rows, formats,
                     len(levels))
    headers, rows = _findings_rows(findings)
    _write_sheet(wb, "findings", headers, rows, {}, 1, advance)
    wb.properties.title = f"casecheck compliance as at {as_at.isoformat()}"
    wb.save(path)


def _findings_rows(findings: list[Finding]) -> tuple[list[str], list[list]]:
    """Every finding as a row: the CSV fields with case attributes after the case, real dates."""
    attrs: list[str] = []
    for f in findings:
        attrs += [k for k in f.case_attrs if k not in attrs]
    fields = list(CSV_FIELDS)
    headers = fields[:1] + attrs + fields[1:]
    rows = []
    for f in findings:
        rec = flat_record(f)
        rec.update({k: f.case_attrs.get(k) for k in attrs})
        rec["trigger_date"], rec["due"] = f.trigger.date, f.due
        rec["actual_date"] = f.actual.date if f.actual is not None else None
        rows.append([None if rec[h] == "" else rec[h] for h in headers])
    return headers, rows


# --- html -------------------------------------------------------------------------------------

def html_tables(findings: list[Finding], by: list[tuple[str, ...]]) -> str:
    columns = COUNT_COLUMNS + STAT_COLUMNS
    out = []
    for levels in by:
        head = "".join(f"<th scope=\"col\">{esc(lv)}</th>" for lv in levels)
        head += "".join(f"<th scope=\"col\">{esc(HEADINGS.get(c, c))}</th>" for c in columns)
        body = []
        for r in table_rows(findings, levels):
            title = f" title=\"{esc(r.title)}\"" if r.title else ""
            cells = f"<th scope=\"row\"{title}>{esc(r.key[0])}</th>" + "".join(f"<td>{esc(k)}</td>" for k in r.key[1:])
            v = r.values()
            cells += "".join(f"<td class=\"num\">{esc(_fmt(c, v[c]))}</td>" for c in columns)
            body.append(f"<tr>{cells}</tr>")
        out.append(f"<table class=\"summary\"><caption>Compliance {esc(grouping_name(levels))}</caption>"
                   f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return "\n".join(out)
