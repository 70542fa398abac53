"""Compliance per rule over a cohort, for auditors: counts, compliance rate and lateness.

A grouping is a tuple of levels: `rule`, `month` (the month of the due date), `worker` and
`team` (who held the case on the due date: the finding's, else the case attribute) or any other
case attribute. `rule` is one level of every grouping unless asked for overall compliance
(groupings(by, overall=True)), where each group counts every rule's findings together.
Each table ends with a total row over all findings.

- owed: findings whose deadline had come by the as-at date (met + late + missing + exceeded);
  `due` (not yet owed) and `withdrawn` findings are counted but are not owed.
- breaches, warnings, excused: the same breaches (late + missing + exceeded) counted apart, as
  every headline does: of `breach`-severity rules, of `warning`-severity rules, and excused by an
  exceptions register (whatever the rule's severity). They always add up to late + missing + exceeded.
- compliance: met / owed, None when nothing was owed. An excused breach stays owed and not met:
  the deadline was still missed (an excused breach keeps its status: docs/formats.md); the register records that it was
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

import difflib

import click

from .htmlpage import esc, esc_ids
from ..model import BREACHES, STATUSES, Finding
from ..counting import COLUMNS as KIND_COLUMN, count, kind_of
from . import fit
from .findings import spreadsheet_writer
from .wording import holder, plural

NONE = "(none)"
TOTAL = "Total"
FIXED_LEVELS = ("rule", "month", "worker", "team")
KIND_COLUMNS = ("breaches", "warnings", "excused")  # the breaches counted apart (casecheck.counting)
COUNT_COLUMNS = ("findings", "owed", "met") + BREACHES + KIND_COLUMNS + ("due", "withdrawn")
STAT_COLUMNS = ("compliance", "median_days_late", "p90_days_late")
COMPLIANCE_NOTE = ("Compliance = met / (met + late + missing + exceeded): deadlines not yet owed (due) and "
                   "withdrawn ones are not counted; an excused breach stays owed and not met. Late + missing + "
                   "exceeded = breaches (of breach-severity rules) + warnings (of warning-severity rules) + excused "
                   "(in an exceptions register). Days late are calendar days over the breaches; percentiles "
                   "interpolate linearly between ranks (Excel PERCENTILE.INC). Worker and team are who held the "
                   "case on the due date.")
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
            self.counts[KIND_COLUMN[kind]] += 1
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


def groupings(by: Iterable[str], overall: bool = False) -> list[tuple[str, ...]]:
    """`rule` alone, then one grouping per --by value (comma-separated levels nest), rule last
    unless placed, or left out with overall=True. `--by rule` adds nothing new."""
    out = [("rule",)]
    for spec in by:
        levels = tuple(p.strip() for p in spec.split(",") if p.strip())
        if not levels:
            continue
        if "rule" not in levels and not overall:
            levels += ("rule",)
        if levels not in out:
            out.append(levels)
    return out


def check_levels(by: list[tuple[str, ...]], case_attrs: Iterable[dict]) -> None:
    """Reject a level no case has (a typo would put everything in one `(none)` group): a
    click.UsageError naming it, the closest known level, and what is known. case_attrs: the
    cases' attributes (a case's, or each finding's case_attrs)."""
    known = set(FIXED_LEVELS) | {k for attrs in case_attrs for k in attrs}
    for level in sorted({lv for levels in by for lv in levels} - known):
        close = difflib.get_close_matches(level, sorted(known), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise click.UsageError(f"--by {level!r}: no case has that attribute{hint} "
                               f"(known: {', '.join(sorted(known))})")


def level_value(f: Finding, level: str) -> str:
    """A finding's group at one level, as a key that sorts (months as YYYY-MM)."""
    if level == "rule":
        return f.rule.id
    if level == "month":
        return f.due.strftime("%Y-%m")
    if level in ("worker", "team"):
        return holder(f, level) or NONE
    return f.case_attrs.get(level, NONE)


def shown_value(level: str, key: str) -> str:
    """A group key as people read it: months 'Mar 2024'."""
    if level == "month" and key not in (TOTAL, ""):
        return dt.date.fromisoformat(key + "-01").strftime("%b %Y")
    return key


def month_date(key: str) -> dt.date:
    """A month key as a real date, the first of the month (for spreadsheets)."""
    return dt.date.fromisoformat(key + "-01")


def rounded(value: float | None, places: int = 1) -> float | None:
    """A number for people and spreadsheets: no float noise such as 2624.2000000000003."""
    return None if value is None else round(value, places)


def summarise(findings: Iterable[Finding], levels: tuple[str, ...]) -> list[Row]:
    rows: dict[tuple, Row] = {}
    titled = "rule" in levels
    for f in findings:
        key = tuple(level_value(f, lv) for lv in levels)
        row = rows.get(key)
        if row is None:
            row = rows[key] = Row(key, title=f.rule.title if titled else "")
        row.add(f)
    return [rows[k] for k in sorted(rows)]


def total(findings: Iterable[Finding], width: int = 1) -> Row:
    """All findings in one row, its key TOTAL padded to `width` levels."""
    row = Row((TOTAL,) + ("",) * (width - 1))
    for f in findings:
        row.add(f)
    return row


def table_rows(findings: list[Finding], levels: tuple[str, ...]) -> list[Row]:
    """The grouping's rows, then the total: what the text and HTML tables show."""
    return summarise(findings, levels) + [total(findings, len(levels))]


def grouping_name(levels: tuple[str, ...]) -> str:
    name = "by " + ", ".join(levels)
    return name if "rule" in levels else name + " (every rule together)"


def key_headings(levels: tuple[str, ...]) -> list[str]:
    """The group columns, with `title` after `rule`."""
    out = []
    for lv in levels:
        out.append(lv)
        if lv == "rule":
            out.append("title")
    return out


def key_cells(levels: tuple[str, ...], r: Row) -> list[str]:
    out = []
    for lv, k in zip(levels, r.key):
        out.append(shown_value(lv, k))
        if lv == "rule":
            out.append(r.title)
    return out


def _fmt(column: str, value) -> str:
    if value is None:
        return ""
    if column == "compliance":
        return f"{value * 100:.1f}%"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


# --- text and csv ---------------------------------------------------------------------------

TEXT_TITLE_WIDTH = 40  # titles are cut (with …) in text tables (views.fit); csv, xlsx and html carry them whole


def write_text(out: TextIO, findings: list[Finding], by: list[tuple[str, ...]], as_at: dt.date, n_cases: int,
               after: list[str] = ()) -> None:
    """The sentence with the three counts, a table per grouping, how compliance is computed, then
    the lines `after` (the rules that judged no case)."""
    out.write(f"Compliance as at {as_at}: {plural(n_cases, 'case')}, {plural(len(findings), 'finding')}: "
              f"{count(findings).headline()}.\n")
    columns = COUNT_COLUMNS + STAT_COLUMNS
    width = getattr(out, "width", None) or fit.width_for(out)
    for levels in by:
        heads = key_headings(levels)
        rows = [key_cells(levels, r) + [_fmt(c, r.values()[c]) for c in columns]
                for r in table_rows(findings, levels)]
        shorten = heads.index("title") if "title" in heads else None
        lines = fit.table(heads + [HEADINGS.get(c, c) for c in columns], rows, width, keys=len(heads),
                          shorten=shorten, longest=TEXT_TITLE_WIDTH)  # at most `width` columns: panels
        out.write(f"\n{grouping_name(levels).capitalize()}\n" + "".join(line + "\n" for line in lines))
    out.write(f"\n{COMPLIANCE_NOTE}\n")
    if after:
        out.write("\n" + "\n".join(after) + "\n")


def csv_rows(findings: list[Finding], by: list[tuple[str, ...]]) -> tuple[list[str], list[dict]]:
    """One row per group of each grouping, then one total row over all findings: `total` in
    `grouping`, its level columns empty (every grouping's total is the same). Months are
    YYYY-MM; numbers are rounded to 1 decimal place."""
    levels_all = []
    for levels in by:
        levels_all += [lv for lv in levels if lv not in levels_all]
    if "rule" in levels_all:
        levels_all.insert(levels_all.index("rule") + 1, "title")
    fields = ["grouping"] + levels_all + list(COUNT_COLUMNS) + ["compliance_percent", "median_days_late", "p90_days_late"]
    rows = []

    def numbers(r: Row) -> dict:
        v = r.values()
        row = {c: v[c] for c in COUNT_COLUMNS}
        row["compliance_percent"] = "" if v["compliance"] is None else round(v["compliance"] * 100, 1)
        for c in ("median_days_late", "p90_days_late"):
            row[c] = "" if v[c] is None else rounded(v[c])
        return row

    for levels in by:
        for r in summarise(findings, levels):
            row = {"grouping": ",".join(levels), **dict(zip(levels, r.key))}
            if "rule" in levels:
                row["title"] = r.title
            rows.append(row | numbers(r))
    rows.append({"grouping": "total"} | numbers(total(findings)))
    return fields, rows


def write_csv(out: TextIO, findings: list[Finding], by: list[tuple[str, ...]]) -> None:
    fields, rows = csv_rows(findings, by)
    w = spreadsheet_writer(out, fields, restval="")
    w.writeheader()
    w.writerows(rows)


# --- html -------------------------------------------------------------------------------------

def html_tables(findings: list[Finding], by: list[tuple[str, ...]]) -> str:
    """The tables, each cell labelled with its column (data-label) for the narrow screen's cards."""
    columns = COUNT_COLUMNS + STAT_COLUMNS
    out = []
    for levels in by:
        heads = key_headings(levels)
        head = "".join(f"<th scope=\"col\">{esc(k)}</th>" for k in heads)
        head += "".join(f"<th scope=\"col\">{esc(HEADINGS.get(c, c))}</th>" for c in columns)
        body = []
        for r in table_rows(findings, levels):
            keys = key_cells(levels, r)
            cells = f"<th scope=\"row\">{esc_ids(keys[0])}</th>" + "".join(
                f"<td class=\"title\">{esc(k)}</td>" if h == "title"
                else f"<td data-label=\"{esc(h)}\">{esc_ids(k)}</td>"
                for h, k in zip(heads[1:], keys[1:]))
            v = r.values()
            cells += "".join(f"<td class=\"num\" data-label=\"{esc(HEADINGS.get(c, c))}\">{esc(_fmt(c, v[c]))}</td>"
                             for c in columns)
            body.append(f"<tr>{cells}</tr>")
        out.append(f"<table class=\"summary cards\"><caption>Compliance {esc(grouping_name(levels))}</caption>"
                   f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>")
    return "\n".join(out)
