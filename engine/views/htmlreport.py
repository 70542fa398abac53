"""One self-contained HTML report for a cohort: the summary tables, then per case its own
summary, a timeline picture (views.timeline_svg), the same findings as a table, and the
drift summary of its chronology (views.chronology). No scripts, fonts or fetches (see views.htmlpage); all case data escaped.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from . import chronology, summary

from .htmlpage import esc, page
from ..model import BREACHES, STATUSES, Case, Finding, InputError, Rule
from .timeline_svg import _anchor, shared_defs, svg
from .sentences import outcome
from .wording import STATUS_MARKS, obligation, timescale


def _legend() -> str:
    items = "".join(f"<li class=\"status-{s}\"><span class=\"status\">{STATUS_MARKS[s]} {s}</span></li>"
                    for s in STATUSES)
    return ("<p>Statuses (each shown by its mark and word, not by colour alone): breaches are "
            "<strong>late</strong>, <strong>missing</strong> and <strong>exceeded</strong>.</p>"
            f"<ul class=\"legend\">{items}</ul>")


def findings_table(fs: list[Finding], as_at: dt.date) -> str:
    rows = []
    for f in fs:
        rows.append(f"<tr class=\"status-{f.status}\"><td class=\"status\">{STATUS_MARKS[f.status]} {esc(f.status)}</td>"
                    f"<td class=\"date\">{f.due}</td><td>{esc(f.rule.id)}<br><span class=\"cite\">{esc(f.rule.title)}</span></td>"
                    f"<td>{esc(obligation(f))} ({esc(timescale(f.rule))})</td><td>{esc(outcome(f, as_at))}</td>"
                    f"<td class=\"num\">{f.days_late}</td><td class=\"num\">{f.working_days_late}</td></tr>")
    return ("<table class=\"findings\"><caption>Findings, by due date</caption><thead><tr>"
            "<th scope=\"col\">status</th><th scope=\"col\">due</th><th scope=\"col\">rule</th>"
            "<th scope=\"col\">what was owed</th><th scope=\"col\">what happened</th>"
            "<th scope=\"col\">days late</th><th scope=\"col\">working days late</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def _case_section(case: Case, fs: list[Finding], rules: list[Rule], as_at: dt.date) -> str:
    anchor = "case-" + _anchor(case.id)
    attrs = "; ".join(f"{esc(k)}: {esc(v)}" for k, v in case.attrs.items())
    n_breach = sum(f.status in BREACHES for f in fs)
    parts = [f"<section id=\"{esc(anchor)}\" aria-labelledby=\"{esc(anchor)}-h\">",
             f"<h2 id=\"{esc(anchor)}-h\">Case {esc(case.id)}</h2>",
             f"<p>{attrs + '. ' if attrs else ''}{len(fs)} findings, {n_breach} breaches.</p>"]
    if fs:
        parts.append(summary.html_tables(fs, [("rule",)]))
    if fs or case.events:
        parts.append("<figure>" + svg(case, fs, as_at, defs=False) + "<figcaption>Timeline: ◆ events on the date "
                     "axis; a bar per obligation from its trigger to its due date, the late part hatched "
                     "(cross-hatched when missing), each labelled with its status.</figcaption></figure>")
    if fs:
        parts.append(findings_table(fs, as_at))
    drift = chronology.drift_html(chronology.build(case, fs, rules, as_at, ids=True), level=4)
    parts.append(f"<h3>Drift</h3>{drift}</section>")
    return "\n".join(parts)


def report_parts(cases: list[Case], rules: list[Rule], findings: list[Finding], as_at: dt.date,
                 errors: list[InputError], by: list[tuple[str, ...]], advance=lambda n=1: None) -> Iterator[str]:
    """The report as pieces to write one after another: the cohort, then a piece per case
    (advance() is called after each case), then the end of the page."""
    by_case: dict[str, list[Finding]] = {}
    for f in findings:
        by_case.setdefault(f.case, []).append(f)
    n_breach = sum(f.status in BREACHES for f in findings)
    title = f"casecheck report as at {as_at}"
    body = [shared_defs(), f"<h1>{esc(title)}</h1>",
            f"<p>{len(cases)} case{'s' if len(cases) != 1 else ''} checked against {len(rules)} rules: "
            f"{len(findings)} findings, {n_breach} breaches.</p>", _legend()]
    if errors:
        body.append("<h2>Inputs that could not be read</h2><ul>"
                    + "".join(f"<li>{esc(e)}</li>" for e in errors) + "</ul>")
    body += ["<h2>Compliance across the cohort</h2>",
             "<p>Compliance = met / (met + late + missing + exceeded); days late are calendar days over "
             "the breaches; the 90th percentile interpolates linearly between ranks (Excel PERCENTILE.INC).</p>",
             summary.html_tables(findings, by),
             "<nav aria-label=\"cases\"><h2>Cases</h2><ul>"
             + "".join(f"<li><a href=\"#case-{esc(_anchor(c.id))}\">{esc(c.id)}</a> "
                       f"({sum(f.status in BREACHES for f in by_case.get(c.id, []))} breaches)</li>" for c in cases)
             + "</ul></nav>"]
    head, tail = page(title, "\0").split("\0")
    yield head + "\n".join(body) + "\n"
    for c in cases:
        yield _case_section(c, by_case.get(c.id, []), rules, as_at) + "\n"
        advance(1)
    yield tail


def report(cases: list[Case], rules: list[Rule], findings: list[Finding], as_at: dt.date,
           errors: list[InputError], by: list[tuple[str, ...]]) -> str:
    """The whole report as one HTML document."""
    return "".join(report_parts(cases, rules, findings, as_at, errors, by))
