"""The `casecheck` command (SPEC §3).

Exit status, for every command: 0 no breach, 1 a breach of a `breach`-severity rule,
2 some input could not be read (or the command line was wrong).
"""

from __future__ import annotations

import datetime as dt
import sys

import click

from casecheck.commands import calendar, check, common, convert, rulebook, views
from casecheck.dates import CALENDAR_NAMES, DEFAULT_CALENDAR, parse_date, parse_duration
from casecheck.inputs.importers import FORMATS


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
                        help="Rule file or folder; repeat for more; `bundled` is the library that ships with "
                             "casecheck (--rules bundled --rules ours/). Default: the settings file's rules, "
                             "else the bundled library.")(f)


def as_at_option(f):
    return click.option("--as-at", type=DateParam(), default=None,
                        help="Check as on this date: later events are ignored, open deadlines "
                             "are judged against it. Default: today.")(f)


def output_option(f):
    return click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
                        help="Write to this file instead of standard output.")(f)


def _store_table(ctx, param, value):
    # Kept where inputs.database.chosen_tables finds them: every reader of cases sees them.
    from casecheck.inputs.files import TABLES_KEY
    if value is not None:
        ctx.meta.setdefault(TABLES_KEY, {})[param.name] = value


def tables_options(f):
    f = click.option("--cases-table", default=None, metavar="NAME", expose_value=False, callback=_store_table,
                     help="In a database: read case attributes from this table or view (default "
                          "casecheck_cases, where present).")(f)
    return click.option("--events-table", default=None, metavar="NAME", expose_value=False, callback=_store_table,
                        help="In a database: read events from this table or view, SCHEMA.NAME in another "
                             "schema (default casecheck_events, else the Standard Safeguarding Dataset's ssd_ "
                             "tables).")(f)


def input_format_option(f):
    return click.option("--input-format", type=click.Choice(FORMATS), default=None,
                        help="Read every input as this format instead of telling by content: an Annex A "
                             "workbook, a CIN census XML, SSDA903 CSV tables, or ordinary case files.")(f)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="casecheck")
@click.option("--settings", "settings_path", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Read defaults from FILE instead of ./casecheck.toml (or [tool.casecheck] in ./pyproject.toml).")
@click.pass_context
def main(ctx, settings_path):
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

    Defaults (rules, exceptions registers, calendar, output format) can be set for a council in
    ./casecheck.toml or [tool.casecheck] in ./pyproject.toml; see the README.
    """
    settings = common.load_settings(settings_path)
    ctx.obj = settings
    ctx.default_map = common.format_defaults(settings, main)


@main.command("check", short_help="Check cases against rules; report breaches with their evidence.")
@paths_argument
@tables_options
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
    CSV tables (see --input-format), database URLs (sqlite:///cases.db, postgresql://user@host/db:
    table casecheck_events, or the Standard Safeguarding Dataset). With none, the bundled
    example cases are checked. --output may be a database URL: the run and its findings are
    appended to tables casecheck_runs and casecheck_findings.

    A CSV event log whose rows are grouped by case is checked case by case in bounded memory;
    an ungrouped one still works, at the memory cost of holding it whole. Council returns are
    read whole.

    \b
    Examples:
      casecheck check cases/york-23-011-844.yaml --as-at 2024-10-14
      casecheck check exports/ --rules rules/ --rules my-council.yaml --format csv -o findings.csv
      casecheck check annex_a.xlsx --as-at 2024-03-31
      casecheck check national-log.csv --workers 8 --format csv -o findings.csv
      casecheck check postgresql://audit@db/ssd --as-at 2024-03-31 -o sqlite:///findings.db

    Exit status: 0 no breach; 1 a breach of a rule of severity `breach`; 2 an input could
    not be read (each named with its file and line; every readable case is still checked),
    or a worker process died.
    """
    sys.exit(check.run_check(paths, rules_paths, as_at, fmt, show_all, output, input_format, workers, dask_address))


# --- Views for each user: chronology (investigators), summary (auditors), due (managers), report.
# Every view is made from the Findings of casecheck.replay.check; nothing evaluates rules again.


@main.command("chronology")
@click.argument("case_file", type=click.Path())
@tables_options
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
    sys.exit(views.run_chronology(case_file, case_id, rules_paths, as_at, fmt, ids, show_all, output))


def by_option(f):
    return click.option("--by", "by", multiple=True, metavar="LEVEL",
                        help="Group by `team`, `worker` or any case attribute, or `month` (of the due date); "
                             "repeat for one grouping each, or join levels with commas to nest them "
                             "(--by team,month). `rule` is always one level.")(f)


@main.command("summary")
@paths_argument
@tables_options
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
    sys.exit(views.run_summary(paths, rules_paths, as_at, by, fmt, output))


@main.command("due")
@paths_argument
@tables_options
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
    sys.exit(views.run_due(paths, within, rules_paths, as_at, fmt, output))


@main.command("report")
@paths_argument
@tables_options
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
    sys.exit(views.run_report(paths, rules_paths, as_at, by, output))


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
    sys.exit(rulebook.run_list(rules_paths, fmt, output))


@rules_group.command("explain")
@click.argument("rule_id")
@rules_option
def rules_explain(rule_id, rules_paths):
    """A rule in plain English, with its exact due-date arithmetic.

    \b
    Example:
      casecheck rules explain YORK-MINUTES-15WD
    """
    sys.exit(rulebook.run_explain(rule_id, rules_paths))


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
    sys.exit(rulebook.run_test(rule_files, verbose))


@rules_group.command("lint")
@paths_argument
@tables_options
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
    sys.exit(rulebook.run_lint(paths, rules_paths))


# --- casecheck calendar: the arithmetic an investigator checks by hand --------------------------

def calendar_option(f):
    return click.option("--calendar", "calendar_name", type=click.Choice(CALENDAR_NAMES), default=None,
                        help="Which bank holidays are not working days. Default: the settings file's "
                             f"calendar (with its closure days), else {DEFAULT_CALENDAR}.")(f)


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
    sys.exit(calendar.calendar_add(start, duration, beginning_with, calendar_name))


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
    sys.exit(calendar.calendar_between(start, end, calendar_name))


@main.command("convert", short_help="Write what was read from any source as case files (csv or yaml).")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@tables_options
@click.option("--to", "to", type=click.Choice(["csv", "yaml"]), required=True,
              help="csv: a SPEC event log (case, date, type, attributes), and with --output FILE its case "
                   "attributes (team, worker) in a case table FILE.cases.csv beside it; yaml: SPEC case "
                   "files, with their case attributes.")
@output_option
@input_format_option
def convert_command(sources, to, output, input_format):
    """Write the timelines read from SOURCES as case files, to inspect and correct them.

    SOURCES are anything `check` reads: an Annex A workbook, a CIN census XML file, a folder of
    SSDA903 CSV tables, or case files. Checking the converted file (for csv, the event log and
    its case table together, or the folder holding them) gives the same findings as checking the
    sources.

    \b
    Examples:
      casecheck convert annex_a.xlsx --to yaml -o timelines.yaml
      casecheck convert 903/ --to csv -o events.csv

    Exit status: 0 all read; 2 some input could not be read (each named on stderr; the rest is
    still written).
    """
    sys.exit(convert.run_convert(sources, to, output, input_format))


if __name__ == "__main__":
    main()
