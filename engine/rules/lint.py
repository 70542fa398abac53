"""`casecheck rules lint`: problems in rule and case files that are not errors, with file and line.

Warnings never stop a check; they point at likely mistakes: an event name outside the
vocabulary (a typo), a rule whose trigger is also its expect, two rules that judge the same
thing, a rule with no citation or no examples.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable, Mapping

from ..model import Case, InputError, Rule, plain_quotes
from .scope import applies, starts, unrecordable
from .verification import marks
from .vocabulary import vocabulary


@dataclass(frozen=True)
class LintWarning:
    file: str
    line: int | None
    message: str

    def __post_init__(self):
        object.__setattr__(self, "message", plain_quotes(self.message))

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"


def _unknown(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"unknown event type {name!r}" + (f" (did you mean {close[0]!r}?)" if close else " (not in the vocabulary, docs/events.md)")


def _signature(rule: Rule):
    return (rule.kind, rule.trigger, rule.expect, rule.unless, rule.start, rule.until, rule.within, rule.every,
            rule.first, rule.then, rule.limit, rule.window, rule.match, tuple(sorted(rule.where.items())),
            tuple(sorted(rule.until_where.items())), rule.window_start,
            rule.beginning_with, rule.optional, rule.calendar, rule.extend_by, rule.extend_to, rule.extend_each, rule.paused_by,
            rule.resumed_by, tuple(sorted(rule.applies_to.items())),  # differently scoped rules judge other cases
            rule.fallback_trigger, rule.lift_by, rule.lift_until, rule.counts_from, rule.by_age, rule.switch,
            rule.windows)


def lint_rules(rules: list[Rule]) -> list[LintWarning]:
    known = vocabulary()
    out = []
    seen = {}
    for r in rules:
        for field, types in (("trigger", r.trigger), ("expect", r.expect), ("unless", r.unless),
                             ("from", r.start), ("until", r.until), ("extend.by", r.extend_by),
                             ("paused_by", r.paused_by), ("resumed_by", r.resumed_by),
                             ("fallback_trigger", r.fallback_trigger), ("lift.by", r.lift_by),
                             ("lift.until", r.lift_until), ("counts_from.from", r.counts_from[0]),
                             ("counts_from.until", r.counts_from[1]),
                             ("switch", frozenset().union(*(s.event_types() for s in r.switch)))):
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
        elif marks(r.cite):
            out.append(LintWarning(r.file, r.line, f"rule {r.id}: `cite` carries a working note "
                                   f"({', '.join(repr(m) for m in marks(r.cite))}): a citation names only the "
                                   "source; say how far it was checked in `verification`"))
        if r.title == r.id:
            out.append(LintWarning(r.file, r.line, f"rule {r.id} has no `title`"))
        if not r.examples:
            out.append(LintWarning(r.file, r.line, f"rule {r.id} has no `examples` (one pass and one breach at least)"))
    for rs in {id(r.ruleset): r.ruleset for r in rules}.values():
        if marks(rs.source):
            out.append(LintWarning(rs.file, _source_line(rs.file), f"ruleset {rs.name}: `source` carries a working note "
                                   f"({', '.join(repr(m) for m in marks(rs.source))}): name only the source"))
    return out


def _source_line(file: str) -> int | None:
    """The line of a ruleset's top-level `source:` (the loader keeps no line for it)."""
    try:
        with open(file, encoding="utf-8", errors="replace") as f:
            return next((n for n, text in enumerate(f, 1) if text.startswith(("source:", '"source":'))), None)
    except OSError:
        return None


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


# Event types the rules language itself defines (docs/rules.md), whatever the vocabulary and the loaded rules say.
SPEC_TYPES = frozenset({"worker_allocated"})


def unknown_event_types(census: dict, rules: list[Rule]) -> list[InputError]:
    """A warning per event type that no loaded rule names and the vocabulary does not know (docs/formats.md),
    at one place where it occurs, with how often and the closest known name."""
    named = {t for r in rules for t in r.event_types()}
    known = named | vocabulary().keys() | SPEC_TYPES
    out = []
    for etype in sorted(set(census) - known):
        file, line, n = census[etype]
        out.append(InputError(file, line, f"{_unknown(etype, known)}: no loaded rule names it, so its "
                                          f"{n} event{'s are' if n != 1 else ' is'} ignored"))
    return out


def unanswerable(rules: list[Rule], seen: Iterable[str], missing: Mapping[str, int]) -> list[InputError]:
    """Rules reporting `missing` although no case in the run holds any event they expect.

    seen: every event type in the run; missing: rule id -> its `missing` findings. That happens when
    the data cannot record the expected event at all (an Annex A workbook has no minutes, a census
    no case summaries): the findings then say what the data lacks, not what practice did. Worth a
    warning, never a change to the findings.
    """
    seen = set(seen)
    out = []
    for r in rules:
        expected = r.expect if r.kind in ("response", "every") else frozenset()
        n = missing.get(r.id, 0)
        if n and expected and not (expected & seen):
            out.append(InputError(r.file, r.line, f"rule {r.id}: {n} missing finding{'s' if n != 1 else ''}, but no "
                                                  f"case holds any {' or '.join(sorted(expected))} event: does the "
                                                  "data record them at all?"))
    return out


def unrecordable_notes(rules: list[Rule], cases: list[Case]) -> list[InputError]:
    """One note per rule left out on the cases of a council return that cannot record its answer.

    Only rules the return could start, on cases within the rule's scope, are named (one whose
    trigger the return cannot hold, or that applies to none of its cases, finds nothing anyway).
    Notes are InputError-shaped so they flow into the warnings of a run."""
    by_kind: dict = {}
    for c in cases:
        if c.source_kind is not None:
            by_kind.setdefault(c.source_kind, []).append(c)
    out = []
    for kind, of_kind in by_kind.items():
        for r in rules:
            lacking = unrecordable(r, kind)
            if not lacking or not starts(r) & kind.event_types:
                continue
            n = len(of_kind) if not r.applies_to else sum(applies(r, c) for c in of_kind)
            if n:
                out.append(InputError(of_kind[0].source, None, (
                    f"rule {r.id} not judged on {n} case{'s' if n != 1 else ''} from this {kind.name}: it cannot "
                    f"record {' or '.join(sorted(lacking))}, so every finding would be a gap in the return, not in "
                    "practice (--judge-unrecordable judges it anyway)")))
    return out
