"""Exceptions registers (SPEC §5): reading them, excusing breaches, and what every command does with them."""

import csv
import datetime as dt
import io
import json

import pytest
from hypothesis import HealthCheck, given, settings as hsettings
from hypothesis import strategies as st

from conftest import D, make_case, make_rules, run_cli
from casecheck.inputs.exceptions import Register, load_registers
from casecheck.model import ExceptionEntry
from casecheck.replay import check

RULES = """
ruleset: york-test
rules:
  - id: YORK-MINUTES-15WD
    title: CIN meeting minutes shared within 15 working days
    kind: response
    trigger: cin_meeting
    expect: minutes_sent
    within: 15 working days
  - id: SOFT
    title: Referral decided within 1 working day
    severity: warning
    kind: response
    trigger: referral
    expect: referral_decision
    within: 1 working day
"""
# Late minutes (due 2022-03-08, 35 days late) and, on C-2, minutes on time.
CASES = """
- case: C-1042
  team: North
  events:
    - {date: 2022-02-15, type: cin_meeting}
    - {date: 2022-04-12, type: minutes_sent}
- case: C-2
  events:
    - {date: 2022-02-15, type: cin_meeting}
    - {date: 2022-02-16, type: minutes_sent}
"""
ENTRY = """
- case: C-1042
  rule: YORK-MINUTES-15WD
  trigger: 2022-02-15
  due: 2022-03-08
  reason: Minutes delayed with the family's agreement while an interpreter was found
  approved_by: Service manager, CIN North
  approved_on: 2022-03-01
"""
AS_AT = "2024-10-14"


run = run_cli


@pytest.fixture
def files(write):
    return {"rules": write("rules.yaml", RULES), "cases": write("cases.yaml", CASES), "register": write("reg.yaml", ENTRY)}


def check_cli(files, *extra):
    return run("check", files["cases"], "--rules", files["rules"], "--as-at", AS_AT, *extra)


# --- reading ------------------------------------------------------------------------------------

def test_yaml_list_and_mapping_and_csv_give_the_same_entries(write):
    as_list = write("a.yaml", ENTRY)
    as_map = write("b.yaml", "exceptions:" + ENTRY.replace("\n", "\n  "))
    as_csv = write("c.csv", "case,rule,trigger,due,reason,approved_by,approved_on\n"
                            "C-1042,YORK-MINUTES-15WD,2022-02-15,2022-03-08,"
                            "Minutes delayed with the family's agreement while an interpreter was found,"
                            "\"Service manager, CIN North\",2022-03-01\n")
    got = []
    for path in (as_list, as_map, as_csv):
        register, errors = load_registers([path])
        assert errors == []
        [e] = register.entries
        got.append((e.case, e.rule, e.trigger, e.due, e.reason, e.approved_by, e.approved_on))
        assert e.file == path and e.line == 2
    assert got[0] == got[1] == got[2] == ("C-1042", "YORK-MINUTES-15WD", D("2022-02-15"), D("2022-03-08"),
                                          "Minutes delayed with the family's agreement while an interpreter was found",
                                          "Service manager, CIN North", D("2022-03-01"))


def test_numeric_case_ids_are_kept_as_written(write):
    register, errors = load_registers([write("r.yaml", ENTRY.replace("C-1042", "00123"))])
    assert errors == [] and register.entries[0].case == "00123"


@pytest.mark.parametrize("field", ["case", "rule", "trigger", "reason", "approved_by", "approved_on"])
def test_a_missing_required_field_is_an_input_error_with_file_and_line(write, field):
    good = ENTRY.replace("- case: C-1042", "- case: C-1")
    broken = "\n".join(line for line in ENTRY.splitlines() if not line.lstrip("- ").startswith(field + ":"))
    if field == "case":
        broken = broken.replace("  rule:", "- rule:", 1)
    path = write("r.yaml", good + broken + "\n")
    register, errors = load_registers([path])
    [err] = errors
    assert err.file == path and err.line == 10  # the second entry starts on line 10
    assert f"'{field}'" in err.message and "fill in" in err.message
    assert [e.case for e in register.entries] == ["C-1"]  # the good entry still applies


def test_a_bad_date_names_the_field_and_the_line(write):
    path = write("r.yaml", ENTRY.replace("approved_on: 2022-03-01", "approved_on: 1 March 2022"))
    _, [err] = load_registers([path])
    assert err.line == 2 and "'approved_on' is '1 March 2022', not a date" in err.message


def test_csv_register_errors_name_the_row(write):
    path = write("r.csv", "case,rule,trigger,reason,approved_by,approved_on\n"
                          "C-1,R,2022-02-15,why,who,2022-03-01\n"
                          "C-2,R,2022-02-15,why,,2022-03-01\n"
                          "C-3,R,2022-02-31,why,who,2022-03-01\n")
    register, errors = load_registers([path])
    assert [(e.line, "'approved_by' is empty" in e.message or "not a date" in e.message) for e in errors] == [
        (3, True), (4, True)]
    assert [e.case for e in register.entries] == ["C-1"]
    no_column = write("s.csv", "case,rule,trigger,reason,approved_on\nC-1,R,2022-02-15,why,2022-03-01\n")
    _, [err] = load_registers([no_column])
    assert err.line == 1 and "no approved_by column" in err.message


def test_a_register_runs_nothing(write):
    path = write("r.yaml", "- !!python/object/apply:os.system ['echo hacked']\n")
    register, [err] = load_registers([path])
    assert register.entries == [] and err.file == path and "not valid YAML" in err.message


def test_unknown_fields_are_warned_about_and_note_is_not(write):
    register, errors = load_registers([write("r.yaml", ENTRY + "  note: for people\n  aproved: typo\n")])
    assert errors == [] and len(register.entries) == 1
    assert [n.message for n in register.notes] == ["'aproved' is not a register field (case, rule, trigger, due, "
                                                   "reason, approved_by, approved_on, note); ignored"]


# --- excusing ---------------------------------------------------------------------------------

MIN_RULES = make_rules(dict(id="R", kind="response", trigger="cin_meeting", expect="minutes_sent",
                            within="15 working days"))


def entry(trigger="2022-02-15", due=None, case="C-1", rule="R"):
    return ExceptionEntry(case, rule, D(trigger), "why", "who", D("2022-03-01"), D(due) if due else None, "r.yaml", 1)


def test_an_excused_breach_keeps_its_status_and_lateness():
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-04-12", "minutes_sent"))
    [plain] = check([case], MIN_RULES, D(AS_AT))
    register = Register([entry()])
    [f] = [register.excuse(f) for f in check([case], MIN_RULES, D(AS_AT))]
    assert (f.status, f.due, f.days_late, f.working_days_late) == (plain.status, plain.due, 35, 25)
    assert f.excused and f.exception == entry() and not f.fails_check
    assert register.unmatched() == []


def test_the_due_date_narrows_the_match_and_non_breaches_are_never_excused():
    late = make_case(("2022-02-15", "cin_meeting"), ("2022-04-12", "minutes_sent"))
    met = make_case(("2022-02-15", "cin_meeting"), ("2022-02-16", "minutes_sent"))
    wrong_due = Register([entry(due="2022-03-09")])
    [f] = [wrong_due.excuse(f) for f in check([late], MIN_RULES, D(AS_AT))]
    assert not f.excused and f.fails_check
    [w] = wrong_due.unmatched()
    assert w.file == "r.yaml" and w.line == 1 and "matches no breach" in w.message
    register = Register([entry(due="2022-03-08")])
    [g] = [register.excuse(f) for f in check([met], MIN_RULES, D(AS_AT))]
    assert g.status == "met" and not g.excused and len(register.unmatched()) == 1


# --- the command line ------------------------------------------------------------------------

def test_exit_0_when_the_only_breach_is_excused_and_it_is_counted_apart(files):
    assert check_cli(files).exit_code == 1
    r = check_cli(files, "--exceptions", files["register"])
    assert r.exit_code == 0, r.output
    lines = r.stdout.splitlines()
    assert lines[-1] == "As at 2024-10-14: 2 cases checked, 0 breaches, 0 warnings, 1 excused."
    assert "late      YORK-MINUTES-15WD [excused]" in r.stdout and "35 days (25 working days) late" in r.stdout
    assert ("excused: Minutes delayed with the family's agreement while an interpreter was found, approved by "
            f"Service manager, CIN North on 2022-03-01 ({files['register']}:2)") in " ".join(r.stdout.split())


def test_an_excused_breach_beside_an_unexcused_one_still_fails(files, write):
    more = write("more.yaml", "case: C-3\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n")
    r = run("check", files["cases"], more, "--rules", files["rules"], "--as-at", AS_AT,
            "--exceptions", files["register"])
    assert r.exit_code == 1
    assert r.stdout.splitlines()[-1] == ("As at 2024-10-14: 3 cases checked, 1 breach (1 missing), 0 warnings, "
                                         "1 excused.")


def test_json_and_csv_carry_the_exception(files):
    doc = json.loads(check_cli(files, "--exceptions", files["register"], "--format", "json").stdout)
    [f] = doc["findings"]
    assert (f["status"], f["days_late"], f["working_days_late"]) == ("late", 35, 25)
    assert f["exception"] == {"reason": "Minutes delayed with the family's agreement while an interpreter was found",
                              "approved_by": "Service manager, CIN North", "approved_on": "2022-03-01",
                              "file": files["register"], "line": 2}
    assert doc["warnings"] == []
    [row] = list(csv.DictReader(io.StringIO(check_cli(files, "--exceptions", files["register"],
                                                      "--format", "csv").stdout)))
    assert (row["status"], row["excused"], row["exception_approved_by"], row["exception_approved_on"]) == (
        "late", "true", "Service manager, CIN North", "2022-03-01")


def test_an_entry_that_matches_nothing_is_a_warning_in_json_and_on_stderr(files, write):
    stray = write("stray.yaml", ENTRY + ENTRY.replace("C-1042", "C-1O42"))
    r = check_cli(files, "--exceptions", stray, "--format", "json")
    assert r.exit_code == 0  # a warning never changes the exit status
    [w] = json.loads(r.stdout)["warnings"]
    assert (w["file"], w["line"]) == (stray, 10) and "case C-1O42" in w["message"] and "matches no breach" in w["message"]
    assert f"casecheck: warning: {stray}:10: exception for case C-1O42" in r.stderr
    no_rule = write("no-rule.yaml", ENTRY.replace("rule: YORK-MINUTES-15WD", "rule: YORK-MINUTES-51WD"))
    [w] = json.loads(check_cli(files, "--exceptions", no_rule, "--format", "json").stdout)["warnings"]
    assert w["message"].endswith("matches no breach: no loaded rule has the id YORK-MINUTES-51WD (check --rules)")


def test_a_bad_register_is_exit_2_and_the_cases_are_still_checked(files, write):
    bad = write("bad.yaml", ENTRY.replace("  approved_by: Service manager, CIN North\n", ""))
    r = check_cli(files, "--exceptions", bad)
    assert r.exit_code == 2
    assert f"{bad}:2: entry for case C-1042, rule YORK-MINUTES-15WD: no 'approved_by': fill in who accepted it" in r.stderr
    assert "YORK-MINUTES-15WD" in r.stdout and "1 breach (1 late)" in r.stdout


def test_the_settings_file_names_the_register(files, tmp_path, monkeypatch):
    (tmp_path / "casecheck.toml").write_text('exceptions = ["reg.yaml"]\n')
    monkeypatch.chdir(tmp_path)
    r = check_cli(files)
    assert r.exit_code == 0 and r.stdout.splitlines()[-1].endswith("0 breaches, 0 warnings, 1 excused.")
    # --exceptions on the command line replaces the settings file's registers.
    empty = tmp_path / "empty.yaml"
    empty.write_text("exceptions: []\n")
    assert check_cli(files, "--exceptions", str(empty)).exit_code == 1


@pytest.mark.parametrize("command", [["summary"], ["due"], ["report", "-o", "REPORT"], ["chronology", "--case", "C-1042"]])
def test_every_command_that_reads_cases_takes_a_register(files, command, tmp_path):
    args = [a.replace("REPORT", str(tmp_path / "r.html")) for a in command]
    base = [args[0], files["cases"], *args[1:], "--rules", files["rules"], "--as-at", AS_AT]
    # due exits by the list it shows (this breach was put right late: nothing overdue); the
    # documents exit 0 once written, whatever they hold
    assert run(*base).exit_code == 0
    assert run(*base, "--exceptions", files["register"]).exit_code == 0


def test_summary_counts_excused_apart(files):
    r = run("summary", files["cases"], "--rules", files["rules"], "--as-at", AS_AT, "--format", "csv",
            "--exceptions", files["register"])
    rows = {row["rule"]: row for row in csv.DictReader(io.StringIO(r.stdout))}
    row = rows["YORK-MINUTES-15WD"]
    assert (row["owed"], row["met"], row["late"], row["breaches"], row["excused"]) == ("2", "1", "1", "0", "1")
    assert row["compliance_percent"] == "50.0"  # compliance unchanged: an excused breach is still not met
    text = run("summary", files["cases"], "--rules", files["rules"], "--as-at", AS_AT,
               "--exceptions", files["register"]).stdout
    assert "0 breaches, 0 warnings, 1 excused" in text.splitlines()[0]
    html = run("summary", files["cases"], "--rules", files["rules"], "--as-at", AS_AT, "--format", "html",
               "--exceptions", files["register"]).stdout
    assert '<th scope="col">excused</th>' in html


def test_summary_workbook_has_the_excused_column_as_a_number(files, tmp_path):
    from openpyxl import load_workbook

    out = tmp_path / "s.xlsx"
    run("summary", files["cases"], "--rules", files["rules"], "--as-at", AS_AT, "--format", "xlsx", "-o", out,
        "--exceptions", files["register"])
    ws = load_workbook(out)["by rule"]
    header = [c.value for c in ws[1]]
    row = {h: c.value for h, c in zip(header, ws[2])}
    assert (row["rule"], row["late"], row["breaches"], row["warnings"], row["excused"]) == (
        "YORK-MINUTES-15WD", 1, 0, 0, 1)
    findings = load_workbook(out)["findings"]
    fh = [c.value for c in findings[1]]
    assert [dict(zip(fh, (c.value for c in r)))["excused"] for r in findings.iter_rows(min_row=2)] == [True, False]


# --- starting a register -------------------------------------------------------------------

def test_start_writes_todays_breaches_for_a_manager_to_fill_in(files, tmp_path):
    out = tmp_path / "register.yaml"
    r = run("exceptions", "start", files["cases"], "--rules", files["rules"], "--as-at", AS_AT, "-o", str(out))
    assert r.exit_code == 0 and out.exists()
    text = out.read_text()
    assert "FILL IN" in text and "C-1042" in text and "C-2" not in text
    assert ('note: "late: 35 days (25 working days) late; CIN meeting minutes shared within 15 working days; '
            'held by team North"') in text
    # Loaded as it is, every entry is refused with a clear "fill in" error.
    loaded = check_cli(files, "--exceptions", str(out))
    assert loaded.exit_code == 2 and f"{out}:8: entry for case C-1042, rule YORK-MINUTES-15WD: " in loaded.stderr
    assert "fill in" in loaded.stderr
    filled = (text.replace('reason: ""', 'reason: "Agreed delay"').replace('approved_by: ""', 'approved_by: "SM"')
              .replace("approved_on:   ", "approved_on: 2022-03-01"))
    out.write_text(filled)
    assert run("exceptions", "check", str(out)).exit_code == 0
    done = check_cli(files, "--exceptions", str(out))
    assert done.exit_code == 0 and done.stdout.splitlines()[-1].endswith("0 breaches, 0 warnings, 1 excused.")
    # Never overwrites a register by accident.
    again = run("exceptions", "start", files["cases"], "--rules", files["rules"], "--as-at", AS_AT, "-o", str(out))
    assert again.exit_code == 2 and "exists" in again.output and out.read_text() == filled


def test_start_leaves_out_what_is_excused_and_warning_rules_unless_asked(files, write):
    soft = write("soft.yaml", "case: C-9\nevents:\n  - {date: 2022-02-15, type: referral}\n")
    args = ["exceptions", "start", files["cases"], soft, "--rules", files["rules"], "--as-at", AS_AT]
    assert "C-1042" in run(*args).stdout and "C-9" not in run(*args).stdout
    assert "C-9" in run(*args, "--with-warnings").stdout
    topped_up = run(*args, "--exceptions", files["register"]).stdout
    assert "C-1042" not in topped_up and "exceptions:\n  []" in topped_up


def test_start_as_csv_reads_back_even_with_a_guarded_case_id(files, write, tmp_path):
    cases = write("odd.yaml", "case: '-5'\nevents:\n  - {date: 2022-02-15, type: cin_meeting}\n")
    out = tmp_path / "register.csv"
    assert run("exceptions", "start", cases, "--rules", files["rules"], "--as-at", AS_AT, "-o", str(out)).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert rows[0]["case"] == "'-5" and rows[0]["reason"] == ""  # a spreadsheet would run -5... as a formula
    rows[0].update(reason="Agreed", approved_by="SM", approved_on="2022-03-01")
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=list(rows[0]))
    w.writeheader()
    w.writerows(rows)
    out.write_text(buf.getvalue())
    r = run("check", cases, "--rules", files["rules"], "--as-at", AS_AT, "--exceptions", str(out))
    assert r.exit_code == 0 and "1 excused" in r.stdout


def test_exceptions_check_names_every_problem(write):
    bad = write("r.yaml", ENTRY + ENTRY.replace("reason: Minutes", "reason: ''\n  x: Minutes"))
    r = run("exceptions", "check", bad)
    assert r.exit_code == 2 and f"{bad}:10:" in r.stderr and "1 entry read, 1 error." in r.stdout


# --- every path gives the same: in memory, streamed, in pieces, in worker processes ----------

@pytest.fixture(scope="module")
def log_and_register(tmp_path_factory):
    """About 200 cases in a CSV log, and a register excusing every third breach (half of them
    naming the due date) plus one entry for a case that does not exist."""
    import random

    from test_stream import _rows, _write_csv
    from test_properties import AS_AT as PROP_AS_AT, RULES as PROP_RULES
    from casecheck.inputs.cases import load_cases

    folder = tmp_path_factory.mktemp("log")
    log = _write_csv(folder / "log.csv", _rows(random.Random(11), 200, bad=3))
    cases, _ = load_cases([log])
    breaches = [f for f in check(cases, PROP_RULES, PROP_AS_AT) if f.is_breach]
    lines = ["case,rule,trigger,due,reason,approved_by,approved_on"]
    for i, f in enumerate(breaches[::3]):
        lines.append(f"{f.case},{f.rule.id},{f.trigger.date},{f.due if i % 2 else ''},agreed,SM,2023-01-01")
    lines.append("NO-SUCH-CASE,R-MIN,2022-01-01,,agreed,SM,2023-01-01")
    register = folder / "register.csv"
    register.write_text("\n".join(lines) + "\n")
    return log, str(register), PROP_RULES, PROP_AS_AT, len(breaches)


def _judged(findings):
    from casecheck.views.findings import finding_record
    return [finding_record(f) for f in findings]


def test_streamed_and_parallel_runs_excuse_exactly_what_the_in_memory_run_does(log_and_register):
    from casecheck.inputs.cases import load_cases
    from casecheck.replay.stream import check_paths
    from casecheck.replay.tally import Tally

    log, register_file, rules, as_at, n_breaches = log_and_register
    cases, _ = load_cases([log])
    register, errors = load_registers([register_file])
    assert errors == []
    reference = _judged(register.excuse(f) for f in check(cases, rules, as_at))
    unmatched = [str(w) for w in register.unmatched()]
    n_excused = sum(1 for r in reference if r["exception"])
    assert 0 < n_excused < n_breaches and len(unmatched) == 1 and "NO-SUCH-CASE" in unmatched[0]
    for kw in ({}, {"chunk_bytes": 500}, {"workers": 2, "chunk_bytes": 2000}):
        tally = Tally(load_registers([register_file])[0])
        result = check_paths([log], rules, as_at, keep_all=True, tally=tally, **kw)
        try:
            assert _judged(result.findings) == reference, kw
        finally:
            result.close()
        assert [str(w) for w in tally.register.unmatched()] == unmatched
        assert result.breach == any(r["status"] in ("late", "missing", "exceeded") and r["severity"] == "breach"
                                    and not r["exception"] for r in reference)
        assert tally.counts.excused == n_excused


def test_cli_workers_give_the_same_document_with_a_register(log_and_register, write):
    log, register_file, _, as_at, _ = log_and_register
    # Only R-MIN of the register's rules is loaded: entries for the others match nothing (warnings).
    rules = write("rules.yaml", RULES + """
  - {id: R-MIN, kind: response, trigger: cin_meeting, expect: minutes_sent, within: 15 working days, match: [meeting]}
""")
    outs = [run("check", log, "--rules", rules, "--as-at", str(as_at), "--format", "json", "--exceptions",
                register_file, "--workers", w) for w in ("1", "2")]
    assert outs[0].stdout == outs[1].stdout and outs[0].exit_code == outs[1].exit_code
    doc = json.loads(outs[0].stdout)
    assert any(f["exception"] for f in doc["findings"]) and any(
        "NO-SUCH-CASE" in w["message"] for w in doc["warnings"])


# --- the law ---------------------------------------------------------------------------------

@hsettings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_register_changes_no_status_no_lateness_and_no_finding(data):
    """Whatever a register says (entries for real breaches, with or without the due date, for
    findings that are not breaches, or for nothing), the findings are the same findings with the
    same status and lateness; only breaches are excused, and exactly those an entry names."""
    from test_properties import AS_AT as PROP_AS_AT, RULES as PROP_RULES, cases_st

    cases = data.draw(cases_st)
    plain = check(cases, PROP_RULES, PROP_AS_AT)
    entries = []
    for f in plain:
        choice = data.draw(st.sampled_from(["none", "exact", "no-due", "wrong-due", "wrong-trigger"]))
        if choice == "none":
            continue
        due = {"exact": f.due, "no-due": None, "wrong-due": f.due + dt.timedelta(days=1)}.get(choice, f.due)
        trigger = f.trigger.date - dt.timedelta(days=1) if choice == "wrong-trigger" else f.trigger.date
        entries.append(ExceptionEntry(f.case, f.rule.id, trigger, "r", "a", D("2023-01-01"), due, "reg.yaml", len(entries) + 1))
    register = Register(entries)
    judged = [register.excuse(f) for f in check(cases, PROP_RULES, PROP_AS_AT)]

    def shape(f):
        return (f.case, f.rule.id, f.status, f.trigger.date, f.due, f.actual and f.actual.date, f.days_late,
                f.working_days_late)

    assert [shape(f) for f in judged] == [shape(f) for f in plain]
    for f in judged:
        named = any(e.case == f.case and e.rule == f.rule.id and e.trigger == f.trigger.date
                    and (e.due is None or e.due == f.due) for e in entries)
        assert f.excused == (named and f.is_breach)
        assert f.fails_check == (f.is_breach and f.severity == "breach" and not named)
    def key(e):
        return (e.case, e.rule, e.trigger, e.due)

    used = {key(f.exception) for f in judged if f.excused}
    assert len(register.unmatched()) == len({key(e) for e in entries} - used)  # a repeated entry warns once


def test_chronology_and_report_count_the_excused_breach_apart(files, tmp_path):
    chron = run("chronology", files["cases"], "--case", "C-1042", "--rules", files["rules"], "--as-at", AS_AT,
                "--exceptions", files["register"]).stdout
    assert "0 breaches, 0 warnings, 1 excused" in chron and "Excused breach (late)" in chron
    # One case's chronology warns only about that case's unmatched entries, not the register's others.
    other = run("chronology", files["cases"], "--case", "C-2", "--rules", files["rules"], "--as-at", AS_AT,
                "--exceptions", files["register"])
    assert other.exit_code == 0 and "matches no breach" not in other.stderr
    out = tmp_path / "r.html"
    run("report", files["cases"], "--rules", files["rules"], "--as-at", AS_AT, "--exceptions", files["register"],
        "-o", out)
    html = out.read_text()
    assert "0 breaches, 0 warnings, 1 excused" in html and "<script" not in html


# --- the evidence in check's text -------------------------------------------------------------

def test_text_shows_who_held_the_case_the_extension_the_clock_stops_and_the_exception():
    from casecheck.model import ClockStop, Event
    from casecheck.views.findings import evidence, finding_line

    [f] = check([make_case(("2024-01-02", "cin_meeting"), ("2024-03-01", "minutes_sent"))], MIN_RULES, D(AS_AT))
    assert evidence(f) == []
    f.worker, f.team = "W-Amber", "CIN North"
    f.extension = Event(D("2024-01-15"), "minutes_extended")
    f.due = D("2024-02-05")
    f.clock_stops = (ClockStop(D("2024-01-02"), D("2024-01-14")), ClockStop(D("2024-02-20")))
    f.exception = entry(trigger="2024-01-02")
    assert evidence(f) == [
        "held by W-Amber (CIN North) on the due date",
        "extended on 2024-01-15 (the minutes extended)",  # the stops moved the due date on from the extended one
        "clock stopped 12 days (2024-01-02 to 2024-01-14)",
        "clock stopped from 2024-02-20, still stopped when judged",
        "excused: why, approved by who on 2022-03-01 (r.yaml:1)",
    ]
    line = finding_line(f, color=False)
    assert line.splitlines()[0].startswith("  late      R [excused]: ")
    assert line.splitlines()[2:] == ["            " + e for e in evidence(f)]
    f.worker = None
    assert evidence(f)[0] == "held by team CIN North on the due date"
    f.case_attrs = {"team": "CIN North"}  # the case's own team, shown in its heading already
    assert not evidence(f)[0].startswith("held by")
    f.clock_stops = ()
    assert evidence(f)[0] == "extended on 2024-01-15 to 2024-02-05 (the minutes extended)"


@pytest.mark.parametrize("name, text, says", [
    ("a.yaml", "exceptions: 5\n", "a register is a list of entries"),
    ("b.yaml", "- 5\n", "entry 1 is '5': each entry must be a mapping"),
    ("c.yaml", "- {case: [1], rule: R, trigger: 2022-01-01}\n", "entry: 'case' must be a single value, not a list"),
    ("d.csv", "", "empty file: expected a header row with case, rule"),
    ("e.csv", "case,rule,trigger,reason,approved_by,approved_on\n\"C-1,R\n", "row has 1 cells, the header has 6"),
    ("f.csv", b"\xff\xfe junk", "not valid UTF-16 text although it starts with a UTF-16 mark"),
    ("g.json", '[{"case": 1, "rule": "R", "trigger": "2022-01-01", "reason": "r", "approved_by": "a", '
               '"approved_on": "2022-01-02", "due": "2021-01-01"}]', "'due' 2021-01-01 is before 'trigger' 2022-01-01"),
    ("h.txt", "x", "not a register file (expected .yaml, .yml, .json, .csv)"),
])
def test_malformed_registers_are_named_never_a_traceback(write, name, text, says):
    path = write(name, text, "wb" if isinstance(text, bytes) else "w")
    r = run("exceptions", "check", path)
    assert r.exit_code == 2 and says in r.stderr and path in r.stderr


def test_check_text_shows_a_real_extension_stop_and_allocation(write):
    # The README's stage 2 complaint: extended, clock stopped a week, reallocated before the due date.
    rules = write("s2.yaml", """
ruleset: complaints
rules:
  - id: STAGE2-25WD
    title: Stage 2 investigation within 25 working days (up to 65)
    kind: response
    trigger: stage2_requested
    expect: stage2_response
    within: 25 working days
    extend: {by: stage2_extended, to: 65 working days}
    paused_by: awaiting_complainant
    resumed_by: complainant_replied
""")
    case = write("c.yaml", """
case: C-2001
team: Complaints
events:
  - {date: 2024-01-08, type: worker_allocated, worker: W-Amber}
  - {date: 2024-01-08, type: stage2_requested}
  - {date: 2024-02-01, type: stage2_extended, due: 2024-03-15}
  - {date: 2024-02-19, type: awaiting_complainant}
  - {date: 2024-02-26, type: complainant_replied}
  - {date: 2024-03-11, type: worker_allocated, worker: W-Blue}
  - {date: 2024-03-25, type: stage2_response}
""")
    r = run("check", case, "--rules", rules, "--as-at", AS_AT)
    assert r.exit_code == 1
    assert r.stdout.splitlines()[2:7] == [  # wrapped at 100 columns
        "            stage2_requested 2024-01-08; due 2024-03-22; stage2_response 2024-03-25;",
        "                3 days (1 working day) late",
        "            held by W-Blue (Complaints) on the due date",
        "            extended on 2024-02-01 (stage 2 was extended)",
        "            clock stopped 7 days (2024-02-19 to 2024-02-26)"]


def test_the_readme_excused_breach_example_is_what_check_prints(tmp_path, monkeypatch):
    import os
    import re

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    readme = open(os.path.join(root, "README.md"), encoding="utf-8").read()
    part = readme[readme.index("**An excused breach.**"):]
    yaml_block = re.search(r"```yaml\n(.*?)```\n", part, re.S)
    register = yaml_block.group(1)
    shown = re.search(r"\n```\n(.*?)```", part[yaml_block.end():], re.S).group(1).splitlines()
    (tmp_path / "register.yaml").write_text(register)
    monkeypatch.chdir(tmp_path)  # the README names the register as register.yaml
    r = run("check", os.path.join(root, "cases", "york-23-011-844.yaml"), "--as-at", "2024-10-14",
            "--exceptions", "register.yaml")
    plain = run("check", os.path.join(root, "cases", "york-23-011-844.yaml"), "--as-at", "2024-10-14")
    lines = r.stdout.splitlines()
    assert r.exit_code == 1 and lines[-1] == shown[-1]
    start = lines.index(shown[0])
    k = shown.index("...")  # the finding's lines, as wrapped at 100 columns
    assert k >= 3 and lines[start:start + k] == shown[:k]
    without = re.search(r"Without the register the last line reads `(.*?)`", part).group(1)
    assert plain.stdout.splitlines()[-1].endswith(without + ".")
