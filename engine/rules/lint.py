"""`casecheck rules lint`: problems in rule and case files that are not errors, with file and line.

Warnings never stop a check; they point at likely mistakes: an event name outside the
vocabulary (a typo), a rule whose trigger is also its expect, two rules that judge the same
thing, a rule with no citation or no examples.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from ..model import Case, Rule
from .vocabulary import vocabulary


@dataclass(frozen=True)
class LintWarning:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def _unknown(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"unknown event type {name!r}" + (f" (did you mean {close[0]!r}?)" if close else " (not in the vocabulary, docs/events.md)")


def _signature(rule: Rule):
    return (rule.kind, rule.trigger, rule.expect, rule.unless, rule.start, rule.until, rule.within, rule.every,
            rule.first, rule.then, rule.limit, rule.window, rule.match, tuple(sorted(rule.where.items())),
            rule.beginning_with, rule.optional, rule.calendar, rule.extend_by, rule.extend_to, rule.paused_by,
            rule.resumed_by)


def lint_rules(rules: list[Rule]) -> list[LintWarning]:
    known = vocabulary()
    out = []
    seen = {}
    for r in rules:
        for field, types in (("trigger", r.trigger), ("expect", r.expect), ("unless", r.unless),
                             ("from", r.start), ("until", r.until), ("extend.by", r.extend_by),
                             ("paused_by", r.paused_by), ("resumed_by", r.resumed_by)):
            for t in sorted(types - known.keys()):
                out.append(LintWarning(r.file, r.line, f"rule {r.id}: `{field}` names an {_unknown(t, known)}"))
        if r.kind == "response" and r.trigger & r.expect:
            both = ", ".join(sorted(r.trigger & r.expect))
            out.append(LintWarning(r.file, r.line, f"rule {r.id}: {both} is both trigger and expect: each one answers the "
                                                "previous and opens the next; is that meant?"))
        sig = _signature(r)
        if sig in seen:
            first = seen[sig]
            out.append(LintWarning(r.file, r.line, f"rule {r.id} judges exactly what rule {first.id} does "
                                                f"({first.file}:{first.line}): duplicate findings"))
        else:
            seen[sig] = r
        if not r.cite:
            out.append(LintWarning(r.file, r.line, f"rule {r.id} has no `cite`: say where the timescale comes from"))
        if r.title == r.id:
            out.append(LintWarning(r.file, r.line, f"rule {r.id} has no `title`"))
        if not r.examples:
            out.append(LintWarning(r.file, r.line, f"rule {r.id} has no `examples` (one pass and one breach at least)"))
    return out


def lint_cases(cases: list[Case]) -> list[LintWarning]:
    """One warning per unknown event type per file, at its first line, with how often it occurs."""
    known = vocabulary()
    first: dict[tuple[str, str], list] = {}
    for c in cases:
        for e in c.events:
            if e.type not in known:
                entry = first.setdefault((e.source, e.type), [e.line, 0])
                entry[1] += 1
                if e.line is not None and (entry[0] is None or e.line < entry[0]):
                    entry[0] = e.line
    return [LintWarning(file, line, _unknown(etype, known) + (f", {n} times" if n > 1 else ""))
            for (file, etype), (line, n) in sorted(first.items(), key=lambda kv: (kv[0][0], kv[1][0] or 0))]


def unanswerable(rules: list[Rule], cases: list[Case], findings) -> list[str]:
    """Rules reporting `missing` although no case in the run holds any event they expect.

    That happens when the data cannot record the expected event at all (an Annex A workbook has no
    minutes, a census no case summaries): the findings then say what the data lacks, not what
    practice did. Worth a warning, never a change to the findings.
    """
    seen = {e.type for c in cases for e in c.events}
    missing: dict[str, int] = {}
    for f in findings:
        if f.status == "missing":
            missing[f.rule.id] = missing.get(f.rule.id, 0) + 1
    out = []
    for r in rules:
        expected = r.expect if r.kind in ("response", "every") else frozenset()
        if missing.get(r.id) and expected and not (expected & seen):
            out.append(f"rule {r.id}: {missing[r.id]} missing finding{'s' if missing[r.id] != 1 else ''}, but no "
                       f"case holds any {' or '.join(sorted(expected))} event: does the data record them at all?")
    return out
