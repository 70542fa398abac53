"""Databases for the tests: SQLite files, and a throwaway PostgreSQL server the tests start.

The PostgreSQL server comes from the `pgserver` wheel (PostgreSQL's own binaries, packaged for
pip), so `pip install '.[test]' && pytest` runs these tests on a fresh machine with nothing else
installed. One server for the whole session, a fresh database for each test, the server stopped
and its data folder deleted at the end.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import uuid
import warnings
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

BACKENDS = ["sqlite", "postgresql"]
# The rule the command-line tests judge with: the bundled minutes standard is scoped to York's cases.
MINUTES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "rules", "minutes.yaml")


@dataclass
class Backend:
    name: str
    url: str  # what casecheck is given
    engine: sa.Engine  # a writable engine, for the test to fill the database

    def load(self, table: sa.Table, rows: list[dict]) -> None:
        with self.engine.begin() as conn:
            table.metadata.create_all(conn, tables=[table])
            if rows:
                conn.execute(table.insert(), rows)

    def execute(self, *statements: str) -> None:
        with self.engine.begin() as conn:
            for s in statements:
                conn.exec_driver_sql(s)


@pytest.fixture(scope="session")
def pg_server():
    # Its own folder, not pytest's tmp_path: pytest deletes old tmp_path folders of other runs
    # by the same user, which would pull the data folder from under a running server.
    pgdata = tempfile.mkdtemp(prefix="casecheck-test-pg-")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: no XDG_RUNTIME_DIR on CI machines
        import pgserver
        server = pgserver.get_server(os.path.join(pgdata, "data"), cleanup_mode="delete")
    try:
        yield server
    finally:
        server.cleanup()
        shutil.rmtree(pgdata, ignore_errors=True)


def pg_database(server) -> str:
    """A fresh, empty database on the test server; its URL (postgresql://, Unix socket)."""
    name = "t_" + uuid.uuid4().hex[:12]
    base = sa.make_url(server.get_uri()).set(drivername="postgresql+psycopg")
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return base.set(drivername="postgresql", database=name).render_as_string(hide_password=False)


@pytest.fixture(params=BACKENDS)
def backend(request, tmp_path):
    if request.param == "sqlite":
        path = tmp_path / "cases.db"
        engine = sa.create_engine(f"sqlite:///{path}", poolclass=sa.pool.NullPool)
        url = f"sqlite:///{path}"
    else:
        url = pg_database(request.getfixturevalue("pg_server"))
        engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"), poolclass=sa.pool.NullPool)
    yield Backend(request.param, url, engine)
    engine.dispose()


def sqlite_url(path) -> str:
    return f"sqlite:///{os.fspath(path)}"
