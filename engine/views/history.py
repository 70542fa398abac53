"""`casecheck history`'s writers: text grouped by case, team, worker or rule; JSON; CSV.

Entries (casecheck.history.lives) arrive a case at a time; text grouped by case, JSON and CSV are
written as they come, so memory holds one case's history. Text grouped otherwise holds the
entries to sort them.
"""

from __future__ import annotations

import json
import textwrap
from typing import Iterable, TextIO

import orjson

from ..history.lives import counts, new_at_latest
from ..history.reader import History
from .findings import spreadsheet_writer
from .wording import plural

BY = ("case", "team", "worker", "rule")
CSV_COLUMNS = ("case", "rule", "title", "cite", "severity", "team", "worker", "trigger_type", "trigger_date", "due",
               "first_seen", "last_seen", "times_seen", "open", "put_right_as_at", "put_right_date",
               "put_right_how", "days_open", "excused")
WIDTH = 100
_NONE = {"team": "(no team)", "worker": "(no worker)"}


def _days(n: int) -> str:
    return f"{n:,} day{'' if n == 1 else 's'}"


def _runs_line(h: History) -> str:
    r = h.runs
    span = r[0].as_at.isoformat() if len(r) == 1 else f"{r[0].as_at} to {r[-1].as_at}"
    return (f"History of the breaches in {h.name}: {plural(len(r), 'run', 'runs')} as at {span}; the latest "
            f"run {r[-1].run_id} started {r[-1].started_at:%Y-%m-%d %H:%M} UTC.")


def _entry_lines(e: dict, h: History) -> list[str]:
    ind = "      "
    lines = [f"  {e['rule']}" + (" [warning]" if e["severity"] == "warning" else "") + f": {e['title']}"]
    if e["cite"]:
        lines.append(f"{ind}{e['cite']}")
    who = ", ".join(x for x in (e["worker"] and f"worker {e['worker']}", e["team"] and f"team {e['team']}") if x)
    lines.append(f"{ind}{e['trigger']['type']} {e['trigger']['date']}, due {e['due']}" + (f"; {who}" if who else ""))
    lines.append(f"{ind}first seen {e['first_seen']}, last seen {e['last_seen']}, "
                 f"seen in {plural(e['times_seen'], 'run', 'runs')}")
    pr = e["put_right"]
    if e["open"]:
        state = f"open at the latest run ({e['runs'][-1]['status']}), {_days(e['days_open'])} open"
        if e["opened_again"]:
            state += "; it opened again after being put right"
    elif pr:
        on = f" on {pr['date']}" if pr["date"] else ""
        state = f"put right at the run as at {pr['as_at']}: {pr['how']}{on}; {_days(e['days_open'])} open"
    else:
        state = f"closed; {_days(e['days_open'])} open"
    lines.append(ind + state)
    seen = ", ".join(f"{r['as_at']} {r['status']}" + (" (excused)" if r["excused"] else "") for r in e["runs"])
    lines += textwrap.wrap("runs: " + seen, WIDTH, initial_indent=ind, subsequent_indent=ind + "  ",
                           break_on_hyphens=False)
    if e["excused"]:
        x = e["excused"]
        lines += textwrap.wrap(f"excused: {x['reason']} (approved by {x['approver']}), from the run as at "
                               f"{x['as_at']}", WIDTH, initial_indent=ind, subsequent_indent=ind + "  ")
    if e["rule_changed"]:
        lines.append(ind + "its rule changed in the runs as at " + ", ".join(r["as_at"] for r in e["rule_changed"]))
    return [part for line in lines for part in _wrapped(line)]


def _wrapped(line: str) -> list[str]:
    """A line of at most WIDTH columns where words allow, continued two columns further in."""
    if len(line) <= WIDTH:
        return [line]
    lead = " " * (len(line) - len(line.lstrip(" ")))
    return textwrap.wrap(line, WIDTH, initial_indent="", subsequent_indent=lead + "  ", break_on_hyphens=False,
                         break_long_words=False) or [line]


def _group_head(by: str, name: str | None, group: list[dict], h: History) -> str:
    c = counts(group, h.runs)
    label = {"case": "Case", "team": "Team", "worker": "Worker", "rule": "Rule"}[by]
    shown = name if name else _NONE.get(by, "(none)")
    return (f"{label} {shown}: {plural(len(group), 'finding', 'findings')}, {c['open']:,} open, "
            f"{c['put_right']:,} put right, {c['new']:,} new at the latest run")


def write_text(out: TextIO, h: History, entries: Iterable[dict], by: str = "case") -> None:
    out.write("\n".join(textwrap.wrap(_runs_line(h), WIDTH, break_on_hyphens=False, break_long_words=False)) + "\n")
    for r in h.set_aside:
        out.write(f"Set aside: run {r.run_id} (as at {r.as_at}, started {r.started_at:%Y-%m-%d %H:%M}): a later "
                  f"run has the same as-at date.\n")
    total = {"n": 0, "open": 0, "put_right": 0, "new": 0}

    def groups():
        if by == "case":
            current, group = object(), []
            for e in entries:
                if e["case"] != current and group:
                    yield current, group
                    group = []
                current = e["case"]
                group.append(e)
            if group:
                yield current, group
        else:
            held = sorted(entries, key=lambda e: (e[by] is None, e[by] or "", e["case"], e["due"], e["rule"]))
            i = 0
            while i < len(held):
                j = i
                while j < len(held) and held[j][by] == held[i][by]:
                    j += 1
                yield held[i][by], held[i:j]
                i = j

    for name, group in groups():
        c = counts(group, h.runs)
        total["n"] += len(group)
        for k in ("open", "put_right", "new"):
            total[k] += c[k]
        out.write("\n" + _group_head(by, name, group, h) + "\n")
        for e in group:
            if by != "case":
                out.write(f"  case {e['case']}\n")
            out.write("\n".join(_entry_lines(e, h)) + "\n")
    out.write(f"\n{plural(total['n'], 'finding', 'findings')} that were breaches: {total['open']:,} open at the "
              f"latest run, {total['put_right']:,} put right, {total['new']:,} new at the latest run.\n")


def _public(e: dict) -> dict:
    return {k: v for k, v in e.items() if k != "key"}


def _dumps(value) -> str:
    # orjson's indent-2 text is json.dumps(indent=2, ensure_ascii=False)'s, at a fraction of the cost
    return orjson.dumps(value, option=orjson.OPT_INDENT_2).decode()


def write_json(out: TextIO, h: History, entries: Iterable[dict]) -> None:
    head = {"database": h.name, "runs": [r.as_dict() for r in h.runs],
            "set_aside": [r.as_dict() for r in h.set_aside]}
    text = json.dumps(head, indent=2, ensure_ascii=False)
    out.write(text[:-2] + ',\n  "findings": [')
    first = True
    for e in entries:
        out.write(("\n    " if first else ",\n    ") + _dumps(_public(e)).replace("\n", "\n    "))
        first = False
    out.write("]\n}\n" if first else "\n  ]\n}\n")


def csv_row(e: dict) -> dict:
    pr = e["put_right"] or {}
    return {"case": e["case"], "rule": e["rule"], "title": e["title"], "cite": e["cite"], "severity": e["severity"],
            "team": e["team"] or "", "worker": e["worker"] or "", "trigger_type": e["trigger"]["type"],
            "trigger_date": e["trigger"]["date"], "due": e["due"], "first_seen": e["first_seen"],
            "last_seen": e["last_seen"], "times_seen": e["times_seen"], "open": "true" if e["open"] else "false",
            "put_right_as_at": pr.get("as_at") or "", "put_right_date": pr.get("date") or "",
            "put_right_how": pr.get("how") or "", "days_open": e["days_open"],
            "excused": "true" if e["excused"] else "false"}


def write_csv(out: TextIO, h: History, entries: Iterable[dict]) -> None:
    w = spreadsheet_writer(out, CSV_COLUMNS)
    w.writeheader()
    for e in entries:
        w.writerow(csv_row(e))


__all__ = ["BY", "CSV_COLUMNS", "write_text", "write_json", "write_csv", "new_at_latest"]
