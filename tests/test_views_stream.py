"""summary and due take their findings from the streaming check (`check --all`'s), not from every
case loaded and replayed one by one: their output, exit status and messages are the same as
before, byte for byte."""

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.commands import views

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
REGISTER = os.path.join(ROOT, "docs", "examples", "register.yaml")


def _loaded_and_replayed(paths, inputs, keep=None):
    """The way summary and due found their findings before: every case loaded, then replayed;
    every finding given back (keep is called on each, for what it notes, and not obeyed: due's
    list made from all of them must be the list made from those it keeps)."""
    run, cases, findings = views.load_and_replay(paths, inputs)
    for f in findings:
        keep is None or keep(f)
    return run, len(cases), findings


@pytest.fixture(scope="module")
def log_folder(tmp_path_factory):
    """300 generated cases (bench/generate.py): a CSV log and its case table, in one folder."""
    folder = tmp_path_factory.mktemp("log")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "generate.py"), "300", "-o",
                    str(folder / "events.csv")], check=True, capture_output=True)
    return str(folder)


COMMANDS = [
    ["summary", "{log}", "--as-at", "2026-11-01"],
    ["summary", "{log}", "--as-at", "2026-11-01", "--by", "team", "--by", "council", "--format", "csv"],
    ["summary", "{log}", "--as-at", "2026-11-01", "--by", "worker", "--by", "month", "--overall", "--format", "html"],
    ["summary", "--as-at", "2024-10-14", "--exceptions", REGISTER, "--by", "team"],
    ["summary", "{log}", "--as-at", "2026-11-01", "--by", "taem"],
    ["due", "{log}", "--as-at", "2026-11-01"],
    ["due", "{log}", "--as-at", "2026-11-01", "--format", "json", "--within", "3 weeks"],
    ["due", "{log}", "--as-at", "2026-11-01", "--group-by", "worker", "--limit", "3", "--format", "csv"],
    ["due", "{log}", "--as-at", "2026-11-01", "--team", "CIN North", "--worker", "W024"],
    ["due", "{log}", "--as-at", "2026-11-01", "--worker", "W-Nobody"],
    ["due", "{log}", "--as-at", "2026-11-01", "--team", "CIN Nort"],
    ["due", "--as-at", "2024-10-14", "--exceptions", REGISTER, "--format", "json"],
]


@pytest.mark.parametrize("args", COMMANDS, ids=lambda a: " ".join(a[:1] + a[2:])[:60])
def test_summary_and_due_from_the_stream_write_what_loading_every_case_wrote(args, log_folder, monkeypatch):
    args = [a.replace("{log}", log_folder) for a in args]
    monkeypatch.setenv("CI", "1")
    now = CliRunner().invoke(main, args)
    monkeypatch.setattr(views, "stream_findings", _loaded_and_replayed)
    before = CliRunner().invoke(main, args)
    assert (now.exit_code, now.stdout, now.stderr) == (before.exit_code, before.stdout, before.stderr)
    assert now.exit_code in (0, 1, 2) and (now.stdout or now.stderr)
