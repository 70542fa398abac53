"""One self-contained HTML report for a cohort, breaches first and small enough for thousands of
cases (about 10 KB a case at most on average; bench/report_size.py measures it).

The page: the cohort's compliance tables and its trend charts (views.trend); an index of the
cases with breaches (team, worker, breaches, most overdue); the cases with no breach in one
folded list; then a section per case with breaches: each breach in a sentence with its standard
and citation, the case's other findings as counts, and a timeline picture of its breaches
(views.timeline_svg) labelled in words. No scripts, fonts or fetches (see views.htmlpage); all
case data escaped.
"""

from __future__ import annotations

import datetime as dt
from typing import Iterator

from . import summary
from .chronology import label
from .htmlpage import esc, esc_ids, page
from ..model import STATUSES, Case, Finding, InputError, Rule
from ..counting import Counts, count
from ..replay import judged
from .sentences import adjustments, finding_sentence
from .timeline_svg import case_anchor, shared_defs, svg
from .trend import trend_section
from .wording import STATUS_MARKS, current_holder, held_now, long_date, plural, who

OTHER = {"met": "met", "due": "not yet due", "withdrawn": "withdrawn"}


def _legend() -> str:
    items = "".join(f"<li class=\"status-{s}\"><span class=\"status\">{STATUS_MARKS[s]} {s}</span></li>"
                    for s in STATUSES)
    return ("<p>Statuses (each shown by its mark and word, not by colour alone): breaches are "
            "<strong>late</strong>, <strong>missing</strong> and <strong>exceeded</strong>.</p>"
            f"<ul class=\"legend\">{items}</ul>")


def _scroll(html: str) -> str:
    """A wide table or picture scrolls inside its own box, never the page (narrow screens)."""
    return f"<div class=\"scroll\">{html}</div>"


def cited(rule: Rule) -> str:
    """The standard and its citation; its ruleset is named once, in the report's list of standards."""
    return f"{rule.title or rule.id} ({rule.cite})" if rule.cite else (rule.title or rule.id)


def _standards(findings: list[Finding]) -> str:
    rulesets = {}
    for f in findings:
        if f.is_breach:
            rulesets.setdefault(f.rule.ruleset.name, (f.rule.ruleset, set()))[1].add(f.rule)
    if not rulesets:
        return ""
    items = "".join(f"<li><strong>{esc(rs.title or rs.name)}</strong>"
                    + (f" <span class=\"cite\">({esc(rs.source)})</span>" if rs.source else "")
                    + "<ul>" + "".join(f"<li>{esc(cited(r))}</li>" for r in sorted(rules, key=lambda r: r.id))
                    + "</ul></li>" for rs, rules in rulesets.values())
    return f"<h2>Standards breached</h2><ul class=\"standards\">{items}</ul>"


def _breach_item(f: Finding, as_at: dt.date) -> str:
    text = " ".join([finding_sentence(f, as_at)] + adjustments(f))
    return (f"<li class=\"breach status-{f.status}\"><span class=\"status\">{STATUS_MARKS[f.status]} "
            f"{esc(label(f))}</span> {esc_ids(text)}</li>")


def _breaches(breaches: list[Finding], as_at: dt.date) -> str:
    """The breaches under their standards: each standard and its citation once per case."""
    by_rule: dict[str, list[Finding]] = {}
    for f in breaches:
        by_rule.setdefault(f.rule.id, []).append(f)
    items = "".join(f"<li>Standard: <strong>{esc(fs[0].rule.title or fs[0].rule.id)}</strong>"
                    + (f" <span class=\"cite\">({esc(fs[0].rule.cite)})</span>" if fs[0].rule.cite else "")
                    + "<ol>" + "".join(_breach_item(f, as_at) for f in fs) + "</ol></li>"
                    for fs in by_rule.values())
    return f"<ul class=\"breaches\">{items}</ul>"


def _case_section(case: Case, fs: list[Finding], as_at: dt.date) -> str:
    anchor = "case-" + case_anchor(case.id)
    breaches = [f for f in fs if f.is_breach]
    others = ", ".join(f"{n} {OTHER[s]}" for s in OTHER if (n := sum(f.status == s for f in fs)))
    parts = [f"<section id=\"{esc(anchor)}\" aria-labelledby=\"{esc(anchor)}-h\">",
             f"<h3 id=\"{esc(anchor)}-h\">Case {esc_ids(case.id)}</h3>",
             f"<p>{esc(held_now(case, as_at))}. {esc(count(fs).headline())}"
             + (f"; other findings: {others}" if others else "") + ".</p>",
             _breaches(breaches, as_at),
             "<figure>" + _scroll(svg(case, breaches, as_at, defs=False, events_of=breaches))
             + "<figcaption>Timeline of the breaches: ◆ the events they concern; a bar per deadline from what "
               "started it to its due date, the late part hatched (cross-hatched when missing).</figcaption>"
               "</figure></section>"]
    return "\n".join(parts)


def _index(cases: list[Case], by_case: dict[str, list[Finding]], as_at: dt.date) -> str:
    """The cases with breaches, warnings or excused breaches, each with who holds it now and its
    three counts, a total row (the cohort's three counts), then the clean cases in one list."""
    rows, clean, cohort = [], [], Counts()
    for c in cases:
        fs = by_case.get(c.id, [])
        breaches = [f for f in fs if f.is_breach]
        if not breaches:
            clean.append(c.id)
            continue
        n = count(fs)
        cohort.update(breaches)
        worker, team, _since = current_holder(c, as_at)
        rows.append(f"<tr><th scope=\"row\"><a href=\"#case-{esc(case_anchor(c.id))}\">{esc_ids(c.id)}</a></th>"
                    f"<td data-label=\"held now by\">{esc_ids(who(worker, team) or 'not recorded')}</td>"
                    + "".join(f"<td class=\"num\" data-label=\"{k}\">{v:,}</td>" for k, v in n.three().items())
                    + f"<td class=\"num\" data-label=\"most days late\">{max(f.days_late for f in breaches):,}</td></tr>")
    out = []
    if rows:
        rows.append("<tr class=\"total\"><th scope=\"row\">Total</th><td data-label=\"held now by\"></td>"
                    + "".join(f"<td class=\"num\" data-label=\"{k}\">{v:,}</td>" for k, v in cohort.three().items())
                    + "<td data-label=\"most days late\"></td></tr>")
        out.append(_scroll("<table class=\"index cards\"><caption>Cases with breaches, warnings or excused breaches"
                           "</caption><thead><tr><th scope=\"col\">case</th><th scope=\"col\">held now by</th>"
                           "<th scope=\"col\">breaches</th>"
                           "<th scope=\"col\">warnings</th><th scope=\"col\">excused</th>"
                           "<th scope=\"col\">most days late</th></tr></thead>"
                           f"<tbody>{''.join(rows)}</tbody></table>"))
    if clean:
        out.append(f"<details><summary>{plural(len(clean), 'case')} with no breach</summary><p>"
                   + ", ".join(esc_ids(cid) for cid in clean) + "</p></details>")
    return "\n".join(out)


def not_applied_section(items: list, rules: list[Rule]) -> str:
    """"Rules that judged no case", each reason once with its rules (replay.judged), or ''."""
    if not items:
        return ""
    lead = f"<p>{esc(judged.NONE_APPLIED)}</p>" if len(items) == len(rules) else ""
    reasons = "".join(f"<li>{esc(why[0].upper() + why[1:])}<ul>" + "".join(f"<li>{esc_ids(w)}</li>" for w in who)
                      + "</ul></li>" for why, who in judged.grouped(items, rules))
    return (f"<div class=\"not-applied\"><h2>{esc(judged.HEADING)}</h2>{lead}"
            f"<ul class=\"not-applied\">{reasons}</ul></div>")


def report_parts(cases: list[Case], rules: list[Rule], findings: list[Finding], as_at: dt.date,
                 errors: list[InputError], by: list[tuple[str, ...]], advance=lambda n=1: None,
                 not_applied: list = ()) -> Iterator[str]:
    """The report as pieces to write one after another: the cohort, then a piece per case
    (advance() is called after each case), then the end of the page."""
    by_case: dict[str, list[Finding]] = {}
    for f in findings:
        by_case.setdefault(f.case, []).append(f)
    title = f"casecheck report as at {as_at}"
    body = [shared_defs(), f"<h1>Compliance report as at {esc(long_date(as_at))}</h1>",
            f"<p>{plural(len(cases), 'case')} checked against {plural(len(rules), 'rule')}: "
            f"{plural(len(findings), 'finding')}: {esc(count(findings).headline())}.</p>", _legend()]
    if errors:
        body.append("<h2>Inputs that could not be read</h2><ul>"
                    + "".join(f"<li>{esc(e)}</li>" for e in errors) + "</ul>")
    body += ["<h2>Compliance across the cohort</h2>", f"<p>{esc(summary.COMPLIANCE_NOTE)}</p>",
             _scroll(summary.html_tables(findings, by)),
             trend_section(findings, as_at),
             _standards(findings), not_applied_section(list(not_applied), rules), "<h2>Cases</h2>",
             _index(cases, by_case, as_at)]
    head, tail = page(title, "\0").split("\0")
    yield head + "\n".join(body) + "\n"
    for c in cases:
        fs = by_case.get(c.id, [])
        if any(f.is_breach for f in fs):
            yield _case_section(c, fs, as_at) + "\n"
        advance(1)
    yield tail


def summary_page(findings: list[Finding], by: list[tuple[str, ...]], as_at: dt.date, n_cases: int,
                 not_applied: list = (), rules: list[Rule] = ()) -> str:
    """`summary --format html`: the compliance tables and the trend charts, on a page of their own."""
    title = f"casecheck compliance as at {as_at}"
    body = [f"<h1>Compliance as at {esc(long_date(as_at))}</h1>",
            f"<p>{plural(n_cases, 'case')}, {plural(len(findings), 'finding')}: {esc(count(findings).headline())}."
            f"</p><p>{esc(summary.COMPLIANCE_NOTE)}</p>",
            _scroll(summary.html_tables(findings, by)), trend_section(findings, as_at),
            not_applied_section(list(not_applied), list(rules))]
    return page(title, "\n".join(body))


def report(cases: list[Case], rules: list[Rule], findings: list[Finding], as_at: dt.date,
           errors: list[InputError], by: list[tuple[str, ...]]) -> str:
    """The whole report as one HTML document."""
    return "".join(report_parts(cases, rules, findings, as_at, errors, by))
