"""`pip install -e .` in a fresh clone: the checkout's own code, rules and cases, from any folder.

The clone gets a virtual environment of its own. Its dependencies come from the environment the
tests run in (a folder of links to that environment's packages, less any casecheck already there,
named in a .pth file), so nothing is downloaded and only casecheck itself is installed.
"""

import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _site_packages(venv: Path) -> Path:
    return Path(subprocess.run([str(venv / "bin" / "python"), "-c", "import sysconfig; print(sysconfig.get_paths()"
                                "['purelib'])"], check=True, capture_output=True, text=True).stdout.strip())


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(the clone, its environment's bin folder, a folder outside the clone) after `pip install -e`."""
    tmp = tmp_path_factory.mktemp("editable")
    clone, venv, deps, elsewhere = tmp / "casecheck", tmp / "venv", tmp / "deps", tmp / "elsewhere"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True, timeout=120)
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    deps.mkdir()
    elsewhere.mkdir()
    for entry in Path(sysconfig.get_paths()["purelib"]).iterdir():
        if not re.match(r"(__editable__[._])?casecheck\b|_*editable_+casecheck", entry.name):
            (deps / entry.name).symlink_to(entry)
    (_site_packages(venv) / "test-dependencies.pth").write_text(f"{deps}\n", encoding="utf-8")
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--no-deps",
                          "--no-build-isolation", "-e", str(clone)], cwd=elsewhere, capture_output=True, text=True,
                         timeout=300)
    assert pip.returncode == 0, pip.stderr[-3000:]
    return clone, venv / "bin", elsewhere


def test_import_casecheck_loads_the_checkouts_code(installed):
    clone, bin_, elsewhere = installed
    r = subprocess.run([str(bin_ / "python"), "-c", "import casecheck, casecheck.cli; print(casecheck.__file__); "
                        "print(casecheck.cli.__file__); print(casecheck.bundled_rules()); print(casecheck.bundled_cases())"],
                       cwd=elsewhere, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    package, cli, rules, cases = [Path(line) for line in r.stdout.split()]
    assert package == clone / "engine" / "__init__.py"
    assert cli == clone / "cli.py"
    assert rules == clone / "rules" and cases == clone / "cases"


def test_rules_list_from_any_folder_shows_the_bundled_library(installed):
    clone, bin_, elsewhere = installed
    r = subprocess.run([str(bin_ / "casecheck"), "rules", "list"], cwd=elsewhere, capture_output=True, text=True,
                       timeout=120)
    assert r.returncode == 0, r.stderr
    ids = {m for f in (clone / "rules").glob("*.y*ml")
           for m in re.findall(r"^\s*-?\s*id:\s*['\"]?([A-Z][\w-]+)", f.read_text(encoding="utf-8"), re.M)}
    assert len(ids) > 20
    assert ids <= set(re.findall(r"^  ([A-Z][\w-]+)", r.stdout, re.M))


def test_check_from_any_folder_checks_the_bundled_cases(installed):
    clone, bin_, elsewhere = installed
    r = subprocess.run([str(bin_ / "casecheck"), "check", "--as-at", "2024-10-14"], cwd=elsewhere,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 1, r.stderr
    assert "10 cases checked" in " ".join(r.stdout.split())
    assert "Case LGSCO-23-011-844" in r.stdout


def test_an_edit_in_the_checkout_is_what_runs(installed):
    """Editable: a rule's title changed in the clone shows at once, with no reinstall."""
    clone, bin_, elsewhere = installed
    rule_file = next(f for f in sorted((clone / "rules").glob("*.yaml")) if "YORK-MINUTES-15WD" in f.read_text())
    text = rule_file.read_text(encoding="utf-8")
    title = re.search(r"id: YORK-MINUTES-15WD\s*\n\s*title: (.+)", text)
    assert title
    rule_file.write_text(text.replace(title.group(0), title.group(0) + " (edited in the checkout)", 1),
                         encoding="utf-8")
    try:
        r = subprocess.run([str(bin_ / "casecheck"), "rules", "explain", "YORK-MINUTES-15WD"], cwd=elsewhere,
                           capture_output=True, text=True, timeout=120)
        assert r.returncode == 0, r.stderr
        assert "(edited in the checkout)" in r.stdout
    finally:
        rule_file.write_text(text, encoding="utf-8")
