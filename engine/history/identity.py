"""One identity for a finding across runs, used by `check --output DB_URL` (the stored
`finding_key`), `history` and `diff`.

Two findings of two runs are the same finding when their case, rule id, trigger type, trigger
date and the values of the rule's `match` attributes on the trigger event are equal. Repeats of
all of these within one run (two CIN meetings of one case on one day) are told apart by their
order in the run's order (trigger input order breaks ties), counted among the findings given:
every finding of a run written to a database, the breaches alone where `diff` compares two runs
(so that a run written with --all and one without give the same breaches the same identities). The match values have a place in the key (and in casecheck_findings'
trigger_match), but are left out (None) while the replay's fast paths do not carry them.

Due date, status, lateness, worker, title and citation are not part of it: a finding keeps its
identity as the as-at date moves on, when an extension moves its due date, and when a rule's
`within`, title or citation is edited. A rule whose id changed is another rule.
"""

from __future__ import annotations

import json
from typing import Iterable

from ..model import Finding


def match_values(f: Finding) -> dict[str, str] | None:
    """The values of the rule's `match` attributes on the trigger event (None: the rule has none)."""
    if not f.rule.match:
        return None
    return {a: "" if f.trigger.attrs.get(a) is None else str(f.trigger.attrs.get(a)) for a in f.rule.match}


def canonical(value) -> str:
    """JSON text that is the same for equal values: sorted keys, no spaces, UTF-8 kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def base(case: str, rule: str, trigger_type: str, trigger_date: str, match: dict | None) -> tuple:
    """The identity less the repeat number; trigger_date as ISO text."""
    return (case, rule, trigger_type, trigger_date, canonical(match) if match else "")


_LIST = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def key_text(b: tuple, repeat: int) -> str:
    """The identity as stored in casecheck_findings.finding_key."""
    case, rule, ttype, tdate, match = b
    if not match:  # the usual case, and the one on every finding written: no sorting needed
        return _LIST([case, rule, ttype, tdate, None, repeat])
    return canonical([case, rule, ttype, tdate, json.loads(match), repeat])


class Keyer:
    """Numbers repeats within one run. Findings arrive case by case in the run's order; the count
    starts again with each case (per_case), or runs over the whole run (records held in memory,
    in any order)."""

    def __init__(self, per_case: bool = True) -> None:
        self._per_case = per_case
        self._case = None
        self._seen: dict[tuple, int] = {}

    def repeat(self, b: tuple) -> int:
        if self._per_case and b[0] != self._case:
            self._case, self._seen = b[0], {}
        n = self._seen.get(b, 0)
        self._seen[b] = n + 1
        return n

    def finding_key(self, f: Finding) -> tuple[str, dict | None]:
        """(finding_key, match values) of a replayed finding. The match values are not used yet:
        the columnar replay and the worker processes hand findings back without their trigger's
        attributes, so using them where present would give one finding two identities depending
        on how the run was executed. Repeats are told apart by their order instead."""
        b = (f.case, f.rule.id, f.trigger.type, f.trigger.date.isoformat(), "")
        return key_text(b, self.repeat(b)), None

    def record_key(self, r: dict, match: dict | None = None) -> str:
        """The key of a finding record as `check --format json` writes it (or read back from a
        database): its match values where known (match), else none."""
        b = base(str(r["case"]), str(r["rule"]), str(r["trigger"]["type"]), str(r["trigger"]["date"]), match)
        return key_text(b, self.repeat(b))


def record_keys(records: Iterable[dict]) -> list[str]:
    """The identity of each record of one run, in the order given (the run's own order)."""
    keyer = Keyer()
    return [keyer.record_key(r) for r in records]


def unkeyed_base(case: str, rule: str, trigger_type: str, trigger_date: str) -> tuple:
    """What a row written before finding keys existed is joined on: case, rule, trigger type and date."""
    return (case, rule, trigger_type, trigger_date)


def key_parts(key: str) -> tuple:
    """(case, rule, trigger type, trigger date, match values or None, repeat) of a stored key."""
    return tuple(json.loads(key))
