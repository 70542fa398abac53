"""Rule-language extensions beyond the formats (README "Beyond the formats"): each keeps their meanings."""

from conftest import make_case, make_rules, outcomes

LAC_REVIEWS = dict(id="REV", kind="every", expect="lac_review", first=["20 working days", "3 months"],
                   every="6 months", **{"from": "became_looked_after", "until": "ceased_looked_after"})


def test_first_as_a_list_sets_the_first_windows_in_order():
    case = make_case(("2024-01-08", "became_looked_after"), ("2024-02-05", "lac_review"),
                     ("2024-05-05", "lac_review"), ("2024-11-06", "lac_review"))
    # 8 Jan + 20 working days = Mon 5 Feb; + 3 months = 5 May; + 6 months = 5 Nov (6 Nov is late).
    assert outcomes(make_rules(LAC_REVIEWS), case, "2024-12-01") == [
        ("met", "2024-01-08", "2024-02-05", "2024-02-05", 0, 0),
        ("met", "2024-02-05", "2024-05-05", "2024-05-05", 0, 0),
        ("late", "2024-05-05", "2024-11-05", "2024-11-06", 1, 1),
        ("due", "2024-11-06", "2025-05-06", None, 0, 0)]


def test_the_window_count_restarts_with_each_period():
    case = make_case(("2024-01-08", "became_looked_after"), ("2024-02-01", "lac_review"),
                     ("2024-03-01", "ceased_looked_after"), ("2024-06-03", "became_looked_after"))
    # The new period starts again at 20 working days: 3 Jun 2024 + 20 working days = 1 Jul.
    assert outcomes(make_rules(LAC_REVIEWS), case, "2024-06-10")[-1] == ("due", "2024-06-03", "2024-07-01", None, 0, 0)


def test_a_single_first_is_spec_first():
    rule = dict(LAC_REVIEWS, first="20 working days")
    case = make_case(("2024-01-08", "became_looked_after"), ("2024-02-05", "lac_review"))
    assert outcomes(make_rules(rule), case, "2024-03-01")[-1] == ("due", "2024-02-05", "2024-08-05", None, 0, 0)


VISITS = dict(id="VIS", kind="every", expect="lac_visit", first="1 week", every="6 weeks",
              then=[{"after": "1 year", "every": "3 months"}], where={"long_term": True},
              **{"from": "placement_started", "until": "placement_ended"})


def test_then_changes_the_interval_once_a_phase_has_begun():
    case = make_case(("2023-01-02", "placement_started", {"long_term": True}), ("2023-01-06", "lac_visit"),
                     ("2023-12-01", "lac_visit"), ("2024-01-10", "lac_visit"), ("2024-04-10", "lac_visit"))
    got = outcomes(make_rules(VISITS), case, "2024-05-01")
    # 6 Jan + 6 weeks = 17 Feb (1 Dec is late); 1 Dec 2023 is before the year is up (2 Jan 2024),
    # so its window is 6 weeks: 12 Jan (10 Jan met); 10 Jan 2024 is in year two: 3 months, 10 Apr.
    assert [(g[0], g[2]) for g in got] == [("met", "2023-01-09"), ("late", "2023-02-17"), ("met", "2024-01-12"),
                                          ("met", "2024-04-10"), ("due", "2024-07-10")]


def test_where_null_matches_events_without_the_attribute():
    rule = dict(VISITS, where={"long_term": [None, False]}, then=None)
    rule = {k: v for k, v in rule.items() if v is not None}
    rules = make_rules(rule)
    assert outcomes(rules, make_case(("2023-01-02", "placement_started")), "2023-01-05")[0][0] == "due"
    assert outcomes(rules, make_case(("2023-01-02", "placement_started", {"long_term": False})), "2023-01-05")[0][0] == "due"
    assert outcomes(rules, make_case(("2023-01-02", "placement_started", {"long_term": True})), "2023-01-05") == []


SHORT_BREAKS = dict(id="SB75", kind="max_total", limit="75 days", window="12 months",
                    **{"from": "short_break_started", "until": "short_break_ended"})


def _breaks(*pairs):
    events = []
    for s, e in pairs:
        events += [(s, "short_break_started"), (e, "short_break_ended")] if e else [(s, "short_break_started")]
    return make_case(*events)


def test_max_total_within_the_cap_is_met():
    case = _breaks(("2024-01-01", "2024-01-31"), ("2024-03-01", "2024-03-31"))  # 30 + 30 nights
    got = outcomes(make_rules(SHORT_BREAKS), case, "2024-06-01")
    assert [g[0] for g in got] == ["met", "met"]
    # First break: alone it could run 75 nights, to 16 Mar. Second: 45 nights left, to 15 Apr.
    assert [g[2] for g in got] == ["2024-03-16", "2024-04-15"]


def test_max_total_over_the_cap_is_exceeded_by_the_nights_over():
    case = _breaks(("2024-01-01", "2024-02-20"), ("2024-03-01", "2024-03-31"))  # 50 + 30 = 80 nights
    got = outcomes(make_rules(SHORT_BREAKS), case, "2024-06-01")
    # 50 nights, then night 26 Mar is the 76th: ending on 26 Mar was the latest within the cap.
    # Ended 31 Mar: 5 days over; working days 27, 28 Mar (Good Friday 29 Mar, then a weekend).
    assert got[1] == ("exceeded", "2024-03-01", "2024-03-26", "2024-03-31", 5, 2)


def test_max_total_only_counts_nights_inside_the_rolling_window():
    # 70 nights in Jan-Mar 2023, then 30 in April 2024: the 2023 nights fall out of the window.
    case = _breaks(("2023-01-01", "2023-03-12"), ("2024-04-01", "2024-05-01"))
    assert [g[0] for g in outcomes(make_rules(SHORT_BREAKS), case, "2024-06-01")] == ["met", "met"]
    # From 1 Mar 2024 only 10 of those nights (2-11 Mar 2023) are still in the window, and one
    # drops out each day, so from 11 Mar only 2024 nights count: the 76th would be 15 May.
    later = _breaks(("2023-01-01", "2023-03-12"), ("2024-03-01", "2024-03-20"))
    assert outcomes(make_rules(SHORT_BREAKS), later, "2024-06-01")[1][:3] == ("met", "2024-03-01", "2024-05-15")
    # From 1 Dec 2023 all 70 are: the 76th night is 6 Dec, so the break ending 20 Dec is 14 days over.
    close = _breaks(("2023-01-01", "2023-03-12"), ("2023-12-01", "2023-12-20"))
    assert outcomes(make_rules(SHORT_BREAKS), close, "2024-06-01")[1][:5] == (
        "exceeded", "2023-12-01", "2023-12-06", "2023-12-20", 14)


def test_max_total_open_period_is_due_then_exceeded():
    case = _breaks(("2024-01-01", "2024-02-20"), ("2024-03-01", None))
    rules = make_rules(SHORT_BREAKS)
    assert outcomes(rules, case, "2024-03-20")[1] == ("due", "2024-03-01", "2024-03-26", None, 0, 0)
    assert outcomes(rules, case, "2024-03-28")[1][:3] == ("exceeded", "2024-03-01", "2024-03-26")


def test_max_total_limit_must_count_days(write):
    from casecheck.rules.load import load_rules
    path = write("r.yaml", "ruleset: t\nrules:\n  - id: X\n    kind: max_total\n    from: a\n    until: b\n"
                           "    limit: 3 months\n    window: 12 months\n")
    rules, errors = load_rules([path])
    assert rules == [] and "give it in days or weeks" in errors[0].message


CARE_PLAN = dict(id="CP", kind="response", trigger="became_looked_after", expect="care_plan",
                 within="10 working days", lookback="3 months")


def test_lookback_lets_an_expect_made_in_advance_answer_the_trigger():
    # Reg 4: the care plan is prepared before the first placement where practicable.
    case = make_case(("2024-02-20", "care_plan"), ("2024-03-01", "became_looked_after"))
    assert outcomes(make_rules(CARE_PLAN), case, "2024-06-01") == [
        ("met", "2024-03-01", "2024-03-15", "2024-02-20", 0, 0)]


def test_lookback_is_bounded_and_respects_match():
    too_early = make_case(("2023-11-30", "care_plan"), ("2024-03-01", "became_looked_after"))
    # 1 Mar 2024 - 3 months = 1 Dec 2023: a plan of 30 Nov is too old, so the plan is missing.
    assert outcomes(make_rules(CARE_PLAN), too_early, "2024-06-01")[0][:3] == ("missing", "2024-03-01", "2024-03-15")
    rules = make_rules(dict(CARE_PLAN, match=["child"]))
    other = make_case(("2024-02-20", "care_plan", {"child": "a"}), ("2024-03-01", "became_looked_after", {"child": "b"}))
    assert outcomes(rules, other, "2024-06-01")[0][0] == "missing"


def test_without_lookback_an_earlier_expect_does_not_count():
    rule = {k: v for k, v in CARE_PLAN.items() if k != "lookback"}
    case = make_case(("2024-02-20", "care_plan"), ("2024-03-01", "became_looked_after"))
    assert outcomes(make_rules(rule), case, "2024-06-01")[0][0] == "missing"
