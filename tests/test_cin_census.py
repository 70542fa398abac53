"""CIN census XML: every mapped element, episodes as cases, bad dates, and safe parsing."""

import datetime as dt

from casecheck.inputs.cases import load_cases

D = dt.date.fromisoformat

CENSUS = """<?xml version="1.0" encoding="utf-8"?>
<Message>
  <Header><CollectionDetails><Collection>CIN</Collection><Year>2022</Year>
    <ReferenceDate>2022-03-31</ReferenceDate></CollectionDetails></Header>
  <Children>
    <Child>
      <ChildIdentifiers><LAchildID>K1</LAchildID><PersonBirthDate>2015-03-27</PersonBirthDate></ChildIdentifiers>
      <ChildCharacteristics><Ethnicity>WBRI</Ethnicity></ChildCharacteristics>
      <CINdetails>
        <CINreferralDate>2021-04-01</CINreferralDate>
        <ReferralSource>1A</ReferralSource>
        <PrimaryNeedCode>N1</PrimaryNeedCode>
        <CINclosureDate>2022-03-01</CINclosureDate>
        <ReasonForClosure>RC1</ReasonForClosure>
        <DateOfInitialCPC>2021-04-20</DateOfInitialCPC>
        <Assessments>
          <AssessmentActualStartDate>2021-04-02</AssessmentActualStartDate>
          <AssessmentAuthorisationDate>2021-05-28</AssessmentAuthorisationDate>
        </Assessments>
        <CINPlanDates><CINPlanStartDate>2021-06-01</CINPlanStartDate><CINPlanEndDate>2021-09-01</CINPlanEndDate></CINPlanDates>
        <Section47>
          <S47ActualStartDate>2021-04-06</S47ActualStartDate>
          <InitialCPCtarget>2021-04-27</InitialCPCtarget>
          <DateOfInitialCPC>2021-04-20</DateOfInitialCPC>
          <ICPCnotRequired>false</ICPCnotRequired>
        </Section47>
        <ReferralNFA>0</ReferralNFA>
        <ChildProtectionPlans>
          <CPPstartDate>2021-04-20</CPPstartDate>
          <CPPendDate>2022-02-01</CPPendDate>
          <Reviews><CPPreviewDate>2021-07-15</CPPreviewDate><CPPreviewDate>2022-01-10</CPPreviewDate></Reviews>
        </ChildProtectionPlans>
        <SomethingNew>x</SomethingNew>
      </CINdetails>
      <CINdetails>
        <CINreferralDate>2022-03-10</CINreferralDate>
        <ReferralNFA>true</ReferralNFA>
      </CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><LAchildID>K2</LAchildID></ChildIdentifiers>
      <CINdetails>
        <CINreferralDate>2021-05-01</CINreferralDate>
        <Assessments><AssessmentActualStartDate>2021-13-01</AssessmentActualStartDate></Assessments>
      </CINdetails>
      <CINdetails><CINreferralDate>2021-10-01</CINreferralDate></CINdetails>
    </Child>
    <Child>
      <ChildIdentifiers><UPN>A1</UPN></ChildIdentifiers>
    </Child>
  </Children>
</Message>
"""


def test_every_mapped_element_becomes_its_event(write):
    notes = []
    cases, errors = load_cases([write("cin.xml", CENSUS)], notes=notes)
    by_id = {c.id: c for c in cases}
    k1 = by_id["K1/2021-04-01"]
    assert k1.attrs == {"child": "K1", "primary_need": "N1"}
    assert [(str(e.date), e.type, e.attrs) for e in k1.events] == [
        ("2021-04-01", "referral", {"referral_nfa": "false"}),
        ("2021-04-02", "assessment_started", {"assessment": "1"}),
        ("2021-04-06", "strategy_discussion", {"s47": "1", "icpc_not_required": "false"}),
        ("2021-04-20", "icpc", {"s47": "1"}),  # CINdetails/DateOfInitialCPC is the same ICPC
        ("2021-04-20", "cp_plan_started", {"cp_plan": "1"}),
        ("2021-05-28", "assessment_authorised", {"assessment": "1"}),
        ("2021-06-01", "cin_plan_started", {"cin_plan": "1"}),
        ("2021-07-15", "cp_review", {"cp_plan": "1"}),
        ("2021-09-01", "cin_plan_ended", {"cin_plan": "1"}),
        ("2022-01-10", "cp_review", {"cp_plan": "1"}),
        ("2022-02-01", "cp_plan_ended", {"cp_plan": "1"}),
        ("2022-03-01", "cin_closed", {"reason": "RC1"}),
    ]
    assert [e.type for e in by_id["K1/2022-03-10"].events] == ["referral"]
    assert by_id["K1/2022-03-10"].events[0].attrs == {"referral_nfa": "true"}
    assert any("elements not understood (not read): SomethingNew" in str(n) for n in notes)


def test_a_bad_date_spoils_only_its_episode_and_is_reported_with_its_line(write):
    path = write("cin.xml", CENSUS)
    cases, errors = load_cases([path])
    assert sorted(c.id for c in cases) == ["K1/2021-04-01", "K1/2022-03-10", "K2/2021-10-01"]
    line = CENSUS.splitlines().index("        <Assessments><AssessmentActualStartDate>2021-13-01"
                                     "</AssessmentActualStartDate></Assessments>") + 1
    assert (errors[0].file, errors[0].line) == (path, line)
    assert "child K2, episode K2/2021-05-01: <AssessmentActualStartDate> is not a date: '2021-13-01'" \
        in errors[0].message
    assert "Child has no ChildIdentifiers/LAchildID" in errors[1].message
    assert errors[2].message == "case K2/2021-05-01 not checked: part of its timeline could not be read"


def test_namespaces_are_ignored(write):
    text = CENSUS.replace("<Message>", '<Message xmlns="http://www.dfe.gov.uk/CIN">')
    cases, _ = load_cases([write("cin.xml", text)])
    assert "K1/2021-04-01" in {c.id for c in cases}


def test_two_episodes_with_one_referral_date_get_distinct_cases(write):
    ep = "<CINdetails><CINreferralDate>2021-01-04</CINreferralDate></CINdetails>"
    text = f"<Message><Children><Child><ChildIdentifiers><LAchildID>K</LAchildID></ChildIdentifiers>{ep}{ep}" \
           "</Child></Children></Message>"
    cases, _ = load_cases([write("cin.xml", text)])
    assert [c.id for c in cases] == ["K/2021-01-04", "K/2021-01-04#2"]


def test_billion_laughs_is_refused_quickly(write):
    lol = "\n".join(f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10))
    text = f'<?xml version="1.0"?>\n<!DOCTYPE Message [\n<!ENTITY lol0 "lol">\n{lol}\n]>\n' \
           "<Message><Children><Child><ChildIdentifiers><LAchildID>&lol9;</LAchildID></ChildIdentifiers>" \
           "</Child></Children></Message>"
    cases, errors = load_cases([write("bomb.xml", text)])
    assert cases == [] and "DOCTYPE declarations are not allowed" in errors[0].message


def test_external_entities_are_refused(write, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("K-SECRET")
    text = f'<!DOCTYPE Message [<!ENTITY x SYSTEM "file://{secret}">]><Message><Children><Child>' \
           "<ChildIdentifiers><LAchildID>&x;</LAchildID></ChildIdentifiers></Child></Children></Message>"
    cases, errors = load_cases([write("xxe.xml", text)])
    assert cases == [] and "DOCTYPE" in errors[0].message


def test_broken_xml_is_reported_with_its_line_and_cases_read_before_are_not_checked(write):
    text = CENSUS.replace("<CINdetails><CINreferralDate>2021-10-01</CINreferralDate></CINdetails>",
                          "<CINdetails><CINreferralDate>2021-10-01</CINdetails>")
    path = write("cin.xml", text)
    cases, errors = load_cases([path])
    assert cases == []
    assert errors[0].line == text.splitlines().index("      <CINdetails><CINreferralDate>2021-10-01</CINdetails>") + 1
    assert "not well-formed XML: mismatched tag; the rest of the file was not read" in errors[0].message
    assert [e.message for e in errors[1:]] == ["case K1/2021-04-01 not checked: part of its timeline could not be read",
                                               "case K1/2022-03-10 not checked: part of its timeline could not be read"]


def test_other_xml_is_refused(write):
    cases, errors = load_cases([write("x.xml", "<EXPSSDA903><CHILD/></EXPSSDA903>")])
    assert cases == [] and "not a CIN census: the root element is <EXPSSDA903>" in errors[0].message


def test_oversized_xml_is_refused(write, monkeypatch):
    from casecheck.inputs.importers import cin_census
    monkeypatch.setattr(cin_census, "MAX_XML_BYTES", 100)
    cases, errors = load_cases([write("cin.xml", CENSUS)])
    assert cases == [] and "over the 0 MB limit for XML" in errors[0].message
