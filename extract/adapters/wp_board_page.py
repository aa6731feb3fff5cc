"""WordPress "board page" adapter: one page lists a board's meetings, each a dated heading
followed by links to PDFs under ``/wp-content/uploads/YYYY/MM/`` (West Midlands OPCC, sources.md §1).

The real list markup is unknown (sources.md: INFERRED), so parsing does not depend on it: the
page is walked in document order, a short link-free heading-like element whose text holds a full
date opens a meeting, and every document link after it belongs to that meeting. The file name
(``DDMMYYYY-<ABBR>-Item-N-…``) is the second source of the date: it places links that sit under no
heading, and it wins when it disagrees with the heading (a file name is per document, a heading
is only positional). The ``/YYYY/MM/`` upload folder is never used: it is the upload month, which
often differs from the meeting month.

Meeting status: CANCELLED when the heading says so, HELD when some listed minutes record the
meeting, otherwise UNKNOWN (no clock here, so "scheduled" cannot be told from "held").
``published_date`` is left empty: the upload folder gives only a month.
"""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Iterator
from urllib.parse import unquote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from extract.adapters.base import DiscoveredDocument, DiscoveredMeeting, Fetcher, ListingSeen, Window
from extract.adapters.wordpress import content_root, find_time, page_soup, site_url
from kernel.records import DocKind, MeetingStatus
from transform.dates import MONTH, ORDINAL, WEEKDAY, first_real_date

DOC_EXTENSIONS = (".pdf", ".doc", ".docx", ".xls", ".xlsx", ".ppt", ".pptx", ".rtf", ".odt")
# "Tuesday 17th September 2019": a heading's date, the year printed.
DATE_RE = re.compile(rf"\b{WEEKDAY}?(?P<day>\d{{1,2}}){ORDINAL}?\s+(?P<mon>{MONTH})\.?,?\s+(?P<year>\d{{4}})\b", re.I)
# DDMMYYYY-<ABBR>-Item-N-<Title>[-1].pdf; the optional "-1"/"-2" is WordPress's duplicate-name suffix.
FILE_RE = re.compile(r"^(\d{2})(\d{2})(\d{4})-([A-Za-z]+)-Item-(\d+)-?(.*?)(?:-\d{1,2})?\.[a-z]+$", re.I)
HEADING_TAGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
HEADING_LIKE = HEADING_TAGS | {"strong", "b", "summary", "button", "dt", "p"}
MAX_HEADING_CHARS = 100
MAX_PAGES = 50  # a runaway pagination loop stops here


# --------------------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------------------

def find_date(text: str) -> dt.date | None:
    """The first real date a heading or title prints ("31 June": a typo, looked past)."""
    return first_real_date(DATE_RE, text)


def is_document(url: str) -> bool:
    return urlsplit(url).path.lower().endswith(DOC_EXTENSIONS)


def kind_hint(title: str, filename: str) -> DocKind:
    # A separator keeps a title's last word from running into the file name's first.
    text = f"{title} | {filename}".lower().replace("-", " ").replace("_", " ")
    if re.search(r"\b(minutes|notes of (the )?(last |previous )?meeting)\b", text):
        return DocKind.MINUTES
    if re.search(r"\bpack\b", text):
        return DocKind.PACK
    if re.search(r"\bagenda\b(?!\s+item)", text):
        return DocKind.AGENDA
    return DocKind.REPORT


def filename_of(url: str) -> str:
    return unquote(urlsplit(url).path.rsplit("/", 1)[-1])


def filename_date(filename: str, board_abbrev: str) -> dt.date | None:
    """The meeting date a ``DDMMYYYY-<ABBR>-Item-N-…`` file name carries, for this board only."""
    m = FILE_RE.match(filename)
    if not m or m.group(4).upper() != board_abbrev.upper():
        return None
    try:
        return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    except ValueError:
        return None


def recorded_date(doc: DiscoveredDocument) -> dt.date | None:
    """For minutes: the meeting they record ("Notes of meeting 17 September 2019")."""
    found = find_date(doc.title or "")
    if found:
        return found
    m = FILE_RE.match(filename_of(doc.url))
    return find_date(m.group(6).replace("-", " ")) if m else None


# --------------------------------------------------------------------------------------
# Page parsing (pure)
# --------------------------------------------------------------------------------------

def _heading_date(tag: Tag) -> tuple[dt.date | None, str]:
    """(date, text) when ``tag`` reads as a meeting heading, else (None, text)."""
    if tag.name not in HEADING_LIKE or tag.find("a") is not None:
        return None, ""
    text = " ".join(tag.get_text(" ").split())
    if not text or len(text) > MAX_HEADING_CHARS:
        return None, text
    day = find_date(text)
    # A paragraph is a heading only if it starts with the date; real headings may embed it.
    if day and tag.name == "p" and DATE_RE.match(text) is None:
        return None, text
    return day, text


def _new_meeting(day: dt.date, page_url: str, heading: str | None) -> DiscoveredMeeting:
    status = MeetingStatus.CANCELLED if heading and "cancel" in heading.lower() else MeetingStatus.UNKNOWN
    return DiscoveredMeeting(key=day.isoformat(), meeting_date=day,
                             start_time=find_time(heading) if heading else None,
                             status=status, url=page_url, title=heading)


def _document(url: str, link_text: str) -> DiscoveredDocument:
    name = filename_of(url)
    title = link_text or name.rsplit(".", 1)[0].replace("-", " ")
    return DiscoveredDocument(url=url, title=title, kind_hint=kind_hint(link_text, name))


def parse_board_page(html: bytes | BeautifulSoup, page_url: str, board_abbrev: str,
                     base_url: str | None = None) -> list[DiscoveredMeeting]:
    """Meetings listed on one board page, in page order, with their documents.

    ``html``: the page's bytes, or the page already parsed (``page_soup``). ``base_url`` bounds
    the links kept (default: the page's site root)."""
    root = content_root(page_soup(html))
    base = base_url or urlunsplit(urlsplit(page_url)[:2] + ("/", "", ""))
    meetings: dict[dt.date, DiscoveredMeeting] = {}
    current: DiscoveredMeeting | None = None
    seen: set[str] = set()
    for tag in root.find_all(True):
        day, text = _heading_date(tag)
        if day:
            current = meetings.setdefault(day, _new_meeting(day, page_url, text))
            continue
        if tag.name in HEADING_TAGS and text:
            current = None  # a year or section heading closes the previous meeting
            continue
        if tag.name != "a" or not tag.get("href"):
            continue
        url = site_url(tag["href"], page_url, base)
        if not url or not is_document(url) or url in seen:
            continue
        file_day = filename_date(filename_of(url), board_abbrev)
        target = current
        if file_day and (current is None or current.meeting_date != file_day):
            target = meetings.setdefault(file_day, _new_meeting(file_day, page_url, None))
        if target is None:
            continue  # e.g. terms of reference: not a meeting's paper
        seen.add(url)
        target.documents.append(_document(url, " ".join(tag.get_text(" ").split())))
    result = list(meetings.values())
    mark_held(result)
    return result


def mark_held(meetings: Iterable[DiscoveredMeeting]) -> None:
    """A meeting whose minutes are listed (usually under the next meeting) was held."""
    meetings = list(meetings)
    by_date = {m.meeting_date: m for m in meetings}
    for m in meetings:
        for doc in m.documents:
            if doc.kind_hint is DocKind.MINUTES:
                recorded = by_date.get(recorded_date(doc))
                if recorded is not None and recorded.status is MeetingStatus.UNKNOWN:
                    recorded.status = MeetingStatus.HELD


def find_page_links(html: bytes | BeautifulSoup, page_url: str, board_url: str, base_url: str) -> list[str]:
    """Other pages of a paginated board page (``<board_url>page/N/``), canonical, in page order.
    ``html``: the page's bytes, or the page already parsed (``page_soup``)."""
    board_path = urlsplit(board_url).path.rstrip("/") + "/"
    pattern = re.compile(rf"^{re.escape(board_path)}page/\d+/?$")
    found: list[str] = []
    for a in page_soup(html).find_all("a", href=True):
        url = site_url(a["href"], page_url, base_url)
        if url and pattern.match(urlsplit(url).path):
            url = url.rstrip("/") + "/"
            if url not in found:
                found.append(url)
    return found


def pages_went_past(window: Window, page_dates: list[dt.date], earlier_dates: list[dt.date]) -> bool:
    """Whether pagination can stop after this page: every meeting on it is before the window
    and before every meeting of the pages already read. The pages then run newest first (the
    order is not documented, sources.md §1, so it is observed, never assumed) and the rest are
    older still. A nightly run reads the first pages of a board's archive, not all of them:
    at the real site's rate limit, each page saved is a second or more."""
    return bool(page_dates and earlier_dates) and max(page_dates) < min(window.start, min(earlier_dates))


def merge_meetings(into: dict[dt.date, DiscoveredMeeting], meetings: Iterable[DiscoveredMeeting]) -> None:
    """Fold meetings from several pages: one per date, documents deduplicated by URL."""
    for m in meetings:
        have = into.get(m.meeting_date)
        if have is None:
            into[m.meeting_date] = m
            continue
        urls = {d.url for d in have.documents}
        have.documents += [d for d in m.documents if d.url not in urls]
        if have.title is None:
            have.title, have.start_time = m.title, m.start_time
        if m.status is MeetingStatus.CANCELLED:
            have.status = m.status


# --------------------------------------------------------------------------------------
# The adapter
# --------------------------------------------------------------------------------------

class WpBoardPageAdapter:
    name = "wp_board_page"
    seen: ListingSeen | None = None

    def discover(self, source, fetcher: Fetcher, window: Window) -> Iterator[DiscoveredMeeting]:
        abbrev = source.params["board_abbrev"]
        board_url = urljoin(source.base_url, source.params["board_page"])
        meetings: dict[dt.date, DiscoveredMeeting] = {}
        for url, soup in self._pages(board_url, source.base_url, fetcher):
            found = parse_board_page(soup, url, abbrev, source.base_url)
            earlier = list(meetings)
            merge_meetings(meetings, found)
            if pages_went_past(window, [m.meeting_date for m in found], earlier):
                break  # the pages not fetched yet: older still
        # Minutes of a meeting on one page may be listed on another: mark again after merging.
        mark_held(meetings.values())
        self.seen = ListingSeen(len(meetings), max(meetings).isoformat() if meetings else None)
        for day in sorted(meetings):
            if day in window:
                yield meetings[day]

    def _pages(self, board_url: str, base_url: str, fetcher: Fetcher) -> Iterator[tuple[str, BeautifulSoup]]:
        """The board page and every /page/N it links to, each fetched once and parsed once."""
        queue, visited = [board_url], set()
        while queue and len(visited) < MAX_PAGES:
            url = queue.pop(0)
            key = url.rstrip("/")
            if key in visited:
                continue
            visited.add(key)
            result = fetcher.get(url)
            soup = page_soup(result.content)
            # Resolve links against where the page really is (WordPress redirects to add a "/").
            yield result.url, soup
            queue += [u for u in find_page_links(soup, result.url, board_url, base_url)
                      if u.rstrip("/") not in visited]
