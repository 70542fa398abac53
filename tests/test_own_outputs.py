"""casecheck's own outputs as inputs: known by their content, skipped in a folder with one line,
refused when named; and a folder of many unreadable files named in a bounded number of lines."""

import json
import shutil

import pytest

from conftest import run_cli
from casecheck.inputs import bundled

AS_AT = "2024-10-14"


def _outputs(folder, dest):
    """Every file casecheck writes, from the cases in folder, written into dest (any names)."""
    a = ["--as-at", AS_AT]
    run_cli("check", folder, *a, "--format", "json", "-o", dest / "run-a.json")
    run_cli("check", folder, *a, "--all", "--format", "csv", "-o", dest / "export.csv")
    run_cli("summary", folder, *a, "--format", "xlsx", "-o", dest / "book.xlsx")
    run_cli("summary", folder, *a, "--format", "csv", "--by", "team", "-o", dest / "by-team.csv")
    run_cli("summary", folder, *a, "--format", "html", "-o", dest / "summary.html")
    run_cli("due", folder, *a, "--format", "json", "-o", dest / "due-list.json")
    run_cli("due", folder, *a, "--format", "csv", "-o", dest / "due-list.csv")
    run_cli("diff", dest / "run-a.json", dest / "run-a.json", "--format", "json", "-o", dest / "changes.json")
    run_cli("diff", dest / "run-a.json", dest / "run-a.json", "--format", "csv", "-o", dest / "changes.csv")
    run_cli("rules", "list", "--format", "json", "-o", dest / "library.json")
    run_cli("rules", "list", "--format", "csv", "-o", dest / "library.csv")
    run_cli("exceptions", "start", folder, *a, "-o", dest / "accepted.yaml")
    run_cli("report", folder, *a, "-o", dest / "report.html")
    return sorted(p.name for p in dest.iterdir())


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    clean = tmp_path_factory.mktemp("clean")
    for f in bundled.cases_dir().iterdir():
        shutil.copy(f, clean / f.name)
    mixed = tmp_path_factory.mktemp("mixed")
    for f in clean.iterdir():
        shutil.copy(f, mixed / f.name)
    written = _outputs(clean, mixed)
    return clean, mixed, [n for n in written if not n.endswith(".html") and not (clean / n).exists()]


@pytest.mark.parametrize("command", [["check"], ["check", "--format", "json"], ["summary"], ["due"]])
def test_own_outputs_in_a_folder_are_skipped_with_one_line_and_change_nothing(folders, command):
    clean, mixed, own = folders
    assert len(own) == 11
    before = run_cli(command[0], clean, "--as-at", AS_AT, *command[1:])
    after = run_cli(command[0], mixed, "--as-at", AS_AT, *command[1:])
    assert after.exit_code == before.exit_code != 2
    added = [ln for ln in after.stderr.splitlines() if ln not in before.stderr.splitlines()]
    assert len(added) == 1 and f"skipped {len(own)} files written by casecheck: " in added[0], after.stderr
    assert len(after.stderr.splitlines()) == len(before.stderr.splitlines()) + 1
    if "json" in command:
        assert json.loads(after.stdout)["findings"] == json.loads(before.stdout)["findings"]
    else:
        assert after.stdout.replace(str(mixed), str(clean)) == before.stdout


@pytest.mark.parametrize("name, kind", [("run-a.json", "findings"), ("export.csv", "findings"),
                                        ("book.xlsx", "summary"), ("due-list.json", "due list"),
                                        ("changes.csv", "differences"), ("library.json", "rule list"),
                                        ("accepted.yaml", "exceptions register"), ("by-team.csv", "summary")])
def test_an_own_output_named_directly_is_refused_by_what_it_is(folders, name, kind):
    _, mixed, _ = folders
    r = run_cli("check", mixed / name, "--as-at", AS_AT)
    assert r.exit_code == 2
    assert f"{name} was written by casecheck ({kind}), not cases; " in r.stderr
    if kind == "findings":
        assert f"{name} was written by casecheck (findings), not cases; to compare runs use casecheck diff" in r.stderr


def test_known_by_content_not_name(folders, tmp_path):
    clean, mixed, _ = folders
    # a findings JSON renamed like a case file is still known; a case file named findings.json is read
    shutil.copy(mixed / "run-a.json", tmp_path / "cases-2024.json")
    assert "was written by casecheck (findings)" in run_cli("check", tmp_path / "cases-2024.json").stderr
    (tmp_path / "findings.json").write_text('{"case": "J-1", "events": [{"date": "2024-01-02", "type": "referral"}]}')
    r = run_cli("check", tmp_path / "findings.json", "--as-at", AS_AT)
    assert r.exit_code in (0, 1) and "1 case checked" in r.stdout


def test_every_json_casecheck_writes_opens_with_its_generator(folders):
    _, mixed, own = folders
    for name in own:
        if name.endswith(".json"):
            doc = json.loads((mixed / name).read_text(encoding="utf-8"))
            assert list(doc)[0] == "generator" and doc["generator"].startswith("casecheck "), name


def test_sixty_unreadable_files_are_named_in_at_most_25_lines_and_the_rest_still_checked(tmp_path):
    shutil.copy(bundled.cases_dir() / "york-23-011-844.yaml", tmp_path / "york.yaml")
    for i in range(60):
        (tmp_path / f"bad{i:02}.yaml").write_text(f"case: B{i}\nevents:\n  - {{date: 2024-02-30, type: referral}}\n")
    r = run_cli("check", tmp_path, "--as-at", AS_AT)
    lines = r.stderr.splitlines()
    assert r.exit_code == 2 and len(lines) <= 25
    assert sum("bad" in ln and "2024-02-30" in ln for ln in lines) == 20
    assert "60 files could not be read in full; 40 of them are not named above" in lines[-1]
    assert "LGSCO-23-011-844" in r.stdout and "1 case checked" in r.stdout
    doc = json.loads(run_cli("check", tmp_path, "--as-at", AS_AT, "--format", "json").stdout)
    assert len({e["file"] for e in doc["errors"]}) == 60  # the JSON keeps every one
