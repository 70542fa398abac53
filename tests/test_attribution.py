"""SPEC §2, Who held the case: each finding's worker and team as on its due date."""

from conftest import D, make_case, make_rules

from casecheck.replay import check

MIN = dict(id="MIN", kind="response", trigger="cin_meeting", expect="minutes_sent", within="15 working days")
# 15 Feb 2022 + 15 working days = Tue 8 Mar 2022.


def _holders(case, as_at="2022-06-01", rules=(MIN,)):
    return [(f.worker, f.team) for f in check([case], make_rules(*rules), D(as_at))]


def test_an_allocation_on_the_due_date_itself_holds_the_finding():
    case = make_case(("2022-01-10", "worker_allocated", {"worker": "W-Amber", "team": "North"}),
                     ("2022-02-15", "cin_meeting"),
                     ("2022-03-08", "worker_allocated", {"worker": "W-Blue", "team": "South"}))
    assert _holders(case) == [("W-Blue", "South")]


def test_an_allocation_the_day_after_the_due_date_does_not():
    case = make_case(("2022-01-10", "worker_allocated", {"worker": "W-Amber", "team": "North"}),
                     ("2022-02-15", "cin_meeting"),
                     ("2022-03-09", "worker_allocated", {"worker": "W-Blue", "team": "South"}))
    assert _holders(case) == [("W-Amber", "North")]


def test_an_allocation_after_the_judging_event_but_before_the_due_date_counts():
    # The minutes came early (1 Mar); the case moved on 7 Mar, still before the due date.
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-01", "minutes_sent"),
                     ("2022-03-07", "worker_allocated", {"worker": "W-Blue"}))
    assert _holders(case) == [("W-Blue", None)]


def test_worker_and_team_come_each_from_the_last_allocation_carrying_it():
    case = make_case(("2022-01-10", "worker_allocated", {"worker": "W-Amber", "team": "North"}),
                     ("2022-02-01", "worker_allocated", {"worker": "W-Blue"}),
                     ("2022-02-15", "cin_meeting"), team="Case team", worker="Case worker")
    assert _holders(case) == [("W-Blue", "North")]


def test_without_allocations_the_case_attributes_hold_it():
    case = make_case(("2022-02-15", "cin_meeting"), team="CIN North", worker="W-Case")
    assert _holders(case) == [("W-Case", "CIN North")]
    assert _holders(make_case(("2022-02-15", "cin_meeting"))) == [(None, None)]


def test_allocations_only_after_the_due_date_fall_back_to_the_case():
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-04-01", "worker_allocated", {"worker": "W-Late"}),
                     worker="W-Case")
    assert _holders(case) == [("W-Case", None)]


def test_same_date_allocations_keep_file_order():
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-01", "worker_allocated", {"worker": "W-First"}),
                     ("2022-03-01", "worker_allocated", {"worker": "W-Second"}))
    assert _holders(case) == [("W-Second", None)]


def test_allocations_after_the_as_at_date_are_ignored():
    # An open deadline due after the as-at date: the allocation dated after as-at is not read.
    case = make_case(("2022-02-15", "cin_meeting"), ("2022-03-01", "worker_allocated", {"worker": "W-Future"}),
                     worker="W-Case")
    assert _holders(case, as_at="2022-02-20") == [("W-Case", None)]


def test_a_continuing_duty_is_attributed_at_its_own_due_date():
    plan = dict(id="PLAN", kind="max_duration", limit="9 months", **{"from": "cin_plan_started", "until": "cin_plan_ended"})
    case = make_case(("2022-01-01", "cin_plan_started"), ("2022-02-01", "worker_allocated", {"worker": "W-A"}),
                     ("2022-10-01", "worker_allocated", {"worker": "W-B"}), ("2022-12-01", "cin_plan_ended"))
    # The limit date is 1 Oct 2022, the day W-B took the case: the breach is W-B's.
    assert _holders(case, as_at="2023-01-01", rules=(plan,)) == [("W-B", None)]
