"""What reading a database's tables shares, for its events table (inputs.database) and for the
Standard Safeguarding Dataset's tables (inputs.ssd): the ordered select both build, and the
columns of a table and how their values read.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from .limits import MAX_CELL_CHARS


@dataclass
class Query:
    """A statement whose rows are (case, date, type, source index, key, *attribute columns),
    ordered by case; `sources` names the table and key column of each source index."""

    stmt: object
    attrs: list[list[tuple[str, int, str | None]]]  # per source index: (name, column position, value_kind())
    case_attrs: list[tuple[str, int, str | None]]
    sources: list[tuple[str, str]]
    bad_cases: dict[str, str]  # case id -> why it cannot be checked (found before reading)
    cases_table: str = ""
    order_at: int | None = None  # the --order-by column's position: same-date rows sorted by it


def split_name(table: str) -> tuple[str | None, str]:
    """(schema, name) of `name` or `schema.name` (--events-table reporting.v_timeline)."""
    schema, _, name = table.rpartition(".")
    return schema or None, name


def columns(conn, table: str, name: str) -> dict[str, dict] | None:
    """The columns of a table or view by lower-cased name, or None where there is no such table."""
    insp = sa.inspect(conn)
    schema, table = split_name(table)
    if not (insp.has_table(table, schema=schema) or table in insp.get_view_names(schema=schema)):
        return None
    return {c["name"].lower(): c for c in insp.get_columns(table, schema=schema)}


def value_kind(sql_type) -> str | None:
    """How a column's values read as attributes, beyond inputs.database.attr_text: "date" for DATE,
    DATETIME and TIMESTAMP (the date part), "bool" for BOOLEAN (SQLite gives 0 and 1)."""
    return "date" if isinstance(sql_type, (sa.Date, sa.DateTime)) else "bool" if isinstance(sql_type, sa.Boolean) else None


def capped(db, col, sql_type):
    """The column, text in it cut at MAX_CELL_CHARS + 1 characters by the database itself, so that
    a 50 MB cell is never fetched whole (its length over the limit is still seen, and refused)."""
    n = MAX_CELL_CHARS + 1
    if db.backend == "sqlite":  # any column may hold text: cut text only, keep numbers numbers
        return sa.case((sa.func.typeof(col) == "text", sa.func.substr(col, 1, n)), else_=col)
    if not isinstance(sql_type, sa.String):
        return col
    return (sa.func.substring if db.backend == "mssql" else sa.func.substr)(col, 1, n)
