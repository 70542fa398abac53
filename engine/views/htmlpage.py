"""A self-contained HTML page: inline CSS, no scripts, fonts or fetches of any kind.

The Content-Security-Policy forbids every external resource, so a report opened from a shared
drive can call nothing; all case data is escaped with esc() (case files are untrusted).
Tables of counts carry the class `cards` and a data-label on each cell: on a narrow screen each
row becomes a card of label-value lines, so no count is ever off the screen or in a box that
scrolls sideways.
"""

from __future__ import annotations

import html as _html
import re

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;margin:2rem auto;max-width:80rem;
padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1,h2,h3,h4{line-height:1.2}
table{border-collapse:collapse;margin:.5rem 0 1.5rem;font-size:.9rem}
th,td{border:1px solid #b1b4b6;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f2f1}
th[scope=row]{white-space:nowrap}
td.date{white-space:nowrap}
td.num{text-align:right;font-variant-numeric:tabular-nums}
caption{text-align:left;font-weight:bold;padding:.25rem 0}
.cite{color:#505a5f;font-size:.9em}
.breach strong{color:#942514}
ol.chronology li{margin:.3rem 0}
.status{white-space:nowrap;font-weight:bold}
.status-late .status,.status-missing .status,.status-exceeded .status{color:#942514}
.status-met .status{color:#005a30}
.status-due .status{color:#594d00}
svg.timeline{border:1px solid #d8d8d8;background:#fff;display:block;max-width:100%;height:auto;box-sizing:border-box}
.scroll{overflow-x:auto;max-width:100%}
table.summary{font-size:.75rem}
table.summary th,table.summary td{padding:.2rem}
table.summary td.title{min-width:6rem}
table.summary thead th{vertical-align:bottom}
table.summary th[scope=row]{white-space:normal}
ul.legend{display:flex;flex-wrap:wrap;gap:.2rem 1.2rem;list-style:none;padding:0}
figure{margin:1rem 0}
details{margin:.5rem 0 1rem}
summary{cursor:pointer}
ul.breaches{padding-left:1.2rem}
ul.breaches ol{padding-left:1.2rem;margin:.2rem 0 .6rem}
ul.breaches li{margin:.3rem 0}
.trends{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem}
figure.trend{margin:0;max-width:320px}
figure.trend figcaption{font-weight:bold;font-size:.9rem}
svg.trend{max-width:100%;height:auto}
.nums{font-size:.8rem;color:#505a5f;margin:.2rem 0}
.id{white-space:nowrap}
@media (max-width:40rem){body{margin:1rem auto;padding:0 .6rem}table{font-size:.8rem}
ul{padding-left:1.1rem}.not-applied li{font-size:.85rem}
table.cards,table.cards caption,table.cards tbody,table.cards tr,table.cards th,table.cards td{display:block}
table.cards thead{display:none}
table.cards tr{border:1px solid #b1b4b6;margin:0 0 .5rem;padding:.2rem .5rem}
table.cards th,table.cards td{border:0;padding:.1rem 0;text-align:left;white-space:normal;min-width:0}
table.cards th[scope=row]{background:none}
table.cards td[data-label]{display:flex;justify-content:space-between;gap:1rem}
table.cards td[data-label]::before{content:attr(data-label);color:#505a5f;text-align:left}
table.cards td:empty{display:none}}
"""


def esc(value) -> str:
    """Text (or an attribute value) escaped for HTML."""
    return _html.escape(str(value), quote=True)


_ID = re.compile(r"(?<![\w-])[A-Z][A-Z0-9]*(?:-[A-Za-z0-9]+)+(?![\w-])")


def esc_ids(value) -> str:
    """Text escaped for HTML, each identifier in it (a rule id such as REP-S1-10WD, a case id such
    as FIC-0003) kept on one line: a narrow screen never breaks one at its hyphens."""
    return _ID.sub(lambda m: f"<span class=\"id\">{m.group()}</span>", esc(value))


def page(title: str, body: str) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n"
            f"</body>\n</html>\n")
