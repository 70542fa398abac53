"""The worker default: chosen by the input's measured size and the usable cores, so that by
default casecheck is never slower than one process (README "Scale and speed")."""

from casecheck.replay import workers
from casecheck.replay.workers import default_workers


def test_small_inputs_and_two_core_machines_below_the_measured_crossover_use_one_process():
    assert default_workers(1 << 20, cores=8) == 1
    assert default_workers(workers.PARALLEL_FROM_BYTES, cores=8) == 8
    assert default_workers(17_000_000, cores=2) == 1  # 10,000 cases: 2 workers measured 0.95x
    assert default_workers(50_000_000, cores=2) == 2  # 30,000 cases: 2 workers measured 1.35x faster
    assert default_workers(170_000_000, cores=2) == 2  # 100,000 cases: 1.08x
    assert default_workers(1_700_000_000, cores=1) == 1


def test_check_takes_one_process_below_the_size_where_workers_pay(write, monkeypatch):
    """No --workers: check_paths is told the measured size from which a worker per core pays."""
    from casecheck.cli import main
    from casecheck.replay import stream
    from click.testing import CliRunner
    seen = {}
    real = stream.check_paths

    def spy(*a, **k):
        seen.update(k)
        return real(*a, **k)

    monkeypatch.setattr(stream, "check_paths", spy)
    monkeypatch.setattr("casecheck.commands.run.check_paths", spy)
    log = write("log.csv", "case,date,type\nC1,2024-01-01,referral_received\n")
    CliRunner().invoke(main, ["check", log, "--as-at", "2024-02-01"])
    assert seen["min_parallel_bytes"] == workers.parallel_from_bytes()
    assert seen["min_parallel_bytes"] in (workers.PARALLEL_FROM_BYTES, workers.PARALLEL_FROM_BYTES_2_CORES)
    CliRunner().invoke(main, ["check", log, "--as-at", "2024-02-01", "--workers", "3"])
    assert seen["min_parallel_bytes"] == 0 and seen["workers"] == 3
