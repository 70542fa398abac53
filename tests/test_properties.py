"""The engine's laws, checked with hypothesis over generated timelines.

- The order of cases, and how they are split across files, changes no finding.
- Moving an expect event earlier never makes the obligation it answers worse (met never
  turns late, late never turns missing, and it is never more days late).
- Adding an event of a type no rule names changes nothing.
- A later as-at date never removes a breach already reported.
- An extension or a clock stop never makes a finding worse.
- Who a finding is attributed to does not depend on input order or on how a case's events are
  split across files.
"""

import datetime as dt
import json
import os
import tempfile

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from conftest import make_rules
from casecheck.inputs.cases import load_cases
from casecheck.model import BREACHES, Case, Event
from casecheck.replay import check
from casecheck.views.findings import finding_record

RULES = make_rules(
    dict(id="R-MIN", kind="response", trigger="cin_meeting", expect="minutes_sent", within="15 working days",
         match=["meeting"], unless="case_closed"),
    dict(id="R-ANY", kind="response", trigger=["referral", "cin_meeting"], expect=["assessment_authorised"],
         within="10 days"),
    dict(id="R-SUM", kind="every", expect="case_summary", every="3 months", first="20 working days",
         in_force={"from": "2022-06-01"}, **{"from": "case_opened", "until": "case_closed"}),
    dict(id="R-PLAN", kind="max_duration", limit="9 months", extend={"by": "plan_extended", "to": "12 months"},
         **{"from": "cin_plan_started", "until": "cin_plan_ended"}),
    dict(id="R-CPL", kind="response", trigger="complaint_received", expect="stage2_response", within="10 working days",
         match=["meeting"], unless="case_closed", extend={"by": "complaint_extended", "to": "20 working days"},
         paused_by="awaiting_info", resumed_by="info_received"),
    dict(id="R-TOTAL", kind="max_total", limit="40 days", window="6 months",
         **{"from": "cin_plan_started", "until": "cin_plan_ended"}),
    dict(id="R-REV", kind="every", expect="case_summary", first=["10 working days", "1 month"], every="2 months",
         then=[{"after": "6 months", "every": "4 months"}], **{"from": "cin_plan_started", "until": "cin_plan_ended"}),
    dict(id="R-BW", kind="response", trigger="complaint_received", expect="stage1_response", within="10 working days",
         counting="beginning_with", in_force={"from": "2022-03-01"}),
)
TYPES = ["cin_meeting", "minutes_sent", "case_closed", "referral", "assessment_authorised", "case_opened",
         "case_summary", "cin_plan_started", "cin_plan_ended", "complaint_received", "stage1_response",
         "worker_allocated"]
DEADLINE_MOVERS = {"complaint_extended", "awaiting_info", "info_received", "plan_extended"}
ALL_TYPES = TYPES + ["stage2_response", *sorted(DEADLINE_MOVERS)]  # every type RULES names
START = dt.date(2022, 1, 1)
AS_AT = dt.date(2023, 6, 30)
PROP = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

event_st = st.tuples(st.integers(0, 600), st.sampled_from(TYPES), st.sampled_from([None, "a", "b"]))
# Timelines dense in what moves deadlines and who holds the case, for the laws about them.
DEADLINE_TYPES = ["complaint_received", "stage2_response", "case_closed", "cin_plan_started", "cin_plan_ended",
                  "worker_allocated", *sorted(DEADLINE_MOVERS)]
deadline_event_st = st.tuples(st.integers(0, 90), st.sampled_from(DEADLINE_TYPES), st.sampled_from([None, "a", "b"]))


@st.composite
def deadline_case_st(draw):
    """A case that opens a complaint and a plan early, then a random mix of the events that extend,
    stop, restart, close or answer them, and of allocations."""
    opening = [(draw(st.integers(0, 10)), "complaint_received", draw(st.sampled_from([None, "a"]))),
               (draw(st.integers(0, 10)), "cin_plan_started", None)]
    raw = opening + draw(st.lists(deadline_event_st, min_size=2, max_size=20))
    events = [Event(START + dt.timedelta(days=d), t, _attrs(t, m), seq=i + 1) for i, (d, t, m) in enumerate(raw)]
    return Case("C-1", {}, events)


@st.composite
def case_st(draw, case_id=None):
    raw = draw(st.lists(event_st, max_size=25))
    cid = case_id or draw(st.from_regex(r"C-[0-9]{1,3}", fullmatch=True))
    events = [Event(START + dt.timedelta(days=d), t, _attrs(t, m), seq=i + 1) for i, (d, t, m) in enumerate(raw)]
    return Case(cid, {}, events)


def _attrs(etype, m):
    if etype == "worker_allocated":  # a worker always; a team only sometimes
        return {"worker": f"W-{m or 'z'}", **({"team": f"T-{m}"} if m else {})}
    return {"meeting": m} if m else {}


cases_st = st.lists(case_st(), max_size=6, unique_by=lambda c: c.id)


def records(findings):
    return [json.dumps(finding_record(f), sort_keys=True) for f in findings]


@PROP
@given(cases_st, st.randoms(use_true_random=False))
def test_order_of_cases_changes_nothing(cases, rnd):
    before = records(check(cases, RULES, AS_AT))
    shuffled = list(cases)
    rnd.shuffle(shuffled)
    assert records(check(shuffled, RULES, AS_AT)) == before


def _write_case(folder, name, case, fmt):
    path = os.path.join(folder, name)
    if fmt == "csv":
        with open(path + ".csv", "w") as f:
            f.write("case,date,type,meeting,worker,team\n")
            for e in case.events:
                row = [case.id, e.date, e.type, *(e.attrs.get(k, "") for k in ("meeting", "worker", "team"))]
                f.write(",".join(map(str, row)) + "\n")
    else:
        doc = {"case": case.id, "events": [dict(date=str(e.date), type=e.type, **e.attrs) for e in case.events]}
        with open(path + ".json", "w") as f:
            json.dump(doc, f)


@PROP
@given(cases_st, st.randoms(use_true_random=False))
def test_splitting_cases_across_files_in_any_order_changes_nothing(cases, rnd):
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as many:
        with open(os.path.join(one, "all.json"), "w") as f:
            json.dump([{"case": c.id, "events": [dict(date=str(e.date), type=e.type, **e.attrs) for e in c.events]}
                       for c in cases], f)
        names = [f"f{i:03d}" for i in range(len(cases))]
        rnd.shuffle(names)
        for name, case in zip(names, cases):
            # A CSV log has no row for a case without events, so such a case goes in JSON.
            _write_case(many, name, case, rnd.choice(["csv", "json"]) if case.events else "json")
        loaded_one, e1 = load_cases([one])
        paths = [os.path.join(many, p) for p in os.listdir(many)]
        rnd.shuffle(paths)
        loaded_many, e2 = load_cases(paths)
        assert e1 == [] and e2 == [] and len(loaded_many) == len(loaded_one) == len(cases)
        assert sorted(records(check(loaded_one, RULES, AS_AT))) == sorted(records(check(loaded_many, RULES, AS_AT)))
        assert records(check(loaded_one, RULES, AS_AT)) == records(check(cases, RULES, AS_AT))


BADNESS = {"met": 0, "withdrawn": 0, "due": 0, "late": 1, "exceeded": 1, "missing": 2}


def _by_trigger(findings, rule_ids):
    return {(f.rule.id, f.trigger.seq): f for f in findings if f.rule.id in rule_ids}


def _move(case, index, days):
    events = list(case.events)
    e = events[index]
    events[index] = Event(e.date - dt.timedelta(days=days), e.type, e.attrs, e.seq)
    return Case(case.id, case.attrs, events), e.date - dt.timedelta(days=days), e.date


def _no_type_between(case, types, lo, hi, skip):
    return not any(e.type in types and lo <= e.date <= hi for i, e in enumerate(case.events) if i != skip)


def _move_one_earlier(case, data, types, not_past, max_days):
    """Draw an event of `types` and move it 1..max_days earlier, jumping no event of `not_past`.

    Returns (moved case, index of the event, its new date).
    """
    idx = [i for i, e in enumerate(case.events) if e.type in types]
    assume(idx)
    i = data.draw(st.sampled_from(idx))
    moved, lo, hi = _move(case, i, data.draw(st.integers(1, max_days)))
    assume(_no_type_between(case, not_past, lo, hi, i))
    return moved, i, lo


@PROP
@given(case_st(case_id="C-1"), st.data())
def test_an_earlier_response_never_makes_its_obligations_worse(case, data):
    # Moving it back past a trigger would stop it answering that trigger at all (SPEC: an expect
    # only closes obligations already open), so the law is about moves that jump no trigger.
    triggers = {"cin_meeting", "referral"}
    moved, i, _ = _move_one_earlier(case, data, {"minutes_sent", "assessment_authorised"}, triggers, 120)
    rule = "R-MIN" if case.events[i].type == "minutes_sent" else "R-ANY"
    before, after = _by_trigger(check([case], RULES, AS_AT), {rule}), _by_trigger(check([moved], RULES, AS_AT), {rule})
    assert before.keys() == after.keys()
    for key, old in before.items():
        new = after[key]
        assert BADNESS[new.status] <= BADNESS[old.status], (old.status, new.status)
        if new.status == old.status == "late":
            assert new.days_late <= old.days_late


@PROP
@given(case_st(case_id="C-1"), st.data())
def test_an_earlier_end_never_makes_a_period_exceed(case, data):
    moved, _, _ = _move_one_earlier(case, data, {"cin_plan_ended"}, {"cin_plan_started", "cin_plan_ended"}, 120)
    before, after = _by_trigger(check([case], RULES, AS_AT), {"R-PLAN"}), _by_trigger(check([moved], RULES, AS_AT), {"R-PLAN"})
    for key, old in before.items():
        assert key in after and BADNESS[after[key].status] <= BADNESS[old.status]
        assert after[key].days_late <= old.days_late


@PROP
@given(case_st(case_id="C-1"), st.data())
def test_an_earlier_summary_never_makes_its_own_window_worse(case, data):
    moved, i, lo = _move_one_earlier(case, data, {"case_summary"}, {"case_summary", "case_opened", "case_closed"}, 60)
    seq = case.events[i].seq
    old = [f for f in check([case], RULES, AS_AT) if f.rule.id == "R-SUM" and f.actual is not None and f.actual.seq == seq]
    new = [f for f in check([moved], RULES, AS_AT) if f.rule.id == "R-SUM" and f.actual is not None and f.actual.seq == seq]
    for o in old:
        same = [n for n in new if n.trigger.seq == o.trigger.seq]
        # Moved to before the rule came in force, the window is no longer judged at all.
        assert same or (lo < [r for r in RULES if r.id == "R-SUM"][0].in_force[0])
        for n in same:
            assert BADNESS[n.status] <= BADNESS[o.status] and n.days_late <= o.days_late


def test_an_earlier_summary_brings_the_next_one_forward():
    # Not a law: under SPEC's `every`, each expect anchors the next window, so a summary done a
    # month early makes the next one due a month early. Both on time here; move April to March
    # and July becomes late. This is what "every 3 months" means, and is kept deliberately.
    rules = make_rules(dict(id="R-SUM", kind="every", expect="case_summary", every="3 months",
                            first="20 working days", **{"from": "case_opened"}))
    base = [Event(dt.date(2022, 1, 3), "case_opened", seq=1), Event(dt.date(2022, 1, 31), "case_summary", seq=2),
            Event(dt.date(2022, 4, 29), "case_summary", seq=3), Event(dt.date(2022, 7, 29), "case_summary", seq=4)]
    assert [f.status for f in check([Case("C", {}, base)], rules, AS_AT)][:3] == ["met", "met", "met"]
    base[2] = Event(dt.date(2022, 3, 29), "case_summary", seq=3)
    assert [f.status for f in check([Case("C", {}, base)], rules, AS_AT)][:3] == ["met", "met", "late"]


@PROP
@given(case_st(case_id="C-1"), st.integers(0, 600), st.sampled_from(["home_visit", "phone_call", "school_report"]),
       st.integers(0, 30))
def test_an_event_no_rule_names_changes_nothing(case, day, etype, position):
    before = records(check([case], RULES, AS_AT))
    events = list(case.events)
    events.insert(min(position, len(events)), Event(START + dt.timedelta(days=day), etype, {"meeting": "a"},
                                                    seq=len(events) + 1))
    assert records(check([Case(case.id, {}, events)], RULES, AS_AT)) == before


@PROP
@given(case_st(case_id="C-1"), st.integers(0, 700), st.integers(1, 400))
def test_a_later_as_at_never_removes_a_breach(case, early, gap):
    a1 = START + dt.timedelta(days=early)
    a2 = a1 + dt.timedelta(days=gap)
    late = {(f.rule.id, f.trigger.seq): f for f in check([case], RULES, a2)}
    for f in check([case], RULES, a1):
        if f.status in BREACHES:
            g = late.get((f.rule.id, f.trigger.seq))
            assert g is not None and g.status in BREACHES, (f.rule.id, f.status, g and g.status)
            assert g.days_late >= f.days_late


def _without(case, types):
    return Case(case.id, case.attrs, [e for e in case.events if e.type not in types])


@PROP
@given(deadline_case_st())
def test_an_extension_or_a_clock_stop_never_makes_a_finding_worse(case):
    rules = {"R-CPL", "R-PLAN"}
    plain = _by_trigger(check([_without(case, DEADLINE_MOVERS)], RULES, AS_AT), rules)
    moved = _by_trigger(check([case], RULES, AS_AT), rules)
    assert moved.keys() == plain.keys()
    for key, old in plain.items():
        new = moved[key]
        assert BADNESS[new.status] <= BADNESS[old.status], (key, old.status, new.status)
        assert new.due >= old.due and new.days_late <= old.days_late


@PROP
@given(deadline_case_st(), st.integers(1, 4), st.randoms(use_true_random=False))
def test_attribution_does_not_depend_on_input_order_or_file_splitting(case, n_files, rnd):
    """One case's events cut into consecutive pieces in files named in order (file order is the
    tie-break SPEC gives same-date events), each CSV or JSON, named on the command line in any
    order: the same findings, with the same worker and team, as from one file."""
    assume(case.events)
    case = Case(case.id, {"worker": "W-case", "team": "T-case"}, case.events)
    with tempfile.TemporaryDirectory() as one, tempfile.TemporaryDirectory() as many:
        with open(os.path.join(one, "all.json"), "w") as f:
            json.dump({"case": case.id, **case.attrs,
                       "events": [dict(date=str(e.date), type=e.type, **e.attrs) for e in case.events]}, f)
        n = len(case.events)
        cuts = sorted(rnd.sample(range(1, n), min(n_files - 1, n - 1))) if n > 1 else []
        for i, (a, b) in enumerate(zip([0] + cuts, cuts + [n])):
            _write_case(many, f"f{i:03d}", Case(case.id, {}, case.events[a:b]), rnd.choice(["csv", "json"]))
        with open(os.path.join(many, "zz-cases.csv"), "w") as f:  # the case attributes, as a case table
            f.write("case,worker,team\nC-1,W-case,T-case\n")
        paths = [os.path.join(many, p) for p in os.listdir(many)]
        rnd.shuffle(paths)
        whole, e1 = load_cases([os.path.join(one, "all.json")])
        split, e2 = load_cases(paths)
        assert e1 == e2 == []
        expected = records(check(whole, RULES, AS_AT))
        assert records(check(split, RULES, AS_AT)) == expected == records(check([case], RULES, AS_AT))
