"""The columnar reader: a clean CSV log gives check_paths' cases and findings (every field, same
order) chunk by chunk; a log that needs the usual reader's checks is refused before any finding."""

import datetime as dt

import pytest

from casecheck.replay.columnar import NotColumnar, check_log, merged
from casecheck.replay.stream import check_paths
from casecheck.views.findings import finding_record

from conftest import make_rules

AS_AT = dt.date(2024, 6, 1)
RULES = make_rules(
    {"id": "MIN", "title": "minutes", "kind": "response", "trigger": "cin_meeting", "expect": "minutes_sent",
     "within": "15 working days", "match": ["meeting"]},
    {"id": "NEXT", "title": "next steps", "kind": "response", "trigger": "cin_plan_started",
     "expect": "team_manager_next_steps", "within": "4 months", "optional": False},
    {"id": "PLAN", "title": "plan", "kind": "max_duration", "limit": "9 months", "from": "cin_plan_started",
     "until": "cin_plan_ended"},  # handed to the replay engine
)
LOG = """case,date,type,meeting
C3,2023-01-02,cin_plan_started,
C3,2023-01-09,cin_meeting,m1
C3,2023-02-20,minutes_sent,m1
C3,2023-02-21,home_visit,
C1,2023-03-01,cin_meeting,m1
C1,2023-03-01,cin_plan_started,
C1,2023-03-03,cin_meeting,m2
C1,2023-03-06,minutes_sent,m2
C1,2023-12-20,cin_plan_ended,
C2,2024-05-30,cin_meeting,
C2,2024-07-01,minutes_sent,
"""


def _fields(findings):
    return [(finding_record(f), f.trigger.date) for f in findings]


@pytest.mark.parametrize("chunk", [40, 1 << 20])  # many chunks of whole cases, and one
@pytest.mark.parametrize("keep_all", [False, True])
def test_a_clean_log_gives_check_paths_findings(write, chunk, keep_all):
    path = write("log.csv", LOG)
    n, found, handed = check_log(path, RULES, AS_AT, breaches_only=not keep_all, chunk_bytes=chunk)
    findings = list(merged(found, handed, RULES, {}))
    ref = check_paths([path], RULES, AS_AT, keep_all=keep_all, columnar_path=False)  # the replay engine
    expected = list(ref.findings)
    ref.close()
    assert n == ref.n_cases == 3
    assert _fields(findings) == _fields(expected) and len(expected) >= 4


@pytest.mark.parametrize("log", [
    LOG + "C3,2024-01-01,cin_meeting,m9\n",                      # C3 again: not grouped by case
    LOG.replace("2023-03-03", "2023-02-30"),                     # an impossible date
    LOG.replace("2023-03-03", "3 March 2023"),                   # not ISO
    LOG.replace("cin_meeting,m2", "CIN Meeting,m2"),             # not an event type
    LOG.replace("C1,2023-03-06,minutes_sent,m2", "C1,2023-03-06,minutes_sent"),  # a short row
    LOG.replace("m1\nC1", '"m1"\nC1'),                           # quotes: lines may not be rows
    LOG.replace("\nC2,", "\n\nC2,"),                             # a blank line
    LOG.replace("\nC2,", "\n,"),                                 # no case
])
def test_a_log_needing_the_usual_readers_checks_is_refused(write, log):
    with pytest.raises(NotColumnar):
        check_log(write("log.csv", log), RULES, AS_AT, chunk_bytes=60)


def test_check_paths_checks_clean_pieces_of_a_log_by_the_columnar_path_and_the_rest_as_usual(write, monkeypatch):
    from casecheck.replay import columnar
    path = write("log.csv", LOG)
    slow = check_paths([path], RULES, AS_AT, columnar_path=False)  # the replay engine alone
    expected, slow_breach = _fields(slow.findings), slow.breach
    slow.close()
    calls = []
    real = columnar.check_piece
    monkeypatch.setattr(columnar, "check_piece", lambda *a, **k: calls.append(a) or real(*a, **k))
    pieces = []
    for kw in ({}, {"chunk_bytes": 40}):  # the whole log as one piece, and many pieces of whole cases
        calls.clear()
        fast = check_paths([path], RULES, AS_AT, **kw)
        assert _fields(fast.findings) == expected and fast.breach == slow_breach is True
        assert fast.n_cases == 3 and fast.errors == []
        fast.close()
        pieces.append(len(calls))
    assert 1 <= pieces[0] < pieces[1]
    dirty = write("dirty.csv", LOG.replace("2023-03-03", "2023-02-30"))
    ref = check_paths([dirty], RULES, AS_AT, columnar_path=False)
    expected = (_fields(ref.findings), ref.n_cases, [str(e) for e in ref.errors])
    ref.close()
    # the piece holding C1's bad row is refused by the columnar reader and read as usual, with its
    # error (C1 not checked); the other pieces are checked as columns
    refused = []
    monkeypatch.setattr(columnar, "check_piece", lambda *a, **k: _spy_refusal(real, refused, *a, **k))
    r = check_paths([dirty], RULES, AS_AT, chunk_bytes=40)
    assert (_fields(r.findings), r.n_cases, [str(e) for e in r.errors]) == expected
    assert expected[1] == 2 and "2023-02-30" in expected[2][0]
    assert refused.count(True) == 1 and refused.count(False) >= 1
    r.close()


def _spy_refusal(real, refused, *a, **k):
    try:
        out = real(*a, **k)
    except NotColumnar:
        refused.append(True)
        raise
    refused.append(False)
    return out


def test_a_log_with_allocations_attributes_each_finding_as_check_paths_does(write):
    log = ("case,date,type,meeting,worker,team\n"
           "C1,2023-01-02,worker_allocated,,W1,North\n"
           "C1,2023-01-09,cin_meeting,m1,,\n"
           "C1,2023-02-01,worker_allocated,,W2,\n"
           "C1,2023-03-01,cin_meeting,m2,,\n"
           "C2,2023-03-01,cin_meeting,m1,,\n")
    path = write("log.csv", log)
    n, found, handed = check_log(path, RULES, AS_AT, chunk_bytes=70)
    ref = check_paths([path], RULES, AS_AT, columnar_path=False)  # the replay engine
    expected = list(ref.findings)
    ref.close()
    got = list(merged(found, handed, RULES, {}))
    assert [(f.case, f.worker, f.team) for f in got] == [("C1", "W1", "North"), ("C1", "W2", "North"),
                                                         ("C2", None, None)]
    assert _fields(got) == _fields(expected)
