"""soupsieve is imported when a CSS selector is first used, not with bs4 (scrutiny/lazy_soupsieve.py)."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = """
import sys
from extract.adapters.wp_board_page import WpBoardPageAdapter  # imports bs4
from bs4 import BeautifulSoup
from scrutiny.lazy_soupsieve import loaded
soup = BeautifulSoup("<div><p class='lead'>Minutes</p><p>Agenda</p></div>", "lxml")
print(loaded(), soup.find("p").text, [p.text for p in soup.find_all("p")], loaded())
print(soup.select_one("p.lead").text, len(soup.select("div > p")), loaded())
import soupsieve
print(soupsieve.match("p.lead", soup.find("p")), type(soupsieve).__name__)
"""


def test_bs4_comes_without_soupsieve_and_css_selectors_still_work():
    out = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.splitlines() == [
        "False Minutes ['Minutes', 'Agenda'] False",  # parsing and find() load nothing more
        "Minutes 2 True",  # the first selector loads soupsieve, and it answers
        "True module",  # afterwards `import soupsieve` is the real module
    ]
