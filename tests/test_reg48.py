"""Reg 48 of SI 2010/959: a child on a series of short breaks is reviewed on the modified schedule
(first within 3 months of the first short break, then at most 6 months apart), not reg 33's."""

import datetime as dt

from casecheck.inputs import bundled
from casecheck.model import Case, Event
from casecheck.replay.engine import check
from casecheck.rules.load import load_rules

AS_AT = dt.date(2024, 12, 31)
D = dt.date.fromisoformat


def _case(cid, reviews, short_breaks=True):
    """Three short breaks, each its own period of care (as an SSDA903 return records V3 breaks), or
    for the child not on short breaks one period of care from the same first day."""
    events = []
    if short_breaks:
        for start, end in (("2024-01-08", "2024-01-11"), ("2024-03-04", "2024-03-07"), ("2024-06-03", "2024-06-06")):
            events += [Event(D(start), "became_looked_after", {"legal_status": "V3"}),
                       Event(D(start), "short_break_started", {"legal_status": "V3"}),
                       Event(D(end), "short_break_ended", {"legal_status": "V3"}),
                       Event(D(end), "ceased_looked_after", {"reason": "E13"})]
    else:
        events.append(Event(D("2024-01-08"), "became_looked_after", {"legal_status": "C2"}))
    events += [Event(D(r), "lac_review") for r in reviews]
    for i, e in enumerate(sorted(events, key=lambda e: e.date)):
        e.seq = i
    return Case(cid, {}, events)


def _reviews(case):
    rules, errors = load_rules([str(bundled.rules_dir())])
    assert errors == []
    review_rules = [r for r in rules if r.expect == {"lac_review"}]
    return [(f.rule.id, f.status, str(f.due)) for f in check([case], review_rules, AS_AT)]


def test_a_short_break_child_reviewed_within_3_months_then_6_monthly_has_met_reviews():
    got = _reviews(_case("SB-1", ["2024-03-28", "2024-09-20"]))
    assert got == [("LAC-REVIEW-REG48", "met", "2024-04-08"), ("LAC-REVIEW-REG48", "met", "2024-09-28"),
                   ("LAC-REVIEW-REG48", "due", "2025-03-20")]


def test_a_short_break_child_reviewed_after_4_months_then_7_months_later_is_late_twice():
    got = _reviews(_case("SB-2", ["2024-05-08", "2024-12-08"]))
    assert got == [("LAC-REVIEW-REG48", "late", "2024-04-08"), ("LAC-REVIEW-REG48", "late", "2024-11-08"),
                   ("LAC-REVIEW-REG48", "due", "2025-06-08")]


def test_a_child_not_on_short_breaks_with_the_same_dates_is_still_late_under_reg_33():
    got = _reviews(_case("C-1", ["2024-03-28", "2024-09-20"], short_breaks=False))
    assert got[0] == ("LAC-REVIEW-REG33", "late", "2024-02-05")
    assert {rid for rid, *_ in got} == {"LAC-REVIEW-REG33"}


def test_a_v4_agreement_is_reviewed_on_the_reg_48_schedule_not_reg_33s():
    case = Case("SB-4", {}, [Event(D("2024-01-08"), "became_looked_after", {"legal_status": "V4"}, 1),
                             Event(D("2024-01-08"), "short_break_agreement_started", {"legal_status": "V4"}, 2),
                             Event(D("2024-03-28"), "lac_review", {}, 3),
                             Event(D("2024-09-20"), "lac_review", {}, 4),
                             Event(D("2024-11-30"), "short_break_agreement_ended", {"legal_status": "V4"}, 5),
                             Event(D("2024-11-30"), "ceased_looked_after", {"reason": "E13"}, 6)])
    assert _reviews(case) == [("LAC-REVIEW-REG48", "met", "2024-04-08"), ("LAC-REVIEW-REG48", "met", "2024-09-28")]
