"""The HTML views at a desktop (1280 px) and a phone (390 px) width, measured in Chromium.

Each page is shown unchanged (its own Content-Security-Policy, no script) in an iframe of the
width; a script of the test's harness page (tests/data/layout_measure.js) measures it and writes
what it found into the harness page, which `chromium --dump-dom` prints: the page's scroll width,
every count (number) and identifier drawn, where each is drawn and whether a box that scrolls or
clips sideways holds it, and whether an identifier is drawn on more than one line.
"""

import html
import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from casecheck.inputs import bundled
from casecheck.views.htmlpage import CSP

CHROMIUM = shutil.which("chromium")
MEASURE = (Path(__file__).parent / "data" / "layout_measure.js").read_text(encoding="utf-8")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; "
                                    ".ci/run does)")


def measure(page: Path, width: int, tmp_path: Path) -> dict:
    harness = tmp_path / f"{page.stem}-{width}.html"
    harness.write_text(
        '<!DOCTYPE html><html><head><meta charset="utf-8"></head><body style="margin:0">'
        f'<iframe id="casecheck-page" width="{width}" height="2000" style="border:0" '
        f'srcdoc="{html.escape(page.read_text(encoding="utf-8"), quote=True)}"></iframe>'
        f"<script>{MEASURE}</script></body></html>", encoding="utf-8")
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / f'profile-{width}'}",
         "--window-size=1400,2100", "--hide-scrollbars", "--dump-dom", harness.as_uri()],
        capture_output=True, text=True, timeout=120)
    found = re.search(r'<pre id="casecheck-measure">(.*?)</pre>', proc.stdout, re.S)
    assert found, proc.stderr[-2000:]
    return json.loads(html.unescape(found.group(1)))


def _pages(tmp_path: Path) -> dict[str, Path]:
    """The report, the summary page and a chronology (every finding, rule ids shown) of the bundled cases."""
    pages = {"report": tmp_path / "report.html", "summary": tmp_path / "summary.html",
             "chronology": tmp_path / "chronology.html"}
    york = str(bundled.cases_dir() / "york-23-011-844.yaml")
    for args in (["report", "--by", "team,month", "-o", pages["report"]],
                 ["summary", "--by", "team,month", "--format", "html", "-o", pages["summary"]],
                 ["chronology", york, "--format", "html", "--ids", "--all", "-o", pages["chronology"]]):
        r = CliRunner().invoke(main, [str(a) for a in args] + ["--as-at", "2024-10-14"])
        assert r.exit_code in (0, 1), r.output
    return pages


@pytest.fixture(scope="module")
def measured(tmp_path_factory):
    if CHROMIUM is None:
        return {}
    tmp_path = tmp_path_factory.mktemp("widths")
    return {(name, width): measure(page, width, tmp_path)
            for name, page in _pages(tmp_path).items() for width in (1280, 390)}


PAGES = ["report", "summary", "chronology"]


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", [1280, 390])
def test_page_never_scrolls_sideways_and_every_count_is_in_the_window(measured, name, width):
    m = measured[name, width]
    assert m["width"] == width
    assert m["scroll_width"] <= width
    assert m["tokens"], "nothing measured"
    assert m["outside"] == []
    assert m["scrolled"] == []  # no count or rule id in a box that scrolls or clips sideways


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("width", [1280, 390])
def test_no_rule_id_breaks_across_lines(measured, name, width):
    m = measured[name, width]
    ids = {text for kind, text in m["tokens"] if kind == "id"}
    assert any(re.fullmatch(r"[A-Z]+(-[A-Z0-9]+)+", i) and not i.startswith("FIC-") for i in ids), ids
    assert m["broken"] == []


@needs_chromium
@pytest.mark.parametrize("name", PAGES)
def test_every_count_and_rule_id_shown_on_a_desktop_is_shown_on_a_phone(measured, name):
    wide = Counter(map(tuple, measured[name, 1280]["tokens"]))
    narrow = Counter(map(tuple, measured[name, 390]["tokens"]))
    assert wide - narrow == Counter()


@needs_chromium
@pytest.mark.parametrize("name", ["report", "summary"])
def test_tables_become_labelled_cards_on_a_phone(measured, name):
    assert measured[name, 1280]["headings_shown"] >= 1  # a table with its headings on a desktop
    assert measured[name, 390]["headings_shown"] == 0  # cards on a phone: each value with its label
    assert measured[name, 390]["unlabelled"] == []


def test_pages_keep_their_policy_and_carry_no_script(tmp_path):
    for page in _pages(tmp_path).values():
        text = page.read_text(encoding="utf-8")
        assert CSP in text and "script-src" not in CSP
        assert "<script" not in text.lower()


@needs_chromium
def test_the_measurement_sees_a_wide_table_a_scroll_box_and_a_broken_id(tmp_path):
    """The checks above can fail: a page breaking each rule is caught."""
    page = tmp_path / "bad.html"
    page.write_text(
        f'<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="{CSP}"></head><body>'
        '<table><tr><td style="white-space:nowrap">' + "12345 " * 120 + "</td></tr></table>"
        '<div style="overflow-x:auto"><p style="white-space:nowrap">' + "678 " * 200 + "</p></div>"
        '<p style="width:4rem">ABCD-EFGH-IJKL-MNOP-QRST</p></body></html>', encoding="utf-8")
    m = measure(page, 390, tmp_path)
    assert m["scroll_width"] > 390
    assert ("12345",) in {(t[0],) for t in m["outside"]}
    assert any(t[0] == "678" for t in m["scrolled"])
    assert m["broken"] == ["ABCD-EFGH-IJKL-MNOP-QRST"]
