"""The `casecheck` command: the top-level commands, their options and help; the work is in engine/commands.

Exit status: check, due and diff 0 no breach, 1 a breach of a 'breach'-severity rule; the
documents (chronology, summary, report) 0 once written; 2 some input could not be read (or the
command line was wrong). docs/formats.md has the table for every command.
"""

from __future__ import annotations

import sys

import click

from casecheck.commands import check, common, convert, diff, history, site, views
from casecheck.commands.filters import SuggestingChoice
from casecheck.commands.groups import calendar_group, exceptions_group, rules_group
from casecheck.commands.options import (DurationParam, GuardedGroup, by_option, case_inputs, checked_dask_address,
                                        checked_output,
                                        input_format_option, output_option, paths_argument, tables_options)
from casecheck.views.due import GROUP_LEVELS as DUE_GROUP_LEVELS


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
      casecheck history DB_URL --team NAME        each breach's life across monthly runs
      casecheck site DB_URL -o site/              a page per case, worker, team and rule
    \b
    Exit status: check, due and diff 0 no breach, 1 a breach; rules test and lint 1 a failing
    test or a lint warning; chronology, summary and report 0 once written; every command 2
    when an input could not be read or the command line was wrong, 130 interrupted (Ctrl-C),
    143 terminated (SIGTERM); after 130 or 143 an earlier --output file is unchanged
    (docs/formats.md).

    Defaults (rules, exceptions registers, calendar, output format) can be set for a council in
    ./casecheck.toml or [tool.casecheck] in ./pyproject.toml; see the README.
    """
    settings = common.load_settings(settings_path)
    ctx.obj = settings
    ctx.default_map = common.format_defaults(settings, main)


@main.command("check", short_help="Check cases against rules; report breaches with their evidence.")
@paths_argument
@case_inputs
@click.option("--format", "fmt", type=SuggestingChoice(["text", "json", "csv"]), default="text", show_default=True,
              help="text for people, json for programs, csv for spreadsheets.")
@click.option("--all", "show_all", is_flag=True, help="Report every finding (met, due, withdrawn too), not only breaches.")
@output_option
@click.option("--dask", "dask_address", default=None, metavar="SCHEDULER_ADDRESS", callback=checked_dask_address,
              help="Check cases on an existing Dask cluster (e.g. tcp://10.0.0.5:8786) instead of "
                   "local processes; needs the 'dask' extra.")
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

    Exit status: 0 no breach; 1 a breach of a rule of severity 'breach'; 2 an input could
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
@click.option("--format", "fmt", type=SuggestingChoice(["markdown", "html"]), default="markdown", show_default=True,
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

    Exit status: 0 the chronology was written; 2 an input could not be read, or CASE_FILE
    holds several cases and --case was not given (or names none of them).
    """
    sys.exit(views.run_chronology(case_file, case_id, inputs, fmt, ids, show_all, output))


@main.command("summary")
@paths_argument
@case_inputs
@by_option
@click.option("--format", "fmt", type=SuggestingChoice(["text", "csv", "xlsx", "html"]), default="text",
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
    and how compliance is computed. PATHS as for check.

    \b
    Examples:
      casecheck summary cases/ --as-at 2026-11-24
      casecheck summary exports/ --by team --by month --format xlsx -o compliance.xlsx
      casecheck summary exports/ --by team --overall        one compliance figure per team
      casecheck summary exports/ --by team,worker --format csv

    Exit status: 0 the summary was written; 2 an input could not be read or the command line
    was wrong (an unknown --by level is refused with the closest one).
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
@click.option("--group-by", type=SuggestingChoice(DUE_GROUP_LEVELS), default=None,
              help="List each section worker by worker (or team by team), who held the case on the due date.")
@click.option("--limit", type=click.IntRange(min=1), default=None, metavar="N",
              help="At most N items per section (per group with --group-by), then a count of the rest.")
@click.option("--format", "fmt", type=SuggestingChoice(["text", "csv", "json"]), default="text", show_default=True,
              help="text for people, csv for spreadsheets, json for programs.")
@output_option
def due_command(paths, within, inputs, worker_filter, team_filter, group_by, limit, fmt, output):
    """What falls due soon and what is already overdue, for managers.

    Overdue: breaches still open at the as-at date (missing, exceeded), most overdue first.
    Paused: deadlines whose clock is stopped (not overdue), with the date it stopped.
    Due: deadlines not yet passed that fall within --within of the as-at date (working days in
    each rule's calendar), soonest first. Excused: open breaches an exceptions register accepts.
    Each line names the case, and the worker and team who held it on the due date (else the
    case's worker and team attributes). PATHS as for check.

    \b
    Examples:
      casecheck due cases/ --as-at 2026-11-24
      casecheck due exports/ --worker W-Amber --worker W-Rahim --limit 20
      casecheck due exports/ --team "CIN North" --group-by worker
      casecheck due exports/ --within "2 weeks" --format csv -o due.csv

    Exit status, by the list shown: 1 it holds an overdue breach of a 'breach'-severity rule;
    else 0; 2 an input could not be read, or --worker or --team names no one in the cases.
    """
    sys.exit(views.run_due(paths, within, inputs, fmt, output, worker_filter, team_filter, group_by, limit))


@main.command("report")
@paths_argument
@case_inputs
@by_option
@click.option("--format", "fmt", type=SuggestingChoice(["html"]), default="html", show_default=True,
              help="html: the report is one self-contained page.")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), callback=checked_output,
              help="The HTML file to write.")
def report_command(paths, inputs, by, overall, fmt, output):
    """One self-contained HTML report for a cohort, breaches first.

    The cohort's compliance tables and compliance-by-month charts (with their numbers), the
    standards breached, an index of the cases with breaches (clean cases folded into one list),
    then each case with breaches: its breaches in sentences under their standards and
    citations, its other findings as counts, and a timeline picture of its breaches labelled in
    words. About 10 KB a case at most; readable on a phone and a desktop. The file has no
    scripts and fetches nothing (inline CSS and SVG only), so it can be mailed or kept on a
    shared drive. PATHS as for check.

    \b
    Examples:
      casecheck report cases/ --as-at 2026-11-24 -o report.html
      casecheck report exports/ --by team --overall -o team-report.html

    Exit status: 0 the report was written; 2 an input could not be read or the command line
    was wrong.
    """
    sys.exit(views.run_report(paths, inputs, by, overall, output))


@main.command("diff", short_help="What changed since an earlier run: breaches new, put right and continuing.")
@click.argument("sources", nargs=-1, required=True, metavar="BEFORE AFTER | DB_URL [RUN_ID RUN_ID]")
@click.option("--format", "fmt", type=SuggestingChoice(["text", "json", "csv"]), default="text", show_default=True,
              help="text for people; json {\"new\": [...], \"resolved\": [...], \"continuing\": [...]} with "
                   "each a finding as 'casecheck check --format json' writes it; csv: a 'change' column and check's columns.")
@output_option
def diff_command(sources, fmt, output):
    """Compare two runs of check: breaches new since BEFORE, put right, and continuing.

    BEFORE and AFTER are outputs of 'casecheck check --format json' (with or without --all),
    say last month's and this month's; or DB_URL, a findings database ('check --output DB_URL'):
    its two latest runs, or the two RUN_IDs given, as their JSON files would compare. A breach
    is the same in both when its case, rule, trigger and trigger date are (two of one day told
    apart by their order); a continuing breach shows how its status and lateness moved on. A breach
    of BEFORE not among AFTER's breaches is put right: met late, withdrawn, or its case no
    longer checked.

    \b
    Examples:
      casecheck check exports/ --as-at 2026-10-31 --format json -o october.json
      casecheck check exports/ --as-at 2026-11-30 --format json -o november.json
      casecheck diff october.json november.json
      casecheck diff october.json november.json --format csv -o changes.csv
      casecheck diff sqlite:///runs.db           the database's two latest runs
      casecheck diff sqlite:///runs.db RUN_ID RUN_ID

    Exit status: 0 no new breach; 1 a new breach of a 'breach'-severity rule, not excused;
    2 BEFORE or AFTER could not be read or is not a casecheck JSON document, or DB_URL holds
    fewer than two runs or no run RUN_ID (its runs are listed).
    """
    before, after, run_ids = diff.sources_of(sources)
    sys.exit(diff.run_diff(before, after, fmt, output, run_ids))


@main.command("convert", short_help="Write what was read from any source as case files (csv or yaml).")
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@tables_options
@click.option("--to", "to", type=SuggestingChoice(["csv", "yaml"]), required=True,
              help="csv: an event log (case, date, type, attributes), and with --output FILE its case "
                   "attributes (team, worker) in a case table FILE.cases.csv beside it; yaml: case "
                   "files, with their case attributes.")
@output_option
@input_format_option
def convert_command(sources, to, output, input_format):
    """Write the timelines read from SOURCES as case files, to inspect and correct them.

    SOURCES are anything check reads: an Annex A workbook, a CIN census XML file, a folder of
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


@main.command("history", short_help="Each breach's life across the runs of a findings database.")
@click.argument("db_url", metavar="DB_URL")
@click.option("--case", "cases", multiple=True, metavar="ID", help="Only this case; repeat for several.")
@click.option("--team", "teams", multiple=True, metavar="NAME",
              help="Only findings this team held on the due date (at the latest run); repeat for several.")
@click.option("--worker", "workers", multiple=True, metavar="NAME",
              help="Only findings this worker held on the due date (at the latest run); repeat for several.")
@click.option("--rule", "rules", multiple=True, metavar="ID", help="Only this rule; repeat for several.")
@click.option("--open-longer-than", type=DurationParam(), default=None, metavar="DURATION",
              help="Only findings still open at the latest run whose due date plus DURATION is before "
                   "its as-at date: '3 months', '20 working days'.")
@click.option("--by", "by", type=SuggestingChoice(["case", "team", "worker", "rule"]), default="case",
              show_default=True, help="Group the text by case, team, worker or rule.")
@click.option("--format", "fmt", type=SuggestingChoice(["text", "json", "csv"]), default="text", show_default=True,
              help="text for people, json for programs, csv for spreadsheets (a row per finding).")
@output_option
def history_command(db_url, cases, teams, workers, rules, open_longer_than, by, fmt, output):
    """Each breach's life across the runs in a findings database, for managers and auditors.

    DB_URL is a database that 'casecheck check ... --all --output DB_URL' writes runs to. Runs
    are taken in as-at order (of two with one as-at date, the later-started). For each finding
    that was a breach in any run: when it was first and last seen, the runs that reported it,
    whether it is open at the latest run, and when and how it was put right (late, lapsed, now
    met, now withdrawn, rule withdrawn, no longer reported), and how many days it was open.
    Only reads the database: no rule or case files are needed, and nothing is changed.

    \b
    Examples:
      casecheck check cases/ --as-at 2024-01-31 --all --output sqlite:///runs.db
      casecheck check cases/ --as-at 2024-02-29 --all --output sqlite:///runs.db
      casecheck history sqlite:///runs.db
      casecheck history sqlite:///runs.db --team "CIN North" --by worker
      casecheck history sqlite:///runs.db --open-longer-than "3 months" --format csv -o open.csv
      casecheck history postgresql://auditor@bi-db/audit --case C-1042 --format json

    Exit status: 0 read; 2 the database could not be read or holds no runs, or a case, team,
    worker or rule is named by no run (with the nearest known one).
    """
    sys.exit(history.run_history(db_url, cases, teams, workers, rules, open_longer_than, by, fmt, output))


@main.command("site", short_help="A static site of the findings' history: a page per case, worker, team, rule.")
@click.argument("db_url", metavar="DB_URL")
@click.option("--output", "-o", "out_dir", required=True, type=click.Path(file_okay=False), metavar="DIR",
              help="The folder to write the site to (created when missing).")
@click.option("--split-by", type=SuggestingChoice(["team"]), default=None,
              help="A whole site per team in DIR/<team>/, linking nothing outside its folder, so that each "
                   "folder's permissions can be set on the file share.")
@click.option("--force", is_flag=True, help="Replace DIR even when it holds something other than a casecheck site.")
def site_command(db_url, out_dir, split_by, force):
    """A static site of the findings' history in DIR, for every reader, from a findings database.

    DIR/index.html: the latest run's figures, a trend picture over every run, the teams and
    rules, and a search box (it works opened from disk). A page per case (each finding's history
    run by run), per worker and team (overdue now, new and put right since the previous run,
    open longer than 3 months) and per rule (title, citation, definition as recorded, breaches
    by team). Every link is relative: the folder can be opened from disk, copied or zipped. The
    site is built beside DIR and swapped in at the end; an existing DIR that is not a casecheck
    site is refused unless --force. Only reads the database.

    \b
    Examples:
      casecheck site sqlite:///runs.db -o site/
      casecheck site postgresql://auditor@bi-db/audit -o /shares/csc/casecheck --split-by team

    Exit status: 0 built; 2 the database could not be read or holds no runs, or DIR was refused.
    """
    sys.exit(site.run_site(db_url, out_dir, split_by, force))


for _group in (rules_group, exceptions_group, calendar_group):
    main.add_command(_group)


if __name__ == "__main__":
    main()
