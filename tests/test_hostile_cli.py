"""The command line under hostile options: exit 2 with a clear line, never a traceback, never 1."""

import os
import stat

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.commands import check as check_cmd

CASE = "case: A\nevents:\n  - {date: 2022-01-03, type: referral}\n"


def run(*args):
    res = CliRunner().invoke(main, list(args))
    return res.exit_code, res.output + (res.stderr if res.stderr_bytes is not None else "")


def test_an_unforeseen_error_is_one_line_and_exit_2(monkeypatch, write):
    def boom(*_a, **_k):
        raise RuntimeError("something\nnobody foresaw")
    monkeypatch.setattr(check_cmd, "run_check", boom)
    code, out = run("check", write("a.yaml", CASE))
    assert code == 2 and "Traceback" not in out
    assert "casecheck: internal error: RuntimeError: something nobody foresaw (please report)" in out


@pytest.mark.parametrize("args, words", [
    (["--workers", "99999999999999999999"], "range"),
    (["--workers", "0"], "range"),
    (["--dask", "garbage::addr"], "not a scheduler address"),
    (["--output", "/no/such/folder/out.csv"], "does not exist"),
])
def test_bad_options_are_usage_errors(write, args, words):
    code, out = run("check", write("a.yaml", CASE), "--as-at", "2022-06-01", *args)
    assert code == 2 and words in out and "Traceback" not in out


@pytest.mark.parametrize("cmd", [["check"], ["summary"], ["due"], ["convert", "--to", "csv"],
                                 ["summary", "--format", "xlsx"], ["report"], ["rules", "list"],
                                 ["chronology"]])
def test_output_in_a_read_only_or_missing_folder_is_refused_by_every_command(write, tmp_path, cmd):
    case = write("a.yaml", CASE)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    args = cmd + ([] if cmd[:2] == ["rules", "list"] else [case])
    for out in (str(tmp_path / "missing" / "x.out"), str(ro / "x.out")):
        if out.startswith(str(ro)) and os.access(str(ro), os.W_OK):
            continue  # root writes anywhere: the missing folder still proves the check
        code, text = run(*args, "--output", out)
        assert code == 2 and "--output" in text and "Traceback" not in text


def test_an_output_that_fails_when_opened_is_exit_2(monkeypatch, write, tmp_path):
    from casecheck.commands import writer

    def refusing(*a, **k):  # the writer's temporary file beside the target cannot be made
        raise PermissionError(13, "Permission denied")
    monkeypatch.setattr(writer.tempfile, "mkstemp", refusing)
    code, out = run("check", write("a.yaml", CASE), "--output", str(tmp_path / "out.txt"), "--as-at", "2022-06-01")
    assert code == 2 and "cannot write" in out and "Permission denied" in out


def test_rules_that_fail_to_load_never_read_as_all_clear(write):
    bad = write("r.yaml", "ruleset: x\nrules:\n  - id: R\n    kind: [response]\n")
    code, out = run("check", write("a.yaml", CASE), "--rules", bad, "--as-at", "2022-06-01")
    assert code == 2 and "no rule could be loaded" in out and "0 breaches" not in out


def test_an_unreachable_dask_scheduler_is_exit_2_after_the_connect_timeout(monkeypatch, write):
    from casecheck.replay import workers
    monkeypatch.setattr(workers, "DASK_CONNECT_SECONDS", 1)
    code, out = run("check", write("a.yaml", CASE), "--as-at", "2022-06-01", "--dask", "tcp://127.0.0.1:9")
    assert code == 2 and "cannot use the Dask scheduler at 'tcp://127.0.0.1:9'" in out and "Traceback" not in out
