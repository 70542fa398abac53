"""Rules that judged no case: every loaded rule that gave no finding of any status in a run,
with the reason, worked out from what the run saw.

What a run sees is enough, on every path (case files, CSV logs read as columns, workers):
- which rules gave a finding: those of the findings kept, and those the checkers report having
  left out as not breaches (Out.judged; run_task hands them back with each task);
- the checked cases' scope: for the attributes a rule's `applies_to` names (a council), how
  many cases had each combination of values (Scopes);
- every event type read (the run's TypeCensus).

A rule that judged no case is out of scope (its cases are another council's, or none says which
council it is, as in an event log read without its case table), or its trigger is in no case, or
a council return cannot record its answer (replay.scope.unrecordable), or it is not in force on
the dates that mattered, or the attribute its trigger events need (`where`) is absent.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections import Counter
from dataclasses import dataclass
from typing import Iterable

from ..model import Case, Rule
from ..rules.scope import starts, unrecordable

_OTHER = object()  # a case id no rule's scope names: counted, not kept


class Scopes:
    """How many checked cases had each combination of the attributes rules are scoped by."""

    def __init__(self, rules: Iterable[Rule]):
        rules = list(rules)
        self.keys = tuple(sorted({k for r in rules for k in r.applies_to}))
        # a `case` scope names case ids: only those are kept, not every case id of a big run
        self.named_ids = frozenset(v for r in rules for v in r.applies_to.get("case", ()))
        self.seen: Counter = Counter()
        self.kinds: Counter = Counter()  # council returns' SourceKinds (None: a case file or log)

    def case(self, case_id: str, attrs: dict | None) -> None:
        if not self.keys:
            return
        attrs = attrs or {}
        self.seen[tuple((case_id if case_id in self.named_ids else _OTHER) if k == "case" else attrs.get(k)
                        for k in self.keys)] += 1

    def cases(self, cases: Iterable[Case]) -> "Scopes":
        for c in cases:
            self.case(c.id, c.attrs)
            self.kinds[c.source_kind] += 1
        return self

    def admitted(self, rule: Rule) -> int:
        """The checked cases the rule's `applies_to` admits (rules.scope.admits)."""
        idx = {k: i for i, k in enumerate(self.keys)}
        return sum(n for values, n in self.seen.items()
                   if all(values[idx[k]] in allowed for k, allowed in rule.applies_to.items()))

    def values(self, key: str) -> Counter:
        i = self.keys.index(key)
        out: Counter = Counter()
        for values, n in self.seen.items():
            out[values[i]] += n
        return out


@dataclass(frozen=True)
class NotApplied:
    """One rule that judged no case: as JSON {rule, ruleset, title, reason, cases}."""

    rule: Rule
    reason: str
    cases: int  # the checked cases it could not judge: all of them

    def as_dict(self) -> dict:
        return {"rule": self.rule.id, "ruleset": self.rule.ruleset.name, "title": self.rule.title,
                "reason": self.reason, "cases": self.cases}


def _listed(values) -> str:
    return ", ".join(str(v) for v in sorted(values, key=str))


def reason(rule: Rule, scopes: Scopes, census: Iterable[str], as_at: dt.date, n_cases: int) -> str:
    """Why a rule that gave no finding judged no case, in words."""
    for key, allowed in sorted(rule.applies_to.items()):
        if key == "case" or key not in scopes.keys:
            continue
        seen = scopes.values(key)
        if not any(v in allowed for v in seen):
            wanted = _listed(v for v in allowed if v is not None)
            stated = {v: n for v, n in seen.items() if v is not None}
            if not stated:
                return (f"out of scope: it applies to cases whose {key} is {wanted}, and no case says its {key} "
                        f"(as when an event log is read without its case table): give the case table, or a {key} "
                        "attribute on each case")
            return f"out of scope: it applies to cases whose {key} is {wanted}; these are of {_listed(stated)}"
    if set(rule.applies_to) == {"case"} and not scopes.admitted(rule):
        ids = _listed(rule.applies_to["case"])
        return f"out of scope: it applies only to case {ids}, which is not among the cases checked"
    if rule.applies_to and not scopes.admitted(rule):
        named = "; ".join(f"{k} {_listed(v for v in vals if v is not None)}" for k, vals in sorted(rule.applies_to.items()))
        return f"out of scope: it applies only to cases with {named}, and none was checked"
    lo, hi = rule.in_force
    if lo is not None and lo > as_at:
        return f"not in force: it applies from {lo}, after the as-at date {as_at}"
    types = starts(rule)
    words = " or ".join(sorted(types))
    if not (set(types) & set(census)):
        return f"its trigger ({words}) is in no case"
    kinds = scopes.kinds
    if kinds and None not in kinds and all(unrecordable(rule, k) for k in kinds):
        lacking = " or ".join(sorted(set().union(*(unrecordable(rule, k) for k in kinds))))
        names = " and ".join(sorted(k.name for k in kinds))
        return (f"not judged on a {names}: it cannot record {lacking}, so every finding would be a gap in "
                "the return, not in practice (--judge-unrecordable judges it anyway)")
    if lo is not None or hi is not None or rule.suspended:
        span = f"from {lo}" if hi is None else f"until {hi}" if lo is None else f"from {lo} until {hi}"
        return f"not in force when its deadlines fell due (in force {span})"
    if rule.where:
        need = "; ".join(f"{k}: {_listed(v)}" for k, v in sorted(rule.where.items()))
        return f"a needed attribute is absent: no {words} event carries {need}"
    return f"no case it applies to holds its trigger ({words}) by the as-at date"


def not_applied(rules: list[Rule], judged: set[str], scopes: Scopes, census: Iterable[str], as_at: dt.date,
                n_cases: int) -> list[NotApplied]:
    """Each loaded rule that judged no case (none of its ids in judged), with its reason; none
    when no case was checked (nothing could be judged: the errors say why)."""
    if not n_cases:
        return []
    census = set(census)
    return [NotApplied(r, reason(r, scopes, census, as_at, n_cases), n_cases) for r in rules if r.id not in judged]


def grouped(items: list[NotApplied], rules: list[Rule]) -> list[tuple[str, list[str]]]:
    """(reason, who) for people, each reason once: who are the rules by id and title, except that a
    ruleset whose loaded rules all judged nothing for that reason is named once, by its id and title."""
    loaded = Counter(r.ruleset.name for r in rules)
    by_reason: dict[str, list[NotApplied]] = {}
    for item in items:
        by_reason.setdefault(item.reason, []).append(item)
    out = []
    for why, its in by_reason.items():
        per_set: dict[str, list[NotApplied]] = {}
        for i in its:
            per_set.setdefault(i.rule.ruleset.name, []).append(i)
        who = []
        for name, of_set in per_set.items():
            rs = of_set[0].rule.ruleset
            if len(of_set) > 1 and len(of_set) == loaded[name]:
                who.append(f"ruleset {name}" + (f" ({rs.title})" if rs.title else "") + f": all {len(of_set)} rules")
            else:
                who += [i.rule.id + (f" ({i.rule.title})" if i.rule.title else "") for i in of_set]
        out.append((why, who))
    return out


HEADING = "Rules that judged no case"
NONE_APPLIED = f"No loaded rule applied to any case: each rule's reason is under \"{HEADING}\"."


def text_lines(items: list[NotApplied], rules: list[Rule], width: int = 100) -> list[str]:
    """The text section (no trailing blank line), or [] when every rule judged a case; it opens
    with one sentence when no rule applied at all. Lines fit in `width` columns; ids are never cut."""
    if not items:
        return []
    wrap = textwrap.TextWrapper(width=width, break_long_words=False, break_on_hyphens=False)
    lines = [NONE_APPLIED] if len(items) == len(rules) else []
    lines.append(f"{HEADING}:")
    for why, who in grouped(items, rules):
        wrap.initial_indent, wrap.subsequent_indent = "  ", "    "
        lines += wrap.wrap(why[0].upper() + why[1:] + ":")
        wrap.initial_indent, wrap.subsequent_indent = "    ", "      "
        for w in who:
            lines += wrap.wrap(w)
    return lines
