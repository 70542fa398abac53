"""Nothing a user reads carries the team's internal shorthand: the rule files' and seed cases'
comments say what was read and where in plain English, and the documentation names no internal
document. docs/formats.md is the format reference itself and is left to its own tests."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# everywhere a user reads
EVERYWHERE = {
    "the design contract's name": re.compile(r"\bSPEC\b"),
    "a section mark": re.compile("§"),
    "a path into the team's shared notes": re.compile(r"\.\./shared|/work/shared"),
    "a reference note's file name": re.compile(r"\breference/[\w-]+\.md\b"),
    "the reference notes": re.compile(r"(?i)reference notes"),
}
# in the rule files and seed cases, also the verification marks ("V1", "V2", "(M)"); SSDA903's
# legal statuses V2, V3 and V4 are codes there only as `legal_status` values and never as V1
MARKS = {
    "a verification mark V1": re.compile(r"\bV1\b"),
    "a verification mark V2": re.compile(r"^(?!.*legal_status).*(?<!`)\bV2\b(?!`)"),
    "the mark (M)": re.compile(r"\(M\)|\bM\)|[-;,] M\b"),
}


def _files():
    for folder in ("rules", "cases"):
        for p in sorted((ROOT / folder).iterdir()):
            if p.suffix in (".yaml", ".yml", ".csv", ".json"):
                yield p, True
    for p in sorted((ROOT / "docs").glob("*.md")):
        if p.name != "formats.md":
            yield p, False
    yield ROOT / "README.md", False


FILES = list(_files())


def _offences(text: str, patterns: dict) -> list[str]:
    return [f"line {n}: {what}: {line.strip()[:100]}" for n, line in enumerate(text.splitlines(), 1)
            for what, pat in patterns.items() if pat.search(line)]


@pytest.mark.parametrize("path,with_marks", FILES, ids=[str(p.relative_to(ROOT)) for p, _ in FILES])
def test_no_internal_shorthand_where_a_user_reads(path, with_marks):
    patterns = {**EVERYWHERE, **(MARKS if with_marks else {})}
    assert _offences(path.read_text(encoding="utf-8"), patterns) == []


def test_the_scan_finds_each_kind_of_shorthand():
    sample = ("# reg 33 (V1, legislation.gov.uk)\n# as SPEC §2 says\n# reference notes, see reference/timescales.md\n"
              "# council procedures (V2)\n# not read (M)\n# ../shared/SPEC.md\n")
    found = _offences(sample, {**EVERYWHERE, **MARKS})
    kinds = {f.split(": ")[1] for f in found}
    assert kinds == set(EVERYWHERE) | set(MARKS)


def test_legal_status_codes_are_not_marks():
    text = "    where: {legal_status: V2}\n    where: {legal_status: [V3, V4]}\n    where: {legal_status: {not: [V2, V3]}}\n"
    assert _offences(text, MARKS) == []
