"""`every` rules with fixed 'windows' (school terms): a term the period covers throughout needs an
expected event within it; the load errors; the same findings on every path."""

import datetime as dt
import json

from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from casecheck.cli import main
from casecheck.dates import yearly_windows
from casecheck.model import Case, Event
from casecheck.replay import check
from casecheck.replay.columnar.check import supports
from casecheck.rules.explain import explain
from casecheck.rules.load import ruleset_from_data
from conftest import D, make_case, make_rules

TERMS = [{"from": "09-01", "until": "12-31"}, {"from": "01-01", "until": "03-31"}, {"from": "04-01", "until": "07-31"}]


def _rule(**fields):
    raw = {"id": "PEP-T", "title": "T", "kind": "every", "expect": "pep_review", "from": "became_looked_after",
           "until": "ceased_looked_after", "windows": TERMS}
    return make_rules({k: v for k, v in dict(raw, **fields).items() if v is not None})


def _found(rules, case, as_at):
    return [(f.status, str(f.trigger.date), str(f.due), f.days_late) for f in check([case], rules, D(as_at))]


def _error(**fields):
    raw = {"id": "PEP-T", "kind": "every", "expect": "pep_review", "from": "became_looked_after", "windows": TERMS}
    raw = {k: v for k, v in dict(raw, **fields).items() if v is not None}
    rules, errors = ruleset_from_data({"ruleset": "x", "rules": [raw]}, "<x>")
    assert rules == [] and len(errors) == 1
    return str(errors[0])


def test_a_review_on_2_july_and_the_next_on_10_october_are_in_time():
    case = make_case(("2024-03-04", "became_looked_after"), ("2024-07-02", "pep_review"),
                     ("2024-10-10", "pep_review"), ("2025-01-10", "ceased_looked_after"))
    assert _found(_rule(), case, "2025-06-30") == [("met", "2024-03-04", "2024-07-31", 0),
                                                    ("met", "2024-07-02", "2024-12-31", 0)]


def test_no_review_from_february_to_october_misses_the_summer_term():
    case = make_case(("2023-09-04", "became_looked_after"), ("2024-01-22", "pep_review"),
                     ("2024-10-15", "pep_review"), ("2025-02-01", "ceased_looked_after"))
    assert _found(_rule(), case, "2025-06-30") == [("met", "2023-09-04", "2024-03-31", 0),
                                                    ("missing", "2024-01-22", "2024-07-31", 76),
                                                    ("met", "2024-01-22", "2024-12-31", 0)]


def test_a_term_begun_or_ended_part_way_through_care_is_not_judged():
    # in care from mid-September to mid-March: neither term is covered throughout
    case = make_case(("2024-09-16", "became_looked_after"), ("2025-03-14", "ceased_looked_after"))
    assert _found(_rule(), case, "2025-06-30") == []
    # in care from the first day of term to the day after its last
    case = make_case(("2024-09-01", "became_looked_after"), ("2025-01-01", "ceased_looked_after"))
    assert _found(_rule(), case, "2025-06-30") == [("missing", "2024-09-01", "2024-12-31", 1)]


def test_the_summer_holiday_is_no_term():
    case = make_case(("2024-08-01", "became_looked_after"), ("2024-08-31", "ceased_looked_after"))
    assert _found(_rule(), case, "2025-06-30") == []


def test_a_term_running_at_the_as_at_date_is_due_and_a_missed_one_is_counted_to_the_as_at_date():
    case = make_case(("2024-03-28", "became_looked_after"))
    assert _found(_rule(), case, "2024-10-01") == [("missing", "2024-03-28", "2024-07-31", 62),
                                                    ("due", "2024-03-28", "2024-12-31", 0)]


def test_a_councils_own_terms_may_run_over_the_year_end():
    rules = _rule(windows=[{"from": "11-01", "until": "02-28"}, {"from": "03-01", "until": "06-30"}])
    case = make_case(("2024-10-20", "became_looked_after"), ("2025-01-15", "pep_review"),
                     ("2025-07-10", "ceased_looked_after"))
    assert _found(rules, case, "2025-12-31") == [("met", "2024-10-20", "2025-02-28", 0),
                                                  ("missing", "2025-01-15", "2025-06-30", 10)]


def test_fixed_windows_are_checked_by_the_columnar_path_and_explained():
    [rule] = _rule()
    assert supports(rule)  # tests/test_columnar_kinds.py: its findings are the replay engine's
    text = explain(rule)
    assert "1 September to 31 December, 1 January to 31 March and 1 April to 31 July" in text
    assert "covers throughout" in text


def test_windows_load_errors_name_what_is_wrong():
    assert "overlap" in _error(windows=[{"from": "09-01", "until": "12-31"}, {"from": "12-01", "until": "03-31"}])
    assert "'windows.from' must be a day of the year as MM-DD" in _error(windows=[{"from": "02-29", "until": "03-31"}])
    assert "'windows.until' must be a day of the year" in _error(windows=[{"from": "09-01", "until": "13-01"}])
    assert "needs 'from' and 'until'" in _error(windows=[{"from": "09-01"}])
    assert "give one or the other" in _error(every="3 months")
    assert "every rules need 'every' (or fixed 'windows'" in _error(windows=None)
    rules, errors = ruleset_from_data({"ruleset": "x", "rules": [
        {"id": "M", "kind": "max_total", "from": "a", "limit": "5 days", "window": "12 months", "windows": TERMS}]}, "<x>")
    assert rules == [] and "apply to every rules" in str(errors[0])


# --- a day-by-day oracle ------------------------------------------------------------------------

def _oracle(start, close, reviews, as_at):
    """Each term covered throughout (begun on or after start, ended before close and before as_at):
    met if a review falls in it, else missing counted to the next review, the close or as_at."""
    out = []
    for first, last in yearly_windows(start, [((9, 1), (12, 31)), ((1, 1), (3, 31)), ((4, 1), (7, 31))]):
        if last >= close or last >= as_at:
            break
        inside = [r for r in reviews if first <= r <= last]
        if inside:
            out.append(("met", str(last), 0))
        else:
            end = min([r for r in reviews if r > last] + [close, as_at])
            out.append(("missing", str(last), (end - last).days))
    return out


@settings(max_examples=150, deadline=None)
@given(st.dates(dt.date(2019, 1, 1), dt.date(2023, 12, 31)), st.integers(0, 900),
       st.lists(st.integers(0, 900), max_size=8))
def test_terms_agree_with_a_day_by_day_oracle(start, length, offsets):
    close = start + dt.timedelta(days=length)
    reviews = sorted({start + dt.timedelta(days=o) for o in offsets if o < length})
    events = [Event(start, "became_looked_after", {}, 0)] + [Event(r, "pep_review", {}, i + 1) for i, r in
                                                             enumerate(reviews)] + [Event(close, "ceased_looked_after", {}, 99)]
    as_at = dt.date(2027, 1, 1)
    got = [(f.status, str(f.due), f.days_late) for f in check([Case("C", {}, events)], _rule(), as_at)]
    assert got == _oracle(start, close, reviews, as_at)


def test_the_same_findings_from_a_case_file_and_an_event_log(write):
    rules = write("terms.yaml", json.dumps({"ruleset": "t", "rules": [
        {"id": "PEP-T", "title": "T", "cite": "x", "severity": "warning", "kind": "every", "expect": "pep_review",
         "from": "became_looked_after", "until": "ceased_looked_after", "windows": TERMS}]}))
    rows = [("A", "2023-09-04", "became_looked_after"), ("A", "2024-01-22", "pep_review"),
            ("A", "2024-10-15", "pep_review"), ("B", "2024-03-04", "became_looked_after"),
            ("B", "2024-07-02", "pep_review")]
    log = write("log.csv", "case,date,type\n" + "".join(f"{c},{d},{t}\n" for c, d, t in rows))
    cases = write("cases.yaml", json.dumps([{"case": c, "events": [{"date": d, "type": t} for k, d, t in rows if k == c]}
                                            for c in ("A", "B")]))
    runs = []
    for path, extra in ((log, []), (cases, []), (log, ["--workers", "2"])):
        r = CliRunner().invoke(main, ["check", path, "--rules", rules, "--as-at", "2025-02-10", "--all",
                                      "--format", "json", *extra])
        assert r.exit_code == 0, r.output
        runs.append([(f["case"], f["status"], f["due"], f.get("days_late")) for f in json.loads(r.stdout)["findings"]])
    assert runs[0] == runs[1] == runs[2]
    assert ("A", "missing", "2024-07-31", 76) in runs[0] and ("B", "due", "2025-03-31", 0) in runs[0]
