"""Case timelines read from databases (SPEC §1) give exactly what the same rows as CSV give.

Every test runs on SQLite and on a real PostgreSQL server the tests start (tests/dbfixtures.py).
"""

import datetime as dt
import json
import random

import pytest
import sqlalchemy as sa
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.cli import main
from casecheck.inputs.cases import load_cases
from casecheck.inputs.database import Database
from casecheck.model import InputProblem
from casecheck.replay.stream import check_paths
from casecheck.views.findings import finding_record
from dbfixtures import MINUTES, backend, pg_server  # noqa: F401 (fixtures)
from test_properties import AS_AT, RULES, START, TYPES

MD = sa.MetaData()
EVENTS = sa.Table("casecheck_events", MD, sa.Column("id", sa.Integer, primary_key=True),
                  sa.Column("case", sa.String(20)), sa.Column("date", sa.Date), sa.Column("type", sa.String(40)),
                  sa.Column("meeting", sa.String(10)))


def _log(seed: int, n_cases: int) -> list[dict]:
    """Rows grouped by case in random case order, with same-day events (their order matters)."""
    rnd = random.Random(seed)
    ids = [f"C-{i:03d}" for i in range(n_cases)]
    rnd.shuffle(ids)
    rows = []
    for cid in ids:
        for _ in range(rnd.randrange(1, 14)):
            rows.append({"case": cid, "date": START + dt.timedelta(days=rnd.randrange(0, 600, 3)),
                         "type": rnd.choice(TYPES), "meeting": rnd.choice([None, "a", "b"])})
    for i, r in enumerate(rows, start=1):
        r["id"] = i
    return rows


def _csv(path, rows) -> str:
    with open(path, "w", encoding="utf-8") as f:
        f.write("id,case,date,type,meeting\n")
        for r in rows:
            f.write(f"{r['id']},{r['case']},{r['date']},{r['type']},{r['meeting'] or ''}\n")
    return str(path)


def _streamed(paths, **kw):
    r = check_paths(paths, RULES, AS_AT, keep_all=True, **kw)
    try:
        return [finding_record(f) for f in r.findings], [str(e) for e in r.errors], r.n_cases, r.breach
    finally:
        r.close()


@pytest.mark.parametrize("workers", [1, 2])
def test_a_database_gives_exactly_the_findings_of_the_same_rows_as_csv(backend, tmp_path, workers):
    rows = _log(seed=7, n_cases=120)
    backend.load(EVENTS, rows)
    csv_path = _csv(tmp_path / "log.csv", rows)
    from_csv = _streamed([csv_path])
    from_db = _streamed([backend.url], workers=workers)
    assert from_csv[2] == from_db[2] == 120
    assert from_db[0] == from_csv[0] and len(from_db[0]) > 100
    assert from_db[1] == from_csv[1] == []
    assert from_db[3] == from_csv[3]
    # The in-memory loader (summary, due, chronology) reads the same timelines.
    cases, errors = load_cases([backend.url])
    csv_cases, _ = load_cases([csv_path])
    assert errors == []
    def replayed(cs):  # in replay order: date, then the input's order
        return [(c.id, [(e.date, e.type, e.attrs) for e in sorted(c.events, key=lambda e: (e.date, e.seq))])
                for c in cs]
    assert replayed(cases) == replayed(csv_cases)


def test_the_command_line_reads_a_database_url(backend, tmp_path):
    rows = [{"id": 1, "case": "C-1", "date": dt.date(2022, 2, 15), "type": "cin_meeting", "meeting": "m1"},
            {"id": 2, "case": "C-1", "date": dt.date(2022, 4, 12), "type": "minutes_sent", "meeting": "m1"},
            {"id": 3, "case": "C-2", "date": dt.date(2022, 2, 15), "type": "cin_meeting", "meeting": "m2"},
            {"id": 4, "case": "C-2", "date": dt.date(2022, 2, 20), "type": "minutes_sent", "meeting": "m2"}]
    backend.load(EVENTS, rows)
    csv_path = _csv(tmp_path / "log.csv", rows)
    args = ["check", "--rules", MINUTES, "--as-at", "2022-06-01", "--format", "json"]
    db = CliRunner().invoke(main, args + [backend.url])
    csv = CliRunner().invoke(main, args + [csv_path])
    assert db.exit_code == csv.exit_code == 1, db.output
    assert json.loads(db.stdout)["findings"] == json.loads(csv.stdout)["findings"]
    assert [f["case"] for f in json.loads(db.stdout)["findings"]] == ["C-1"]


def test_column_types_as_databases_give_them(backend):
    """DATE, TIMESTAMP (its date), ISO text; numbers and booleans as attribute text; NULL absent."""
    md = sa.MetaData()
    t = sa.Table("casecheck_events", md, sa.Column("case", sa.Integer), sa.Column("date", sa.DateTime),
                 sa.Column("type", sa.String(30)), sa.Column("visits", sa.Integer), sa.Column("urgent", sa.Boolean),
                 sa.Column("score", sa.Numeric(5, 2)), sa.Column("due", sa.Date), sa.Column("note", sa.String(20)))
    backend.load(t, [
        {"case": 7, "date": dt.datetime(2024, 1, 2, 23, 59), "type": "referral", "visits": 2, "urgent": True,
         "score": 3.5, "due": dt.date(2024, 1, 5), "note": None},
        {"case": 7, "date": dt.datetime(2024, 1, 3), "type": "contact", "visits": None, "urgent": False,
         "score": 4, "due": None, "note": "x"}])
    text = sa.Table("casecheck_events", sa.MetaData(), sa.Column("case", sa.String(5)),
                    sa.Column("date", sa.String(30)), sa.Column("type", sa.String(30)), sa.Column("n", sa.Float))
    cases, errors = load_cases([backend.url])
    assert errors == []
    [case] = cases
    assert case.id == "7"
    assert [(e.date, e.type, e.attrs) for e in case.events] == [
        (dt.date(2024, 1, 2), "referral", {"visits": "2", "urgent": "true", "score": "3.5", "due": "2024-01-05"}),
        (dt.date(2024, 1, 3), "contact", {"urgent": "false", "score": "4", "note": "x"})]
    backend.execute("DROP TABLE casecheck_events")
    backend.load(text, [{"case": "A", "date": "2024-03-04", "type": "referral", "n": 1.0},
                        {"case": "A", "date": "2024-03-05T10:30:00", "type": "contact", "n": 1.25}])
    cases, errors = load_cases([backend.url])
    assert errors == []
    assert [(e.date, e.attrs) for e in cases[0].events] == [(dt.date(2024, 3, 4), {"n": "1"}),
                                                           (dt.date(2024, 3, 5), {"n": "1.25"})]


def test_the_case_table_gives_case_attributes(backend):
    md = sa.MetaData()
    cases_t = sa.Table("casecheck_cases", md, sa.Column("case", sa.String(10)), sa.Column("team", sa.String(20)),
                       sa.Column("council", sa.String(20)))
    backend.load(EVENTS, [{"id": 1, "case": "C-1", "date": dt.date(2024, 1, 1), "type": "referral"},
                          {"id": 2, "case": "C-1", "date": dt.date(2024, 1, 2), "type": "contact"},
                          {"id": 3, "case": "C-2", "date": dt.date(2024, 1, 1), "type": "referral"}])
    backend.load(cases_t, [{"case": "C-1", "team": "North", "council": "York"}, {"case": "C-9", "team": "East", "council": None}])
    cases, errors = load_cases([backend.url])
    assert errors == []
    assert {c.id: c.attrs for c in cases} == {"C-1": {"team": "North", "council": "York"}, "C-2": {}}
    assert len(cases[0].events) == 2  # the join never repeats a case's events


def test_a_case_twice_in_the_case_table_is_an_error_and_the_others_are_checked(backend):
    cases_t = sa.Table("casecheck_cases", sa.MetaData(), sa.Column("case", sa.String(10)), sa.Column("team", sa.String(20)))
    backend.load(EVENTS, [{"id": 1, "case": "C-1", "date": dt.date(2024, 1, 1), "type": "referral"},
                          {"id": 2, "case": "C-2", "date": dt.date(2024, 1, 1), "type": "referral"}])
    backend.load(cases_t, [{"case": "C-1", "team": "North"}, {"case": "C-1", "team": "South"}])
    cases, errors = load_cases([backend.url])
    assert [c.id for c in cases] == ["C-2"]
    assert "table casecheck_cases has 2 rows for case C-1" in errors[0].message
    assert "C-1 not checked" in errors[-1].message


def test_other_tables_or_views_are_named_on_the_command_line(backend, tmp_path):
    backend.load(EVENTS, [{"id": 1, "case": "C-1", "date": dt.date(2022, 2, 15), "type": "cin_meeting", "meeting": "m"},
                          {"id": 2, "case": "C-2", "date": dt.date(2022, 2, 15), "type": "cin_meeting", "meeting": "m"}])
    backend.execute("CREATE VIEW only_c1 AS SELECT * FROM casecheck_events WHERE \"case\" = 'C-1'",
                    "CREATE TABLE teams (\"case\" VARCHAR(10), team VARCHAR(10))",
                    "INSERT INTO teams VALUES ('C-1', 'North')")
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, backend.url, "--as-at", "2022-06-01", "--events-table", "only_c1",
                                    "--cases-table", "teams"])
    assert out.exit_code == 1, out.output
    assert "Case C-1 (team: North)" in out.output and "C-2" not in out.output
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, backend.url, "--events-table", "nowhere"])
    assert out.exit_code == 2
    assert "no table or view nowhere" in out.output


def test_an_unreadable_row_names_database_table_and_row_and_the_other_cases_are_checked(backend):
    t = sa.Table("casecheck_events", sa.MetaData(), sa.Column("id", sa.Integer, primary_key=True),
                 sa.Column("case", sa.String(10)), sa.Column("date", sa.String(20)), sa.Column("type", sa.String(30)),
                 sa.Column("meeting", sa.String(5)))
    backend.load(t, [{"id": 1, "case": "C-1", "date": "2022-02-15", "type": "cin_meeting", "meeting": "m"},
                     {"id": 2, "case": "C-2", "date": "15/02/2022", "type": "cin_meeting", "meeting": "m"},
                     {"id": 3, "case": "C-3", "date": "2022-02-15", "type": "Not A Type", "meeting": "m"},
                     {"id": 4, "case": None, "date": "2022-02-15", "type": "cin_meeting", "meeting": "m"}])
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, backend.url, "--as-at", "2022-06-01", "--format", "json"])
    assert out.exit_code == 2
    doc = json.loads(out.stdout)
    assert {f["case"] for f in doc["findings"]} == {"C-1"} and doc["totals"]["cases"] == 1
    messages = [e["message"] for e in doc["errors"]]
    db_name = backend.url if backend.name == "sqlite" else backend.url.replace("postgres:@", "postgres:***@")
    assert {e["file"] for e in doc["errors"]} == {db_name}
    assert "table casecheck_events, row id=2: case C-2: not an ISO date (YYYY-MM-DD, or a datetime such as 2022-02-15T09:30 starting with one): '15/02/2022'" in messages
    assert any(m.startswith("table casecheck_events, row id=3: case C-3: event type") for m in messages)
    assert "table casecheck_events, row id=4: row has no case" in messages


def test_a_missing_table_and_a_column_of_the_wrong_type_are_clear_errors(backend, tmp_path, write):
    backend.execute("CREATE TABLE unrelated (x INTEGER)")
    other = write("other.yaml", "case: Y-1\nevents:\n  - {date: 2022-02-15, type: cin_meeting, meeting: m}\n")
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, backend.url, other, "--as-at", "2022-06-01"])
    assert out.exit_code == 2
    assert "no table or view casecheck_events" in out.output
    assert "Case Y-1" in out.output  # the other input is still checked
    t = sa.Table("casecheck_events", sa.MetaData(), sa.Column("case", sa.String(10)), sa.Column("date", sa.Integer),
                 sa.Column("type", sa.String(30)))
    backend.load(t, [{"case": "C-1", "date": 20220215, "type": "cin_meeting"}])
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, backend.url])
    assert out.exit_code == 2
    assert "table casecheck_events: column date has type INTEGER; expected DATE, TIMESTAMP or ISO text" in out.output
    backend.execute("DROP TABLE casecheck_events")
    t = sa.Table("casecheck_events", sa.MetaData(), sa.Column("case", sa.String(10)), sa.Column("date", sa.Date),
                 sa.Column("type", sa.String(30)), sa.Column("photo", sa.LargeBinary))
    backend.load(t, [{"case": "C-1", "date": dt.date(2022, 1, 1), "type": "referral", "photo": b"\x00"}])
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, backend.url])
    assert out.exit_code == 2 and "column photo has type" in out.output


def test_a_database_is_only_ever_read(backend):
    backend.load(EVENTS, [{"id": 1, "case": "C-1", "date": dt.date(2022, 1, 1), "type": "referral"}])
    with Database(backend.url).connect() as conn:
        with pytest.raises(sa.exc.DBAPIError) as e:
            conn.execute(EVENTS.insert().values(id=2, case="C-2", date=dt.date(2022, 1, 1), type="referral"))
    assert "read" in str(e.value).lower()  # "readonly database" / "read-only transaction"
    with backend.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(EVENTS)).scalar() == 1


def test_a_url_that_does_not_connect_is_an_error_without_the_password(tmp_path):
    url = "postgresql://auditor:s3cret-pw@127.0.0.1:9/cases"  # port 9 (discard): refused at once
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, url])
    assert out.exit_code == 2
    assert "s3cret-pw" not in out.output
    assert "postgresql://auditor:***@127.0.0.1:9/cases: cannot connect to the database" in out.output
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, f"sqlite:///{tmp_path}/absent.db"])
    assert out.exit_code == 2 and "no such database file" in out.output
    with pytest.raises(InputProblem) as e:
        Database("mysql://u:pw@host/db")
    assert "does not read mysql databases" in str(e.value.error) and "pw" not in str(e.value.error)


def test_every_command_that_reads_cases_reads_a_database(backend, tmp_path):
    rows = _log(seed=3, n_cases=15)
    backend.load(EVENTS, rows)
    csv_path = _csv(tmp_path / "log.csv", rows)
    for args in (["summary", "--as-at", "2023-06-30", "--format", "csv"],
                 ["due", "--as-at", "2022-09-01", "--format", "csv"],
                 ["report", "--as-at", "2023-06-30"],
                 ["convert", "--to", "yaml"]):
        db = CliRunner().invoke(main, [*args, backend.url, *(["-o", str(tmp_path / "db.out")] if args[0] == "report" else [])])
        csv = CliRunner().invoke(main, [*args, csv_path, *(["-o", str(tmp_path / "csv.out")] if args[0] == "report" else [])])
        assert db.exit_code == csv.exit_code and db.exit_code in (0, 1), (args, db.output)
        if args[0] == "report":
            assert (tmp_path / "db.out").read_text().replace(backend.url, "X") == \
                   (tmp_path / "csv.out").read_text().replace(csv_path, "X")
        elif args[0] == "convert":  # same timelines; only the id column's source differs
            assert db.output.count("- case:") == csv.output.count("- case:") == 15
        else:
            assert db.output == csv.output and len(db.output.splitlines()) > 2


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(st.randoms(use_true_random=False), st.integers(1, 12), st.booleans())
def test_property_a_sqlite_database_holds_the_timelines_of_its_csv(tmp_path_factory, rnd, n_cases, bad):
    """Any log, with or without bad rows, in any row order: the same cases, events in replay
    order, errors for the same rows (named by row id) and the same findings."""
    d = tmp_path_factory.mktemp("prop")
    rows = _log(seed=rnd.randrange(10**6), n_cases=n_cases)
    rnd.shuffle(rows)  # inserted in any order: the database orders them
    if bad:
        rows[rnd.randrange(len(rows))]["date"] = None
    engine = sa.create_engine(f"sqlite:///{d / 'p.db'}")
    with engine.begin() as conn:
        MD.create_all(conn)
        conn.execute(EVENTS.insert(), rows)
    engine.dispose()
    rows.sort(key=lambda r: r["id"])
    csv_path = _csv(d / "log.csv", rows)
    db_cases, db_errors = load_cases([f"sqlite:///{d / 'p.db'}"])
    csv_cases, csv_errors = load_cases([csv_path])

    def replayed(cs):
        return [(c.id, [(e.date, e.type, e.attrs) for e in sorted(c.events, key=lambda e: (e.date, e.seq))])
                for c in cs]
    assert replayed(db_cases) == replayed(csv_cases)
    assert len(db_errors) == len(csv_errors) == (2 if bad else 0)
    assert _streamed([f"sqlite:///{d / 'p.db'}"])[0] == _streamed([csv_path])[0]


def test_tables_in_another_schema_are_named_schema_dot_table(backend, tmp_path):
    if backend.name == "sqlite":  # SQLite's schemas are attached databases: "main" is the file itself
        schema = "main"
    else:
        schema = "reporting"
        backend.execute("CREATE SCHEMA reporting")
    backend.execute(f'CREATE TABLE {schema}.timeline ("case" VARCHAR(10), date DATE, type VARCHAR(30), meeting VARCHAR(5))',
                    f"INSERT INTO {schema}.timeline VALUES ('C-1', '2022-02-15', 'cin_meeting', 'm')")
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, backend.url, "--as-at", "2022-06-01", "--events-table", f"{schema}.timeline"])
    assert out.exit_code == 1, out.output
    assert "Case C-1" in out.output and "1 case checked" in out.output


def test_a_server_that_never_answers_is_an_error_after_the_connect_timeout(monkeypatch):
    import time
    from casecheck.inputs import database
    monkeypatch.setitem(database._CONNECT_ARGS, "postgresql",
                        {**database._CONNECT_ARGS["postgresql"], "connect_timeout": 2})
    start = time.monotonic()
    # 10.255.255.1: a private address nothing answers (or, in a closed network, unreachable at once)
    out = CliRunner().invoke(main, ["check", "--rules", MINUTES, "postgresql://u:hidden@10.255.255.1:5432/db"])
    assert out.exit_code == 2
    assert "postgresql://u:***@10.255.255.1:5432/db: cannot connect to the database" in out.output
    assert "hidden" not in out.output and time.monotonic() - start < 30
