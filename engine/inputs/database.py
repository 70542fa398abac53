"""Case timelines read from SQL databases (docs/formats.md), through SQLAlchemy 2 Core, read-only.

A PATH such as `sqlite:///cases.db` or `postgresql://user@host/db` names a database. casecheck
reads its table or view `casecheck_events` (columns as a CSV event log: case, date, type, then
attributes; NULL means absent) joined to `casecheck_cases` where that exists (case attributes),
or, where neither is there and `ssd_` tables are, the Standard Safeguarding Dataset (inputs.ssd).

Rows come back ordered by case, date and a stable key through a server-side cursor, a case at a
time, so memory holds one case's events whatever the size of the table. Connections are opened
read-only wherever the driver allows (SQLite `mode=ro`, PostgreSQL
`default_transaction_read_only`); nothing here ever writes. Messages name the database with its
password hidden.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import re
from dataclasses import dataclass
from typing import Iterator

import sqlalchemy as sa

from ..dates import parse_date
from ..model import MAX_ERRORS_PER_FILE, InputError, InputProblem
from .dbtables import Query, capped, columns, split_name, value_kind
from .limits import MAX_CELL_CHARS
from .secrets import connectable_url, mask_url, scrub
from .files import TABLES_KEY
from .values import bad_date_attribute, event_type, normalise_value

CONNECT_TIMEOUT = 10  # seconds: a URL that does not answer is an input error, never a hang
YIELD_PER = 2000  # rows fetched from the server-side cursor at a time
# The driver each kind of database is read through, and the extra that installs it.
DRIVERS = {"sqlite": ("sqlite+pysqlite", None), "postgresql": ("postgresql+psycopg", "postgresql"),
           "mssql": ("mssql+pyodbc", "mssql"), "oracle": ("oracle+oracledb", "oracle")}
_CONNECT_ARGS = {  # a short connect timeout, and read-only sessions where the driver can say so
    "postgresql": {"connect_timeout": CONNECT_TIMEOUT, "options": "-c default_transaction_read_only=on"},
    "mssql": {"timeout": CONNECT_TIMEOUT},
    "oracle": {"tcp_connect_timeout": CONNECT_TIMEOUT},
}
# How long to wait, in seconds: on a SQLite database another program is writing (its busy
# timeout), and for one statement on a server before it is cancelled. Set by --statement-timeout
# and the settings file (configure).
TIMEOUTS = {"busy": 60.0, "statement": 300.0}


def configure(busy: float | None = None, statement: float | None = None) -> None:
    if busy is not None:
        TIMEOUTS["busy"] = busy
    if statement is not None:
        TIMEOUTS["statement"] = statement


_UNITS = {"ms": 0.001, "millisecond": 0.001, "s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60,
          "h": 3600, "hour": 3600}


def parse_timeout(text) -> float:
    """Seconds from `300`, `30 s`, `5 minutes`, `1 hour`; ValueError otherwise."""
    if isinstance(text, (int, float)) and not isinstance(text, bool) and text > 0:
        return float(text)
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]*?)s?\s*", str(text).lower(), re.ASCII)
    unit = m and (m.group(2) or "s")
    if not m or unit not in _UNITS or float(m.group(1)) <= 0:
        raise ValueError(f"not a length of time such as '5 minutes' or '30 seconds': {text!r}")
    return float(m.group(1)) * _UNITS[unit]


def seconds_text(s: float) -> str:
    if s >= 60 and s % 60 == 0:
        m = int(s // 60)
        return f"{m} minute{'s' if m != 1 else ''}"
    return f"{s:g} second{'s' if s != 1 else ''}"


_TIMED_OUT = ("statement timeout", "canceling statement", "query timeout", "ora-01013")


def timed_out(db: "Database", e: BaseException, what: str) -> InputProblem | None:
    """The problem to report when e is the server cancelling a statement that ran too long."""
    msg = str(getattr(e, "orig", None) or e).lower()
    if any(t in msg for t in _TIMED_OUT):
        return InputProblem(db.name, None, f"{what}: reading took longer than the statement timeout of "
                                           f"{seconds_text(TIMEOUTS['statement'])} and was stopped (set a longer "
                                           "one with --statement-timeout or `statement_timeout` in the settings "
                                           "file); none of its cases was checked")
    return None


# Column types an attribute may have: text, numbers, booleans, dates (NullType: SQLite, untyped).
_SCALAR_TYPES = (sa.String, sa.Integer, sa.Numeric, sa.Float, sa.Double, sa.Boolean, sa.Date, sa.DateTime, sa.Uuid, sa.types.NullType)
_DATE_TYPES = (sa.Date, sa.DateTime, sa.String, sa.types.NullType)


@dataclass(frozen=True)
class Tables:
    """Which tables or views to read: --events-table and --cases-table, or casecheck's names."""

    events: str = "casecheck_events"
    cases: str = "casecheck_cases"
    named: bool = False  # the events table was named: read it, never fall back to the SSD
    order_by: str | None = None  # --order-by: the column that orders same-date events


def chosen_tables() -> Tables:
    """The tables named on the command line (cli.py keeps them in click's context), else the defaults."""
    import click
    ctx = click.get_current_context(silent=True)
    named = ctx.meta.get(TABLES_KEY, {}) if ctx is not None else {}
    return Tables(named.get("events_table") or Tables.events, named.get("cases_table") or Tables.cases,
                  "events_table" in named, named.get("order_by"))


class Database:
    """One database named by a URL: its name for messages (password hidden) and its engine."""

    def __init__(self, text: str, read_only: bool = True):
        self.text = text
        try:
            url = sa.make_url(connectable_url(text))
        except (sa.exc.ArgumentError, ValueError):
            raise InputProblem(mask_url(text), None, "not a database URL casecheck can read (for example "
                                                   "sqlite:///cases.db or postgresql://user@host/db)") from None
        self.name = mask_url(text)
        self.password = url.password
        backend = "postgresql" if url.get_backend_name() in ("postgres", "postgresql") else url.get_backend_name()
        if backend not in DRIVERS:
            raise InputProblem(self.name, None, f"casecheck does not read {backend} databases "
                                                f"(it reads {', '.join(DRIVERS)})")
        self.backend = backend
        driver, extra = DRIVERS[backend]
        if "+" not in url.drivername or url.get_backend_name() == "postgres":
            url = url.set(drivername=driver)
        if backend == "sqlite":
            url = _sqlite_url(url, self.name, read_only)
        args = dict(_CONNECT_ARGS.get(backend, {}))
        if backend == "sqlite":
            args["timeout"] = TIMEOUTS["busy"]  # wait for another program's write lock, reading or writing
        elif backend == "postgresql" and read_only:
            args["options"] += f" -c statement_timeout={int(TIMEOUTS['statement'] * 1000)}"
        if not read_only:
            args.pop("options", None)
        elif "options" in args and url.query.get("options"):  # keep the URL's own (a search_path, say)
            args["options"] = f"{url.query['options']} {args['options']}"
        try:
            self.engine = sa.create_engine(url, connect_args=args, poolclass=sa.pool.NullPool)
        except ModuleNotFoundError as e:
            raise InputProblem(self.name, None, f"the driver for {backend} is not installed ({e.name}): "
                                                f"pip install 'casecheck[{extra}]'") from None
        except (sa.exc.ArgumentError, sa.exc.NoSuchModuleError) as e:
            raise InputProblem(self.name, None, f"cannot use this database URL: {self.clean(e)}") from None

    def clean(self, e: BaseException) -> str:
        """A driver's message without SQLAlchemy's echo of the statement, and never the password."""
        msg = str(getattr(e, "orig", None) or e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        return scrub(msg.replace(self.password, "***") if self.password else msg)

    def problem(self, e: BaseException, doing: str) -> InputProblem:
        return InputProblem(self.name, None, f"{doing}: {self.clean(e)}")

    @contextlib.contextmanager
    def connect(self):
        """A connection, its failure to open an InputProblem naming the database."""
        try:
            conn = self.engine.connect()
        except sa.exc.SQLAlchemyError as e:
            raise self.problem(e, "cannot connect to the database") from None
        try:
            if self.backend == "sqlite":
                conn.exec_driver_sql("PRAGMA query_only = ON")
            yield conn
        finally:
            conn.close()
            self.engine.dispose()


def _scrub(text: str) -> str:
    """A URL SQLAlchemy could not parse, its password hidden."""
    return mask_url(text)


def _sqlite_url(url: sa.URL, name: str, read_only: bool) -> sa.URL:
    import os
    from urllib.parse import quote
    path = url.database
    if not path or path == ":memory:":
        raise InputProblem(name, None, "names no database file (write sqlite:///path/to/cases.db)")
    if read_only:
        if not os.path.isfile(path):
            raise InputProblem(name, None, f"no such database file: {path}")
        # SQLite's URI form opens the file read-only: nothing casecheck does can change it. A
        # WAL-mode file no program has open (no -wal or -shm beside it) is opened immutable, so
        # that reading it leaves no -wal, -shm or -journal file behind either.
        idle = not any(os.path.exists(path + s) for s in ("-wal", "-shm", "-journal"))
        return sa.URL.create("sqlite+pysqlite", database="file:" + quote(os.path.abspath(path)),
                             query={"mode": "ro", "uri": "true", **({"immutable": "1"} if idle else {})})
    return url


# --- reading a table of events ------------------------------------------------------------------

def _table(table: str, cols: dict, alias: str):
    schema, name = split_name(table)
    return sa.table(name, *(sa.column(c["name"]) for c in cols.values()), schema=schema).alias(alias)


def _check_type(cols: dict, col: str, allowed: tuple, table: str, name: str, expected: str) -> None:
    t = cols[col]["type"]
    if not isinstance(t, allowed):
        raise InputProblem(name, None, f"table {table}: column {cols[col]['name']} has type {t}; {expected}")


def events_query(db: Database, conn, tables: Tables, notes: list[InputError] | None = None) -> Query:
    """The ordered select over the events table (and the case table where there is one).

    Same-date events of a case are in the order of --order-by's column (numbers as numbers, see
    _cases), then the table's primary key, else SQLite's rowid, else (a view, or a table with no
    key) by type and then every other column in the table's order: an order that never changes
    between runs, named in one warning (in notes) with the option that chooses another."""
    cols = columns(conn, tables.events, db.name)
    if cols is None:
        raise InputProblem(db.name, None, f"no table or view {tables.events}" + (
            "" if tables.named else " (and no Standard Safeguarding Dataset ssd_ tables): name the events "
                                    "table with --events-table"))
    missing = [c for c in ("case", "date", "type") if c not in cols]
    if missing:
        raise InputProblem(db.name, None, f"table {tables.events} has no {', '.join(missing)} column "
                                          "(needs case, date, type)")
    _check_type(cols, "date", _DATE_TYPES, tables.events, db.name, "expected DATE, TIMESTAMP or ISO text (YYYY-MM-DD)")
    _check_type(cols, "type", (sa.String, sa.types.NullType), tables.events, db.name, "expected text")
    for c in cols:
        _check_type(cols, c, _SCALAR_TYPES, tables.events, db.name, "expected text, a number, a boolean or a date")
    ev = _table(tables.events, cols, "e")
    attr_cols = [c for c in cols if c not in ("case", "date", "type")]
    schema, name = split_name(tables.events)
    pk = sa.inspect(conn).get_pk_constraint(name, schema=schema).get("constrained_columns") or []
    chosen = []
    if tables.order_by:
        if tables.order_by.lower() not in cols:
            raise InputProblem(db.name, None, f"--order-by {tables.order_by}: table {tables.events} has no such "
                                              f"column; its columns: {', '.join(c['name'] for c in cols.values())}")
        chosen = [ev.c[cols[tables.order_by.lower()]["name"]]]
    view = name in sa.inspect(conn).get_view_names(schema=schema)  # has_table() is true of a view too
    if pk:
        order = [ev.c[k] for k in pk]
    elif db.backend == "sqlite" and not view:
        order = [sa.literal_column("e.rowid")]  # insertion order, as a CSV export keeps it
    else:
        by = [cols["type"]["name"]] + [cols[c]["name"] for c in attr_cols]
        order = [ev.c[c] for c in by]  # no key: the same order every run, if not a meaningful one
        if not chosen and notes is not None:
            kind = "view" if view else "table"
            notes.append(InputError(db.name, None, f"{kind} {tables.events} has no key, so events of a case on "
                                                   f"the same date are taken in order of {', '.join(by)}; give "
                                                   "--order-by COLUMN to order them by a column of yours"))
    key = order[0] if order else sa.null()
    case_col = ev.c[cols["case"]["name"]]

    def cell(c):  # no cell is fetched longer than the limit plus one character (then refused)
        return capped(db, ev.c[cols[c]["name"]], cols[c]["type"])
    select_cols = [cell("case"), cell("date"), cell("type"), sa.literal(0), key, *(cell(c) for c in attr_cols)]
    src = ev
    case_attrs: list[str] = []
    bad: dict[str, str] = {}
    ccols = columns(conn, tables.cases, db.name)
    if ccols is not None:
        if "case" not in ccols:
            raise InputProblem(db.name, None, f"table {tables.cases} has no case column")
        for c in ccols:
            _check_type(ccols, c, _SCALAR_TYPES, tables.cases, db.name, "expected text, a number, a boolean or a date")
        ct = _table(tables.cases, ccols, "c")
        ckey = ct.c[ccols["case"]["name"]]
        left, right = case_col, ckey
        if type(cols["case"]["type"]) is not type(ccols["case"]["type"]):
            left, right = sa.cast(case_col, sa.String), sa.cast(ckey, sa.String)
        src = ev.outerjoin(ct, left == right)
        case_attrs = [ccols[c]["name"] for c in ccols if c != "case"]
        select_cols += [capped(db, ct.c[c], ccols[c.lower()]["type"]) for c in case_attrs]
        dupes = sa.select(ckey, sa.func.count()).group_by(ckey).having(sa.func.count() > 1).limit(MAX_ERRORS_PER_FILE)
        try:
            for cid, n in conn.execute(dupes):
                bad[_case_text(cid)] = f"table {tables.cases} has {n} rows for case {_case_text(cid)}; keep one"
        except sa.exc.SQLAlchemyError as e:
            raise db.problem(e, f"cannot read table {tables.cases}") from None
    order_at = len(select_cols) if chosen else None
    stmt = sa.select(*select_cols, *chosen).select_from(src).order_by(case_col, ev.c[cols["date"]["name"]],
                                                                       *chosen, *order)
    n = 5 + len(attr_cols)
    return Query(stmt, [[(cols[c]["name"], 5 + i, value_kind(cols[c]["type"])) for i, c in enumerate(attr_cols)]],
                 [(a, n + i, value_kind(ccols[a.lower()]["type"])) for i, a in enumerate(case_attrs)],
                 [(tables.events, pk[0] if pk else "row")], bad, tables.cases, order_at)


def _too_long(value) -> bool:
    return isinstance(value, str) and len(value) > MAX_CELL_CHARS


def _case_text(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip() if value is not None else ""


def attr_text(value) -> str | None:
    """A column's value as attribute text, as a CSV cell would give it; None: absent."""
    if isinstance(value, decimal.Decimal):
        value = int(value) if value == value.to_integral_value() else float(value)
    elif isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()  # a DATETIME column holding dates: the date, as an export would show it
    elif isinstance(value, (bytes, bytearray, memoryview)):
        raise ValueError("holds binary data")
    return normalise_value(value)


def query_for(db: Database, conn, tables: Tables, notes: list[InputError] | None) -> Query:
    """The events table, or the SSD where the database holds no events table but ssd_ tables."""
    from . import ssd
    if not tables.named and columns(conn, tables.events, db.name) is None and ssd.present(conn):
        if tables.order_by:
            raise InputProblem(db.name, None, f"--order-by {tables.order_by}: the Standard Safeguarding Dataset's "
                                              "tables are read in the order of their keys; --order-by orders a "
                                              "table of events (--events-table)")
        return ssd.query(db, conn, notes)
    return events_query(db, conn, tables, notes)


def iter_cases(text: str, tables: Tables | None = None, notes: list[InputError] | None = None,
               base: int = 0) -> Iterator[tuple]:
    """Yield ("case", id, attrs, rows) per case, rows (date, type, attrs, seq, None) in order, and
    ("error", InputError, case id or None) for a row that cannot be read (its case is then not to
    be checked). Raises InputProblem where the database cannot be read at all, or stops part-way."""
    db = Database(text)
    tables = tables or chosen_tables()
    with db.connect() as conn:
        try:
            q = query_for(db, conn, tables, notes)
        except sa.exc.SQLAlchemyError as e:
            raise db.problem(e, "cannot read the database's tables") from None
        for cid, why in q.bad_cases.items():
            yield "error", InputError(db.name, None, why), cid
        try:
            result = conn.execution_options(stream_results=True, yield_per=YIELD_PER).execute(q.stmt)
            yield from _cases(db, q, result, base)
        except sa.exc.SQLAlchemyError as e:
            raise (timed_out(db, e, f"table {tables.events}")
                   or db.problem(e, "reading stopped part-way; none of its cases was checked")) from None


def _order_value(value) -> tuple:
    """How --order-by's column orders same-date rows: numbers as numbers (10 after 9, in a text
    column too), then other values as text, then rows with none."""
    if isinstance(value, bool) or value is None:
        return (2, 0, "") if value is None else (0, decimal.Decimal(int(value)), "")
    if isinstance(value, (int, float, decimal.Decimal, str)):
        try:
            number = decimal.Decimal(str(value).strip())
            if number.is_finite():
                return (0, number, "")
        except decimal.InvalidOperation:
            pass
    return (1, 0, value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else str(value))


def _sorted_rows(rows: list, values: list) -> list:
    """A case's rows with same-date rows in the order of their --order-by values; the sequence
    numbers (what orders same-date events from here on) given out again in that order."""
    order = sorted(range(len(rows)), key=lambda i: (rows[i][0], _order_value(values[i])))
    seqs = sorted(r[3] for r in rows)
    return [(*rows[i][:3], seq, *rows[i][4:]) for i, seq in zip(order, seqs)]


def _cases(db: Database, q: Query, result, base: int) -> Iterator[tuple]:
    for item in _cases_as_read(db, q, result, base):
        if item[0] == "case":  # with --order-by, each case's rows sorted as the column's values say
            item = (*item[:3], item[3] if q.order_at is None else _sorted_rows(item[3], item[4]))
        yield item


def _cases_as_read(db: Database, q: Query, result, base: int) -> Iterator[tuple]:
    """("case", id, attrs, rows, --order-by values of the rows) per case, and ("error", ...) items."""
    cur, rows, cattrs, errors, n = None, [], {}, 0, 0
    values: list = []
    dates: dict = {}  # the same dates come back again and again: parse each once
    types: set[str] = set()
    for row in result:
        n += 1
        cid = _case_text(row[0])
        if cid != cur and cid:
            if cur is not None:
                yield "case", cur, cattrs or {}, rows, values
            cur, rows, cattrs, values = cid, [], None, []
        table, keycol = q.sources[row[3]]
        try:
            if not cid:
                raise ValueError("row has no case")
            for what, v in (("case", row[0]), ("date", row[1]), ("type", row[2])):
                if _too_long(v):
                    raise ValueError(f"column {what} holds more than {MAX_CELL_CHARS:,} characters, the limit "
                                     "for one cell")
            if cattrs is None:
                cattrs = {}
                cattrs = _attrs(q.case_attrs, row, f"table {q.cases_table}: ")
                bad = bad_date_attribute(cid, "date_of_birth", cattrs.get("date_of_birth"))
                if bad:  # reported, but the case is still checked (as if its date of birth were unknown)
                    yield "error", InputError(db.name, None, f"table {q.cases_table}: {bad}"), None
            raw = row[1]
            date = dates.get(raw) if isinstance(raw, (str, dt.date)) else None
            if date is None:
                if raw is None:
                    raise ValueError("row has no date")
                date = parse_date(raw)
                if len(dates) < 100_000:
                    dates[raw] = date
            etype = row[2]
            if etype not in types:
                etype = event_type(etype.strip() if isinstance(etype, str) else etype)
                types.add(etype)
            rows.append((date, etype, _attrs(q.attrs[row[3]], row), base | n, None))
            if q.order_at is not None:
                values.append(row[q.order_at])
        except ValueError as e:
            key = f"row {keycol}={row[4]}" if keycol != "row" else f"row {n} in case order"
            what = f"case {cid}: " if cid else ""
            yield "error", InputError(db.name, None, f"table {table}, {key}: {what}{e}"), cid or None
            errors += 1
            if errors >= MAX_ERRORS_PER_FILE:
                raise InputProblem(db.name, None, f"more than {MAX_ERRORS_PER_FILE} bad rows; the rest was not "
                                                  "read and none of its cases was checked")
    if cur is not None:
        yield "case", cur, cattrs or {}, rows, values


def _attrs(places: list[tuple[str, int, str | None]], row, where: str = "") -> dict:
    out = {}
    for name, i, date in places:
        v = row[i]
        if v is None:
            continue
        if _too_long(v):
            raise ValueError(f"{where}column {name} holds more than {MAX_CELL_CHARS:,} characters, the limit for "
                             "one cell")
        try:
            # SQLite hands back a DATETIME column's text: its date, as other databases give it.
            text = (parse_date(v).isoformat() if date == "date" else
                    ("true" if v else "false") if date == "bool" and isinstance(v, (bool, int)) else attr_text(v))
        except ValueError as e:
            raise ValueError(f"{where}column {name} {e}") from None
        if text is not None:
            out[name] = text
    return out


def read_database(text: str, b, tables: Tables | None = None) -> None:
    """Every case in the database into a caseload builder (inputs.cases.Builder)."""
    from ..model import Event
    touched: dict[str, None] = {}
    try:
        for item in iter_cases(text, tables, b.notes, b.seq):
            if item[0] == "error":
                b.fail(item[1].file, item[1].line, item[1].message, item[2])
                continue
            _, cid, attrs, rows = item
            touched[cid] = None
            case = b.case(cid, item_source(text))
            for k, v in attrs.items():  # another source giving another value is an error naming both
                b.set_attr(case.attrs, cid, k, v, case.source, None)
            case.events.extend(Event(d, t, a, b.next_seq(), case.source, None) for d, t, a, _, _ in rows)
    except InputProblem as p:
        for cid in touched:  # stopped part-way: every case read so far may be incomplete
            b.tainted.setdefault(cid, p.error)
        raise


def item_source(text: str) -> str:
    """The database's name as events and errors give their source: the URL, password hidden."""
    return mask_url(text)

