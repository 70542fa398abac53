"""The importers on published fake sample files of the real formats (tests/data/public-samples)."""

from pathlib import Path

from casecheck.inputs.cases import load_cases

SAMPLES = Path(__file__).resolve().parent / "data" / "public-samples"


def read(*parts):
    notes = []
    cases, errors = load_cases([str(SAMPLES.joinpath(*parts))], notes=notes)
    return {c.id: c for c in cases}, errors, [str(n) for n in notes]


def timeline(case):
    return [(str(e.date), e.type) for e in case.events]


def test_liia_tools_annex_a_workbook():
    cases, errors, notes = read("liia-tools", "Annex_A.xlsx")
    assert errors == [] and len(cases) == 47
    child = cases["6537810"]
    assert child.attrs == {"team": "Multi Agency Safeguarding Hub", "worker": "Dustin Hazlett", "date_of_birth": "2004-07-18"}
    assert timeline(child) == [("2020-09-16", "referral"), ("2020-09-16", "strategy_discussion"),
                               ("2020-10-05", "icpc")]
    assert timeline(cases["1761444"])[:3] == [("2009-08-06", "became_looked_after"),
                                              ("2009-11-02", "placement_started"),
                                              ("2010-07-12", "legal_status_changed")]
    assert any("'List 11' (List 11) lists adopters, not children; ignored" in n for n in notes)


def test_cin_census_samples():
    cases, errors, _ = read("liia-tools", "cin-2022.xml")
    assert errors == [] and list(cases) == ["DfEX0000001/1970-10-06"]
    got = timeline(cases["DfEX0000001/1970-10-06"])
    assert ("1970-06-02", "strategy_discussion") in got and ("1970-06-17", "icpc") in got
    assert ("1971-02-15", "cp_review") in got and got[-1] == ("1971-07-18", "assessment_authorised")
    cases, errors, _ = read("csc-validator-be-cin", "fake_CIN_data.xml")
    assert errors == [] and len(cases) == 402  # one case per CINdetails episode
    assert [c for c in cases if c.startswith("RND000824303014/")] == ["RND000824303014/2013-10-25",
                                                                       "RND000824303014/2017-10-22"]


def test_csc_validator_903_folder():
    cases, errors, notes = read("csc-validator-be-903")
    assert errors == [] and len(cases) > 2000
    # the first episode (RNE L: a change of legal status only) starts the placement it shows too
    assert timeline(cases["566910"]) == [
        ("2016-02-15", "placement_started"), ("2016-02-15", "legal_status_changed"),
        ("2017-08-14", "placement_ended"), ("2017-08-14", "placement_started"),
        ("2017-08-14", "legal_status_changed"), ("2017-08-30", "lac_review"), ("2018-07-29", "lac_review"),
        ("2018-10-08", "lac_review")]
    assert cases["566910"].events[0].attrs == {"placement": "T2", "legal_status": "C2", "before_return": "true"}
    assert any("header.csv: Header table: nothing casecheck uses" in n for n in notes)


def test_liia_tools_903_episodes():
    cases, errors, _ = read("liia-tools", "SSDA903_2020_episodes.csv")
    assert errors == [] and timeline(cases["689661"])[:2] == [("2018-12-02", "became_looked_after"),
                                                             ("2018-12-02", "placement_started")]


def test_the_census_samples_warnings_are_not_called_breaches():
    # Issue 10: this sample printed "369 breaches" and exited 0; every one was a warning-severity rule's.
    from conftest import run_cli

    r = run_cli("check", SAMPLES / "csc-validator-be-cin" / "fake_CIN_data.xml", "--as-at", "2024-03-31")
    headline = r.stdout.splitlines()[-1]
    assert r.exit_code == 0
    assert headline.startswith("As at 2024-03-31: 402 cases checked, 0 breaches, ") and headline.endswith(" 0 excused.")
    assert int(headline.split(", ")[2].split()[0]) > 0  # "369 warnings" when written


def _validator_903():
    import csv
    import datetime as dt

    from casecheck.inputs import bundled
    from casecheck.replay.engine import check
    from casecheck.rules.load import load_rules

    folder = SAMPLES / "csc-validator-be-903"
    cases, errors, notes = read("csc-validator-be-903")
    rules, rule_errors = load_rules([str(bundled.rules_dir())])
    assert errors == [] and rule_errors == []
    episodes = list(csv.DictReader(open(folder / "episodes.csv", encoding="utf-8")))
    return cases, notes, rules, episodes, dt.date(2018, 3, 31), check


def test_903_sample_no_child_without_a_v3_episode_is_flagged_by_a_short_break_rule():
    # issue 26: 219 and 205 children whose only "breaks" were V4 agreements
    cases, _, rules, episodes, as_at, check = _validator_903()
    v3 = {e["CHILD"] for e in episodes if e["LS"] == "V3"}
    short = [r for r in rules if r.id in ("LAC-SHORT-BREAK-17D", "LAC-SHORT-BREAK-75D-12M")]
    findings = check(cases.values(), short, as_at)
    flagged = {r.id: {f.case for f in findings if f.rule is r and f.is_breach} for r in short}
    assert all(flagged.values())  # the rules still judge the V3 breaks
    assert {rid: sorted(cids - v3) for rid, cids in flagged.items()} == {r.id: [] for r in short}


def test_903_sample_every_temporary_placement_episode_is_judged_whatever_its_rne():
    # issue 26: 57 T1, T3 and T4 episodes never judged, their child's first episodes having RNE L
    import datetime as dt

    from casecheck.rules.load import ruleset_from_data

    cases, _, _, episodes, as_at, check = _validator_903()
    rules, errs = ruleset_from_data({"ruleset": "t", "rules": [
        {"id": "T", "kind": "max_duration", "where": {"placement": ["T1", "T3", "T4"]}, "from": "placement_started",
         "until": ["placement_ended"], "limit": "1 days"}]}, "t.yaml")
    assert errs == []
    spans: dict = {}
    for f in check(cases.values(), rules, as_at):
        spans.setdefault(f.case, []).append((f.trigger.date, f.actual.date if f.actual else as_at))
    day = lambda text: dt.datetime.strptime(text, "%d/%m/%Y").date()  # noqa: E731
    temporary = [e for e in episodes if e["PLACE"] in ("T1", "T3", "T4")]
    unjudged = [e for e in temporary
                if not any(s <= day(e["DECOM"]) <= end for s, end in spans.get(e["CHILD"], ()))]
    assert len(temporary) > 500 and unjudged == []


def test_903_sample_l1_and_l2_spells_are_judged_by_the_protection_rules_and_overlaps_are_named():
    cases, notes, rules, episodes, as_at, check = _validator_903()
    protection = [r for r in rules if r.id in ("CA89-POLICE-PROTECTION-72H", "CA89-EPO-8D")]
    judged = {r.id: {f.case for f in check(cases.values(), [r], as_at)} for r in protection}
    assert judged["CA89-POLICE-PROTECTION-72H"] == {e["CHILD"] for e in episodes if e["LS"] == "L1"}
    assert judged["CA89-EPO-8D"] == {e["CHILD"] for e in episodes if e["LS"] == "L2"}
    overlaps = [n for n in notes if "episodes overlap" in n]
    assert len(overlaps) == len({n.split("child ")[1].split(":")[0] for n in overlaps}) == 62
