"""The columnar path against the replay engine (the reference): random cases, random rules of
every option the columnar path claims (and rules it hands back), identical findings, every field
(SPEC v2's worker and team from worker_allocated events or the case, extension, clock stops)
and the order."""

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.model import Case, Event
from casecheck.replay.columnar import check_frame, frame_from_cases, supports
from casecheck.replay.engine import Replayer
from casecheck.rules.load import ruleset_from_data
from casecheck.views.findings import finding_record

TYPES = ["cin_meeting", "minutes_sent", "referral", "assessment_authorised", "case_closed", "cin_plan_started",
         "cin_plan_ended", "case_summary", "worker_allocated", "awaiting_family", "family_replied", "extended"]
START = dt.date(2022, 12, 1)  # the generated dates run over two year ends and Easter, Christmas
UNITS = ["days", "weeks", "months", "years", "working days"]


WHERE = [None, None, {"meeting": "m1"}, {"meeting": ["m1", None]}, {"meeting": [None]}, {"team": ["t1", ""]},
         {"team": ["t2", None], "meeting": "m2"}, {"worker": "W9"},  # a value no event carries
         {"district": "East"}, {"district": [None, "East"]},  # an attribute no event carries
         {"meeting": {"not": "m1"}}, {"team": {"not": ["t1", None]}}]  # `not`: an absent attribute matches it


@st.composite
def response_rule(draw, i):
    trigger = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))
    expect = draw(st.lists(st.sampled_from(TYPES), min_size=1, max_size=2, unique=True))  # may overlap trigger
    rule = {"id": f"R{i}", "title": f"rule {i}", "kind": "response", "trigger": trigger, "expect": expect,
            "within": f"{draw(st.integers(1, 30))} {draw(st.sampled_from(UNITS))}",
            "match": draw(st.sampled_from([[], ["meeting"], ["meeting", "team"]]))}
    if draw(st.booleans()):
        rule["counting"] = "beginning_with"
    if draw(st.booleans()):
        rule["optional"] = True
    where = draw(st.sampled_from(WHERE))
    if where:
        rule["where"] = where
    if draw(st.booleans()):
        # lapses: often types that also trigger or answer (an event playing several parts)
        pool = draw(st.sampled_from([TYPES, trigger + expect + ["case_closed"]]))
        rule["unless"] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2, unique=True))
    if draw(st.integers(0, 2)) == 0:  # extensions: to a cap in the same unit, longer
        n, unit = rule["within"].split(" ", 1)
        rule["extend"] = {"by": draw(st.lists(st.sampled_from(["extended", *trigger, *expect]), min_size=1, max_size=2,
                                              unique=True)), "to": f"{int(n) + draw(st.integers(1, 30))} {unit}"}
    if draw(st.integers(0, 2)) == 0:  # clock stops, now and then by events with other parts too
        paused = draw(st.sampled_from([["awaiting_family"], ["awaiting_family", *trigger]]))
        paused = list(dict.fromkeys(t for t in paused if t != "family_replied"))
        resumed = ["family_replied"] + draw(st.sampled_from([[], [t for t in expect if t not in paused]]))
        resumed = list(dict.fromkeys(resumed))
        rule.update(paused_by=paused, resumed_by=resumed)
    if draw(st.integers(0, 2)) == 0:  # answered early by an expect within this before the trigger
        rule["lookback"] = f"{draw(st.integers(1, 60))} {draw(st.sampled_from(['days', 'weeks', 'months', 'years']))}"
    rule.update(draw(in_force_st(400)))
    rule.update(draw(scope_st()))
    return rule


@st.composite
def in_force_st(draw, latest_from):
    """Now and then an in_force period: from a date, or from and until."""
    if draw(st.integers(0, 3)):
        return {}
    lo = START + dt.timedelta(days=draw(st.integers(0, latest_from)))
    return {"in_force": {"from": lo.isoformat()} if draw(st.booleans()) else {
        "from": lo.isoformat(), "until": (lo + dt.timedelta(days=draw(st.integers(0, 300)))).isoformat()}}


@st.composite
def scope_st(draw):
    """applies_to (on a case attribute, with or without null, or on the case id) and relaxations."""
    out = {}
    scope = draw(st.sampled_from([None, {"district": ["East"]}, {"district": ["East", None]}, {"case": ["C-1", "é-1"]},
                                  {"team": ["North"], "district": ["East"]}]))
    if scope:
        out["applies_to"] = scope
    if draw(st.integers(0, 3)) == 0:
        lo = START + dt.timedelta(days=draw(st.integers(0, 500)))
        out["suspended"] = [{"from": lo.isoformat(), "until": (lo + dt.timedelta(days=draw(st.integers(0, 120)))).isoformat(),
                             "by": "a relaxation", "saved": draw(st.booleans())}]  # saved: kept on for what began in it
    return out


HANDED_BACK = [  # shapes the columnar path does not express: the replay engine checks them
    {"id": "H-FALLBACK-STOPS", "kind": "response", "trigger": "referral", "fallback_trigger": "cin_meeting",
     "expect": "minutes_sent", "within": "10 working days", "match": ["meeting"], "paused_by": "awaiting_family",
     "resumed_by": "family_replied"},
    {"id": "H-SWITCH", "kind": "every", "from": "cin_plan_started", "until": "cin_plan_ended", "expect": "case_summary",
     "every": "2 weeks", "switch": [{"from": "awaiting_family", "until": "family_replied", "since": "referral",
                                     "after": "1 month", "every": "2 months"}]},
]


@st.composite
def rules_st(draw):
    return draw(ruleset_st([draw(response_rule(i)) for i in range(draw(st.integers(1, 4)))]))


@st.composite
def ruleset_st(draw, rules):
    """The rules (as written), with up to two handed-back ones, in a ruleset on a drawn calendar."""
    rules = rules + draw(st.lists(st.sampled_from(HANDED_BACK), max_size=2, unique_by=lambda r: r["id"]))
    data = {"ruleset": "diff", "calendar": draw(st.sampled_from(["england-and-wales", "scotland", "weekends-only"])),
            "rules": [dict(r, title=r.get("title", r["id"])) for r in rules]}
    parsed, errors = ruleset_from_data(data, "<diff>")
    assert not errors, [str(e) for e in errors]
    # the random rules are all of shapes the columnar path claims: none is quietly handed back
    assert all(supports(r) for r in parsed if not r.id.startswith("H-"))
    return parsed


event_st = st.tuples(st.integers(0, 700), st.sampled_from(TYPES), st.sampled_from([None, "m1", "m2"]),
                     st.sampled_from([None, "t1", "t2", ""]), st.sampled_from([None, "W1", "W2", ""]))
case_attrs_st = st.fixed_dictionaries({}, optional={"team": st.sampled_from(["North", ""]), "worker": st.just("W0"),
                                                    "district": st.just("East"),
                                                    "date_of_birth": st.sampled_from(["2019-02-10", "2010-06-01", "x"])})


@st.composite
def cases_st(draw):
    cases, seq = [], 0
    for cid in draw(st.lists(st.sampled_from(["C-1", "C-2", "C-10", "D-7", "é-1"]), max_size=4, unique=True)):
        events = []
        for day, etype, meeting, team, worker in draw(st.lists(event_st, max_size=30)):
            seq += 1  # input order: same-date events keep it (the engine breaks date ties by it)
            attrs = {k: v for k, v in (("meeting", meeting), ("team", team), ("worker", worker)) if v is not None}
            events.append(Event(START + dt.timedelta(days=day), etype, attrs, seq))
        cases.append(Case(cid, draw(case_attrs_st), events))
    return cases


def _fields(findings):
    return [(finding_record(f), f.trigger.seq, f.case_attrs) for f in findings]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rules=rules_st(), cases=cases_st(), as_at_day=st.integers(0, 800), breaches_only=st.booleans())
def test_columnar_findings_equal_the_replay_engines(rules, cases, as_at_day, breaches_only):
    as_at = START + dt.timedelta(days=as_at_day)
    replayer = Replayer(rules)
    expected = sorted((f for c in cases for f in replayer.check_case(c, as_at, breaches_only)),
                      key=lambda f: f.sort_key())
    got = check_frame(frame_from_cases(cases), rules, as_at, breaches_only, {c.id: c.attrs for c in cases})
    assert _fields(got) == _fields(expected)


def test_which_rules_are_handed_back():
    parsed, errors = ruleset_from_data({"ruleset": "x", "rules": [dict(r, title=r["id"]) for r in HANDED_BACK] + [
        {"id": "R", "title": "r", "kind": "response", "trigger": "a", "expect": "b", "within": "2 months",
         "match": ["m"], "optional": True},
        {"id": "L", "title": "l", "kind": "response", "trigger": "a", "expect": "b", "within": "2 days",
         "lookback": "5 days"},
        {"id": "W", "title": "w", "kind": "response", "trigger": "a", "expect": "b", "within": "2 days",
         "where": {"m": ["x", None]}, "unless": ["c", "a"], "match": ["m", "n"]},
        # an attribute named like a column of the chunk's own cannot be told apart from it
        {"id": "S", "title": "s", "kind": "response", "trigger": "a", "expect": "b", "within": "2 days",
         "where": {"seq": "1"}},
        {"id": "M", "title": "m", "kind": "response", "trigger": "a", "expect": "b", "within": "2 days",
         "match": ["run"]}]}, "<x>")
    assert not errors
    assert [r.id for r in parsed if supports(r)] == ["R", "L", "W"]


def test_same_date_allocations_and_missing_holder_values_attribute_as_the_replay_engine_does():
    rules, errors = ruleset_from_data({"ruleset": "x", "rules": [
        {"id": "R", "title": "r", "kind": "response", "trigger": "referral", "expect": "assessment_authorised",
         "within": "10 days"}]}, "<x>")
    assert not errors
    d = dt.date(2024, 1, 1)
    events = [Event(d, "worker_allocated", {"worker": "W1", "team": "T1"}, 1),
              Event(d, "worker_allocated", {"worker": "W2"}, 2),  # same date, later: W2, team still T1
              Event(d, "referral", {}, 3),
              Event(d + dt.timedelta(days=30), "worker_allocated", {"worker": "W3", "team": ""}, 4),  # after due
              Event(d + dt.timedelta(days=31), "referral", {}, 5)]  # due after W3's allocation: W3, T1
    cases = [Case("C-1", {"team": "Case team"}, events), Case("C-2", {"worker": "W9"}, [Event(d, "referral", {}, 6)])]
    as_at = dt.date(2024, 6, 1)
    got = check_frame(frame_from_cases(cases), rules, as_at, True, {c.id: c.attrs for c in cases})
    expected = [f for c in cases for f in Replayer(rules).check_case(c, as_at, True)]
    assert [(f.case, f.worker, f.team) for f in got] == [("C-1", "W2", "T1"), ("C-1", "W3", "T1"), ("C-2", "W9", None)]
    assert _fields(got) == _fields(expected)
