"""Streaming, parallel and Dask checks give exactly what the in-memory loader and check() give.

The reference is load_cases + check (every event in memory). Compared: every finding as its JSON
record in output order, every error (file, line, message) in order, and the number of cases.
"""

import datetime as dt
import io
import json
import os
import random
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.inputs.own import generator
from casecheck.inputs.cases import load_cases
from casecheck.model import MAX_ERRORS_PER_FILE
from casecheck.model import BREACHES
from casecheck.replay import check
from casecheck.counting import count
from casecheck.views.findings import finding_record, write_json
from casecheck.replay.stream import check_paths
from casecheck.replay.workers import CRASH_HOOK_ENV, WorkerDied
from test_properties import ALL_TYPES as TYPES
from test_properties import AS_AT, RULES, START

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def reference(paths, rules=RULES, as_at=AS_AT):
    cases, errors = load_cases(paths)
    return [finding_record(f) for f in check(cases, rules, as_at)], [str(e) for e in errors], len(cases)


def streamed(paths, rules=RULES, as_at=AS_AT, **kw):
    r = check_paths(paths, rules, as_at, keep_all=True, **kw)
    try:
        return [finding_record(f) for f in r.findings], [str(e) for e in r.errors], r.n_cases
    finally:
        r.close()


def _rows(rnd, n_cases, bad=0):
    """CSV rows (case, date, type, meeting) grouped by case, cases in random order; `bad` bad rows."""
    rows = []
    ids = [f"C-{i:03d}" for i in range(n_cases)]
    rnd.shuffle(ids)
    for cid in ids:
        for _ in range(rnd.randrange(1, 12)):
            etype = rnd.choice(TYPES)
            rows.append([cid, str(START + dt.timedelta(days=rnd.randrange(600))), etype,
                         rnd.choice(["", "a", "b"]), rnd.choice(["W-1", "W-2"]) if etype == "worker_allocated" else ""])
    for _ in range(bad):
        i = rnd.randrange(len(rows) + 1)
        cid = rnd.choice(ids + [""])
        rows.insert(i, rnd.choice([[cid, "2022-02-30", "referral", "", ""], [cid, "2022-01-01", "Bad Type", "", ""],
                                   [cid, "2022-01-01"]]))
    return rows


def _write_csv(path, rows, eol="\n"):
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("case,date,type,meeting,worker" + eol)
        for r in rows:
            f.write(",".join(r) + eol)
    return str(path)


PROP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.function_scoped_fixture])


@PROP
@given(st.randoms(use_true_random=False), st.integers(1, 25), st.integers(0, 4), st.booleans(), st.integers(1, 3),
       st.sampled_from([1, 5, 10_000]), st.sampled_from([None, 40, 200]), st.booleans())
def test_streaming_equals_the_in_memory_loader(tmp_path_factory, rnd, n_cases, bad, grouped, n_files, spill, chunk, crlf):
    """Grouped or shuffled rows, bad rows, one case's rows spread over several files (CSV and
    JSON), findings spilled to disk after every few, a log read row by row or cut into pieces
    (as workers read it), LF or CRLF lines: all as the in-memory loader."""
    folder = tmp_path_factory.mktemp("logs")
    rows = _rows(rnd, n_cases, bad)
    if not grouped:
        rnd.shuffle(rows)
    # Cut into n_files consecutive pieces, so cases on a cut are split across files.
    cuts = sorted(rnd.sample(range(1, len(rows)), min(n_files - 1, len(rows) - 1))) if len(rows) > 1 else []
    pieces = [rows[a:b] for a, b in zip([0] + cuts, cuts + [len(rows)])]
    paths = []
    for i, piece in enumerate(pieces):
        if i == 1 and all(len(r) == 5 and r[0] for r in piece):  # the second piece as JSON, if it can be
            doc = [{"case": r[0], "events": [{"date": r[1], "type": r[2], **({"meeting": r[3]} if r[3] else {}),
                                              **({"worker": r[4]} if r[4] else {})}]}
                   for r in piece]
            (folder / f"p{i}.json").write_text(json.dumps(doc, indent=1))
            paths.append(str(folder / f"p{i}.json"))
        else:
            paths.append(_write_csv(folder / f"p{i}.csv", piece, "\r\n" if crlf else "\n"))
    # A case table for some of the cases (and one with no events), as exported beside the log.
    ids = sorted({r[0] for r in rows if r and r[0]})
    table = "case,team,worker\n" + "".join(f"{c},T-{c},W-{c}\n" for c in ids[::2]) + "Z-NO-EVENTS,T-z,W-z\n"
    (folder / "cases.csv").write_text(table)
    ref = reference([str(folder)])
    assert streamed([str(folder)], spill_records=spill, chunk_bytes=chunk) == ref
    # Only breaches (the command line's default), and the exit status's "a breach" flag.
    r = check_paths([str(folder)], RULES, AS_AT, chunk_bytes=chunk)
    breaches = [rec for rec in ref[0] if rec["status"] in BREACHES]
    assert [finding_record(f) for f in r.findings] == breaches
    assert r.breach == any(rec["severity"] == "breach" for rec in breaches)
    r.close()


def test_a_csv_abandoned_part_way_spoils_every_case_it_touched(tmp_path):
    rnd = random.Random(5)
    rows = _rows(rnd, 30)
    junk = [["X", f"not-a-date-{i}", "x", "", ""] for i in range(MAX_ERRORS_PER_FILE + 5)]
    path = _write_csv(tmp_path / "log.csv", rows[:40] + junk + rows[40:])
    other = _write_csv(tmp_path / "other.csv", rows[:5])  # cases also in the abandoned file
    got = streamed([path, other])
    assert got == reference([path, other]) == streamed([path, other], chunk_bytes=100)
    assert any("the rest of the file was not read" in e for e in got[1])


def test_an_unreadable_row_stops_the_file(tmp_path):
    p = tmp_path / "log.csv"
    p.write_bytes(b"case,date,type\nA,2022-01-03,referral\nB,2022-01-03,referral\nC,\"2022-01-03\0,x\n")
    assert streamed([str(p)]) == reference([str(p)])


@pytest.fixture(scope="module")
def big_log(tmp_path_factory):
    """About 300 cases, grouped, with a few bad rows, plus a second file sharing cases."""
    folder = tmp_path_factory.mktemp("big")
    rnd = random.Random(7)
    rows = _rows(rnd, 300, bad=6)
    _write_csv(folder / "a.csv", rows)
    (folder / "cases.csv").write_text("case,team,worker\n" + "".join(f"C-{i:03d},T-{i % 7},W-{i % 11}\n"
                                                                     for i in range(0, 300, 3)))
    _write_csv(folder / "b.csv", rows[:20])
    return [str(folder)]


def test_workers_give_the_same_findings_in_the_same_order(big_log):
    one = streamed(big_log, workers=1)
    assert one[0] and one == reference(big_log)
    # worker and team reached the findings: from allocations and from the case table
    assert {f["worker"] for f in one[0]} >= {"W-1", "W-2", "W-0"} and any(f["team"] for f in one[0])
    assert streamed(big_log, workers=2, spill_records=50) == one
    assert streamed(big_log, workers=2, chunk_bytes=500) == one


def test_a_dying_worker_is_reported_not_hung(big_log, monkeypatch):
    cases, _ = load_cases(big_log)
    monkeypatch.setenv(CRASH_HOOK_ENV, cases[len(cases) // 2].id)
    with ThreadPoolExecutor(1) as watch:  # a hang fails the test after 60 s instead of hanging it
        with pytest.raises(WorkerDied, match="worker process died"):
            watch.submit(streamed, big_log, workers=2).result(timeout=60)
    # and from the command line: exit 2 with a clear message, well within the timeout
    env = dict(os.environ, **{CRASH_HOOK_ENV: cases[0].id})
    r = subprocess.run([sys.executable, os.path.join(ROOT, "cli.py"), "check", *big_log, "--workers", "2",
                        "--as-at", "2023-06-30"], capture_output=True, text=True, timeout=60, env=env, cwd=ROOT)
    assert r.returncode == 2 and "worker process died" in r.stderr


def test_dask_cluster_gives_the_same_findings(big_log):
    from distributed import LocalCluster
    with LocalCluster(n_workers=1, threads_per_worker=2, processes=False, protocol="tcp://", host="127.0.0.1",
                      dashboard_address=None) as cluster:
        assert streamed(big_log, dask_address=cluster.scheduler_address) == reference(big_log)


def test_json_written_as_findings_arrive_is_json_dump_text(big_log):
    cases, errors = load_cases(big_log)
    findings = check(cases, RULES, AS_AT)[:7]
    for fs, errs, warns in ((findings, errors, errors[1:2]), ([], [], []), (findings[:1], errors[:1], None)):
        out = io.StringIO()
        write_json(out, AS_AT, 12, iter(fs), errs, None if warns is None else lambda: warns)
        doc = {"generator": generator(), "as_at": str(AS_AT), "findings": [finding_record(f) for f in fs],
               "totals": count(fs).totals(12),
               "errors": [e.as_dict() for e in errs], "warnings": [w.as_dict() for w in warns or []]}
        assert out.getvalue() == json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def test_cli_workers_output_is_identical(big_log):
    from click.testing import CliRunner
    from casecheck.cli import main
    rules = os.path.join(ROOT, "rules")
    outs = [CliRunner().invoke(main, ["check", *big_log, "--rules", rules, "--as-at", "2023-06-30", "--all",
                                      "--format", "json", "--workers", w]) for w in ("1", "2")]
    assert outs[0].exit_code == outs[1].exit_code == 2  # the log has bad rows
    assert outs[0].stdout == outs[1].stdout and json.loads(outs[0].stdout)["findings"]
