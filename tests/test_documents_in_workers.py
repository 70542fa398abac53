"""YAML/JSON case files parsed by the workers (in batches) give exactly what reading them one by one
in the parent gives: the same cases, events, attributes, conflicts, errors and warnings with their
files and lines, merged in sorted path order with the case tables and the CSV logs."""

import datetime as dt
import json
import pickle

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casecheck.inputs.cases import Builder, parse_document, read_document
from casecheck.replay import wholecases
from casecheck.replay.stream import check_paths
from casecheck.views.findings import finding_record
from test_properties import ALL_TYPES as TYPES
from test_properties import AS_AT, RULES, START

PROP = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                     HealthCheck.function_scoped_fixture])

# Files that are wrong in each way a case file can be, each spoiling only itself (or its case).
BAD = [
    "case: [unclosed\n",                                   # not YAML
    "ruleset: x\nrules: []\n",                             # a rule file
    "case: C-1\ncase: C-2\nevents: []\n",                  # a duplicate key
    "case: C-1\nevents:\n  - {date: 2022-02-30, type: referral}\n",   # an impossible date
    "case: C-2\nevents:\n  - {date: 2022-03-01, type: Bad Type}\n",   # a bad type
    "case: C-3\nevents: not a list\n",
    "- 1\n- 2\n",                                          # neither cases nor a case
    "case: C-4\nteam: [a, b]\nevents: []\n",               # an attribute that is a list
    "case: C-5\nopened: 2022-13-01\nevents: []\n",         # a date attribute that is not a date
    "\x00binary",
]


def _event(draw):
    day = START + dt.timedelta(days=draw(st.integers(0, 600)))
    ev = {"date": day.isoformat(), "type": draw(st.sampled_from(TYPES))}
    meeting = draw(st.sampled_from([None, "a", "b"]))
    if meeting:
        ev["meeting"] = meeting
    return ev


@st.composite
def folders(draw):
    """{file name: text}: one-case and many-case YAML and JSON files, cases met in several files
    (in either format), attributes that agree or conflict across files and with a case table, bad
    files among them, and a CSV log holding some of the same cases."""
    ids = [f"C-{i}" for i in range(draw(st.integers(1, 6)))]
    files = {}
    for n in range(draw(st.integers(1, 8))):
        if draw(st.integers(0, 5)) == 0:
            files[f"f{n:02d}.yaml"] = draw(st.sampled_from(BAD))
            continue
        cases = []
        for cid in draw(st.lists(st.sampled_from(ids), min_size=1, max_size=3)):
            case = {"case": cid, "events": [_event(draw) for _ in range(draw(st.integers(0, 4)))]}
            team = draw(st.sampled_from([None, "T-1", "T-2"]))
            if team:
                case["team"] = team
            cases.append(case)
        if draw(st.booleans()):
            files[f"f{n:02d}.json"] = json.dumps(cases if len(cases) > 1 else cases[0], indent=1)
        else:
            files[f"f{n:02d}.yaml"] = "".join(
                f"- case: {c['case']}\n" + "".join(f"  {k}: {v}\n" for k, v in c.items() if k not in ("case", "events"))
                + "  events:\n" + "".join("    - {" + ", ".join(f"{k}: {v}" for k, v in e.items()) + "}\n"
                                          for e in c["events"])
                for c in cases) if len(cases) > 1 or draw(st.booleans()) else (
                f"case: {cases[0]['case']}\n" + (f"team: {cases[0]['team']}\n" if "team" in cases[0] else "")
                + "events:\n" + "".join(f"  - date: {e['date']}\n    type: {e['type']}\n"
                                        + (f"    meeting: {e['meeting']}\n" if "meeting" in e else "")
                                        for e in cases[0]["events"]) if cases[0]["events"] else
                f"case: {cases[0]['case']}\nevents: []\n")
    if draw(st.integers(0, 3)):  # a case table (most often), sorted between the case files
        files["f03-cases.csv"] = "case,team\n" + "".join(f"{cid},{draw(st.sampled_from(['T-1', 'T-2']))}\n"
                                                         for cid in draw(st.lists(st.sampled_from(ids), unique=True)))
    if draw(st.booleans()):  # an event log holding some of the same cases
        rows = [f"{cid},{(START + dt.timedelta(days=draw(st.integers(0, 600)))).isoformat()},{draw(st.sampled_from(TYPES))}\n"
                for cid in draw(st.lists(st.sampled_from(ids + ['L-1']), max_size=4))]
        files["f05-log.csv"] = "case,date,type\n" + "".join(rows)
    return files


def _write(folder, files):
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("utf-8"))


def _state(b: Builder):
    """Everything a Builder holds, as plain values."""
    cases = {cid: (c.source, c.attrs, c.source_kind, [(e.date, e.type, e.attrs, e.seq, e.source, e.line) for e in c.events])
             for cid, c in b.cases.items()}
    return (cases, list(b.cases), b.tainted, b.errors, b.notes, b.seq, b.kinds, b.plain, b.attr_at)


def _run(folder, **kw):
    r = check_paths([str(folder)], RULES, AS_AT, keep_all=True, **kw)
    try:
        return ([finding_record(f) for f in r.findings], [str(e) for e in r.errors], [str(n) for n in r.notes],
                r.n_cases, r.breach, dict(r.census), r.judged)
    finally:
        r.close()


@PROP
@given(folders())
def test_documents_parsed_in_workers_give_the_same_run(tmp_path_factory, files):
    folder = tmp_path_factory.mktemp("docs")
    _write(folder, files)
    assert _run(folder, documents_in_workers=True) == _run(folder, documents_in_workers=False)


@PROP
@given(folders())
def test_recorded_steps_sent_back_and_applied_build_the_same_builder(tmp_path_factory, files):
    """Each file read straight into one Builder, against parsed apart (as a worker does), sent back
    (pickled) and applied in sorted path order: every case, event, error and note the same."""
    folder = tmp_path_factory.mktemp("docs")
    _write(folder, files)
    paths = sorted(str(folder / name) for name in files if not name.endswith(".csv"))
    direct, applied = Builder(), Builder()
    for fi, path in enumerate(paths):
        for b, parse in ((direct, False), (applied, True)):
            b.seq = fi << 32
            try:
                if parse:
                    pickle.loads(pickle.dumps(parse_document(path, fi << 32))).apply(b)
                else:
                    read_document(path, b)
            except Exception as e:  # noqa: BLE001 - the two ways must raise alike too
                b.errors.append(("raised", type(e).__name__, str(e)))
    assert _state(applied) == _state(direct)


def test_worker_processes_parse_the_case_files(tmp_path, monkeypatch):
    """With worker processes the parent parses no case file, and the run is the one-process run."""
    files = {f"c{i:03d}.yaml": f"case: C-{i % 40}\nteam: T-{i % 40 % 3 if i != 47 else 'X'}\nevents:\n"
             + "".join(f"  - {{date: {START + dt.timedelta(days=7 * j + i)}, type: {TYPES[(i + j) % len(TYPES)]}, meeting: a}}\n"
                       for j in range(6))
             for i in range(120)}
    files["c050.yaml"] = "case: [unclosed\n"
    files["c060.json"] = json.dumps({"case": "C-5", "events": [{"date": "2022-05-01", "type": "referral"}]})
    files["cases.csv"] = "case,team\nC-1,T-1\nC-2,T-9\n"
    _write(tmp_path, files)
    one = _run(tmp_path, workers=1)
    assert one[1] and one[0]  # errors (the bad file, conflicts) and findings to compare

    def parent_must_not_parse(*a, **k):
        raise AssertionError("a case file was parsed in the parent")
    monkeypatch.setattr(wholecases, "read_document", parent_must_not_parse)
    assert _run(tmp_path, workers=2) == one
