"""The command groups `casecheck rules`, `casecheck exceptions` and `casecheck calendar` (their
options and help); cli.py adds them to the `casecheck` command. The work is in rulebook.py,
exceptions.py and calendar.py beside this file.
"""

from __future__ import annotations

import functools
import sys

import click

from ..dates import CALENDAR_NAMES, DEFAULT_CALENDAR
from .. import interrupts
from . import calendar, exceptions, rulebook
from .options import (DateParam, DurationParam, as_at_option, exceptions_option, input_format_option,
                      output_option, paths_argument, rules_option, tables_options)


# --- casecheck rules: list, lint, explain, test -------------------------------------------------

@click.group("rules")
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

    Errors are what check would refuse; warnings point at likely mistakes that do not stop a
    check: an event name outside the vocabulary (docs/events.md), a rule whose trigger is also
    its expect, two rules judging the same thing, a rule with no citation or no examples.
    Rules come with --rules, as for every command. PATHS are case files or folders whose event
    names are checked too (default: bundled cases/); a rule file among them (one that names its
    'ruleset:') is linted as rules, as 'casecheck rules test FILE' reads it.

    \b
    Examples:
      casecheck rules lint exports/ --rules my-council.yaml
      casecheck rules lint my-council.yaml              the rules alone

    Exit status: 0 clean; 1 warnings only; 2 errors.
    """
    sys.exit(rulebook.run_lint(paths, rules_paths))


# --- casecheck exceptions: registers of breaches accepted with a reason (docs/formats.md) ------------------

@click.group("exceptions")
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
@tables_options
@rules_option
@as_at_option
@exceptions_option
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default=None,
              callback=lambda ctx, param, value: interrupts.note_target(value) or value,
              help="The register to write (.yaml, or .csv for a spreadsheet); default standard output. "
                   "An existing file is never overwritten without --force.")
@click.option("--format", "fmt", type=click.Choice(["yaml", "csv"]), default=None,
              help="Default: csv for an --output ending .csv, else yaml.")
@click.option("--with-warnings", is_flag=True, help="Include breaches of warning-severity rules too.")
@click.option("--force", is_flag=True, help="Overwrite an existing --output file that holds no approved entry.")
@click.option("--replace-approved", is_flag=True,
              help="Overwrite an existing --output register even though it holds approved entries.")
@input_format_option
def exceptions_start(paths, rules_paths, as_at, exceptions_paths, output, fmt, with_warnings, force, replace_approved,
                     input_format):
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
                                  input_format, replace_approved))


@exceptions_group.command("check")
@click.argument("registers", nargs=-1, required=True, type=click.Path())
def exceptions_check(registers):
    """Read registers as 'casecheck check --exceptions' would and name every problem with file and line.

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


@click.group("calendar")
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

    Working days are counted strictly after START up to and including END, as days late are counted.

    \b
    Example:
      casecheck calendar between 2022-03-08 2022-04-12
    """
    sys.exit(calendar.calendar_between(start, end, cal))
