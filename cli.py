"""The `casecheck` command (SPEC §3).

Exit status, for every command: 0 no breach, 1 a breach of a `breach`-severity rule,
2 some input could not be read (or the command line was wrong).
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from engine import bundled
from engine.caseload import load_cases
from engine.convert import write_event_log, write_yaml
from engine.dates import parse_date
from engine.importers import FORMATS
from engine.model import BREACHES, InputError
from engine.replay import check
from engine.report import write_csv, write_json, write_text
from engine.ruleload import load_rules

EXIT_OK, EXIT_BREACH, EXIT_INPUT = 0, 1, 2


class DateParam(click.ParamType):
    name = "YYYY-MM-DD"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return parse_date(value)
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


def load_inputs(paths, rules_paths, input_format=None):
    """Rules and cases from the given paths, or the bundled ones; plus every input error."""
    rules, rule_errors = load_rules(rules_paths or [str(bundled.rules_dir())])
    notes = []
    cases, case_errors = load_cases(paths or [str(bundled.cases_dir())], input_format, notes)
    report_notes(notes)
    return cases, rules, rule_errors + case_errors


def report_notes(notes: list[InputError]) -> None:
    """Warnings about inputs that were still read (columns not understood, duplicate rows, ...)."""
    for n in notes:
        click.echo(f"casecheck: warning: {n}", err=True)


def exit_status(findings, errors) -> int:
    if errors:
        return EXIT_INPUT
    if any(f.status in BREACHES and f.rule.severity == "breach" for f in findings):
        return EXIT_BREACH
    return EXIT_OK


def report_errors(errors: list[InputError]) -> None:
    for e in errors:
        click.echo(f"casecheck: {e}", err=True)


def open_output(path, newline=None):
    if path is None:
        return sys.stdout, False
    return open(path, "w", encoding="utf-8", newline=newline), True


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="casecheck")
def main():
    """Replay case timelines against timescale rules and report every breach.

    \b
    Start with:
      casecheck check                      the bundled example cases and rules
      casecheck check cases/ --as-at 2024-10-14 --format json
    """


@main.command("check")
@paths_argument
@rules_option
@as_at_option
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text for people, json for programs (SPEC §4), csv for spreadsheets.")
@click.option("--all", "show_all", is_flag=True, help="Report every finding (met, due, withdrawn too), not only breaches.")
@output_option
@input_format_option
def check_command(paths, rules_paths, as_at, fmt, show_all, output, input_format):
    """Check case files against rules and report breaches with their evidence.

    PATHS are case files (.yaml, .yml, .json, .csv) or folders of them; with none, the
    bundled example cases are checked.

    \b
    Examples:
      casecheck check cases/york-23-011-844.yaml --as-at 2024-10-14
      casecheck check exports/ --rules rules/ --rules my-council.yaml --format csv -o findings.csv

    Exit status: 0 no breach; 1 a breach of a rule of severity `breach`; 2 an input could
    not be read (each named with its file and line; every readable case is still checked).
    """
    as_at = as_at or dt.date.today()
    cases, rules, errors = load_inputs(paths, rules_paths, input_format)
    findings = check(cases, rules, as_at)
    shown = findings if show_all else [f for f in findings if f.status in BREACHES]
    out, close = open_output(output, newline="" if fmt == "csv" else None)
    try:
        if fmt == "json":
            write_json(out, as_at, len(cases), shown, errors)
        elif fmt == "csv":
            write_csv(out, shown)
        else:
            write_text(out, as_at, len(cases), shown, color=not close and out.isatty(), shown_all=show_all)
    finally:
        if close:
            out.close()
    if fmt != "json" or close:
        report_errors(errors)
    sys.exit(exit_status(findings, errors))


@main.command("convert")
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
    out, close = open_output(output, newline="" if to == "csv" else None)
    try:
        if to == "csv":
            write_event_log(out, cases)
        else:
            write_yaml(out, cases, notes + errors)
    finally:
        if close:
            out.close()
    if to == "csv" and any(c.attrs for c in cases):
        notes.append(InputError("convert", None, "case attributes (team, worker, ...) have no place in a CSV "
                                                 "event log and were left out; use --to yaml to keep them"))
    report_notes(notes)
    report_errors(errors)
    sys.exit(EXIT_INPUT if errors else EXIT_OK)


if __name__ == "__main__":
    main()
