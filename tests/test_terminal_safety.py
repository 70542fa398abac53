"""Case text never acts on a terminal: every control class, through every command's text output
and its messages, read back from a pseudo-terminal; JSON and CSV to a file keep the data exact."""

from __future__ import annotations

import json
import os
import pty
import re
import sys

import pytest
from hypothesis import given, strategies as st

from casecheck.inputs import bundled
from casecheck.terminal import visible

# one of each class: CSI 2J (clear), OSC 0 (title) ending BEL, OSC 52 (clipboard), CR and
# backspace, DEL, C1 CSI U+009B, bidi override U+202E and isolate U+2066
EVIL_ID = "FIC\x1b[2J\x1b]0;title\x07\x1b]52;c;aGk=\x07\r\x08\x7f\u009b2J\u202e\u2066-1"
EVIL_TEAM = "CIN\x1b[?1049h North\u202e"
EVIL_WORKER = "W\u009b31m-Amber\x1bP+q\x1b\\"
RAW = ("\x1b", "\x07", "\r\x08", "\x7f", "\u009b", "\u202e", "\u2066")


@pytest.fixture
def evil(tmp_path):
    text = (bundled.cases_dir() / "fictional-cin.yaml").read_text(encoding="utf-8")
    text = (text.replace("FIC-0001", json.dumps(EVIL_ID)).replace("FIC-0002", json.dumps(EVIL_ID + "2")).replace("CIN North", json.dumps(EVIL_TEAM))
            .replace("W-Amber", json.dumps(EVIL_WORKER)))
    path = tmp_path / "evil.yaml"
    path.write_text(text, encoding="utf-8")
    bad = tmp_path / "bad.yaml"  # an unreadable case: its error message quotes the id and a bad type
    bad.write_text(f"case: {json.dumps(EVIL_ID)}\nevents:\n  - {{date: 2022-01-04, type: {json.dumps('x' + EVIL_TEAM)}}}\n",
                   encoding="utf-8")
    return str(path), str(bad)


def on_a_terminal(*args, cwd=None) -> str:
    """casecheck ARGS with stdout and stderr on a pseudo-terminal; everything it showed."""
    pid, fd = pty.fork()
    if pid == 0:  # pragma: no cover - the child
        if cwd:
            os.chdir(cwd)
        os.environ.pop("CI", None)
        os.execv(sys.executable, [sys.executable, "-m", "casecheck", *map(str, args)])
    out = b""
    while True:
        try:
            data = os.read(fd, 1 << 16)
        except OSError:
            break
        if not data:
            break
        out += data
    os.waitpid(pid, 0)
    os.close(fd)
    return out.decode("utf-8")


def _assert_inert(shown: str):
    shown = re.sub("\x1b\\[[0-9;]*m", "", shown)  # casecheck's own colours
    shown = shown.replace("\r\n", "\n")  # the terminal's own line ends
    for c in RAW:
        assert c not in shown, (c, shown[:400])


AS_AT = ["--as-at", "2026-11-24"]


@pytest.mark.parametrize("args", [["check", "{evil}", "--all"], ["check", "{evil}", "--format", "csv", "--all"],
                                  ["due", "{evil}", "--within", "3 months"],
                                  ["summary", "{evil}", "--by", "team"], ["summary", "{evil}", "--by", "worker"],
                                  ["chronology", "{evil}", "--case", EVIL_ID]])
def test_every_control_class_is_made_visible_on_a_terminal(evil, args):
    shown = on_a_terminal(*[a.format(evil=evil[0]) if a == "{evil}" else a for a in args], *AS_AT)
    _assert_inert(shown)
    findable = {"--by": {"team": visible(EVIL_TEAM), "worker": visible(EVIL_WORKER)}}
    if args[0] == "summary":
        assert findable["--by"][args[-1]] in shown
    else:
        assert "FIC\\x1b" in shown and "\\u202e" in shown  # the case can still be found


def test_error_and_warning_messages_show_case_text_inert(evil):
    shown = on_a_terminal("check", evil[1], *AS_AT)
    _assert_inert(shown)
    assert visible(EVIL_ID) in shown and "type" in shown


def test_diff_text_on_a_terminal_is_inert(evil, tmp_path):
    for name, at in (("a.json", "2025-06-01"), ("b.json", "2026-11-24")):
        on_a_terminal("check", evil[0], "--as-at", at, "--format", "json", "-o", tmp_path / name)
    shown = on_a_terminal("diff", tmp_path / "a.json", tmp_path / "b.json")
    _assert_inert(shown)
    assert visible(EVIL_ID + "2") in shown


def test_json_and_csv_to_a_file_keep_case_text_exactly(evil, tmp_path):
    on_a_terminal("check", evil[0], *AS_AT, "--format", "json", "-o", tmp_path / "f.json")
    doc = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))
    assert {f["case"] for f in doc["findings"]} >= {EVIL_ID + "2"}
    assert EVIL_TEAM in {f["team"] for f in doc["findings"]}
    on_a_terminal("check", evil[0], *AS_AT, "--format", "csv", "-o", tmp_path / "f.csv")
    assert EVIL_TEAM in (tmp_path / "f.csv").read_text(encoding="utf-8")


@given(st.text())
def test_visible_text_holds_no_control_character_but_newline_and_tab(text):
    shown = visible(text)
    assert not any((ord(c) < 32 and c not in "\n\t") or 0x7f <= ord(c) <= 0x9f or 0x202a <= ord(c) <= 0x202e
                   or 0x2066 <= ord(c) <= 0x2069 for c in shown)
    assert visible(text.replace("\\", "")).count("\\") >= sum(1 for c in text if visible(c) != c)
