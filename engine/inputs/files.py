"""Which files to read: paths and folders expanded into a sorted list of files of the wanted kinds.

Every path that cannot be read is named, never skipped in silence: an unreadable sub-folder, a
link that leads nowhere (dangling, or a loop), and anything that is not a regular file (a pipe
or a device would block or never end). Links to folders are not followed, so a loop of links
cannot make a walk endless; the files found in readable places are still read.
"""

from __future__ import annotations

import errno
import os
import re
import stat
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
            before = len(errors)
            inside = set()

            def unreadable(e: OSError) -> None:
                errors.append(InputError(e.filename or p, None, f"cannot read this folder ({e.strerror or e}); "
                                                                f"the {what}s in it were not read"))
            for root, dirs, files in os.walk(p, onerror=unreadable):
                if _hidden(root, p):
                    continue
                for f in files:
                    if f.lower().endswith(suffixes) and not f.startswith("."):
                        path = os.path.join(root, f)
                        problem = _not_readable(path)
                        if problem:
                            errors.append(InputError(path, None, problem))
                        else:
                            inside.add(path)
            if not inside and len(errors) == before:
                errors.append(InputError(p, None, f"no {what}s in this folder ({', '.join(suffixes)})"))
            found |= inside
        elif os.path.isfile(p):
            if p.lower().endswith(suffixes):
                found.add(p)
            else:
                errors.append(InputError(p, None, f"not a {what} (expected {', '.join(suffixes)})"))
        else:
            errors.append(InputError(p, None, _not_readable(p) or "no such file or folder"))
    return sorted(found, key=os.path.normpath), errors


def _not_readable(path: str) -> str | None:
    """Why the file at path cannot be read as a file, or None when it can."""
    try:
        st = os.stat(path)
    except OSError as e:
        if os.path.islink(path):
            if e.errno == errno.ELOOP:
                return "a link in a loop of links: fix or remove it"
            return f"a link to {os.readlink(path)!r}, which does not exist: fix or remove it"
        return f"cannot read: {e.strerror or e}" if e.errno != errno.ENOENT else None
    if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
        return "not a regular file (a pipe, socket or device): not read"
    return None


def _hidden(root: str, top: str) -> bool:
    rel = os.path.relpath(root, top)
    return rel != "." and any(part.startswith(".") for part in rel.split(os.sep))
