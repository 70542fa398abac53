"""The worker default: chosen by the input's measured size and the usable cores, so that by
default casecheck is never slower than one process (README "Scale and speed")."""

from casecheck.commands.check import input_bytes
from casecheck.replay import workers
from casecheck.replay.workers import default_workers


def test_small_inputs_and_two_core_machines_below_the_measured_crossover_use_one_process():
    assert default_workers(1 << 20, cores=8) == 1
    assert default_workers(workers.PARALLEL_FROM_BYTES, cores=8) == 8
    assert default_workers(170_000_000, cores=2) == 1  # 100,000 cases: 2 workers measured 1.21x slower
    assert default_workers(1_700_000_000, cores=2) == 2  # a million cases: faster on 2 workers
    assert default_workers(1_700_000_000, cores=1) == 1


def test_input_bytes_adds_up_the_case_files_under_the_paths(write):
    a = write("in/a.csv", "case,date,type\n" + "C1,2024-01-01,x\n" * 10)
    b = write("in/sub/b.yaml", "case: C2\nevents: []\n")
    write("in/notes.txt", "not a case file" * 100)
    import os
    assert input_bytes([os.path.dirname(a)]) == os.path.getsize(a) + os.path.getsize(b)
