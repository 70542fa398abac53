"""`casecheck convert`: what was read from any source, written out as case files."""

from __future__ import annotations



from ..inputs.cases import load_cases
from ..model import InputError
from ..views.convert import write_event_log, write_yaml
from .common import (EXIT_INPUT, EXIT_OK, output_stream, report_errors, report_notes)


def run_convert(sources, to, output, input_format) -> int:
    notes = []
    cases, errors = load_cases(sources, input_format, notes)
    with output_stream(output, newline="" if to == "csv" else None) as out:
        if to == "csv":
            write_event_log(out, cases)
        else:
            write_yaml(out, cases, notes + errors)
    if to == "csv" and any(c.attrs for c in cases):
        notes.append(InputError("convert", None, "case attributes (team, worker, ...) have no place in a CSV "
                                                 "event log and were left out; use --to yaml to keep them"))
    report_notes(notes)
    report_errors(errors)
    return (EXIT_INPUT if errors else EXIT_OK)
