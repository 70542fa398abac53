"""Findings carried as frames (replay.findings_frame) and written by columns (views.json_frames,
views.csv_frames): the same bytes as the same findings written as objects, whatever the case text
holds; and the sorted runs that keep them in bounded memory."""

import datetime as dt
import io
from unittest import mock

from hypothesis import given, settings, strategies as st

from casecheck.model import ClockStop, Event, Finding
from casecheck.replay import findings_frame
from casecheck.replay import spill
from casecheck.replay.spill import Runs
from casecheck.replay.workers import compact
from casecheck.views import csv_frames
from casecheck.views.findings import write_csv, write_json

from conftest import make_rules

# Case text comes from files people typed: any character, control characters, quotes,
# backslashes and line separators included (lone surrogates cannot come out of a UTF-8 file).
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=10)
MAYBE = st.one_of(st.none(), TEXT)
DAY = st.dates(dt.date(1900, 1, 1), dt.date(2299, 12, 31))

RULES = make_rules(
    {"id": "R-B", "title": 'quotes " and \\ in a title', "kind": "response", "trigger": "a", "expect": "b",
     "within": "5 days", "cite": "Children Act 1989, section 26"},
    {"id": "R-A", "title": "a warning", "kind": "response", "trigger": "a", "expect": "b", "within": "5 days",
     "severity": "warning"})


@st.composite
def findings(draw):
    out = []
    for case in sorted(draw(st.lists(TEXT, max_size=6, unique=True))):
        for _ in range(draw(st.integers(0, 4))):
            atype = draw(MAYBE)
            stops = draw(st.lists(st.tuples(DAY, st.one_of(st.none(), DAY)), max_size=2))
            out.append(Finding(
                case, draw(st.sampled_from(RULES)), draw(st.sampled_from(["late", "missing", "exceeded", "met", "due"])),
                Event(draw(DAY), draw(TEXT), seq=draw(st.integers(0, 2**40))), draw(DAY),
                None if atype is None else Event(draw(DAY), atype), draw(st.one_of(st.none(), st.integers(-10**6, 10**6))),
                draw(st.integers(-10**6, 10**6)), {}, worker=draw(MAYBE), team=draw(MAYBE),
                extension=draw(st.one_of(st.none(), st.builds(Event, DAY, TEXT))),
                clock_stops=tuple(ClockStop(s, u) for s, u in stops), note=draw(MAYBE)))
    return out


def _frame(found):
    index = {r.id: i for i, r in enumerate(RULES)}
    return findings_frame.from_compact((f.case, None, [compact(f, index)], 0) for f in found)


@settings(max_examples=80, deadline=None)
@given(found=findings())
def test_json_written_by_columns_is_byte_identical_to_json_written_from_objects(found):
    d = dt.date(2024, 2, 29)
    by_objects, by_columns = io.StringIO(), io.StringIO()
    write_json(by_objects, d, 9, iter(found), [])
    frame = _frame(found)
    write_json(by_columns, d, 9, (), [], frames=iter([frame.slice(0, 3), frame.slice(3)]), rules=RULES)
    assert by_columns.getvalue() == by_objects.getvalue()
    # to a file (a UTF-8 text stream over bytes), the findings are written by polars as bytes
    raw = io.BytesIO()
    as_file = io.TextIOWrapper(raw, encoding="utf-8", write_through=False)
    write_json(as_file, d, 9, (), [], frames=iter([frame.slice(0, 1), frame.slice(1)]), rules=RULES)
    as_file.flush()
    assert raw.getvalue().decode("utf-8") == by_objects.getvalue()


@settings(max_examples=80, deadline=None)
@given(found=findings())
def test_csv_written_by_columns_is_byte_identical_to_csv_written_from_objects(found):
    by_objects, by_columns = io.StringIO(newline=""), io.StringIO(newline="")
    write_csv(by_objects, iter(found))
    frame = _frame(found)
    csv_frames.write_csv(by_columns, iter([frame.slice(0, 2), frame.slice(2)]), RULES)
    assert by_columns.getvalue() == by_objects.getvalue()


@settings(max_examples=40, deadline=None)
@given(found=findings())
def test_a_frame_expands_to_the_findings_it_was_made_from(found):
    back = list(findings_frame.expand(_frame(found), RULES, lambda cid: {}))
    fields = ("case", "status", "due", "days_late", "working_days_late", "worker", "team", "clock_stops", "note")
    assert [tuple(getattr(f, k) for k in fields) + (f.rule.id, f.trigger.date, f.trigger.type, f.trigger.seq,
                                                     f.actual and (f.actual.date, f.actual.type),
                                                     f.extension and (f.extension.date, f.extension.type))
            for f in back] == \
           [tuple(getattr(f, k) for k in fields) + (f.rule.id, f.trigger.date, f.trigger.type, f.trigger.seq,
                                                     f.actual and (f.actual.date, f.actual.type),
                                                     f.extension and (f.extension.date, f.extension.type))
            for f in found]


@settings(max_examples=40, deadline=None)
@given(found=findings(), limit=st.integers(1, 8), rows=st.integers(1, 5), chunk=st.integers(1, 3),
       order=st.randoms(use_true_random=False), tainted=st.sets(TEXT, max_size=2), deferred=st.sets(TEXT, max_size=2))
def test_sorted_runs_merge_into_whole_cases_in_case_order(found, limit, rows, chunk, order, tainted, deferred):
    """However the cases arrive, however often they are spilled and however small the files of a
    sorted run, the merged batches hold each
    kept case whole, in case order, its findings in the order they came; tainted cases and the
    first check of deferred ones are left out."""
    frame = _frame(found)
    cases = frame["case"].unique(maintain_order=True).to_list()
    tainted |= set(cases[:1])  # one real case dropped, where there is one
    order.shuffle(cases)
    runs = Runs(limit)
    try:
        with mock.patch.object(spill, "CHUNK_ROWS", chunk):  # a run in files of `chunk` findings
            for cid in cases:
                runs.add_frame(frame.filter(frame["case"] == cid))
        with mock.patch.object(spill, "MERGE_BATCH_ROWS", rows):
            batches = list(runs.merged(set(tainted), set(deferred)))
    finally:
        runs.close()
    kept = frame.filter(~frame["case"].is_in(list(tainted | deferred)))
    assert all(b["case"][-1] < n["case"][0] for b, n in zip(batches, batches[1:]))
    assert [row for b in batches for row in b.iter_rows()] == list(kept.sort("case", maintain_order=True).iter_rows())


def test_a_deferred_case_keeps_only_its_second_check():
    found = [Finding("C1", RULES[0], "late", Event(dt.date(2024, 1, 1), "a"), dt.date(2024, 1, 8))]
    index = {r.id: i for i, r in enumerate(RULES)}
    runs = Runs(1)
    try:
        runs.add_frame(_frame(found))  # checked as its run ended (phase 0), spilled
        runs.add(("C1", {"team": "T"}, [compact(Finding("C1", RULES[1], "missing", Event(dt.date(2024, 1, 2), "a"),
                                                         dt.date(2024, 1, 9)), index)], 1))
        kept = list(runs.merged(set(), {"C1"}))
    finally:
        runs.close()
    assert [(row["rule"], row["phase"]) for b in kept for row in b.iter_rows(named=True)] == [(1, 1)]
    assert runs.attrs == {"C1": {"team": "T"}}
