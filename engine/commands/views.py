"""The views for each user: chronology (investigators), summary (auditors), due (managers), report.

Every view is made from the Findings of casecheck.replay.check; nothing evaluates rules again."""

from __future__ import annotations

import datetime as dt

import click

from ..replay import check, progress
from ..views import chronology, htmlpage, htmlreport, summary
from ..views import due as duelist
from .common import (EXIT_INPUT, exit_status, load_inputs, output_stream, report_errors)


def run_chronology(case_file, case_id, rules_paths, as_at, fmt, ids, show_all, output, judge_unrecordable=False) -> int:
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs([case_file], rules_paths, judge_unrecordable=judge_unrecordable)
    if case_id is not None:
        chosen = [c for c in cases if c.id == case_id]
        if not chosen:
            report_errors(errors)
            have = ", ".join(c.id for c in cases) or "none that could be read"
            raise click.UsageError(f"no case {case_id!r} in {case_file} (cases: {have})")
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
    findings = check([case], rules, as_at)
    c = chronology.build(case, findings, rules, as_at, ids=ids, show_all=show_all)
    with output_stream(output) as out:
        out.write(chronology.html(c) if fmt == "html" else chronology.markdown(c))
    report_errors(errors)
    return (exit_status(findings, errors))


def _warn_unknown_levels(by, cases) -> None:
    known = {"rule", "month"} | {k for c in cases for k in c.attrs}
    for level in sorted({lv for levels in by for lv in levels} - known):
        click.echo(f"casecheck: note: no case has the attribute {level!r}; its group is {summary.NONE}", err=True)


def run_summary(paths, rules_paths, as_at, by, fmt, output, judge_unrecordable=False) -> int:
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx writes a workbook: give it a file with --output FILE.xlsx")
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs(paths, rules_paths, judge_unrecordable=judge_unrecordable)
    findings = progress.check_cases(cases, rules, as_at)
    groups = summary.groupings(by)
    _warn_unknown_levels(groups, cases)
    if fmt == "xlsx":
        with progress.steps("writing the workbook", len(findings)) as advance:
            summary.write_xlsx(output, findings, groups, as_at, advance)
    else:
        with output_stream(output, newline="" if fmt == "csv" else None) as out:
            if fmt == "csv":
                summary.write_csv(out, findings, groups)
            elif fmt == "html":
                title = f"casecheck compliance as at {as_at}"
                out.write(htmlpage.page(title, f"<h1>{htmlpage.esc(title)}</h1>\n" + summary.html_tables(findings, groups)))
            else:
                summary.write_text(out, findings, groups, as_at, len(cases))
    report_errors(errors)
    return (exit_status(findings, errors))


def run_due(paths, within, rules_paths, as_at, fmt, output, judge_unrecordable=False) -> int:
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs(paths, rules_paths, judge_unrecordable=judge_unrecordable)
    findings = progress.check_cases(cases, rules, as_at)
    items = duelist.due_list(findings, as_at, within)
    with output_stream(output, newline="" if fmt == "csv" else None) as out:
        if fmt == "json":
            duelist.write_json(out, items, as_at, within, errors)
        elif fmt == "csv":
            duelist.write_csv(out, items)
        else:
            duelist.write_text(out, items, as_at, within)
    report_errors(errors)
    return (exit_status(findings, errors))


def run_report(paths, rules_paths, as_at, by, output, judge_unrecordable=False) -> int:
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs(paths, rules_paths, judge_unrecordable=judge_unrecordable)
    findings = progress.check_cases(cases, rules, as_at)
    groups = summary.groupings(by)
    _warn_unknown_levels(groups, cases)
    with output_stream(output) as out, progress.steps("writing the report", len(cases)) as advance:
        for part in htmlreport.report_parts(cases, rules, findings, as_at, errors, groups, advance):
            out.write(part)
    report_errors(errors)
    return (exit_status(findings, errors))
