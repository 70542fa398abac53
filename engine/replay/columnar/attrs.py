"""Event attributes as columns, shared by the columnar kinds: an attribute's column, and
replay.outcomes.where_ok as an expression."""

from __future__ import annotations

import polars as pl

from ...model import Not, Rule

# The chunk's own columns (frame.py), and the CSV log's: an event attribute of one of these names
# cannot be told apart from them, so rules that test one are left to the replay engine.
OWN = frozenset({"case", "date", "type", "ord", "seq", "run", "pos"})


def attr(ev: pl.DataFrame, name: str) -> pl.Expr:
    """An event attribute's column (null where absent, and everywhere when no event has it)."""
    return pl.col(name) if name in ev.columns else pl.lit(None, dtype=pl.String)


def where(ev: pl.DataFrame, rule: Rule, conditions: dict | None = None) -> pl.Expr:
    """replay.outcomes.where_ok as a column: each named attribute's value among the listed values,
    null (absent) counting where the list holds null; a Not (`{not: ...}`) the opposite.
    conditions: another mapping of the same form (`until_where`) instead of the rule's `where`."""
    ok = pl.lit(True)
    for name, values in (rule.where if conditions is None else conditions).items():
        col = attr(ev, name)
        listed = col.is_in([v for v in values if v is not None]).fill_null(False)
        listed = (listed | col.is_null()) if None in values else listed
        ok &= ~listed if isinstance(values, Not) else listed
    return ok
