"""Build the site: read the history a case at a time, write each case's page at once, keep a
small row per finding for the worker, team and rule pages and the overview, then write those.

With split_by_team each team gets a whole site of its own in DIR/<team>/ (its cases: those whose
latest finding its team held, with all their history; cases with no team in DIR/no-team/), and
DIR/index.html lists the teams, naming no child.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field

from ...dates import Duration, due_date
from ...history.lives import lives
from ...history.reader import History
from . import assets, pages
from .names import safe_names

MARKER = ".casecheck-site"  # in every site's top folder: what `site -o` may replace
LONG = Duration(3, "months")
NO_TEAM = "no-team"


@dataclass
class Part:
    """One site being built (the whole one, or one team's)."""

    folder: str
    label: str = ""
    rows: list[pages.Row] = field(default_factory=list)
    cases: list[str] = field(default_factory=list)
    trend: dict[str, list[int]] = field(default_factory=dict)  # run_id -> [open, new, put right]


def _open_at(e: dict, run: dict) -> bool:
    pr = e["put_right"]
    return run["status"] in ("missing", "exceeded") and (pr is None or run["as_at"] < pr["as_at"])


def _write(path: str, text: str) -> None:
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _js_string(value) -> str:
    """JSON for a .js file: <, >, & and the line separators escaped as well."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for ch, rep in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"),
                    ("\u2029", "\\u2029")):
        text = text.replace(ch, rep)
    return text


def build(h: History, out_dir: str, calendar, split_by_team: bool = False) -> dict:
    """Write the site into out_dir (an empty folder). Returns counts for the message."""
    links = pages.Links(safe_names(h.known("case")), safe_names(h.known("worker")), safe_names(h.known("team")),
                        safe_names(h.known("rule")))
    team_folders = safe_names(h.known("team"), taken=[NO_TEAM]) if split_by_team else {}
    cites = {r: info.cite for r, info in h.rules.items()}
    changed = {rule: [{"run_id": r.run_id, "as_at": r.as_at.isoformat()} for r in runs]
               for rule, runs in h.rule_changed.items()}
    latest, previous = h.latest, h.previous
    parts: dict[str, Part] = {}
    titles: dict[str, str] = {}
    n_cases = 0
    for case, rows in h.cases():
        entries = lives(rows, h.runs, cites)
        if not entries:
            continue
        for e in entries:
            e["rule_changed"] = changed.get(e["rule"], [])
            titles.setdefault(e["rule"], e["title"])
        if split_by_team:
            team = max(entries, key=lambda e: (e["last_seen"], e["due"]))["team"]
            folder, label = (team_folders[team], f"team {team}") if team else (NO_TEAM, "cases with no team")
        else:
            folder, label = "", ""
        part = parts.setdefault(folder, Part(folder, label))
        _write(os.path.join(out_dir, folder, "cases", links.cases[case] + ".html"),
               pages.case_page(case, entries, h, links))
        n_cases += 1
        part.cases.append(case)
        for e in entries:
            pr = e["put_right"]
            longer = e["open"] and due_date(dt.date.fromisoformat(e["due"]), LONG, calendar) < latest.as_at
            part.rows.append(pages.Row(
                e["case"], e["rule"], e["title"], e["team"], e["worker"], e["due"], e["days_open"], e["open"],
                e["first_seen"] == latest.as_at.isoformat() and previous is not None,
                bool(pr) and pr["run_id"] == latest.run_id and previous is not None, longer,
                e["runs"][-1]["status"], pr["how"] if pr else ""))
            for run in e["runs"]:
                t = part.trend.setdefault(run["run_id"], [0, 0, 0])
                t[0] += _open_at(e, run)
            t = part.trend.setdefault(h.runs[[r.as_at.isoformat() for r in h.runs].index(e["first_seen"])].run_id,
                                      [0, 0, 0])
            t[1] += 1
            if pr:
                part.trend.setdefault(pr["run_id"], [0, 0, 0])[2] += 1
    if not parts:
        parts[""] = Part("")
    for part in parts.values():
        _finish(h, part, os.path.join(out_dir, part.folder), links, titles, split_by_team)
    if split_by_team:
        _write(os.path.join(out_dir, "site.css"), assets.CSS)
        items = "".join(f'<li><a href="{pages.esc(p.folder)}/index.html">{pages.esc(p.label)}</a></li>'
                        for p in sorted(parts.values(), key=lambda p: p.folder))
        _write(os.path.join(out_dir, "index.html"), pages.layout(
            "Findings over time, by team", f"<h1>Findings over time, by team</h1>\n<p>Each team's site is in a "
            f"folder of its own.</p>\n<ul>{items}</ul>", 0))
        _write(os.path.join(out_dir, "search-index.js"), "window.CASECHECK_INDEX = [];\n")
        _write(os.path.join(out_dir, "search.js"), assets.SEARCH_JS)
    _write(os.path.join(out_dir, MARKER), "A site written by casecheck site; casecheck site -o may replace it.\n")
    return {"cases": n_cases, "sites": len(parts)}


def _finish(h: History, part: Part, root: str, links: pages.Links, titles: dict, split: bool) -> None:
    """The part's worker, team and rule pages, its overview, search index, CSS and script."""
    by: dict[str, dict] = {"workers": {}, "teams": {}, "rules": {}}
    for r in part.rows:
        if r.worker:
            by["workers"].setdefault(r.worker, []).append(r)
        if r.team:
            by["teams"].setdefault(r.team, []).append(r)
        by["rules"].setdefault(r.rule, []).append(r)
    for worker, rows in by["workers"].items():
        _write(os.path.join(root, "workers", links.workers[worker] + ".html"), pages.worker_page(worker, rows, links))
    for team, rows in by["teams"].items():
        _write(os.path.join(root, "teams", links.teams[team] + ".html"), pages.team_page(team, rows, links))
    for rule, rows in by["rules"].items():
        _write(os.path.join(root, "rules", links.rules[rule] + ".html"),
               pages.rule_page(rule, h.rules.get(rule), h.definition(rule), rows, links, titles.get(rule, "")))
    t = pages.Trend()
    for run in h.runs:
        o, n, p = part.trend.get(run.run_id, [0, 0, 0])
        t.as_at.append(run.as_at.isoformat())
        t.open.append(o)
        t.new.append(n)
        t.put_right.append(p)
    rows = part.rows
    figures = ([("cases checked at the latest run", h.latest.cases)] if not split else
               [("cases in this site", len(part.cases))])
    figures += [("open breaches", sum(r.open for r in rows)),
                ("new since the previous run", sum(r.new for r in rows)),
                ("put right since the previous run", sum(r.put_right_now for r in rows)),
                ("open longer than 3 months", sum(r.longer for r in rows))]
    teams = sorted(((team, sum(r.open for r in rs)) for team, rs in by["teams"].items()), key=lambda x: x[0])
    rules = sorted(((rule, titles.get(rule, ""), sum(r.open for r in rs)) for rule, rs in by["rules"].items()))
    note = (f"<p>As at {pages.esc(h.latest.as_at.isoformat())}, the latest of {len(h.runs):,} "
            f"run{'s' if len(h.runs) != 1 else ''}.</p>\n")
    title = "Findings over time" if not split else f"Findings over time: {part.label}"
    _write(os.path.join(root, "index.html"), pages.index_page(title, figures, t, teams, rules, links, note))
    index = ([["case", c, f"cases/{links.cases[c]}.html"] for c in part.cases]
             + [["worker", w, f"workers/{links.workers[w]}.html"] for w in sorted(by["workers"])]
             + [["team", x, f"teams/{links.teams[x]}.html"] for x in sorted(by["teams"])]
             + [["rule", x, f"rules/{links.rules[x]}.html"] for x in sorted(by["rules"])])
    _write(os.path.join(root, "search-index.js"), f"window.CASECHECK_INDEX = {_js_string(index)};\n")
    _write(os.path.join(root, "search.js"), assets.SEARCH_JS)
    _write(os.path.join(root, "site.css"), assets.CSS)

