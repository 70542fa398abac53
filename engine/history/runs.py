"""Runs read back from a findings database (`casecheck check --output DATABASE_URL`, docs/formats.md).

For tools that compare runs (`casecheck diff`) and for tests: `list_runs(url)` gives every run,
`read_run(url, run_id)` one run's findings as the finding records docs/formats.md describes, exactly as `--format json`
gave them (but for an excused finding's register file and line, which the table does not keep).
"""

from __future__ import annotations

import sqlalchemy as sa

from ..dates import parse_date
from ..model import InputProblem
from ..inputs.database import Database
from ..views.database import schema  # the tables as views.database writes them


def list_runs(url: str) -> list[dict]:
    """Every run in a findings database, oldest first: casecheck_runs' columns as a dict each."""
    db = Database(url)
    _, runs, _ = schema()
    with db.connect() as conn:
        try:
            return [dict(r._mapping) for r in conn.execute(sa.select(runs).order_by(runs.c.started_at, runs.c.run_id))]
        except sa.exc.SQLAlchemyError as e:
            raise db.problem(e, "cannot read table casecheck_runs") from None


def read_run(url: str, run_id: str | None = None) -> list[dict]:
    """One run's findings (the latest run's where run_id is None) as the finding records docs/formats.md describes, in
    the findings' order (docs/formats.md). Raises InputProblem where the database, its tables or the run cannot be read.
    An excused finding's `exception` has file and line None: the findings table does not keep them."""
    runs = list_runs(url)
    if run_id is None and runs:
        run_id = runs[-1]["run_id"]
    db = Database(url)
    if run_id is None or run_id not in {r["run_id"] for r in runs}:
        raise InputProblem(db.name, None, f"no run {run_id} in table casecheck_runs" if run_id else "holds no runs")
    _, _, table = schema()
    c = table.c
    stmt = sa.select(table).where(c.run_id == run_id)
    with db.connect() as conn:
        try:
            found = [_finding_from_row(r._mapping) for r in conn.execute(stmt)]
        except sa.exc.SQLAlchemyError as e:
            raise db.problem(e, "cannot read table casecheck_findings") from None
    # the findings' order (docs/formats.md), compared as casecheck compares (a database's collation may differ).
    return sorted(found, key=lambda f: (f["case"], f["due"], f["rule"], f["trigger"]["date"]))


def _iso(value) -> str | None:
    return None if value in (None, "") else parse_date(value).isoformat()


def _finding_from_row(r) -> dict:
    """A row of casecheck_findings as the finding record `check --format json` wrote."""
    stops = []
    for part in filter(None, (r["clock_stops"] or "").split("; ")):
        start, _, until = part.partition("..")
        stops.append({"from": start, "until": until or None})
    head = {"case": r["case"], "rule": r["rule"], "ruleset": r["ruleset"], "title": r["title"] or ""}
    head["cite"] = r.get("cite") or ""  # JSON findings carry `cite` beside `title`
    return {
        **head,
        "severity": r["severity"], "status": r["status"],
        "trigger": {"type": r["trigger_type"], "date": _iso(r["trigger_date"])},
        "due": _iso(r["due"]),
        "actual": {"type": r["actual_type"], "date": _iso(r["actual_date"])} if r["actual_type"] else None,
        "days_late": r["days_late"], "working_days_late": r["working_days_late"],
        "worker": r["worker"], "team": r["team"],
        "extension": ({"type": r["extension_type"], "date": _iso(r["extension_date"])}
                      if r["extension_type"] else None),
        "clock_stops": stops,
        "exception": ({"reason": r["exception_reason"] or "", "approved_by": r["exception_approved_by"] or "",
                       "approved_on": _iso(r["exception_approved_on"]), "file": None, "line": None}
                      if r["excused"] else None),
        "note": r.get("note"),  # no column for it yet: a findings database keeps no notes
    }
