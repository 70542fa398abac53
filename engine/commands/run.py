"""One run of a command that judges cases: its rules, exceptions registers, errors and warnings.

Every command that reads cases (check, chronology, summary, due, report, exceptions start) starts
a Run, so the same registers apply (--exceptions, else the settings file's) and the same warnings
are collected (docs/formats.md): what the readers noted, event types nothing knows, rules that can never
be answered by the data, and register entries that matched no breach. Warnings go to stderr as
`casecheck: warning: ...` and into JSON documents; they never change the exit status.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import click

from ..inputs import bundled
from ..inputs.cases import load_cases, needs_importer
from ..inputs.exceptions import Register, load_registers
from ..model import Case, Finding, InputError, Rule
from ..replay import progress
from ..replay.judged import NotApplied, Scopes, not_applied
from ..replay.stream import StreamResult, check_paths
from ..replay.tally import Tally
from ..replay.workers import parallel_from_bytes, usable_cores
from ..inputs.census import TypeCensus
from ..rules.lint import unanswerable, unknown_event_types
from .common import current_settings, exit_code, load_rules_or_bundled, recordable_scope


def load_exceptions(exceptions_paths) -> tuple[Register, list[InputError]]:
    """The registers named by --exceptions, else by the settings file, else none."""
    paths = list(exceptions_paths or current_settings().exceptions)
    return load_registers(paths) if paths else (Register(), [])


@dataclass
class Run:
    rules: list[Rule]
    errors: list[InputError]
    tally: Tally
    notes: list[InputError] = field(default_factory=list)  # the readers' and registers' warnings
    census: TypeCensus = field(default_factory=TypeCensus)
    only_cases: set[str] | None = None  # when a command judges some of the cases read (chronology)
    _warnings: list[InputError] | None = None
    judged: set[str] = field(default_factory=set)  # rules that gave findings not kept (replay.judged)
    scopes: Scopes | None = None  # the checked cases' scope attributes

    def rules_not_applied(self, as_at: dt.date, n_cases: int) -> list[NotApplied]:
        """Each loaded rule that judged no case, with its reason; complete, as warnings(), once
        every finding has gone through the tally."""
        return not_applied(self.rules, self.judged | self.tally.judged, self.scopes or Scopes(()),
                           self.census, as_at, n_cases)

    def judge(self, cases: list[Case], as_at: dt.date) -> list[Finding]:
        """Every finding for these cases, with the registers applied and counted."""
        return list(self.tally.over(progress.check_cases(cases, self.rules, as_at)))

    def warnings(self) -> list[InputError]:
        """Every warning of the run; complete once every finding has gone through the tally."""
        if self._warnings is None:
            self._warnings = (self.notes + unknown_event_types(self.census, self.rules)
                              + unanswerable(self.rules, self.census, self.tally.missing_in_several_cases())
                              + self.tally.register.unmatched((r.id for r in self.rules), self.only_cases))
        return self._warnings

    def report_warnings(self) -> None:
        for w in self.warnings():
            click.echo(f"casecheck: warning: {w}", err=True)

    def exit_code(self) -> int:
        """2 when an input could not be read, else 1 for a breach that is not excused, else 0."""
        return exit_code(self.errors, self.tally.breach)


def start_run(rules_paths, exceptions_paths) -> Run:
    """Rules and registers loaded; no cases yet (the stream reads those itself)."""
    rules, errors = load_rules_or_bundled(rules_paths)
    register, reg_errors = load_exceptions(exceptions_paths)
    return Run(rules, errors + reg_errors, Tally(register), list(register.notes))


def stream_run(paths, rules_paths, exceptions_paths, as_at: dt.date, *, keep_all: bool, input_format=None,
               workers=None, dask_address=None, judge_unrecordable=False) -> tuple[Run, StreamResult]:
    """A Run and its findings as a stream (only breaches unless keep_all): CSV logs and case files
    checked case by case in bounded memory, council returns read whole. Raises WorkerDied."""
    sources = paths or [str(bundled.cases_dir())]
    if needs_importer(sources, input_format):
        run, cases = load_run(sources, rules_paths, exceptions_paths, input_format, judge_unrecordable)
        findings = run.judge(cases, as_at)
        kept = findings if keep_all else [f for f in findings if f.is_breach]
        return run, StreamResult(len(cases), iter(kept), [], run.tally.breach)
    run = start_run(rules_paths, exceptions_paths)
    # No --workers: one process below the measured size (files and SQLite databases), else a
    # worker per usable core (replay.workers.default_workers).
    result = check_paths(sources, run.rules, as_at, keep_all=keep_all, workers=workers or usable_cores(),
                         dask_address=dask_address, tally=run.tally,
                         min_parallel_bytes=0 if workers else parallel_from_bytes())
    run.errors += result.errors
    run.notes = result.notes + run.notes
    run.census = result.census
    run.judged, run.scopes = result.judged, result.scopes
    return run, result


def load_run(paths, rules_paths, exceptions_paths, input_format=None,
             judge_unrecordable=False) -> tuple[Run, list[Case]]:
    """A Run and every readable case under paths (or the bundled ones), held in memory. Rules a
    council return cannot answer are left out on its cases, with a warning naming each, unless
    judge_unrecordable (--judge-unrecordable)."""
    run = start_run(rules_paths, exceptions_paths)
    notes: list[InputError] = []
    cases, case_errors = load_cases(paths or [str(bundled.cases_dir())], input_format, notes)
    run.errors += case_errors
    run.notes = notes + recordable_scope(run.rules, cases, judge_unrecordable) + run.notes
    run.census.add_cases(cases)
    run.scopes = Scopes(run.rules).cases(cases)
    return run, cases
