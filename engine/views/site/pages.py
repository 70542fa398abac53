"""The site's pages as HTML text: every value escaped (case data is untrusted), every link
relative, status by mark and word, wide tables in a box of their own that scrolls."""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from ...history.reader import History, RuleInfo

MARKS = {"missing": "✗", "exceeded": "✗", "late": "◑", "met": "✓", "withdrawn": "–", "due": "…"}


def esc(v) -> str:
    return html.escape("" if v is None else str(v), quote=True)


def layout(title: str, body: str, depth: int, scripts: bool = False) -> str:
    up = "../" * depth
    tail = (f'<script src="{up}search-index.js"></script>\n<script src="{up}search.js"></script>\n'
            if scripts else "")
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<link rel=\"stylesheet\" href=\"{up}site.css\">\n</head>\n<body>\n"
            f"<nav class=\"site\"><a href=\"{up}index.html\">Overview</a></nav>\n<main>\n{body}\n</main>\n"
            f"{tail}</body>\n</html>\n")


@dataclass(slots=True)
class Row:
    """One finding's latest state, for the worker, team and rule pages."""

    case: str
    rule: str
    title: str
    team: str | None
    worker: str | None
    due: str
    days_open: int
    open: bool
    new: bool  # first seen at the latest run
    put_right_now: bool  # put right at the latest run
    longer: bool  # open longer than 3 months
    status: str
    how: str


@dataclass
class Links:
    """File names of the pages, by kind and id."""

    cases: dict[str, str]
    workers: dict[str, str]
    teams: dict[str, str]
    rules: dict[str, str]

    def href(self, kind: str, value, depth: int) -> str | None:
        name = getattr(self, kind).get(value) if value is not None else None
        return None if name is None else f"{'../' * depth}{kind}/{name}.html"

    def a(self, kind: str, value, depth: int) -> str:
        h = self.href(kind, value, depth)
        return esc(value) if h is None else f'<a href="{esc(h)}">{esc(value)}</a>'


def status(word: str) -> str:
    return f'<span class="status-{esc(word)}"><span class="mark" aria-hidden="true">{MARKS.get(word, "•")}</span> {esc(word)}</span>'


def _state(e: dict) -> str:
    pr = e["put_right"]
    if e["open"]:
        again = "; it opened again after being put right" if e["opened_again"] else ""
        return f'<span class="open"><span class="mark">●</span> open</span>, {e["days_open"]:,} days open{again}'
    if pr:
        on = f" on {esc(pr['date'])}" if pr["date"] else ""
        return (f'<span class="closed"><span class="mark">✓</span> put right</span> at the run as at '
                f'{esc(pr["as_at"])}: {esc(pr["how"])}{on}; {e["days_open"]:,} days open')
    return f"closed; {e['days_open']:,} days open"


def case_page(case: str, entries: list[dict], h: History, links: Links) -> str:
    latest = h.latest.as_at.isoformat()
    n_open = sum(e["open"] for e in entries)
    parts = [f"<h1>Case {esc(case)}</h1>",
             f"<p>{len(entries):,} finding{'s' if len(entries) != 1 else ''} that were breaches in some run: "
             f"{n_open:,} open at the latest run (as at {esc(latest)}), "
             f"{sum(e['put_right'] is not None for e in entries):,} put right.</p>"]
    for e in entries:
        held = " ".join(x for x in (e["worker"] and links.a("workers", e["worker"], 1),
                                    e["team"] and f"({links.a('teams', e['team'], 1)})") if x) or "not recorded"
        facts = [("Now", _state(e)), ("Trigger", f"{esc(e['trigger']['type'])} on {esc(e['trigger']['date'])}"),
                 ("Due", esc(e["due"])), ("Held on the due date by", held),
                 ("First seen", f"the run as at {esc(e['first_seen'])}"),
                 ("Last seen", f"the run as at {esc(e['last_seen'])}; seen in {e['times_seen']:,} "
                               f"run{'s' if e['times_seen'] != 1 else ''}"),
                 ("Severity", esc(e["severity"]))]
        if e["excused"]:
            x = e["excused"]
            facts.append(("Excused", f"{esc(x['reason'])} (approved by {esc(x['approver'])}), from the run as at "
                                     f"{esc(x['as_at'])}"))
        if e["rule_changed"]:
            facts.append(("Rule changed", "in the runs as at " + ", ".join(esc(r["as_at"]) for r in e["rule_changed"])))
        rows = "".join(f"<tr><td class=\"date\">{esc(r['as_at'])}</td><td>{status(r['status'])}</td>"
                       f"<td class=\"date\">{esc(r['due'])}</td><td class=\"num\">{r['days_late']:,}</td>"
                       f"<td>{'yes' if r['excused'] else 'no'}</td></tr>" for r in e["runs"])
        parts.append(
            f'<section class="finding">\n<h2>{links.a("rules", e["rule"], 1)}: {esc(e["title"])}</h2>\n'
            + (f'<p class="cite">{esc(e["cite"])}</p>\n' if e["cite"] else "")
            + '<dl class="facts">' + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts) + "</dl>\n"
            + '<div class="scroll"><table><caption>Run by run</caption><thead><tr><th scope="col">As at</th>'
              '<th scope="col">Status</th><th scope="col">Due</th><th scope="col">Days late</th>'
              f'<th scope="col">Excused</th></tr></thead><tbody>{rows}</tbody></table></div>\n</section>')
    return layout(f"Case {case}", "\n".join(parts), 1)


def _rows_table(rows: list[Row], links: Links, caption: str, depth: int, empty: str) -> str:
    if not rows:
        return f"<h2>{esc(caption)}</h2>\n<p>{esc(empty)}</p>"
    body = "".join(
        f"<tr><td>{links.a('cases', r.case, depth)}</td><td>{links.a('rules', r.rule, depth)}: {esc(r.title)}</td>"
        f"<td class=\"date\">{esc(r.due)}</td><td>{status(r.status)}</td><td class=\"num\">{r.days_open:,}</td>"
        f"<td>{links.a('workers', r.worker, depth) if r.worker else ''}</td></tr>" for r in rows)
    return (f"<h2>{esc(caption)}: {len(rows):,}</h2>\n<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Case</th>"
            "<th scope=\"col\">Rule</th><th scope=\"col\">Due</th><th scope=\"col\">Latest status</th>"
            "<th scope=\"col\">Days open</th><th scope=\"col\">Worker</th></tr></thead>"
            f"<tbody>{body}</tbody></table></div>")


def sections(rows: list[Row], links: Links, depth: int) -> str:
    overdue = sorted((r for r in rows if r.open), key=lambda r: (-r.days_open, r.case, r.rule))
    return "\n".join([
        _rows_table(overdue, links, "Overdue now (open at the latest run, most overdue first)", depth, "None."),
        _rows_table([r for r in rows if r.new], links, "New since the previous run", depth, "None."),
        _rows_table([r for r in rows if r.put_right_now], links, "Put right since the previous run", depth, "None."),
        _rows_table(sorted((r for r in rows if r.longer), key=lambda r: (-r.days_open, r.case)), links,
                    "Open longer than 3 months", depth, "None."),
    ])


def worker_page(worker: str, rows: list[Row], links: Links) -> str:
    teams = sorted({r.team for r in rows if r.team})
    body = (f"<h1>Worker {esc(worker)}</h1>\n<p>Findings this worker held on the due date. Team: "
            + (", ".join(links.a("teams", t, 1) for t in teams) or "not recorded") + ".</p>\n"
            + sections(rows, links, 1))
    return layout(f"Worker {worker}", body, 1)


def team_page(team: str, rows: list[Row], links: Links) -> str:
    workers = sorted({r.worker for r in rows if r.worker})
    rules = sorted({r.rule for r in rows})
    body = (f"<h1>Team {esc(team)}</h1>\n<p>Findings this team held on the due date.</p>\n"
            + "<h2>Workers</h2>\n<ul>" + "".join(f"<li>{links.a('workers', w, 1)}</li>" for w in workers) + "</ul>\n"
            + "<h2>Rules breached</h2>\n<ul>" + "".join(f"<li>{links.a('rules', r, 1)}</li>" for r in rules)
            + "</ul>\n" + sections(rows, links, 1))
    return layout(f"Team {team}", body, 1)


def rule_page(rule: str, info: RuleInfo | None, definition: str, rows: list[Row], links: Links,
              title: str) -> str:
    info = info or RuleInfo(rule)
    facts = [("Title", esc(info.title or title)), ("Citation", esc(info.cite) or "not recorded"),
             ("Ruleset", esc(info.ruleset) or "not recorded"), ("Kind", esc(info.kind) or "not recorded"),
             ("Severity", esc(info.severity) or "not recorded"),
             ("Changed", ("in the runs as at " + ", ".join(esc(r.as_at) for r in info.changed))
              if info.changed else "in no run")]
    by_team: dict = {}
    for r in rows:
        t = by_team.setdefault(r.team, [0, 0, 0])
        t[0] += 1
        t[1] += r.open
        t[2] += not r.open
    table = "".join(f"<tr><td>{links.a('teams', t, 1) if t else '(no team)'}</td><td class=\"num\">{n:,}</td>"
                    f"<td class=\"num\">{o:,}</td><td class=\"num\">{c:,}</td></tr>"
                    for t, (n, o, c) in sorted(by_team.items(), key=lambda kv: (kv[0] is None, kv[0] or "")))
    body = (f"<h1>Rule {esc(rule)}</h1>\n<dl class=\"facts\">" + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
            + "</dl>\n<h2>Breaches by team</h2>\n<div class=\"scroll\"><table><thead><tr><th scope=\"col\">Team</th>"
              "<th scope=\"col\">Findings</th><th scope=\"col\">Open now</th><th scope=\"col\">Closed</th></tr></thead>"
              f"<tbody>{table}</tbody></table></div>\n"
            + (f"<h2>Definition as recorded</h2>\n<pre class=\"definition\">{esc(definition)}</pre>\n" if definition
               else "<h2>Definition as recorded</h2>\n<p>No run recorded this rule's definition.</p>\n")
            + sections(rows, links, 1))
    return layout(f"Rule {rule}", body, 1)


@dataclass
class Trend:
    as_at: list[str] = field(default_factory=list)
    open: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    put_right: list[int] = field(default_factory=list)


def trend_svg(t: Trend) -> str:
    """Open, new and put right per run as bars, each with its number written above it."""
    n = len(t.as_at)
    top = max([1, *t.open, *t.new, *t.put_right])
    w, h, left, bottom = max(360, 90 * n + 40), 220, 30, 40
    step = (w - left - 10) / max(n, 1)
    bar = step / 4
    colours = (("open", "#942514"), ("new", "#1d70b8"), ("put right", "#00703c"))
    out = [f'<svg class="trend" viewBox="0 0 {w} {h}" width="{w}" height="{h}" '
           f'role="img" aria-labelledby="trend-title"><title id="trend-title">Open, new and put right per run</title>',
           f'<line x1="{left}" y1="{h - bottom}" x2="{w - 5}" y2="{h - bottom}" stroke="#505a5f"/>']
    for i in range(n):
        x0 = left + i * step + bar / 2
        for j, (values, (word, colour)) in enumerate(zip((t.open, t.new, t.put_right), colours)):
            v = values[i]
            bh = (h - bottom - 30) * v / top
            x = x0 + j * bar
            out.append(f'<rect x="{x:.1f}" y="{h - bottom - bh:.1f}" width="{bar * .9:.1f}" height="{bh:.1f}" '
                       f'fill="{colour}"><title>{esc(word)}: {v}</title></rect>')
            out.append(f'<text x="{x + bar * .45:.1f}" y="{h - bottom - bh - 4:.1f}" font-size="11" '
                       f'text-anchor="middle">{v}</text>')
        out.append(f'<text x="{x0 + bar * 1.5:.1f}" y="{h - bottom + 16}" font-size="11" text-anchor="middle">'
                   f'{esc(t.as_at[i])}</text>')
    out.append("</svg>")
    return "".join(out)


def index_page(title: str, figures: list[tuple[str, int]], t: Trend, teams: list[tuple[str | None, int]],
               rules: list[tuple[str, str, int]], links: Links, note: str = "") -> str:
    figs = "".join(f"<li><strong>{v:,}</strong> {esc(k)}</li>" for k, v in figures)
    rows = "".join(f"<tr><td class=\"date\">{esc(a)}</td><td class=\"num\">{o:,}</td><td class=\"num\">{n:,}</td>"
                   f"<td class=\"num\">{p:,}</td></tr>" for a, o, n, p in zip(t.as_at, t.open, t.new, t.put_right))
    team_items = "".join(f"<li>{links.a('teams', name, 0) if name else '(no team)'}: {n:,} open</li>"
                         for name, n in teams)
    rule_items = "".join(f"<li>{links.a('rules', r, 0)}: {esc(title_)}; {n:,} open</li>" for r, title_, n in rules)
    body = (f"<h1>{esc(title)}</h1>\n{note}"
            '<form id="search" class="search" role="search" hidden data-base="">'
            '<label for="q">Find a case, worker, team or rule</label>'
            '<input id="q" type="search" autocomplete="off"></form>\n<ul id="results" class="results"></ul>\n'
            f"<h2>At the latest run</h2>\n<ul class=\"figures\">{figs}</ul>\n"
            "<h2>Over every run</h2>\n<p>Bars per run, left to right: open (red), new (blue) and put right "
            "(green), each with its number.</p>\n"
            f"<figure><div class=\"scroll\">{trend_svg(t)}</div></figure>\n"
            "<div class=\"scroll\"><table><thead><tr><th scope=\"col\">As at</th><th scope=\"col\">Open</th>"
            f"<th scope=\"col\">New</th><th scope=\"col\">Put right</th></tr></thead><tbody>{rows}</tbody></table></div>\n"
            f"<h2>Teams</h2>\n<ul>{team_items or '<li>None.</li>'}</ul>\n"
            f"<h2>Rules</h2>\n<ul>{rule_items or '<li>None.</li>'}</ul>\n")
    return layout(title, body, 0, scripts=True)
