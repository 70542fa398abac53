"""Encodings (SPEC §1): one reader for every text file, the same result on every path."""

import datetime as dt

import pytest

from casecheck.inputs import text
from casecheck.inputs.cases import load_cases
from casecheck.replay.stream import check_paths
from casecheck.rules.load import load_rules

RULES = """\
ruleset: enc
rules:
  - id: R1
    kind: response
    trigger: referral
    expect: assessment_completed
    within: 10 days
"""


def _log(n_cases: int, pound_on_case: int | None = None) -> str:
    rows = ["case,date,type,note"]
    for i in range(n_cases):
        note = "fee \u00a3200" if i == pound_on_case else "plain"
        rows.append(f"C-{i:04d},2022-01-03,referral,{note}")
        rows.append(f"C-{i:04d},2022-01-20,assessment_completed,")
    return "\n".join(rows) + "\n"


def test_windows_1252_after_the_first_8_kb_is_read_with_a_warning_naming_the_right_line(write):
    body = _log(300, pound_on_case=200)
    line = next(i for i, t in enumerate(body.splitlines(), 1) if "\u00a3" in t)
    assert len("\n".join(body.splitlines()[:line]).encode()) > 8192
    path = write("win.csv", body.encode("cp1252"), mode="wb")
    cases, errors = load_cases([path], notes=(notes := []))
    assert errors == [] and len(cases) == 300
    assert [(n.file, n.line) for n in notes] == [(path, line)] and "UTF-8" in notes[0].message
    assert next(c for c in cases if c.id == "C-0200").events[0].attrs["note"] == "fee \u00a3200"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "utf-16-be", "utf-8"])
def test_utf8_with_or_without_mark_and_utf16_with_mark_read_alike(write, encoding):
    data = _log(3, pound_on_case=1).encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path = write("log.csv", data, mode="wb")
    cases, errors = load_cases([path], notes=(notes := []))
    assert errors == [] and notes == []
    assert [c.id for c in cases] == ["C-0000", "C-0001", "C-0002"]
    assert cases[1].events[0].attrs["note"] == "fee \u00a3200"


def test_the_streaming_path_reads_windows_1252_serially_with_the_same_findings(write, tmp_path):
    rules, _ = load_rules([write("r.yaml", RULES)])
    body = _log(400, pound_on_case=350).replace("2022-01-20", "2022-02-20")
    path = write("win.csv", body.encode("cp1252"), mode="wb")
    res = check_paths([path], rules, dt.date(2023, 1, 1), chunk_bytes=4096)  # pieces, were it UTF-8
    found = list(res.findings)
    res.close()
    assert res.errors == [] and res.n_cases == 400 and len(found) == 400
    assert [n.line for n in res.notes] == [body.splitlines().index(next(
        t for t in body.splitlines() if "\u00a3" in t)) + 1]
    cases, _ = load_cases([path])
    assert len(cases) == 400


def test_a_utf8_character_cut_by_a_block_end_is_not_mistaken_for_windows_1252(monkeypatch, write):
    monkeypatch.setattr(text, "BLOCK", 7)
    for shift in range(7):
        data = ("x" * shift + "caf\u00e9 \u20ac \U0001F600\n" * 3).encode()
        path = write(f"u{shift}.csv", data, mode="wb")
        assert text.sniff(path).encoding == "utf-8-sig"
    bad = write("bad.csv", b"a\nb\nc\xe9\n" * 3, mode="wb")
    enc = text.sniff(bad)
    assert enc.encoding == "cp1252" and enc.note.line == 3


def test_nul_bytes_after_the_first_8_kb_of_yaml_are_refused_with_their_line(write):
    good = write("good.yaml", "case: G\nevents: []\n")
    lines = ["case: A", "events:"] + [f"  - {{date: 2022-01-{1 + i % 28:02d}, type: referral}}" for i in range(400)]
    lines[300] += "\0"
    path = write("nul.yaml", "\n".join(lines).encode(), mode="wb")
    cases, errors = load_cases([path, good])
    assert [c.id for c in cases] == ["G"]
    assert [(e.file, e.line) for e in errors] == [(path, 301)] and "NUL" in errors[0].message


def test_windows_1252_undefined_bytes_still_read_and_yaml_control_characters_named(write):
    path = write("odd.csv", b"case,date,type,team\nA,2022-01-01,referral,x\x81y\n", mode="wb")
    cases, errors = load_cases([path], notes=(notes := []))
    assert errors == [] and cases[0].events[0].attrs["team"] == "x\x81y" and notes[0].line == 2
    path = write("odd.yaml", b"case: A\nteam: x\x81y\nevents: []\n", mode="wb")
    cases, errors = load_cases([path])
    assert cases == [] and (errors[0].file, errors[0].line) == (path, 2) and "not allowed" in errors[0].message
