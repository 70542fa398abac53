"""bench/run.py, the benchmark runner, end to end on a tiny generated log: each row measured in a
process of its own, appended to the results file as a JSON line, and printed as a table with its
ratios; the timed-response rows (casecheck, the plain reference, the columnar prototype) agree on
every finding."""

import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUN = os.path.join(ROOT, "bench", "run.py")
ROWS = ["casecheck, timed responses, 1 worker", "plain Python reference (bisect)",
        "columnar prototype, timed responses", "check --format json"]


def test_the_runner_measures_each_row_and_the_timed_responses_agree(tmp_path):
    out = tmp_path / "results.jsonl"
    p = subprocess.run([sys.executable, RUN, "--sizes", "200", "--logs", str(tmp_path), "--out", str(out),
                        *(x for row in ROWS for x in ("--only", row))], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stderr
    rows = {r["tool"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert sorted(rows) == sorted(ROWS)
    for r in rows.values():
        assert "error" not in r, r
        assert r["cases"] == 200 and r["seconds"] > 0 and r["rss_mb"] > 0 and r["tree_rss_mb"] >= r["rss_mb"]
    responses = [rows[t] for t in ROWS[:3]]
    assert len({r["digest"] for r in responses}) == 1
    assert len({json.dumps(r["findings"], sort_keys=True) for r in responses}) == 1
    assert set(responses[0]["findings"]) <= {"met", "late", "missing", "due"} and responses[0]["findings"]["late"] > 0
    assert rows["check --format json"]["exit"] == 1  # breaches found: exit 1, not a failure
    table = p.stdout[p.stdout.index("| cases |"):]
    line = next(line for line in table.splitlines() if ROWS[0] in line)
    for baseline in ROWS[1:3]:  # the reference and the prototype
        ratio = rows[ROWS[0]]["seconds"] / rows[baseline]["seconds"]
        assert f"{round(ratio, 2)}x {baseline}" in line
    replayed = subprocess.run([sys.executable, RUN, "--table", str(out)], capture_output=True, text=True, cwd=ROOT)
    assert replayed.stdout.strip() == table.strip()


def test_the_runner_refuses_a_row_it_does_not_have():
    p = subprocess.run([sys.executable, RUN, "--only", "core,summry"], capture_output=True, text=True, cwd=ROOT)
    assert p.returncode != 0 and "no group or row named summry" in p.stderr
