"""A findings database read for its history: the runs in as-at order, the rules each run judged,
and the findings case by case. Only reads: a read-only database file or a read-only PostgreSQL
role is enough, and nothing but the database is needed (no rule or case files).

Runs are taken in as-at order; of two runs with one as-at date the later-started counts and the
other is set aside (named, never read). Findings come a case at a time (one query ordered by
case), so memory holds one case's rows whatever the size of the database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Iterable, Iterator

import sqlalchemy as sa

from ..dates import parse_date
from ..inputs.database import Database
from ..model import BREACHES, InputProblem
from ..views.database import FINDINGS, NOT_APPLIED, RUN_RULES, RUNS, schema, tables

NO_RUNS = "holds no casecheck runs: write some with `casecheck check ... --all --output DB_URL`"
YIELD_PER = 5000
# casecheck_findings columns the history reads; those after FIRST_VERSION may be absent (older tables)
_COLUMNS = ("run_id", "case", "rule", "ruleset", "title", "severity", "status", "trigger_type", "trigger_date",
            "due", "actual_type", "actual_date", "days_late", "worker", "team", "excused",
            "exception_reason", "exception_approved_by", "finding_key", "cite")
_LATER = {"finding_key", "cite"}


@dataclass
class RunInfo:
    run_id: str
    as_at: dt.date
    started_at: dt.datetime
    cases: int
    all_findings: bool
    rules: dict[str, str] | None = None  # rule id -> digest; None: the run recorded no rules

    def as_dict(self) -> dict:
        return {"run_id": self.run_id, "as_at": self.as_at.isoformat(),
                "started_at": self.started_at.isoformat(sep=" ", timespec="seconds"), "cases": self.cases}


@dataclass
class RuleInfo:
    """A rule as the latest run recording it judged it, and the runs where its definition changed."""

    rule: str
    ruleset: str = ""
    title: str = ""
    cite: str = ""
    severity: str = ""
    kind: str = ""
    definition: str = ""
    changed: list[RunInfo] = field(default_factory=list)


def as_date(v) -> dt.date | None:
    """A date as a database gives it back (a date, a datetime, text or NULL), as a date or None."""
    if v in (None, ""):
        return None
    if isinstance(v, dt.datetime):
        return v.date()
    return v if isinstance(v, dt.date) else parse_date(v)


def _datetime(v) -> dt.datetime:
    return v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(str(v))


class History:
    """One findings database opened for reading its history."""

    def __init__(self, url: str):
        self.db = Database(url)
        self.name = self.db.name
        with self.db.connect() as conn:
            try:
                insp = sa.inspect(conn)
                if not insp.has_table(RUNS) or not insp.has_table(FINDINGS):
                    raise InputProblem(self.name, None, NO_RUNS)
                self._columns = {c["name"] for c in insp.get_columns(FINDINGS)}
                self._has_rules = insp.has_table(RUN_RULES)
                self.has_not_applied = insp.has_table(NOT_APPLIED)
                _, runs, _ = schema()
                rows = [dict(r._mapping) for r in conn.execute(
                    sa.select(runs.c.run_id, runs.c.as_at, runs.c.started_at, runs.c.cases, runs.c.all_findings))]
                rule_rows = []
                if self._has_rules:
                    t = tables()[RUN_RULES]
                    rule_rows = [dict(r._mapping) for r in conn.execute(
                        sa.select(t.c.run_id, t.c.rule, t.c.ruleset, t.c.title, t.c.cite, t.c.severity, t.c.kind,
                                  t.c.digest))]
            except sa.exc.SQLAlchemyError as e:
                raise self.db.problem(e, "cannot read the findings tables") from None
        if not rows:
            raise InputProblem(self.name, None, NO_RUNS)
        every = sorted((RunInfo(r["run_id"], as_date(r["as_at"]), _datetime(r["started_at"]), r["cases"],
                                bool(r["all_findings"])) for r in rows),
                       key=lambda r: (r.as_at, r.started_at, r.run_id))
        self.runs: list[RunInfo] = []
        self.set_aside: list[RunInfo] = []
        for i, r in enumerate(every):
            later = i + 1 < len(every) and every[i + 1].as_at == r.as_at
            (self.set_aside if later else self.runs).append(r)
        by_id = {r.run_id: r for r in self.runs}
        self.rules: dict[str, RuleInfo] = {}
        for rr in rule_rows:
            run = by_id.get(rr["run_id"])
            if run is None:
                continue
            if run.rules is None:
                run.rules = {}
            run.rules[rr["rule"]] = rr["digest"] or ""
        for run in self.runs:  # in as-at order: the latest recording of a rule describes it
            for rr in (x for x in rule_rows if x["run_id"] == run.run_id):
                info = self.rules.setdefault(rr["rule"], RuleInfo(rr["rule"]))
                info.ruleset, info.title, info.cite = rr["ruleset"] or "", rr["title"] or "", rr["cite"] or ""
                info.severity, info.kind = rr["severity"] or "", rr["kind"] or ""
        self.rule_changed: dict[str, list[RunInfo]] = {}
        last: dict[str, str] = {}
        for run in self.runs:
            for rule, digest in (run.rules or {}).items():
                if rule in last and last[rule] != digest:
                    self.rule_changed.setdefault(rule, []).append(run)
                last[rule] = digest
        for rule, changed in self.rule_changed.items():
            if rule in self.rules:
                self.rules[rule].changed = changed

    @property
    def latest(self) -> RunInfo:
        return self.runs[-1]

    @property
    def previous(self) -> RunInfo | None:
        return self.runs[-2] if len(self.runs) > 1 else None

    def definition(self, rule: str) -> str:
        """The rule's definition as the latest run recording it loaded it (canonical JSON), or ''."""
        if not self._has_rules:
            return ""
        t = tables()[RUN_RULES]
        ids = [r.run_id for r in reversed(self.runs) if r.rules and rule in r.rules]
        if not ids:
            return ""
        with self.db.connect() as conn:
            try:
                v = conn.execute(sa.select(t.c.definition).where(t.c.run_id == ids[0], t.c.rule == rule)).scalar()
            except sa.exc.SQLAlchemyError as e:
                raise self.db.problem(e, f"cannot read table {RUN_RULES}") from None
        return v or ""

    def names(self, column: str, values) -> list[str]:
        """Those of values some run taken holds in this findings column (one indexed look-up a value
        for case and rule)."""
        _, _, t = schema()
        col = t.c[column]
        ids = [r.run_id for r in self.runs]
        found = []
        with self.db.connect() as conn:
            try:
                for v in values:
                    if conn.execute(sa.select(col).where(col == v, t.c.run_id.in_(ids)).limit(1)).first():
                        found.append(v)
            except sa.exc.SQLAlchemyError as e:
                raise self.db.problem(e, f"cannot read table {FINDINGS}") from None
        return found

    def known(self, column: str) -> list[str]:
        """Every value of a findings column (case, team, worker, rule) in the runs taken."""
        _, _, t = schema()
        col = t.c[column]
        ids = [r.run_id for r in self.runs]
        with self.db.connect() as conn:
            try:
                return sorted({v for (v,) in conn.execute(sa.select(col).where(t.c.run_id.in_(ids)).distinct())
                               if v is not None})
            except sa.exc.SQLAlchemyError as e:
                raise self.db.problem(e, f"cannot read table {FINDINGS}") from None

    def cases(self, cases: Iterable[str] = (), rules: Iterable[str] = ()) -> Iterator[tuple[str, list[dict]]]:
        """(case, its rows in the runs taken) a case at a time, ordered by case; only the given
        cases and rules where some are given."""
        _, _, t = schema()
        cols = [t.c[c] for c in _COLUMNS if c not in _LATER or c in self._columns]
        ids = [r.run_id for r in self.runs]
        stmt = sa.select(*cols).where(t.c.run_id.in_(ids))
        if "finding_key" in self._columns:
            # Only rows a life needs: breaches, rows whose finding was a breach in some run (now met,
            # withdrawn, due), and rows an earlier casecheck wrote without a key. With --all runs
            # most rows are met findings no life needs.
            breach = t.c.status.in_(BREACHES)
            ever = sa.select(t.c.finding_key).where(breach, t.c.run_id.in_(ids), t.c.finding_key.is_not(None))
            stmt = stmt.where(sa.or_(breach, t.c.finding_key.is_(None), t.c.finding_key.in_(ever)))
        cases, rules = list(cases), list(rules)
        if cases:
            stmt = stmt.where(t.c.case.in_(cases))
        if rules:
            stmt = stmt.where(t.c.rule.in_(rules))
        stmt = stmt.order_by(t.c.case)
        with self.db.connect() as conn:
            try:
                result = conn.execution_options(stream_results=True, yield_per=YIELD_PER).execute(stmt)
                names = list(result.keys())
                current, rows = None, []
                for r in result:
                    m = dict(zip(names, r))  # a tenth of the cost of r._mapping
                    if m["case"] != current:
                        if rows:
                            yield current, rows
                        current, rows = m["case"], []
                    rows.append(m)
                if rows:
                    yield current, rows
            except sa.exc.SQLAlchemyError as e:
                raise self.db.problem(e, f"cannot read table {FINDINGS}") from None
