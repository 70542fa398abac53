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
    assert timeline(cases["566910"]) == [
        ("2016-02-15", "legal_status_changed"), ("2017-08-14", "placement_ended"),
        ("2017-08-14", "placement_started"), ("2017-08-30", "lac_review"), ("2018-07-29", "lac_review"),
        ("2018-10-08", "lac_review")]
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
