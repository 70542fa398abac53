"""The findings database's schema 2 (finding keys, citations, the rules each run judged, rules
that judged no case, warnings counted apart, text without length limits) and its migration from
the tables an earlier casecheck wrote, on SQLite and PostgreSQL."""

import datetime as dt
import hashlib
import importlib.util
import json
import os

import sqlalchemy as sa

from casecheck.model import ExceptionEntry
from casecheck.replay import check
from casecheck.views.database import write_run
from conftest import make_case, make_rules, run_cli
from dbfixtures import backend, pg_server  # noqa: F401 (fixtures)

LEGACY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "legacy", "database_v1.py")
AS_AT = dt.date(2024, 3, 31)
KW = dict(started_at=dt.datetime(2024, 4, 1, 9), rules=["r.yaml"], inputs=["x"], n_errors=0, all_findings=True)


def _legacy():
    """The writer of casecheck before schema 2, as it was."""
    spec = importlib.util.spec_from_file_location("casecheck.views._database_v1", LEGACY)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _rules():
    return make_rules(
        dict(id="R-BREACH", title="Minutes", cite="Standard 1", kind="response", trigger="meeting",
             expect="minutes", within="4 days"),
        dict(id="R-WARN", title="Visit", cite="Standard 2", severity="warning", kind="response", trigger="meeting",
             expect="visit", within="4 days"))


def _findings(rules, team="North", n=3):
    cases = [make_case(("2024-03-01", "meeting"), ("2024-03-02", "worker_allocated", {"worker": "W-A", "team": team}),
                       case_id=f"C-{i}") for i in range(n)]
    return check(cases, rules, AS_AT)


def _rows(backend, sql):
    with backend.engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(sa.text(sql))]


def test_breaches_warnings_and_excused_are_counted_apart_and_add_up(backend):
    rules = _rules()
    found = _findings(rules)
    found[0].exception = ExceptionEntry("C-0", "R-BREACH", dt.date(2024, 3, 1), "agreed", "HoS", dt.date(2024, 3, 20))
    write_run(backend.url, iter(found), as_at=AS_AT, n_cases=3, **KW)
    [run] = _rows(backend, "SELECT * FROM casecheck_runs")
    assert (run["findings"], run["breaches"], run["warnings"], run["excused"]) == (6, 2, 3, 1)
    assert run["schema_version"] == 2
    rows = _rows(backend, "SELECT status, severity, excused FROM casecheck_findings")
    breach = sum(r["status"] in ("late", "missing", "exceeded") and r["severity"] == "breach" and not r["excused"]
                 for r in rows)
    warning = sum(r["status"] in ("late", "missing", "exceeded") and r["severity"] == "warning"
                  and not r["excused"] for r in rows)
    assert (breach, warning, sum(bool(r["excused"]) for r in rows)) == (2, 3, 1)


def test_each_finding_carries_its_citation_and_each_run_its_rules(backend):
    rules = _rules()
    run_id, _ = write_run(backend.url, iter(_findings(rules)), as_at=AS_AT, n_cases=3, judged_rules=rules,
                          rules_not_applied=[{"rule": "R-YORK", "ruleset": "york", "reason": "out of scope",
                                              "cases": 3}], **KW)
    cites = {(r["rule"], r["cite"]) for r in _rows(backend, "SELECT rule, cite FROM casecheck_findings")}
    assert cites == {("R-BREACH", "Standard 1"), ("R-WARN", "Standard 2")}
    judged = _rows(backend, "SELECT * FROM casecheck_run_rules ORDER BY rule")
    assert [(r["run_id"], r["rule"], r["cite"], r["severity"], r["kind"]) for r in judged] == [
        (run_id, "R-BREACH", "Standard 1", "breach", "response"), (run_id, "R-WARN", "Standard 2", "warning", "response")]
    for r in judged:
        assert r["digest"] == hashlib.sha256(r["definition"].encode()).hexdigest()
        assert json.loads(r["definition"])["within"] == "4 days"
    assert _rows(backend, "SELECT run_id, rule, ruleset, reason, cases FROM casecheck_rules_not_applied") == [
        {"run_id": run_id, "rule": "R-YORK", "ruleset": "york", "reason": "out of scope", "cases": 3}]
    keys = [r["finding_key"] for r in _rows(backend, "SELECT finding_key FROM casecheck_findings")]
    assert len(set(keys)) == 6 and all(json.loads(k)[0].startswith("C-") for k in keys)


def test_a_700_character_team_is_kept_whole(backend):
    team = "T" * 700
    write_run(backend.url, iter(_findings(_rules(), team=team, n=1)), as_at=AS_AT, n_cases=1, **KW)
    assert {r["team"] for r in _rows(backend, "SELECT team FROM casecheck_findings")} == {team}


def _v1_columns(backend, table):
    with backend.engine.connect() as conn:
        return [c["name"] for c in sa.inspect(conn).get_columns(table)]


def test_a_database_an_earlier_casecheck_wrote_is_migrated_by_the_next_run(backend):
    legacy = _legacy()
    rules = _rules()
    legacy.write_run(backend.url, iter(_findings(rules)), as_at=dt.date(2024, 2, 29), n_cases=3, **KW)
    old_cols = _v1_columns(backend, "casecheck_findings")
    cols = ", ".join(f'"{c}"' for c in old_cols)
    before = _rows(backend, f"SELECT {cols} FROM casecheck_findings")
    before_runs = _rows(backend, "SELECT * FROM casecheck_runs")

    write_run(backend.url, iter(_findings(rules)), as_at=AS_AT, n_cases=3, judged_rules=rules, **KW)
    assert {"finding_key", "cite", "trigger_match"} <= set(_v1_columns(backend, "casecheck_findings"))
    assert {"warnings", "schema_version"} <= set(_v1_columns(backend, "casecheck_runs"))
    first = before_runs[0]["run_id"]
    assert _rows(backend, f"SELECT {cols} FROM casecheck_findings WHERE run_id = '{first}'") == before
    assert _rows(backend, f"SELECT finding_key, cite FROM casecheck_findings WHERE run_id = '{first}'") == [
        {"finding_key": None, "cite": None}] * 6
    old_run = _rows(backend, f"SELECT * FROM casecheck_runs WHERE run_id = '{first}'")[0]
    assert {k: old_run[k] for k in before_runs[0]} == before_runs[0] and old_run["warnings"] is None

    # the earlier casecheck still appends to the migrated tables
    legacy.write_run(backend.url, iter(_findings(rules)), as_at=dt.date(2024, 4, 30), n_cases=3, **KW)
    assert len(_rows(backend, "SELECT run_id FROM casecheck_runs")) == 3

    # one history across the three runs: keyless rows join the keyed ones
    out = run_cli("history", backend.url, "--format", "json", "--case", "C-0")
    assert out.exit_code == 0, out.output
    doc = json.loads(out.stdout)
    assert [(e["rule"], e["times_seen"], e["first_seen"]) for e in doc["findings"]] == [
        ("R-BREACH", 3, "2024-02-29"), ("R-WARN", 3, "2024-02-29")]
    # runs without recorded rules cannot say "rule withdrawn"; the cite comes from the later run
    assert {e["cite"] for e in doc["findings"]} == {"Standard 1", "Standard 2"}


def test_earlier_length_limited_text_columns_are_widened(backend):
    _legacy().write_run(backend.url, iter(_findings(_rules(), n=1)), as_at=dt.date(2024, 2, 29), n_cases=1, **KW)
    team = "T" * 700
    write_run(backend.url, iter(_findings(_rules(), team=team, n=1)), as_at=AS_AT, n_cases=1, **KW)
    assert team in {r["team"] for r in _rows(backend, "SELECT team FROM casecheck_findings")}
    if backend.name == "postgresql":
        with backend.engine.connect() as conn:
            kinds = {c["name"]: c["type"] for c in sa.inspect(conn).get_columns("casecheck_findings")}
        assert isinstance(kinds["team"], sa.Text) and isinstance(kinds["worker"], sa.Text)


def test_a_migration_the_login_may_not_make_is_refused_with_the_statement(pg_server):
    from dbfixtures import pg_database
    url = pg_database(pg_server)
    _legacy().write_run(url, iter(_findings(_rules(), n=1)), as_at=dt.date(2024, 2, 29), n_cases=1, **KW)
    admin = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"), poolclass=sa.pool.NullPool)
    with admin.begin() as conn:
        conn.exec_driver_sql("DROP ROLE IF EXISTS appender")
        conn.exec_driver_sql("CREATE ROLE appender LOGIN")
        conn.exec_driver_sql("GRANT SELECT, INSERT, UPDATE ON casecheck_runs, casecheck_findings TO appender")
        conn.exec_driver_sql("GRANT CREATE ON SCHEMA public TO appender")
    admin.dispose()
    limited = sa.make_url(url).set(username="appender", password=None).render_as_string(hide_password=False)
    import pytest
    from casecheck.model import InputProblem
    with pytest.raises(InputProblem) as e:
        write_run(limited, iter(_findings(_rules(), n=1)), as_at=AS_AT, n_cases=1, **KW)
    msg = e.value.error.message
    assert "cannot bring the findings tables up to date" in msg
    assert "ALTER TABLE casecheck_findings ADD COLUMN finding_key TEXT" in msg
    assert "ALTER TABLE casecheck_findings ALTER COLUMN team TYPE text" in msg
    n = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"), poolclass=sa.pool.NullPool)
    with n.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM casecheck_runs")).scalar() == 1  # nothing written
    n.dispose()
