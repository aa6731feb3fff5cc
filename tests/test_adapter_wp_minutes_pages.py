"""wp_minutes_pages: pure parsing of the listing and of minutes pages, then discovery over a
fake fetcher."""
import datetime as dt
from pathlib import Path

import pytest

from extract.adapters.base import FetchError, FetchResult, Window
from extract.adapters.wp_minutes_pages import (WpMinutesPagesAdapter, parse_listing,
                                               parse_minutes_page_date, parse_minutes_page_time,
                                               parse_slug)
from extract.registry import Source
from mirror.sites.wmgb import PAGES, WmgbSite, render_page
from kernel.records import DocKind, MeetingStatus

FIX = Path(__file__).parent / "fixtures" / "westmercia-wmgb"
BASE = "http://127.0.0.1:8000/westmercia-pcc/"
LISTING_URL = BASE + "key-information/west-mercia-governance-board/"
REAL_BASE = "https://www.westmercia-pcc.gov.uk/"


def page(name: str) -> bytes:
    return (FIX / f"{name}.html").read_bytes()


def listing():
    return parse_listing(page("listing"), LISTING_URL, BASE, "wmgb")


def real_listing(body: str):
    html = f'<html><body><div class="entry-content">{body}</div></body></html>'.encode()
    return parse_listing(html, REAL_BASE + "key-information/west-mercia-governance-board/", REAL_BASE, "wmgb")


# -- fixtures stay in step with the mirror ----------------------------------------------

@pytest.mark.parametrize("slug", ["wmgb-january-2022-minutes", "wmgb-june-2023-minutes",
                                  "wmgb-2024-january-minutes"])
def test_fixture_matches_the_mirror(slug):
    assert page(slug) == render_page(next(p for p in PAGES if p.slug == slug))


def test_listing_fixture_matches_the_mirror():
    assert page("listing") == WmgbSite().listing_html("http://127.0.0.1:8000")


# -- slugs ------------------------------------------------------------------------------

@pytest.mark.parametrize("slug, expected", [
    ("wmgb-june-2023-minutes", (2023, 6)),
    ("wmgb-2024-january-minutes", (2024, 1)),
    ("WMGB-Sept-2022-minutes", (2022, 9)),
    ("wmgb-june-2023-agenda", None),
    ("wmgb-terms-of-reference", None),
    ("crb-june-2023-minutes", None),
])
def test_parse_slug(slug, expected):
    assert parse_slug(slug, "wmgb") == expected


# -- listing ----------------------------------------------------------------------------

def test_listing_has_one_url_per_slug():
    # June 2023 etc. appear once; October 2024 is linked twice (intro and list).
    assert len(listing().pages) == len({p.slug for p in listing().pages}) == 8


def test_listing_url_is_the_short_canonical_form():
    june_2022 = next(p for p in listing().pages if p.slug == "wmgb-june-2022-minutes")
    assert june_2022.url == BASE + "wmgb-june-2022-minutes/"  # linked under key-information/, no slash


def test_listing_accepts_the_reversed_slug():
    assert "wmgb-2024-january-minutes" in [p.slug for p in listing().pages]


def test_listing_month_and_year_from_the_slug():
    odd = next(p for p in listing().pages if p.slug == "wmgb-2024-january-minutes")
    assert (odd.year, odd.month) == (2024, 1)


def test_listing_title_is_the_link_text():
    assert listing().pages[0].title == "January 2022"


def test_listing_pending_months():
    assert [(y, m) for y, m, _ in listing().pending] == [(2024, 11), (2024, 12)]


def test_listing_canonicalises_bare_host_links():
    found = real_listing('<a href="https://westmercia-pcc.gov.uk/wmgb-june-2023-minutes">June 2023</a>')
    assert [p.url for p in found.pages] == [REAL_BASE + "wmgb-june-2023-minutes/"]


def test_listing_ignores_other_hosts():
    found = real_listing('<a href="https://archive.example.org/wmgb-june-2023-minutes/">June 2023</a>')
    assert found.pages == []


def test_pending_month_with_a_page_is_not_pending():
    found = real_listing('<a href="/wmgb-june-2023-minutes/">June 2023</a><p>June 2023 – pending submission</p>')
    assert found.pending == []


# -- minutes pages ----------------------------------------------------------------------

def test_date_2022_weekday_line():
    assert parse_minutes_page_date(page("wmgb-january-2022-minutes"), 2022) == dt.date(2022, 1, 18)


def test_date_2023_line_without_year_takes_the_slug_year():
    assert parse_minutes_page_date(page("wmgb-june-2023-minutes"), 2023) == dt.date(2023, 6, 21)


def test_date_without_year_and_no_slug_year_is_none():
    assert parse_minutes_page_date(page("wmgb-june-2023-minutes"), None) is None


def test_date_2024_date_label():
    assert parse_minutes_page_date(page("wmgb-2024-january-minutes"), 2024) == dt.date(2024, 1, 25)


def test_date_line_year_beats_the_slug_year():
    assert parse_minutes_page_date(page("wmgb-january-2022-minutes"), 1999) == dt.date(2022, 1, 18)


def test_dates_inside_items_are_ignored():
    html = b'<div class="entry-content"><p>Minutes</p><p>The meeting of 22 December 2021 was noted.</p></div>'
    assert parse_minutes_page_date(html, 2022) is None


def test_time_from_the_date_line():
    assert parse_minutes_page_time(page("wmgb-january-2022-minutes")) == "13:30"


def test_time_from_the_time_line():
    assert parse_minutes_page_time(page("wmgb-2024-january-minutes")) == "14:00"


# -- discovery --------------------------------------------------------------------------

class FakeFetcher:
    def __init__(self, pages: dict[str, bytes], fail: dict[str, FetchError] | None = None):
        self.pages, self.fail, self.urls = pages, fail or {}, []

    def get(self, url, params=None):
        self.urls.append(url)
        if url in self.fail:
            raise self.fail[url]
        return FetchResult(url, 200, self.pages[url], {}, None)


SOURCE = Source("westmercia-wmgb", "wp_minutes_pages", "p", "b", BASE,
                params={"listing_page": "key-information/west-mercia-governance-board/", "slug_prefix": "wmgb"})


def discover(window: Window, fail: dict | None = None) -> tuple[list, FakeFetcher]:
    pages = {LISTING_URL: page("listing")}
    pages |= {BASE + p.slug + "/": render_page(p) for p in PAGES}
    fetcher = FakeFetcher(pages, fail)
    return list(WpMinutesPagesAdapter().discover(SOURCE, fetcher, window)), fetcher


def test_discover_reads_the_date_from_the_page():
    found, _ = discover(Window(dt.date(2023, 6, 1), dt.date(2023, 6, 30)))
    assert [(m.key, m.meeting_date) for m in found] == [("wmgb-june-2023-minutes", dt.date(2023, 6, 21))]


def test_discover_fetches_only_pages_near_the_window():
    _, fetcher = discover(Window(dt.date(2023, 6, 1), dt.date(2023, 6, 30)))
    assert fetcher.urls == [LISTING_URL, BASE + "wmgb-may-2023-minutes/", BASE + "wmgb-june-2023-minutes/"]


def test_discover_page_is_the_one_minutes_document():
    found, _ = discover(Window(dt.date(2023, 6, 1), dt.date(2023, 6, 30)))
    [doc] = found[0].documents
    assert (doc.url, doc.kind_hint) == (BASE + "wmgb-june-2023-minutes/", DocKind.MINUTES)


def test_discover_marks_a_page_held():
    found, _ = discover(Window(dt.date(2023, 6, 1), dt.date(2023, 6, 30)))
    assert found[0].status is MeetingStatus.HELD


def test_discover_yields_pending_months_undated():
    found, _ = discover(Window(dt.date(2024, 11, 1), dt.date(2024, 12, 31)))
    assert [(m.key, m.meeting_date, m.status, m.documents) for m in found] == [
        ("pending-2024-11", None, MeetingStatus.UNKNOWN, []), ("pending-2024-12", None, MeetingStatus.UNKNOWN, [])]


def test_discover_hands_on_an_unreadable_page_undated():
    url = BASE + "wmgb-june-2023-minutes/"
    found, _ = discover(Window(dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
                        fail={url: FetchError(url, "HTTP 500", 500)})
    assert [(m.key, m.meeting_date, [d.url for d in m.documents]) for m in found] == [
        ("wmgb-june-2023-minutes", None, [url])]


def test_discover_blocked_page_stops_the_run():
    url = BASE + "wmgb-june-2023-minutes/"
    with pytest.raises(FetchError):
        discover(Window(dt.date(2023, 6, 1), dt.date(2023, 6, 30)),
                 fail={url: FetchError(url, "HTTP 403", 403, blocked=True)})
