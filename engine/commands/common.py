"""What every command shares: loading rules and cases, reporting input errors, exit statuses, output files.

Exit status, for every command: 0 no breach, 1 a breach of a `breach`-severity rule,
2 some input could not be read (or the command line was wrong).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from dataclasses import dataclass

import click

from .. import settings as settings_file
from ..dates import DEFAULT_CALENDAR, Calendar, calendar_for
from ..inputs import bundled
from ..inputs.cases import load_cases
from ..inputs.files import is_database_url
from ..model import InputError, InputProblem
from ..rules.lint import unrecordable_notes
from ..rules.load import load_rules
from ..terminal import VisibleStream
from . import writer

EXIT_OK, EXIT_BREACH, EXIT_INPUT = 0, 1, 2


@dataclass(frozen=True)
class CaseInputs:
    """What every command that reads cases is told the same way (cli.case_inputs)."""

    rules_paths: tuple = ()
    as_at: dt.date | None = None
    input_format: str | None = None
    workers: int | None = None
    judge_unrecordable: bool = False  # --judge-unrecordable: returns judged by rules they cannot answer
    exceptions_paths: tuple = ()  # --exceptions; none: the settings file's registers

    @property
    def date(self) -> dt.date:
        """The as-at date: --as-at, else today."""
        return self.as_at or dt.date.today()


def load_settings(path) -> settings_file.Settings:
    """The settings file (path, or the working folder's); a bad one ends the command with exit 2."""
    try:
        settings = settings_file.load(path)
    except InputProblem as p:
        click.echo(f"casecheck: {p.error}", err=True)
        sys.exit(EXIT_INPUT)
    from ..inputs.database import configure
    configure(busy=settings.busy_timeout, statement=settings.statement_timeout)
    return settings


def format_defaults(settings: settings_file.Settings, group: click.Group, prefix: str = "") -> dict:
    """click's default_map from the settings: each command's --format where it offers that format."""
    out = {}
    for name, cmd in group.commands.items():
        if isinstance(cmd, click.Group):
            sub = format_defaults(settings, cmd, f"{prefix}{name} ")
            if sub:
                out[name] = sub
            continue
        fmt = settings.format_for(f"{prefix}{name}".replace(" ", "-")) or settings.format_for(name)
        for param in cmd.params:
            if param.name == "fmt" and fmt and isinstance(param.type, click.Choice) and fmt in param.type.choices:
                out[name] = {"fmt": fmt}
    return out


def current_settings() -> settings_file.Settings:
    """The settings the command line was started with (casecheck.toml), or none."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(settings_file.Settings) if ctx is not None else None
    return found if found is not None else settings_file.Settings()


def rule_paths(rules_paths) -> list[str]:
    """--rules, else the settings file's rules, else the bundled library; `bundled` names the library."""
    chosen = rules_paths or current_settings().rules or (settings_file.BUNDLED,)
    return [str(bundled.rules_dir()) if p == settings_file.BUNDLED else p for p in chosen]


def default_calendar() -> Calendar:
    """The calendar of rulesets that name none: the settings file's, else England and Wales."""
    return current_settings().calendar or calendar_for(DEFAULT_CALENDAR)


def load_rules_or_bundled(rules_paths):
    """Rules from the given paths (or the settings' or the bundled ones); plus every error reading them.
    When no rule at all could be loaded the command ends here (exit 2): checking cases against
    nothing would report "0 breaches" as if all were well."""
    rules, errors = load_rules(rule_paths(rules_paths), current_settings().calendar, notes := [])
    report_notes(notes)
    if not rules and errors:
        report_errors(errors)
        click.echo("casecheck: no rule could be loaded (errors above), so nothing was checked", err=True)
        sys.exit(EXIT_INPUT)
    return rules, errors


_RULESET_LINE = re.compile(rb"^(ruleset\s*:|\{?\s*\"ruleset\"\s*:)", re.M)


def is_rule_file(path: str) -> bool:
    """A YAML or JSON file whose top level names a `ruleset` (a rule file, docs/rules.md), told by its
    first 64 KB so that a big case file costs nothing to rule out."""
    if not path.lower().endswith((".yaml", ".yml", ".json")) or not os.path.isfile(path):
        return False
    try:
        with open(path, "rb") as fh:
            head = fh.read(1 << 16)
    except OSError:
        return False
    return _RULESET_LINE.search(head.lstrip(b"\xef\xbb\xbf")) is not None


def split_rule_files(paths, rules_paths) -> tuple[list, list]:
    """Positional PATHS that are rule files join --rules; the rest stay case paths."""
    rules = [p for p in paths if is_rule_file(p)]
    return [p for p in paths if p not in rules], list(rules_paths) + rules


def load_inputs(paths, rules_paths, input_format=None, judge_unrecordable=False):
    """Rules and cases from the given paths, or the bundled ones; plus every input error.

    Rules that a council return cannot answer are left out on its cases and named in a warning,
    unless judge_unrecordable (--judge-unrecordable)."""
    rules, rule_errors = load_rules_or_bundled(rules_paths)
    notes = []
    cases, case_errors = load_cases(paths or [str(bundled.cases_dir())], input_format, notes)
    report_notes(notes + recordable_scope(rules, cases, judge_unrecordable))
    return cases, rules, rule_errors + case_errors


def recordable_scope(rules, cases, judge_unrecordable: bool) -> list[InputError]:
    """The notes naming each rule a return's cases are not judged by; with judge_unrecordable,
    none: every case is then judged by every rule, as a case file is."""
    if judge_unrecordable:
        for c in cases:
            c.source_kind = None
        return []
    return unrecordable_notes(rules, cases)


def report_notes(notes: list[InputError]) -> None:
    """Warnings about inputs that were still read (columns not understood, duplicate rows, ...)."""
    for n in notes:
        click.echo(f"casecheck: warning: {n}", err=True)


def exit_code(errors, breach: bool) -> int:
    """2 when an input could not be read, else 1 when a `breach`-severity rule was breached, else 0."""
    return EXIT_INPUT if errors else EXIT_BREACH if breach else EXIT_OK


NAMED_FILES = 20  # of more unreadable files than this, only the first are named (one line each)


def report_errors(errors: list[InputError]) -> None:
    """Every error on stderr; when more than NAMED_FILES files have errors, one line for each of
    the first NAMED_FILES and one line for the rest (a folder of bad files stays readable)."""
    by_file: dict[str, list[InputError]] = {}
    for e in errors:
        by_file.setdefault(e.file, []).append(e)
    if len(by_file) <= NAMED_FILES:
        for e in errors:
            click.echo(f"casecheck: {e}", err=True)
        return
    for errs in list(by_file.values())[:NAMED_FILES]:
        more = f" (and {len(errs) - 1:,} more in this file)" if len(errs) > 1 else ""
        click.echo(f"casecheck: {errs[0]}{more}", err=True)
    click.echo(f"casecheck: {len(by_file):,} files could not be read in full; {len(by_file) - NAMED_FILES:,} of "
               f"them are not named above", err=True)


@contextlib.contextmanager
def output_stream(path, newline=None, binary=False, shown=None):
    """Standard output (for none or `-`), or the file named by --output, written whole or not at
    all (commands.writer): a write error is one line naming it and exit 2. shown="text": control
    characters made visible (text for people); shown="terminal": so only on a terminal (CSV);
    shown="colour": as text, keeping casecheck's own colours."""
    if is_database_url(path):  # only `check` writes runs to a database (docs/formats.md)
        from ..inputs.database import item_source
        click.echo(f"casecheck: --output {item_source(path)}: only 'casecheck check' writes to a database; "
                   "this command's --output is a file", err=True)
        sys.exit(EXIT_INPUT)
    with writer.output_file(path, binary=binary, newline=newline) as out:
        if shown == "terminal" and not out.isatty():
            shown = None
        yield VisibleStream(out, keep_colour=shown == "colour") if shown else out


def check_output_path(path: str | None) -> str | None:
    """--output, checked before any work is done: its folder must exist and be writable.
    Returns an error message, or None when the file can be written."""
    if path is None or path == "-" or "://" in path:
        return None
    folder = os.path.dirname(os.path.abspath(path))
    if os.path.isdir(path):
        return f"{path} is a folder; give a file name"
    if not os.path.isdir(folder):
        return f"the folder {folder} does not exist"
    if not os.access(folder, os.W_OK) or (os.path.exists(path) and not os.access(path, os.W_OK)):
        return f"cannot write to {path} (permission denied)"
    return None
