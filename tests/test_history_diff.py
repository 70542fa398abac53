"""`casecheck diff DB_URL [RUN_ID RUN_ID]`: two runs of a findings database compared exactly as
their JSON files compare, in every format; bad run ids and too few runs refused with the runs."""

import json

import pytest

from conftest import run_cli
from dbfixtures import backend, pg_server  # noqa: F401 (fixtures)
from test_history import COHORT, MEETING, RULES, _case

AS_AT = ("2024-03-31", "2024-05-31", "2024-06-30")


def _cohort(as_at):
    cases = dict(COHORT)
    if as_at >= "2024-05-31":
        cases.pop("C-LAPSE")
    else:
        cases["C-GONE"] = _case("C-GONE", MEETING)
    return "".join(cases.values())


@pytest.fixture
def runs(backend, tmp_path):
    files = []
    for as_at in AS_AT:
        cases = tmp_path / f"cases-{as_at}.yaml"
        cases.write_text(_cohort(as_at), encoding="utf-8")
        for extra in (["--output", backend.url], ["--format", "json", "-o", str(tmp_path / f"{as_at}.json")]):
            out = run_cli("check", str(cases), "--rules", RULES, "--as-at", as_at, "--all", *extra)
            assert out.exit_code == 1, out.output
        files.append(str(tmp_path / f"{as_at}.json"))
    with backend.engine.connect() as conn:
        ids = [r for (r,) in conn.exec_driver_sql("SELECT run_id FROM casecheck_runs ORDER BY started_at, run_id")]
    return backend, files, ids


def _sections(text):
    return text.split("\n\n", 1)[1]  # the headline (wrapped) names the sources; the rest is the comparison


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_the_two_latest_runs_compare_as_their_json_files(runs, fmt):
    backend, files, ids = runs
    from_db = run_cli("diff", backend.url, "--format", fmt)
    from_files = run_cli("diff", files[1], files[2], "--format", fmt)
    assert from_db.exit_code == from_files.exit_code == 0, from_db.output  # no new breach since May
    if fmt == "json":
        a, b = json.loads(from_db.stdout), json.loads(from_files.stdout)
        assert a["before"]["as_at"] == "2024-05-31" and a["after"]["as_at"] == "2024-06-30"
        assert {k: a[k] for k in ("new", "resolved", "continuing")} == {k: b[k] for k in ("new", "resolved",
                                                                                          "continuing")}
        assert a["new"] == [] and len(a["continuing"]) > 0
    elif fmt == "csv":
        assert from_db.stdout == from_files.stdout
    else:
        assert _sections(from_db.stdout) == _sections(from_files.stdout)
        assert f"run {ids[2]} of " in " ".join(from_db.stdout.split())


@pytest.mark.parametrize("fmt", ["text", "json", "csv"])
def test_two_chosen_runs_compare_as_their_json_files(runs, fmt):
    backend, files, ids = runs
    from_db = run_cli("diff", backend.url, ids[0], ids[2], "--format", fmt)
    from_files = run_cli("diff", files[0], files[2], "--format", fmt)
    assert from_db.exit_code == from_files.exit_code
    if fmt == "json":
        a, b = json.loads(from_db.stdout), json.loads(from_files.stdout)
        assert {k: a[k] for k in ("new", "resolved", "continuing")} == {k: b[k] for k in ("new", "resolved",
                                                                                          "continuing")}
        assert {r["case"] for r in a["new"]} == {"C-NEW"}
        assert {r["case"] for r in a["resolved"]} >= {"C-GONE", "C-LAPSE"}
        assert sum(r["case"] == "C-TWO" for r in a["continuing"]) == 2  # two same-day meetings stay two
    elif fmt == "csv":
        assert from_db.stdout == from_files.stdout
    else:
        assert _sections(from_db.stdout) == _sections(from_files.stdout)


def test_an_unknown_run_id_is_refused_listing_the_runs(runs):
    backend, _, ids = runs
    out = run_cli("diff", backend.url, ids[0], "no-such-run")
    assert out.exit_code == 2 and out.stdout == ""
    assert "no run 'no-such-run' in table casecheck_runs; its runs: " in out.stderr
    assert all(i in out.stderr for i in ids) and "as at 2024-03-31, started " in out.stderr


def test_fewer_than_two_runs_are_refused_listing_them(backend, tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text(_cohort("2024-03-31"), encoding="utf-8")
    run_cli("check", str(cases), "--rules", RULES, "--as-at", "2024-03-31", "--output", backend.url)
    out = run_cli("diff", backend.url)
    assert out.exit_code == 2 and "needs two runs to compare; its runs: " in out.stderr
    assert "(as at 2024-03-31, started " in out.stderr


def test_a_database_url_with_one_run_id_is_a_usage_error(runs):
    backend, _, ids = runs
    out = run_cli("diff", backend.url, ids[0], ids[1], ids[2])
    assert out.exit_code == 2 and "give BEFORE and AFTER" in out.stderr
