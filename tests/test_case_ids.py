"""case_ids: a piece's case ids as the usual reader reads them (stripped of Python's whitespace, a
spreadsheet's ' taken off), whether polars reads them or the loop does."""

from hypothesis import given, settings, strategies as st

from casecheck.inputs.csvpieces import case_ids
from casecheck.inputs.values import from_spreadsheet

# whitespace Python strips that other definitions may not (U+001C to U+001F, U+0085), spaces
# of other scripts, a zero-width space (not whitespace), quotes
EDGY = st.text(st.sampled_from([" ", "\t", "\x0b", "\x0c", "\x1c", "\x1f", "\x85", "\xa0", "\u2028", "\u3000",
                                "\u200b", "'", "=", "a", "é", "Z"]), min_size=1, max_size=4)


def _reference(lines: list[str]) -> set[str]:
    out = set()
    for cid in (line.split(",")[0].strip() for line in lines):
        if cid:
            out.add(from_spreadsheet(cid) if cid[:1] == "'" else cid)
    return out


@settings(max_examples=300, deadline=None)
@given(ids=st.lists(EDGY, min_size=1, max_size=6))
def test_case_ids_are_the_ids_the_usual_reader_reads(ids):
    lines = [f"{cid},2024-01-01,x" for cid in ids]
    found = case_ids(("\n".join(lines) + "\n").encode(), 0)
    assert len(found) == len(set(found)) and set(found) == _reference(lines)
