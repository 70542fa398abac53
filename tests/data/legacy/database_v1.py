"""casecheck 1.x's findings-database writer, kept as it was so that tests can write a database as an
earlier casecheck did and append with it after a migration. Findings written to a database (SPEC §3, `--output` a database URL): one run at a time.

Each run appends a row to `casecheck_runs` and its findings to `casecheck_findings` (the CSV
output's columns, engine/views/findings.CSV_FIELDS, plus run_id), in one transaction: a run that
fails part-way leaves nothing behind. The tables and the indices a dashboard filters on are
created on first use. inputs.database.read_run reads a run back.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Iterable

import sqlalchemy as sa

from ..model import Finding, InputProblem
from .findings import CSV_FIELDS, flat_record

RUNS, FINDINGS = "casecheck_runs", "casecheck_findings"
BATCH = 1000  # findings inserted per statement
_DATES = {"trigger_date", "due", "actual_date", "extension_date", "exception_approved_on"}
_INTS = {"days_late", "working_days_late"}
_LONG = {"title", "clock_stops", "exception_reason"}


def _column(name: str) -> sa.Column:
    if name in _DATES:
        return sa.Column(name, sa.Date, nullable=name in ("actual_date", "extension_date", "exception_approved_on"))
    if name in _INTS:
        return sa.Column(name, sa.Integer, nullable=False)
    if name == "excused":
        return sa.Column(name, sa.Boolean, nullable=False)
    return sa.Column(name, sa.Text if name in _LONG else sa.String(200), nullable=True)


def schema() -> tuple[sa.MetaData, sa.Table, sa.Table]:
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
    )
    findings = sa.Table(
        FINDINGS, md,
        sa.Column("run_id", sa.String(36), sa.ForeignKey(f"{RUNS}.run_id"), nullable=False),
        *(_column(c) for c in CSV_FIELDS),
        sa.Index("ix_casecheck_findings_run", "run_id"),
        sa.Index("ix_casecheck_findings_case", "case"),
        sa.Index("ix_casecheck_findings_rule", "rule"),
        sa.Index("ix_casecheck_findings_run_status", "run_id", "status"),
        sa.Index("ix_casecheck_findings_due", "due"),
    )
    return md, runs, findings


def _row(f: Finding, run_id: str) -> dict:
    r = flat_record(f)
    for k in _DATES:
        r[k] = dt.date.fromisoformat(r[k]) if r[k] else None
    r["excused"] = r["excused"] == "true"
    r["run_id"] = run_id
    return {k: (None if v == "" else v) for k, v in r.items()}


def _check_existing(conn, db) -> None:
    """Tables of these names made by something else (or an older casecheck) are not written to."""
    insp = sa.inspect(conn)
    _, runs, findings = schema()
    for table in (runs, findings):
        if insp.has_table(table.name):
            have = {c["name"].lower() for c in insp.get_columns(table.name)}
            missing = [c.name for c in table.columns if c.name.lower() not in have]
            if missing:
                raise InputProblem(db.name, None, f"table {table.name} exists without column(s) "
                                                  f"{', '.join(missing)}; write to another database or drop it")


def write_run(url: str, findings: Iterable[Finding], *, as_at: dt.date, started_at: dt.datetime,
              rules: list[str], inputs: list[str], n_cases: int, n_errors: int, all_findings: bool) -> tuple[str, int]:
    """Append one run and its findings; returns (run_id, findings written). Raises InputProblem
    (naming the database, password hidden) where it cannot be written; then nothing was."""
    from ..inputs.database import Database, item_source
    db = Database(url, read_only=False)
    md, runs, table = schema()
    run_id = str(uuid.uuid4())
    counts = {"findings": 0, "breaches": 0, "excused": 0}
    try:
        with db.engine.begin() as conn:
            _check_existing(conn, db)
            md.create_all(conn)  # first use: tables and indices (checkfirst)
            conn.execute(runs.insert().values(
                run_id=run_id, as_at=as_at, started_at=started_at, finished_at=started_at,
                rules="\n".join(rules), inputs="\n".join(item_source(i) if "://" in i else i for i in inputs),
                all_findings=all_findings, cases=n_cases, findings=0, breaches=0, excused=0, input_errors=n_errors))
            batch = []
            for f in findings:
                counts["findings"] += 1
                counts["breaches"] += f.fails_check
                counts["excused"] += f.is_breach and f.excused
                batch.append(_row(f, run_id))
                if len(batch) >= BATCH:
                    conn.execute(table.insert(), batch)
                    batch = []
            if batch:
                conn.execute(table.insert(), batch)
            finished = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
            conn.execute(runs.update().where(runs.c.run_id == run_id).values(finished_at=finished, **counts))
    except sa.exc.SQLAlchemyError as e:
        raise db.problem(e, "cannot write the run to the database; nothing was written") from None
    finally:
        db.engine.dispose()
    return run_id, counts["findings"]
