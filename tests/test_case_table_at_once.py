"""A plain case table read at once (csvlog._read_plain_table) gives the builder exactly what the
row-by-row reader gives: attributes, where each case's row is, and the errors of bad dates of
birth; any table it does not take is left, untouched, to the row-by-row reader."""

from unittest import mock

from hypothesis import given, settings, strategies as st

from casecheck.inputs import csvlog
from casecheck.inputs.cases import Builder

# mostly cells a table read at once takes; some it leaves to the row reader (quotes, commas, ')
CELL = st.one_of(st.text(st.sampled_from(list("ab Z9-/é\t")), max_size=6), st.sampled_from(["2024-02-30", "2019-05-01"]),
                 st.text(st.sampled_from(list("'\",")), max_size=2))
IDS = st.text(st.sampled_from(list("C01 é")), min_size=0, max_size=4)


def _read(path, at_once: bool):
    b = Builder()
    with mock.patch.object(csvlog, "_read_plain_table", csvlog._read_plain_table if at_once else lambda *a: False):
        with open(path, newline="", encoding="utf-8") as f:
            csvlog.read_case_table(str(path), f, b)
    return b


def _state(b):
    return (list(b.tables.items()), list(b.table_at.items()), b.table_names, [e.as_dict() for e in b.errors])


@settings(max_examples=120, deadline=None)
@given(extra=st.lists(st.sampled_from(["council", "team", "worker", "date_of_birth"]), unique=True, max_size=3),
       rows=st.lists(st.tuples(IDS, st.lists(CELL, min_size=3, max_size=3)), max_size=8),
       ending=st.sampled_from(["\n", "\r\n", ""]), blank=st.booleans())
def test_a_table_read_at_once_gives_the_builder_what_the_row_reader_gives(tmp_path_factory, extra, rows, ending, blank):
    path = tmp_path_factory.mktemp("t") / "cases.csv"
    lines = [",".join(["case", *extra])] + [",".join([cid, *cells[:len(extra)]]) for cid, cells in rows]
    if blank and len(lines) > 1:
        lines.insert(1, "")
    path.write_bytes(("\n".join(lines) + ending).encode())
    try:
        slow = _state(_read(path, False))
    except Exception as e:  # noqa: BLE001 - a table the reader refuses: refused the same way
        slow = repr(e)
    try:
        fast = _state(_read(path, True))
    except Exception as e:  # noqa: BLE001
        fast = repr(e)
    assert fast == slow


def test_the_usual_table_is_read_at_once(tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text("case,council,date_of_birth\nC1,York,2019-05-01\nC2,York,2019-02-30\nC3,,\n")
    b = Builder()
    with open(path, newline="") as f:
        taken = csvlog._read_plain_table(str(path), 0, 3, [(1, "council"), (2, "date_of_birth")], b)
    assert taken and b.tables["C1"] is b.tables.get("C1") and b.tables["C3"] == {}
    assert b.tables["C1"] == {"council": "York", "date_of_birth": "2019-05-01"}
    assert [(e.line, "C2" in e.message) for e in b.errors] == [(3, True)]
