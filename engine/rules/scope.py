"""Which rules judge which case: a rule's `applies_to` scope, and what the case's source can record.

- `applies_to: {council: City of York Council}` judges only cases whose attribute has one of the
  values; `case` names the case's identifier. A case without the attribute is not judged by a
  scoped rule (a local standard is never applied to a case that does not say it is that council's),
  unless the scope lists `null` among the values.
- A case read from a council return (SourceKind) is not judged by a rule whose expected events the
  return cannot record: every finding would be `missing` for want of a column, not of practice.
"""

from __future__ import annotations

from ..model import Case, Rule, SourceKind


def applies(rule: Rule, case: Case) -> bool:
    """True when the rule's `applies_to` (if any) admits the case."""
    return admits(rule, case.id, case.attrs)


def admits(rule: Rule, case_id: str, attrs: dict) -> bool:
    """applies(), given a case's id and attributes."""
    return all((case_id if k == "case" else attrs.get(k)) in values for k, values in rule.applies_to.items())


def answers_needed(rule: Rule) -> frozenset[str]:
    """The event types that close a rule's obligations: without any of them every one ends a breach.

    `response` and `every` wait for `expect`; `max_duration` and `max_total` for the `until` event
    that ends a period (a period a source cannot close runs on for ever)."""
    if rule.kind in ("response", "every"):
        return rule.expect
    return rule.until


def starts(rule: Rule) -> frozenset[str]:
    return rule.trigger if rule.kind == "response" else rule.start


def unrecordable(rule: Rule, kind: SourceKind) -> frozenset[str]:
    """The expected event types a source of that kind cannot record, when it can record none of them
    (empty when the rule can be judged on it)."""
    needed = answers_needed(rule)
    if not needed or needed & kind.event_types:
        return frozenset()
    return needed


def skipped_rules(rules: list[Rule], case: Case, scoped: list[int], cache: dict) -> frozenset[int]:
    """Indices of the rules that do not judge this case. `scoped` lists the rules with an
    `applies_to`; `cache` keeps the answer for each SourceKind (one per return in a run)."""
    out = frozenset(i for i in scoped if not applies(rules[i], case))
    kind = case.source_kind
    if kind is not None:
        left = cache.get(kind)
        if left is None:
            left = cache[kind] = frozenset(i for i, r in enumerate(rules) if unrecordable(r, kind))
        out |= left
    return out
