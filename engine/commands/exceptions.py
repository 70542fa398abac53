"""`casecheck exceptions`: start a register from today's breaches, and check a register.

`start` writes one entry per breach not already excused, with case, rule, trigger and due filled
in and reason, approved_by and approved_on left empty for a manager: casecheck refuses to load an
entry left empty, so a half-filled register can never excuse a breach by accident.
"""

from __future__ import annotations

import datetime as dt
import json
import os

import click

from ..inputs.exceptions import COLUMNS, NOTE, load_registers
from ..model import Finding
from ..replay.workers import WorkerDied
from ..views.findings import holder, lateness, spreadsheet_writer
from .common import EXIT_INPUT, EXIT_OK, output_stream, report_errors
from .run import stream_run
from .sameness import refuse_output_among_inputs, run_inputs

_YAML_HEAD = """\
# Exceptions register (casecheck), started on {today} from the breaches found
# as at {as_at}: {n} entr{ies}.
# For each breach that was accepted, fill in reason, approved_by and approved_on (YYYY-MM-DD);
# delete the entries of breaches that were not accepted. casecheck refuses to load an entry
# whose reason, approved_by or approved_on is still empty. 'note' is for people; it is not read.
# Use it with: casecheck check ... --exceptions THIS_FILE
exceptions:
"""


def _q(value: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is valid YAML; ASCII keeps it plain)."""
    return json.dumps(value, ensure_ascii=True)


def _note(f: Finding) -> str:
    """What the breach was, for the manager filling the entry in."""
    late = lateness(f)
    held = holder(f)
    return f"{f.status}{': ' + late if late else ''}; {f.rule.title}" + (f"; {held}" if held else "")


def _yaml_entry(f: Finding) -> str:
    return (f"  - case: {_q(f.case)}\n"
            f"    rule: {_q(f.rule.id)}\n"
            f"    trigger: {f.trigger.date.isoformat()}\n"
            f"    due: {f.due.isoformat()}\n"
            f"    {NOTE}: {_q(_note(f))}\n"
            f"    reason: \"\"          # FILL IN: why the breach was accepted\n"
            f"    approved_by: \"\"     # FILL IN: who accepted it (name and role)\n"
            f"    approved_on:        # FILL IN: the date it was accepted (YYYY-MM-DD)\n")


def _csv_row(f: Finding) -> dict:
    return {"case": f.case, "rule": f.rule.id, "trigger": f.trigger.date.isoformat(), "due": f.due.isoformat(),
            "reason": "", "approved_by": "", "approved_on": "", NOTE: _note(f)}


def run_start(paths, rules_paths, as_at, exceptions_paths, output, fmt, with_warnings, force, input_format,
              replace_approved=False) -> int:
    if output == "-":
        output = None
    refuse_output_among_inputs(output, run_inputs(paths, rules_paths, exceptions_paths))
    if output and os.path.exists(output) and not (force or replace_approved):
        raise click.UsageError(f"{output} exists: a register may hold a manager's reasons, so it is not "
                               "overwritten; choose another file, or add --force")
    if output and os.path.isfile(output) and not replace_approved:
        approved = len(load_registers([output])[0].entries)
        if approved:
            click.echo(f"casecheck: {output} holds {approved} approved entr{'y' if approved == 1 else 'ies'} "
                       "(reason, approved_by and approved_on filled in); it was not replaced: choose another "
                       "file, or add --replace-approved to replace it", err=True)
            return EXIT_INPUT
    fmt = fmt or ("csv" if output and output.lower().endswith(".csv") else "yaml")
    as_at = as_at or dt.date.today()
    try:
        run, result = stream_run(paths, rules_paths, exceptions_paths, as_at, keep_all=False,
                                 input_format=input_format)
    except WorkerDied as e:
        click.echo(f"casecheck: {e}; no register was written", err=True)
        return EXIT_INPUT
    try:
        wanted = [f for f in result.findings
                  if f.is_breach and not f.excused and (with_warnings or f.rule.severity == "breach")]
    finally:
        result.close()
    with output_stream(output, newline="" if fmt == "csv" else None) as out:
        if fmt == "csv":
            w = spreadsheet_writer(out, COLUMNS + (NOTE,))
            w.writeheader()
            w.writerows(_csv_row(f) for f in wanted)
        else:
            out.write(_YAML_HEAD.format(today=dt.date.today(), as_at=as_at, n=len(wanted),
                                        ies="y" if len(wanted) == 1 else "ies"))
            out.write("".join(_yaml_entry(f) for f in wanted) if wanted else "  []\n")
    report_errors(run.errors)
    run.report_warnings()
    if output:
        click.echo(f"casecheck: {len(wanted)} breach{'es' if len(wanted) != 1 else ''} written to {output}; "
                   "fill in reason, approved_by and approved_on for those accepted", err=True)
    return EXIT_INPUT if run.errors else EXIT_OK


def run_validate(registers) -> int:
    """Read registers as `check` would: every error and warning named; exit 2 if any entry is bad."""
    register, errors = load_registers(registers)
    report_errors(errors)
    for w in register.notes:
        click.echo(f"casecheck: warning: {w}", err=True)
    n = len(register.entries)
    click.echo(f"{n} entr{'y' if n == 1 else 'ies'} read" + (f", {len(errors)} "
               f"error{'s' if len(errors) != 1 else ''}" if errors else ", all complete") + ".")
    return EXIT_INPUT if errors else EXIT_OK
