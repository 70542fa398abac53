"""Every `casecheck` command in a fenced block of README.md and docs/*.md runs, from the root of a
fresh clone of the repository, as the reader would type it: it exits 0 or 1, and the output the
page shows after a `$ casecheck ...` line is in the real output.

Skipped, and only these: placeholders (PATHS, `[...]`, `<...>`), URLs (databases, clusters) and
files that are not in the repository (a council's own returns), unless an earlier command on the
page wrote them.
"""

import re
import shlex
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from casecheck.cli import main

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md"] + sorted((ROOT / "docs").glob("*.md"))
FENCE = re.compile(r"^```[^\n]*\n(.*?)^```", re.S | re.M)
FILE = re.compile(r"[\w.-]+\.(yaml|yml|json|csv|xlsx|xml|db|html|md|toml)$|/")
OUTPUT_OPTIONS = {"-o", "--output"}


def commands(page: Path) -> list[tuple[int, list[str], list[str]]]:
    """(line number, arguments after `casecheck`, the output lines shown after it) for each command."""
    text = page.read_text(encoding="utf-8")
    found = []
    for block in FENCE.finditer(text):
        first = text.count("\n", 0, block.start(1)) + 1
        lines = block.group(1).splitlines()
        for i, line in enumerate(lines):
            shown = line.strip()
            prompt = shown.startswith("$ ")
            if prompt:
                shown = shown[2:]
            if not shown.startswith("casecheck "):
                continue
            output = []
            if prompt:
                for after in lines[i + 1:]:
                    if after.startswith("$ "):
                        break
                    output.append(after)
            found.append((first + i, shlex.split(shown, comments=True)[1:], output))
    return found


def skipped_because(args: list[str], folder: Path) -> str | None:
    """Why a command cannot be run as written in a fresh clone, or None."""
    for i, a in enumerate(args):
        if a in ("PATHS", "PATH", "FILE") or re.search(r"[\[<].*[\]>]|[\[<]$", a):
            return "placeholder"
        if "://" in a:
            return "URL"
        written = i > 0 and args[i - 1] in OUTPUT_OPTIONS
        if FILE.search(a) and not written and not (folder / a).exists():
            return "not in the repository"
    return None


def fragments(shown: list[str]) -> list[str]:
    """The shown output's pieces that must appear, in order: "..." or "…" elides, lines may wrap."""
    pieces = re.split(r"\.\.\.|…", " ".join(shown))
    return [" ".join(p.split()) for p in pieces if p.split()]


@pytest.fixture(scope="module")
def clone(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clone") / "casecheck"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(folder)], check=True, timeout=120)
    return folder


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_command_on_the_page_runs_from_a_fresh_clone_and_shows_what_the_page_says(page, clone, monkeypatch):
    monkeypatch.chdir(clone)
    ran, problems = [], []
    for line, args, shown in commands(clone / page.relative_to(ROOT)):
        if skipped_because(args, clone):
            continue
        r = CliRunner(env={"COLUMNS": None}).invoke(main, args)
        ran.append(args)
        where = f"{page.name}:{line}: casecheck {' '.join(args)}"
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            problems.append(f"{where}: {r.exception!r}")
            continue
        if r.exit_code not in (0, 1):
            problems.append(f"{where}: exit {r.exit_code}: {r.stderr.strip()[:300]}")
        real = " ".join(r.stdout.split())
        at = 0
        for piece in fragments(shown):
            found = real.find(piece, at)
            if found < 0:
                problems.append(f"{where}: the page shows {piece!r}, not in the output")
                break
            at = found + len(piece)
    assert problems == [], "\n".join(problems)
    if page.name == "README.md":
        assert len(ran) >= 8 and ["rules", "list"] in ran
        assert any(a[:1] == ["due"] for a in ran) and any(a[:1] == ["chronology"] for a in ran)


def test_placeholders_urls_and_absent_files_are_all_that_is_skipped(clone):
    assert skipped_because(["check", "[PATHS]...", "--rules", "PATH"], clone) == "placeholder"
    assert skipped_because(["check", "<folder>"], clone) == "placeholder"
    assert skipped_because(["check", "sqlite:///cases.db"], clone) == "URL"
    assert skipped_because(["check", "annex_a.xlsx"], clone) == "not in the repository"
    assert skipped_because(["check", "cases/", "-o", "findings.csv"], clone) is None
    assert skipped_because(["rules", "explain", "YORK-MINUTES-15WD"], clone) is None
    assert skipped_because(["calendar", "add", "2022-02-15", "15 working days"], clone) is None


def test_shown_output_is_matched_piece_by_piece_across_elisions_and_wrapping():
    assert fragments(["Overdue at 2026-11-24: 20", "  ...", "  ... and 2 more"]) == ["Overdue at 2026-11-24: 20",
                                                                                    "and 2 more"]
    assert fragments(["Standard: X (York standards ...; LGSCO ...)"]) == ["Standard: X (York standards", "; LGSCO", ")"]
