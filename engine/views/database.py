"""Findings written to a database (docs/formats.md, `--output` a database URL): one run at a time.

Each run appends a row to `casecheck_runs` and its findings to `casecheck_findings` (the CSV
output's columns, engine/columns.CSV_FIELDS, plus run_id, the finding's identity across
runs `finding_key`, its trigger's `match` values and the rule's citation), the rules it judged to
`casecheck_run_rules` and the rules that judged no case to `casecheck_rules_not_applied`, in one
transaction: a run that fails part-way leaves nothing behind. The tables and the indices a
dashboard filters on are created on first use. history.runs reads a run back; casecheck.history
reads the runs together.

Migration: tables an earlier casecheck made gain the new columns (nullable, so earlier rows read
NULL and an older casecheck can still append) and the new tables, inside the run's own
transaction; on PostgreSQL their VARCHAR(200) text columns are widened to `text`. No existing row
is changed or dropped. Tables of these names made by something else are refused.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Callable, Iterable

import sqlalchemy as sa

from ..counting import Counts
from ..history import rulerecord
from ..history.identity import Keyer, canonical

from ..model import Finding, InputProblem, Rule
from .findings import CSV_FIELDS, flat_record

RUNS, FINDINGS = "casecheck_runs", "casecheck_findings"
RUN_RULES, NOT_APPLIED = "casecheck_run_rules", "casecheck_rules_not_applied"
# 1: casecheck_runs and casecheck_findings as first written (no column says so);
# 2: finding_key, trigger_match, cite, warnings, schema_version, casecheck_run_rules,
#    casecheck_rules_not_applied; text columns without a length limit.
SCHEMA_VERSION = 2
BATCH = 5000  # findings inserted per statement (per COPY on PostgreSQL)
_GENERIC_INSERT = False  # True: SQLAlchemy's insert on every dialect (the tests compare the two ways)
_DATES = {"trigger_date", "due", "actual_date", "extension_date", "exception_approved_on"}
_INTS = {"days_late", "working_days_late"}
# Columns added after version 1: nullable, so rows an older casecheck appends read NULL.
ADDED_RUN_COLUMNS = ("warnings", "schema_version")
ADDED_FINDING_COLUMNS = ("finding_key", "trigger_match", "cite")


def _column(name: str) -> sa.Column:
    if name in _DATES:
        return sa.Column(name, sa.Date, nullable=name in ("actual_date", "extension_date", "exception_approved_on"))
    if name in _INTS:
        return sa.Column(name, sa.Integer, nullable=False)
    if name == "excused":
        return sa.Column(name, sa.Boolean, nullable=False)
    return sa.Column(name, sa.Text, nullable=True)  # no length limit: a 700-character team kept whole


def schema() -> tuple[sa.MetaData, sa.Table, sa.Table]:
    """The metadata and the tables casecheck_runs and casecheck_findings (the others: tables())."""
    md = sa.MetaData()
    runs = sa.Table(
        RUNS, md,
        sa.Column("run_id", sa.String(36), primary_key=True),
        sa.Column("as_at", sa.Date, nullable=False),
        sa.Column("started_at", sa.DateTime, nullable=False),  # UTC
        sa.Column("finished_at", sa.DateTime, nullable=False),
        sa.Column("rules", sa.Text, nullable=False),  # the rule files and folders, one a line
        sa.Column("inputs", sa.Text, nullable=False),  # the case sources, one a line, passwords hidden
        sa.Column("all_findings", sa.Boolean, nullable=False),  # --all: met and due findings kept too
        sa.Column("cases", sa.Integer, nullable=False),
        sa.Column("findings", sa.Integer, nullable=False),
        sa.Column("breaches", sa.Integer, nullable=False),  # breaches of breach-severity rules, not excused
        sa.Column("excused", sa.Integer, nullable=False),
        sa.Column("input_errors", sa.Integer, nullable=False),
        sa.Column("warnings", sa.Integer, nullable=True),  # breaches of warning-severity rules, not excused
        sa.Column("schema_version", sa.Integer, nullable=True),
    )
    findings = sa.Table(
        FINDINGS, md,
        sa.Column("run_id", sa.String(36), sa.ForeignKey(f"{RUNS}.run_id"), nullable=False),
        *(_column(c) for c in CSV_FIELDS),
        # cite may come with CSV_FIELDS (the CSV's own column); else it is added here
        *(sa.Column(c, sa.Text, nullable=True) for c in ADDED_FINDING_COLUMNS if c not in CSV_FIELDS),
        sa.Index("ix_casecheck_findings_run", "run_id"),
        sa.Index("ix_casecheck_findings_case", "case"),
        sa.Index("ix_casecheck_findings_rule", "rule"),
        sa.Index("ix_casecheck_findings_run_status", "run_id", "status"),
        sa.Index("ix_casecheck_findings_due", "due"),
        # No index of its own on finding_key: a case's rows are found by the case index, and one
        # on (case, finding_key) made writing a run about a third slower (bench/history_writer.py).
    )
    sa.Table(
        RUN_RULES, md,
        sa.Column("run_id", sa.String(36), sa.ForeignKey(f"{RUNS}.run_id"), nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("ruleset", sa.Text, nullable=True),
        sa.Column("title", sa.Text, nullable=True),
        sa.Column("cite", sa.Text, nullable=True),
        sa.Column("severity", sa.Text, nullable=True),
        sa.Column("kind", sa.Text, nullable=True),
        sa.Column("definition", sa.Text, nullable=True),  # the rule as loaded, canonical JSON
        sa.Column("digest", sa.Text, nullable=True),  # SHA-256 of definition
        sa.Index("ix_casecheck_run_rules_run", "run_id"),
    )
    sa.Table(
        NOT_APPLIED, md,
        sa.Column("run_id", sa.String(36), sa.ForeignKey(f"{RUNS}.run_id"), nullable=False),
        sa.Column("rule", sa.Text, nullable=False),
        sa.Column("ruleset", sa.Text, nullable=True),
        sa.Column("reason", sa.Text, nullable=True),
        sa.Column("cases", sa.Integer, nullable=True),  # checked cases the rule could not judge
        sa.Index("ix_casecheck_rules_not_applied_run", "run_id"),
    )
    return md, runs, findings


def tables() -> dict[str, sa.Table]:
    """Every table casecheck writes, by name."""
    md, _, _ = schema()
    return dict(md.tables)


def _row(f: Finding, run_id: str, keyer, columns: tuple[str, ...]) -> tuple:
    """One finding as a row of casecheck_findings, its values in `columns`' order: text, None for
    an empty cell, dates as ISO text (as SQLAlchemy stores them in SQLite, and as COPY reads them;
    _Inserter makes them dates where a dialect needs them), days late as numbers, excused a bool."""
    r = flat_record(f)
    key, match = keyer.finding_key(f)
    r["finding_key"], r["trigger_match"] = key, (canonical(match) if match else None)
    r.setdefault("cite", f.rule.cite)
    r["excused"] = r["excused"] == "true"
    r["run_id"] = run_id
    return tuple(None if (v := r[c]) == "" else v for c in columns)


class _Inserter:
    """Rows of casecheck_findings inserted a batch at a time, inside the run's transaction: on
    SQLite one executemany of the driver's own (SQLAlchemy's per-row parameter handling was half
    the writer's time), on PostgreSQL with psycopg 3 one COPY per batch, elsewhere SQLAlchemy's
    executemany with dates as dates. The rows the database holds are the same every way
    (tests/test_database_output.py compares them)."""

    def __init__(self, conn, table: sa.Table, generic: bool = False) -> None:
        self.conn, self.table = conn, table
        self.columns = tuple(c.name for c in table.columns)
        prep = conn.dialect.identifier_preparer
        self.target = f"{prep.format_table(table)} ({', '.join(prep.format_column(c) for c in table.columns)})"
        raw = conn.connection.driver_connection
        self.how = "generic"
        if not generic and conn.dialect.name == "sqlite":
            self.how, self.raw = "sqlite", raw
            self.sql = f"INSERT INTO {self.target} VALUES ({', '.join('?' * len(self.columns))})"
        elif not generic and conn.dialect.name == "postgresql" and hasattr(raw.cursor(), "copy"):
            self.how, self.raw = "copy", raw

    def __call__(self, rows: list[tuple]) -> None:
        if not rows:
            return
        if self.how == "sqlite":
            self.raw.executemany(self.sql, rows)
        elif self.how == "copy":
            with self.raw.cursor() as cur, cur.copy(f"COPY {self.target} FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            dates = [i for i, c in enumerate(self.columns) if c in _DATES]
            out = []
            for row in rows:
                d = dict(zip(self.columns, row))
                for i in dates:
                    if row[i] is not None:
                        d[self.columns[i]] = dt.date.fromisoformat(row[i])
                out.append(d)
            self.conn.execute(self.table.insert(), out)


def check_existing(conn, db) -> None:
    """Tables of casecheck's names made by something else (lacking a column every casecheck wrote)
    are refused, before anything is read or changed."""
    insp = sa.inspect(conn)
    md, _, _ = schema()
    added = {RUNS: set(ADDED_RUN_COLUMNS), FINDINGS: set(ADDED_FINDING_COLUMNS)}
    for table in md.tables.values():
        if not insp.has_table(table.name):
            continue
        have = {c["name"].lower() for c in insp.get_columns(table.name)}
        foreign = [c.name for c in table.columns if c.name.lower() not in have
                   and c.name not in added.get(table.name, ())]
        if foreign:
            raise InputProblem(db.name, None, f"table {table.name} exists without column(s) "
                                              f"{', '.join(foreign)}; write to another database or drop it")


def _migrate(conn, db) -> None:
    """Bring tables an earlier casecheck made up to this version, inside the run's transaction:
    add the columns added since (nullable), widen PostgreSQL's VARCHAR(200) text columns to text.
    Tables of these names made by something else are refused (check_existing); nothing is changed
    then."""
    check_existing(conn, db)
    insp = sa.inspect(conn)
    md, runs, findings = schema()
    statements = []
    for table in md.tables.values():
        if not insp.has_table(table.name):
            continue
        have = {c["name"].lower(): c for c in insp.get_columns(table.name)}
        missing = [c for c in table.columns if c.name.lower() not in have]
        prep = conn.dialect.identifier_preparer
        for c in missing:
            statements.append(f"ALTER TABLE {prep.format_table(table)} ADD COLUMN {prep.format_column(c)} "
                              f"{c.type.compile(dialect=conn.dialect)}")
        if conn.dialect.name == "postgresql":
            for c in table.columns:
                t = have.get(c.name.lower(), {}).get("type")
                if isinstance(c.type, sa.Text) and isinstance(t, sa.String) and getattr(t, "length", None):
                    statements.append(f"ALTER TABLE {prep.format_table(table)} ALTER COLUMN "
                                      f"{prep.format_column(c)} TYPE text")
    for stmt in statements:
        try:
            with conn.begin_nested():
                conn.exec_driver_sql(stmt)
        except sa.exc.SQLAlchemyError as e:
            raise InputProblem(db.name, None, f"cannot bring the findings tables up to date ({db.clean(e)}); "
                                              f"someone allowed to alter them can run: {'; '.join(statements)}"
                               ) from None


def _not_applied_row(run_id: str, r: dict) -> dict:
    cases = r.get("cases")
    return {"run_id": run_id, "rule": str(r["rule"]), "ruleset": r.get("ruleset"), "reason": r.get("reason"),
            "cases": len(cases) if isinstance(cases, (list, tuple, set)) else cases}


def write_run(url: str, findings: Iterable[Finding], *, as_at: dt.date, started_at: dt.datetime,
              rules: list[str], inputs: list[str], n_cases: int, n_errors: int, all_findings: bool,
              judged_rules: Iterable[Rule] = (),
              rules_not_applied: Iterable[dict] | Callable[[], Iterable[dict]] = ()) -> tuple[str, int]:
    """Append one run and its findings; returns (run_id, findings written). judged_rules: the rules
    the run judged with (casecheck_run_rules); rules_not_applied: one {rule, ruleset, reason, cases}
    a rule that judged no case, or a callable giving them once every finding has been read (only
    then is the list whole). Raises InputProblem (naming the database, password hidden) where it
    cannot be written; then nothing was."""
    from ..inputs.database import Database, item_source
    db = Database(url, read_only=False)
    md, runs, table = schema()
    run_id = str(uuid.uuid4())
    counts = Counts()  # the one counting model: breach, warning and excused never overlap
    keyer = Keyer()
    try:
        with db.engine.begin() as conn:
            _migrate(conn, db)
            md.create_all(conn)  # first use: tables and indices (checkfirst)
            conn.execute(runs.insert().values(
                run_id=run_id, as_at=as_at, started_at=started_at, finished_at=started_at,
                rules="\n".join(rules), inputs="\n".join(item_source(i) if "://" in i else i for i in inputs),
                all_findings=all_findings, cases=n_cases, findings=0, breaches=0, warnings=0, excused=0,
                input_errors=n_errors, schema_version=SCHEMA_VERSION))
            judged = [{"run_id": run_id, **rulerecord.record(r)} for r in judged_rules]
            if judged:
                conn.execute(md.tables[RUN_RULES].insert(), judged)
            insert = _Inserter(conn, table, generic=_GENERIC_INSERT)
            batch = []
            for f in findings:
                counts.add(f)
                batch.append(_row(f, run_id, keyer, insert.columns))
                if len(batch) >= BATCH:
                    insert(batch)
                    batch = []
            insert(batch)
            listed = rules_not_applied() if callable(rules_not_applied) else rules_not_applied
            not_applied = [_not_applied_row(run_id, r) for r in listed]
            if not_applied:
                conn.execute(md.tables[NOT_APPLIED].insert(), not_applied)
            finished = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
            conn.execute(runs.update().where(runs.c.run_id == run_id).values(
                finished_at=finished, findings=counts.findings, breaches=counts.breaches, warnings=counts.warnings,
                excused=counts.excused))
    except sa.exc.SQLAlchemyError as e:
        raise db.problem(e, "cannot write the run to the database; nothing was written") from None
    finally:
        db.engine.dispose()
    return run_id, counts.findings
