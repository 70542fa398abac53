"""The `casecheck` command (SPEC §3).

Exit status, for every command: 0 no breach, 1 a breach of a `breach`-severity rule,
2 some input could not be read (or the command line was wrong).
"""

from __future__ import annotations

import datetime as dt
import os
import sys

import click

from engine import bundled
from engine.caseload import load_cases
from engine.dates import parse_date
from engine.model import BREACHES, InputError
from engine.replay import check
from engine.report import write_csv, write_json, write_text
from engine.ruleload import load_rules
from engine.stream import WorkerDied, check_paths

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


def load_inputs(paths, rules_paths):
    """Rules and cases from the given paths, or the bundled ones; plus every input error."""
    rules, rule_errors = load_rules(rules_paths or [str(bundled.rules_dir())])
    cases, case_errors = load_cases(paths or [str(bundled.cases_dir())])
    return cases, rules, rule_errors + case_errors


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
@click.option("--workers", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Check cases in N processes (default: the number of cores, for inputs over "
                   "4 MB). Results are identical to --workers 1, in the same order.")
@click.option("--dask", "dask_address", default=None, metavar="SCHEDULER_ADDRESS",
              help="Check cases on an existing Dask cluster (e.g. tcp://10.0.0.5:8786) instead of "
                   "local processes; needs the `dask` extra.")
def check_command(paths, rules_paths, as_at, fmt, show_all, output, workers, dask_address):
    """Check case files against rules and report breaches with their evidence.

    PATHS are case files (.yaml, .yml, .json, .csv) or folders of them; with none, the
    bundled example cases are checked. A CSV event log whose rows are grouped by case is
    checked case by case in bounded memory; an ungrouped one still works, at the memory
    cost of holding it whole.

    \b
    Examples:
      casecheck check cases/york-23-011-844.yaml --as-at 2024-10-14
      casecheck check exports/ --rules rules/ --rules my-council.yaml --format csv -o findings.csv
      casecheck check national-log.csv --workers 8 --format csv -o findings.csv

    Exit status: 0 no breach; 1 a breach of a rule of severity `breach`; 2 an input could
    not be read (each named with its file and line; every readable case is still checked),
    or a worker process died.
    """
    as_at = as_at or dt.date.today()
    rules, errors = load_rules(rules_paths or [str(bundled.rules_dir())])
    try:
        result = check_paths(paths or [str(bundled.cases_dir())], rules, as_at, keep_all=show_all,
                             workers=workers or os.cpu_count() or 1, dask_address=dask_address,
                             min_parallel_bytes=0 if workers else PARALLEL_FROM_BYTES)
    except WorkerDied as e:
        click.echo(f"casecheck: {e}; no findings were written", err=True)
        sys.exit(EXIT_INPUT)
    errors = errors + result.errors
    out, close = open_output(output, newline="" if fmt == "csv" else None)
    try:
        if fmt == "json":
            write_json(out, as_at, result.n_cases, result.findings, errors)
        elif fmt == "csv":
            write_csv(out, result.findings)
        else:
            write_text(out, as_at, result.n_cases, result.findings, color=not close and out.isatty(),
                       shown_all=show_all)
    finally:
        result.close()
        if close:
            out.close()
    if fmt != "json" or close:
        report_errors(errors)
    sys.exit(EXIT_INPUT if errors else EXIT_BREACH if result.breach else EXIT_OK)


if __name__ == "__main__":
    main()
