"""The peers, run in bench/.venv (pip install -r bench/requirements.txt): prints one JSON line.

    bench/.venv/bin/python bench/peers.py declare4py LOG AS_AT
    bench/.venv/bin/python bench/peers.py pm4py LOG AS_AT

Both get bench/rules-response.yaml's timed responses in the closest form they can express:
- Declare4Py 2.2.0 (MP-Declare conformance): Response[a, b] with a time condition in calendar
  days (Declare has no working days: 15 working days -> 21 days, 20 -> 28, 65 -> 91; 26 weeks ->
  182; 4 months -> 122) and no `match` (it has no correlation between activation and target here).
- PM4Py temporal profile conformance: for each pair (a, b) of the rules, every b after an a
  must come within [0, limit] days (mean = std = limit/2, zeta = 1). It judges every later b,
  not only the first, and nothing for an a with no b.
Timing includes reading the CSV with pandas and building each tool's log.
"""

import json
import resource
import sys
import time

PAIRS = [("cin_meeting", "minutes_sent", 21), ("cin_plan_started", "service_manager_review", 182),
         ("cin_plan_started", "team_manager_next_steps", 122), ("complaint_received", "stage1_response", 28),
         ("stage2_started", "stage2_response", 91)]


def load(log):
    import pandas as pd
    import pm4py
    df = pd.read_csv(log, dtype=str, keep_default_na=False)
    df["time:timestamp"] = pd.to_datetime(df["date"])
    df = pm4py.format_dataframe(df, case_id="case", activity_key="type", timestamp_key="time:timestamp")
    return df


def declare4py(log, as_at):
    import pm4py
    from Declare4Py.D4PyEventLog import D4PyEventLog
    from Declare4Py.ProcessMiningTasks.ConformanceChecking.MPDeclareAnalyzer import MPDeclareAnalyzer
    from Declare4Py.ProcessModels.DeclareModel import DeclareModel
    t = time.perf_counter()
    df = load(log)
    event_log = D4PyEventLog(log=pm4py.convert_to_event_log(df))
    acts = sorted({x for a, b, _ in PAIRS for x in (a, b)})
    text = "\n".join([f"activity {a}" for a in acts] +
                     [f"Response[{a}, {b}] | | |0,{d},d" for a, b, d in PAIRS])
    model = DeclareModel().parse_from_string(text)
    res = MPDeclareAnalyzer(log=event_log, declare_model=model, consider_vacuity=False).run()
    violations = res.get_metric(metric="num_violations")
    total = int(violations.fillna(0).to_numpy().sum())
    return time.perf_counter() - t, {"violations": total, "cases": len(event_log.get_log())}


def pm4py_tp(log, as_at):
    import pm4py
    t = time.perf_counter()
    df = load(log)
    day = 86400.0
    profile = {(a, b): (d * day / 2, d * day / 2) for a, b, d in PAIRS}
    result = pm4py.conformance_temporal_profile(df, profile, zeta=1.0)
    deviations = sum(len(r) for r in result)
    return time.perf_counter() - t, {"deviations": deviations, "cases": len(result)}


if __name__ == "__main__":
    tool, log, as_at = sys.argv[1:4]
    secs, summary = {"declare4py": declare4py, "pm4py": pm4py_tp}[tool](log, as_at)
    rss = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    print(json.dumps({"seconds": round(secs, 2), "rss_mb": rss, **summary}))
