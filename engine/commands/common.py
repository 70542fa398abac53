"""What every command shares: loading rules and cases, reporting input errors, exit statuses, output files.

Exit status, for every command: 0 no breach, 1 a breach of a `breach`-severity rule,
2 some input could not be read (or the command line was wrong).
"""

from __future__ import annotations

import contextlib
import sys

import click

from ..inputs import bundled
from ..inputs.cases import load_cases
from ..model import InputError
from ..rules.load import load_rules

EXIT_OK, EXIT_BREACH, EXIT_INPUT = 0, 1, 2
PARALLEL_FROM_BYTES = 4 << 20  # by default, smaller inputs are checked in one process


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
