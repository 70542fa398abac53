"""`casecheck check`: the main job (docs/formats.md): rules and cases in, findings out, an exit status scripts rely on."""

from __future__ import annotations

import datetime as dt
import sys

import click

from ..inputs import bundled
from ..inputs.files import is_database_url
from ..replay import judged
from ..replay.workers import WorkerDied
from ..views.findings import write_csv, write_json, write_text
from ..views.fit import fitted
from .common import EXIT_INPUT, output_stream, report_errors, rule_paths
from .run import Run, stream_run
from .sameness import refuse_output_among_inputs, run_inputs


def run_check(paths, rules_paths, as_at, fmt, show_all, output, input_format, workers, dask_address,
              judge_unrecordable=False, exceptions_paths=()) -> int:
    refuse_output_among_inputs(output, run_inputs(paths, rules_paths, exceptions_paths))
    if is_database_url(output):
        from .dbtarget import check_output_database
        check_output_database(output)
    as_at = as_at or dt.date.today()
    started = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
    try:
        run, result = stream_run(paths, rules_paths, exceptions_paths, as_at, keep_all=show_all,
                                 input_format=input_format, workers=workers, dask_address=dask_address,
                                 judge_unrecordable=judge_unrecordable)
    except WorkerDied as e:
        click.echo(f"casecheck: {e}; no findings were written", err=True)
        return EXIT_INPUT
    if is_database_url(output):
        sources = paths or [str(bundled.cases_dir())]
        return write_to_database(output, run, result, as_at, started, rules_paths, sources, show_all)
    try:
        def not_applied():  # known once every finding has been written
            return run.rules_not_applied(as_at, result.n_cases)

        color = fmt == "text" and output in (None, "-") and sys.stdout.isatty()
        shown = {"text": "colour" if color else "text", "csv": "terminal"}.get(fmt)
        with output_stream(output, newline="" if fmt == "csv" else None, shown=shown) as out:
            if fmt == "json":
                # by columns where the findings come as frames (no register to apply)
                write_json(out, as_at, result.n_cases, result.findings, run.errors, run.warnings,
                           after=lambda: {"rules_not_applied": [n.as_dict() for n in not_applied()]},
                           frames=result.frames, rules=run.rules)
            elif fmt == "csv":
                if result.frames is not None:  # by columns (no register to apply)
                    from ..views import csv_frames
                    csv_frames.write_csv(out, result.frames, run.rules)
                else:
                    write_csv(out, result.findings)
            else:
                write_text(fitted(out), as_at, result.n_cases, result.findings, color=color,
                           shown_all=show_all,
                           after=lambda: judged.text_lines(not_applied(), run.rules))
    finally:
        result.close()
    if fmt != "json" or output not in (None, "-"):
        report_errors(run.errors)
    run.report_warnings()
    return run.exit_code()


def write_to_database(output, run: Run, result, as_at, started, rules_paths, sources, show_all) -> int:
    """--output a database URL: the run and its findings appended in one transaction."""
    from ..inputs.database import item_source
    from ..model import InputProblem
    from ..views.database import write_run
    try:
        run_id, n = write_run(output, result.findings, as_at=as_at, started_at=started, rules=rule_paths(rules_paths),
                              inputs=list(sources), n_cases=result.n_cases, n_errors=len(run.errors),
                              all_findings=show_all, judged_rules=run.rules,
                              rules_not_applied=lambda: [n.as_dict() for n in run.rules_not_applied(as_at, result.n_cases)])
    except InputProblem as p:
        report_errors(run.errors + [p.error])
        return EXIT_INPUT
    finally:
        result.close()
    report_errors(run.errors)
    run.report_warnings()
    click.echo(f"casecheck: run {run_id}: {result.n_cases} cases checked, {n} findings written to "
               f"{item_source(output)}", err=True)
    return run.exit_code()
