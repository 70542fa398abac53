"""Text output fits 100 columns (COLUMNS unset, or not a terminal): lines wrap at spaces, tables
shorten titles and split into panels; numbers and rule ids are never cut."""

import csv
import io
import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

from casecheck.cli import main
from casecheck.views import fit

AS_AT = "2024-10-14"
RULE_ID = re.compile(r"[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+")


def run(*args, env=None):
    r = CliRunner(env={"COLUMNS": None, **(env or {})}).invoke(main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code in (0, 1), r.output
    return r.stdout


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    before, after = folder / "before.json", folder / "after.json"
    run("check", "--as-at", "2024-06-01", "--format", "json", "-o", before)
    run("check", "--as-at", AS_AT, "--format", "json", "-o", after)
    return before, after


TEXT_COMMANDS = {
    "check": ["check", "--as-at", AS_AT],
    "check --all": ["check", "--all", "--as-at", AS_AT],
    "summary": ["summary", "--as-at", AS_AT],
    "summary --by team,month": ["summary", "--by", "team,month", "--as-at", AS_AT],
    "summary --by worker,team,month": ["summary", "--by", "worker,team,month", "--as-at", AS_AT],
    "due": ["due", "--as-at", AS_AT, "--within", "400 days"],
    "rules list": ["rules", "list"],
}


@pytest.mark.parametrize("name", list(TEXT_COMMANDS) + ["diff"])
def test_text_output_is_at_most_100_columns(name, runs):
    out = run("diff", *runs) if name == "diff" else run(*TEXT_COMMANDS[name])
    lines = out.splitlines()
    assert len(lines) > 5
    assert max(len(line) for line in lines) <= 100, max(lines, key=len)


def _words(text: str) -> set[str]:
    return set(re.split(r"[\s,;:()\[\]]+", text))


def test_check_names_every_rule_id_and_number_whole(runs):
    doc = json.loads(run("check", "--all", "--as-at", AS_AT, "--format", "json"))
    words = _words(run("check", "--all", "--as-at", AS_AT))
    for f in doc["findings"]:
        assert f["rule"] in words
        if f["days_late"]:
            assert f"{f['days_late']:,}" in words or str(f["days_late"]) in words


def test_diff_and_due_name_every_rule_id_whole(runs):
    diff = json.loads(run("diff", *runs, "--format", "json"))
    words = _words(run("diff", *runs))
    assert all(r["rule"] in words for change in ("new", "resolved", "continuing") for r in diff[change])
    due = json.loads(run("due", "--as-at", AS_AT, "--format", "json", "--within", "400 days"))
    words = _words(run("due", "--as-at", AS_AT, "--within", "400 days"))
    # the listed items (a ruleset whose rules all judged no case is named once, by the ruleset)
    items = [i for key in ("overdue", "paused", "due", "excused") for i in due[key]]
    assert items and all(i["rule"] in words for i in items)


def test_rules_list_names_every_rule_whole():
    rules = json.loads(run("rules", "list", "--format", "json"))["rules"]
    words = _words(run("rules", "list"))
    assert rules and all(r["id"] in words for r in rules)


@pytest.mark.parametrize("by", ["rule", "team,month", "worker,team,month"])
def test_summary_tables_show_every_count_of_every_row_whole(by):
    """Each row's numbers, read across the panels of its table, are the CSV's, in order."""
    text = run("summary", "--by", by, "--as-at", AS_AT)
    table = list(csv.DictReader(io.StringIO(run("summary", "--by", by, "--as-at", AS_AT, "--format", "csv"))))
    counts = ["findings", "owed", "met", "late", "missing", "exceeded", "breaches", "warnings", "excused"]
    rule_rows = [r for r in table if r.get("rule") and r["grouping"] == "rule"] if by == "rule" else []
    for row in rule_rows:
        cells = [c for line in text.splitlines() if line.startswith(row["rule"] + " ")
                 for c in re.split(r"\s{2,}", line.strip())[1:]]  # the title (in the first panel) and numbers
        shown = [c for c in cells if re.fullmatch(r"[\d,]+", c)]
        assert [int(n.replace(",", "")) for n in shown[:len(counts)]] == [int(row[c]) for c in counts], cells
    assert all(len(line) <= 100 for line in text.splitlines())
    if by != "rule":
        assert "Total" in text


def test_summary_gives_the_findings_check_all_counts_and_the_three_counts_whole():
    doc = json.loads(run("check", "--all", "--as-at", AS_AT, "--format", "json"))
    statuses = [f["status"] for f in doc["findings"]]
    head = " ".join(run("summary", "--as-at", AS_AT).split("\n\n")[0].split())  # its first paragraph, unwrapped
    assert f"{len(statuses)} findings" in head
    for kind in ("breach", "warning", "excused"):
        assert re.search(rf"\b\d+ {kind}", head), head


def test_a_terminal_that_sets_columns_gets_that_width():
    class Terminal(io.StringIO):
        def isatty(self):
            return True
    assert fit.width_for(io.StringIO()) == 100
    for columns, width in (("", 100), ("132", 132), ("60", 60), ("20", fit.NARROWEST), ("wide", 100)):
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("COLUMNS", columns)
            assert fit.width_for(Terminal()) == width
            assert fit.width_for(io.StringIO()) == 100  # a file or a pipe: 100 whatever COLUMNS says


words = st.text(alphabet="abcXYZ019-,.", min_size=1, max_size=30)


@given(st.lists(words, min_size=1, max_size=40), st.integers(0, 12), st.integers(40, 120))
def test_wrapping_keeps_every_word_whole_and_in_order(ws, indent, width):
    line = " " * indent + " ".join(ws)
    lines = fit.wrap_line(line, width)
    assert " ".join(" ".join(lines).split()) == " ".join(ws)
    for out in lines:
        assert len(out) <= width or len(out.split()) == 1 or re.fullmatch(r"\s*\S+ \S+", out)


@given(st.lists(st.tuples(st.from_regex(r"[A-Z]{2,6}(-[A-Z0-9]{1,6}){1,3}", fullmatch=True),
                          st.text(alphabet="abc def", min_size=0, max_size=60),
                          st.lists(st.integers(0, 10 ** 6), min_size=12, max_size=12)), min_size=1, max_size=8,
                unique_by=lambda row: row[0]),
       st.integers(60, 140))
@settings(max_examples=50)
def test_a_table_fits_and_keeps_every_id_and_number(rows, width):
    heads = ["rule", "title"] + [f"count {i}" for i in range(12)]
    table = [[rid, title] + [f"{n:,}" for n in nums] for rid, title, nums in rows]
    lines = fit.table(heads, table, width, keys=2, shorten=1)
    assert all(len(line) <= width for line in lines)
    for rid, _, nums in rows:
        numbers = [w for line in lines if line.split()[:1] == [rid]
                   for w in line.split()[1:] if re.fullmatch(r"[\d,]+", w)]
        assert numbers[-12:] == [f"{n:,}" for n in nums]
