"""The JSON writer's fast encoder: the same bytes as json.dumps(indent=2, ensure_ascii=False)."""

import datetime as dt
import io
import json

from hypothesis import given, settings, strategies as st

from casecheck.model import ClockStop, Event, Finding, InputError
from casecheck.counting import count
from casecheck.inputs.own import generator
from casecheck.views.findings import finding_record, write_json

from conftest import make_rules

# Case text comes from files people typed: any character, control characters and line
# separators included (lone surrogates cannot come out of a UTF-8 file).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)


def _reference(as_at, n_cases, findings, errors, warnings) -> str:
    counts = count(findings)
    doc = {"generator": generator(), "as_at": as_at.isoformat(), "findings": [finding_record(f) for f in findings],
           "totals": counts.totals(n_cases), "errors": [e.as_dict() for e in errors], "warnings": [w.as_dict() for w in warnings]}
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


@settings(max_examples=60, deadline=None)
@given(case=TEXT, ttype=TEXT, atype=st.one_of(st.none(), TEXT), late=st.integers(-10**6, 10**6),
       message=TEXT, n=st.sampled_from([0, 1, 2, 3, 255, 256, 257, 700]), evidence=st.booleans())
def test_write_json_is_byte_identical_to_json_dumps(case, ttype, atype, late, message, n, evidence):
    """Findings are written in batches (of 256): sizes either side of a batch's end."""
    rule = make_rules({"id": "R1", "title": "t", "kind": "response", "trigger": "a", "expect": "b",
                       "within": "5 days"})[0]
    d = dt.date(2024, 2, 29)
    actual = None if atype is None else Event(d, atype)
    findings = [Finding(case, rule, "late", Event(d, ttype), d, actual, late, late // 2, {}, worker=case or None,
                        extension=Event(d, ttype) if evidence else None,
                        clock_stops=(ClockStop(d, d), ClockStop(d, None)) if evidence and i % 2 else ())
                for i in range(n)]
    errors = [InputError("f.csv", 3, message)]
    warnings = [InputError(case, None, message)] * (n % 2)
    out = io.StringIO()
    write_json(out, d, 7, iter(findings), errors, lambda: warnings)
    assert out.getvalue() == _reference(d, 7, findings, errors, warnings)
