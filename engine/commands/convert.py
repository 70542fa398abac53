"""`casecheck convert`: what was read from any source, written out as case files."""

from __future__ import annotations



from ..inputs.cases import load_cases
from ..model import InputError
from ..views.convert import case_table_path, write_case_table, write_event_log, write_yaml
from .common import (EXIT_INPUT, EXIT_OK, output_stream, report_errors, report_notes)
from .sameness import refuse_output_among_inputs, run_inputs


def run_convert(sources, to, output, input_format) -> int:
    read = run_inputs(sources, cases=False, rules=False, registers=False)
    refuse_output_among_inputs(output, read)
    if to == "csv" and output not in (None, "-"):
        refuse_output_among_inputs(case_table_path(output), read)  # the case table written beside it
    notes = []
    cases, errors = load_cases(sources, input_format, notes)
    with output_stream(output, newline="" if to == "csv" else None) as out:
        if to == "csv":
            write_event_log(out, cases)
        else:
            write_yaml(out, cases, notes + errors)
    if to == "csv" and any(c.attrs for c in cases):
        if output in (None, "-"):  # one stream cannot hold two tables
            notes.append(InputError("convert", None, "case attributes (team, worker, ...) were left out: a CSV event "
                                                     "log has no place for them; give --output FILE to write them to "
                                                     "a case table beside it, or use --to yaml"))
        else:
            table = case_table_path(output)
            with output_stream(table, newline="") as out:
                write_case_table(out, cases)
            notes.append(InputError("convert", None, f"case attributes (team, worker, ...) written to the case table "
                                                     f"{table}: check it together with {output}"))
    report_notes(notes)
    report_errors(errors)
    return (EXIT_INPUT if errors else EXIT_OK)
