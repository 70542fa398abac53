"""Process edges: a usage error exits 2 whatever stderr is; a killed resource tracker is silent."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

CLI = [sys.executable, "-m", "casecheck"]


@pytest.mark.parametrize("stderr", ["terminal-less pipe", "full device", "pipe nobody reads", "closed"])
def test_a_usage_error_exits_2_whatever_stderr_is(stderr):
    kwargs = {}
    r = w = None
    if stderr == "full device":
        kwargs["stderr"] = open("/dev/full", "w")
    elif stderr == "pipe nobody reads":
        r, w = os.pipe()
        os.close(r)
        kwargs["stderr"] = w
    elif stderr == "closed":
        kwargs["stderr"] = subprocess.DEVNULL
        kwargs["preexec_fn"] = lambda: os.close(2)
    else:
        kwargs["stderr"] = subprocess.PIPE
    proc = subprocess.run([*CLI, "check", "--no-such-option"], stdout=subprocess.PIPE, timeout=120, **kwargs)
    if w is not None:
        os.close(w)
    assert proc.returncode == 2, proc


def _children(pid):
    try:
        return [int(x) for x in open(f"/proc/{pid}/task/{pid}/children").read().split()]
    except OSError:
        return []


def test_a_killed_multiprocessing_resource_tracker_gives_no_traceback(tmp_path):
    log = tmp_path / "log.csv"
    lines = ["case,date,type,meeting"]
    for i in range(6000):
        lines += [f"K-{i},2022-01-04,cin_plan_started,", f"K-{i},2022-01-10,cin_meeting,m-{i}",
                  f"K-{i},2022-03-{1 + i % 28:02d},minutes_sent,m-{i}"]
    log.write_text("\n".join(lines) + "\n")
    proc = subprocess.Popen([*CLI, "check", log, "--workers", "2", "--as-at", "2022-06-01", "--format", "json",
                             "-o", tmp_path / "out.json"], stderr=subprocess.PIPE, text=True)
    tracker, deadline = None, time.monotonic() + 120
    while tracker is None and time.monotonic() < deadline and proc.poll() is None:
        for k in _children(proc.pid):
            try:
                if "resource_tracker" in open(f"/proc/{k}/cmdline").read():
                    tracker = k
            except OSError:
                pass
        time.sleep(0.005)
    assert tracker is not None
    os.kill(tracker, signal.SIGKILL)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0 and "Traceback" not in err and "resource_tracker" not in err, err


def test_help_names_the_exit_codes_of_an_interrupted_and_a_terminated_run():
    from click.testing import CliRunner
    from casecheck.cli import main
    text = " ".join(CliRunner().invoke(main, ["--help"]).output.split())
    assert "130 interrupted (Ctrl-C)" in text and "143 terminated (SIGTERM)" in text
