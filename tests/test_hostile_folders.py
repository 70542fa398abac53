"""Folders: every path that cannot be read is named; the rest is still read; exit 2."""

import os

from click.testing import CliRunner

from casecheck.cli import main
from casecheck.inputs.cases import load_cases

CASE = "case: {}\nevents:\n  - {{date: 2022-01-03, type: referral}}\n"


def _folder(tmp_path):
    top = tmp_path / "cases"
    (top / "sub").mkdir(parents=True)
    (top / "locked").mkdir()
    (top / "a.yaml").write_text(CASE.format("A"))
    (top / "sub" / "b.yaml").write_text(CASE.format("B"))
    (top / "locked" / "c.yaml").write_text(CASE.format("C"))
    os.symlink("loop.yaml", top / "loop.yaml")
    os.symlink("nowhere.yaml", top / "dangling.yaml")
    os.symlink("..", top / "sub" / "up")  # a loop of folders: never followed
    os.mkfifo(top / "pipe.csv")  # would block a reader for ever
    return top


def _lock(monkeypatch, folder):
    """An unreadable folder, as chmod 000 makes it for anyone but root (the tests may run as root)."""
    real = os.scandir

    def scandir(path="."):
        if os.path.abspath(path) == str(folder):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)
    monkeypatch.setattr(os, "scandir", scandir)


def test_links_pipes_and_unreadable_folders_are_named_and_the_rest_read(tmp_path, monkeypatch):
    top = _folder(tmp_path)
    _lock(monkeypatch, top / "locked")
    cases, errors = load_cases([str(top)])
    assert [c.id for c in cases] == ["A", "B"]
    named = {os.path.basename(e.file): e.message for e in errors}
    assert set(named) == {"locked", "loop.yaml", "dangling.yaml", "pipe.csv"}
    assert "loop" in named["loop.yaml"] and "does not exist" in named["dangling.yaml"]
    assert "not read" in named["locked"] and "regular file" in named["pipe.csv"]


def test_every_reading_command_exits_2_and_checks_the_good_cases(tmp_path, monkeypatch):
    top = _folder(tmp_path)
    _lock(monkeypatch, top / "locked")
    for cmd in (["check", "--workers", "1"], ["check", "--format", "json"], ["summary"], ["due"],
                ["convert", "--to", "csv"], ["rules", "lint"]):
        res = CliRunner().invoke(main, cmd + [str(top), "--as-at", "2022-06-01"] if cmd[0] != "convert"
                                 and cmd[0] != "rules" else cmd + [str(top)])
        assert res.exit_code == 2, (cmd, res.output)
        assert "Traceback" not in res.output and "dangling.yaml" in res.output and "locked" in res.output
        want = {"check": "2 cases checked", "convert": "B,2022-01-03,referral"}.get(cmd[0])
        if cmd[1:] == ["--format", "json"]:
            want = '"cases": 2'
        assert want is None or want in res.stdout
