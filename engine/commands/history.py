"""`casecheck history DB_URL`: every breach's life across the runs of a findings database.

Reads only the database (no rule or case files), and changes nothing in it. Filters are checked
against the database before anything is written: a case, team, worker or rule no run names is
refused with the nearest known one."""

from __future__ import annotations

import datetime as dt
import difflib
from typing import Iterator

import click

from ..dates import Duration, due_date
from ..history.lives import lives
from ..history.reader import History
from ..model import InputProblem
from ..views import history as views_history
from .common import EXIT_INPUT, EXIT_OK, default_calendar, output_stream

FILTERS = (("case", "case"), ("team", "team"), ("worker", "worker"), ("rule", "rule"))


def nearest(value: str, known: list[str]) -> str:
    """'; did you mean 'X'?' for the closest known value, or ''."""
    close = difflib.get_close_matches(value, known, n=1, cutoff=0.6) or difflib.get_close_matches(
        value.lower(), [k.lower() for k in known], n=1, cutoff=0.6)
    if not close:
        return ""
    match = next((k for k in known if k == close[0] or k.lower() == close[0]), close[0])
    return f"; did you mean {match!r}?"


def check_filters(h: History, chosen: dict[str, tuple]) -> None:
    """Each filter value must be named by some run taken; raises InputProblem for the first that is not."""
    for column, values in chosen.items():
        if not values:
            continue
        have = set(h.names(column, values))
        for v in values:
            if v not in have:  # only now every value of the column, for the nearest one
                raise InputProblem(h.name, None, f"no {column} {v!r} in any run{nearest(v, h.known(column))}")


def entries(h: History, chosen: dict[str, tuple], open_longer_than: Duration | None) -> Iterator[dict]:
    """The history entries, a case at a time, filtered."""
    cites = {r: info.cite for r, info in h.rules.items()}
    changed = {rule: [{"run_id": r.run_id, "as_at": r.as_at.isoformat()} for r in runs]
               for rule, runs in h.rule_changed.items()}
    teams, workers = set(chosen.get("team") or ()), set(chosen.get("worker") or ())
    latest = h.latest.as_at
    cal = default_calendar() if open_longer_than else None
    for _, rows in h.cases(chosen.get("case") or (), chosen.get("rule") or ()):
        for e in lives(rows, h.runs, cites):
            if teams and e["team"] not in teams or workers and e["worker"] not in workers:
                continue
            if open_longer_than is not None:
                if not e["open"] or not due_date(dt.date.fromisoformat(e["due"]), open_longer_than, cal) < latest:
                    continue
            e["rule_changed"] = changed.get(e["rule"], [])
            yield e


def run_history(url, cases, teams, workers, rules, open_longer_than, by, fmt, output) -> int:
    chosen = {"case": tuple(cases), "team": tuple(teams), "worker": tuple(workers), "rule": tuple(rules)}
    try:
        h = History(url)
        check_filters(h, chosen)
    except InputProblem as p:
        click.echo(f"casecheck: {p.error}", err=True)
        return EXIT_INPUT
    try:
        # case text never acts on a terminal: made visible in text, exact in CSV and JSON files
        with output_stream(output, newline="" if fmt == "csv" else None,
                           shown={"text": "text", "csv": "terminal"}.get(fmt)) as out:
            found = entries(h, chosen, open_longer_than)
            if fmt == "json":
                views_history.write_json(out, h, found)
            elif fmt == "csv":
                views_history.write_csv(out, h, found)
            else:
                views_history.write_text(out, h, found, by)
    except InputProblem as p:
        click.echo(f"casecheck: {p.error}", err=True)
        return EXIT_INPUT
    return EXIT_OK
