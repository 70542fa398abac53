"""Which files to read: paths and folders expanded into a sorted list of files of the wanted kinds."""

from __future__ import annotations

import os
import re
from typing import Iterable

from ..model import InputError


URL_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(\+[A-Za-z0-9_]+)?://")


def is_database_url(path) -> bool:
    """True for `scheme://...` (a database URL, read by inputs.database); file paths never match."""
    return isinstance(path, str) and bool(URL_RE.match(path))


TABLES_KEY = "casecheck.database_tables"  # click context meta: --events-table / --cases-table


def split_sources(paths) -> tuple[list[str], list[str]]:
    """(database URLs, file paths), each in the order given."""
    paths = list(paths)
    return [p for p in paths if is_database_url(p)], [p for p in paths if not is_database_url(p)]


def find_files(paths: Iterable[str], suffixes: tuple[str, ...], what: str) -> tuple[list[str], list[InputError]]:
    """Expand files and folders (recursively) into a sorted list of files with these suffixes."""
    found, errors = set(), []
    for p in paths:
        if os.path.isdir(p):
            inside = {os.path.join(root, f)
                      for root, dirs, files in os.walk(p) if not _hidden(root, p)
                      for f in files if f.lower().endswith(suffixes) and not f.startswith(".")}
            if not inside:
                errors.append(InputError(p, None, f"no {what}s in this folder ({', '.join(suffixes)})"))
            found |= inside
        elif os.path.isfile(p):
            if p.lower().endswith(suffixes):
                found.add(p)
            else:
                errors.append(InputError(p, None, f"not a {what} (expected {', '.join(suffixes)})"))
        else:
            errors.append(InputError(p, None, "no such file or folder"))
    return sorted(found, key=os.path.normpath), errors


def _hidden(root: str, top: str) -> bool:
    rel = os.path.relpath(root, top)
    return rel != "." and any(part.startswith(".") for part in rel.split(os.sep))
