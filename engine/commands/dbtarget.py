"""The `--output` database is checked before any input is read: a missing SQLite folder, a server
that cannot be reached or refuses the login, or tables of casecheck's names in another shape end
the run at once (exit 2), not after the whole input was read."""

from __future__ import annotations

import os
import sys

import click

EXIT_INPUT = 2


def check_output_database(url: str) -> None:
    import sqlalchemy as sa

    from ..inputs.database import Database
    from ..model import InputProblem
    from ..views import database as findings_db
    try:
        db = Database(url, read_only=False)
        if db.backend == "sqlite":
            path = sa.make_url(url).database or ""
            folder = os.path.dirname(os.path.abspath(path))
            if path and not os.path.isdir(folder):
                raise InputProblem(db.name, None, f"the folder {folder} does not exist; nothing was read or written")
        try:
            with db.engine.connect() as conn:
                findings_db.check_existing(conn, db)
        except sa.exc.SQLAlchemyError as e:
            raise db.problem(e, "cannot write the run to the database; nothing was written") from None
        finally:
            db.engine.dispose()
    except InputProblem as p:
        click.echo(f"casecheck: {p.error}", err=True)
        sys.exit(EXIT_INPUT)
