"""Safe file names from untrusted ids (case ids, workers, teams, rules).

Letters, digits, `-` and `_` are kept, anything else replaced by `_`; a name that changed, that a
Windows share refuses (CON, NUL, COM1, ...), that is empty or too long, or that meets another
name when letter case is ignored (as Windows and macOS shares compare them) gets a short hash of
the id as suffix. The result never leaves its folder: no `/`, `\\`, `.` or `:` is kept.
"""

from __future__ import annotations

import hashlib
import re
from typing import Iterable

_UNSAFE = re.compile(r"[^A-Za-z0-9_-]")
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}
MAX = 80


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:8]


def _plain(value: str) -> tuple[str, bool]:
    """(the kept characters, whether the name had to change)."""
    name = _UNSAFE.sub("_", value)
    changed = name != value or not name or name.lower() in _RESERVED or len(name) > MAX
    return name[:MAX], changed


def safe_names(values: Iterable[str], taken: Iterable[str] = ()) -> dict[str, str]:
    """A distinct safe file name (without extension) for each value; `taken` names already used."""
    values = sorted(set(values))
    plain = {v: _plain(v) for v in values}
    count: dict[str, int] = {}
    for t in taken:
        count[t.lower()] = count.get(t.lower(), 0) + 1
    for name, changed in plain.values():
        if not changed:  # a changed name gets its id's hash whatever it meets: it takes no plain name
            count[name.lower()] = count.get(name.lower(), 0) + 1
    out: dict[str, str] = {}
    for v, (name, changed) in plain.items():
        if changed or count[name.lower()] > 1:
            name = f"{name}-{_hash(v)}" if name else f"_-{_hash(v)}"
        out[v] = name
    # an id crafted to look like another's hashed name: those two get the longer hash
    seen: dict[str, list[str]] = {}
    for v, name in out.items():
        seen.setdefault(name.lower(), []).append(v)
    for vs in (vs for vs in seen.values() if len(vs) > 1):
        for v in vs:
            out[v] = f"{plain[v][0] or '_'}-{hashlib.sha256(v.encode('utf-8', 'surrogatepass')).hexdigest()[:24]}"
    return out
