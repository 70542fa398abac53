"""Sizes: every bound lives in inputs/limits.py, and going past one is a named error, not a crash."""

import datetime as dt
import json
import pickle

from casecheck.inputs import limits
from casecheck.inputs.cases import load_cases
from casecheck.model import InputProblem
from casecheck.replay.stream import check_paths
from casecheck.rules.load import load_rules

RULES = """\
ruleset: sz
rules:
  - id: R1
    kind: response
    trigger: referral
    expect: assessment_completed
    within: 10 days
"""


def test_input_problem_survives_pickling_whole():
    p = pickle.loads(pickle.dumps(InputProblem("a.csv", 7, "bad row")))
    assert isinstance(p, InputProblem) and (p.error.file, p.error.line, p.error.message) == ("a.csv", 7, "bad row")


def test_numbers_of_more_than_4300_digits_stay_text(write):
    big = "9" * 5000
    y = write("big.yaml", f"case: {big}\nteam: {big}\nevents:\n  - {{date: 2022-01-01, type: referral, n: {big}}}\n")
    j = write("big.json", json.dumps({"case": "J", "events": []})[:-1] + f', "team": {big}}}')
    c = write("big.csv", f"case,date,type,n\n{big}1,2022-01-01,referral,{big}\n")
    cases, errors = load_cases([y, j, c])
    assert errors == []
    by_id = {x.id: x for x in cases}
    assert by_id[big].attrs["team"] == big and by_id[big].events[0].attrs["n"] == big
    assert by_id["J"].attrs["team"] == big and by_id[big + "1"].events[0].attrs["n"] == big


def test_a_single_line_yaml_file_over_the_line_limit_is_refused_with_its_line(write):
    path = write("one.yaml", "case: A\nevents: [" + "{date: 2022-01-01, type: referral}, " * 40_000 + "]\n")
    cases, errors = load_cases([path, write("g.yaml", "case: G\nevents: []\n")])
    assert [c.id for c in cases] == ["G"]
    assert (errors[0].file, errors[0].line) == (path, 2) and "limit for one line" in errors[0].message


def _log_with_huge_cell(n_cases: int, bad_case: int) -> str:
    rows = ["case,date,type,note"]
    for i in range(n_cases):
        note = "x" * (limits.MAX_CELL_CHARS + 10) if i == bad_case else ""
        rows.append(f"C-{i:04d},2022-01-03,referral,{note}")
    return "\n".join(rows) + "\n"


def test_a_cell_over_the_limit_is_named_the_same_by_one_process_and_by_workers(write):
    rules, _ = load_rules([write("r.yaml", RULES)])
    log = write("log.csv", _log_with_huge_cell(3000, 2500))
    other = write("other.yaml", "case: Y\nevents:\n  - {date: 2022-01-03, type: referral}\n")
    line = 2500 + 2
    results, named = [], []
    for kw in ({"workers": 1}, {"workers": 2, "chunk_bytes": 8192}):
        res = check_paths([log, other], rules, dt.date(2022, 6, 1), **kw)
        found = [f.case for f in res.findings]
        res.close()
        cell = [e for e in res.errors if "characters" in e.message]
        assert [(e.file, e.line) for e in cell] == [(log, line)], res.errors
        assert "Y" in found  # the good neighbour is still checked
        results.append(found)
        named.append(sorted(e.message.split()[1] for e in res.errors if "not checked" in e.message))
    assert "C-2999" not in results[0] and "C-2999" not in results[1]
    # no case is lost in silence: each case the file touched is named as not checked, alike
    assert named[0] == named[1] == [f"C-{i:04d}" for i in range(2500)]  # C-2500: the unreadable row
