"""Databases in the streaming check (stream.check_paths): cases read a case at a time, in the
database's case order, and handed to the same batches of the same workers as a CSV log's runs.

A case met again after its rows ended (in another input, or apart in the database's own order,
as a case-insensitive collation can put it) is deferred and read again whole, as stream.py does
for an ungrouped CSV log.
"""

from __future__ import annotations

from ..model import Case, Event, InputError, InputProblem

# inputs.database (and SQLAlchemy) are imported only when a database is named: checking files
# never pays for them.


def read_database(p, url: str, fi: int, log, base: int) -> None:
    """One database through the pass p (stream._Pass); its errors and spoiled cases into log."""
    from ..inputs.database import item_source, iter_cases
    seen, deferred = p.seen, p.deferred
    source = item_source(url)
    try:
        for item in iter_cases(url, notes=log.notes, base=base):  # warnings once: not on a second reading
            if item[0] == "error":
                _, err, cid = item
                log.errors.append(err)
                if cid is not None:
                    log.taints.append((cid, err))
                    p.tainted.add(cid)
                continue
            _, cid, attrs, rows = item
            for row in rows:  # every event type read, for the warnings about unknown types
                p.census.add(row[1], source, None)
            if cid in seen:
                deferred[cid] = None
                p.reread_files.update((fi, seen[cid]))
                continue
            seen[cid] = fi
            table = p.tables.get(cid, {})  # a CSV case table's attributes for this case
            clash = [k for k in attrs if k in table and table[k] != attrs[k]]
            if clash:
                err = InputError(item_source(url), None, f"case {cid}: {clash[0]} is {attrs[clash[0]]!r} here but "
                                                         f"{table[clash[0]]!r} in a case table; correct one of them")
                log.errors.append(err)
                log.taints.append((cid, err))
                p.tainted.add(cid)
            if cid not in p.tainted:
                p.emit((cid, {**table, **attrs}, source, rows))
    except InputProblem as e:
        log.errors.append(e.error)
        # Stopped part-way: nothing read from it can be trusted whole (its cases are those it
        # saw first, and those deferred because it met them again).
        for cid in [c for c, f in seen.items() if f == fi] + [c for c in deferred if c not in seen or seen[c] != fi]:
            log.taints.append((cid, e.error))
            p.tainted.add(cid)


def reread_database(url: str, cases: dict[str, Case], base: int) -> None:
    """Add the rows (and attributes) of these cases from the database to them."""
    from ..inputs.database import item_source, iter_cases
    try:
        for item in iter_cases(url, base=base):
            if item[0] == "case" and item[1] in cases:
                case = cases[item[1]]
                for k, v in item[2].items():
                    case.attrs.setdefault(k, v)
                case.events.extend(Event(d, t, a, s, item_source(url), None) for d, t, a, s, _ in item[3])
    except InputProblem:
        pass  # reported by the first pass, and every case it touched is not checked


def approx_bytes(url: str) -> int:
    """The size of a SQLite database file (0 for a server): is it worth starting worker processes?"""
    import os
    from urllib.parse import unquote
    from ..inputs.database import Database
    try:
        db = Database(url)
    except InputProblem:
        return 0  # reported when it is read
    path = db.engine.url.database or ""
    return os.path.getsize(unquote(path[5:])) if db.backend == "sqlite" and path.startswith("file:") else 0
