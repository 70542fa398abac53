"""The `casecheck` command (SPEC §3).

Exit status, for every command: 0 no breach, 1 a breach of a `breach`-severity rule,
2 some input could not be read (or the command line was wrong).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys

import click

from casecheck.commands import calendar, check, common, convert, diff, exceptions, rulebook, views
from casecheck.dates import CALENDAR_NAMES, DEFAULT_CALENDAR, parse_date, parse_duration
from casecheck.inputs.importers import FORMATS
from casecheck.views.due import GROUP_LEVELS as DUE_GROUP_LEVELS


MAX_WORKERS = 1024  # processes; more than any machine's cores, and each costs a process's memory


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


def checked_output(ctx, param, value):
    """--output is checked before any work: a missing or read-only folder is a usage error (exit 2)."""
    problem = common.check_output_path(value)
    if problem:
        raise click.BadParameter(problem, ctx, param)
    return value


def output_option(f):
    return click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, callback=checked_output,
                        help="Write to this file instead of standard output.")(f)


def exceptions_option(f):
    return click.option("--exceptions", "exceptions_paths", multiple=True, type=click.Path(), metavar="FILE",
                        help="Exceptions register (YAML or CSV; SPEC §5): breaches accepted with a reason are "
                             "reported as excused, counted apart and never fail the run. Repeat for more. "
                             "Default: the settings file's `exceptions`.")(f)


_DASK_ADDRESS = re.compile(r"^(?:(?:tcp|tls|ws|wss|ucx)://)?(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):\d{1,5}$")


def checked_dask_address(ctx, param, value):
    """A scheduler address is checked before a client is made (a malformed one leaves the client
    waiting on its own cleanup)."""
    if value is not None and not _DASK_ADDRESS.match(value):
        raise click.BadParameter(f"{value!r} is not a scheduler address like tcp://10.0.0.5:8786", ctx, param)
    return value


class GuardedGroup(click.Group):
    """The top-level command: whatever goes wrong, one line and exit 2, never a traceback, and
    never exit 1 (which scripts read as "a breach was found")."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.ClickException as e:
            e.exit_code = max(e.exit_code, common.EXIT_INPUT)  # click's own errors default to 1
            raise
        except (click.exceptions.Exit, click.exceptions.Abort, SystemExit, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # output piped into `head`: not an error of ours
            sys.stderr.close()
            ctx.exit(common.EXIT_INPUT)
        except Exception as e:  # noqa: BLE001 - the last line of defence, by design
            what = " ".join(str(e).split())[:300]
            click.echo(f"casecheck: internal error: {type(e).__name__}: {what} (please report)", err=True)
            ctx.exit(common.EXIT_INPUT)


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


def workers_option(f):
    return click.option("--workers", "-j", type=click.IntRange(min=1, max=MAX_WORKERS), default=None, metavar="N",
                        help="Check cases in N processes. check: default chosen by the input's size (one "
                             "process under 4 MB, or under 512 MB on 2 cores or fewer, else every core); the "
                             "views: default one process, N used from 2,000 cases. Results are identical to "
                             "--workers 1, in the same order.")(f)


def judge_unrecordable_option(f):
    return click.option("--judge-unrecordable", is_flag=True,
                        help="Judge council returns (Annex A, CIN census, SSDA903) by every rule, even rules "
                             "whose expected events the return cannot record (a 903 return holds no visits): "
                             "by default those are left out on its cases and named in a warning.")(f)


def case_inputs(f):
    """The options of every command that reads cases (check, chronology, summary, due, report),
    so that each reads its inputs the same way; the command gets them as one `inputs`."""
    @functools.wraps(f)
    def command(*args, rules_paths, as_at, input_format, workers, judge_unrecordable, exceptions_paths, **kwargs):
        return f(*args, inputs=common.CaseInputs(rules_paths, as_at, input_format, workers, judge_unrecordable,
                                                 exceptions_paths), **kwargs)
    for option in (exceptions_option, judge_unrecordable_option, workers_option, input_format_option, tables_options,
                   as_at_option, rules_option):
        command = option(command)
    return command


@click.group(cls=GuardedGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
      casecheck diff LAST.json THIS.json          what changed since the last run
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
@case_inputs
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text for people, json for programs (SPEC §4), csv for spreadsheets.")
@click.option("--all", "show_all", is_flag=True, help="Report every finding (met, due, withdrawn too), not only breaches.")
@output_option
@click.option("--dask", "dask_address", default=None, metavar="SCHEDULER_ADDRESS", callback=checked_dask_address,
              help="Check cases on an existing Dask cluster (e.g. tcp://10.0.0.5:8786) instead of "
                   "local processes; needs the `dask` extra.")
def check_command(paths, inputs, fmt, show_all, output, dask_address):
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
    sys.exit(check.run_check(paths, inputs.rules_paths, inputs.as_at, fmt, show_all, output, inputs.input_format,
                             inputs.workers, dask_address, inputs.judge_unrecordable, inputs.exceptions_paths))


# --- Views for each user: chronology (investigators), summary (auditors), due (managers), report.
# Every view is made from the Findings of casecheck.replay.check; nothing evaluates rules again.


@main.command("chronology")
@click.argument("case_file", type=click.Path())
@click.option("--case", "case_id", default=None, metavar="ID", help="The case to show, when CASE_FILE holds several.")
@case_inputs
@click.option("--format", "fmt", type=click.Choice(["markdown", "html"]), default="markdown", show_default=True,
              help="markdown to paste into a report, html for a page of its own.")
@click.option("--ids", is_flag=True, help="Show internal identifiers: case and rule ids and linking attributes.")
@click.option("--all", "show_all", is_flag=True, help="Place every finding (met, due, withdrawn too), not only breaches.")
@output_option
def chronology_command(case_file, case_id, inputs, fmt, ids, show_all, output):
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
    sys.exit(views.run_chronology(case_file, case_id, inputs, fmt, ids, show_all, output))


def by_option(f):
    f = click.option("--overall", is_flag=True,
                     help="Each --by grouping counts every rule together (overall compliance per team, "
                          "say) instead of adding `rule` as its last level.")(f)
    return click.option("--by", "by", multiple=True, metavar="LEVEL",
                        help="Group by `team` or `worker` (who held the case on the due date), `month` (of "
                             "the due date), or any case attribute; repeat for one grouping each, or join "
                             "levels with commas to nest them (--by team,month). `rule` is added as the last "
                             "level unless placed or --overall. An attribute no case has is refused.")(f)


@main.command("summary")
@paths_argument
@case_inputs
@by_option
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "xlsx", "html"]), default="text",
              show_default=True, help="text for the terminal, csv or xlsx for spreadsheets (xlsx needs --output), "
                                      "html for a page.")
@output_option
def summary_command(paths, inputs, by, overall, fmt, output):
    """Compliance per rule over a cohort of cases, for auditors.

    Per rule with its title (and per group), then a total row: findings, owed (met +
    breaches), met, late, missing, exceeded, due, withdrawn, compliance = met / owed (to 1
    decimal place), and the median and 90th percentile of days late (linear interpolation
    between ranks, as Excel's PERCENTILE.INC). Worker and team are who held the case on the
    due date. The xlsx workbook opens with a sheet stating the as-at date, the inputs and rules,
    and how compliance is computed. PATHS as for `check`.

    \b
    Examples:
      casecheck summary cases/ --as-at 2026-11-24
      casecheck summary exports/ --by team --by month --format xlsx -o compliance.xlsx
      casecheck summary exports/ --by team --overall        one compliance figure per team
      casecheck summary exports/ --by team,worker --format csv

    Exit status: as for `check` (0 no breach; 1 a breach; 2 an input could not be read).
    """
    sys.exit(views.run_summary(paths, inputs, by, overall, fmt, output))


@main.command("due")
@paths_argument
@click.option("--within", type=DurationParam(), default="10 working days", show_default=True,
              help="The window ahead of the as-at date: '10 working days', '2 weeks', '1 month'.")
@case_inputs
@click.option("--worker", "worker_filter", multiple=True, metavar="NAME",
              help="Only cases this worker held on the due date; repeat for several.")
@click.option("--team", "team_filter", multiple=True, metavar="NAME",
              help="Only cases this team held on the due date; repeat for several.")
@click.option("--group-by", type=click.Choice(DUE_GROUP_LEVELS), default=None,
              help="List each section worker by worker (or team by team), who held the case on the due date.")
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
              help="At most N items per section (per group with --group-by), then a count of the rest.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True,
              help="text for people, csv for spreadsheets, json for programs.")
@output_option
def due_command(paths, within, inputs, worker_filter, team_filter, group_by, limit, fmt, output):
    """What falls due soon and what is already overdue, for managers.

    Overdue: breaches still open at the as-at date (missing, exceeded), most overdue first.
    Paused: deadlines whose clock is stopped (not overdue), with the date it stopped.
    Due: deadlines not yet passed that fall within --within of the as-at date (working days in
    each rule's calendar), soonest first. Excused: open breaches an exceptions register accepts.
    Each line names the case, and the worker and team who held it on the due date (else the
    case's worker and team attributes). PATHS as for `check`.

    \b
    Examples:
      casecheck due cases/ --as-at 2026-11-24
      casecheck due exports/ --worker W-Amber --worker W-Rahim --limit 20
      casecheck due exports/ --team "CIN North" --group-by worker
      casecheck due exports/ --within "2 weeks" --format csv -o due.csv

    Exit status: as for `check` (0 no breach; 1 a breach; 2 an input could not be read).
    """
    sys.exit(views.run_due(paths, within, inputs, fmt, output, worker_filter, team_filter, group_by, limit))


@main.command("report")
@paths_argument
@case_inputs
@by_option
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), callback=checked_output,
              help="The HTML file to write.")
def report_command(paths, inputs, by, overall, output):
    """One self-contained HTML report for a cohort, breaches first.

    The cohort's compliance tables and compliance-by-month charts (with their numbers), the
    standards breached, an index of the cases with breaches (clean cases folded into one list),
    then each case with breaches: its breaches in sentences under their standards and
    citations, its other findings as counts, and a timeline picture of its breaches labelled in
    words. About 10 KB a case at most; readable on a phone and a desktop. The file has no
    scripts and fetches nothing (inline CSS and SVG only), so it can be mailed or kept on a
    shared drive. PATHS as for `check`.

    \b
    Examples:
      casecheck report cases/ --as-at 2026-11-24 -o report.html
      casecheck report exports/ --by team --overall -o team-report.html

    Exit status: as for `check` (0 no breach; 1 a breach; 2 an input could not be read).
    """
    sys.exit(views.run_report(paths, inputs, by, overall, output))


@main.command("diff", short_help="What changed since an earlier run: breaches new, put right and continuing.")
@click.argument("before", type=click.Path())
@click.argument("after", type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True,
              help="text for people; json {\"new\": [...], \"resolved\": [...], \"continuing\": [...]} with "
                   "each a finding as `check --format json` writes it; csv: a `change` column and check's columns.")
@output_option
def diff_command(before, after, fmt, output):
    """Compare two runs of `check`: breaches new since BEFORE, put right, and continuing.

    BEFORE and AFTER are outputs of `casecheck check --format json` (with or without --all),
    say last month's and this month's. A breach is the same in both when its case, rule and
    trigger date are; a continuing breach shows how its status and lateness moved on. A breach
    of BEFORE not among AFTER's breaches is put right: met late, withdrawn, or its case no
    longer checked.

    \b
    Examples:
      casecheck check exports/ --as-at 2026-10-31 --format json -o october.json
      casecheck check exports/ --as-at 2026-11-30 --format json -o november.json
      casecheck diff october.json november.json
      casecheck diff october.json november.json --format csv -o changes.csv

    Exit status: 0 no new breach; 1 a new breach of a `breach`-severity rule, not excused;
    2 BEFORE or AFTER could not be read or is not a casecheck JSON document.
    """
    sys.exit(diff.run_diff(before, after, fmt, output))


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
@rules_option
@click.option("--verbose", "-v", is_flag=True, help="Show passing examples too.")
def rules_test(rule_files, rules_paths, verbose):
    """Run the examples each rule carries, like a test runner.

    Rule files or folders come with --rules, as for every command, or as RULE_FILES; with
    neither, the settings file's rules or the bundled library. Every example's timeline is
    replayed against its own rule and its findings compared with the expected ones.

    \b
    Examples:
      casecheck rules test --rules rules/my-council.yaml
      casecheck rules test rules/my-council.yaml

    Exit status: 0 all examples pass; 1 an example fails; 2 a rule file could not be read.
    """
    sys.exit(rulebook.run_test(rule_files, verbose, rules_paths))


@rules_group.command("lint")
@paths_argument
@tables_options
@rules_option
def rules_lint(paths, rules_paths):
    """Check rules (and case files) for likely mistakes, with file and line.

    Errors are what `check` would refuse; warnings point at likely mistakes that do not stop a
    check: an event name outside the vocabulary (docs/events.md), a rule whose trigger is also
    its expect, two rules judging the same thing, a rule with no citation or no examples.
    Rules come with --rules, as for every command. PATHS are case files or folders whose event
    names are checked too (default: bundled cases/); a rule file among them (one that names its
    `ruleset:`) is linted as rules, as `rules test FILE` reads it.

    \b
    Examples:
      casecheck rules lint exports/ --rules my-council.yaml
      casecheck rules lint my-council.yaml              the rules alone

    Exit status: 0 clean; 1 warnings only; 2 errors.
    """
    sys.exit(rulebook.run_lint(paths, rules_paths))


# --- casecheck exceptions: registers of breaches accepted with a reason (SPEC §5) ------------------

@main.group("exceptions")
def exceptions_group():
    """Registers of breaches accepted with a reason: start one, check one.

    A register lists breaches a manager or auditor accepted (case, rule, trigger date, optional
    due date, reason, approved_by, approved_on). Given to any command with --exceptions (or in
    the settings file), those breaches are still reported with their status and lateness, marked
    excused, counted apart, and never fail the run.

    \b
    Examples:
      casecheck exceptions start cases/ --as-at 2024-10-14 -o register.yaml
      casecheck exceptions check register.yaml
      casecheck check cases/ --exceptions register.yaml
    """


@exceptions_group.command("start")
@paths_argument
@rules_option
@as_at_option
@exceptions_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              help="The register to write (.yaml, or .csv for a spreadsheet); default standard output. "
                   "An existing file is never overwritten without --force.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default=None,
              help="Default: csv for an --output ending .csv, else yaml.")
@click.option("--with-warnings", is_flag=True, help="Include breaches of warning-severity rules too.")
@click.option("--force", is_flag=True, help="Overwrite an existing --output file.")
@input_format_option
def exceptions_start(paths, rules_paths, as_at, exceptions_paths, output, fmt, with_warnings, force, input_format):
    """Start a register: one entry per breach not already excused, for a manager to fill in.

    Each entry has case, rule, trigger and due filled in, a note saying what the breach was, and
    reason, approved_by and approved_on left empty. Fill those in for the breaches that were
    accepted and delete the rest: an entry still empty is refused with its file and line. With
    --exceptions, breaches the given registers already excuse are left out (a monthly top-up).

    \b
    Examples:
      casecheck exceptions start cases/ --as-at 2024-10-14 -o register.yaml
      casecheck exceptions start exports/ --exceptions register.yaml -o new-this-month.csv

    Exit status: 0 written; 2 an input could not be read (the register is still written).
    """
    sys.exit(exceptions.run_start(paths, rules_paths, as_at, exceptions_paths, output, fmt, with_warnings, force,
                                  input_format))


@exceptions_group.command("check")
@click.argument("registers", nargs=-1, required=True, type=click.Path())
def exceptions_check(registers):
    """Read registers as `check --exceptions` would and name every problem with file and line.

    \b
    Example:
      casecheck exceptions check register.yaml

    Exit status: 0 every entry complete; 2 an entry (or a file) could not be read.
    """
    sys.exit(exceptions.run_validate(registers))


# --- casecheck calendar: the arithmetic an investigator checks by hand --------------------------

def calendar_option(f):
    """--calendar, --closed, and --rules/--ruleset: a ruleset's own calendar, as its rules use it."""
    @functools.wraps(f)
    def command(*args, calendar_name, closed, rules_paths, ruleset, **kwargs):
        return f(*args, cal=calendar.choose(calendar_name, closed, rules_paths, ruleset), **kwargs)
    command = click.option("--ruleset", default=None, metavar="NAME",
                           help="With --rules: use this ruleset's calendar (needed only when the rule files "
                                "name different calendars).")(command)
    command = rules_option(command)
    command = click.option("--closed", multiple=True, type=DateParam(),
                           help="A closure day of the council's own, not a working day; repeat for more.")(command)
    return click.option("--calendar", "calendar_name", type=click.Choice(CALENDAR_NAMES), default=None,
                        help="Which bank holidays are not working days. Default: the calendar of the rules "
                             "given with --rules, else the settings file's calendar (with its closure days), "
                             f"else {DEFAULT_CALENDAR}.")(command)


@main.group("calendar")
def calendar_group():
    """Due dates and working days, worked out the way the rules do.

    \b
    Examples:
      casecheck calendar add 2022-02-15 "15 working days"
      casecheck calendar between 2022-03-08 2022-04-12
      casecheck calendar add 2022-12-20 "5 working days" --rules my-council.yaml
      casecheck calendar add 2022-12-20 "5 working days" --closed 2022-12-28 --closed 2022-12-29
    """


@calendar_group.command("add")
@click.argument("start", type=DateParam())
@click.argument("duration", type=DurationParam())
@click.option("--beginning-with", is_flag=True, help="Count the start date as day 1 (statutes that say 'beginning with').")
@calendar_option
def calendar_add(start, duration, beginning_with, cal):
    """The due date DURATION after START, and how it was reached.

    \b
    Example:
      casecheck calendar add 2022-02-15 "15 working days"
    """
    sys.exit(calendar.calendar_add(start, duration, beginning_with, cal))


@calendar_group.command("between")
@click.argument("start", type=DateParam())
@click.argument("end", type=DateParam())
@calendar_option
def calendar_between(start, end, cal):
    """Calendar days and working days from START to END.

    Working days are counted strictly after START up to and including END, as `days late` is.

    \b
    Example:
      casecheck calendar between 2022-03-08 2022-04-12
    """
    sys.exit(calendar.calendar_between(start, end, cal))


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
