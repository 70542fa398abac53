"""The `casecheck` command (SPEC §3).

Exit status, for every command: 0 no breach, 1 a breach of a `breach`-severity rule,
2 some input could not be read (or the command line was wrong).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import difflib
import json
import os
import sys

import click

from casecheck.inputs import bundled
from casecheck.views import chronology
from casecheck.views import due as duelist
from casecheck.views import htmlpage
from casecheck.views import htmlreport
from casecheck.replay import progress
from casecheck.views import summary
from casecheck.inputs.cases import load_cases, needs_importer
from casecheck.views.convert import write_event_log, write_yaml
from casecheck.dates import (CALENDAR_NAMES, DEFAULT_CALENDAR, calendar_for, days_between, describe_due, due_date,
                          parse_date, parse_duration)
from casecheck.rules.examples import run_examples
from casecheck.rules.explain import explain as explain_rule
from casecheck.rules.explain import library_markdown
from casecheck.rules.explain import window as window_text
from casecheck.inputs.importers import FORMATS
from casecheck.rules.lint import lint_cases, lint_rules, unanswerable
from casecheck.model import InputError
from casecheck.replay import check
from casecheck.views.findings import spreadsheet_writer, write_csv, write_json, write_text
from casecheck.rules.load import load_rules
from casecheck.replay.stream import StreamResult, WorkerDied, check_paths

EXIT_OK, EXIT_BREACH, EXIT_INPUT = 0, 1, 2
PARALLEL_FROM_BYTES = 4 << 20  # by default, smaller inputs are checked in one process


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
        except ValueError as e:
            self.fail(str(e), param, ctx)


class DurationParam(click.ParamType):
    name = "DURATION"

    def convert(self, value, param, ctx):
        try:
            return parse_duration(value)
        except ValueError as e:
            self.fail(str(e), param, ctx)


def paths_argument(f):
    return click.argument("paths", nargs=-1, type=click.Path())(f)


def rules_option(f):
    return click.option("--rules", "rules_paths", multiple=True, type=click.Path(), metavar="PATH",
                        help="Rule file or folder; repeat for more. Default: the bundled rules/.")(f)


def as_at_option(f):
    return click.option("--as-at", type=DateParam(), default=None,
                        help="Check as on this date: later events are ignored, open deadlines "
                             "are judged against it. Default: today.")(f)


def output_option(f):
    return click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
                        help="Write to this file instead of standard output.")(f)


def input_format_option(f):
    return click.option("--input-format", type=click.Choice(FORMATS), default=None,
                        help="Read every input as this format instead of telling by content: an Annex A "
                             "workbook, a CIN census XML, SSDA903 CSV tables, or ordinary case files.")(f)


def load_rules_or_bundled(rules_paths):
    """Rules from the given paths, or the bundled rules/; plus every error reading them."""
    return load_rules(rules_paths or [str(bundled.rules_dir())])


def load_inputs(paths, rules_paths, input_format=None):
    """Rules and cases from the given paths, or the bundled ones; plus every input error."""
    rules, rule_errors = load_rules_or_bundled(rules_paths)
    notes = []
    cases, case_errors = load_cases(paths or [str(bundled.cases_dir())], input_format, notes)
    report_notes(notes)
    return cases, rules, rule_errors + case_errors


def report_notes(notes: list[InputError]) -> None:
    """Warnings about inputs that were still read (columns not understood, duplicate rows, ...)."""
    for n in notes:
        click.echo(f"casecheck: warning: {n}", err=True)


def exit_code(errors, breach: bool) -> int:
    """2 when an input could not be read, else 1 when a `breach`-severity rule was breached, else 0."""
    return EXIT_INPUT if errors else EXIT_BREACH if breach else EXIT_OK


def exit_status(findings, errors) -> int:
    return exit_code(errors, any(f.fails_check for f in findings))


def report_errors(errors: list[InputError]) -> None:
    for e in errors:
        click.echo(f"casecheck: {e}", err=True)


@contextlib.contextmanager
def output_stream(path, newline=None):
    """Standard output, or the file named by --output (closed afterwards)."""
    if path is None:
        yield sys.stdout
        return
    with open(path, "w", encoding="utf-8", newline=newline) as out:
        yield out


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="casecheck")
def main():
    """Replay case timelines against timescale rules and report every breach.

    \b
    Start with:
      casecheck check                             the bundled example cases and rules
      casecheck check cases/ --as-at 2024-10-14 --format json
    \b
    For each user:
      casecheck chronology CASE_FILE              investigators: one case, breach by breach
      casecheck summary PATHS --by team           auditors: compliance per rule, team, month
      casecheck due PATHS --within "10 working days"   managers: overdue and due soon
    \b
    Exit status, every command: 0 no breach, 1 a breach (or a failing rule test or lint
    warning), 2 an input could not be read or the command line was wrong.
    """


@main.command("check", short_help="Check cases against rules; report breaches with their evidence.")
@paths_argument
@rules_option
@as_at_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text for people, json for programs (SPEC §4), csv for spreadsheets.")
@click.option("--all", "show_all", is_flag=True, help="Report every finding (met, due, withdrawn too), not only breaches.")
@output_option
@input_format_option
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Check cases in N processes (default: the number of cores, for inputs over "
                   "4 MB). Results are identical to --workers 1, in the same order.")
@click.option("--dask", "dask_address", default=None, metavar="SCHEDULER_ADDRESS",
              help="Check cases on an existing Dask cluster (e.g. tcp://10.0.0.5:8786) instead of "
                   "local processes; needs the `dask` extra.")
def check_command(paths, rules_paths, as_at, fmt, show_all, output, input_format, workers, dask_address):
    """Check case files against rules and report breaches with their evidence.

    PATHS are case files (.yaml, .yml, .json, .csv event logs) or folders of them, and the
    data councils already hold: Annex A workbooks (.xlsx), CIN census XML, folders of SSDA903
    CSV tables (see --input-format). With none, the bundled example cases are checked.

    A CSV event log whose rows are grouped by case is checked case by case in bounded memory;
    an ungrouped one still works, at the memory cost of holding it whole. Council returns are
    read whole.

    \b
    Examples:
      casecheck check cases/york-23-011-844.yaml --as-at 2024-10-14
      casecheck check exports/ --rules rules/ --rules my-council.yaml --format csv -o findings.csv
      casecheck check annex_a.xlsx --as-at 2024-03-31
      casecheck check national-log.csv --workers 8 --format csv -o findings.csv

    Exit status: 0 no breach; 1 a breach of a rule of severity `breach`; 2 an input could
    not be read (each named with its file and line; every readable case is still checked),
    or a worker process died.
    """
    as_at = as_at or dt.date.today()
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
            sys.exit(EXIT_INPUT)
    errors = errors + result.errors
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
    sys.exit(exit_code(errors, result.breach))


# --- Views for each user: chronology (investigators), summary (auditors), due (managers), report.
# Every view is made from the Findings of casecheck.replay.check; nothing evaluates rules again.


@main.command("chronology")
@click.argument("case_file", type=click.Path())
@click.option("--case", "case_id", default=None, metavar="ID", help="The case to show, when CASE_FILE holds several.")
@rules_option
@as_at_option
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True,
              help="markdown to paste into a report, html for a page of its own.")
@click.option("--ids", is_flag=True, help="Show internal identifiers: case and rule ids and linking attributes.")
@click.option("--all", "show_all", is_flag=True, help="Place every finding (met, due, withdrawn too), not only breaches.")
@output_option
def chronology_command(case_file, case_id, rules_paths, as_at, fmt, ids, show_all, output):
    """A dated chronology of one case, for complaint investigators.

    Every event in date order, each breach placed at its due date with its standard and
    citation, and a drift summary at the top: breaches by standard, the longest overdue item,
    the longest gap with no recorded activity, and how long each plan ran against its limit.

    \b
    Examples:
      casecheck chronology cases/york-23-011-844.yaml --as-at 2024-10-14
      casecheck chronology cases/fictional-cin.yaml --case FIC-0002 --format html -o fic-0002.html

    Exit status: 0 no breach; 1 a breach of a rule of severity `breach`; 2 an input could
    not be read, or CASE_FILE holds several cases and --case was not given.
    """
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs([case_file], rules_paths)
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
        sys.exit(EXIT_INPUT)
    [case] = chosen
    findings = check([case], rules, as_at)
    c = chronology.build(case, findings, rules, as_at, ids=ids, show_all=show_all)
    with output_stream(output) as out:
        out.write(chronology.html(c) if fmt == "html" else chronology.markdown(c))
    report_errors(errors)
    sys.exit(exit_status(findings, errors))


def by_option(f):
    return click.option("--by", "by", multiple=True, metavar="LEVEL",
                        help="Group by `team`, `worker` or any case attribute, or `month` (of the due date); "
                             "repeat for one grouping each, or join levels with commas to nest them "
                             "(--by team,month). `rule` is always one level.")(f)


def _warn_unknown_levels(by, cases) -> None:
    known = {"rule", "month"} | {k for c in cases for k in c.attrs}
    for level in sorted({lv for levels in by for lv in levels} - known):
        click.echo(f"casecheck: note: no case has the attribute {level!r}; its group is {summary.NONE}", err=True)


@main.command("summary")
@paths_argument
@rules_option
@as_at_option
@by_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "xlsx", "html"]), default="text",
              show_default=True, help="text for the terminal, csv or xlsx for spreadsheets (xlsx needs --output), "
                                      "html for a page.")
@output_option
def summary_command(paths, rules_paths, as_at, by, fmt, output):
    """Compliance per rule over a cohort of cases, for auditors.

    Per rule (and per group): findings, owed (met + breaches), met, late, missing, exceeded,
    due, withdrawn, compliance = met / owed, and the median and 90th percentile of days late
    (linear interpolation between ranks, as Excel's PERCENTILE.INC). PATHS as for `check`.

    \b
    Examples:
      casecheck summary cases/ --as-at 2026-11-24
      casecheck summary exports/ --by team --by month --format xlsx -o compliance.xlsx
      casecheck summary exports/ --by team,worker --format csv

    Exit status: as for `check` (0 no breach; 1 a breach; 2 an input could not be read).
    """
    if fmt == "xlsx" and not output:
        raise click.UsageError("--format xlsx writes a workbook: give it a file with --output FILE.xlsx")
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs(paths, rules_paths)
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
    sys.exit(exit_status(findings, errors))


@main.command("due")
@paths_argument
@click.option("--within", type=DurationParam(), default="10 working days", show_default=True,
              help="The window ahead of the as-at date: '10 working days', '2 weeks', '1 month'.")
@rules_option
@as_at_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True,
              help="text for people, csv for spreadsheets, json for programs.")
@output_option
def due_command(paths, within, rules_paths, as_at, fmt, output):
    """What falls due soon and what is already overdue, for managers.

    Overdue: breaches still open at the as-at date (missing, exceeded), most overdue first.
    Due: deadlines not yet passed that fall within --within of the as-at date (working days in
    each rule's calendar), soonest first. Each line names the case, worker and team.

    \b
    Examples:
      casecheck due cases/ --as-at 2026-11-24
      casecheck due exports/ --within "2 weeks" --format csv -o due.csv

    Exit status: as for `check` (0 no breach; 1 a breach; 2 an input could not be read).
    """
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs(paths, rules_paths)
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
    sys.exit(exit_status(findings, errors))


@main.command("report")
@paths_argument
@rules_option
@as_at_option
@by_option
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, writable=True),
              help="The HTML file to write.")
def report_command(paths, rules_paths, as_at, by, output):
    """One self-contained HTML report: cohort summary, and per case a timeline and chronology.

    The file has no scripts and fetches nothing (inline CSS and SVG only), so it can be mailed
    or kept on a shared drive. Each case's timeline shows events on a date axis and each
    obligation as a bar from trigger to due date, the late part hatched, with a table of the
    same findings beside it.

    \b
    Examples:
      casecheck report cases/ --as-at 2026-11-24 -o report.html
      casecheck report exports/ --by team -o team-report.html

    Exit status: as for `check` (0 no breach; 1 a breach; 2 an input could not be read).
    """
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs(paths, rules_paths)
    findings = progress.check_cases(cases, rules, as_at)
    groups = summary.groupings(by)
    _warn_unknown_levels(groups, cases)
    with output_stream(output) as out, progress.steps("writing the report", len(cases)) as advance:
        for part in htmlreport.report_parts(cases, rules, findings, as_at, errors, groups, advance):
            out.write(part)
    report_errors(errors)
    sys.exit(exit_status(findings, errors))


# --- casecheck rules: list, lint, explain, test -------------------------------------------------

@main.group("rules")
def rules_group():
    """List, lint, explain and test rules.

    \b
    Examples:
      casecheck rules list
      casecheck rules explain YORK-MINUTES-15WD
      casecheck rules test rules/my-council.yaml
      casecheck rules lint exports/ --rules my-council.yaml
    """


@rules_group.command("list")
@rules_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json", "markdown"]), default="text",
              show_default=True, help="markdown: every rule explained with its examples (docs/library.md).")
@output_option
def rules_list(rules_paths, fmt, output):
    """Every loaded rule: id, title, kind, window, severity and citation.

    \b
    Examples:
      casecheck rules list --format csv -o rules.csv
      casecheck rules list --format markdown > docs/library.md
    """
    rules, errors = load_rules_or_bundled(rules_paths)
    if fmt == "markdown":
        with output_stream(output) as out:
            out.write(library_markdown(rules))
        report_errors(errors)
        sys.exit(EXIT_INPUT if errors else EXIT_OK)
    rows = [{"id": r.id, "ruleset": r.ruleset.name, "title": r.title, "kind": r.kind, "window": window_text(r),
             "severity": r.severity, "cite": r.cite} for r in rules]
    with output_stream(output, newline="" if fmt == "csv" else None) as out:
        if fmt == "json":
            json.dump(rows, out, indent=2, ensure_ascii=False)
            out.write("\n")
        elif fmt == "csv":
            w = spreadsheet_writer(out, list(rows[0]) if rows else ["id"])
            w.writeheader()
            w.writerows(rows)
        else:
            current = None
            for r, row in zip(rules, rows):
                if r.ruleset.name != current:
                    out.write(("\n" if current is not None else "") + f"{r.ruleset.title} ({r.ruleset.name})\n")
                    current = r.ruleset.name
                sev = " [warning]" if r.severity == "warning" else ""
                out.write(f"  {r.id}{sev}: {r.title}\n    {r.kind}, {row['window']}; {r.cite}\n")
    report_errors(errors)
    sys.exit(EXIT_INPUT if errors else EXIT_OK)


@rules_group.command("explain")
@click.argument("rule_id")
@rules_option
def rules_explain(rule_id, rules_paths):
    """A rule in plain English, with its exact due-date arithmetic.

    \b
    Example:
      casecheck rules explain YORK-MINUTES-15WD
    """
    rules, errors = load_rules_or_bundled(rules_paths)
    found = [r for r in rules if r.id == rule_id]
    if not found:
        close = difflib.get_close_matches(rule_id, [r.id for r in rules], n=3)
        report_errors(errors)
        raise click.UsageError(f"no rule {rule_id!r}" + (f"; did you mean {', '.join(close)}?" if close else
                                                          "; `casecheck rules list` shows them all"))
    click.echo(explain_rule(found[0]))
    report_errors(errors)
    sys.exit(EXIT_INPUT if errors else EXIT_OK)


@rules_group.command("test")
@click.argument("rule_files", nargs=-1, type=click.Path())
@click.option("--verbose", "-v", is_flag=True, help="Show passing examples too.")
def rules_test(rule_files, verbose):
    """Run the examples each rule carries, like a test runner.

    RULE_FILES are rule files or folders; with none, the bundled rules/. Every example's
    timeline is replayed against its own rule and its findings compared with the expected ones.

    \b
    Example:
      casecheck rules test rules/my-council.yaml

    Exit status: 0 all examples pass; 1 an example fails; 2 a rule file could not be read.
    """
    rules, errors = load_rules_or_bundled(rule_files)
    results = run_examples(rules)
    failed = [r for r in results if not r.passed]
    for res in results:
        where = f"{res.rule.file}:{res.line}" if res.line else res.rule.file
        if res.passed:
            if verbose:
                click.echo(f"PASS {res.rule.id}: {res.name}")
            continue
        click.echo(f"FAIL {res.rule.id}: {res.name} ({where})")
        if res.error:
            click.echo(f"     example is malformed: {res.error}")
            continue
        click.echo("     expected: " + _facts(res.expected))
        click.echo("     actual:   " + _facts(res.actual))
    untested = [r.id for r in rules if not r.examples]
    if untested:
        click.echo(f"{len(untested)} rule{'s' if len(untested) != 1 else ''} without examples: {', '.join(untested)}")
    report_errors(errors)
    click.echo(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    sys.exit(EXIT_INPUT if errors else EXIT_BREACH if failed else EXIT_OK)


def _facts(findings) -> str:
    if not findings:
        return "no finding"
    return "; ".join(", ".join(f"{k} {v}" for k, v in f.items()) for f in findings)


@rules_group.command("lint")
@paths_argument
@rules_option
def rules_lint(paths, rules_paths):
    """Check rules (and case files) for likely mistakes, with file and line.

    Errors are what `check` would refuse; warnings point at likely mistakes that do not stop a
    check: an event name outside the vocabulary (docs/events.md), a rule whose trigger is also
    its expect, two rules judging the same thing, a rule with no citation or no examples.
    PATHS are case files or folders whose event names are checked too (default: bundled cases/).

    \b
    Example:
      casecheck rules lint exports/ --rules my-council.yaml

    Exit status: 0 clean; 1 warnings only; 2 errors.
    """
    cases, rules, errors = load_inputs(paths, rules_paths)
    warnings = lint_rules(rules) + lint_cases(cases)
    for e in errors:
        click.echo(f"error: {e}")
    for w in warnings:
        click.echo(f"warning: {w}")
    click.echo(f"{len(rules)} rules, {len(cases)} cases: {len(errors)} errors, {len(warnings)} warnings")
    sys.exit(EXIT_INPUT if errors else EXIT_BREACH if warnings else EXIT_OK)


# --- casecheck calendar: the arithmetic an investigator checks by hand --------------------------

def calendar_option(f):
    return click.option("--calendar", "calendar_name", type=click.Choice(CALENDAR_NAMES), default=DEFAULT_CALENDAR,
                        show_default=True, help="Which bank holidays are not working days.")(f)


@main.group("calendar")
def calendar_group():
    """Due dates and working days, worked out the way the rules do.

    \b
    Examples:
      casecheck calendar add 2022-02-15 "15 working days"
      casecheck calendar between 2022-03-08 2022-04-12
    """


@calendar_group.command("add")
@click.argument("start", type=DateParam())
@click.argument("duration", type=DurationParam())
@click.option("--beginning-with", is_flag=True, help="Count the start date as day 1 (statutes that say 'beginning with').")
@calendar_option
def calendar_add(start, duration, beginning_with, calendar_name):
    """The due date DURATION after START, and how it was reached.

    \b
    Example:
      casecheck calendar add 2022-02-15 "15 working days"
    """
    cal = calendar_for(calendar_name)
    due = due_date(start, duration, cal, beginning_with)
    click.echo(f"{due.isoformat()} ({due:%A} {due.day} {due:%B %Y})")
    click.echo(f"= {describe_due(duration, cal, beginning_with, 'the start')}, starting from {start} ({start:%A}).")
    if duration.unit == "working_days":
        skipped = cal.holidays_between(start, due)
        if skipped:
            click.echo("Bank holidays skipped: " + ", ".join(f"{d} ({d:%a})" for d in skipped))


@calendar_group.command("between")
@click.argument("start", type=DateParam())
@click.argument("end", type=DateParam())
@calendar_option
def calendar_between(start, end, calendar_name):
    """Calendar days and working days from START to END.

    Working days are counted strictly after START up to and including END, as `days late` is.

    \b
    Example:
      casecheck calendar between 2022-03-08 2022-04-12
    """
    cal = calendar_for(calendar_name)
    click.echo(f"{days_between(start, end)} calendar days, {cal.working_days_between(start, end)} working days "
               f"from {start} ({start:%a}) to {end} ({end:%a}).")
    lo, hi = min(start, end), max(start, end)
    skipped = cal.holidays_between(lo, hi)
    if skipped:
        click.echo("Bank holidays in between: " + ", ".join(f"{d} ({d:%a})" for d in skipped))


@main.command("convert", short_help="Write what was read from any source as case files (csv or yaml).")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@click.option("--to", "to", type=click.Choice(["csv", "yaml"]), required=True,
              help="csv: a SPEC event log (case, date, type, attributes); yaml: SPEC case files, "
                   "with case attributes such as team and worker.")
@output_option
@input_format_option
def convert_command(sources, to, output, input_format):
    """Write the timelines read from SOURCES as case files, to inspect and correct them.

    SOURCES are anything `check` reads: an Annex A workbook, a CIN census XML file, a folder of
    SSDA903 CSV tables, or case files. Checking the converted file gives the same findings as
    checking the sources.

    \b
    Examples:
      casecheck convert annex_a.xlsx --to yaml -o timelines.yaml
      casecheck convert 903/ --to csv -o events.csv

    Exit status: 0 all read; 2 some input could not be read (each named on stderr; the rest is
    still written).
    """
    notes = []
    cases, errors = load_cases(sources, input_format, notes)
    with output_stream(output, newline="" if to == "csv" else None) as out:
        if to == "csv":
            write_event_log(out, cases)
        else:
            write_yaml(out, cases, notes + errors)
    if to == "csv" and any(c.attrs for c in cases):
        notes.append(InputError("convert", None, "case attributes (team, worker, ...) have no place in a CSV "
                                                 "event log and were left out; use --to yaml to keep them"))
    report_notes(notes)
    report_errors(errors)
    sys.exit(EXIT_INPUT if errors else EXIT_OK)


if __name__ == "__main__":
    main()
