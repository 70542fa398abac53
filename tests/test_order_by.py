"""Same-date events from a table or view with no key: a stated order, one warning, and --order-by.

The case: a CIN meeting and its minutes on the same day. Minutes taken before the meeting do not
answer it (same-date events are replayed in order), so the order decides the finding: the meeting
first, the minutes answer it (met, exit 0); the minutes first, the meeting is left unanswered
(missing, exit 1).
"""

import csv
import io

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from dbfixtures import MINUTES, backend, pg_server  # noqa: F401 (fixtures)

AS_AT = "2022-06-01"
# `seq` is text holding numbers: as text "10" sorts before "9"; as numbers 9 comes first.
ROWS = [(1, "C-1", "2022-02-15", "cin_meeting", "10", "m1"),
        (2, "C-1", "2022-02-15", "minutes_sent", "9", "m1")]


def _view(backend, rows=ROWS) -> None:
    backend.execute('CREATE TABLE raw_events (id INTEGER PRIMARY KEY, "case" VARCHAR(10), date DATE, '
                    "type VARCHAR(40), seq VARCHAR(10), meeting VARCHAR(10))",
                    *(f"INSERT INTO raw_events VALUES ({i}, '{c}', '{d}', '{t}', '{s}', '{m}')"
                      for i, c, d, t, s, m in rows),
                    'CREATE VIEW casecheck_events AS SELECT "case", date, type, seq, meeting FROM raw_events')


def run(*args):
    r = CliRunner().invoke(main, [str(a) for a in args])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r


def _no_key_warnings(r) -> list[str]:
    return [line for line in r.stderr.splitlines() if "has no key" in line]


def _order(backend, *options) -> list[str]:
    """The event types of C-1 on 2022-02-15 in the order casecheck read them (convert's event log)."""
    r = run("convert", backend.url, "--to", "csv", *options)
    assert r.exit_code == 0, r.stderr
    return [row["type"] for row in csv.DictReader(io.StringIO(r.stdout)) if row["date"] == "2022-02-15"]


def test_a_view_with_no_key_orders_same_date_events_by_type_then_its_columns_and_says_so(backend, tmp_path):
    _view(backend)
    r = run("check", backend.url, "--rules", MINUTES, "--as-at", AS_AT, "--all")
    assert r.exit_code == 0  # cin_meeting before minutes_sent (by type): the minutes answer the meeting
    [warning] = _no_key_warnings(r)
    assert "view casecheck_events" in warning and "in order of type, seq, meeting" in warning
    assert "--order-by COLUMN" in warning
    assert _order(backend) == ["cin_meeting", "minutes_sent"]
    # the same order, and the same finding, run after run and whatever order the rows went in
    backend.execute("DELETE FROM raw_events", *(f"INSERT INTO raw_events VALUES ({3 - i}, '{c}', '{d}', '{t}', "
                                                f"'{s}', '{m}')" for i, c, d, t, s, m in ROWS))
    assert _order(backend) == ["cin_meeting", "minutes_sent"]
    assert run("check", backend.url, "--rules", MINUTES, "--as-at", AS_AT).exit_code == 0


COMMANDS = {
    "check": ["check", "{url}"], "summary": ["summary", "{url}"], "due": ["due", "{url}"],
    "chronology": ["chronology", "{url}"], "report": ["report", "{url}", "-o", "{tmp}/report.html"],
    "convert": ["convert", "{url}", "--to", "yaml"],
    "exceptions start": ["exceptions", "start", "{url}", "-o", "{tmp}/register.yaml", "--force"],
}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_every_command_that_reads_cases_warns_once_per_table(backend, tmp_path, command):
    _view(backend)
    args = [a.format(url=backend.url, tmp=tmp_path) for a in COMMANDS[command]]
    if command != "convert":
        args += ["--rules", MINUTES, "--as-at", AS_AT]
    r = run(*args)
    assert r.exit_code in (0, 1), r.stderr
    assert len(_no_key_warnings(r)) == 1, r.stderr
    r = run(*args, "--order-by", "seq")
    assert r.exit_code in (0, 1), r.stderr
    assert _no_key_warnings(r) == []  # an order was chosen: nothing to warn about


def test_order_by_orders_same_date_events_by_the_column_numbers_as_numbers(backend):
    _view(backend)
    assert _order(backend, "--order-by", "seq") == ["minutes_sent", "cin_meeting"]  # 9 before 10
    r = run("check", backend.url, "--rules", MINUTES, "--as-at", AS_AT, "--order-by", "seq")
    assert r.exit_code == 1  # the minutes came first: the meeting was never answered
    assert "missing" in r.stdout and "MINUTES-15WD" in r.stdout
    assert _order(backend, "--order-by", "SEQ") == ["minutes_sent", "cin_meeting"]  # as columns are matched
    assert _order(backend, "--order-by", "meeting") == ["cin_meeting", "minutes_sent"]  # a tie: then by type


def test_order_by_takes_precedence_over_a_tables_key(backend):
    backend.execute('CREATE TABLE casecheck_events (id INTEGER PRIMARY KEY, "case" VARCHAR(10), date DATE, '
                    "type VARCHAR(40), seq INTEGER, meeting VARCHAR(10))",
                    "INSERT INTO casecheck_events VALUES (1, 'C-1', '2022-02-15', 'cin_meeting', 10, 'm1')",
                    "INSERT INTO casecheck_events VALUES (2, 'C-1', '2022-02-15', 'minutes_sent', 9, 'm1')")
    r = run("check", backend.url, "--rules", MINUTES, "--as-at", AS_AT)
    assert r.exit_code == 0 and _no_key_warnings(r) == []  # the key orders them: no warning
    assert _order(backend, "--order-by", "seq") == ["minutes_sent", "cin_meeting"]


def test_an_unknown_order_by_column_exits_2_listing_the_tables_columns(backend):
    _view(backend)
    r = run("check", backend.url, "--rules", MINUTES, "--as-at", AS_AT, "--order-by", "sequence")
    assert r.exit_code == 2
    [line] = [ln for ln in r.stderr.splitlines() if "--order-by" in ln]
    assert "sequence" in line and "casecheck_events" in line
    assert "its columns: case, date, type, seq, meeting" in line
    assert "Traceback" not in r.output
