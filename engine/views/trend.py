"""Compliance by month as small inline SVG line charts, each with its numbers beside it.

People read a trend from a picture; a screen reader (and anyone checking) reads the same numbers
as text next to it. A month is the month of the due date; a month in which nothing was owed has
no point (the line breaks there). Only the last MONTHS months up to the as-at date are drawn.
"""

from __future__ import annotations

import datetime as dt

from ..model import Finding
from .htmlpage import esc
from .summary import shown_value, summarise

MONTHS = 24
W, H = 320, 90
PAD_L, PAD_R, PAD_T, PAD_B = 34, 8, 8, 20


def monthly(findings: list[Finding], as_at: dt.date) -> list[tuple[str, float | None, int]]:
    """(month key YYYY-MM, compliance or None, owed) for each of the last MONTHS months to as_at
    that any finding falls due in, oldest first."""
    last = as_at.strftime("%Y-%m")
    rows = {r.key[0]: r for r in summarise(findings, ("month",)) if r.key[0] <= last}
    if not rows:
        return []
    # every month from the first to the last, those with no finding too: the axis is even in time
    y, m = map(int, min(rows).split("-"))
    keys = []
    while f"{y:04}-{m:02}" <= max(rows):
        keys.append(f"{y:04}-{m:02}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    keys = keys[-MONTHS:]
    return [(k, rows[k].values()["compliance"], rows[k].owed) if k in rows else (k, None, 0) for k in keys]


def chart(title: str, points: list[tuple[str, float | None, int]]) -> str:
    """One chart with its caption and its numbers; '' when fewer than two months had anything
    owed (one point is no trend)."""
    known = [(i, c) for i, (_, c, _) in enumerate(points) if c is not None]
    if len(known) < 2:
        return ""
    n = len(points)
    plot_w, plot_h = W - PAD_L - PAD_R, H - PAD_T - PAD_B

    def x(i: int) -> float:
        return round(PAD_L + (plot_w * i / (n - 1) if n > 1 else plot_w / 2), 1)

    def y(c: float) -> float:
        return round(PAD_T + plot_h * (1 - c), 1)

    lines, run = [], []
    for i, (_, c, _) in enumerate(points):  # a month with nothing owed breaks the line
        if c is None:
            if run:
                lines.append(run)
            run = []
        else:
            run.append(f"{x(i)},{y(c)}")
    if run:
        lines.append(run)
    first, last = points[known[0][0]], points[known[-1][0]]
    words = (f"Compliance by month, {title}: {_pct(first[1])} in {shown_value('month', first[0])}, "
             f"{_pct(last[1])} in {shown_value('month', last[0])}")
    parts = [f'<svg class="trend" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" '
             f'aria-label="{esc(words)}" font-size="10" font-family="system-ui, sans-serif">',
             f'<line x1="{PAD_L}" y1="{y(1)}" x2="{W - PAD_R}" y2="{y(1)}" stroke="#e1e1e1"/>'
             f'<line x1="{PAD_L}" y1="{y(.5)}" x2="{W - PAD_R}" y2="{y(.5)}" stroke="#e1e1e1"/>'
             f'<line x1="{PAD_L}" y1="{y(0)}" x2="{W - PAD_R}" y2="{y(0)}" stroke="#b1b4b6"/>',
             f'<text x="{PAD_L - 4}" y="{y(1) + 4}" text-anchor="end">100%</text>'
             f'<text x="{PAD_L - 4}" y="{y(.5) + 4}" text-anchor="end">50%</text>'
             f'<text x="{PAD_L - 4}" y="{y(0) + 4}" text-anchor="end">0%</text>',
             f'<text x="{PAD_L}" y="{H - 4}">{esc(shown_value("month", points[0][0]))}</text>'
             f'<text x="{W - PAD_R}" y="{H - 4}" text-anchor="end">{esc(shown_value("month", points[-1][0]))}</text>']
    for run in lines:
        parts.append(f'<polyline points="{" ".join(run)}" fill="none" stroke="#1d70b8" stroke-width="2"/>')
    for i, c in known:
        parts.append(f'<circle cx="{x(i)}" cy="{y(c)}" r="2.5" fill="#1d70b8"/>')
    parts.append("</svg>")
    numbers = "; ".join(f"{shown_value('month', m)}: {_pct(c)} of {owed}" for m, c, owed in points if c is not None)
    return (f'<figure class="trend"><figcaption>{esc(title)}</figcaption>{"".join(parts)}'
            f'<p class="nums">{esc(numbers)}</p></figure>')


def _pct(c: float) -> str:
    return f"{c * 100:.1f}%"


def trend_section(findings: list[Finding], as_at: dt.date, level: int = 2) -> str:
    """The cohort's chart, then one per rule (by title), under a heading."""
    by_rule: dict[str, list[Finding]] = {}
    for f in findings:
        by_rule.setdefault(f.rule.id, []).append(f)
    charts = [chart("all rules together", monthly(findings, as_at))]
    for rid in sorted(by_rule):
        fs = by_rule[rid]
        charts.append(chart(fs[0].rule.title or rid, monthly(fs, as_at)))
    charts = [c for c in charts if c]
    if not charts:
        return ""
    h = f"h{level}"
    return (f"<{h}>Compliance by month</{h}><p>Each chart shows met / owed for the deadlines that fell due in "
            f"each month (the last {MONTHS} months to the as-at date at most; no point where nothing was owed); "
            f"the numbers follow each chart (compliance, of how many owed).</p><div class=\"trends\">{''.join(charts)}</div>")
