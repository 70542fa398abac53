"""The coverage table that opens docs/library.md: every national timescale for a children's case,
with the bundled rules that judge it or "not modelled" and why.

The rows are data kept with the rules (rules/national-timescales.csv: area, duty, law, whose,
rules, verification, note); a row's severity and verification come from the rules it names, so
they cannot fall out of step with the rule files. A row naming no rule gives its own verification
(how far the law was read) and says in its note why nothing judges it.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..inputs import bundled
from ..model import Rule

FILE = "national-timescales.csv"
COLUMNS = ("area", "duty", "law", "whose", "rules", "verification", "note")


def rows(path: Path | None = None) -> list[dict]:
    path = path or bundled.rules_dir() / FILE
    with open(path, encoding="utf-8", newline="") as f:
        return [dict(r) for r in csv.DictReader(f)]


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def table(rules: list[Rule], path: Path | None = None) -> list[str]:
    """Markdown lines: the coverage table, for the rules loaded (a rule named but not loaded is
    shown as not loaded)."""
    by_id = {r.id: r for r in rules}
    out = ["## National timescales and the rules that judge them", "",
           "Every national timescale for a children's case that this library knows of, and which bundled rule",
           f"judges it. Written from `rules/{FILE}`; severity and verification are the named rules' own.", "",
           "| area | duty and timescale | law or guidance | whose duty | bundled rule(s) | severity | verification | note |",
           "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    for row in rows(path):
        ids = row["rules"].split()
        named = [by_id[i] for i in ids if i in by_id]
        if ids:
            shown = ", ".join(f"`{i}`" if i in by_id else f"`{i}` (not loaded)" for i in ids)
            severity = ", ".join(sorted({r.severity for r in named})) or "-"
            verification = ", ".join(sorted({(r.verification or {}).get("status", "not recorded") for r in named})) or "-"
        else:
            shown, severity, verification = "not modelled", "-", row["verification"] or "-"
        out.append("| " + " | ".join(_cell(x) for x in (row["area"], row["duty"], row["law"], row["whose"], shown,
                                                          severity, verification, row["note"])) + " |")
    return out + [""]


def covers_bundled(rules: list[Rule]) -> bool:
    """Is the bundled library among the rules (the table describes it, not a council's own file)?"""
    home = bundled.rules_dir().resolve()
    return any(Path(r.file).resolve().parent == home for r in rules)
