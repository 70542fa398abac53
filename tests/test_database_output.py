"""`casecheck check --output DATABASE_URL` (SPEC §3): each run appends itself and all its
findings, in one transaction; history.runs reads a run back as SPEC §4 records."""

import datetime as dt
import json

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.history.runs import list_runs, read_run
from casecheck.model import InputProblem
from casecheck.replay import check
from casecheck.views.database import ADDED_FINDING_COLUMNS, write_run
from casecheck.views.findings import CSV_FIELDS
from conftest import make_case, make_rules
from dbfixtures import MINUTES, backend, pg_server  # noqa: F401 (fixtures)

CASES = """\
- case: C-1
  team: North
  events:
    - {date: 2022-02-15, type: cin_meeting, meeting: m1}
    - {date: 2022-04-12, type: minutes_sent, meeting: m1}
    - {date: 2022-03-01, type: worker_allocated, worker: "=HYPERLINK(\\"x\\")", team: North}
- case: C-2
  events:
    - {date: 2022-02-15, type: cin_meeting, meeting: m2}
    - {date: 2022-02-20, type: minutes_sent, meeting: m2}
- case: C-3
  events:
    - {date: 2022-05-20, type: cin_meeting, meeting: m3}
"""


def _json(args):
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, *args, "--format", "json"])
    return json.loads(out.stdout)


def test_each_run_appends_itself_and_all_its_findings(backend, write):
    cases = write("cases.yaml", CASES)
    args = [cases, "--as-at", "2022-06-01", "--all"]
    expected = _json(args)["findings"]  # every field, the citation too
    assert len(expected) == 3
    for _ in range(2):
        out = CliRunner().invoke(main, ["check", "--rules", MINUTES, *args, "--output", backend.url])
        assert out.exit_code == 1, out.output  # exit status as ever: C-1's minutes were late
        assert "3 findings written" in out.output
    runs = list_runs(backend.url)
    assert len(runs) == 2 and runs[0]["run_id"] != runs[1]["run_id"]
    assert runs[1]["as_at"] == dt.date(2022, 6, 1) and runs[1]["cases"] == 3
    assert (runs[1]["findings"], runs[1]["breaches"], runs[1]["input_errors"]) == (3, 1, 0)
    assert runs[1]["inputs"] == cases and runs[1]["all_findings"] is True
    for run in runs:
        assert read_run(backend.url, run["run_id"]) == expected
    assert read_run(backend.url) == expected  # the latest run
    with backend.engine.connect() as conn:
        cols = [c["name"] for c in sa.inspect(conn).get_columns("casecheck_findings")]
        indexed = {tuple(ix["column_names"]) for ix in sa.inspect(conn).get_indexes("casecheck_findings")}
        n = conn.execute(sa.text("SELECT COUNT(*) FROM casecheck_findings")).scalar()
        worker = conn.execute(sa.text("SELECT worker FROM casecheck_findings WHERE \"case\" = 'C-1'")).scalar()
    assert cols == ["run_id", *CSV_FIELDS, *(c for c in ADDED_FINDING_COLUMNS if c not in CSV_FIELDS)]
    assert {("run_id",), ("case",), ("rule",), ("run_id", "status"), ("due",)} <= indexed
    assert n == 6
    assert worker == '=HYPERLINK("x")'  # data, never altered for a database (CSV escapes it)


def test_a_run_that_fails_part_way_leaves_nothing(backend):
    rules = make_rules(dict(id="R-1", kind="response", trigger="referral", expect="contact", within="1 day"))
    findings = check([make_case(("2022-01-01", "referral"), case_id=f"C-{i}") for i in range(5)],
                     rules, dt.date(2022, 3, 1))

    def broken():
        yield from findings[:3]
        raise RuntimeError("the disk is full")
    kw = dict(as_at=dt.date(2022, 3, 1), started_at=dt.datetime(2022, 3, 1, 9), rules=["r.yaml"], inputs=["x"],
              n_cases=5, n_errors=0, all_findings=False)
    write_run(backend.url, iter(findings), **kw)
    with pytest.raises(RuntimeError):
        write_run(backend.url, broken(), **kw)
    assert len(list_runs(backend.url)) == 1
    with backend.engine.connect() as conn:
        assert conn.execute(sa.text("SELECT COUNT(*) FROM casecheck_findings")).scalar() == 5


def test_tables_of_the_same_name_made_by_something_else_are_not_written_to(backend, write):
    backend.execute("CREATE TABLE casecheck_findings (something VARCHAR(10))")
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, write("c.yaml", CASES), "--as-at", "2022-06-01", "-o", backend.url])
    assert out.exit_code == 2
    assert "table casecheck_findings exists without column(s) run_id, case" in out.output
    with backend.engine.connect() as conn:
        assert not sa.inspect(conn).has_table("casecheck_runs")


def test_an_output_database_that_cannot_be_reached_is_exit_2_without_the_password(write):
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, write("c.yaml", CASES), "-o", "postgresql://bi:pa55word@127.0.0.1:9/x"])
    assert out.exit_code == 2
    assert "pa55word" not in out.output
    assert "postgresql://bi:***@127.0.0.1:9/x: cannot write the run to the database; nothing was written" in out.output
    with pytest.raises(InputProblem):
        read_run("sqlite:///" + write("empty.db", ""))


def test_views_say_that_only_check_writes_to_a_database(write, tmp_path):
    cases = write("cases.yaml", CASES)
    for cmd in (["summary"], ["due"], ["convert", "--to", "csv"]):
        out = CliRunner().invoke(main, [*cmd, cases, "-o", f"sqlite:///{tmp_path}/x.db"])
        assert out.exit_code == 2, out.output
        assert "only 'casecheck check' writes to a database" in out.output
    assert not (tmp_path / "x.db").exists()


BULK_RULES = """\
ruleset: bulk
title: rules whose findings fill every column of casecheck_findings
rules:
  - {id: R-STOPS, title: reply, kind: response, trigger: complaint_received, expect: stage1_response,
     within: 10 working days, paused_by: awaiting_complainant, resumed_by: complainant_replied, match: [complaint]}
  - {id: R-EXTEND, title: stage 2, kind: response, trigger: stage2_started, expect: stage2_response,
     within: 25 working days, extend: {by: stage2_extended, to: 65 working days}}
  - {id: R-SUMMARY, title: case summaries, kind: every, expect: case_summary, every: 6 weeks, from: cin_plan_started,
     until: cin_plan_ended}
"""
BULK_CASES = """\
- case: B-1
  team: "=North"
  events:
    - {date: 2022-01-10, type: complaint_received, complaint: c1}
    - {date: 2022-01-12, type: awaiting_complainant, complaint: c1}
    - {date: 2022-02-01, type: complainant_replied, complaint: c1}
    - {date: 2022-03-20, type: stage1_response, complaint: c1}
    - {date: 2022-04-01, type: stage2_started}
    - {date: 2022-04-20, type: stage2_extended}
    - {date: 2022-08-30, type: stage2_response}
- case: "B-2 'quoted'"
  worker: W-1
  events:
    - {date: 2022-01-03, type: cin_plan_started}
    - {date: 2022-01-20, type: case_summary}
    - {date: 2022-04-20, type: case_summary}
    - {date: 2022-05-02, type: complaint_received, complaint: "x\\ty"}
"""
BULK_REGISTER = """\
- {case: B-1, rule: R-EXTEND, trigger: 2022-04-01, reason: "agreed, with the family", approved_by: Head of Service,
   approved_on: 2022-09-01}
"""


def _findings_rows(url: str) -> list[tuple]:
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"), poolclass=sa.pool.NullPool)
    table = sa.Table("casecheck_findings", sa.MetaData(), autoload_with=engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.select(*(c for c in table.columns if c.name != "run_id"))).all()
    engine.dispose()
    return sorted(map(tuple, rows), key=repr)


def test_bulk_insert_writes_the_rows_sqlalchemys_insert_writes(backend, write, monkeypatch):
    """The writer's own bulk insert (executemany of the driver on SQLite, COPY on PostgreSQL), in
    small batches, leaves the same rows, value for value and type for type, as SQLAlchemy's
    insert does, for findings of every status, with clock stops, an extension, an exception, empty
    cells and text a spreadsheet would run."""
    from casecheck.views import database
    rules, cases = write("rules.yaml", BULK_RULES), write("cases.yaml", BULK_CASES)
    register = write("register.yaml", BULK_REGISTER)
    args = ["check", cases, "--rules", rules, "--exceptions", register, "--as-at", "2022-10-01", "--all"]
    monkeypatch.setattr(database, "BATCH", 3)
    urls = {}
    for generic in (True, False):
        monkeypatch.setattr(database, "_GENERIC_INSERT", generic)
        urls[generic] = backend.url if generic else _second_database(backend, write)
        out = CliRunner().invoke(main, [*args, "--output", urls[generic]])
        assert out.exit_code == 1, out.output
    before, after = _findings_rows(urls[True]), _findings_rows(urls[False])
    assert after == before
    assert len(after) > 3  # more than one batch
    text = repr(after)
    for seen in ("2022-01-12..2022-02-01", "stage2_extended", "Head of Service", "=North", "missing", "late", "met"):
        assert seen in text
    assert any(isinstance(v, dt.date) for r in after for v in r)  # dates read back as dates, not text
    assert any(v is True for r in after for v in r) and any(v is False for r in after for v in r)


def _second_database(backend, write) -> str:
    """Another empty database of the same backend."""
    if backend.name == "sqlite":
        return f"sqlite:///{write('second.db', '')}"
    import dbfixtures
    from sqlalchemy.engine import make_url
    server = type("S", (), {"get_uri": lambda self: make_url(backend.url).set(database="postgres")
                            .render_as_string(hide_password=False)})()
    return dbfixtures.pg_database(server)
