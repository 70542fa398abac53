"""One measurement in its own process (so peak RSS is its own): prints one JSON line.

rss_mb is this process's peak; tree_rss_mb the peak, sampled every 0.5 s, of the sum over this
process and every process under it (the workers).

    python bench/measure.py casecheck PATH AS_AT WORKERS RULES [replay]   (the project's venv)
    python bench/measure.py reference LOG AS_AT
    python bench/measure.py columnar FOLDER AS_AT RULES [every,max_duration]   (kinds handed back)
    python bench/measure.py prototype LOG AS_AT                  (bench/prototype.py, breaches to /dev/null)
    python bench/measure.py cli [--dask-workers N] -- COMMAND...  (any command, end to end)

`cli` times a whole command from start to exit (interpreter start-up and imports included) and
samples the tree under it; its rss_mb is the largest single process (getrusage of the children).
With --dask-workers N, a LocalCluster of N worker processes (one thread each) is started first,
not timed, and `{dask}` in COMMAND is replaced by its scheduler's address; the tree then counts
the cluster's processes (and this one, where the scheduler runs) too.

PATH: a log, or a folder (a log and its case table). `replay`: the replay engine alone
(check_paths(columnar_path=False)), the reference the columnar path is tested against.
"""

import datetime as dt
import hashlib
import json
import os
import resource
import sys
import time
from collections import Counter

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.dirname(HERE))


_TREE_PEAK = [0]
_TREE_CPU: dict[int, int] = {}  # pid -> the most CPU clock ticks seen of it (user + system)


def _tree_rss_kb(root: int, include_root: bool = True) -> int:
    """RSS of root and all its descendants (workers are the forkserver's children), from /proc."""
    parent, rss, ticks = {}, {}, {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
                parent[int(d)] = int(fields[1])
                ticks[int(d)] = int(fields[11]) + int(fields[12])  # utime + stime
                with open(f"/proc/{d}/statm") as f:
                    rss[int(d)] = int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024
            except (OSError, ValueError, IndexError):
                pass
    total = 0
    for pid in rss:
        p, seen = pid, 0
        while p and p != root and seen < 64:
            p, seen = parent.get(p, 0), seen + 1
        if p == root and (include_root or pid != root):
            total += rss[pid]
            if pid in ticks:
                _TREE_CPU[pid] = max(_TREE_CPU.get(pid, 0), ticks[pid])
    return total


def _sample(interval=0.5, include_root=True):
    me = os.getpid()
    while True:
        _TREE_PEAK[0] = max(_TREE_PEAK[0], _tree_rss_kb(me, include_root))
        time.sleep(interval)


def peak_mb():
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return round(own), round(_TREE_PEAK[0] / 1024)


def _size(path):
    if os.path.isdir(path):
        return sum(os.path.getsize(os.path.join(path, f)) for f in os.listdir(path))
    return os.path.getsize(path)


def casecheck(path, as_at, workers, rules_path, engine="default"):
    """WORKERS: a number, or "default" (what `casecheck check` chooses by the input's size)."""
    from casecheck.rules.load import load_rules
    from casecheck.replay.stream import check_paths
    t = time.perf_counter()
    rules, errors = load_rules([rules_path])
    assert not errors, errors
    response_only = rules_path.endswith("rules-response.yaml")
    if workers == "default":  # imported here: the package before issue 15 has no default_workers
        from casecheck.replay.workers import default_workers
        n = default_workers(_size(path))
    else:
        n = int(workers)
    # the package before issue 15 has no columnar_path: it is passed only when asked for
    kw = {"columnar_path": False} if engine == "replay" else {}
    try:  # as the CLI does: a tally (no register), so findings come as frames where they can
        from casecheck.replay.tally import Tally
        kw["tally"] = Tally()
    except ImportError:
        pass
    r = check_paths([path], rules, dt.date.fromisoformat(as_at), workers=n, keep_all=response_only, **kw)
    if response_only:  # every finding, for the digest compared with the reference
        frames = getattr(r, "frames", None)
        summary = _digest(r.findings) if frames is None else _digest_frames(frames, rules)
    else:  # breaches written as the CLI's --format json would, to /dev/null
        summary = {"findings": _write_json(r.findings, as_at, r.n_cases, getattr(r, "frames", None), rules)}
    r.close()
    return time.perf_counter() - t, dict(summary, cases=r.n_cases, errors=len(r.errors), workers=n)


def _write_json(findings, as_at, n_cases, frames=None, rules=None):
    """Breaches written as `check --format json` writes them (by columns where findings come as
    frames), to /dev/null; returns their numbers by status."""
    from casecheck.views.findings import write_json
    n = Counter()

    def counted():
        for f in findings:
            n[f.status] += 1
            yield f

    def counted_frames():
        for frame in frames:
            n.update(dict(frame["status"].value_counts().iter_rows()))
            yield frame
    with open(os.devnull, "w") as devnull:
        if frames is not None:
            write_json(devnull, dt.date.fromisoformat(as_at), n_cases, (), [], frames=counted_frames(), rules=rules)
        else:
            write_json(devnull, dt.date.fromisoformat(as_at), n_cases, counted(), [])
    return dict(n)


def _digest(findings):
    out = sorted((f.case, f.rule.id, f.trigger.date.isoformat(), f.due.isoformat(), f.status) for f in findings)
    return {"findings": dict(Counter(o[4] for o in out)),
            "digest": hashlib.sha256("\n".join(map(repr, out)).encode()).hexdigest()[:16]}


def _digest_frames(frames, rules):
    """_digest of findings carried as frames, by columns as bench/prototype.py digests its own."""
    import polars as pl
    import prototype
    ids = {i: r.id for i, r in enumerate(rules)}
    epoch = dt.date(1970, 1, 1).toordinal()
    found = pl.concat(list(frames)).select(
        "case", pl.col("rule").replace_strict(ids, return_dtype=pl.String),
        (pl.col("t_ord") - epoch).cast(pl.Date).alias("trigger"), (pl.col("due") - epoch).cast(pl.Date), "status")
    return {"findings": dict(found["status"].value_counts().iter_rows()), "digest": prototype.digest(found)}


def columnar(folder, as_at, rules_path, hand_back=""):
    """The columnar path on its own (casecheck.replay.columnar.check_log, every finding held in
    memory): every finding for the timed responses (digest), breaches as JSON for other rule sets.
    The case table is read with the csv module. hand_back: kinds, comma-separated, that the
    replay engine checks instead (as before the columnar path expressed them), to measure one
    kind's share: the findings stay the same."""
    import csv
    from casecheck.rules.load import load_rules
    from casecheck.replay import columnar as col
    from casecheck.replay.columnar import check as colcheck
    for kind in filter(None, hand_back.split(",")):
        colcheck.KINDS.pop(kind)
    t = time.perf_counter()
    rules, errors = load_rules([rules_path])
    assert not errors, errors
    response_only = rules_path.endswith("rules-response.yaml")
    with open(os.path.join(folder, "events.cases.csv"), newline="", encoding="utf-8") as f:
        attrs = {row.pop("case"): row for row in csv.DictReader(f)}
    n_cases, found, handed = col.check_log(os.path.join(folder, "events.csv"), rules, dt.date.fromisoformat(as_at),
                                           breaches_only=not response_only, case_attrs=attrs)
    findings = col.merged(found, handed, rules, attrs)
    summary = _digest(findings) if response_only else {"findings": _write_json(findings, as_at, n_cases)}
    return time.perf_counter() - t, dict(summary, cases=n_cases)


def reference(log, as_at):
    import contextlib
    import io
    import reference as ref
    t = time.perf_counter()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        ref.main(log, as_at)
    return time.perf_counter() - t, json.loads(buf.getvalue())


def prototype(log, as_at):
    import polars as pl
    import prototype as proto
    t = time.perf_counter()
    n_cases, found = proto.check(log, dt.date.fromisoformat(as_at))
    breaches = found.filter(pl.col("status").is_in(["late", "missing"])).sort("case", "due", "rule", "trigger")
    breaches.write_ndjson(os.devnull)
    secs = time.perf_counter() - t  # the digest is for comparing, as the reference's is not timed apart
    counts = dict(found.group_by("status").len().iter_rows())
    return secs, {"cases": n_cases, "findings": {k: counts[k] for k in sorted(counts)}, "digest": proto.digest(found)}


def cli(*argv):
    """A command end to end, in a process of its own; its exit status is recorded (check, due: 1
    is a breach found, not a failure)."""
    import subprocess
    argv = list(argv)
    cluster = None
    if argv[0] == "--dask-workers":
        from dask.distributed import LocalCluster
        cluster = LocalCluster(n_workers=int(argv[1]), threads_per_worker=1, processes=True,
                               dashboard_address=None)
        argv = [a.replace("{dask}", cluster.scheduler_address) for a in argv[2:]]
        _TREE_CPU.clear()  # the cluster's start is not the command's
    if argv[0] == "--":
        argv = argv[1:]
    t = time.perf_counter()
    p = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    secs = time.perf_counter() - t
    # CPU seconds of the command's tree (its workers, a Dask cluster's), sampled with its memory
    # (each process's last half second may be missed), or what getrusage saw of the processes
    # waited for, if more: the steadier figure on a machine others share
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    sampled = sum(_TREE_CPU.values()) / os.sysconf("SC_CLK_TCK")
    cpu = round(max(r.ru_utime + r.ru_stime, sampled), 2)
    if cluster is not None:
        cluster.close()
    if p.returncode not in (0, 1):
        sys.exit(f"exit {p.returncode}: {p.stderr[-500:]}")
    return secs, {"exit": p.returncode, "cpu_seconds": cpu, "rss_children_mb": round(
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)}


if __name__ == "__main__":
    tool, *args = sys.argv[1:]
    import threading
    # a command's tree is the command's: this process (a few MB) is left out, unless it holds a
    # Dask scheduler
    threading.Thread(target=_sample, kwargs={"include_root": tool != "cli" or "--dask-workers" in args},
                     daemon=True).start()
    secs, summary = {"casecheck": casecheck, "reference": reference, "columnar": columnar, "prototype": prototype,
                     "cli": cli}[tool](*args)
    own, tree = peak_mb()
    if tool == "cli":  # the command's own largest process, not this one's
        own = summary.pop("rss_children_mb")
    tree = max(tree, own)  # sampled every 0.5 s, the tree can miss a peak getrusage saw
    print(json.dumps({"seconds": round(secs, 2), "rss_mb": own, "tree_rss_mb": tree, **summary}))
