"""wp_board_page: pure parsing of a WordPress board page, then discovery over a fake fetcher."""
import datetime as dt
from pathlib import Path

import pytest

from extract.adapters.base import FetchResult, Window
from extract.adapters.wp_board_page import (WpBoardPageAdapter, find_page_links, kind_hint,
                                            parse_board_page)
from extract.registry import Source
from kernel.records import DocKind, MeetingStatus

FIX = Path(__file__).parent / "fixtures"
MIRROR_BASE = "http://127.0.0.1:8000/westmidlands-pcc/"
SPCB_URL = MIRROR_BASE + "archive/strategic-policing-and-crime-board/"
AGB_URL = MIRROR_BASE + "governance/accountability-and-governance-board/"
REAL_BASE = "https://www.westmidlands-pcc.gov.uk/"
UPLOADS = MIRROR_BASE + "wp-content/uploads/"


def spcb(page: int = 1) -> dict:
    html = (FIX / "wmpcc-spcb" / f"archive-page-{page}.html").read_bytes()
    url = SPCB_URL if page == 1 else f"{SPCB_URL}page/{page}/"
    return {m.key: m for m in parse_board_page(html, url, "SPCB", MIRROR_BASE)}


def agb() -> dict:
    html = (FIX / "wmpcc-agb" / "board-page.html").read_bytes()
    return {m.key: m for m in parse_board_page(html, AGB_URL, "AGB", MIRROR_BASE)}


def snippet(body: str, board: str = "SPCB") -> list:
    html = f'<html><body><div class="entry-content">{body}</div></body></html>'.encode()
    return parse_board_page(html, REAL_BASE + "archive/board/", board, REAL_BASE)


def urls(meeting) -> list[str]:
    return [d.url for d in meeting.documents]


# -- meetings ---------------------------------------------------------------------------

def test_meeting_key_is_the_iso_date():
    assert set(spcb()) == {"2024-04-16", "2024-03-19", "2019-12-17", "2019-11-19", "2019-10-15",
                           "2019-09-17"}


def test_meeting_date_comes_from_the_heading():
    assert spcb()["2019-10-15"].meeting_date == dt.date(2019, 10, 15)


def test_meeting_date_reads_an_ordinal_heading_in_p_strong():
    assert spcb(2)["2016-03-01"].meeting_date == dt.date(2016, 3, 1)


def test_meeting_date_never_comes_from_the_upload_folder():
    # The April 2024 report sits under /2024/03/: it must stay with the April meeting.
    assert UPLOADS + "2024/03/16042024-SPCB-Item-5-Police-and-Crime-Plan-Annual-Report.pdf" in \
        urls(spcb()["2024-04-16"])


def test_meeting_date_comes_from_the_file_name_when_no_heading():
    [m] = snippet('<ul><li><a href="/wp-content/uploads/2020/01/21012020-SPCB-Item-1-Agenda.pdf">'
                  'Agenda</a></li></ul>')
    assert m.meeting_date == dt.date(2020, 1, 21)


def test_file_name_date_wins_over_a_stale_heading():
    found = snippet('<h4>Tuesday 21 January 2020</h4><ul>'
                    '<li><a href="/wp-content/uploads/2020/02/18022020-SPCB-Item-1-Agenda.pdf">Agenda</a></li>'
                    '</ul>')
    assert {m.key: urls(m) for m in found}["2020-02-18"] == [
        REAL_BASE + "wp-content/uploads/2020/02/18022020-SPCB-Item-1-Agenda.pdf"]


def test_start_time_from_the_heading():
    assert agb()["2026-01-20"].start_time == "10:00"


def test_start_time_none_when_heading_has_none():
    assert spcb()["2019-10-15"].start_time is None


def test_status_cancelled_from_the_heading():
    assert spcb()["2019-11-19"].status is MeetingStatus.CANCELLED


def test_status_held_when_a_later_meeting_lists_its_minutes():
    assert spcb()["2019-09-17"].status is MeetingStatus.HELD


def test_status_unknown_without_minutes():
    assert agb()["2026-02-17"].status is MeetingStatus.UNKNOWN


def test_meeting_url_is_the_page():
    assert agb()["2025-01-21"].url == AGB_URL


def test_meeting_title_is_the_heading_text():
    assert spcb()["2019-11-19"].title == "Tuesday 19 November 2019 – cancelled"


def test_cancelled_meeting_has_no_documents():
    assert spcb()["2019-11-19"].documents == []


def test_year_heading_closes_the_previous_meeting():
    found = snippet('<h4>Tuesday 21 January 2020</h4><h3>Other papers</h3>'
                    '<ul><li><a href="/wp-content/uploads/2020/01/Annual-Report.pdf">Annual report</a></li></ul>')
    assert [urls(m) for m in found] == [[]]


def test_terms_of_reference_is_no_meeting_paper():
    every = [u for m in agb().values() for u in urls(m)]
    assert not any("Terms-of-Reference" in u for u in every)


# -- documents --------------------------------------------------------------------------

def test_minutes_are_listed_under_the_next_meeting():
    assert UPLOADS + "2019/10/15102019-SPCB-Item-3-Notes-of-meeting-17-September-2019.pdf" in \
        urls(spcb()["2019-10-15"])


def test_root_relative_link_made_absolute():
    assert UPLOADS + "2019/10/15102019-SPCB-Item-5-Knife-Crime.pdf" in urls(spcb()["2019-10-15"])


def test_bare_host_link_canonicalised_to_base_host():
    [m] = snippet('<h4>Tuesday 21 January 2020</h4><ul><li><a href="http://westmidlands-pcc.gov.uk/'
                  'wp-content/uploads/2020/01/21012020-SPCB-Item-1-Agenda.pdf#page=2">Agenda</a></li></ul>')
    assert urls(m) == [REAL_BASE + "wp-content/uploads/2020/01/21012020-SPCB-Item-1-Agenda.pdf"]


def test_links_to_other_hosts_are_not_kept():
    [m] = snippet('<h4>Tuesday 21 January 2020</h4><ul>'
                  '<li><a href="https://documents.example.org/21012020-SPCB-Item-1-Agenda.pdf">Copy</a></li></ul>')
    assert urls(m) == []


def test_links_outside_the_base_path_are_not_kept():
    html = (FIX / "wmpcc-spcb" / "archive-page-1.html").read_bytes()
    other_base = "http://127.0.0.1:8000/elsewhere/"
    assert all(m.documents == [] for m in parse_board_page(html, SPCB_URL, "SPCB", other_base))


def test_duplicate_suffix_file_keeps_its_meeting():
    assert urls(spcb()["2019-12-17"])[0].endswith("/2019/12/17122019-SPCB-Item-1-Agenda-1.pdf")


def test_document_title_is_the_link_text():
    assert spcb()["2019-10-15"].documents[1].title == "Item 3 – Notes of meeting 17 September 2019"


def test_document_title_falls_back_to_the_file_name():
    [m] = snippet('<h4>Tuesday 21 January 2020</h4><a href="/wp-content/uploads/2020/01/'
                  '21012020-SPCB-Item-4-Finance.pdf"><img alt=""></a>')
    assert m.documents[0].title == "21012020 SPCB Item 4 Finance"


@pytest.mark.parametrize("title, filename, kind", [
    ("Item 3 – Notes of meeting 17 September 2019", "x.pdf", DocKind.MINUTES),
    ("Item 3 – Minutes of meeting 21 January 2025", "x.pdf", DocKind.MINUTES),
    ("Item 1 – Agenda", "15102019-SPCB-Item-1-Agenda.pdf", DocKind.AGENDA),
    ("Agenda Item 5 – Knife Crime", "15102019-SPCB-Item-5-Knife-Crime.pdf", DocKind.REPORT),
    ("Item 5 – Knife Crime", "15102019-SPCB-Item-5-Knife-Crime.pdf", DocKind.REPORT),
])
def test_kind_hint(title, filename, kind):
    assert kind_hint(title, filename) is kind


def test_kind_hint_on_the_page():
    kinds = [d.kind_hint for d in spcb()["2019-10-15"].documents]
    assert kinds == [DocKind.AGENDA, DocKind.MINUTES, DocKind.REPORT]


# -- pagination and discovery -----------------------------------------------------------

def test_find_page_links_finds_page_two():
    html = (FIX / "wmpcc-spcb" / "archive-page-1.html").read_bytes()
    assert find_page_links(html, SPCB_URL, SPCB_URL, MIRROR_BASE) == [SPCB_URL + "page/2/"]


class FakeFetcher:
    """Serves the fixture pages by URL; records what was asked."""

    def __init__(self, pages: dict[str, bytes]):
        self.pages, self.urls = pages, []

    def get(self, url, params=None):
        self.urls.append(url)
        return FetchResult(url, 200, self.pages[url], {}, None)


def spcb_discover(window: Window) -> tuple[list, FakeFetcher]:
    pages = {SPCB_URL: (FIX / "wmpcc-spcb" / "archive-page-1.html").read_bytes(),
             SPCB_URL + "page/2/": (FIX / "wmpcc-spcb" / "archive-page-2.html").read_bytes()}
    fetcher = FakeFetcher(pages)
    source = Source("wmpcc-spcb", "wp_board_page", "p", "b", MIRROR_BASE,
                    params={"board_page": "archive/strategic-policing-and-crime-board/", "board_abbrev": "SPCB"})
    return list(WpBoardPageAdapter().discover(source, fetcher, window)), fetcher


def test_discover_follows_pagination_once_per_page():
    _, fetcher = spcb_discover(Window(dt.date(2000, 1, 1), dt.date(2030, 1, 1)))
    assert fetcher.urls == [SPCB_URL, SPCB_URL + "page/2/"]


def test_discover_keeps_only_meetings_in_the_window():
    found, _ = spcb_discover(Window(dt.date(2016, 1, 1), dt.date(2016, 12, 31)))
    assert [m.key for m in found] == ["2016-03-01", "2016-04-19"]


def _three_pages(first: str, second: str) -> dict[str, bytes]:
    """The fixture pages as pages 1 and 2 (``first``/``second``: "archive-page-N.html"), each
    linking to the next, and a page 3 with one 2015 meeting."""
    def linked(name: str, to_page: int) -> bytes:
        link = f'<a href="{SPCB_URL}page/{to_page}/">{to_page}</a></body>'.encode()
        html = (FIX / "wmpcc-spcb" / name).read_bytes().replace(b"</body>", link, 1)
        assert link in html
        return html

    return {SPCB_URL: linked(first, 2),
            SPCB_URL + "page/2/": linked(second, 3),
            SPCB_URL + "page/3/": b'<html><body><div class="entry-content"><h4>Tuesday 3 March 2015</h4>'
                                  b'<a href="/westmidlands-pcc/wp-content/uploads/2015/03/03032015-SPCB-Item-1-Agenda.pdf">'
                                  b'Agenda</a></div></body></html>'}


def _discover_pages(pages: dict[str, bytes], window: Window) -> tuple[list, list[str]]:
    fetcher = FakeFetcher(pages)
    source = Source("wmpcc-spcb", "wp_board_page", "p", "b", MIRROR_BASE,
                    params={"board_page": "archive/strategic-policing-and-crime-board/", "board_abbrev": "SPCB"})
    return list(WpBoardPageAdapter().discover(source, fetcher, window)), fetcher.urls


def test_a_nightly_stops_paginating_once_the_pages_are_older_than_its_window():
    # Page 2 (2016) is older than the window and than page 1 (2019, 2024): page 3 is not fetched.
    found, fetched = _discover_pages(_three_pages("archive-page-1.html", "archive-page-2.html"),
                                     Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert fetched == [SPCB_URL, SPCB_URL + "page/2/"]
    assert [m.key for m in found] == ["2024-03-19", "2024-04-16"]


def test_a_backfill_reaching_back_reads_every_page():
    found, fetched = _discover_pages(_three_pages("archive-page-1.html", "archive-page-2.html"),
                                     Window(dt.date(2015, 1, 1), dt.date(2016, 12, 31)))
    assert fetched == [SPCB_URL, SPCB_URL + "page/2/", SPCB_URL + "page/3/"]
    assert [m.key for m in found] == ["2015-03-03", "2016-03-01", "2016-04-19"]


def test_pages_in_no_newest_first_order_are_all_read():
    # Page 1 (2016) is older than the window, but nothing says the pages run newest first:
    # page 2 is newer, so page 3 is read too.
    found, fetched = _discover_pages(_three_pages("archive-page-2.html", "archive-page-1.html"),
                                     Window(dt.date(2024, 1, 1), dt.date(2024, 12, 31)))
    assert fetched == [SPCB_URL, SPCB_URL + "page/2/", SPCB_URL + "page/3/"]
    assert [m.key for m in found] == ["2024-03-19", "2024-04-16"]
