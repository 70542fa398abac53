"""`casecheck check`: the main job (SPEC §3): rules and cases in, findings out, an exit status scripts rely on."""

from __future__ import annotations

import datetime as dt

import click

from ..replay.workers import WorkerDied
from ..views.findings import write_csv, write_json, write_text
from .common import EXIT_INPUT, output_stream, report_errors
from .run import stream_run


def run_check(paths, rules_paths, as_at, fmt, show_all, output, input_format, workers, dask_address,
              judge_unrecordable=False, exceptions_paths=()) -> int:
    as_at = as_at or dt.date.today()
    try:
        run, result = stream_run(paths, rules_paths, exceptions_paths, as_at, keep_all=show_all,
                                 input_format=input_format, workers=workers, dask_address=dask_address,
                                 judge_unrecordable=judge_unrecordable)
    except WorkerDied as e:
        click.echo(f"casecheck: {e}; no findings were written", err=True)
        return EXIT_INPUT
    try:
        with output_stream(output, newline="" if fmt == "csv" else None) as out:
            if fmt == "json":
                write_json(out, as_at, result.n_cases, result.findings, run.errors, run.warnings)
            elif fmt == "csv":
                write_csv(out, result.findings)
            else:
                write_text(out, as_at, result.n_cases, result.findings, color=output is None and out.isatty(),
                           shown_all=show_all)
    finally:
        result.close()
    if fmt != "json" or output is not None:
        report_errors(run.errors)
    run.report_warnings()
    return run.exit_code()
