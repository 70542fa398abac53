"""The CSV reader's fast skip: rows of types no rule names build no attributes, yet are still
validated (a bad one spoils its case) and still mark their case."""

import csv
import io

from casecheck.inputs.csvlog import RowError, csv_body, csv_header
from casecheck.replay.stream import check_paths

from conftest import D, make_rules

LOG = ("case,date,type,meeting\n"
       "C1,2024-01-02,cin_meeting,m1\n"
       "C1,2024-01-03,home_visit,x\n"
       "C2,2024-01-05,home_visit,y\n"
       "C3,2024-01-05,cin_meeting,m2\n"
       "C3,2024-13-40,home_visit,z\n")


def _rows(keep):
    reader = csv.reader(io.StringIO(LOG))
    layout = csv_header("log.csv", reader)
    return list(csv_body("log.csv", reader, layout, keep=keep))


def test_rows_of_unnamed_types_carry_no_attributes_but_are_still_validated():
    rows = _rows({"cin_meeting"})
    assert rows[0] == ("C1", D("2024-01-02"), "cin_meeting", {"meeting": "m1"}, 2)
    assert rows[1] == ("C1", D("2024-01-03"), "home_visit", None, 3)
    assert rows[2] == ("C2", D("2024-01-05"), "home_visit", None, 4)
    assert isinstance(rows[4], RowError) and rows[4].case == "C3" and rows[4].line == 6
    assert [r[3] for r in _rows(None)[:3]] == [{"meeting": "m1"}, {"meeting": "x"}, {"meeting": "y"}]


def test_skipping_changes_no_finding_case_count_or_error(write):
    path = write("log.csv", LOG)
    rules = make_rules({"id": "R1", "title": "minutes", "kind": "response", "trigger": "cin_meeting",
                        "expect": "minutes_sent", "within": "5 days", "match": ["meeting"]})
    results = []
    for chunk in (None, 64):  # read here row by row, and cut into pieces as the workers read it
        r = check_paths([path], rules, D("2024-03-01"), chunk_bytes=chunk, columnar_path=False)
        results.append((r.n_cases, [(f.case, f.status, str(f.due)) for f in r.findings],
                        [(e.line, e.message) for e in r.errors]))
        r.close()
    assert results[0] == results[1]
    n_cases, findings, errors = results[0]
    assert n_cases == 2  # C1 and C2 (a case of unnamed types only); C3 is spoiled by its bad row
    assert findings == [("C1", "missing", "2024-01-07")]
    assert errors[0][0] == 6 and "C3" in errors[-1][1]


def _lines(value):
    """Every mapping's line and key lines, depth first: what error messages are built from."""
    from casecheck.inputs.structured import LineDict
    if isinstance(value, LineDict):
        return [(value.line, sorted(value.key_lines.items(), key=repr), sorted(value.raw.items(), key=repr))] + [
            x for v in value.values() for x in _lines(v)]
    if isinstance(value, list):
        return [x for v in value for x in _lines(v)]
    return []


def test_yaml_is_parsed_by_libyaml_with_the_pure_python_loaders_lines_and_values():
    import pathlib
    import yaml
    from casecheck.inputs import structured
    assert yaml.__with_libyaml__ and issubclass(structured._SafeLineLoader, yaml.CSafeLoader)
    pure = type("Pure", (yaml.SafeLoader,), {})
    pure.yaml_constructors = structured._SafeLineLoader.yaml_constructors
    root = pathlib.Path(__file__).parent.parent
    docs = sorted(root.glob("rules/*.yaml")) + sorted(root.glob("cases/*.yaml"))
    assert len(docs) >= 4
    texts = [doc.read_text(encoding="utf-8") for doc in docs] + [
        "case: A\nevents:\n  - {date: 2024-02-30, type: x, n: 3, ok: yes, none: ~, f: 1.5}\n"
        "  - date: 2024-01-02T10:00:00\n    type: 'quoted: text'\n    tags: !!set {a, b}\n",
        "- [1, [2, [3, {k: v}]]]\n- !!str 2024-01-01\n- ? complex\n  : value\n",
        "base: &b {x: 1}\nuse: {<<: *b, y: 2}\n",  # aliases and merge keys: the generic path
    ]
    for text in texts:
        fast = structured.parse_yaml(text, "doc.yaml")
        slow = yaml.load(text, Loader=pure)
        assert fast == slow and _lines(fast) == _lines(slow), text[:80]


def test_nesting_is_limited_with_or_without_aliases():
    import pytest
    from casecheck.inputs.structured import MAX_DEPTH, parse_yaml
    from casecheck.model import InputProblem
    deep = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    for text in (deep, "a: &x 1\nb: *x\nc: " + deep):
        with pytest.raises(InputProblem, match=f"nested more than {MAX_DEPTH} levels deep"):
            parse_yaml(text, "deep.yaml")
    ok = "[" * (MAX_DEPTH - 5) + "]" * (MAX_DEPTH - 5)
    assert parse_yaml(ok, "ok.yaml") is not None
