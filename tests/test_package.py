"""One installable package: `casecheck` and nothing else at the top of site-packages; its API."""

import datetime as dt
import subprocess
import sys
import zipfile
from pathlib import Path

import casecheck

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_holds_one_top_level_package_and_the_bundled_library(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w",
                    str(tmp_path), str(ROOT)], check=True, capture_output=True, timeout=300)
    [wheel] = tmp_path.glob("casecheck-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    tops = {n.split("/")[0] for n in names}
    assert tops == {"casecheck", next(t for t in tops if t.endswith(".dist-info"))}
    assert "casecheck/cli.py" in names and "casecheck/__main__.py" in names
    assert any(n.startswith("casecheck/_bundled/rules/") and n.endswith(".yaml") for n in names)
    assert any(n.startswith("casecheck/_bundled/cases/") for n in names)
    # every module under engine/ is in the wheel (a new folder is never left out), and its data too
    modules = {"casecheck/" + str(p.relative_to(ROOT / "engine")) for p in (ROOT / "engine").rglob("*.py")}
    assert modules and modules <= set(names), sorted(modules - set(names))
    assert "casecheck/rules/vocabulary.yaml" in names and "casecheck/_bundled/rules/national-timescales.csv" in names
    entry = zipfile.ZipFile(wheel).read(next(n for n in names if n.endswith("entry_points.txt"))).decode()
    assert "casecheck = casecheck.cli:main" in entry


def test_python_dash_m_and_version_work_from_any_folder(tmp_path):
    run = lambda *a: subprocess.run([sys.executable, "-m", "casecheck", *a], cwd=tmp_path, capture_output=True,
                                    text=True, timeout=120)
    help_ = run("--help")
    assert help_.returncode == 0 and "Usage: casecheck" in help_.stdout
    ver = run("--version")
    assert ver.returncode == 0 and casecheck.__version__ in ver.stdout and casecheck.__version__ != "0+unknown"


def test_the_public_api_checks_the_bundled_york_case():
    rules, rule_errors = casecheck.load_rules([str(casecheck.bundled_rules())])
    cases, case_errors = casecheck.load_cases([str(casecheck.bundled_cases() / "york-23-011-844.yaml")])
    assert rule_errors == [] and case_errors == []
    findings = casecheck.check(cases, rules, as_at=dt.date(2024, 10, 14))
    assert all(isinstance(f, casecheck.Finding) for f in findings)
    [minutes] = [f for f in findings if f.rule.id == "YORK-MINUTES-15WD" and f.trigger.date == dt.date(2022, 2, 15)]
    assert (minutes.status, minutes.due, minutes.days_late, minutes.working_days_late) == \
        ("late", dt.date(2022, 3, 8), 35, 25)
    cal = casecheck.calendar_for("england-and-wales")
    assert casecheck.due_date(dt.date(2022, 2, 15), casecheck.parse_duration("15 working days"), cal) == \
        dt.date(2022, 3, 8)


def test_the_public_api_is_what_all_names():
    for name in casecheck.__all__:
        assert hasattr(casecheck, name), name
