"""An input is never an output: --output is compared, before anything is read, with every file
the run reads: by identity (device and inode, links followed), not by spelling, so `./cases.csv`,
a symbolic link and a hard link to an input are all caught. --force does not change this."""

from __future__ import annotations

import os
import sys

import click

from ..inputs.files import is_database_url
from .writer import is_stdout

EXIT_INPUT = 2


def _identity(path):
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


def _reads(path, target) -> bool:
    """path is the target, or a folder holding it (a folder's files are read)."""
    here = _identity(path)
    if here is None:
        return False
    if here == target:
        return True
    if not os.path.isdir(path) or here[0] != target[0]:
        return False
    for root, _dirs, files in os.walk(path, followlinks=False):
        for name in files:
            if _identity(os.path.join(root, name)) == target:
                return True
    return False


def refuse_output_among_inputs(output, inputs) -> None:
    """Exit 2 when output is one of inputs (files, folders, database URLs are skipped)."""
    if is_stdout(output) or is_database_url(output):
        return
    target = _identity(output)
    if target is None:  # not there yet: it cannot be read
        return
    for p in inputs:
        if p and not is_database_url(p) and _reads(p, target):
            click.echo(f"casecheck: --output {output} is an input of this run; nothing was written", err=True)
            sys.exit(EXIT_INPUT)


def run_inputs(paths=(), rules_paths=(), exceptions_paths=(), *, cases=True, rules=True, registers=True) -> list:
    """Every file a run reads: its case paths (the bundled cases when none), rules and registers
    (the settings file's when not given), and the settings file itself."""
    from ..inputs import bundled
    from .common import current_settings, rule_paths
    settings = current_settings()
    out = list(paths) if paths or not cases else [str(bundled.cases_dir())]
    if rules:
        out += rule_paths(rules_paths)
    if registers:
        out += list(exceptions_paths or settings.exceptions)
    if settings.file:
        out.append(settings.file)
    return out
