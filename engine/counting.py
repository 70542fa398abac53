"""The one counting model: how every view and the findings database count findings.

- a *breach*: status late, missing or exceeded, rule severity `breach`, not excused;
- a *warning*: the same with rule severity `warning`;
- *excused*: late, missing or exceeded findings of either severity that an exceptions register
  entry covers.
The three never overlap, and together they are every late, missing and exceeded finding. Every
view (check, summary, report, due, diff, the workbook and the database) counts with this module,
so the same findings give the same three numbers wherever they are shown.

A finding is a casecheck.model.Finding or a finding record as `check --format json` writes it
(a dict with `status`, `severity` and `exception`), read back by `diff`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from .model import BREACHES, STATUSES, Finding

KINDS = ("breach", "warning", "excused")
COLUMNS = {"breach": "breaches", "warning": "warnings", "excused": "excused"}  # a kind's plural, as in totals


def kind_of(f: Finding | dict) -> str | None:
    """How a finding counts: 'breach', 'warning', 'excused', or None (met, due or withdrawn)."""
    if isinstance(f, dict):
        status, severity, excused = f.get("status"), f.get("severity", "breach"), bool(f.get("exception"))
    else:
        status, severity, excused = f.status, f.rule.severity, f.exception is not None
    if status not in BREACHES:
        return None
    if excused:
        return "excused"
    return "breach" if severity == "breach" else "warning"


def plural(n: int, word: str, many: str | None = None) -> str:
    """'1 breach', '3 breaches', '1,296 days'."""
    return f"{n:,} {word if n == 1 else many or word + 's'}"


@dataclass
class Counts:
    """Findings counted: by status, and the breaches, warnings and excused apart."""

    by_status: Counter = field(default_factory=Counter)
    kinds: Counter = field(default_factory=Counter)  # 'breach', 'warning', 'excused'
    breach_statuses: Counter = field(default_factory=Counter)  # the breaches (not warnings) by status

    def add(self, f: Finding | dict) -> str | None:
        """Count one finding; returns its kind (kind_of)."""
        kind = kind_of(f)
        status = f["status"] if isinstance(f, dict) else f.status
        self.by_status[status] += 1
        if kind is not None:
            self.kinds[kind] += 1
            if kind == "breach":
                self.breach_statuses[status] += 1
        return kind

    def update(self, findings: Iterable) -> "Counts":
        for f in findings:
            self.add(f)
        return self

    @property
    def findings(self) -> int:
        return sum(self.by_status.values())

    @property
    def breaches(self) -> int:
        return self.kinds["breach"]

    @property
    def warnings(self) -> int:
        return self.kinds["warning"]

    @property
    def excused(self) -> int:
        return self.kinds["excused"]

    def headline(self) -> str:
        """'18 breaches (6 late, 12 missing), 9 warnings, 0 excused': the three, never mixed."""
        detail = ", ".join(f"{self.breach_statuses[s]:,} {s}" for s in BREACHES if self.breach_statuses[s])
        return (plural(self.breaches, "breach", "breaches") + (f" ({detail})" if detail else "")
                + f", {plural(self.warnings, 'warning')}, {self.excused:,} excused")

    def short(self) -> str:
        """'17 breaches, 1 warning, 0 excused': the headline without the statuses."""
        return (f"{plural(self.breaches, 'breach', 'breaches')}, {plural(self.warnings, 'warning')}, "
                f"{self.excused:,} excused")

    def three(self) -> dict[str, int]:
        """{'breaches': n, 'warnings': n, 'excused': n}."""
        return {COLUMNS[k]: self.kinds[k] for k in KINDS}

    def totals(self, n_cases: int | None = None) -> dict:
        """The JSON `totals` object: cases (when known), findings, the three, and by_status."""
        out = {} if n_cases is None else {"cases": n_cases}
        out.update(findings=self.findings, **self.three(),
                   by_status={s: self.by_status[s] for s in STATUSES})
        return out


def count(findings: Iterable) -> Counts:
    """Counts of findings already judged (any exceptions register applied before)."""
    return Counts().update(findings)
