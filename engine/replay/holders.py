"""Who held the case (docs/rules.md): each finding's worker and team as on its due date.

`worker_allocated` events say who holds a case from their date. A finding takes `worker` and
`team` each from the last allocation dated on or before its due date that carries it (same-date
allocations in file order, as the replay sees them), else from the case attribute of that name.
Findings are attributed once the whole timeline has been read: an allocation can come after the
event that judged a finding and still be on or before its due date.
"""

from __future__ import annotations

import bisect

from ..model import Case, Event, Finding

HOLDER_ATTRS = ("worker", "team")


def _text(value) -> str | None:
    return None if value is None else str(value)


def from_case(attrs: dict) -> list[str | None]:
    """[worker, team] as the case attributes give them: for a finding no allocation covers."""
    return [_text(attrs.get(k)) for k in HOLDER_ATTRS]


def attribute(findings: list[Finding], allocations: list[Event], case: Case) -> None:
    """Set worker and team on each finding. `allocations` are in replay order (date, then seq)."""
    fallback = from_case(case.attrs)
    if not allocations:
        for f in findings:
            f.worker, f.team = fallback
        return
    dates = [ev.date for ev in allocations]
    for f in findings:
        upto = bisect.bisect_right(dates, f.due)
        found = list(fallback)
        for i, key in enumerate(HOLDER_ATTRS):
            for ev in reversed(allocations[:upto]):
                value = ev.attrs.get(key)
                if value is not None and value != "":
                    found[i] = _text(value)
                    break
        f.worker, f.team = found
