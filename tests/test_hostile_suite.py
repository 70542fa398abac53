"""The hostile-input suite: a corpus of broken and hostile inputs (generated here, the large and
binary ones included), run through every command.

For each input and command: the exit status (2 when the input could not be read, never 1 unless
a real breach, never a traceback nor the internal-error guard: each known case is handled where
it arises), the file (and line) named, the good neighbour still checked. Then the whole corpus
goes through every command in a separate process under a 1.5 GB address-space limit and a
timeout, and the children's peak memory is asserted.
"""

import json
import re
import os
import resource
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.inputs import limits

RULES = """\
ruleset: hostile
rules:
  - id: H-1
    title: Assessment within 10 days of a referral
    kind: response
    trigger: referral
    expect: assessment_completed
    within: 10 days
"""
GOOD = "case: GOOD\nevents:\n  - {date: 2022-01-03, type: referral}\n  - {date: 2022-01-05, type: assessment_completed}\n"
AS_AT = "2022-06-01"


def _events(n: int) -> str:
    return "".join(f"  - {{date: 2022-01-{1 + i % 28:02d}, type: referral}}\n" for i in range(n))


def _xlsx_garbage() -> bytes:
    import io
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<not a workbook")
    return buf.getvalue()


# name -> (bytes, expectation, line or None). "bad": unreadable (exit 2, file and line named);
# "ok": read (perhaps with a warning naming file and line).
def corpus() -> dict:
    big = "9" * 5000
    c = {
        "cp1252.csv": (("case,date,type,note\n" + "".join(f"W{i},2022-01-03,referral,plain\n" for i in range(400))
                        + "W400,2022-01-03,referral,fee \u00a3200\n").encode("cp1252"), "ok", 402),
        "utf16.csv": ("case,date,type\nU1,2022-01-03,referral\n".encode("utf-16"), "ok", None),
        "bom.csv": ("case,date,type\nB1,2022-01-03,referral\n".encode("utf-8-sig"), "ok", None),
        "nul.yaml": (("case: N\nevents:\n" + _events(400)).encode()[:9000] + b"\0\n", "bad", None),
        "bigint.yaml": (f"case: {big}\nteam: {big}\nevents:\n  - {{date: 2022-01-03, type: referral}}\n".encode(), "ok", None),
        "bigint.csv": (f"case,date,type,n\n{big},2022-01-03,referral,{big}\n".encode(), "ok", None),
        "compact-date.csv": (b"case,date,type\nD1,20220215,referral\n", "bad", 2),
        "week-date.yaml": (b"case: D2\nevents:\n  - {date: 2024-W42-1, type: referral}\n", "bad", 3),
        "ancient.yaml": (b"case: D3\nevents:\n  - {date: 0001-01-01, type: referral}\n", "bad", 3),
        "far-future.csv": (b"case,date,type\nD4,9999-12-31,referral\n", "bad", 2),
        "semicolon.csv": (b"case;date;type\nS1;2022-01-03;referral\n", "bad", 1),
        "upper.csv": (b"Case,Date,Type\nS2,2022-01-03,referral\n", "bad", 1),
        "trailing-rows.csv": (b"case,date,type,team\nT1,2022-01-03,referral,\n,,,\n,,,\n", "ok", None),
        "a-rule-file.yaml": (RULES.encode(), "bad", 1),
        "one-line.yaml": (("case: L\nevents: [" + "{date: 2022-01-01, type: referral}, " * 40_000 + "]\n").encode(),
                          "bad", 2),
        "big-cell.csv": (b"case,date,type,note\nX1,2022-01-03,referral," + b"x" * (limits.MAX_CELL_CHARS + 1) + b"\n",
                         "bad", 2),
        "unclosed-quote.csv": (b'case,date,type,note\nQ1,2022-01-03,referral,"never closed\n' + b"x,y,z\n" * 30_000,
                               "bad", 2),
        "alias-bomb.yaml": (("a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
            f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 10) + "]\n" for i in range(8))).encode(),
            "bad", None),
        "deep.json": (b"[" * 100_000 + b"]" * 100_000, "bad", None),
        "wrong-types.yaml": (b"case: [a, b]\nevents: {a: 1}\n", "bad", 1),
        "events-mapping.yaml": (b"case: E\nevents: {a: 1}\n", "bad", 2),
        "empty.csv": (b"", "bad", 1),
        "binary.yaml": (bytes(range(256)) * 64, "bad", None),
        "garbage.xlsx": (_xlsx_garbage(), "bad", None),
        "huge-text.xml": (("<?xml version=\"1.0\"?>\n<Message><Children><Child><ChildIdentifiers><LAchildID>"
                           + "x" * (limits.MAX_XML_TEXT_CHARS + 1) + "</LAchildID></ChildIdentifiers></Child>"
                           "</Children></Message>\n").encode(), "bad", None),
        "doctype.xml": (b'<?xml version="1.0"?>\n<!DOCTYPE Message [<!ENTITY a "b">]>\n<Message/>\n', "bad", 2),
        "formulas.csv": (b"case,date,type,note\n=cmd|' /C calc'!A0,2022-01-03,referral,+1+1\n"
                         b"F2,2022-01-03,referral,@SUM(1)\n", "ok", None),
    }
    return c


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    top = tmp_path_factory.mktemp("hostile")
    (top / "good").mkdir()
    (top / "good" / "good.yaml").write_text(GOOD)
    (top / "rules.yaml").write_text(RULES)
    (top / "all").mkdir()
    out = {}
    for name, (data, expect, line) in corpus().items():
        path = top / "all" / name
        path.write_bytes(data)
        out[name] = (str(path), expect, line)
    os.symlink("nowhere.yaml", top / "all" / "dangling.yaml")
    out["dangling.yaml"] = (str(top / "all" / "dangling.yaml"), "bad", None)
    return top, out


def _invoke(args):
    res = CliRunner().invoke(main, args)
    text = res.output
    assert "Traceback" not in text and "internal error" not in text, (args, text[-2000:])
    assert res.exception is None or isinstance(res.exception, SystemExit), (args, repr(res.exception))
    return res.exit_code, res.stdout, text


def _named(text: str, path: str, line, stdout: str = "") -> bool:
    if stdout.lstrip().startswith("{"):  # check --format json: the errors are in the document
        doc = json.loads(stdout)
        return any(e["file"] == path and (line is None or e["line"] == line)
                   for e in doc["errors"] + doc.get("warnings", []))
    return (f"{path}:{line}:" if line else path) in text


COMMANDS = {
    "check": lambda p, r, t: ["check", p, "--rules", r, "--as-at", AS_AT, "--all", "--format", "json"],
    "summary": lambda p, r, t: ["summary", p, "--rules", r, "--as-at", AS_AT, "--format", "csv"],
    "due": lambda p, r, t: ["due", p, "--rules", r, "--as-at", AS_AT, "--format", "csv"],
    "report": lambda p, r, t: ["report", p, "--rules", r, "--as-at", AS_AT, "-o", str(t / "r.html")],
    "convert": lambda p, r, t: ["convert", p, "--to", "csv"],
    "lint": lambda p, r, t: ["rules", "lint", p, "--rules", r],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_input_through_every_reading_command(files, command, tmp_path):
    top, inputs = files
    good = str(top / "good" / "good.yaml")
    for name, (path, expect, line) in inputs.items():
        code, stdout, text = _invoke(COMMANDS[command](path, str(top / "rules.yaml"), tmp_path)
                                     + [good])
        if command == "lint" and name == "a-rule-file.yaml":
            # `rules lint` reads a rule file it is given as rules (the same ruleset as --rules here,
            # so it is refused as loaded twice, naming both files)
            assert code == 2 and path in text and "is already loaded from" in text, text[-1500:]
        elif expect == "bad":
            assert code == 2, (command, name, text[-1500:])
            assert _named(text, path, line, stdout), (command, name, line, text[-1500:])
        else:
            assert code != 2, (command, name, text[-1500:])
            if line:  # read, with a warning naming the file and line
                assert _named(text, path, line, stdout), (command, name, text[-1500:])
        if command == "check":  # the good neighbour is checked whatever its neighbour is
            found = json.loads(stdout)["findings"]
            assert any(f["case"] == "GOOD" and f["status"] == "met" for f in found), (name, stdout[:500])


def test_chronology_of_each_input(files):
    top, inputs = files
    for name, (path, expect, line) in inputs.items():
        code, _, text = _invoke(["chronology", path, "--rules", str(top / "rules.yaml"), "--as-at", AS_AT])
        if expect == "bad":
            assert code == 2 and _named(text, path, line), (name, text[-1500:])


RULE_CORPUS = {
    "kind-list.yaml": (b"ruleset: x\nrules:\n  - {id: R1, kind: [response], trigger: a, expect: b, within: 1 day}\n", 3),
    "kind-map.yaml": (b"ruleset: x\nrules:\n  - id: R1\n    kind: {a: 1}\n    trigger: a\n    expect: b\n    within: 1 day\n", 4),
    "calendar-base.yaml": (b"ruleset: x\ncalendar: {base: [england-and-wales]}\nrules: []\n", 2),
    "within-list.yaml": (b"ruleset: x\nrules:\n  - {id: R1, kind: response, trigger: a, expect: b, within: [1, 2]}\n", 3),
    "absurd-within.yaml": (b"ruleset: x\nrules:\n  - {id: R1, kind: response, trigger: a, expect: b, within: 100000 years}\n", 3),
    "absurd-working.yaml": (b"ruleset: x\nrules:\n  - {id: R1, kind: response, trigger: a, expect: b, within: 99999999 working days}\n", 3),
    "ancient-in-force.yaml": (b"ruleset: x\nin_force: {from: 0001-01-01}\nrules: []\n", 2),
    "case-as-rules.yaml": (GOOD.encode(), 1),
    "nul.yaml": (RULES.encode() + b"\0", 9),
}
RULES_READ = {  # odd but readable: no crash, no error
    "huge-id.yaml": b"ruleset: x\nrules:\n  - {id: " + b"9" * 5000 + b", kind: response, trigger: a, expect: b, within: 1 day}\n",
    "cp1252.yaml": RULES.replace("Assessment", "Assessment \u00a3").encode("cp1252"),
}


@pytest.mark.parametrize("command", ["list", "lint", "test", "explain", "check"])
def test_hostile_rule_files_through_every_rules_command(tmp_path, command):
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)

    def args_for(path):
        return {"list": ["rules", "list", "--rules", str(path)],
                "lint": ["rules", "lint", str(good), "--rules", str(path)],
                "test": ["rules", "test", str(path)],
                "explain": ["rules", "explain", "H-1" if "cp1252" in str(path) else "R1", "--rules", str(path)],
                "check": ["check", str(good), "--rules", str(path), "--as-at", AS_AT]}[command]
    for name, (data, line) in RULE_CORPUS.items():
        path = tmp_path / name
        path.write_bytes(data)
        args = args_for(path)
        code, _, text = _invoke(args)
        assert code == 2 and _named(text, str(path), line), (command, name, text[-1500:])
    for name, data in RULES_READ.items():
        path = tmp_path / name
        path.write_bytes(data)
        code, _, text = _invoke(args_for(path))
        assert code in (0, 1) or (command == "explain" and "no rule 'R1'" in text), (command, name, text[-1500:])


@pytest.mark.parametrize("args", [["calendar", "add", "9999-12-31", "1 day"], ["calendar", "add", "20241014", "1 day"],
                                  ["calendar", "add", "2024-10-14", "99999999 working days"],
                                  ["calendar", "add", "2024-10-14", "9" * 5000 + " days"],
                                  ["calendar", "between", "0001-01-01", "9999-12-31"],
                                  ["calendar", "between", "2024-W42-1", "2024-10-14"]])
def test_calendar_commands_refuse_what_is_out_of_range(args):
    code, _, text = _invoke(args)
    assert code == 2 and "Error:" in text


def _run_limited(args, cwd):
    """A command in its own process: at most 1.5 GB of address space, at most 5 minutes."""
    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (1536 << 20, 1536 << 20))
    return subprocess.run([sys.executable, "-m", "casecheck", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, preexec_fn=limit)


def test_the_whole_corpus_in_bounded_memory_through_every_command(files, tmp_path):
    top, inputs = files
    rules = str(top / "rules.yaml")
    folder = str(top / "all")
    runs = [["check", folder, str(top / "good"), "--rules", rules, "--as-at", AS_AT, "--format", "json", "--all"],
            ["check", folder, str(top / "good"), "--rules", rules, "--as-at", AS_AT, "--format", "json", "--all",
             "--workers", "2"],
            ["summary", folder, "--rules", rules, "--as-at", AS_AT],
            ["due", folder, "--rules", rules, "--as-at", AS_AT],
            ["report", folder, "--rules", rules, "--as-at", AS_AT, "-o", str(tmp_path / "r.html")],
            ["convert", folder, "--to", "yaml"],
            ["rules", "lint", folder, "--rules", rules]]
    for args in runs:
        res = _run_limited(args, tmp_path)
        out = res.stdout + res.stderr
        assert res.returncode == 2 and "Traceback" not in out and "internal error" not in out, (args, out[-2000:])
        # stderr names at most 20 unreadable files, then says how many more there were; the JSON names all
        more = re.search(r"casecheck: ([\d,]+) files could not be read in full; ([\d,]+) of them are not named above",
                         res.stderr)
        if more:
            named = {ln.split(": ", 2)[1].rsplit(":", 1)[0] for ln in res.stderr.splitlines()
                     if ln.startswith("casecheck: /")}
            assert len(named) == 20 and int(more.group(1).replace(",", "")) - int(more.group(2).replace(",", "")) == 20
        for name, (path, expect, line) in inputs.items():
            if expect == "bad":
                assert _named(res.stderr + res.stdout, path, line, res.stdout if args[0] == "check" else "") or (
                    more and path not in res.stderr), (args[0], name)
        if args[0] == "check":
            found = json.loads(res.stdout)["findings"]
            assert {"GOOD", "B1", "U1", "W400", "T1", "F2"} <= {f["case"] for f in found}
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest child process
    assert peak_mb < 500, f"a command's peak memory was {peak_mb:.0f} MB"
