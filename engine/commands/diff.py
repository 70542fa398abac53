"""`casecheck diff BEFORE AFTER`: what changed between two runs of `check`.

A run is read by the first reader in READERS that accepts its name; each gives a
views.diff.Run of the finding records docs/formats.md describes. JSON outputs of `check --format json` are read
here; a findings database (`--output postgresql://...`) plugs in as another reader.
"""

from __future__ import annotations

import json
import re
from typing import Callable

import click

from ..inputs.limits import MAX_DEPTH, deeper_than
from ..model import STATUSES, InputProblem
from ..views import diff as views_diff
from ..views.fit import fitted
from .common import EXIT_BREACH, EXIT_INPUT, EXIT_OK, output_stream
from .sameness import refuse_output_among_inputs, run_inputs

MAX_JSON_BYTES = 2 << 30  # a run bigger than this is not one casecheck wrote in memory-sized pieces
OPTIONAL = {"worker": None, "team": None, "extension": None, "clock_stops": [], "exception": None, "note": None,
            "actual": None, "days_late": 0, "working_days_late": 0, "title": "", "cite": "", "ruleset": "",
            "severity": "breach"}
NOT_OURS = "is not a casecheck JSON document (write one with 'casecheck check --format json -o FILE')"


def _is_database(source: str) -> bool:
    """A database URL (sqlite:///runs.db, postgresql://host/db, mssql+pyodbc://...), not a file."""
    return re.match(r"^[a-z][a-z0-9+]*://", source) is not None


def _database_run(source: str, run_id: str | None = None) -> views_diff.Run:
    """A run of a findings database (its latest where run_id is None), as the JSON file of the same
    run would give it."""
    from ..history.runs import list_runs, read_run
    from ..inputs.database import item_source
    runs = list_runs(source)
    if run_id is None and runs:
        run_id = runs[-1]["run_id"]
    found = [r for r in runs if r["run_id"] == run_id]
    if not found:
        raise InputProblem(item_source(source), None, f"{'no run ' + repr(run_id) if run_id else 'no run'} in "
                                                      f"table casecheck_runs; {_listing(runs)}")
    records = [_record(r, source, i) for i, r in enumerate(read_run(source, run_id))]
    return views_diff.Run(f"run {run_id} of {item_source(source)}", found[0]["as_at"].isoformat(), records)


def _listing(runs: list[dict]) -> str:
    """The runs of a database in one line: id, as-at date and start of each."""
    if not runs:
        return "the database holds no runs (write some with `casecheck check ... --output DB_URL`)"
    return "its runs: " + "; ".join(f"{r['run_id']} (as at {r['as_at']}, started {r['started_at']:%Y-%m-%d %H:%M})"
                                     for r in runs)


def database_runs(source: str, run_ids: tuple[str, ...]) -> tuple[views_diff.Run, views_diff.Run]:
    """The two runs of a findings database to compare: the two latest (by start), or the two named."""
    from ..history.runs import list_runs
    from ..inputs.database import item_source
    runs = list_runs(source)
    if not run_ids:
        if len(runs) < 2:
            raise InputProblem(item_source(source), None, f"needs two runs to compare; {_listing(runs)}")
        run_ids = (runs[-2]["run_id"], runs[-1]["run_id"])
    return _database_run(source, run_ids[0]), _database_run(source, run_ids[1])


def _record(r, file: str, i: int) -> dict:
    """A finding object checked for what the comparison and the writers need."""
    where = f"finding {i + 1}"
    if not isinstance(r, dict):
        raise InputProblem(file, None, f"{where} is not an object; the file {NOT_OURS}")
    for key in ("case", "rule", "status", "trigger", "due"):
        if key not in r:
            raise InputProblem(file, None, f"{where} has no {key!r}; the file {NOT_OURS}")
    trig = r["trigger"]
    if not (isinstance(trig, dict) and isinstance(trig.get("date"), str) and "type" in trig):
        raise InputProblem(file, None, f"{where}: 'trigger' must be {{\"type\", \"date\"}}; the file {NOT_OURS}")
    if r["status"] not in STATUSES:
        raise InputProblem(file, None, f"{where}: unknown status {r['status']!r} (one of {', '.join(STATUSES)})")
    out = {**OPTIONAL, **r}
    out["case"], out["rule"] = str(out["case"]), str(out["rule"])
    for key in ("days_late", "working_days_late"):
        if not isinstance(out[key], int):
            raise InputProblem(file, None, f"{where}: {key!r} must be a whole number, got {out[key]!r}")
    return out


def _json_run(source: str) -> views_diff.Run:
    try:
        with open(source, "rb") as fh:
            raw = fh.read(MAX_JSON_BYTES + 1)
    except OSError as e:
        raise InputProblem(source, None, f"cannot be read: {e.strerror or e}") from None
    if len(raw) > MAX_JSON_BYTES:
        raise InputProblem(source, None, "is larger than 2 GB; compare smaller runs (e.g. per team)")
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise InputProblem(source, None, f"is not UTF-8 text; it {NOT_OURS}") from None
    except json.JSONDecodeError as e:
        raise InputProblem(source, e.lineno, f"is not valid JSON ({e.msg}); it {NOT_OURS}") from None
    except RecursionError:
        doc = deep = True
    else:
        deep = deeper_than(doc)
    if deep:
        raise InputProblem(source, None, f"is nested more than {MAX_DEPTH} levels deep; it {NOT_OURS}")
    if not isinstance(doc, dict) or not isinstance(doc.get("findings"), list) or "as_at" not in doc:
        raise InputProblem(source, None, f"has no 'as_at' and 'findings' list: it {NOT_OURS}")
    return views_diff.Run(source, str(doc["as_at"]), [_record(r, source, i) for i, r in enumerate(doc["findings"])])


READERS: list[tuple[Callable[[str], bool], Callable[[str], views_diff.Run]]] = [
    (_is_database, _database_run),
    (lambda source: True, _json_run),
]


def read_run(source: str) -> views_diff.Run:
    for accepts, reader in READERS:
        if accepts(source):
            return reader(source)
    raise AssertionError("the last reader accepts every source")


def run_diff(before: str, after: str | None, fmt: str, output, run_ids: tuple[str, ...] = ()) -> int:
    """BEFORE AFTER (files, or databases' latest runs), or one database's two latest runs (after
    None) or two runs of it named by id (run_ids)."""
    refuse_output_among_inputs(output, [s for s in (before, after) if s]
                               + run_inputs(cases=False, rules=False, registers=False))
    runs, failed = [], False
    if after is None:
        try:
            runs = list(database_runs(before, run_ids))
        except InputProblem as p:
            click.echo(f"casecheck: {p.error}", err=True)
            return EXIT_INPUT
    for source in (before, after) if after is not None else ():
        try:
            runs.append(read_run(source))
        except InputProblem as p:
            click.echo(f"casecheck: {p.error}", err=True)
            failed = True
    if failed:
        return EXIT_INPUT
    d = views_diff.compare(*runs)
    with output_stream(output, newline="" if fmt == "csv" else None,
                       shown={"text": "text", "csv": "terminal"}.get(fmt)) as out:
        if fmt == "text":
            out = fitted(out)
        {"json": views_diff.write_json, "csv": views_diff.write_csv, "text": views_diff.write_text}[fmt](out, d)
    return EXIT_BREACH if d.new_failing else EXIT_OK


def sources_of(sources: tuple[str, ...]) -> tuple[str, str | None, tuple[str, ...]]:
    """diff's arguments: BEFORE AFTER, DB_URL, or DB_URL RUN_ID RUN_ID; a usage error otherwise."""
    if len(sources) == 2:
        return sources[0], sources[1], ()
    if len(sources) in (1, 3) and _is_database(sources[0]):
        return sources[0], None, tuple(sources[1:])
    raise click.UsageError("give BEFORE and AFTER (two outputs of `casecheck check --format json`), or DB_URL "
                           "with no run id or two (a findings database's two latest runs, or two of its runs)")
