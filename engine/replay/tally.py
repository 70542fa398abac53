"""The run's verdict, kept as findings go by: exceptions applied, breaches counted apart.

Every command passes its findings through one Tally (in memory, or as the stream expands them in
the parent process), so an exceptions register is applied in one place and every headline counts
the same way: breaches of `breach`-severity rules, warnings (breaches of `warning`-severity
rules) and excused breaches, never mixed (docs/formats.md: excused breaches are counted apart).
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable, Iterator

from ..counting import Counts
from ..inputs.exceptions import Register
from ..model import Finding


class Tally:
    """Applies a register to each finding and counts it. `breach` is what sets exit status 1."""

    def __init__(self, register: Register | None = None):
        self.register = register if register is not None else Register()
        self.counts = Counts()  # every finding seen (casecheck.counting: the one counting model)
        self.missing: Counter = Counter()  # rule id -> `missing` findings (for rules.lint.unanswerable)
        self.missing_cases: Counter = Counter()  # rule id -> cases with one (findings come case by case)
        self._last_missing: dict[str, str] = {}
        self.judged: set[str] = set()  # ids of the rules with a finding (replay.judged)

    def __call__(self, f: Finding) -> Finding:
        self.register.excuse(f)
        self.judged.add(f.rule.id)
        kind = self.counts.add(f)
        if kind is not None:
            if f.status == "missing":
                self.missing[f.rule.id] += 1
                if self._last_missing.get(f.rule.id) != f.case:
                    self._last_missing[f.rule.id] = f.case
                    self.missing_cases[f.rule.id] += 1
        return f

    def over(self, findings: Iterable[Finding]) -> Iterator[Finding]:
        """The findings, each excused where the register says so and counted, as they are consumed."""
        return map(self, findings)

    def over_frames(self, frames: Iterable, rules: list) -> Iterator:
        """Frames of findings (replay.findings_frame: batches of whole cases), each counted as it
        is consumed, as __call__ counts a finding; only where the register has no entries."""
        from . import findings_frame
        assert not self.register.entries, "a register is applied finding by finding"
        for frame in frames:
            findings_frame.count(frame, rules, self.counts)
            self.judged |= findings_frame.rule_ids(frame, rules)
            n, cases = findings_frame.missing_by_rule(frame, rules)
            self.missing.update(n)
            self.missing_cases.update(cases)
            yield frame

    def missing_in_several_cases(self) -> dict[str, int]:
        """Rule id -> `missing` findings, for rules missing in two cases or more: one case without
        an event says what happened on it; several say what the data may not record at all."""
        return {r: n for r, n in self.missing.items() if self.missing_cases[r] >= 2}

    @property
    def statuses(self) -> Counter:
        return self.counts.by_status

    @property
    def breach(self) -> bool:
        return self.counts.breaches > 0

    def headline(self) -> str:
        """'12 breaches (10 late, 2 missing), 3 warnings, 2 excused': the three never mixed."""
        return self.counts.headline()
