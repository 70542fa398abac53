"""`casecheck report`: one self-contained, accessible HTML file with a timeline per case."""

import re
import shutil
import subprocess

import pytest
from click.testing import CliRunner

from casecheck.cli import main
from conftest import D, make_case, make_rules
from casecheck.views import htmlreport
from casecheck.views import summary
from casecheck.views import timeline_svg
from casecheck.replay import check
from casecheck.inputs import bundled
from casecheck.inputs.cases import load_cases
from casecheck.rules.load import load_rules

EVIL = '<script>alert("x")</script>&"\''
RULES = [{"id": "R", "title": "Reply within 2 days", "kind": "response", "trigger": "ask", "expect": "reply",
          "within": "2 days", "cite": "Practice standard 4.2"},
         {"id": "V", "title": "Visit every week", "kind": "every", "expect": "visit", "every": "1 week",
          "from": "open"},
         {"id": "P", "title": "Plan at most 10 days", "kind": "max_duration", "from": "open", "limit": "10 days"}]


def cohort():
    cases = [make_case(("2024-01-01", "open"), ("2024-01-02", "ask", {"note": EVIL}), ("2024-01-03", "reply"),
                       ("2024-01-06", "visit"), ("2024-01-10", "ask"), ("2024-01-20", "reply"),
                       case_id=EVIL, team=EVIL),
             make_case(("2024-01-05", "ask"), case_id="C-2", worker="W1")]
    rules = make_rules(*RULES)
    return cases, rules, check(cases, rules, D("2024-02-01"))


def build():
    cases, rules, findings = cohort()
    return htmlreport.report(cases, rules, findings, D("2024-02-01"), [], summary.groupings(["team"])), findings


def test_case_data_is_escaped_everywhere():
    html, _ = build()
    assert "<script" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;&quot;&#x27;" in html
    # ids made from the case id hold only safe characters
    ids = re.findall(r'\bid="([^"]*)"', html)
    for value in ids:
        assert re.fullmatch(r"[A-Za-z0-9_-]+", value), value
    assert len(ids) == len(set(ids))  # unique in the page, the SVG patterns included


def test_self_contained_no_fetches_no_scripts():
    html, _ = build()
    assert re.search(r"(?i)<(script|link|img|iframe|object)\b", html) is None
    assert re.search(r"(?i)\b(src|srcset)\s*=", html) is None
    assert "http://" not in html and "https://" not in html and "@import" not in html
    assert set(re.findall(r"url\(([^)]*)\)", html)) <= {"#hatch", "#cross", "#dots"}
    assert "Content-Security-Policy" in html and "default-src 'none'" in html


def test_each_case_with_breaches_has_its_breaches_in_words_and_an_accessible_picture_of_them():
    html, findings = build()
    breached = sorted({f.case for f in findings if f.is_breach})
    assert html.count("<section ") == len(breached) == 2
    svgs = re.findall(r"<svg class=\"timeline\".*?</svg>", html, re.S)
    assert len(svgs) == 2
    for svg in svgs:
        assert 'role="img"' in svg and "<title id=" in svg and "<desc id=" in svg
        for ref in re.search(r'aria-labelledby="([^"]*)"', svg).group(1).split():
            assert f'id="{ref}"' in svg
    first = svgs[0]
    mine = [f for f in findings if f.case == EVIL and f.is_breach]
    # one bar per breach, labelled by its status and the rule's title in words (never the rule id)
    labels = re.findall(r'<text [^>]*>\S (late|missing|exceeded): ([^<]*)</text>', first)
    assert sorted(labels) == sorted((f.status, f.rule.title) for f in mine)
    assert first.count('fill="url(#hatch)"') == sum(f.status in ("late", "exceeded") for f in mine)
    assert first.count('fill="url(#cross)"') == sum(f.status == "missing" for f in mine)
    sections = re.findall(r"<section .*?</section>", html, re.S)
    for section, case in zip(sections, [EVIL, "C-2"]):
        fs = [f for f in findings if f.case == case and f.is_breach]
        assert section.count('<li class="breach') == len(fs)
        # every breach under its standard, with the citation where the rule has one
        for rule in {f.rule for f in fs}:
            assert f"Standard: <strong>{rule.title}</strong>" in section
            if rule.cite:
                assert f"({rule.cite})" in section
    # met findings are counted, not listed
    met = sum(f.status == "met" for f in findings if f.case == EVIL)
    assert met and f"other findings: {met} met" in sections[0]


def test_cases_are_indexed_breaches_first_and_clean_cases_folded():
    cases, rules, _ = cohort()
    cases.append(make_case(("2024-01-05", "ask"), ("2024-01-06", "reply"), case_id="C-clean"))
    findings = check(cases, rules, D("2024-02-01"))
    html = htmlreport.report(cases, rules, findings, D("2024-02-01"), [], summary.groupings([]))
    index = re.search(r'<table class="index cards">.*?</table>', html, re.S).group(0)
    assert 'href="#case-C-2"' in index and "C-clean" not in index
    assert '<details><summary>1 case with no breach</summary><p><span class="id">C-clean</span></p></details>' in html
    assert 'id="case-C-clean"' not in html


def _bench(name):
    import importlib.util
    from pathlib import Path
    path = Path(__file__).resolve().parent.parent / "bench" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"bench_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_cohort_of_1000_cases_is_at_most_10_kb_a_case():
    size = _bench("report_size")
    n = 1000
    total = size.report_bytes(n)
    assert total / n <= 10 * 1024, f"{total / n:.0f} bytes a case"
    # the measure measures: the same cohort with every finding listed would be far bigger
    assert total > 1000 * n


def test_late_bar_runs_from_the_due_date_to_the_actual_date():
    cases, rules, findings = cohort()
    [late] = [f for f in findings if f.rule.id == "R" and f.status == "late"]  # asked 01-10, due 01-12, reply 01-20
    svg = timeline_svg.svg(cases[0], [late], D("2024-02-01"))
    lo, hi = D("2024-01-01"), D("2024-02-01")
    scale = timeline_svg._Scale(lo, hi)
    m = re.search(r'<rect x="([\d.]+)" y="[\d.]+" width="([\d.]+)" height="\d+" fill="url\(#hatch\)"', svg)
    assert float(m.group(1)) == scale.x(late.due)
    assert float(m.group(1)) + float(m.group(2)) == pytest.approx(scale.x(late.actual.date), abs=0.2)


def test_report_command_writes_the_file_and_needs_output(tmp_path):
    assert CliRunner().invoke(main, ["report"]).exit_code == 2
    out = tmp_path / "r.html"
    r = CliRunner().invoke(main, ["report", "--as-at", "2026-11-24", "-o", str(out), "--by", "team"])
    assert r.exit_code == 0 and r.stdout == ""  # a document: 0 once written, whatever its breaches
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "Compliance by team, rule" in html
    rules, _ = load_rules([str(bundled.rules_dir())])
    cases, _ = load_cases([str(bundled.cases_dir())])
    breached = {f.case for f in check(cases, rules, D("2024-11-24")) if f.is_breach}
    assert html.count("<section id=\"case-") == len({f.case for f in check(cases, rules, D("2026-11-24")) if f.is_breach})
    assert breached and "LGSCO-23-011-844" in html
    assert "Compliance by month" in html and '<svg class="trend"' in html


CHROMIUM = shutil.which("chromium")
CONSOLE = re.compile(r":CONSOLE[(:]")


def _chromium(page, tmp_path, name, size=(1200, 1600)):
    profile = tmp_path / f"profile-{name}"
    shot = tmp_path / f"{name}.png"
    proc = subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", f"--user-data-dir={profile}", "--enable-logging=stderr",
         "--v=0", f"--window-size={size[0]},{size[1]}", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri()],
        capture_output=True, text=True, timeout=120)
    return [ln for ln in proc.stderr.splitlines() if CONSOLE.search(ln)], shot


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
def test_report_in_a_real_browser_loads_cleanly_and_draws(tmp_path):
    from PIL import Image

    html, _ = build()
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    console, shot = _chromium(page, tmp_path, "report")
    assert console == []
    img = Image.open(shot).convert("RGB")
    assert img.size == (1200, 1600)
    colours = img.getcolors(maxcolors=1 << 20)
    assert len(colours) > 50  # text, table rules, bars and patterns, not a blank page
    white = sum(n for n, rgb in colours if rgb == (255, 255, 255))
    assert white < 0.97 * img.size[0] * img.size[1]
    # the check above can fail: a page that breaks its own policy shows up on the console
    bad = tmp_path / "bad.html"
    bad.write_text(html.replace("</main>", '<img src="https://example.invalid/x.png"></main>'), encoding="utf-8")
    console, _ = _chromium(bad, tmp_path, "bad")
    assert console and "Content Security Policy" in console[0]


def _right_edge_is_blank(shot, columns=3) -> bool:
    """Nothing painted in the rightmost columns: content wider than the window would be cut
    there (with scrollbars hidden), so a blank edge means no horizontal overflow."""
    from PIL import Image
    img = Image.open(shot).convert("RGB")
    w, h = img.size
    return all(img.getpixel((x, y)) == (255, 255, 255) for x in range(w - columns, w) for y in range(h))


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
@pytest.mark.parametrize("width", [390, 1280])
def test_report_is_readable_at_phone_and_desktop_widths_with_no_horizontal_overflow(tmp_path, width):
    from PIL import Image

    out = tmp_path / "bundled.html"
    r = CliRunner().invoke(main, ["report", "--as-at", "2026-11-24", "--by", "team", "-o", str(out)])
    assert r.exit_code == 0
    console, shot = _chromium(out, tmp_path, f"w{width}", (width, 3000))
    assert console == []
    assert Image.open(shot).size == (width, 3000)
    assert _right_edge_is_blank(shot)
    # the check can fail: a table wider than the window, outside the report's scroll boxes
    html = out.read_text(encoding="utf-8")
    wide = tmp_path / "wide.html"
    wide.write_text(html.replace("<h2>Compliance across the cohort</h2>", '<table><tr><td style="white-space:'
                                 'nowrap">' + "a wide table " * 60 + "</td></tr></table>"), encoding="utf-8")
    _, shot = _chromium(wide, tmp_path, f"wide{width}", (width, 3000))
    assert not _right_edge_is_blank(shot)
