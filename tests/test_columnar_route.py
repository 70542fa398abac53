"""check_paths' columnar route (the default) against the replay engine alone, end to end: random
clean CSV logs and response rules (now and then a max_total or an extended max_duration rule), an exceptions register excusing some breaches. Everything a
command reads from the result is the same: findings (every field, the order, which are excused),
the case count, errors, the tally's counts and verdict, and the census of event types (for the
warnings)."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.inputs.exceptions import load_registers
from casecheck.replay import columnar
from casecheck.replay.stream import check_paths
from casecheck.replay.tally import Tally
from casecheck.rules.load import ruleset_from_data
from casecheck.views.findings import finding_record

from test_columnar_diff import START, TYPES, response_rule
from test_columnar_periods import max_duration_rule, max_total_rule

TYPES_IN_LOG = TYPES + ["home_visit", "hme_visit"]  # a type no rule names, and a typo of one
row_st = st.tuples(st.integers(0, 700), st.sampled_from(TYPES_IN_LOG), st.sampled_from(["", "m1", "m2"]),
                   st.sampled_from(["", "t1", "t2"]), st.sampled_from(["", "W1", "W2"]),
                   st.sampled_from(["", "", "2023-06-01", "2024-03-01", "x"]))  # an extension's `due`


@st.composite
def log_st(draw):
    """A clean log: grouped by case, each case's rows in any date order, in UTF-8."""
    lines = ["case,date,type,meeting,team,worker,due"]
    for cid in draw(st.lists(st.sampled_from(["C-1", "C-2", "C-10", "D-7", "é-1"]), min_size=1, max_size=4,
                             unique=True)):
        for day, etype, meeting, team, worker, due in draw(st.lists(row_st, min_size=1, max_size=25)):
            lines.append(f"{cid},{START + dt.timedelta(days=day)},{etype},{meeting},{team},{worker},{due}")
    text = "\n".join(lines) + draw(st.sampled_from(["\n", ""]))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")  # saved on Windows
    return draw(st.sampled_from(["", "\ufeff"])) + text  # with or without a byte-order mark


@st.composite
def rules_st(draw):
    rules = [draw(response_rule(i)) for i in range(draw(st.integers(1, 3)))]
    # now and then a max_total or a max_duration with `extend` (findings with an extension)
    rules += draw(st.lists(st.one_of(max_total_rule(7), max_duration_rule(8, extend=True)), max_size=1))
    for r in rules:
        r["severity"] = draw(st.sampled_from(["breach", "warning"]))
    data = {"ruleset": "route", "calendar": "england-and-wales",
            "rules": [dict(r, title=r.get("title", r["id"])) for r in rules]}
    parsed, errors = ruleset_from_data(data, "<route>")
    assert not errors, [str(e) for e in errors]
    return parsed


def _run(path, rules, as_at, keep_all, register_path, columnar_path):
    tally = Tally(load_registers([str(register_path)])[0] if register_path else None)
    r = check_paths([path], rules, as_at, keep_all=keep_all, tally=tally, columnar_path=columnar_path)
    try:
        # trigger.seq is not compared: it only orders same-date events (by line where a log is read
        # in pieces, by row where it is read row by row), and the findings' order is compared.
        got = [(finding_record(f), f.exception is not None) for f in r.findings]
    finally:
        r.close()
    return {"findings": got, "cases": r.n_cases, "errors": r.errors, "notes": r.notes, "breach": r.breach,
            "census": dict(r.census), "kinds": tally.counts.kinds, "statuses": tally.statuses,
            "judged": r.judged | tally.judged,  # the rules that judged a case (replay.judged)
            "missing": tally.missing_in_several_cases()}


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(log=log_st(), rules=rules_st(), as_at_day=st.integers(0, 800), keep_all=st.booleans(),
       excuse=st.lists(st.integers(0, 50), max_size=4))
def test_the_columnar_route_gives_what_the_usual_reader_gives(tmp_path_factory, monkeypatch, log, rules,
                                                               as_at_day, keep_all, excuse):
    folder = tmp_path_factory.mktemp("route")
    path = folder / "log.csv"
    path.write_bytes(log.encode("utf-8"))
    as_at = START + dt.timedelta(days=as_at_day)
    plain = _run(str(path), rules, as_at, True, None, False)
    # Excuse some of the breaches the usual reader finds (by case, rule and trigger date).
    breaches = [rec for rec, _ in plain["findings"] if rec["status"] in ("late", "missing")]
    register = None
    if breaches and excuse:
        lines = ["case,rule,trigger,reason,approved_by,approved_on"]
        for i in excuse:
            rec = breaches[i % len(breaches)]
            lines.append(f"{rec['case']},{rec['rule']},{rec['trigger']['date']},agreed,TM,{as_at}")
        register = folder / "register.csv"
        register.write_text("\n".join(lines) + "\n", encoding="utf-8")
    calls = []
    real = columnar.check_piece
    monkeypatch.setattr(columnar, "check_piece", lambda *a, **k: (real(*a, **k), calls.append(1))[0])
    fast = _run(str(path), rules, as_at, keep_all, register, True)
    assert calls, "the route was not taken"
    monkeypatch.setattr(columnar, "check_piece", real)
    usual = _run(str(path), rules, as_at, keep_all, register, False)
    assert fast == usual


def test_the_route_is_the_default_and_scoped_or_relaxed_rules_give_the_usual_findings(write, monkeypatch):
    log = write("log.csv", "case,date,type\nC1,2023-01-02,referral\nC1,2023-03-01,assessment_authorised\n")
    base = {"id": "R", "title": "t", "kind": "response", "trigger": "referral", "expect": "assessment_authorised",
            "within": "10 days"}
    calls = []
    real = columnar.check_piece
    monkeypatch.setattr(columnar, "check_piece", lambda *a, **k: (real(*a, **k), calls.append(1))[0])
    for extra, statuses in (({"applies_to": {"council": "City of York Council"}}, []),  # the log names no council
                            ({"applies_to": {"case": ["C1"]}}, ["late"]),
                            ({"suspended": [{"from": "2023-01-01", "until": "2023-02-01", "by": "SI 2020/445"}]}, []),
                            ({"suspended": [{"from": "2023-02-01", "until": "2023-02-02", "by": "SI 2020/445"}]}, ["late"])):
        rules, errors = ruleset_from_data({"ruleset": "s", "rules": [dict(base, **extra)]}, "<s>")
        assert not errors, [str(e) for e in errors]
        assert columnar.supports(rules[0])
        got = []
        for fast in (True, False):
            calls.clear()
            r = check_paths([log], rules, dt.date(2024, 1, 1), columnar_path=fast)
            got.append([(f.status, f.due) for f in r.findings])
            r.close()
            assert calls == ([1] if fast else [])
        assert got[0] == got[1] and [s for s, _ in got[0]] == statuses, extra
    calls.clear()
    rules, _ = ruleset_from_data({"ruleset": "s", "rules": [base]}, "<s>")
    r = check_paths([log], rules, dt.date(2024, 1, 1))
    assert [f.status for f in r.findings] == ["late"] and calls == [1]
    r.close()


@pytest.mark.parametrize("text", [
    "C1,2023-01-02,referral\n'=C2,2023-01-02,referral\n",   # a spreadsheet's quote the usual reader takes off
    "C1,1899-12-31,referral\n",                              # outside the supported dates
    "C1,2023-01-02,referral\nC2,2023-01-02,r\xe9ferral\n",   # Windows-1252: the usual reader's note
])
def test_logs_needing_the_usual_readers_rules_are_refused(tmp_path, text):
    path = tmp_path / "log.csv"
    path.write_bytes(("case,date,type\n" + text).encode("cp1252"))
    rules, _ = ruleset_from_data({"ruleset": "s", "rules": [
        {"id": "R", "title": "t", "kind": "response", "trigger": "referral", "expect": "x", "within": "1 day"}]}, "<s>")
    with pytest.raises(columnar.NotColumnar):
        columnar.check_log(str(path), rules, dt.date(2024, 1, 1))
