"""`casecheck check`: the main job (SPEC §3): rules and cases in, findings out, an exit status scripts rely on."""

from __future__ import annotations

import datetime as dt
import os

import click

from ..inputs import bundled
from ..inputs.cases import load_cases, needs_importer
from ..inputs.files import is_database_url
from ..replay import check
from ..replay.stream import StreamResult, check_paths
from ..replay.workers import WorkerDied
from ..rules.lint import unanswerable
from ..views.findings import write_csv, write_json, write_text
from .common import (PARALLEL_FROM_BYTES, EXIT_INPUT, exit_code, load_rules_or_bundled,
                     output_stream, report_errors, report_notes, rule_paths)


def run_check(paths, rules_paths, as_at, fmt, show_all, output, input_format, workers, dask_address) -> int:
    as_at = as_at or dt.date.today()
    started = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    rules, errors = load_rules_or_bundled(rules_paths)
    sources = paths or [str(bundled.cases_dir())]
    warnings: list[str] = []
    if needs_importer(sources, input_format):
        # Council returns are read whole by their importers (and are bounded in size).
        cases, case_errors = load_cases(sources, input_format, notes := [])
        report_notes(notes)
        findings = check(cases, rules, as_at)
        warnings = unanswerable(rules, cases, findings)
        result = StreamResult(len(cases), iter(findings if show_all else [f for f in findings if f.is_breach]),
                              case_errors, any(f.fails_check for f in findings))
    else:
        try:
            result = check_paths(sources, rules, as_at, keep_all=show_all,
                                 workers=workers or os.cpu_count() or 1, dask_address=dask_address,
                                 min_parallel_bytes=0 if workers else PARALLEL_FROM_BYTES)
        except WorkerDied as e:
            click.echo(f"casecheck: {e}; no findings were written", err=True)
            return (EXIT_INPUT)
    errors = errors + result.errors
    if is_database_url(output):
        return write_to_database(output, result, errors, warnings, as_at, started, rules_paths, sources, show_all)
    try:
        with output_stream(output, newline="" if fmt == "csv" else None) as out:
            if fmt == "json":
                write_json(out, as_at, result.n_cases, result.findings, errors)
            elif fmt == "csv":
                write_csv(out, result.findings)
            else:
                write_text(out, as_at, result.n_cases, result.findings, color=output is None and out.isatty(),
                           shown_all=show_all)
    finally:
        result.close()
    if fmt != "json" or output is not None:
        report_errors(errors)
    for note in warnings:
        click.echo(f"casecheck: warning: {note}", err=True)
    return (exit_code(errors, result.breach))


def write_to_database(output, result, errors, warnings, as_at, started, rules_paths, sources, show_all) -> int:
    """--output a database URL (SPEC §3): the run and its findings appended in one transaction."""
    from ..model import InputProblem
    from ..views.database import write_run
    try:
        run_id, n = write_run(output, result.findings, as_at=as_at, started_at=started, rules=rule_paths(rules_paths),
                              inputs=list(sources), n_cases=result.n_cases, n_errors=len(errors),
                              all_findings=show_all)
    except InputProblem as p:
        report_errors(errors + [p.error])
        return EXIT_INPUT
    finally:
        result.close()
    report_errors(errors)
    for note in warnings:
        click.echo(f"casecheck: warning: {note}", err=True)
    from ..inputs.database import item_source
    click.echo(f"casecheck: run {run_id}: {result.n_cases} cases checked, {n} findings written to "
               f"{item_source(output)}", err=True)
    return exit_code(errors, result.breach)
