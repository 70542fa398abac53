"""A Standard Safeguarding Dataset database read as one timeline per child (SQLite and PostgreSQL)."""

import datetime as dt
import json
from collections import Counter

import pytest
from click.testing import CliRunner

import ssd_generator
from casecheck.cli import main
from casecheck.inputs.cases import load_cases
from casecheck.inputs.ssd import MAPPING, YES
from casecheck.rules.vocabulary import vocabulary
from dbfixtures import backend, pg_server  # noqa: F401 (fixtures)

D = dt.date.fromisoformat


@pytest.fixture
def ssd(backend):
    rows = ssd_generator.build(backend.engine, n_children=40, seed=12)
    return backend, rows


def _by_child(rows, table, person_col):
    return Counter(r[person_col] for r in rows[table] if r.get(person_col))


def test_each_child_has_a_timeline_with_visits_plans_reviews_and_allocations(ssd):
    backend, rows = ssd
    notes = []
    cases, errors = load_cases([backend.url], notes=notes)
    assert errors == []
    assert [c.id for c in cases] == sorted(r["pers_person_id"] for r in rows["ssd_person"])
    by_id = {c.id: c for c in cases}
    types = {cid: Counter(e.type for e in c.events) for cid, c in by_id.items()}
    for table, person, etype in [("ssd_cin_visits", "cinv_person_id", "cin_visit"),
                                 ("ssd_cp_visits", "cppv_person_id", "cp_visit"),
                                 ("ssd_cla_visits", "clav_person_id", "lac_visit"),
                                 ("ssd_cin_plans", "cinp_person_id", "cin_plan_started"),
                                 ("ssd_cp_reviews", "cppr_person_id", "cp_review"),
                                 ("ssd_involvements", "invo_person_id", "worker_allocated"),
                                 ("ssd_contacts", "cont_person_id", "contact")]:
        want = _by_child(rows, table, person)
        assert {cid: t[etype] for cid, t in types.items() if t[etype]} == dict(want), etype
    # Looked-after reviews name the period of care, not the child; cancelled ones are not reviews.
    child_of = {r["clae_cla_id"]: r["clae_person_id"] for r in rows["ssd_cla_episodes"]}
    held = Counter(child_of[r["clar_cla_id"]] for r in rows["ssd_cla_reviews"] if r["clar_cla_review_cancelled"] not in YES)
    cancelled = Counter(child_of[r["clar_cla_id"]] for r in rows["ssd_cla_reviews"] if r["clar_cla_review_cancelled"] in YES)
    assert {cid: t["lac_review"] for cid, t in types.items() if t["lac_review"]} == dict(held)
    assert {cid: t["lac_review_cancelled"] for cid, t in types.items() if t["lac_review_cancelled"]} == dict(cancelled)
    assert sum(cancelled.values()) > 0
    # Attributes rules need: the worker and team of each allocation, plan and meeting ids, the SSD's due dates.
    inv = rows["ssd_involvements"][0]
    alloc = [e for e in by_id[inv["invo_person_id"]].events if e.type == "worker_allocated"][0]
    assert alloc.date == inv["invo_involvement_start_date"].date()
    assert (alloc.attrs["worker"], alloc.attrs["team"]) == (inv["invo_professional_id"], inv["invo_professional_team"])
    rev = rows["ssd_cp_reviews"][0]
    [ev] = [e for e in by_id[rev["cppr_person_id"]].events if e.type == "cp_review"]
    assert ev.attrs["plan"] == rev["cppr_cp_plan_id"] and ev.attrs["meeting"] == rev["cppr_cp_review_meeting_id"]
    assert ev.attrs["due"] == rev["cppr_cp_review_due"].date().isoformat()
    # Tables this SSD does not hold are named, not silently missed.
    assert any("no table ssd_permanence" in n.message for n in notes)


def test_the_ssd_gives_the_findings_of_its_csv_conversion(ssd, tmp_path):
    backend, _ = ssd
    out = tmp_path / "ssd.csv"
    conv = CliRunner().invoke(main, ["convert", backend.url, "--to", "csv", "-o", str(out)])
    assert conv.exit_code == 0, conv.output
    args = ["check", "--as-at", "2024-06-01", "--format", "json", "--all"]
    from_db = CliRunner().invoke(main, args + [backend.url])
    from_csv = CliRunner().invoke(main, args + [str(out)])
    assert from_db.exit_code == from_csv.exit_code == 1
    db_doc, csv_doc = json.loads(from_db.stdout), json.loads(from_csv.stdout)
    assert db_doc["totals"]["cases"] == csv_doc["totals"]["cases"] == 40
    assert db_doc["findings"] == csv_doc["findings"] and len(db_doc["findings"]) > 100
    # Findings are attributed to the worker the SSD's involvements say held the case on the due date.
    workers = {f["worker"] for f in db_doc["findings"]}
    assert None not in workers and workers <= {f"W{i:03d}" for i in range(12)}


def test_an_unreadable_ssd_row_names_table_and_row_and_the_other_children_are_checked(ssd):
    backend, rows = ssd
    if backend.name != "sqlite":  # PostgreSQL's timestamp columns cannot hold a bad date
        backend.execute("ALTER TABLE ssd_cin_visits ALTER COLUMN cinv_cin_visit_date TYPE VARCHAR(40)")
        out = CliRunner().invoke(main, ["check", backend.url])
        assert out.exit_code == 2
        assert "table ssd_cin_visits: column cinv_cin_visit_date has type VARCHAR(40)" in out.output
        return
    visit = rows["ssd_cin_visits"][0]
    backend.execute(f"UPDATE ssd_cin_visits SET cinv_cin_visit_date = '31/02/2024' "
                    f"WHERE cinv_cin_visit_id = '{visit['cinv_cin_visit_id']}'")
    out = CliRunner().invoke(main, ["check", backend.url, "--as-at", "2024-06-01", "--format", "json"])
    assert out.exit_code == 2
    doc = json.loads(out.stdout)
    child = visit["cinv_person_id"]
    assert doc["errors"][0]["message"] == (f"table ssd_cin_visits, row cinv_cin_visit_id={visit['cinv_cin_visit_id']}: "
                                           f"case {child}: not an ISO date (YYYY-MM-DD, or a datetime such as 2022-02-15T09:30 starting with one): '31/02/2024'")
    assert doc["totals"]["cases"] == 39 and child not in {f["case"] for f in doc["findings"]}


def test_the_mapping_uses_the_ssds_own_names_and_the_vocabulary_documents_it():
    reference = {t: {f for f, _ in fields} for t, fields in ssd_generator.reference_tables().items()}
    vocab = vocabulary()
    for m in MAPPING:
        cols = {m.date, m.key, *m.attrs.values(), *([m.person] if m.person else [m.via[3]]),
                *([m.only[0]] if m.only else [])}
        assert cols <= reference[m.table], (m.table, cols - reference[m.table])
        if m.via:
            assert {m.via[1], m.via[2]} <= reference[m.via[0]]
        assert m.type in vocab, m.type
        assert m.table in vocab[m.type].sources.get("ssd", ""), (m.type, m.table)


def test_ssd_names_are_matched_whatever_their_letter_case_and_absent_columns_are_named(backend):
    """SQL Server and Oracle databases often hold upper-case names."""
    backend.execute('CREATE TABLE ssd_cin_visits ("CINV_CIN_VISIT_ID" VARCHAR(10), "CINV_PERSON_ID" VARCHAR(10), '
                    '"CINV_CIN_VISIT_DATE" TIMESTAMP, "CINV_CIN_VISIT_SEEN" VARCHAR(1))',
                    "INSERT INTO ssd_cin_visits VALUES ('V1', 'P1', '2024-01-02 10:00:00', 'Y')",
                    "CREATE TABLE ssd_cp_visits (cppv_cp_visit_id VARCHAR(10), cppv_cp_visit_date TIMESTAMP)")
    notes = []
    cases, errors = load_cases([backend.url], notes=notes)
    assert errors == []
    assert [(c.id, [(e.date, e.type, e.attrs) for e in c.events]) for c in cases] == [
        ("P1", [(D("2024-01-02"), "cin_visit", {"seen": "Y"})])]
    assert any("SSD: table ssd_cp_visits has no cppv_person_id" in n.message for n in notes)


def test_an_ssd_in_another_postgresql_schema_is_read_through_the_urls_search_path(pg_server):
    from dbfixtures import pg_database
    import sqlalchemy as sa
    url = pg_database(pg_server)
    engine = sa.create_engine(sa.make_url(url).set(drivername="postgresql+psycopg"))
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE SCHEMA ssd")
        conn.exec_driver_sql("CREATE TABLE ssd.ssd_cin_visits (cinv_cin_visit_id VARCHAR(10), cinv_person_id "
                             "VARCHAR(10), cinv_cin_visit_date TIMESTAMP)")
        conn.exec_driver_sql("INSERT INTO ssd.ssd_cin_visits VALUES ('V1', 'P1', '2024-01-02')")
    engine.dispose()
    cases, errors = load_cases([url + "&options=-csearch_path%3Dssd"])
    assert errors == [] and [(c.id, [e.type for e in c.events]) for c in cases] == [("P1", ["cin_visit"])]
    from casecheck.inputs.database import Database
    with Database(url + "&options=-csearch_path%3Dssd").connect() as conn:  # still read-only
        with pytest.raises(sa.exc.DBAPIError, match="read-only"):
            conn.exec_driver_sql("DELETE FROM ssd_cin_visits")
    cases, errors = load_cases([url])  # without it, the default schema holds nothing
    assert cases == [] and "no table or view casecheck_events" in errors[0].message
