"""What every command shares: loading rules and cases, reporting input errors, exit statuses, output files.

Exit status, for every command: 0 no breach, 1 a breach of a `breach`-severity rule,
2 some input could not be read (or the command line was wrong).
"""

from __future__ import annotations

import contextlib
import sys

import click

from .. import settings as settings_file
from ..dates import DEFAULT_CALENDAR, Calendar, calendar_for
from ..inputs import bundled
from ..inputs.cases import load_cases
from ..inputs.files import is_database_url
from ..model import InputError, InputProblem
from ..rules.load import load_rules

EXIT_OK, EXIT_BREACH, EXIT_INPUT = 0, 1, 2
PARALLEL_FROM_BYTES = 4 << 20  # by default, smaller inputs are checked in one process


def load_settings(path) -> settings_file.Settings:
    """The settings file (path, or the working folder's); a bad one ends the command with exit 2."""
    try:
        return settings_file.load(path)
    except InputProblem as p:
        click.echo(f"casecheck: {p.error}", err=True)
        sys.exit(EXIT_INPUT)


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
    """Rules from the given paths (or the settings' or the bundled ones); plus every error reading them."""
    return load_rules(rule_paths(rules_paths), current_settings().calendar)


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
    if is_database_url(path):  # only `check` writes runs to a database (SPEC §3)
        from ..inputs.database import item_source
        click.echo(f"casecheck: --output {item_source(path)}: only `casecheck check` writes to a database; "
                   "this command's --output is a file", err=True)
        sys.exit(EXIT_INPUT)
    with open(path, "w", encoding="utf-8", newline=newline) as out:
        yield out
