"""Every output whole or not at all, an input never an output, interrupted runs and write errors.

The kill test forks this (already imported) process for each run, so that hundreds of runs can be
killed at chosen moments in seconds: the child is casecheck's own command line, run to its end
unless SIGKILLed (with its whole process group) at the first change in the target's folder, just
after it, or at a random moment of a run's usual length."""

from __future__ import annotations

import io
import os
import re
import random
import signal
import stat
import subprocess
import sys
import time
import zipfile

import pytest
from click.testing import CliRunner

from casecheck.cli import main

CASE = """\
case: C-1
team: North
worker: W-A
events:
  - {date: 2022-01-04, type: cin_plan_started}
  - {date: 2022-01-10, type: cin_meeting, meeting: m-1}
  - {date: 2022-03-01, type: minutes_sent, meeting: m-1}
"""

CASE2 = CASE.replace("C-1", "C-2").replace("2022-03-01", "2022-01-12")


def run(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    return res.exit_code, res.output


@pytest.fixture
def inputs(tmp_path):
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.yaml").write_text(CASE, encoding="utf-8")
    (src / "b.yaml").write_text(CASE2, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for name, as_at in (("before.json", "2022-02-01"), ("after.json", "2022-06-01")):
        code, _ = run("check", src / "a.yaml", src / "b.yaml", "--as-at", as_at, "--format", "json", "--all", "-o", src / name)
        assert code in (0, 1)
    return src, out


def _commands(src):
    cases = [str(src / "a.yaml"), str(src / "b.yaml")]
    at = ["--as-at", "2022-06-01"]
    return {
        "check-text": (["check", *cases, *at], "findings.txt"),
        "check-json": (["check", *cases, *at, "--format", "json", "--all"], "findings.json"),
        "check-csv": (["check", *cases, *at, "--format", "csv"], "findings.csv"),
        "summary-csv": (["summary", *cases, *at, "--format", "csv", "--by", "team"], "summary.csv"),
        "summary-xlsx": (["summary", *cases, *at, "--format", "xlsx", "--by", "team"], "summary.xlsx"),
        "due": (["due", *cases, *at], "due.txt"),
        "chronology": (["chronology", cases[0], *at, "--format", "html"], "chronology.html"),
        "report": (["report", *cases, *at], "report.html"),
        "diff": (["diff", str(src / "before.json"), str(src / "after.json"), "--format", "json"], "diff.json"),
        "convert": (["convert", *cases, "--to", "yaml"], "cases.yaml"),
        "exceptions-start": (["exceptions", "start", *cases, *at, "--force"], "register.yaml"),
    }


def _fork_run(args, target):
    """casecheck ARGS -o TARGET in a forked child, its own process group; returns its pid."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os.setpgid(0, 0)
            null = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(null, fd)
            main.main([*args, "-o", target], prog_name="casecheck", standalone_mode=True)
        except BaseException:
            pass
        os._exit(0)
    return pid


def _whole_workbook(data: bytes, sheets) -> bool:
    from openpyxl import load_workbook
    try:
        return load_workbook(io.BytesIO(data), read_only=True).sheetnames == sheets
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return False


def test_outputs_survive_sigkill_at_any_moment_old_or_complete_never_truncated(inputs):
    src, base = inputs
    rng = random.Random(20261206)
    old = b"the earlier output, which must survive\n"
    kills = 0
    for name, (args, filename) in _commands(src).items():
        out = base / name
        out.mkdir()
        target = str(out / filename)
        if name == "exceptions-start":
            old = b"exceptions: []\n"  # an unfilled register: --force may replace it
        # the uninterrupted run: what a complete new file is, and how long a run takes
        t0 = time.monotonic()
        _, status = os.waitpid(_fork_run(args, target), 0)
        took = time.monotonic() - t0
        new = open(target, "rb").read()
        assert new and os.listdir(out) == [filename], name
        sheets = None
        if filename.endswith(".xlsx"):
            from openpyxl import load_workbook
            sheets = load_workbook(io.BytesIO(new), read_only=True).sheetnames
        killed_here, trial = 0, -1
        while killed_here < 19 and trial < 80:  # a run may end before its kill: try again
            trial += 1
            with open(target, "wb") as fh:
                fh.write(old)
            before = set(os.listdir(out))
            pid = _fork_run(args, target)
            moment = trial % 3
            if moment == 2:  # at random, within a run's usual length
                time.sleep(rng.uniform(0, took * 0.7))
            else:  # at the first change in the folder (a temporary file), or just after it
                extra = rng.randint(1, 30) if moment == 1 else 0
                deadline = time.monotonic() + 30
                while set(os.listdir(out)) == before and time.monotonic() < deadline:
                    if os.waitpid(pid, os.WNOHANG)[0]:
                        pid = None
                        break
                for _ in range(extra):
                    time.sleep(0.0005)
            if pid is not None:
                try:
                    os.killpg(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                _, status = os.waitpid(pid, 0)
                if os.WIFSIGNALED(status):  # killed, not already ended on its own
                    kills += 1
                    killed_here += 1
            got = open(target, "rb").read()
            if sheets is not None and got != old:
                assert _whole_workbook(got, sheets), (name, trial, len(got))
            else:  # a register names the day it was started: a run on either side of midnight is whole
                undated = re.compile(rb"started on \d{4}-\d\d-\d\d")
                assert undated.sub(b"", got) in (undated.sub(b"", old), undated.sub(b"", new)), \
                    (name, trial, moment, len(got), len(new))
            left = set(os.listdir(out)) - {filename}
            assert all(".casecheck-tmp-" in n and n.startswith(f".{filename}") for n in left), left
            for n in left:
                os.unlink(out / n)
    assert kills >= 200


def test_dash_output_means_standard_output_for_every_command(inputs, tmp_path, monkeypatch):
    src, out = inputs
    monkeypatch.chdir(out)
    for name, (args, filename) in _commands(src).items():
        if name == "summary-xlsx":
            continue
        code, text = run(*args, "-o", "-")
        assert code in (0, 1, 2) and text.strip(), name
        assert not os.path.exists("-"), name
        assert os.listdir(out) == [], name


def test_a_new_output_gets_the_umask_mode_and_a_replaced_one_keeps_its_mode(inputs):
    src, out = inputs
    target = out / "f.json"
    old_mask = os.umask(0o027)
    try:
        run("check", src / "a.yaml", "--format", "json", "-o", target)
    finally:
        os.umask(old_mask)
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o640
    os.chmod(target, 0o604)
    run("check", src / "a.yaml", "--format", "json", "-o", target, "--as-at", "2022-06-01")
    assert stat.S_IMODE(os.stat(target).st_mode) == 0o604


def test_a_link_to_a_file_replaces_the_file_and_stays_a_link(inputs):
    src, out = inputs
    real = out / "real.csv"
    real.write_text("old\n")
    link = out / "link.csv"
    link.symlink_to(real)
    code, _ = run("check", src / "a.yaml", "--format", "csv", "-o", link, "--as-at", "2022-06-01")
    assert code in (0, 1)
    assert link.is_symlink() and real.read_text().startswith("case,")
    assert sorted(os.listdir(out)) == ["link.csv", "real.csv"]


def test_devices_and_named_pipes_are_written_in_place_never_replaced(inputs):
    src, out = inputs
    code, text = run("check", src / "a.yaml", "-o", os.devnull, "--as-at", "2022-06-01")
    assert code in (0, 1) and os.path.exists(os.devnull) and stat.S_ISCHR(os.stat(os.devnull).st_mode)
    fifo = out / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    code, _ = run("check", src / "a.yaml", "--format", "csv", "-o", fifo, "--as-at", "2022-06-01")
    data = reader.communicate(timeout=30)[0]
    assert code in (0, 1) and data.startswith(b"case,") and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert os.listdir(out) == ["pipe"]


@pytest.mark.parametrize("device", ["/dev/full", "link-to-full"])
def test_a_full_device_is_exit_2_naming_the_target(inputs, device):
    src, out = inputs
    target = device
    if device == "link-to-full":
        target = str(out / device)
        os.symlink("/dev/full", target)
    code, text = run("check", src / "a.yaml", "--format", "json", "-o", target, "--as-at", "2022-06-01")
    assert code == 2 and f"cannot write {target}: No space left on device" in text
    assert "Traceback" not in text


def _cli(*args, **kw):
    return [sys.executable, "-m", "casecheck", *map(str, args)]


def test_a_file_too_large_is_exit_2_and_leaves_the_old_file_and_no_temporary_file(inputs):
    src, out = inputs
    target = out / "findings.json"
    target.write_bytes(b"old")
    proc = subprocess.run(["bash", "-c", 'ulimit -f 1; exec "$@"', "_",
                           *_cli("check", "--format", "json", "--all", "-o", "findings.json")],
                          cwd=out, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr
    assert proc.stderr.strip().splitlines() == [
        "casecheck: cannot write findings.json: File too large; findings.json is unchanged"]
    assert target.read_bytes() == b"old" and os.listdir(out) == ["findings.json"]


def test_a_read_only_folder_is_exit_2_and_the_old_file_unchanged():
    import shutil
    import tempfile
    base = tempfile.mkdtemp()  # a folder another user can reach (root ignores folder permissions)
    os.chmod(base, 0o755)
    out = os.path.join(base, "out")
    os.mkdir(out)
    target = os.path.join(out, "findings.csv")
    with open(target, "wb") as fh:
        fh.write(b"old")
    os.chmod(out, 0o555)
    args = _cli("check", "--format", "csv", "-o", target)
    try:
        proc = subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *args]
                              if os.geteuid() == 0 else args, capture_output=True, text=True, timeout=120, cwd="/")
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        assert target in proc.stderr
        assert open(target, "rb").read() == b"old" and os.listdir(out) == ["findings.csv"]
    finally:
        os.chmod(out, 0o755)
        shutil.rmtree(base)


def test_a_rename_that_fails_is_exit_2_naming_the_target_and_removes_the_temporary_file(inputs, monkeypatch):
    from casecheck.commands import writer
    src, out = inputs
    target = out / "findings.json"
    target.write_bytes(b"old")

    def read_only(*a, **k):
        raise OSError(30, "Read-only file system")
    monkeypatch.setattr(writer.os, "replace", read_only)
    code, text = run("check", src / "a.yaml", "--format", "json", "-o", target, "--as-at", "2022-06-01")
    assert code == 2
    assert f"casecheck: cannot write {target}: Read-only file system; {target} is unchanged" in text
    assert target.read_bytes() == b"old" and os.listdir(out) == ["findings.json"]


# --- an input is never an output ---------------------------------------------------------------

@pytest.mark.parametrize("spelling", ["plain", "dot", "symlink", "hardlink"])
def test_a_case_file_given_as_output_is_refused_however_it_is_spelled(inputs, spelling, monkeypatch):
    src, out = inputs
    monkeypatch.chdir(src)
    before = (src / "a.yaml").read_bytes()
    target = {"plain": "a.yaml", "dot": "./a.yaml", "symlink": "sym.yaml", "hardlink": "hard.yaml"}[spelling]
    if spelling == "symlink":
        os.symlink("a.yaml", "sym.yaml")
    if spelling == "hardlink":
        os.link("a.yaml", "hard.yaml")
    for args in (["check", "a.yaml", "--format", "csv"], ["check", ".", "--format", "csv"],
                 ["summary", "a.yaml", "--format", "csv"], ["due", "a.yaml"], ["report", "a.yaml"],
                 ["chronology", "a.yaml"], ["convert", "a.yaml", "--to", "yaml"],
                 ["exceptions", "start", "a.yaml", "--force"]):
        code, text = run(*args, "-o", target)
        assert code == 2, (args, text)
        assert f"casecheck: --output {target} is an input of this run; nothing was written" in text
        assert (src / "a.yaml").read_bytes() == before


def test_rules_registers_diff_runs_and_the_settings_file_are_refused_as_output(inputs, monkeypatch, tmp_path):
    src, out = inputs
    monkeypatch.chdir(src)
    rules = src / "r.yaml"
    rules.write_text("ruleset: mine\nrules:\n  - id: R1\n    title: t\n    kind: response\n    trigger: referral_received\n"
                     "    expect: assessment_started\n    within: 10 days\n    cite: x\n")
    (src / "reg.yaml").write_text("exceptions: []\n")
    (src / "casecheck.toml").write_text('exceptions = ["set-reg.yaml"]\n')
    (src / "set-reg.yaml").write_text("exceptions: []\n")
    cases = ["a.yaml", "--as-at", "2022-06-01"]
    for args, target in ((["check", *cases, "--rules", "r.yaml"], "./r.yaml"),
                         (["check", *cases, "--exceptions", "reg.yaml"], "reg.yaml"),
                         (["check", *cases], "set-reg.yaml"),
                         (["check", *cases], "casecheck.toml"),
                         (["rules", "list", "--rules", "r.yaml"], "r.yaml"),
                         (["diff", "before.json", "after.json"], "./after.json"),
                         (["diff", "before.json", "after.json"], "before.json")):
        snapshot = {p.name: p.read_bytes() for p in src.iterdir() if p.is_file()}
        code, text = run(*args, "-o", target)
        assert code == 2 and f"--output {target} is an input of this run; nothing was written" in text, (args, text)
        assert {p.name: p.read_bytes() for p in src.iterdir() if p.is_file()} == snapshot


def _fill_in(register: str) -> str:
    return (register.replace('reason: ""', 'reason: "accepted"').replace('approved_by: ""', 'approved_by: "M Lee"')
            .replace("approved_on: ", "approved_on: 2022-05-01"))


def test_force_never_replaces_a_register_with_approved_entries_without_replace_approved(inputs):
    src, out = inputs
    reg = out / "register.yaml"
    from casecheck.inputs import bundled
    args = ["exceptions", "start", bundled.cases_dir() / "york-23-011-844.yaml", "--as-at", "2024-10-14", "-o", reg]
    assert run(*args)[0] == 0
    assert run(*args, "--force")[0] == 0  # an unfilled register: --force replaces it
    reg.write_text(_fill_in(reg.read_text()))
    filled = reg.read_bytes()
    n = filled.count(b"reason: \"accepted\"")
    assert n > 1
    code, text = run(*args, "--force")
    assert code == 2 and f"holds {n} approved entries" in text and "--replace-approved" in text
    assert reg.read_bytes() == filled
    code, text = run(*args, "--replace-approved")
    assert code == 0 and reg.read_bytes() != filled


# --- interrupted runs ---------------------------------------------------------------------------

def _big_log(path, n_cases=6000):
    lines = ["case,date,type,meeting,team,worker"]
    for i in range(n_cases):
        lines += [f"K-{i},2022-01-04,cin_plan_started,,North,W-{i % 50}",
                  f"K-{i},2022-01-10,cin_meeting,m-{i},North,W-{i % 50}",
                  f"K-{i},2022-03-{1 + i % 28:02d},minutes_sent,m-{i},North,W-{i % 50}"]
    path.write_text("\n".join(lines) + "\n")


def _group_alive(pgid) -> list:
    alive = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[2]) == pgid and fields[0] != "Z":
                alive.append(int(entry))
    return alive


def _children(pid) -> list:
    try:
        return open(f"/proc/{pid}/task/{pid}/children").read().split()
    except OSError:
        return []


@pytest.mark.parametrize("sig,code,word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
def test_ctrl_c_and_sigterm_under_two_workers_exit_cleanly_leaving_the_old_output(tmp_path, sig, code, word):
    log = tmp_path / "log.csv"
    _big_log(log)
    out = tmp_path / "out"
    out.mkdir()
    target = out / "findings.json"
    target.write_bytes(b"old")
    proc = subprocess.Popen(_cli("check", log, "--workers", "2", "--format", "json", "--all", "-o", target,
                                 "--as-at", "2022-06-01"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 120
    while (sum(len(_children(int(c))) for c in _children(proc.pid)) < 2 and time.monotonic() < deadline
           and proc.poll() is None):  # two workers, forked by multiprocessing's forkserver
        time.sleep(0.01)
    assert proc.poll() is None, "the run ended before its workers were seen; make the log bigger"
    time.sleep(0.2)
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)  # as a terminal sends Ctrl-C: the whole group
    else:
        os.kill(proc.pid, sig)  # as `timeout` sends it: the main process alone
    sent = time.monotonic()
    _, err = proc.communicate(timeout=60)
    while _group_alive(proc.pid) and time.monotonic() - sent < 5:
        time.sleep(0.05)
    assert not _group_alive(proc.pid)
    assert proc.returncode == code, err
    assert err.strip().splitlines() == [f"casecheck: {word}; {target} is unchanged"], err
    assert target.read_bytes() == b"old" and os.listdir(out) == ["findings.json"]


def test_convert_never_writes_its_case_table_over_an_input(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "ev.csv").write_text("case,date,type\nA,2024-01-04,cin_plan_started\n")
    (tmp_path / "out.cases.csv").write_text("case,team\nA,North\n")
    code, text = run("convert", "ev.csv", "out.cases.csv", "--to", "csv", "-o", "out.csv")
    assert code == 2 and "out.cases.csv is an input of this run; nothing was written" in text
    assert sorted(os.listdir(tmp_path)) == ["ev.csv", "out.cases.csv"]
    assert (tmp_path / "out.cases.csv").read_text() == "case,team\nA,North\n"
