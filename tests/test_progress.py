"""Progress bars: only on a terminal and never in CI; the findings never change."""

import io
import sys

from click.testing import CliRunner
from rich.console import Console

from casecheck.cli import main
from conftest import D, make_case, make_rules
from casecheck.replay import progress
from casecheck.replay import check


class Tty(io.StringIO):
    def isatty(self):
        return True


def test_wanted_only_on_a_terminal_outside_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    assert progress.wanted(Tty()) is True
    assert progress.wanted(io.StringIO()) is False
    monkeypatch.setenv("CI", "true")
    assert progress.wanted(Tty()) is False


def test_bar_shows_and_findings_are_checks_findings():
    rules = make_rules({"id": "R", "title": "T", "kind": "response", "trigger": "a", "expect": "b", "within": "2 days"})
    cases = [make_case(("2024-01-01", "a"), ("2024-01-0%d" % (1 + i % 5), "b"), case_id=f"C{i:04d}")
             for i in range(progress.BATCH * 2 + 7)]
    screen = Tty()
    console = Console(file=screen, force_terminal=True, width=80)
    got = progress.check_cases(cases, rules, D("2024-02-01"), show=True, console=console)
    assert [(f.case, f.status, f.due) for f in got] == [(f.case, f.status, f.due)
                                                         for f in check(cases, rules, D("2024-02-01"))]
    assert "checking cases" in screen.getvalue()
    quiet = Tty()
    progress.check_cases(cases, rules, D("2024-02-01"), show=False, console=Console(file=quiet, force_terminal=True))
    assert quiet.getvalue() == ""


def test_no_bar_in_a_pipe():
    r = CliRunner().invoke(main, ["summary", "--as-at", "2026-11-24"])
    assert "checking cases" not in r.stderr and "\x1b[" not in r.stderr


def test_commands_check_through_the_progress_helper(monkeypatch):
    monkeypatch.setattr(progress, "BATCH", 2)
    r = CliRunner().invoke(main, ["summary", "--as-at", "2026-11-24"])
    assert "checking cases" not in r.stderr  # stderr is not a terminal here
    monkeypatch.setattr(progress, "wanted", lambda stream=None: True)
    monkeypatch.setattr(progress, "Console", lambda **kw: Console(file=sys.stderr, force_terminal=True))
    r = CliRunner().invoke(main, ["summary", "--as-at", "2026-11-24"])
    assert "checking cases" in r.stderr


def test_writing_a_report_or_workbook_shows_its_own_bar(monkeypatch, tmp_path):
    monkeypatch.setattr(progress, "BATCH", 2)
    monkeypatch.setattr(progress, "wanted", lambda stream=None: True)
    monkeypatch.setattr(progress, "Console", lambda **kw: Console(file=sys.stderr, force_terminal=True))
    r = CliRunner().invoke(main, ["report", "--as-at", "2026-11-24", "-o", str(tmp_path / "r.html")])
    assert "writing the report" in r.stderr and (tmp_path / "r.html").read_text().rstrip().endswith("</html>")
    r = CliRunner().invoke(main, ["summary", "--as-at", "2026-11-24", "--format", "xlsx", "-o", str(tmp_path / "s.xlsx")])
    assert "writing the workbook" in r.stderr

