"""A case's timeline as an inline SVG picture: events on a date axis, obligations as bars.

Each finding is a row: a bar from its trigger to its due date, and on to the actual date (or
the as-at date) when late, with the overrun hatched. Status is told by a pattern, an icon and a
word on every bar as well as by colour, and the picture carries <title>/<desc> and aria labels;
the report puts a table of the same findings beside it. All case data is escaped.
"""

from __future__ import annotations

import datetime as dt

from .htmlpage import esc
from ..model import BREACHES, Case, Finding
from .wording import STATUS_MARKS, event_words, plural, short_date

WIDTH = 960
LEFT, RIGHT = 10, 250  # room on the right for each bar's label
ROW = 18
AXIS_Y = 40

COLOURS = {"met": "#00703c", "due": "#6f5f00", "withdrawn": "#505a5f", "late": "#b3261e",
           "missing": "#b3261e", "exceeded": "#b3261e"}

DEFS = """<defs>
<path id="ev" d="M0 -6l4 6l-4 6l-4 -6z" fill="#1d70b8" stroke="#fff" stroke-width=".5"/>
<pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
<rect width="6" height="6" fill="#fbe3e1"/><line x1="0" y1="0" x2="0" y2="6" stroke="#b3261e" stroke-width="3"/></pattern>
<pattern id="cross" width="6" height="6" patternUnits="userSpaceOnUse">
<rect width="6" height="6" fill="#fbe3e1"/><path d="M0 0L6 6M6 0L0 6" stroke="#b3261e" stroke-width="1.2"/></pattern>
<pattern id="dots" width="5" height="5" patternUnits="userSpaceOnUse">
<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1" fill="#505a5f"/></pattern>
</defs>"""


class _Scale:
    def __init__(self, lo: dt.date, hi: dt.date):
        self.lo, self.span = lo.toordinal(), max(hi.toordinal() - lo.toordinal(), 1)

    def x(self, d: dt.date) -> float:
        return round(LEFT + (d.toordinal() - self.lo) / self.span * (WIDTH - LEFT - RIGHT), 1)


def _ticks(lo: dt.date, hi: dt.date) -> list[dt.date]:
    """First days of months on the axis, every 1, 2, 3, 6, 12, ... months: ~70px apart at least."""
    months = (hi.year - lo.year) * 12 + hi.month - lo.month + 1
    room = (WIDTH - LEFT - RIGHT) // 70
    step = next((s for s in (1, 2, 3, 6, 12) if months / s <= room), 12 * (months // (12 * room) + 1))
    out = []
    index = lo.year * 12 + lo.month - 1
    while True:
        y, m = divmod(index, 12)
        d = dt.date(y, m + 1, 1)
        if d > hi:
            return out
        if d >= lo and m % min(step, 12) == 0 and (step <= 12 or y % (step // 12) == 0):
            out.append(d)
        index += 1


def shared_defs() -> str:
    """The patterns, once for a page of several timelines (ids must be unique in a page)."""
    return f'<svg width="0" height="0" aria-hidden="true" focusable="false" style="position:absolute">{DEFS}</svg>'


def svg(case: Case, findings: list[Finding], as_at: dt.date, label: str | None = None, defs: bool = True,
        events_of: list[Finding] | None = None) -> str:
    """The timeline of one case as an <svg> element (findings: this case's, in any order).

    With defs=False the patterns are left to shared_defs(), placed once on the page. With
    events_of, only the events of the types those findings' rules concern are marked."""
    findings = sorted(findings, key=Finding.sort_key)
    events = sorted((e for e in case.events if e.date <= as_at), key=lambda e: (e.date, e.seq))
    if events_of is None:
        dates = [e.date for e in events] + [as_at]
    else:
        # Only what the given findings concern: their events, over their own span (to the as-at
        # date only when one is still open), so a picture of three breaches stays small.
        types = {t for f in events_of for t in f.rule.event_types()}
        dates = [d for f in findings for d in (f.trigger.date, f.due, f.actual.date if f.actual else as_at)]
        lo, hi = min(dates, default=as_at), max(dates, default=as_at)
        events = [e for e in events if e.type in types and lo <= e.date <= hi]
    for f in findings:
        dates += [f.trigger.date, f.due] + ([f.actual.date] if f.actual is not None else [])
    lo, hi = min(dates), max(dates)
    sc = _Scale(lo, hi)
    height = AXIS_Y + 20 + ROW * len(findings) + 30
    label = label or f"Case {case.id}"
    n_breach = sum(f.status in BREACHES for f in findings)
    desc = (f"{plural(len(events), 'event')} from {short_date(lo)} to {short_date(hi)} on a date axis, and "
            f"{plural(len(findings), 'obligation')} ({plural(n_breach, 'breach', 'breaches')}) as bars from trigger "
            f"to due date; late parts hatched. "
            f"The {'list' if events_of is not None else 'table'} beside it gives the same findings in words.")
    out = [f'<svg class="timeline" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
           f'aria-labelledby="tl-title-{esc(case_anchor(case.id))} tl-desc-{esc(case_anchor(case.id))}" '
           f'font-family="system-ui, sans-serif" font-size="11">',
           f'<title id="tl-title-{esc(case_anchor(case.id))}">Timeline of {esc(label)}</title>',
           f'<desc id="tl-desc-{esc(case_anchor(case.id))}">{esc(desc)}</desc>', DEFS if defs else ""]
    # axis with month ticks and event marks
    out.append(f'<line x1="{LEFT}" y1="{AXIS_Y}" x2="{WIDTH - RIGHT}" y2="{AXIS_Y}" stroke="#1b1b1b"/>')
    ticks = _ticks(lo, hi)
    if ticks:  # one path for every grid line and one group for their labels: a report holds thousands
        out.append('<path stroke="#e1e1e1" d="' + "".join(f"M{sc.x(t)} {AXIS_Y - 4}V{height - 24}" for t in ticks)
                   + '"/><g fill="#505a5f" text-anchor="middle">'
                   + "".join(f'<text x="{sc.x(t)}" y="{AXIS_Y - 24}">{t:%b %Y}</text>' for t in ticks) + "</g>")
    out.append('<g aria-label="events">')
    for e in events:
        x = sc.x(e.date)
        # Inside role="img" a picture's parts are not read out: a <title> (shown on hover) is enough.
        out.append(f'<g><title>{short_date(e.date)}: {esc(event_words(e.type))}</title>'
                   f'<use href="#ev" x="{x}" y="{AXIS_Y - 3}"/></g>')
    out.append("</g>")
    asx = sc.x(as_at)
    if lo <= as_at <= hi:
        out.append(f'<line x1="{asx}" y1="{AXIS_Y}" x2="{asx}" y2="{height - 24}" stroke="#1b1b1b" stroke-dasharray="4 3"/>'
                   f'<text x="{asx}" y="{height - 10}" text-anchor="middle">as at {short_date(as_at)}</text>')
    out.append('<g aria-label="obligations">')
    for i, f in enumerate(findings):
        out.append(_bar(f, sc, AXIS_Y + 14 + i * ROW, as_at))
    out.append("</g></svg>")
    return "\n".join(out)


def case_anchor(case_id: str) -> str:
    """An id-safe, one-to-one form of a case id: ASCII letters, digits and '-' kept, any other
    character as _hex_ ("<" -> "_3c_")."""
    return "".join(ch if ch.isascii() and (ch.isalnum() or ch == "-") else f"_{ord(ch):x}_" for ch in case_id)


LABEL_CHARS = 36  # what fits in the room right of the bars at 11px


def short_title(f: Finding) -> str:
    """The rule's title, cut to fit beside its bar ("Case supervision at least every 6…")."""
    text = f.rule.title or f.rule.id
    return text if len(text) <= LABEL_CHARS else text[:LABEL_CHARS - 1].rstrip() + "…"


CHAR_PX = 6.6  # a generous average width of a bold 11px character


def _label_place(words: str, x0: float, end_x: float) -> str:
    """Where a bar's label goes: right of the bar where it fits, else left of it, else over the
    bar's end on a white halo; never cut off by the picture's edge."""
    width = len(words) * CHAR_PX
    if end_x + 4 + width <= WIDTH:
        return f'x="{end_x + 4}"'
    if x0 - 4 - width >= 0:
        return f'x="{x0 - 4}" text-anchor="end"'
    return f'x="{WIDTH - 2}" text-anchor="end" paint-order="stroke" stroke="#fff" stroke-width="3"'


def _bar(f: Finding, sc: _Scale, y: float, as_at: dt.date) -> str:
    x0, x1 = sc.x(f.trigger.date), sc.x(f.due)
    colour = COLOURS[f.status]
    mark = STATUS_MARKS[f.status]
    name = short_title(f)
    h = ROW - 6
    parts = [f'<g><title>{esc(f.rule.title or f.rule.id)}: due {short_date(f.due)}, {esc(f.status)}</title>']
    fill = {"met": colour, "due": "#fff", "withdrawn": "url(#dots)"}.get(f.status, colour)
    dash = ' stroke-dasharray="3 2"' if f.status == "due" else ""
    faint = ' fill-opacity=".35"' if f.status == "met" else ""
    parts.append(f'<rect x="{x0}" y="{y}" width="{max(round(x1 - x0, 1), 2)}" height="{h}" fill="{fill}" '
                 f'stroke="{colour}"{dash}{faint}/>')
    end_x = x1
    if f.status in BREACHES:
        end = f.actual.date if f.actual is not None else as_at
        end_x = sc.x(end)
        pattern = "url(#cross)" if f.status == "missing" else "url(#hatch)"
        parts.append(f'<rect x="{x1}" y="{y}" width="{max(round(end_x - x1, 1), 2)}" height="{h}" fill="{pattern}" '
                     f'stroke="{colour}" stroke-width="1.5"/>')
    words = f"{mark} {f.status}: {name}"
    parts.append(f'<text {_label_place(words, x0, end_x)} y="{y + h - 2}" fill="{colour}" '
                 f'font-weight="{"bold" if f.status in BREACHES else "normal"}">{esc(words)}</text></g>')
    return "".join(parts)
