"""`scrutiny report`: a self-contained page a journalist can read, checked on the demo warehouse
and rendered in headless Chromium.

Set REPORT_SCREENSHOT=path/to.png to keep the Chromium screenshot (docs/report.png is made so:
``REPORT_SCREENSHOT=docs/report.png .venv/bin/pytest -q tests/test_report.py``).
"""
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
from html import escape
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest

from tests.demo_data import TODAY, demo  # noqa: F401
from warehouse.load import connect_read_only
from warehouse.report import actions_of, write_report

CHARTS = ("chart-timeline", "chart-topics", "chart-term", "chart-attendance")


@pytest.fixture(scope="module")
def page(demo, tmp_path_factory):
    return write_report(demo.data, tmp_path_factory.mktemp("report") / "report.html", today=TODAY)


@pytest.fixture(scope="module")
def html(page):
    return page.read_text(encoding="utf-8")


@pytest.fixture
def con(demo):
    # per test: a second read-only connection in the same process cannot be locked down
    # (DuckDB shares one instance), so write_report must not run while this one is open
    con = connect_read_only(demo.data)
    yield con
    con.close()


class Links(HTMLParser):
    """Every URL-bearing attribute in the page, with its tag."""

    def __init__(self):
        super().__init__()
        self.urls: list[tuple[str, str, str]] = []  # (tag, attribute, value)
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("href", "src", "xlink:href", "srcset", "data", "action", "poster") and value:
                self.urls.append((tag, name, value))


def _chart(html: str, chart_id: str) -> str:
    svg = re.search(rf'<svg id="{chart_id}".*?</svg>', html, re.S)
    assert svg, f"{chart_id} missing"
    return svg.group(0)


def _texts(svg: str) -> list[str]:
    return [t for t in re.findall(r"<text[^>]*>([^<]*)</text>", svg)]


def test_the_page_fetches_nothing_only_links_to_papers(html):
    parser = Links()
    parser.feed(html)
    # nothing that loads: no script, stylesheet link, image, frame, font or CSS import
    assert not parser.tags & {"script", "link", "img", "iframe", "object", "embed", "image", "use"}, parser.tags
    assert "@import" not in html and "url(" not in html
    # every URL is a link a reader may follow (<a href>); none is loaded by the page itself
    assert parser.urls and {tag for tag, _, _ in parser.urls} == {"a"}, parser.urls[:5]
    assert "charts rendered" not in html and "render-check" not in html  # no debug line for readers


def test_every_meeting_paper_links_to_its_archived_copy_and_its_original(demo, page, html, con):
    papers = con.execute("SELECT document_id, url FROM documents").fetchall()
    hrefs = [unquote(h) for h in re.findall(r'<a href="([^"]+)"', html)]
    archived = {Path(h).name: (page.parent / h).resolve() for h in hrefs if "objects/" in h}
    for document_id, url in papers:
        raw = archived[document_id]  # the link resolves, from the page, to the archived bytes
        assert hashlib.sha256(raw.read_bytes()).hexdigest() == document_id
        assert url.replace("&", "&amp;") in html
    assert len(archived) == len(papers)


def test_each_body_has_its_own_section_with_meetings_actions_and_attendance(html, con):
    for (body,) in con.execute("SELECT DISTINCT body FROM meetings").fetchall():
        section = re.search(rf"<section id=\"body-\d+\"><h2>{re.escape(body)}</h2>(.*?)</section>", html, re.S)
        assert section, body
        for heading in ("Meetings and papers", "Actions register", "Attendance"):
            assert f"<h3>{heading}</h3>" in section.group(1), (body, heading)


def test_boilerplate_actions_are_marked_and_not_counted_as_follow_up(con, html):
    actions = actions_of(con)
    log = [a for a in actions if a["text"].startswith("TB to update the action log")]
    assert len(log) == 8 and {a["follow_up"] for a in log} == {"boilerplate"}
    # the boilerplate's "later mentions" are its own next occurrences: not follow-up
    assert any(a["later_mentions"] > 0 for a in log)
    # an action carried forward now and then over years is a real follow-up, not boilerplate
    overtime = [a for a in actions if a["body"] == "Strategic Policing and Crime Board" and "overtime" in a["text"]]
    assert len(overtime) == 3 and "boilerplate" not in {a["follow_up"] for a in overtime}
    assert "8 recurring boilerplate" in html


def test_legends_and_labels_show_names_in_full(html):
    names = ["West Midlands Police and Crime Panel", "Accountability and Governance Board"]  # > 24 characters
    assert all(name in _texts(_chart(html, "chart-term")) for name in names)
    assert "violence and knife crime" in _texts(_chart(html, "chart-topics"))
    assert "Brendan Warner-Southwell" in _texts(_chart(html, "chart-attendance"))
    # the figures are labelled with the words the papers used
    assert {"£17.3m", "£3.7m", "£13"} <= set(_texts(_chart(html, "chart-term")))


def test_the_year_axis_is_continuous(html, con):
    first, last = con.execute("SELECT min(year(meeting_date)), max(year(meeting_date)) FROM meetings").fetchone()
    labels = [int(t) for t in _texts(_chart(html, "chart-timeline")) if re.fullmatch(r"\d{4}", t)]
    assert labels == list(range(first, last + 2))  # every year, none skipped, up to the end of the last


def test_coverage_and_failures_are_shown(html, con):
    overdue = con.execute("SELECT body, meeting_date FROM minutes_overdue(42, as_of := ?)", [TODAY]).fetchall()
    assert f"<h3>Minutes overdue ({len(overdue)})</h3>" in html and overdue
    for body, day in overdue:
        assert f"<li>{body}, {day.isoformat()}:" in html
    flagged, not_parsed = con.execute(
        "SELECT count(*), count(*) FILTER (WHERE parse_status <> 'ok') FROM papers_to_check").fetchone()
    assert f"Papers to check ({flagged}: {not_parsed} not parsed, {flagged - not_parsed} flagged)" in html
    assert html.count('<tr><td>West Mercia Police and Crime Panel</td><td>2019</td>') == 1


def test_the_search_term_lists_the_items_search_items_finds_best_first(demo, tmp_path):
    html = write_report(demo.data, tmp_path / "r.html", term="knife crime", today=TODAY).read_text(encoding="utf-8")
    con = connect_read_only(demo.data)
    try:
        best = con.execute("SELECT meeting_date, title FROM search_items('knife crime') LIMIT 12").fetchall()
    finally:
        con.close()
    search = re.search(r'<section id="search">(.*?)</section>', html, re.S).group(1)
    shown = re.findall(r'<tr><td class="nowrap">([\d-]+)</td><td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>', search)
    assert len(best) == 12 and [(d.isoformat(), escape(t)) for d, t in best] == shown
    assert "search_items('knife crime')" in search  # how to search further


# -- headless Chromium --------------------------------------------------------------------------

# Added to a copy of the page only (readers get no script): measures every chart as laid out.
MEASURE = """<script>
var out = {height: document.documentElement.scrollHeight, charts: {}};
document.querySelectorAll('figure.chart svg').forEach(function (svg) {
  var box = svg.getBoundingClientRect();
  out.charts[svg.id] = [Math.round(box.width), Math.round(box.height), svg.querySelectorAll('path, text').length];
});
document.body.setAttribute('data-measured', JSON.stringify(out));
</script></body>"""


def _chromium() -> str:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium; .ci/run does it): "
                    "the report's rendering is NOT checked")
    return browser


def _run_chromium(browser: str, profile: Path, *args: str) -> subprocess.CompletedProcess:
    profile.mkdir(exist_ok=True)
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars",
           f"--user-data-dir={profile}", *args]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc


def _png_size(path: Path) -> tuple[int, int]:
    raw = path.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    return struct.unpack(">II", raw[16:24])


def test_the_report_renders_in_headless_chromium(page, html, tmp_path):
    browser = _chromium()
    measured_page = page.with_name("measured.html")  # beside the page: its relative links still resolve
    measured_page.write_text(html.replace("</body>", MEASURE, 1), encoding="utf-8")
    net_log = tmp_path / "net.json"
    dom = _run_chromium(browser, tmp_path / "p1", "--window-size=1100,900", f"--log-net-log={net_log}",
                        "--dump-dom", measured_page.as_uri()).stdout
    measured = json.loads(re.search(r"data-measured=\"([^\"]*)\"", dom).group(1).replace("&quot;", '"'))
    assert set(measured["charts"]) == set(CHARTS)
    for chart, (width, height, marks) in measured["charts"].items():
        assert width > 500 and height > 150 and marks > 10, (chart, width, height, marks)
    # the browser fetched nothing the page names (its own background requests aside)
    requested = {e for e in re.findall(r'"url":"([^"]+)"', net_log.read_text())}
    assert not {u for u in requested if urlparse(u).netloc and urlparse(u).netloc in html}, requested

    shot = Path(os.environ.get("REPORT_SCREENSHOT") or tmp_path / "report.png").resolve()
    shot.parent.mkdir(parents=True, exist_ok=True)
    _run_chromium(browser, tmp_path / "p2", f"--window-size=1100,{measured['height']}",
                  f"--screenshot={shot}", page.as_uri())
    assert _png_size(shot) == (1100, measured["height"]) and measured["height"] > 3000
    # a blank page of this size compresses to a few kB; text, tables and charts do not
    assert shot.stat().st_size > 100_000, shot.stat().st_size


def test_an_empty_warehouse_gives_a_page_that_says_so(tmp_path):
    from kernel.config import DataDir
    from warehouse.load import rebuild_warehouse

    data = DataDir(tmp_path / "data").ensure()
    rebuild_warehouse(data)
    html = write_report(data, today=TODAY).read_text(encoding="utf-8")
    assert "No meetings in the warehouse." in html and "No £ figures in the archive." in html
    assert "<svg" not in html  # no empty chart frames
