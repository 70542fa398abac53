"""Databases: a busy SQLite database is waited for, inputs are opened read-only and left as they
were, server reads have a statement timeout, and the --output database is checked first."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.inputs import bundled
from dbfixtures import pg_database, pg_server  # noqa: F401 (fixtures)

CASE = bundled.cases_dir() / "york-23-011-844.yaml"


def run(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    return res.exit_code, res.output


def _cli(*args):
    return [sys.executable, "-m", "casecheck", *map(str, args)]


def test_two_runs_appending_while_another_program_holds_the_write_lock_for_10_s_both_succeed(tmp_path):
    db = tmp_path / "findings.db"
    assert run("check", CASE, "--as-at", "2024-10-14", "-o", f"sqlite:///{db}")[0] == 1
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        runs = [subprocess.Popen(_cli("check", CASE, "--as-at", "2024-10-14", "-o", f"sqlite:///{db}"),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
        time.sleep(10)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    results = [p.communicate(timeout=120) for p in runs]
    assert [p.returncode for p in runs] == [1, 1], results
    assert sqlite3.connect(db).execute("SELECT COUNT(*) FROM casecheck_runs").fetchone()[0] == 3


def test_a_database_still_locked_after_the_busy_timeout_is_exit_2_naming_it(tmp_path):
    db = tmp_path / "findings.db"
    (tmp_path / "casecheck.toml").write_text('busy_timeout = "1 second"\n')
    assert run("check", CASE, "--as-at", "2024-10-14", "-o", f"sqlite:///{db}")[0] == 1
    locker = sqlite3.connect(db, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        proc = subprocess.run(_cli("check", CASE, "--as-at", "2024-10-14", "-o", f"sqlite:///{db}"),
                              capture_output=True, text=True, cwd=tmp_path, timeout=120)
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert proc.returncode == 2 and f"sqlite:///{db}" in proc.stderr and "locked" in proc.stderr


def test_a_wal_mode_sqlite_input_is_read_without_leaving_files_and_stays_byte_identical(tmp_path):
    db = tmp_path / "cases.db"
    c = sqlite3.connect(db)
    c.execute("PRAGMA journal_mode=WAL")
    c.execute('CREATE TABLE casecheck_events ("case" TEXT, date TEXT, type TEXT)')
    c.execute("INSERT INTO casecheck_events VALUES ('A', '2024-01-04', 'cin_plan_started')")
    c.commit()
    c.close()
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    code, out = run("check", f"sqlite:///{db}", "--as-at", "2024-06-01")
    assert code == 0 and "1 case checked" in out
    assert sorted(os.listdir(tmp_path)) == ["cases.db"]
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before


@pytest.mark.parametrize("target,expected", [
    ("sqlite:///{tmp}/missing/findings.db", "the folder {tmp}/missing does not exist"),
    ("postgresql://auditor:pw@127.0.0.1:1/db", "postgresql://auditor:***@127.0.0.1:1/db: cannot write the run to the database"),
    ("sqlite:///{tmp}/other.db", "table casecheck_runs exists without column(s)"),
])
def test_a_bad_output_database_is_exit_2_before_any_input_is_read(tmp_path, target, expected, monkeypatch):
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE casecheck_runs (x INTEGER)")
    other.commit()
    other.close()
    from casecheck.inputs import cases as case_reader
    read = []
    monkeypatch.setattr(case_reader, "load_cases", lambda *a, **k: read.append(a) or ([], []))
    code, out = run("check", CASE, "-o", target.format(tmp=tmp_path))
    assert code == 2 and expected.format(tmp=tmp_path) in out
    assert "cases checked" not in out and not read


def test_a_server_read_past_the_statement_timeout_is_exit_2_naming_database_view_and_limit(pg_server):
    url = pg_database(pg_server)
    engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"), poolclass=sa.pool.NullPool)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE VIEW casecheck_events AS SELECT 'A'::text AS \"case\", DATE '2024-01-04' AS date, "
                             "'cin_plan_started'::text AS type FROM pg_sleep(30)")
    engine.dispose()
    started = time.monotonic()
    code, out = run("check", url, "--as-at", "2024-06-01", "--statement-timeout", "1 second")
    assert time.monotonic() - started < 25
    assert code == 2
    assert "table casecheck_events: reading took longer than the statement timeout of 1 second" in out
    assert sa.make_url(url).render_as_string(hide_password=True) in out or "postgresql://" in out


def test_timeouts_read_from_the_settings_file_and_the_command_line(tmp_path, monkeypatch):
    from casecheck.inputs import database
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(database, "TIMEOUTS", {"busy": 60.0, "statement": 300.0})
    (tmp_path / "casecheck.toml").write_text('statement_timeout = "2 minutes"\nbusy_timeout = 5\n')
    run("check", CASE, "--as-at", "2024-10-14")
    assert database.TIMEOUTS == {"busy": 5.0, "statement": 120.0}
    run("check", CASE, "--as-at", "2024-10-14", "--statement-timeout", "30s")
    assert database.TIMEOUTS["statement"] == 30.0


def test_ctrl_c_while_findings_are_written_to_a_database_rolls_the_run_back(tmp_path, monkeypatch):
    from casecheck.views import database as findings_db
    db = tmp_path / "findings.db"
    assert run("check", CASE, "--as-at", "2024-10-14", "-o", f"sqlite:///{db}")[0] == 1
    rows = sqlite3.connect(db).execute("SELECT COUNT(*) FROM casecheck_findings").fetchone()[0]
    real, seen = findings_db._row, []

    def interrupted(*a, **k):
        seen.append(1)
        if len(seen) > 2:
            raise KeyboardInterrupt
        return real(*a, **k)
    monkeypatch.setattr(findings_db, "_row", interrupted)
    code, out = run("check", CASE, "--as-at", "2024-10-14", "-o", f"sqlite:///{db}")
    assert code == 130 and out.strip().splitlines()[-1] == f"casecheck: interrupted; sqlite:///{db} is unchanged"
    c = sqlite3.connect(db)
    assert c.execute("SELECT COUNT(*) FROM casecheck_runs").fetchone()[0] == 1
    assert c.execute("SELECT COUNT(*) FROM casecheck_findings").fetchone()[0] == rows
