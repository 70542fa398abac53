"""Every event type met in a run, kept by every reader path (a file, a log, a database, the
columnar reader), so that a type no rule names is warned about (rules.lint.unknown_event_types).
"""

from __future__ import annotations

from typing import Iterable

from ..model import Case


class TypeCensus(dict):
    """Every event type met in a run: type -> [file, line, count], the place being its first one
    (in reading order) that has a line. Kept by every reader path, so a typo never passes silently."""

    def add(self, etype: str, file: str, line: int | None, n: int = 1) -> None:
        entry = self.get(etype)
        if entry is None:
            self[etype] = [file, line, n]
        else:
            entry[2] += n
            if entry[1] is None and line is not None:
                entry[0], entry[1] = file, line

    def add_cases(self, cases: Iterable[Case]) -> None:
        for c in cases:
            for e in c.events:
                self.add(e.type, e.source or c.source, e.line)
