"""`casecheck history DB_URL`: each breach's life across the runs of a findings database, on
SQLite and PostgreSQL; the finding identity across runs; the schema's migration."""

import json
import os

import pytest
import sqlalchemy as sa

from conftest import run_cli
from dbfixtures import backend, pg_server  # noqa: F401 (fixtures)

RULES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "rules", "history.yaml")
RUNS = ("2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30")


def _case(cid, *events, team="North", worker="W-Amber"):
    lines = [f"- case: {cid}", f"  team: {team}", f"  worker: {worker}", "  events:"]
    lines += [f"    - {{date: {d}, type: {t}" + "".join(f", {k}: {v}" for k, v in a.items()) + "}"
              for d, t, *rest in events for a in [rest[0] if rest else {}]]
    return "\n".join(lines) + "\n"


MEETING = ("2024-03-01", "cin_meeting", {"meeting": "m1"})
COHORT = {
    # minutes due 5 March, missing at the March and April runs, sent 20 May (the example of the issue)
    "C-LATE": _case("C-LATE", MEETING, ("2024-05-20", "minutes_sent", {"meeting": "m1"})),
    "C-LAPSE": _case("C-LAPSE", MEETING, ("2024-04-15", "case_closed")),
    "C-EVERY": _case("C-EVERY", ("2024-03-01", "plan_started"), ("2024-04-20", "plan_ended"), team="South"),
    "C-OPEN": _case("C-OPEN", ("2024-03-10", "cin_meeting", {"meeting": "m9"}), worker="W-Birch"),
    "C-NEW": _case("C-NEW", ("2024-05-01", "cin_meeting", {"meeting": "m2"})),
    "C-TWO": _case("C-TWO", ("2024-03-01", "cin_meeting", {"meeting": "a"}),
                   ("2024-03-01", "cin_meeting", {"meeting": "b"})),
}


def _write_runs(backend, tmp_path, runs=RUNS, rules=RULES, cohort=None):
    """One `check --all --output DB` per as-at date; cohort(as_at) -> the case texts of that run."""
    for as_at in runs:
        cases = (cohort or (lambda _: COHORT.values()))(as_at)
        path = tmp_path / f"cases-{as_at}.yaml"
        path.write_text("".join(cases), encoding="utf-8")
        out = run_cli("check", str(path), "--rules", rules, "--as-at", as_at, "--all", "--output", backend.url)
        assert out.exit_code in (0, 1), out.output


def _history(backend, *args):
    out = run_cli("history", backend.url, "--format", "json", *args)
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def _entries(doc, case, rule=None):
    return [e for e in doc["findings"] if e["case"] == case and (rule is None or e["rule"] == rule)]


@pytest.fixture
def history_db(backend, tmp_path):
    def cohort(as_at):
        cases = dict(COHORT)
        if as_at >= "2024-05-31":
            del cases["C-LAPSE"]  # not in the later runs: it was put right at the April run already
            cases["C-GONE"] = ""
        else:
            cases["C-GONE"] = _case("C-GONE", MEETING)
        # minutes sent on 3 March, recorded only in May: the later runs judge the meeting met
        extra = [("2024-03-03", "minutes_sent", {"meeting": "m1"})] if as_at >= "2024-05-31" else []
        cases["C-NOWMET"] = _case("C-NOWMET", MEETING, *extra)
        return cases.values()
    _write_runs(backend, tmp_path, cohort=cohort)
    return backend


def test_a_breach_answered_late_is_put_right_late_at_the_first_run_that_sees_it(history_db):
    doc = _history(history_db)
    [e] = _entries(doc, "C-LATE")
    assert (e["first_seen"], e["last_seen"], e["times_seen"], e["open"]) == ("2024-03-31", "2024-06-30", 4, False)
    assert e["put_right"]["as_at"] == "2024-05-31" and e["put_right"]["date"] == "2024-05-20"
    assert e["put_right"]["how"] == "late" and e["days_open"] == 76
    assert [r["status"] for r in e["runs"]] == ["missing", "missing", "late", "late"]
    assert [r["as_at"] for r in e["runs"]] == list(RUNS)
    assert e["cite"] == "Test standard 1, minutes" and e["title"] == "Minutes within 4 days of the meeting"
    assert (e["team"], e["worker"], e["due"], e["trigger"]) == ("North", "W-Amber", "2024-03-05",
                                                                {"type": "cin_meeting", "date": "2024-03-01"})


def test_a_duty_ended_by_an_unless_event_lapsed_on_that_day(history_db):
    [e] = _entries(_history(history_db), "C-LAPSE")
    assert e["put_right"]["how"] == "lapsed" and e["put_right"]["date"] == "2024-04-15"
    assert e["put_right"]["as_at"] == "2024-04-30" and e["days_open"] == 41  # 5 March to 15 April
    assert e["times_seen"] == 2 and e["last_seen"] == "2024-04-30"


def test_an_every_period_closed_lapses_and_a_max_duration_period_ended_is_late(history_db):
    doc = _history(history_db)
    [visits] = _entries(doc, "C-EVERY", "VISITS-10D")
    assert visits["put_right"] == {"run_id": visits["runs"][1]["run_id"], "as_at": "2024-04-30",
                                   "date": "2024-04-20", "how": "lapsed"}
    assert visits["days_open"] == 40  # 11 March to 20 April
    [plan] = _entries(doc, "C-EVERY", "PLAN-MAX-20D")
    assert plan["put_right"]["how"] == "late" and plan["put_right"]["date"] == "2024-04-20"
    assert plan["days_open"] == 30 and plan["runs"][0]["status"] == "exceeded"


def test_one_open_through_every_run_and_one_new_at_a_later_run(history_db):
    doc = _history(history_db)
    [still] = _entries(doc, "C-OPEN")
    assert still["open"] and still["put_right"] is None and still["times_seen"] == 4
    assert still["days_open"] == 108  # 14 March to 30 June, the latest run
    [new] = _entries(doc, "C-NEW")
    assert new["first_seen"] == "2024-05-31" and new["times_seen"] == 2 and new["open"]
    assert [r["as_at"] for r in doc["runs"]] == list(RUNS)


def test_a_case_not_in_a_later_run_is_no_longer_reported(history_db):
    [e] = _entries(_history(history_db), "C-GONE")
    assert e["put_right"]["how"] == "no longer reported" and e["put_right"]["as_at"] == "2024-05-31"
    assert e["put_right"]["date"] is None and not e["open"]
    assert e["days_open"] == 56  # 5 March to 30 April, the last run that saw it open


def test_an_event_recorded_later_with_an_earlier_date_makes_it_now_met(history_db):
    [e] = _entries(_history(history_db), "C-NOWMET")
    assert e["put_right"]["how"] == "now met" and e["put_right"]["as_at"] == "2024-05-31"
    assert [r["status"] for r in e["runs"]] == ["missing", "missing", "met", "met"]
    assert e["days_open"] == 56


def test_two_same_day_meetings_stay_two_findings(history_db):
    doc = _history(history_db)
    two = _entries(doc, "C-TWO")
    assert len(two) == 2 and all(e["times_seen"] == 4 and e["open"] for e in two)
    with history_db.engine.connect() as conn:
        keys = conn.execute(sa.text("SELECT DISTINCT finding_key FROM casecheck_findings "
                                    "WHERE \"case\" = 'C-TWO'")).scalars().all()
    assert len(keys) == 2


def test_a_rule_taken_out_of_its_file_is_rule_withdrawn(backend, tmp_path):
    rules = tmp_path / "rules.yaml"
    full = open(RULES, encoding="utf-8").read()
    rules.write_text(full, encoding="utf-8")
    _write_runs(backend, tmp_path, runs=RUNS[:2], rules=str(rules))
    head, rest = full.split("  - id: MINUTES-4D")
    rules.write_text(head + "  - id: VISITS-10D" + rest.split("  - id: VISITS-10D")[1], encoding="utf-8")
    _write_runs(backend, tmp_path, runs=RUNS[2:3], rules=str(rules))
    doc = _history(backend)
    [e] = _entries(doc, "C-OPEN")
    assert e["put_right"]["how"] == "rule withdrawn" and e["put_right"]["as_at"] == "2024-05-31"
    assert e["days_open"] == 47  # 14 March to 30 April


def test_identity_kept_across_an_extension_and_an_edited_within(backend, tmp_path):
    rules = tmp_path / "rules.yaml"
    text = open(RULES, encoding="utf-8").read()
    rules.write_text(text, encoding="utf-8")
    case = _case("C-X", ("2024-03-01", "cin_meeting", {"meeting": "m1"}))
    _write_runs(backend, tmp_path, runs=RUNS[:1], rules=str(rules), cohort=lambda _: [case])
    rules.write_text(text.replace("within: 4 days", "within: 6 days"), encoding="utf-8")
    _write_runs(backend, tmp_path, runs=RUNS[1:2], rules=str(rules), cohort=lambda _: [case])
    [e] = _history(backend)["findings"]
    assert e["times_seen"] == 2 and [r["due"] for r in e["runs"]] == ["2024-03-05", "2024-03-07"]
    assert e["due"] == "2024-03-07" and e["first_seen"] == "2024-03-31"
    assert [c["as_at"] for c in e["rule_changed"]] == ["2024-04-30"]


def test_filters_apply_to_the_whole_document(history_db):
    doc = _history(history_db, "--team", "South")
    assert {e["case"] for e in doc["findings"]} == {"C-EVERY"}
    doc = _history(history_db, "--worker", "W-Birch")
    assert {e["case"] for e in doc["findings"]} == {"C-OPEN"}
    doc = _history(history_db, "--rule", "PLAN-MAX-20D")
    assert {e["rule"] for e in doc["findings"]} == {"PLAN-MAX-20D"}
    doc = _history(history_db, "--case", "C-LATE", "--case", "C-NEW")
    assert sorted(e["case"] for e in doc["findings"]) == ["C-LATE", "C-NEW"]
    doc = _history(history_db, "--case", "C-LATE", "--rule", "VISITS-10D")
    assert doc["findings"] == []


def test_open_longer_than_keeps_only_findings_open_that_long(history_db):
    doc = _history(history_db, "--open-longer-than", "3 months")
    # open at 30 June: C-OPEN (due 14 March), C-TWO (5 March), C-NEW (due 5 May)
    assert sorted(e["case"] for e in doc["findings"]) == ["C-OPEN", "C-TWO", "C-TWO"]
    doc = _history(history_db, "--open-longer-than", "1 month")
    assert sorted(e["case"] for e in doc["findings"]) == ["C-NEW", "C-OPEN", "C-TWO", "C-TWO"]


def test_text_is_grouped_with_counts_and_csv_has_a_row_per_finding(history_db):
    out = run_cli("history", history_db.url)
    assert out.exit_code == 0
    assert "Case C-LATE: 1 finding, 0 open, 1 put right, 0 new at the latest run" in out.stdout
    assert "put right at the run as at 2024-05-31: late on 2024-05-20; 76 days open" in out.stdout
    by_team = run_cli("history", history_db.url, "--by", "team").stdout
    assert "Team South: 2 findings, 0 open, 2 put right, 0 new at the latest run" in by_team
    by_rule = run_cli("history", history_db.url, "--by", "rule").stdout
    assert "Rule PLAN-MAX-20D: 1 finding" in by_rule
    by_worker = run_cli("history", history_db.url, "--by", "worker").stdout
    assert "Worker W-Birch: 1 finding, 1 open" in by_worker
    csv_text = run_cli("history", history_db.url, "--format", "csv", "--case", "C-LATE").stdout
    head, row = csv_text.splitlines()
    assert head.split(",")[:3] == ["case", "rule", "title"] and head.endswith("days_open,excused")
    assert row.startswith("C-LATE,MINUTES-4D,") and ",2024-05-31,2024-05-20,late,76,false" in row


@pytest.mark.parametrize("args, says", [
    (["--case", "C-LAET"], "no case 'C-LAET' in any run; did you mean 'C-LATE'?"),
    (["--team", "Nrth"], "no team 'Nrth' in any run; did you mean 'North'?"),
    (["--worker", "W-Brich"], "no worker 'W-Brich' in any run; did you mean 'W-Birch'?"),
    (["--rule", "MINUTES-4"], "no rule 'MINUTES-4' in any run; did you mean 'MINUTES-4D'?"),
])
def test_a_filter_no_run_names_is_refused_with_the_nearest(history_db, args, says):
    out = run_cli("history", history_db.url, *args)
    assert out.exit_code == 2 and says in out.stderr and out.stdout == ""
    assert len(out.stderr.strip().splitlines()) == 1


def test_bad_databases_and_durations_are_refused(tmp_path, backend):
    backend.execute("CREATE TABLE other (x INTEGER)")  # a database, but no runs in it
    out = run_cli("history", backend.url)
    assert out.exit_code == 2 and "holds no casecheck runs: write some with 'casecheck check" in out.stderr
    out = run_cli("history", f"sqlite:///{tmp_path}/none.db")
    assert out.exit_code == 2 and "no such database file" in out.stderr
    out = run_cli("history", backend.url, "--open-longer-than", "3 mnths")
    assert out.exit_code == 2 and "--open-longer-than" in out.stderr
    pw = run_cli("history", "postgresql://auditor:s3cret@127.0.0.1:1/db")
    assert pw.exit_code == 2 and "s3cret" not in pw.stderr


def _dump(backend):
    with backend.engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(sa.text(f"SELECT * FROM {t}")).all()), key=repr)
                for t in sa.inspect(conn).get_table_names()}


def test_history_changes_nothing_in_the_database(history_db):
    before = _dump(history_db)
    for args in ([], ["--format", "csv"], ["--by", "team"]):
        assert run_cli("history", history_db.url, *args).exit_code == 0
    assert _dump(history_db) == before


def test_the_same_as_at_twice_takes_the_later_started_run(backend, tmp_path):
    _write_runs(backend, tmp_path, runs=("2024-03-31", "2024-03-31"))
    doc = _history(backend)
    assert len(doc["runs"]) == 1 and len(doc["set_aside"]) == 1
    assert doc["set_aside"][0]["started_at"] <= doc["runs"][0]["started_at"]
    assert "Set aside: run" in run_cli("history", backend.url).stdout


def test_of_two_same_day_meetings_the_one_unminuted_keeps_its_own_history(backend, tmp_path):
    # the meeting minuted in time comes second on the day: its finding (met) must not take the
    # place of the first meeting's breach in any run
    case = _case("C-HALF", ("2024-03-01", "cin_meeting", {"meeting": "a"}),
                 ("2024-03-01", "cin_meeting", {"meeting": "b"}), ("2024-03-02", "minutes_sent", {"meeting": "b"}))
    _write_runs(backend, tmp_path, runs=RUNS[:3], cohort=lambda _: [case])
    [e] = _history(backend)["findings"]
    assert e["times_seen"] == 3 and e["open"] and [r["status"] for r in e["runs"]] == ["missing"] * 3
    with backend.engine.connect() as conn:
        keys = conn.execute(sa.text("SELECT finding_key FROM casecheck_findings")).scalars().all()
    assert len(keys) == 6 and len(set(keys)) == 2  # two findings a run, each keeping its key


def test_case_text_in_the_history_never_acts_on_a_terminal(tmp_path):
    """An escape sequence in a team's name (clear the screen) is shown as text, not sent raw; JSON keeps it exactly."""
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    cases = tmp_path / "cases.yaml"
    cases.write_text(_case("C-ESC", MEETING, team='"North\\e[2J"'), encoding="utf-8")
    for as_at in RUNS[:2]:
        assert run_cli("check", cases, "--rules", RULES, "--as-at", as_at, "--all", "--output", url).exit_code == 1
    text = run_cli("history", url).stdout
    assert "North\\x1b[2J" in text and "\x1b" not in text
    doc = json.loads(run_cli("history", url, "--format", "json").stdout)
    assert {f["team"] for f in doc["findings"]} == {"North\x1b[2J"}
