"""`scrutiny report`: a self-contained HTML page whose charts render in headless Chromium."""
import re
import shutil
import subprocess

import pytest

from tests.demo_data import demo  # noqa: F401
from warehouse.report import write_report

CHARTS = ("chart-meetings", "chart-documents", "chart-figures", "chart-actions", "chart-attendance")


@pytest.fixture(scope="module")
def page(demo, tmp_path_factory):
    return write_report(demo.data, tmp_path_factory.mktemp("report") / "report.html")


def test_the_report_is_self_contained_with_every_chart(page):
    html = page.read_text(encoding="utf-8")
    for chart in CHARTS:
        svg = re.search(rf'<svg id="{chart}".*?</svg>', html, re.S)
        assert svg, chart
        assert len(re.findall(r'class="mark"', svg.group(0))) > 0, chart
    # nothing fetched from anywhere: no external scripts, styles, images or fonts
    assert not re.search(r'(src|href)\s*=\s*"(https?:)?//', html)
    assert "@import" not in html and "url(" not in html


def test_the_report_renders_in_headless_chromium(page, tmp_path):
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    if browser is None:
        pytest.skip("chromium is not installed (apt-get install -y chromium; .ci/run does it): "
                    "the report's rendering is NOT checked")
    profile = tmp_path / "profile"
    profile.mkdir()
    cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
           "--disable-component-update", "--disable-sync", "--no-first-run", f"--user-data-dir={profile}",
           "--dump-dom", page.as_uri()]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    dom = proc.stdout
    # the page's own script measured every chart in the browser and wrote the result
    check = re.search(r'id="render-check">([^<]*)<', dom)
    assert check and check.group(1).startswith(f"{len(CHARTS)} of {len(CHARTS)} charts rendered"), check
    for chart in CHARTS:
        rendered = re.search(rf'<svg id="{chart}"[^>]*data-rendered="(\d+) marks (\d+)x(\d+)"', dom)
        assert rendered and int(rendered.group(1)) > 0 and int(rendered.group(2)) > 0, chart
