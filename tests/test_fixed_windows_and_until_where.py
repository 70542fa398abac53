"""`max_total` fixed windows (`window_start`), and `until_where` / `not` in rule files: examples,
a day-by-day oracle for fixed windows, and the load errors."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from casecheck.model import Case, Event
from casecheck.replay.engine import Replayer
from casecheck.rules.load import load_rules, ruleset_from_data


def _rule(**fields):
    raw = {"id": "T", "title": "T", "kind": "max_total", "from": "short_break_started", "until": "short_break_ended",
           "limit": "10 days", "window": "12 months", "window_start": "04-01"}
    raw = {k: v for k, v in dict(raw, **fields).items() if v is not None}  # None: the field left out
    rules, errors = ruleset_from_data({"ruleset": "x", "rules": [raw]}, "<x>")
    assert errors == [], [str(e) for e in errors]
    return rules[0]


def _breaks(*spans):
    events, seq = [], 0
    for s, e in spans:
        seq += 2
        events.append(Event(s, "short_break_started", {}, seq - 1))
        if e is not None:
            events.append(Event(e, "short_break_ended", {}, seq))
    return Case("C", {}, events)


def _found(rule, case, as_at):
    return [(f.trigger.date, f.due, f.status, f.days_late) for f in Replayer([rule]).check_case(case, as_at)]


D = dt.date


def test_fixed_windows_from_1_april_count_each_collection_year_apart():
    rule = _rule()
    # 8 nights in March and 8 in April: 16 in a rolling year, but 8 in each collection year
    case = _breaks((D(2024, 3, 20), D(2024, 3, 28)), (D(2024, 4, 10), D(2024, 4, 18)))
    assert _found(rule, case, D(2025, 1, 1)) == [(D(2024, 3, 20), D(2024, 3, 30), "met", 0),
                                                 (D(2024, 4, 10), D(2024, 4, 20), "met", 0)]
    rolling = _rule(window_start=None)
    assert [s for *_, s, _ in _found(rolling, case, D(2025, 1, 1))] == ["met", "exceeded"]


def test_a_total_spanning_two_windows_is_judged_in_each():
    rule = _rule()
    # 6 nights before 1 April (after 6 earlier ones: 12 > 10 in 2023-24), 9 after it (within 10 in 2024-25)
    case = _breaks((D(2024, 1, 1), D(2024, 1, 7)), (D(2024, 3, 26), D(2024, 4, 10)))
    assert _found(rule, case, D(2025, 1, 1)) == [
        (D(2024, 1, 1), D(2024, 1, 11), "met", 0),
        (D(2024, 3, 26), D(2024, 3, 30), "exceeded", 2),  # measured to the window's end, 1 April
        (D(2024, 3, 26), D(2024, 4, 11), "met", 0)]


def test_a_break_still_open_is_due_in_the_current_window():
    rule = _rule()
    case = _breaks((D(2024, 3, 30), None))
    assert _found(rule, case, D(2024, 4, 5)) == [(D(2024, 3, 30), D(2024, 4, 1), "met", 0),
                                                 (D(2024, 3, 30), D(2024, 4, 11), "due", 0)]


def test_a_break_open_on_the_first_day_of_a_window_is_judged_in_the_last_and_due_in_the_new():
    rule = _rule()
    case = _breaks((D(2024, 3, 25), None))
    assert _found(rule, case, D(2024, 4, 1)) == [(D(2024, 3, 25), D(2024, 4, 1), "met", 0),
                                                 (D(2024, 3, 25), D(2024, 4, 11), "due", 0)]


def _oracle(spans, cap, start_md, as_at):
    """Day by day: each (period, window) with nights in it, the window's running total of nights."""
    out = []
    nights_in: dict = {}  # window start -> nights counted so far
    for s, e in spans:
        end = e if e is not None else as_at
        n = s
        windows = []
        while True:
            a = D(n.year, *start_md) if n >= D(n.year, *start_md) else D(n.year - 1, *start_md)
            b = D(a.year + 1, *start_md)
            prior = nights_in.get(a, 0)
            lo, hi = max(s, a), min(end, b)
            x = lo  # the latest end date x <= b with prior + nights(lo..x-1) <= cap
            while x < b and prior + (x + dt.timedelta(days=1) - lo).days <= cap:
                x += dt.timedelta(days=1)
            if prior > cap:
                x = lo
            count = (hi - lo).days
            nights_in[a] = prior + count
            over = hi > x
            status = "exceeded" if over else ("due" if e is None and end < b else "met")
            windows.append((s, x, status))
            if end < b or (e is not None and end == b):
                break
            n = b
        out.extend(windows)
    return out


@st.composite
def spans_st(draw):
    day = D(2023, 1, 1) + dt.timedelta(days=draw(st.integers(0, 500)))
    spans = []
    for _ in range(draw(st.integers(1, 6))):
        s = day + dt.timedelta(days=draw(st.integers(0, 120)))
        e = s + dt.timedelta(days=draw(st.integers(0, 60)))
        spans.append((s, e))
        day = e
    if draw(st.booleans()):
        spans[-1] = (spans[-1][0], None)
    return spans


@settings(max_examples=300, deadline=None)
@given(spans=spans_st(), cap=st.integers(1, 40), start=st.sampled_from(["04-01", "01-01", "12-31", "03-01"]),
       extra=st.integers(0, 400))
def test_fixed_windows_equal_a_day_by_day_count(spans, cap, start, extra):
    last = spans[-1][1] or spans[-1][0]
    as_at = last + dt.timedelta(days=extra)
    if extra % 7 == 0:  # often on the first day of a window
        as_at = D(as_at.year, *(int(p) for p in start.split("-")))
        if as_at < last:
            as_at = D(as_at.year + 1, *(int(p) for p in start.split("-")))
    rule = _rule(limit=f"{cap} days", window_start=start)
    md = tuple(int(p) for p in start.split("-"))
    got = [(t, due, status) for t, due, status, _ in _found(rule, _breaks(*spans), as_at)]
    assert sorted(got) == sorted(_oracle(spans, cap, md, as_at))


def test_bad_window_start_until_where_and_not_are_load_errors_naming_file_and_line(write):
    path = write("rules.yaml", """ruleset: x
rules:
  - id: A
    kind: max_total
    from: a
    until: b
    limit: 75 days
    window: 12 months
    window_start: 13-01
  - id: B
    kind: max_total
    from: a
    until: b
    limit: 75 days
    window: 30 days
    window_start: 04-01
  - id: C
    kind: max_duration
    from: a
    limit: 8 days
    until_where: {legal_status: {not: L2}}
  - id: D
    kind: max_duration
    from: a
    until: b
    limit: 8 days
    until_where: {legal_status: {nor: L2}}
  - id: E
    kind: response
    trigger: a
    expect: b
    within: 5 days
    until_where: {legal_status: L2}
  - id: F
    kind: max_duration
    from: a
    until: b
    limit: 8 days
    applies_to: {council: {not: York}}
  - id: G
    kind: max_total
    from: a
    until: b
    limit: 75 days
    window: 1 year
    window_start: 04-01
    where: {legal_status: {not: [V4, null]}}
    until_where: {legal_status: V3}
""")
    rules, errors = load_rules([path])
    assert [r.id for r in rules] == ["G"]
    assert rules[0].window_start == (4, 1)
    assert [(e.line, e.message) for e in errors] == [
        (9, "rule A: 'window_start' must be a day of the year as MM-DD (04-01 for 1 April; 29 February is not "
            "allowed), got '13-01'"),
        (16, "rule B: fixed windows ('window_start') are a year long: give 'window: 12 months' or 'window: 1 year'"),
        (21, "rule C: 'until_where' filters the 'until' events: give 'until' too"),
        (27, "rule D: 'until_where.legal_status' must be a value, a list of values or {not: value or list}, "
             "got a mapping with 'nor'"),
        (33, "rule E: 'until_where' is not a field of a response rule (it filters the 'until' events that end a "
             "period; a response rule has none)"),
        (39, "rule F: 'applies_to.council' must be a string, number or boolean, got a mapping"),
    ]
    assert all(e.file == path for e in errors)


def test_rules_explain_says_not_until_where_and_fixed_windows_in_words():
    from casecheck.rules.explain import explain, window

    rule = _rule(where={"legal_status": {"not": ["V4", None]}}, until_where={"legal_status": {"not": "L2"}})
    text = explain(rule)
    assert "from 'short_break_started' (only those whose 'legal_status' is neither 'V4' nor absent)" in text
    assert "to 'short_break_ended' (only those whose 'legal_status' is not 'L2', or is absent)" in text
    assert "at most 10 days in each year from 1 April (fixed years, not rolling" in text
    assert window(rule) == "at most 10 days in each year from 1 April"


def test_until_where_not_and_fixed_windows_give_the_same_findings_on_every_check_path(write):
    """A CSV log through the columnar path, the replay engine alone and two worker processes (the
    rules pickled to them): the same findings."""
    from casecheck.replay.stream import check_paths
    from conftest import make_rules

    rules = make_rules(
        {"id": "EPO", "title": "order", "kind": "max_duration", "limit": "8 days",
         "from": ["placement_started", "legal_status_changed"], "where": {"legal_status": "L2"},
         "until": ["legal_status_changed", "placement_started", "ceased_looked_after"],
         "until_where": {"legal_status": {"not": "L2"}}},
        {"id": "BREAKS", "title": "breaks", "kind": "max_total", "limit": "10 days", "window": "12 months",
         "window_start": "04-01", "from": "short_break_started", "until": "short_break_ended"})
    rows = ["case,date,type,legal_status"]
    for n in range(40):
        c = f"C{n}"
        rows += [f"{c},2024-03-{1 + n % 20:02d},placement_started,L2", f"{c},2024-03-{5 + n % 20:02d},placement_started,L2",
                 f"{c},2024-03-{7 + n % 20:02d},legal_status_changed,{'C2' if n % 3 else 'L2'}",
                 f"{c},2024-03-{20 + n % 8:02d},short_break_started,V3", f"{c},2024-04-{1 + n % 9:02d},short_break_ended,V3"]
    path = write("log.csv", "\n".join(rows) + "\n")
    as_at = D(2024, 6, 1)

    def run(**kw):
        res = check_paths([path], rules, as_at, keep_all=True, **kw)
        got = [(f.case, f.rule.id, f.status, f.trigger.date, f.due) for f in res.findings]
        res.close()
        return got

    reference = run(columnar_path=False)
    assert len(reference) > 80 and {s for *_, s, _, _ in reference} >= {"met", "exceeded"}
    assert run() == reference
    assert run(workers=2, chunk_bytes=300) == reference


def test_lint_tells_rules_apart_by_until_where_not_and_window_start():
    from casecheck.rules.lint import lint_rules

    base = {"id": "A", "title": "A", "cite": "x", "kind": "max_total", "from": "a", "until": "b", "limit": "5 days",
            "window": "12 months", "examples": [{"name": "n", "events": [], "expect": []}]}
    variants = [base, dict(base, id="B", until_where={"k": "v"}), dict(base, id="C", until_where={"k": {"not": "v"}}),
                dict(base, id="D", window_start="04-01"), dict(base, id="E", where={"k": {"not": "v"}}),
                dict(base, id="F", where={"k": "v"})]
    rules, errors = ruleset_from_data({"ruleset": "x", "rules": variants}, "<x>")
    assert errors == [] and len(rules) == 6
    assert not [w for w in lint_rules(rules) if "duplicate" in w.message]
    again, _ = ruleset_from_data({"ruleset": "y", "rules": [dict(variants[2], id="C2")]}, "<y>", {}, {"C": "x"})
    dupes = [w.message for w in lint_rules(rules + again) if "duplicate" in w.message]
    assert len(dupes) == 1 and dupes[0].startswith("rule C2 judges exactly what rule C does")
