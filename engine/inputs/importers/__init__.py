"""Importers: the data councils already hold, read into cases in the shared event vocabulary.

One module per source: annex_a (Ofsted Annex A workbook), cin_census (DfE CIN census XML),
ssda903 (DfE looked-after children return, CSV tables). caseload.load_cases calls plan() on the
files it found, then read() for each source that is not an ordinary case file. docs/importers.md
describes every mapping.
"""

from __future__ import annotations

import os

from . import annex_a, cin_census, ssda903

FORMATS = ("annex-a", "cin-census", "ssda903", "events")
SUFFIXES = (".xlsx", ".xml")  # besides the .csv that an SSDA903 table shares with event logs
_READERS = {"annex-a": annex_a.read, "cin-census": cin_census.read, "ssda903": ssda903.read}


def detect(file: str) -> str | None:
    """The importer for a file, by content; None for an ordinary case file (YAML, JSON, event log).

    A workbook is Annex A and an XML file a CIN census (each importer then checks its sheets or
    root element and says so when they are not); a CSV is an SSDA903 table when its header is one.
    """
    low = file.lower()
    if low.endswith(".xlsx"):
        return "annex-a"
    if low.endswith(".xml"):
        return "cin-census"
    if low.endswith(".csv") and ssda903.is_903_csv(file):
        return "ssda903"
    return None


def plan(files: list[str], input_format: str | None = None) -> list[tuple[str | None, list[str]]]:
    """Group files (in the given, sorted, order) into sources: (format or None, files).

    SSDA903 tables in the same folder are one return, placed where its first table falls.
    input_format forces every file to be read as that format ("events": as ordinary case files).
    """
    out: list[tuple[str | None, list[str]]] = []
    returns: dict[str, list[str]] = {}
    for file in files:
        fmt = input_format if input_format else detect(file)
        if fmt in (None, "events"):
            out.append((None, [file]))
        elif fmt == "ssda903":
            folder = os.path.dirname(os.path.normpath(file))
            if folder not in returns:
                returns[folder] = []
                out.append((fmt, returns[folder]))
            returns[folder].append(file)
        else:
            out.append((fmt, [file]))
    return out


def read(fmt: str, files: list[str], builder) -> None:
    """Read one source into builder (a caseload.Builder); raises InputProblem if it is unreadable."""
    _READERS[fmt](files, builder)
