"""A rule's `verification`: whether its citation was read in the law's own text, and where and when.

    verification: {status: verified, where: "legislation.gov.uk, SI 2010/959 reg 33", when: 2026-12-06}

`verified`: the primary text (the Act, regulations or guidance itself) was read and says what the
rule does; `secondary`: only a named secondary source was read (say which in `where`);
`unverified`: neither. Kept apart from `cite`, which names only the source, so a finding's
citation carries no working notes.
"""

from __future__ import annotations

import re

from ..dates import parse_date
from .fields import Bad, suggest

STATUSES = ("verified", "secondary", "unverified")
KEYS = ("status", "where", "when")
EXAMPLE = '{status: verified, where: "legislation.gov.uk, SI 2010/959 reg 33", when: 2026-12-06}'

# Working notes that do not belong in a citation users read: our reliability marks (V1, V2, (M)),
# "not verified", the design contract (SPEC, §) and internal reference notes (reference/....md).
MARKS = re.compile(r"\bV[0-9]\b|\(M\)|\bM\)|(?i:not verified)|\bSPEC\b|§|reference/|\b[\w-]+\.md\b")


def verification(value) -> dict:
    """The `verification` mapping, checked: status one of STATUSES; `where` text; `when` a date."""
    if not isinstance(value, dict):
        raise Bad("verification", f"`verification` must be a mapping like {EXAMPLE}")
    unknown = [k for k in value if k not in KEYS]
    if unknown:
        raise Bad("verification", f"`verification` has unknown key {unknown[0]!r}{suggest(unknown[0], KEYS)}")
    status = value.get("status")
    if status not in STATUSES:
        raise Bad("verification", f"`verification.status` must be one of {', '.join(STATUSES)}, got {status!r}"
                                   + (suggest(status, STATUSES) if isinstance(status, str) else ""))
    out = {"status": status}
    where = value.get("where")
    if where is not None:
        if not isinstance(where, str) or not where.strip():
            raise Bad("verification", "`verification.where` must say what was read (text)")
        out["where"] = " ".join(where.split())
    elif status != "unverified":
        raise Bad("verification", f"`verification.where` must say what was read, for a {status} citation")
    when = value.get("when")
    if when is not None:
        try:
            out["when"] = parse_date(when)
        except ValueError as e:
            raise Bad("verification", f"`verification.when`: {e}") from None
    elif status != "unverified":
        raise Bad("verification", f"`verification.when` must give the date it was read, for a {status} citation")
    return out


def marks(text: str) -> list[str]:
    """The working notes found in a citation or source, in order (empty when it is clean)."""
    return [m.group(0) for m in MARKS.finditer(text or "")]


def describe(v: dict | None) -> str:
    """One line for `rules explain` and docs/library.md."""
    if not v:
        return "not recorded."
    words = {"verified": "verified in the primary text", "secondary": "from a secondary source only",
             "unverified": "not verified"}[v["status"]]
    read = ""
    if v.get("where"):
        read += f" ({v['where']}" + (f", read {v['when']}" if v.get("when") else "") + ")"
    return words + read + "."


def as_json(v: dict | None) -> dict | None:
    if not v:
        return None
    return {k: (x.isoformat() if hasattr(x, "isoformat") else x) for k, x in v.items()}
