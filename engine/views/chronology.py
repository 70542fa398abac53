"""A dated chronology of one case, for complaint investigators.

Every event in date order, each breach inserted at its due date with its standard and citation,
and a drift summary at the top: breaches by standard, the longest overdue item, the longest gap
with no recorded activity, and how long each plan ran against its limit. Everything comes from
the case's events and the Findings casecheck.replay.check made of them.

Internal identifiers (case and rule ids, and the event attributes rules use only to link events,
their `match` keys such as a meeting reference) are left out unless asked for with ids=True.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import re

from ..counting import count
from ..dates import days_between
from .htmlpage import esc, esc_ids, page
from ..model import BREACHES, Case, Finding, Rule
from .sentences import adjustments, finding_sentence
from .wording import (days_words, event_meaning, event_phrase, event_words, held_now, long_date, plural,
                      short_date, standard)


@dataclass
class Entry:
    date: dt.date
    text: str
    detail: str = ""
    status: str | None = None  # None for an event; a finding's status otherwise
    severity: str = ""


@dataclass
class Chronology:
    title: str
    as_at: dt.date
    attrs: list[tuple[str, str]]
    summary: list[tuple[str, list[str]]]
    entries: list[Entry]
    glossary: list[tuple[str, str]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    held: str = ""  # "Held now by W-Birch (CIN South), since 12 August 2024"
    later_events: int = 0
    shown_all: bool = False


def _event_entry(ev, hidden: set[str]) -> Entry:
    attrs = [(k, v) for k, v in ev.attrs.items() if k not in hidden]
    text = event_phrase(ev.type)
    text = text[0].upper() + text[1:]
    if attrs:
        text += " (" + "; ".join(f"{k.replace('_', ' ')}: {v}" for k, v in attrs) + ")"
    return Entry(ev.date, text)


def label(f: Finding) -> str:
    """'Breach (late)', 'Warning (missing)', 'Excused breach (late)', 'Met'."""
    if not f.is_breach:
        return {"met": "Met", "due": "Not yet due", "withdrawn": "Withdrawn"}[f.status]
    kind = "Breach" if f.rule.severity == "breach" else "Warning"
    return f"{'Excused ' + kind.lower() if f.excused else kind} ({f.status})"


def _finding_entry(f: Finding, as_at: dt.date, ids: bool) -> Entry:
    text = " ".join([f"{label(f)}: {finding_sentence(f, as_at)}"] + adjustments(f))
    detail = "Standard: " + standard(f.rule) + (f"; rule {f.rule.id}" if ids else "")
    return Entry(f.due, text, detail, f.status, f.rule.severity)


def _breaches_by_standard(breaches: list[Finding], ids: bool) -> list[str]:
    if not breaches:
        return ["No breaches."]
    by_rule: dict[str, list[Finding]] = {}
    for f in breaches:
        by_rule.setdefault(f.rule.id, []).append(f)
    lines = []
    for fs in sorted(by_rule.values(), key=lambda fs: (-len(fs), fs[0].rule.id)):
        rule = fs[0].rule
        name = rule.title or rule.id
        where = rule.ruleset.title or rule.ruleset.name
        # counted as every view counts (casecheck.counting): excused apart, never hidden
        lines.append(f"{name} ({where}{'; ' + rule.id if ids else ''}): {count(fs).headline()}")
    return lines


def _longest_gap(events, as_at: dt.date) -> list[str]:
    if not events:
        return ["No events recorded."]
    lines = []
    best = None
    for a, b in zip(events, events[1:]):
        gap = days_between(a.date, b.date)
        if best is None or gap > best[0]:
            best = (gap, a, b)
    if best is not None and best[0] > 0:
        gap, a, b = best
        lines.append(f"{plural(gap, 'day')} with no recorded activity, after {event_phrase(a.type)} on "
                     f"{short_date(a.date)}, until {event_phrase(b.type)} on {short_date(b.date)}.")
    tail = days_between(events[-1].date, as_at)
    if tail > 0:
        lines.append(f"Last recorded activity: {event_phrase(events[-1].type)} on {short_date(events[-1].date)}, "
                     f"{plural(tail, 'day')} before {short_date(as_at)}.")
    return lines or ["All events are on one day."]


def _plans(findings: list[Finding], as_at: dt.date, ids: bool) -> list[str]:
    lines = []
    for f in findings:
        if f.rule.kind != "max_duration":
            continue
        start = f.trigger.date
        end = f.actual.date if f.actual is not None else as_at
        ran = "ran" if f.actual is not None else "has run (still open)"
        until = (f"until {event_phrase(f.actual.type)} on {short_date(end)}" if f.actual is not None
                 else f"to {short_date(as_at)}")
        verdict = {"met": "within the limit", "due": "within the limit so far",
                   "exceeded": f"{days_words(f.days_late, f.working_days_late)} over"}[f.status]
        lines.append(f"{f.rule.title or f.rule.id}{' (' + f.rule.id + ')' if ids else ''}: "
                     f"the period since {event_phrase(f.trigger.type)} on {short_date(start)} {ran} "
                     f"{plural(days_between(start, end), 'day')} {until}, against a limit of {f.rule.limit} "
                     f"(to {short_date(f.due)}): {verdict}.")
    return lines or ["No rule limits the length of a period on this case."]


def _longest_overdue(breaches: list[Finding], as_at: dt.date) -> list[str]:
    if not breaches:
        return ["None."]
    f = max(breaches, key=lambda f: (f.days_late, -f.due.toordinal()))
    return [f"{finding_sentence(f, as_at)} Standard: {f.rule.title or f.rule.id}."]


def build(case: Case, findings: list[Finding], rules: list[Rule], as_at: dt.date, ids: bool = False,
          show_all: bool = False) -> Chronology:
    """The chronology of one case from its findings (those casecheck.replay.check gave for it)."""
    findings = [f for f in findings if f.case == case.id]
    hidden = set() if ids else {k for r in rules for k in r.match}
    events = sorted((e for e in case.events if e.date <= as_at), key=lambda e: (e.date, e.seq))
    breaches = [f for f in findings if f.is_breach]
    shown = findings if show_all else breaches
    # Events of a date come before the deadlines of that date: a deadline is met on its last day.
    rows = [((e.date, 0, i), _event_entry(e, hidden)) for i, e in enumerate(events)]
    rows += [((f.due, 1, i), _finding_entry(f, as_at, ids)) for i, f in enumerate(shown)]
    entries = [entry for _, entry in sorted(rows, key=lambda r: r[0])]
    summary = [
        ("Breaches by standard", _breaches_by_standard(breaches, ids)),
        ("Longest overdue item", _longest_overdue(breaches, as_at)),
        ("Longest gap with no recorded activity", _longest_gap(events, as_at)),
        ("Plans against their limits", _plans(findings, as_at, ids)),
    ]
    types = sorted({e.type for e in events})
    glossary = [(event_words(t), event_meaning(t)) for t in types if event_meaning(t)]
    rulesets = {}
    for f in shown:
        rulesets.setdefault(f.rule.ruleset.name, f.rule.ruleset)
    sources = [f"{rs.title or rs.name}" + (f": {rs.source}" if rs.source else "") for rs in rulesets.values()]
    title = f"Chronology of case {case.id}"
    attrs = [(k, v) for k, v in case.attrs.items() if k not in ("team", "worker")]
    return Chronology(title, as_at, attrs, summary, entries, glossary, sources, held_now(case, as_at),
                      later_events=sum(1 for e in case.events if e.date > as_at), shown_all=show_all)


# --- Markdown -------------------------------------------------------------------------------

# What Markdown (CommonMark) would misread in running text, and nothing else: emphasis (* always,
# _ only at a word's edge: snake_case stays as it is), code, links and images ([), raw HTML (<),
# entities (&name;), strikethrough (~~). Text never starts a line here, so #, >, - and 1. are safe.
_MD_MISREAD = re.compile(r"[\\`*<\[]|~~|&(?=#?\w+;)|(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])")


def md(text: str) -> str:
    """Text escaped for Markdown only where Markdown would misread it; line breaks become spaces."""
    return _MD_MISREAD.sub(lambda m: "".join("\\" + ch for ch in m.group()), " ".join(str(text).splitlines()))


def _intro(c: Chronology) -> str:
    what = "every finding" if c.shown_all else "each breach"
    later = (f" {c.later_events} later event{'s are' if c.later_events != 1 else ' is'} not shown."
             if c.later_events else "")
    return (f"As at {long_date(c.as_at)}. Events in date order, with {what} placed at its due date. "
            f"Lateness is counted from the due date in calendar days and in working days.{later}")


def markdown(c: Chronology) -> str:
    out = [f"# {md(c.title)}", "", md(c.held) + ".", ""]
    if c.attrs:
        out += ["; ".join(f"{md(k.replace('_', ' ').capitalize())}: {md(v)}" for k, v in c.attrs), ""]
    out += [md(_intro(c)), "", "## Drift summary", ""]
    for heading, items in c.summary:
        out += [f"**{heading}**", ""] + [f"- {md(i)}" for i in items] + [""]
    out += ["## Chronology", ""]
    for e in c.entries:
        text = md(e.text)
        if e.status is not None:
            text = f"**{text}**" if e.status in BREACHES else text
            text += f"  \n  {md(e.detail)}"
        out.append(f"- {short_date(e.date)} — {text}")
    out.append("")
    if c.sources:
        out += ["## Standards cited", ""] + [f"- {md(s)}" for s in c.sources] + [""]
    if c.glossary:
        # the vocabulary's meanings are casecheck's own Markdown (`attribute` as code): not escaped
        out += ["## Event types", ""] + [f"- **{md(w)}**: {m}" for w, m in c.glossary] + [""]
    return "\n".join(out)


# --- HTML -------------------------------------------------------------------------------------

def code(text: str) -> str:
    """Our own Markdown-ish text (`attribute` as code) as HTML: escaped, code as <code>, no backticks."""
    return re.sub(r"`([^`]*)`", r"<code>\1</code>", esc(text))


def drift_html(c: Chronology, level: int = 3) -> str:
    """The drift summary alone, as HTML, each heading an <h{level}>."""
    h = f"h{level}"
    return "\n".join(f"<{h}>{esc(heading)}</{h}><ul>" + "".join(f"<li>{esc_ids(i)}</li>" for i in items) + "</ul>"
                     for heading, items in c.summary)


def html_fragment(c: Chronology, level: int = 2) -> str:
    """The chronology as HTML (headings from <h{level}>), every piece of case data escaped."""
    h = f"h{level}"
    out = [f"<p>{esc(c.held)}.</p>"]
    if c.attrs:
        out.append("<p>" + "; ".join(f"{esc(k.replace('_', ' ').capitalize())}: {esc(v)}" for k, v in c.attrs)
                   + "</p>")
    out.append(f"<p>{esc(_intro(c))}</p>")
    out.append(f"<{h}>Drift summary</{h}>")
    out.append(drift_html(c, level + 1))
    out.append(f"<{h}>Chronology</{h}><ol class=\"chronology\">")
    for e in c.entries:
        if e.status is None:
            out.append(f"<li><time datetime=\"{e.date}\">{short_date(e.date)}</time> — {esc(e.text)}</li>")
        else:
            cls = "breach" if e.status in BREACHES else "finding"
            out.append(f"<li class=\"{cls} status-{e.status}\"><time datetime=\"{e.date}\">{short_date(e.date)}</time> — "
                       f"<strong>{esc_ids(e.text)}</strong><br><span class=\"cite\">{esc_ids(e.detail)}</span></li>")
    out.append("</ol>")
    if c.sources:
        out.append(f"<{h}>Standards cited</{h}><ul>" + "".join(f"<li>{esc(s)}</li>" for s in c.sources) + "</ul>")
    if c.glossary:
        out.append(f"<{h}>Event types</{h}><dl>"
                   + "".join(f"<dt>{esc(w)}</dt><dd>{code(m)}</dd>" for w, m in c.glossary) + "</dl>")
    return "\n".join(out)


def html(c: Chronology) -> str:
    return page(c.title, f"<h1>{esc_ids(c.title)}</h1>\n" + html_fragment(c))
