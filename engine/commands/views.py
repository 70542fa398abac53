"""The views for each user: chronology (investigators), summary (auditors), due (managers), report.

Every view is made from the Findings of casecheck.replay.check; nothing evaluates rules again."""

from __future__ import annotations

import sys

import click

from ..replay import judged, progress
from ..replay.workers import Pool, WorkerDied, expand
from ..views import chronology, htmlreport, summary, workbook
from ..views import due as duelist
from ..views.fit import fitted
from .common import EXIT_BREACH, EXIT_INPUT, EXIT_OK, CaseInputs, default_calendar, output_stream, report_errors
from .filters import check_names, did_you_mean
from .run import load_run, stream_run
from .sameness import refuse_output_among_inputs, run_inputs

PARALLEL_FROM_CASES = 2000  # fewer cases are replayed in this process: starting workers costs more
BATCH = 500
SHOWN = {"text": "text", "csv": "terminal"}  # control characters made visible (casecheck.terminal)


def replay(cases, rules, as_at, workers=None) -> list:
    """Every finding of the cases (all statuses), in the findings' order (docs/formats.md); in `workers` processes when
    asked for and there are enough cases to repay starting them."""
    if not workers or workers <= 1 or len(cases) < PARALLEL_FROM_CASES:
        return progress.check_cases(cases, rules, as_at)
    pool = Pool(rules, as_at, True, workers)
    findings, ok = [], False
    try:
        def take(results):
            for _, entries, _judged in results:  # every finding is kept: they say what judged
                for cid, attrs, recs, _breach in entries:
                    findings.extend(expand(cid, attrs, rec, rules) for rec in recs)
        for i in range(0, len(cases), BATCH):
            take(pool.submit(("cases", cases[i:i + BATCH])))
        take(pool.drain())
        ok = True
    finally:
        pool.close(abort=not ok)
    findings.sort(key=lambda f: f.sort_key())
    return findings


def load_and_replay(paths, inputs: CaseInputs):
    """The run (rules, registers, errors, warnings), cases and findings, the registers applied:
    what every view of a cohort starts from."""
    run, cases = load_run(paths, inputs.rules_paths, inputs.exceptions_paths, inputs.input_format,
                          inputs.judge_unrecordable)
    try:
        findings = list(run.tally.over(replay(cases, run.rules, inputs.date, inputs.workers)))
    except WorkerDied as e:
        report_errors(run.errors)
        click.echo(f"casecheck: {e}; nothing was written", err=True)
        raise SystemExit(EXIT_INPUT)
    return run, cases, findings


def stream_findings(paths, inputs: CaseInputs, keep=None):
    """The run, the number of cases and every finding (those keep(finding) is true of, when given;
    registers applied), from the same streaming
    check as `check --all` (the columnar path, workers by the input's size): for the views that
    need findings and not the cases themselves (summary, due). Loading every case as objects and
    replaying them one by one took 5x `check`'s time at 100,000 cases. What those views ask of a
    case (its attributes) each finding carries (case_attrs)."""
    try:
        run, result = stream_run(paths, inputs.rules_paths, inputs.exceptions_paths, inputs.date, keep_all=True,
                                 input_format=inputs.input_format, workers=inputs.workers,
                                 judge_unrecordable=inputs.judge_unrecordable)
        try:
            findings = progress.counted("checking cases", result.findings, keep=keep)
        finally:
            result.close()
    except WorkerDied as e:
        click.echo(f"casecheck: {e}; nothing was written", err=True)
        raise SystemExit(EXIT_INPUT)
    return run, result.n_cases, findings


def _finish(run) -> int:
    """Errors and warnings on stderr after a document (chronology, summary, report) was written;
    its exit status: 0 once written, 2 when an input could not be read. A document is not a
    check: its breaches are in it, and never turn its exit status into 1."""
    report_errors(run.errors)
    run.report_warnings()
    return EXIT_INPUT if run.errors else EXIT_OK


def run_chronology(case_file, case_id, inputs: CaseInputs, fmt, ids, show_all, output) -> int:
    refuse_output_among_inputs(output, run_inputs([case_file], inputs.rules_paths, inputs.exceptions_paths))
    as_at = inputs.date
    run, cases = load_run([case_file], inputs.rules_paths, inputs.exceptions_paths, inputs.input_format,
                          inputs.judge_unrecordable)
    rules, errors = run.rules, run.errors
    if case_id is not None:
        chosen = [c for c in cases if c.id == case_id]
        if not chosen:
            report_errors(errors)
            have = ", ".join(c.id for c in cases[:20]) + (", ..." if len(cases) > 20 else "")
            raise click.UsageError(f"--case: no case {case_id!r} in {case_file}"
                                   f"{did_you_mean(case_id, (c.id for c in cases))} "
                                   f"(cases there: {have or 'none that could be read'})")
    elif len(cases) > 1:
        raise click.UsageError(f"{case_file} holds {len(cases)} cases ({', '.join(c.id for c in cases[:10])}"
                               f"{', ...' if len(cases) > 10 else ''}); choose one with --case ID")
    else:
        chosen = cases
    if not chosen:
        report_errors(errors)
        click.echo(f"casecheck: no case could be read from {case_file}", err=True)
        return (EXIT_INPUT)
    [case] = chosen
    run.only_cases = {case.id}  # a register's entries for the file's other cases are not this view's
    findings = run.judge([case], as_at)
    c = chronology.build(case, findings, rules, as_at, ids=ids, show_all=show_all)
    with output_stream(output, shown=None if fmt == "html" else "text") as out:
        out.write(chronology.html(c) if fmt == "html" else chronology.markdown(c))
    return _finish(run)


def run_summary(paths, inputs: CaseInputs, by, overall, fmt, output) -> int:
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx writes a workbook: give it a file with --output FILE.xlsx")
    if fmt == "xlsx" and output == "-" and sys.stdout.isatty():
        raise click.UsageError("--format xlsx -o - would write a workbook to the terminal: redirect it to a file")
    refuse_output_among_inputs(output, run_inputs(paths, inputs.rules_paths, inputs.exceptions_paths))
    as_at = inputs.date
    run, n_cases, findings = stream_findings(paths, inputs)
    rules = run.rules
    groups = summary.groupings(by, overall)
    summary.check_levels(groups, (f.case_attrs for f in findings))
    not_applied = run.rules_not_applied(as_at, n_cases)
    if fmt == "xlsx":
        about = workbook.About(inputs=list(paths), rules=rules, n_cases=n_cases, not_applied=not_applied)
        with progress.steps("writing the workbook", len(findings)) as advance, \
                output_stream(output, binary=True) as out:
            workbook.write_xlsx(out, findings, groups, as_at, advance, about)
    else:
        with output_stream(output, newline="" if fmt == "csv" else None, shown=SHOWN.get(fmt)) as out:
            if fmt == "csv":
                summary.write_csv(out, findings, groups)
            elif fmt == "html":
                out.write(htmlreport.summary_page(findings, groups, as_at, n_cases, not_applied, rules))
            else:
                summary.write_text(fitted(out), findings, groups, as_at, n_cases, judged.text_lines(not_applied, rules))
    return _finish(run)


def run_due(paths, within, inputs: CaseInputs, fmt, output, worker_filter=(), team_filter=(), group_by=None,
            limit=None) -> int:
    refuse_output_among_inputs(output, run_inputs(paths, inputs.rules_paths, inputs.exceptions_paths))
    as_at = inputs.date
    # Only the findings the list can show are kept (not every met one of a big cohort), and the
    # names --worker and --team may give, from every finding.
    names: dict[str, set] = {"worker": set(), "team": set()}
    asked = [level for level, chosen in (("worker", worker_filter), ("team", team_filter)) if chosen]

    def keep(f) -> bool:
        for level in asked:
            names[level].add(duelist.holder(f, level))
            names[level].add(f.case_attrs.get(level))
        return duelist.listed(f, as_at, within)
    run, n_cases, findings = stream_findings(paths, inputs, keep)
    rules, errors = run.rules, run.errors
    # A name not in the cohort is a typo, not "nobody's": refused before anything is written.
    for option, level, chosen in (("--worker", "worker", worker_filter), ("--team", "team", team_filter)):
        if chosen:
            check_names(option, level, chosen, names[level])
    dl = duelist.due_list(findings, as_at, within, worker_filter, team_filter, group_by, limit)
    not_applied = run.rules_not_applied(as_at, n_cases)
    with output_stream(output, newline="" if fmt == "csv" else None, shown=SHOWN.get(fmt)) as out:
        if fmt == "json":
            duelist.write_json(out, dl, as_at, within, errors, run.warnings(), [n.as_dict() for n in not_applied])
        elif fmt == "csv":
            duelist.write_csv(out, dl)
        else:
            duelist.write_text(fitted(out), dl, as_at, within, group_by, _calendar_of(rules),
                               judged.text_lines(not_applied, rules))
    report_errors(run.errors)
    run.report_warnings()
    # due exits by the list it shows: 1 when it holds an overdue breach (after --worker/--team)
    return EXIT_INPUT if errors else EXIT_BREACH if dl.overdue.breaches else EXIT_OK


def _calendar_of(rules):
    """The calendar the window is worked in when the rules share one, else the default one."""
    cals = {id(r.calendar): r.calendar for r in rules}
    return next(iter(cals.values())) if len(cals) == 1 else default_calendar()


def run_report(paths, inputs: CaseInputs, by, overall, output) -> int:
    refuse_output_among_inputs(output, run_inputs(paths, inputs.rules_paths, inputs.exceptions_paths))
    as_at = inputs.date
    run, cases, findings = load_and_replay(paths, inputs)
    rules, errors = run.rules, run.errors
    groups = summary.groupings(by, overall)
    summary.check_levels(groups, (c.attrs for c in cases))
    with output_stream(output) as out, progress.steps("writing the report", len(cases)) as advance:
        for part in htmlreport.report_parts(cases, rules, findings, as_at, errors, groups, advance,
                                            run.rules_not_applied(as_at, len(cases))):
            out.write(part)
    return _finish(run)
