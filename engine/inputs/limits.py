"""How big any input may be: the one place casecheck bounds sizes, so that no file, however made,
can take unbounded time or memory. Each limit is far above what real case data needs; a file
over one is refused with a message naming it (and the line, where there is one).

Measured peak memory of the worst file each limit allows is in the README ("Hostile and broken
inputs").
"""

from __future__ import annotations

import csv

MB = 1024 * 1024

# YAML and JSON are parsed whole into Python objects with line numbers kept: about 120 bytes of
# memory per byte of YAML (a 4 MB file of events peaked at 490 MB) and 28 per byte of JSON. They
# are for case files and rule files, not bulk data: use a CSV event log, read as a stream.
MAX_YAML_BYTES = 2 * MB
MAX_JSON_BYTES = 8 * MB
MAX_LINE_CHARS = 1 * MB  # one line of a YAML or JSON file (PyYAML's scanner is slow and greedy on one)
MAX_EXPANDED_NODES = 1_000_000  # what a YAML document may grow to once its aliases are followed
MAX_DEPTH = 200

# One cell of a CSV file: the csv module's own default, set here explicitly (it is per process,
# so worker processes get it by importing this module).
MAX_CELL_CHARS = 131_072
csv.field_size_limit(MAX_CELL_CHARS)
# Columns of a CSV header: an event log or register has a few dozen; a header is read in time
# linear in its width, and every row of a wider file would cost as much again.
MAX_CSV_COLUMNS = 10_000


def deeper_than(value, limit: int = MAX_DEPTH) -> bool:
    """Whether lists and dicts nest more than limit levels (iteratively: depth is what is checked)."""
    stack = [(value, 0)]
    while stack:
        v, d = stack.pop()
        if d > limit:
            return True
        if isinstance(v, dict):
            stack.extend((c, d + 1) for c in v.values())
        elif isinstance(v, list):
            stack.extend((c, d + 1) for c in v)
    return False


def repeated(header: list[str]) -> list[str]:
    """The names a header gives more than once (in linear time: headers may be very wide)."""
    from collections import Counter
    return sorted(h for h, n in Counter(h for h in header if h).items() if n > 1)


def check_columns(header: list, file: str) -> None:
    """Refuse a header wider than MAX_CSV_COLUMNS, naming the file."""
    if len(header) > MAX_CSV_COLUMNS:
        from ..model import InputProblem
        raise InputProblem(file, 1, f"header has {len(header):,} columns, over the {MAX_CSV_COLUMNS:,} limit "
                                    "for a CSV file: keep only the columns casecheck needs")

# Numbers are kept as text exactly as written; a run of digits this long is never turned into an
# int (Python refuses over 4,300 digits, and it would cost quadratic time below that).
MAX_INT_DIGITS = 100

# Council returns.
MAX_XML_BYTES = 512 * MB
MAX_XML_TEXT_CHARS = 1 * MB  # text of one XML element (a CIN census value is a few dozen characters)
MAX_XML_ELEMENTS = 100_000  # held at once: one child's elements (the file streams child by child)
MAX_XLSX_BYTES = 128 * MB
# A workbook's parts are checked by the sizes the zip directory declares before openpyxl opens it
# (Python's zip reader never unpacks more than a part declares: a lie ends in a CRC error).
MAX_XLSX_UNZIPPED = 128 * MB  # all parts together
MAX_XLSX_PART_BYTES = 64 * MB  # one sheet (streamed by the read-only reader; an Annex A list is a few MB)
MAX_XLSX_SHARED_STRINGS_BYTES = 32 * MB  # held whole in memory by openpyxl
# Rows of children in one workbook, all lists together: an importer holds every child until the
# workbook is read (a 300,000-row workbook with shared strings at their limit peaked at 794 MB).
MAX_XLSX_ROWS = 150_000
MAX_XLSX_COLUMNS = 200  # an Annex A list has about 30; cells further right are not read
