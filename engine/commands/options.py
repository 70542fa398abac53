"""The command line's shared pieces: option types, the options every command that reads cases
takes (one decorator, so that each reads its inputs the same way), and the top-level guard.
cli.py and the command groups use them; the work itself is in the other casecheck.commands modules.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sys

import click

from ..dates import parse_date, parse_duration
from ..inputs.importers import FORMATS
from ..inputs.secrets import remember_urls
from ..terminal import guard_stderr
from .. import interrupts
from . import common


MAX_WORKERS = 1024  # processes; more than any machine's cores, and each costs a process's memory


class _Parsed(click.ParamType):
    """A value read by parse(); its ValueError is the usage error click shows (exit 2)."""

    def parse(self, value):
        raise NotImplementedError

    def convert(self, value, param, ctx):
        try:
            return self.parse(value)
        except ValueError as e:
            self.fail(str(e), param, ctx)


class DateParam(_Parsed):
    name = "YYYY-MM-DD"

    def parse(self, value):
        return value if isinstance(value, dt.date) else parse_date(value)


class DurationParam(_Parsed):
    name = "DURATION"

    def parse(self, value):
        return parse_duration(value)


def paths_argument(f):
    return click.argument("paths", nargs=-1, type=click.Path())(f)


def rules_option(f):
    return click.option("--rules", "rules_paths", multiple=True, type=click.Path(), metavar="PATH",
                        help="Rule file or folder; repeat for more; 'bundled' is the library that ships with "
                             "casecheck (--rules bundled --rules ours/). Default: the settings file's rules, "
                             "else the bundled library.")(f)


def as_at_option(f):
    return click.option("--as-at", type=DateParam(), default=None,
                        help="Check as on this date: later events are ignored, open deadlines "
                             "are judged against it. Default: today.")(f)


def checked_output(ctx, param, value):
    """--output is checked before any work: a missing or read-only folder is a usage error (exit 2)."""
    interrupts.note_target(value)
    problem = common.check_output_path(value)
    if problem:
        raise click.BadParameter(problem, ctx, param)
    return value


def output_option(f):
    return click.option("--output", "-o", type=click.Path(dir_okay=False), default=None, callback=checked_output,
                        help="Write to this file instead of standard output.")(f)


def exceptions_option(f):
    return click.option("--exceptions", "exceptions_paths", multiple=True, type=click.Path(), metavar="FILE",
                        help="Exceptions register (YAML or CSV): breaches accepted with a reason are "
                             "reported as excused, counted apart and never fail the run. Repeat for more. "
                             "Default: the settings file's 'exceptions'.")(f)


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

    def main(self, *args, **kwargs):
        interrupts.install()
        guard_stderr()  # case text in any message never acts on the terminal, passwords never shown
        remember_urls(kwargs.get("args") or (args[0] if args else None) or sys.argv[1:])
        return super().main(*args, **kwargs)

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as e:
            if e.option_name.split("=")[0] == "--format" and e.ctx is not None:
                # never another option's or command's formats: what this command offers instead
                e.message, e.possibilities = no_format(e.ctx.command, e.ctx.command_path), None
            e.exit_code = common.EXIT_INPUT
            raise
        except KeyboardInterrupt:  # Ctrl-C: not click's "Aborted!" and exit 1 (a breach, to scripts)
            click.echo(interrupts.message("interrupted"), err=True)
            ctx.exit(interrupts.EXIT_INTERRUPTED)
        except interrupts.Terminated:
            click.echo(interrupts.message("terminated"), err=True)
            ctx.exit(interrupts.EXIT_TERMINATED)
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


def no_format(command: click.Command, path: str) -> str:
    """The words for --format given to a command that has none."""
    chosen = [p for p in command.params if isinstance(p, click.Option) and isinstance(p.type, click.Choice)
              and p.name in ("to", "fmt")]
    if chosen:
        p = chosen[0]
        *rest, last = p.type.choices
        return f"{path} has no --format option; it writes {', '.join(rest)} or {last}, chosen with {p.opts[0]}"
    return f"{path} has no --format option: it writes text only"


def _store_table(ctx, param, value):
    # Kept where inputs.database.chosen_tables finds them: every reader of cases sees them.
    from ..inputs.files import TABLES_KEY
    if value is not None:
        ctx.meta.setdefault(TABLES_KEY, {})[param.name] = value


class TimeoutParam(_Parsed):
    name = "DURATION"

    def parse(self, value):
        from ..inputs.database import parse_timeout  # here: SQLAlchemy is imported only when asked for
        return parse_timeout(value)


def _store_timeout(ctx, param, value):
    if value is not None:
        from ..inputs.database import configure
        configure(statement=value)


def tables_options(f):
    f = click.option("--statement-timeout", type=TimeoutParam(), default=None, expose_value=False,
                     callback=_store_timeout,
                     help="In a database server: stop a read that runs longer than this (default 5 minutes, "
                          "or the settings file's statement_timeout).")(f)
    f = click.option("--cases-table", default=None, metavar="NAME", expose_value=False, callback=_store_table,
                     help="In a database: read case attributes from this table or view (default "
                          "casecheck_cases, where present).")(f)
    f = click.option("--order-by", default=None, metavar="COLUMN", expose_value=False, callback=_store_table,
                     help="In a database: order a case's events of the same date by this column of the "
                          "events table (numbers as numbers), before its key. Without it a table or view "
                          "with no key orders them by type, then its other columns, and says so.")(f)
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
                             "process under 4 MB, or under 40 MB on 2 cores or fewer, else every core); the "
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


def by_option(f):
    f = click.option("--overall", is_flag=True,
                     help="Each --by grouping counts every rule together (overall compliance per team, "
                          "say) instead of adding 'rule' as its last level.")(f)
    return click.option("--by", "by", multiple=True, metavar="LEVEL",
                        help="Group by 'team' or 'worker' (who held the case on the due date), 'month' (of "
                             "the due date), or any case attribute; repeat for one grouping each, or join "
                             "levels with commas to nest them (--by team,month). 'rule' is added as the last "
                             "level unless placed or --overall. An attribute no case has is refused.")(f)
