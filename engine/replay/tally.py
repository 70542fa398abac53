"""The run's verdict, kept as findings go by: exceptions applied, breaches counted apart.

Every command passes its findings through one Tally (in memory, or as the stream expands them in
the parent process), so an exceptions register is applied in one place and every headline counts
the same way: breaches of `breach`-severity rules, warnings (breaches of `warning`-severity
rules) and excused breaches, never mixed (SPEC §5: excused breaches are counted apart).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator

from ..inputs.exceptions import Register
from ..model import BREACHES, Finding


def kind_of(f: Finding) -> str | None:
    """How a finding counts in a headline: 'breach', 'warning', 'excused', or None (not a breach)."""
    if f.status not in BREACHES:
        return None
    if f.exception is not None:
        return "excused"
    return "breach" if f.rule.severity == "breach" else "warning"


class Tally:
    """Applies a register to each finding and counts it. `breach` is what sets exit status 1."""

    def __init__(self, register: Register | None = None):
        self.register = register if register is not None else Register()
        self.statuses: Counter = Counter()  # every finding seen, by status
        self.breaches: Counter = Counter()  # breaches of breach-severity rules, not excused, by status
        self.kinds: Counter = Counter()  # 'breach', 'warning', 'excused'
        self.missing: Counter = Counter()  # rule id -> `missing` findings (for rules.lint.unanswerable)
        self.missing_cases: Counter = Counter()  # rule id -> cases with one (findings come case by case)
        self._last_missing: dict[str, str] = {}

    def __call__(self, f: Finding) -> Finding:
        self.register.excuse(f)
        self.statuses[f.status] += 1
        kind = kind_of(f)
        if kind is not None:
            self.kinds[kind] += 1
            if kind == "breach":
                self.breaches[f.status] += 1
            if f.status == "missing":
                self.missing[f.rule.id] += 1
                if self._last_missing.get(f.rule.id) != f.case:
                    self._last_missing[f.rule.id] = f.case
                    self.missing_cases[f.rule.id] += 1
        return f

    def over(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """The findings, each excused where the register says so and counted, as they are consumed."""
        return map(self, findings)

    def missing_in_several_cases(self) -> dict[str, int]:
        """Rule id -> `missing` findings, for rules missing in two cases or more: one case without
        an event says what happened on it; several say what the data may not record at all."""
        return {r: n for r, n in self.missing.items() if self.missing_cases[r] >= 2}

    @property
    def breach(self) -> bool:
        return self.kinds["breach"] > 0

    def headline(self) -> str:
        """'12 breaches (10 late, 2 missing), 3 warnings, 2 excused': the three never mixed."""
        n = self.kinds["breach"]
        detail = ", ".join(f"{self.breaches[s]} {s}" for s in BREACHES if self.breaches[s])
        out = f"{n} breach{'es' if n != 1 else ''}" + (f" ({detail})" if detail else "")
        w, e = self.kinds["warning"], self.kinds["excused"]
        return out + f", {w} warning{'s' if w != 1 else ''}, {e} excused"


def counted(findings: Iterable[Finding]) -> Tally:
    """A Tally of findings already judged (any register applied before): for headlines."""
    tally = Tally()
    for f in findings:
        tally(f)
    return tally
