"""Rules over a chunk of events: the columnar rules done as columns, the rest by the replay engine."""

from __future__ import annotations

import datetime as dt
import heapq
from typing import Iterable, Iterator

import polars as pl

from ...model import WORKER_ALLOCATED, Case, Event, Finding, Rule
from .. import findings_frame
from ..engine import Replayer
from ...rules.scope import admits, starts
from . import every, max_duration, max_total, response
from .holders import attribute
from .outcomes import OUTCOME_SCHEMA, judged

FINDING_SCHEMA = {"case": pl.String, "rule": pl.Int64, "status": pl.String, "t_type": pl.String, "t_ord": pl.Int64,
                  "t_seq": pl.Int64, "due": pl.Int64, "a_type": pl.String, "a_ord": pl.Int64,
                  "days_late": pl.Int64, "wd_late": pl.Int64, "worker": pl.String, "team": pl.String,
                  "x_type": pl.String, "x_ord": pl.Int64,  # x: the extension event (`extend`)
                  "stops": pl.List(pl.Int64),  # clock stops: [from, until, ...] ordinals, 0 still running
                  "note": pl.String}  # Finding.note (`counts_from`, `fallback_trigger`, `by_age`), null for none


# kind -> (does the columnar path express this rule?, its outcomes over a chunk's events, given the
# case attributes: `by_age` reads each case's date of birth)
KINDS = {"response": (response.supports, response.response_outcomes),
         "every": (every.supports, every.every_outcomes),
         "max_duration": (max_duration.supports, max_duration.max_duration_outcomes),
         "max_total": (max_total.supports, max_total.max_total_outcomes)}


def supports(rule: Rule) -> bool:
    """True when the columnar path gives this rule's findings; otherwise the replay engine does."""
    kind = KINDS.get(rule.kind)
    return kind is not None and kind[0](rule)


def check_frame(ev: pl.DataFrame, rules: list[Rule], as_at: dt.date, breaches_only: bool = True,
                case_attrs: dict | None = None) -> list[Finding]:
    """Every finding (or only breaches) for the cases in `ev`, in the findings' order (docs/formats.md): what
    Replayer.check_case gives case by case. ev: frame.py's columns, whole cases."""
    found, handed = compact_findings(ev, rules, as_at, breaches_only, case_attrs or {})
    return list(merged(sort_findings(found, rules), handed, rules, case_attrs or {}))


def compact_findings(ev: pl.DataFrame, rules: list[Rule], as_at: dt.date, breaches_only: bool,
                     case_attrs: dict, judged_ids: set | None = None) -> tuple[pl.DataFrame, list[Finding]]:
    """The findings for the whole cases in `ev`: the columnar rules' as FINDING_SCHEMA columns, in
    no order; the handed-back rules' as the replay engine's Findings, in the findings' order (docs/formats.md)."""
    ev = ev.filter(pl.col("ord") <= as_at.toordinal()).sort("run", "ord", "seq").with_row_index("pos")
    parts = []
    scoped: dict = {}  # applies_to -> the events of the cases it admits (a ruleset's rules share one)
    present = set(ev["type"].unique().to_list())
    for i, r in enumerate(rules):
        # a rule none of whose triggers (fallbacks too) or starts is in the chunk finds nothing in it: not run
        if supports(r) and (starts(r) | r.fallback_trigger) & present:
            out = KINDS[r.kind][1](in_scope(ev, r, case_attrs, scoped), r, as_at.toordinal(), case_attrs)
            parts.append(judged(out, r, i, as_at.toordinal(), breaches_only, judged_ids))
    found = pl.concat(parts) if parts else pl.DataFrame(schema={**OUTCOME_SCHEMA, **FINDING_SCHEMA})
    found = attribute(found, ev, case_attrs).select(*FINDING_SCHEMA)
    handed: list[Finding] = []
    slow = [r for r in rules if not supports(r)]
    if slow:
        replayer = Replayer(slow)
        if judged_ids is not None:
            replayer.judged = judged_ids
        for case in _cases(ev, set(replayer.by_type), case_attrs):
            handed.extend(replayer.check_case(case, as_at, breaches_only))
        handed.sort(key=Finding.sort_key)
    return found, handed


def in_scope(ev: pl.DataFrame, rule: Rule, case_attrs: dict, memo: dict) -> pl.DataFrame:
    """The events of the cases the rule judges (rules.scope.applies: `applies_to` on the case's
    attributes, `case` naming its id; a case without the attribute is judged only where the
    values list null). memo: the answers so far for this chunk, by scope."""
    if not rule.applies_to:
        return ev
    key = tuple(sorted(rule.applies_to.items()))
    if key not in memo:
        ids = ev["case"].unique().to_list()
        memo[key] = ev.filter(pl.col("case").is_in([cid for cid in ids if admits(rule, cid, case_attrs.get(cid, {}))]))
    return memo[key]


def merged(found: pl.DataFrame, handed: list[Finding], rules: list[Rule], case_attrs: dict) -> Iterator[Finding]:
    """Both kinds of findings, in the findings' order (docs/formats.md) (found sorted by sort_findings, handed by sort_key)."""
    ours = expand(found, rules, case_attrs)
    return heapq.merge(ours, handed, key=Finding.sort_key) if handed else ours


def sort_findings(found: pl.DataFrame, rules: list[Rule], stable: bool = False) -> pl.DataFrame:
    """the findings' order (docs/formats.md): case, due date, rule id, trigger date, then the trigger's
    input order. stable: findings equal in all five keep their order."""
    rank = {i: r for r, i in enumerate(sorted(range(len(rules)), key=lambda i: rules[i].id))}
    order = pl.col("rule").replace_strict(rank, return_dtype=pl.Int64).alias("_id")
    return found.with_columns(order).sort("case", "due", "_id", "t_ord", "t_seq", maintain_order=stable).drop("_id")


def expand(found: pl.DataFrame, rules: list[Rule], case_attrs: dict) -> Iterator[Finding]:
    """FINDING_SCHEMA findings as Finding objects, in their order."""
    return findings_frame.expand(findings_frame.from_columnar(found), rules, lambda cid: case_attrs.get(cid, {}))


def _cases(ev: pl.DataFrame, wanted: set, case_attrs: dict) -> Iterable[Case]:
    """The chunk's cases as the replay engine's objects (only events some handed-over rule names),
    for the cases with an event some handed-over rule reacts to: no rule finds anything in a case
    without one (every kind begins at a trigger or start)."""
    attr_cols = [c for c in ev.columns if c not in ("pos", "case", "ord", "type", "seq", "run")]
    reacting = ev.filter(pl.col("type").is_in(list(wanted - {WORKER_ALLOCATED})))["case"].unique().to_list()
    sub = ev.filter(pl.col("type").is_in(list(wanted)) & pl.col("case").is_in(reacting))
    cases = {cid: Case(cid, case_attrs.get(cid, {})) for cid in reacting}
    for row in sub.select("case", "ord", "type", "seq", *attr_cols).iter_rows():
        attrs = {k: v for k, v in zip(attr_cols, row[4:]) if v is not None}
        cases[row[0]].events.append(Event(dt.date.fromordinal(row[1]), row[2], attrs, row[3]))
    return cases.values()


def fails_check(found: pl.DataFrame, handed: list[Finding], rules: list[Rule]) -> bool:
    """Finding.fails_check for any of them: a breach of a breach-severity rule (none is excused
    here: registers are applied after checking)."""
    severe = [i for i, r in enumerate(rules) if r.severity == "breach"]
    return (bool(found.filter(pl.col("status").is_in(["late", "missing"]) & pl.col("rule").is_in(severe)).height)
            or any(f.fails_check for f in handed))
