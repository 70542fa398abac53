"""Passwords never shown: one masking for every database URL, wherever it would appear."""

from __future__ import annotations

import json
import sqlite3

from click.testing import CliRunner
from hypothesis import given, strategies as st

from casecheck.cli import main
from casecheck.inputs import bundled
from casecheck.inputs.secrets import connectable_url, mask_url, scrub

SECRETS = ("S3cr", "WORD", "K3yX", "Q9zz")
UNREACHABLE = "postgresql://auditor:S3cr@WORD@127.0.0.1:1/db?sslpassword=K3yX&password=Q9zz&application_name=x"


def run(*args):
    res = CliRunner().invoke(main, [str(a) for a in args])
    return res.exit_code, res.output


def test_a_password_holding_an_at_sign_is_masked_whole_to_the_last_at_before_the_host():
    assert mask_url("postgresql://auditor:PASS@WORD@host/db") == "postgresql://auditor:***@host/db"
    assert mask_url("postgresql://host/db?password=x&sslpassword=y&a=b") == \
        "postgresql://host/db?password=***&sslpassword=***&a=b"
    assert mask_url("postgresql://auditor@host/db") == "postgresql://auditor@host/db"
    assert connectable_url("postgresql://auditor:PASS@WORD@host/db") == "postgresql://auditor:PASS%40WORD@host/db"


@given(st.text(alphabet=st.characters(blacklist_characters="/?#", blacklist_categories=("Cs",)), min_size=3))
def test_no_password_survives_masking(password):
    shown = mask_url(f"postgresql://auditor:{password}@db.example/cases")
    assert shown == "postgresql://auditor:***@db.example/cases"


def test_pgpassword_and_seen_passwords_are_scrubbed_from_messages(monkeypatch):
    monkeypatch.setenv("PGPASSWORD", "Envy-Secret")
    mask_url("postgresql://u:Hidden-Pass@h/db")
    assert scrub('FATAL: password "Envy-Secret" or Hidden-Pass rejected') == 'FATAL: password "***" or *** rejected'


def test_an_unreachable_input_database_shows_no_password_fragment_in_messages_json_or_the_runs_table(tmp_path):
    case = bundled.cases_dir() / "york-23-011-844.yaml"
    code, out = run("check", case, UNREACHABLE, "--format", "json", "--as-at", "2024-10-14")
    assert code == 2
    doc = json.loads(out[out.index("{"):out.rindex("}") + 1])
    assert any(e["file"].startswith("postgresql://auditor:***@127.0.0.1:1/db?sslpassword=***") for e in doc["errors"])
    for s in SECRETS:
        assert s not in out
    db = tmp_path / "runs.db"
    code, out = run("check", case, UNREACHABLE, "--as-at", "2024-10-14", "-o", f"sqlite:///{db}")
    assert code == 2 and "findings written" in out  # the other input still checked and written
    stored = sqlite3.connect(db).execute("SELECT * FROM casecheck_runs").fetchall()
    findings = sqlite3.connect(db).execute("SELECT * FROM casecheck_findings").fetchall()
    for s in SECRETS:
        assert s not in out and s not in repr(stored) and s not in repr(findings)


def test_csv_errors_and_report_never_show_a_password(tmp_path):
    case = bundled.cases_dir() / "york-23-011-844.yaml"
    code, out = run("check", case, UNREACHABLE, "--format", "csv", "--as-at", "2024-10-14")
    assert code == 2 and "auditor:***@" in out
    code, out = run("report", case, UNREACHABLE, "--as-at", "2024-10-14", "-o", tmp_path / "r.html")
    html = (tmp_path / "r.html").read_text(encoding="utf-8")
    for s in SECRETS:
        assert s not in out and s not in html
