"""`casecheck site DB_URL -o DIR`: a static site of the findings' history, self-contained,
a page per case, worker, team and rule, safe file names from hostile ids, a site per team,
built beside DIR and swapped in; and in a real browser at phone and desktop widths."""

import os
import re
import shutil
import subprocess
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from conftest import run_cli
from test_history import COHORT, RULES, _case, _write_runs

REF = re.compile(r"""(?:href|src)\s*=\s*["']([^"']*)["']|url\(\s*["']?([^"')]*)["']?\s*\)|@import\s+["']([^"']+)["']""",
                 re.I)


def _db(tmp_path, cohort=None, runs=("2024-03-31", "2024-04-30", "2024-05-31", "2024-06-30"), name="runs.db"):
    db = SimpleNamespace(url=f"sqlite:///{tmp_path / name}")
    (tmp_path / name.replace(".db", "-cases")).mkdir()
    _write_runs(db, tmp_path / name.replace(".db", "-cases"), runs=runs, cohort=cohort)
    return db


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("site")
    db = _db(tmp)
    out = run_cli("site", db.url, "-o", str(tmp / "site"))
    assert out.exit_code == 0, out.output
    return SimpleNamespace(db=db, dir=tmp / "site", tmp=tmp)


def _files(root):
    for folder, _, names in os.walk(root):
        for n in names:
            yield os.path.join(folder, n)


def _refs_resolve_inside(root):
    """Every href, src, CSS url() and @import of every file: relative, inside root, an existing file."""
    root = os.path.realpath(root)
    checked = 0
    for path in _files(root):
        if not path.endswith((".html", ".css", ".svg", ".js")):
            continue
        text = open(path, encoding="utf-8").read()
        for m in REF.finditer(text):
            ref = next(g for g in m.groups() if g is not None)
            if path.endswith(".js") and not ref:
                continue  # the search script's own `a.href = base + ...` is not a reference
            assert ref and not re.match(r"^[a-z][a-z0-9+.-]*:", ref, re.I), (path, ref)
            assert not ref.startswith(("/", "\\")), (path, ref)
            target = os.path.realpath(os.path.join(os.path.dirname(path), ref.split("#")[0]))
            assert target.startswith(root + os.sep) and os.path.isfile(target), (path, ref)
            checked += 1
        assert "http:" not in text and "https:" not in text and "//" not in re.sub(r"<!--.*?-->", "", text).replace(
            "://", "") or path.endswith(".js"), path
    return checked


def test_every_reference_in_every_file_resolves_inside_the_site(site):
    assert _refs_resolve_inside(site.dir) > 50
    # and the check can fail: a link leaving the site
    bad = site.tmp / "bad"
    shutil.copytree(site.dir, bad)
    (bad / "cases" / "C-LATE.html").write_text('<a href="../../elsewhere.html">x</a>', encoding="utf-8")
    with pytest.raises(AssertionError):
        _refs_resolve_inside(bad)


def test_a_page_per_case_with_each_findings_history(site):
    page = (site.dir / "cases" / "C-LATE.html").read_text(encoding="utf-8")
    assert "<title>Case C-LATE</title>" in page
    assert "put right</span> at the run as at 2024-05-31: late on 2024-05-20; 76 days open" in page
    assert "Test standard 1, minutes" in page and "Minutes within 4 days of the meeting" in page
    assert page.count("<tr><td class=\"date\">") == 4  # a row per run
    assert 'href="../workers/W-Amber.html"' in page and 'href="../teams/North.html"' in page
    assert 'href="../rules/MINUTES-4D.html"' in page and 'href="../site.css"' in page
    assert "<script" not in page  # the case page needs no script, and inlines no index
    two = (site.dir / "cases" / "C-TWO.html").read_text(encoding="utf-8")
    assert two.count('<section class="finding">') == 2


def test_worker_team_and_rule_pages(site):
    birch = (site.dir / "workers" / "W-Birch.html").read_text(encoding="utf-8")
    assert "<title>Worker W-Birch</title>" in birch and 'href="../teams/North.html"' in birch
    overdue = birch.split("Overdue now")[1].split("<h2>")[0]
    assert 'href="../cases/C-OPEN.html"' in overdue
    assert "Open longer than 3 months: 1" in birch
    amber = (site.dir / "workers" / "W-Amber.html").read_text(encoding="utf-8")
    assert "New since the previous run" in amber and "Put right since the previous run" in amber
    north = (site.dir / "teams" / "North.html").read_text(encoding="utf-8")
    assert 'href="../workers/W-Amber.html"' in north and 'href="../rules/MINUTES-4D.html"' in north
    overdue = north.split("Overdue now")[1].split("</table>")[0]
    days = [int(d.replace(",", "")) for d in re.findall(r'<td class="num">([\d,]+)</td>', overdue)]
    assert days == sorted(days, reverse=True) and len(days) >= 3  # most overdue first
    rule = (site.dir / "rules" / "PLAN-MAX-20D.html").read_text(encoding="utf-8")
    for text in ("<title>Rule PLAN-MAX-20D</title>", "Test standard 3, plans", "test-history", "max_duration",
                 "Breaches by team", 'href="../teams/South.html"', "&quot;limit&quot;:&quot;20 days&quot;"):
        assert text in rule, text


def test_the_overview_gives_the_latest_figures_a_trend_and_a_search(site):
    index = (site.dir / "index.html").read_text(encoding="utf-8")
    assert "<svg class=\"trend\"" in index and index.count("<rect ") == 12  # 3 bars a run, 4 runs
    assert '<script src="search-index.js"></script>' in index and 'id="q"' in index
    assert 'href="teams/North.html"' in index and 'href="rules/MINUTES-4D.html"' in index
    figures = dict((k, int(v)) for v, k in re.findall(r"<li><strong>([\d,]+)</strong> ([^<]+)</li>", index))
    assert figures["open breaches"] == 4  # C-OPEN, C-NEW, C-TWO twice, at 30 June
    assert figures["open longer than 3 months"] == 3
    js = (site.dir / "search-index.js").read_text(encoding="utf-8")
    assert '["case","C-LATE","cases/C-LATE.html"]' in js and '["worker","W-Birch","workers/W-Birch.html"]' in js


def test_print_css_hides_navigation_and_search_and_repeats_table_headers(site):
    css = (site.dir / "site.css").read_text(encoding="utf-8")
    printed = css.split("@media print{")[1]
    assert "nav.site,form.search,ul.results{display:none}" in printed
    assert "thead{display:table-header-group}" in printed and ".scroll{overflow:visible}" in printed


def test_split_by_team_gives_each_team_a_whole_site_naming_no_other_teams_child(site):
    out_dir = site.tmp / "split"
    out = run_cli("site", site.db.url, "-o", str(out_dir), "--split-by", "team")
    assert out.exit_code == 0, out.output
    assert sorted(p.name for p in out_dir.iterdir() if p.is_dir()) == ["North", "South"]
    homes = {"C-EVERY": "South"}
    for team in ("North", "South"):
        folder = out_dir / team
        assert (folder / "index.html").is_file() and (folder / "search-index.js").is_file()
        _refs_resolve_inside(folder)
        for case in COHORT:
            if homes.get(case, "North") == team:
                assert (folder / "cases" / f"{case}.html").is_file()
                continue
            for path in _files(folder):
                assert case not in open(path, encoding="utf-8").read() and case not in path, (team, case, path)
    top = (out_dir / "index.html").read_text(encoding="utf-8")
    assert "C-" not in top and 'href="North/index.html"' in top
    assert run_cli("site", site.db.url, "-o", str(site.tmp / "w"), "--split-by", "worker").exit_code == 2


def test_hostile_ids_give_safe_distinct_files_and_escaped_text(tmp_path):
    ids = ["../x", "<b>x</b>", "CON", "C-1", "c-1"]
    cases = [_case(f'"{i}"', ("2024-03-01", "cin_meeting", {"meeting": "m"}), team='"<i>T</i>"',
                   worker='"W/../../y"') for i in ids]
    db = _db(tmp_path, cohort=lambda _: cases, runs=("2024-03-31",))
    out = run_cli("site", db.url, "-o", str(tmp_path / "site"))
    assert out.exit_code == 0, out.output
    names = sorted(os.listdir(tmp_path / "site" / "cases"))
    assert len(names) == 5 and len({n.lower() for n in names}) == 5
    for n in names + os.listdir(tmp_path / "site" / "workers") + os.listdir(tmp_path / "site" / "teams"):
        assert re.fullmatch(r"[A-Za-z0-9_-]+\.html", n) and n.split(".")[0].upper() not in ("CON", "NUL", "AUX")
    assert not (tmp_path / "x.html").exists() and not (tmp_path / "y.html").exists()
    _refs_resolve_inside(tmp_path / "site")
    texts = "".join(open(p, encoding="utf-8").read() for p in _files(tmp_path / "site") if p.endswith(".html"))
    assert "<b>x</b>" not in texts and "&lt;b&gt;x&lt;/b&gt;" in texts and "<i>T</i>" not in texts
    js = (tmp_path / "site" / "search-index.js").read_text(encoding="utf-8")
    assert "<" not in js and "\\u003cb\\u003ex" in js


def test_a_case_page_does_not_grow_with_the_cohort(tmp_path, site):
    alone = _db(tmp_path, cohort=lambda _: [COHORT["C-LATE"]], name="alone.db")
    assert run_cli("site", alone.url, "-o", str(tmp_path / "alone")).exit_code == 0
    assert (tmp_path / "alone" / "cases" / "C-LATE.html").read_bytes() == \
        (site.dir / "cases" / "C-LATE.html").read_bytes()


def test_a_foreign_folder_is_refused_and_force_replaces_it(tmp_path, site):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    out = run_cli("site", site.db.url, "-o", str(mine))
    assert out.exit_code == 2 and "holds files that are not a casecheck site" in out.stderr
    assert os.listdir(mine) == ["notes.txt"]
    assert run_cli("site", site.db.url, "-o", str(mine), "--force").exit_code == 0
    assert (mine / "index.html").is_file() and not (mine / "notes.txt").exists()
    # an earlier site is replaced without --force
    assert run_cli("site", site.db.url, "-o", str(mine)).exit_code == 0
    assert not [n for n in os.listdir(tmp_path) if "casecheck-" in n]


def test_a_failed_build_leaves_the_earlier_site_whole(tmp_path, site, monkeypatch):
    out_dir = tmp_path / "s"
    assert run_cli("site", site.db.url, "-o", str(out_dir)).exit_code == 0
    before = {p: open(p, "rb").read() for p in _files(out_dir)}
    from casecheck.commands import site as site_command

    def failing(h, work, calendar, split_by_team=False):
        (open(os.path.join(work, "index.html"), "w")).write("half")
        raise OSError(28, "No space left on device")
    monkeypatch.setattr(site_command, "build", failing)
    out = run_cli("site", site.db.url, "-o", str(out_dir))
    assert out.exit_code == 2 and "No space left on device" in out.stderr
    assert {p: open(p, "rb").read() for p in _files(out_dir)} == before
    assert os.listdir(tmp_path) == ["s"]


def test_bad_inputs_exit_2_and_the_database_is_unchanged(tmp_path, site):
    with sa.create_engine(site.db.url).connect() as conn:
        before = [sorted(map(tuple, conn.execute(sa.text(f"SELECT * FROM {t}")).all()), key=repr)
                  for t in ("casecheck_runs", "casecheck_findings", "casecheck_run_rules")]
    empty = tmp_path / "empty.db"
    sa.create_engine(f"sqlite:///{empty}").connect().exec_driver_sql("CREATE TABLE x (y INTEGER)")
    out = run_cli("site", f"sqlite:///{empty}", "-o", str(tmp_path / "o"))
    assert out.exit_code == 2 and "holds no casecheck runs" in out.stderr and not (tmp_path / "o").exists()
    (tmp_path / "file").write_text("x", encoding="utf-8")
    assert run_cli("site", site.db.url, "-o", str(tmp_path / "file")).exit_code == 2
    with sa.create_engine(site.db.url).connect() as conn:
        after = [sorted(map(tuple, conn.execute(sa.text(f"SELECT * FROM {t}")).all()), key=repr)
                 for t in ("casecheck_runs", "casecheck_findings", "casecheck_run_rules")]
    assert after == before


# --- in a real browser, opened from file:// ----------------------------------------------------

CHROMIUM = shutil.which("chromium")
PROBE = """<script>
var box = document.getElementById("q");
if (box) { box.value = %s; box.dispatchEvent(new Event("input")); }
var list = document.getElementById("results");
parent.postMessage({scroll: document.documentElement.scrollWidth, window: window.innerWidth,
                    results: list ? list.innerHTML : ""}, "*");
</script></body>"""
# Headless Chromium lays a window out at least 500 px wide, so the page is opened in a frame of the
# width under test, and tells the frame's parent what it measured.
FRAME = """<!DOCTYPE html><html><body style="margin:0"><iframe src="%s" style="border:0;width:%dpx;height:2000px">
</iframe><script>addEventListener("message", function (e) {
  document.body.setAttribute("data-probe", JSON.stringify(e.data)); });</script></body></html>"""


def _probe(page, width, tmp_path, query="''"):
    """The page as Chromium lays it out at this width, opened from file://: its scroll width, the
    window's width and (on the overview, `query` typed into the search box) the results listed."""
    import html
    import json
    probe = page.with_name("probe-" + page.name)
    probe.write_text(page.read_text(encoding="utf-8").replace("</body>", PROBE % query), encoding="utf-8")
    frame = page.with_name("frame-" + page.name)
    frame.write_text(FRAME % (probe.name, width), encoding="utf-8")
    try:
        proc = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / f'profile-{width}'}", "--hide-scrollbars",
             f"--window-size={width + 100},2100", "--virtual-time-budget=5000", "--dump-dom", frame.as_uri()],
            capture_output=True, text=True, timeout=120)
    finally:
        probe.unlink()
        frame.unlink()
    found = re.search(r'data-probe="([^"]*)"', proc.stdout)
    assert found, proc.stdout[-2000:]
    data = json.loads(html.unescape(found.group(1)))
    return data["results"], data["scroll"], data["window"]


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
@pytest.mark.parametrize("width", [390, 1280])
def test_pages_are_no_wider_than_the_window(site, tmp_path, width):
    long = site.tmp / "long"
    if not long.exists():  # a long unbroken id and team, to wrap
        cases = list(COHORT.values()) + [_case("C-" + "9" * 120, ("2024-03-01", "cin_meeting", {"meeting": "z"}),
                                               team="T" * 150, worker="W-" + "w" * 100)]
        db = _db(site.tmp, cohort=lambda _: cases, name="long.db")
        assert run_cli("site", db.url, "-o", str(long)).exit_code == 0
    for page in (long / "index.html", long / "cases" / "C-LATE.html", long / "teams" / "North.html",
                 next((long / "cases").glob("C-999*.html"))):
        _, scroll, window = _probe(page, width, tmp_path)
        assert window == width and scroll <= window, (page.name, scroll, window)
    # and the check can fail: a wide unbroken line outside any scroll box
    wide = long / "teams" / "North.html"
    text = wide.read_text(encoding="utf-8")
    wide.write_text(text.replace("<main>", '<main><p style="white-space:nowrap">' + "x" * 400 + "</p>"),
                    encoding="utf-8")
    _, scroll, window = _probe(wide, width, tmp_path)
    wide.write_text(text, encoding="utf-8")
    assert scroll > window


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
def test_a_case_id_typed_into_the_search_box_lists_that_case_from_file_urls(site, tmp_path):
    results, _, _ = _probe(site.dir / "index.html", 1280, tmp_path, '"c-lat"')
    assert '<a href="cases/C-LATE.html">C-LATE</a>' in results and "C-OPEN" not in results
    results, _, _ = _probe(site.dir / "index.html", 390, tmp_path, '"no such thing"')
    assert results == "<li>Nothing found.</li>"


# --- file names from untrusted ids, for any ids -------------------------------------------------

from hypothesis import given, settings, strategies as st  # noqa: E402

from casecheck.views.site.names import safe_names  # noqa: E402

_IDS = st.lists(st.one_of(st.text(max_size=30), st.sampled_from(["CON", "con", "nul", "a:b", "../x", "C-1", "c-1",
                                                                   "COM1", "x" * 200, ""])), max_size=20)


@settings(max_examples=300, deadline=None)
@given(_IDS, _IDS)
def test_safe_names_are_distinct_ignoring_case_and_safe_on_every_share(ids, more):
    names = safe_names(ids + more)
    assert set(names) == set(ids + more)
    assert len({n.lower() for n in names.values()}) == len(names)
    for v, n in names.items():
        assert re.fullmatch(r"[A-Za-z0-9_-]{1,120}", n), n
        assert n.lower() not in ("con", "prn", "aux", "nul") and not re.fullmatch(r"(com|lpt)\d", n.lower())
        reserved = re.fullmatch(r"con|prn|aux|nul|com\d|lpt\d", v.lower())
        if re.fullmatch(r"[A-Za-z0-9_-]{1,80}", v) and not reserved and \
                sum(x.lower() == v.lower() for x in names) == 1 and not any(
                    n2.lower() == v.lower() for v2, n2 in names.items() if v2 != v):
            assert n == v  # a plain, unique id keeps its own name
    assert safe_names(ids + more) == names  # the same names every build
