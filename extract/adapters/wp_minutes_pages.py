"""WordPress "minutes pages" adapter: a listing page links one HTML page per meeting whose body
IS the minutes (West Mercia Governance Board, sources.md §4).

* Minutes pages are found by slug: ``<prefix>-<month>-<yyyy>-minutes`` or, as once on the real
  site, ``<prefix>-<yyyy>-<month>-minutes``. The same page is linked under several URL forms
  (``/<slug>``, ``/<slug>/``, ``/key-information/…/<slug>/``, ``www.`` or not); each slug becomes one
  canonical URL, ``base_url + "<slug>/"``.
* The slug's month and year are only a hint: the meeting date is read from the page's own date
  line (``parse_minutes_page_date``), so each page whose month is near the window is fetched. The
  page is also the meeting's only document (kind_hint minutes, HTML).
* "<Month YYYY> – pending submission" lines are yielded, when their month overlaps the window, as
  meetings with key ``pending-<yyyy>-<mm>``, no date (the first of the month is not a real date),
  status UNKNOWN and no documents: the listing knows of the meeting but not its day. When the page
  appears the meeting is keyed by its slug; the pending key then simply stops being seen.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Iterator
from urllib.parse import urljoin, urlsplit

from extract.adapters.base import (DiscoveredDocument, DiscoveredMeeting, FetchError, Fetcher, ListingSeen,
                                   Window)
from extract.adapters.wordpress import content_root, find_time, page_soup, site_url
from kernel.records import DocKind, MeetingStatus
from transform.dates import MONTH, ORDINAL, WEEKDAY, month_number, to_date

# A date line at the start of a line, year optional ("Wednesday 21st June, 14:30-17:00").
DATE_LINE_RE = re.compile(
    rf"^(?:date\s*:\s*)?{WEEKDAY}?(\d{{1,2}}){ORDINAL}?\s+({MONTH})\.?(?:,?\s+(\d{{4}}))?\b", re.I)
PENDING_RE = re.compile(rf"\b({MONTH})\s+(\d{{4}})\s*[–—-]\s*pending submission", re.I)
NEAR_MONTHS = 1  # a slug's month may be off by one (hand-made slugs): fetch pages that close


@dataclass(slots=True)
class MinutesLink:
    slug: str
    url: str  # canonical: base_url + slug + "/"
    year: int
    month: int
    title: str


@dataclass(slots=True)
class Listing:
    pages: list[MinutesLink] = field(default_factory=list)
    pending: list[tuple[int, int, str]] = field(default_factory=list)  # (year, month, text)


# --------------------------------------------------------------------------------------
# Pure helpers
# --------------------------------------------------------------------------------------

def slug_pattern(prefix: str) -> re.Pattern:
    return re.compile(rf"^{re.escape(prefix)}-(?:(?P<m1>{MONTH})-(?P<y1>\d{{4}})|"
                      rf"(?P<y2>\d{{4}})-(?P<m2>{MONTH}))-minutes$", re.I)


def parse_slug(slug: str, prefix: str) -> tuple[int, int] | None:
    """(year, month) from a minutes slug in either word order, else None."""
    m = slug_pattern(prefix).match(slug)
    if not m:
        return None
    month, year = (m.group("m1"), m.group("y1")) if m.group("m1") else (m.group("m2"), m.group("y2"))
    return int(year), month_number(month)


def parse_listing(html: bytes, page_url: str, base_url: str, slug_prefix: str) -> Listing:
    root = content_root(page_soup(html))
    listing, by_slug = Listing(), {}
    for a in root.find_all("a", href=True):
        url = site_url(a["href"], page_url, base_url)
        slug = urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1] if url else ""
        ym = parse_slug(slug, slug_prefix) if slug else None
        if ym is None:
            continue
        slug = slug.lower()
        if slug not in by_slug:
            text = " ".join(a.get_text(" ").split())
            by_slug[slug] = MinutesLink(slug, urljoin(base_url, slug + "/"), ym[0], ym[1], text or slug)
    listing.pages = sorted(by_slug.values(), key=lambda p: (p.year, p.month, p.slug))
    have = {(p.year, p.month) for p in listing.pages}
    text = " ".join(root.get_text(" ").split())
    for m in PENDING_RE.finditer(text):
        ym = (int(m.group(2)), month_number(m.group(1)))
        if ym not in have and ym not in [(y, mo) for y, mo, _ in listing.pending]:
            listing.pending.append((ym[0], ym[1], m.group(0)))
    listing.pending.sort()
    return listing


def _page_lines(html: bytes) -> list[str]:
    root = content_root(page_soup(html))
    lines = [" ".join(x.split()) for x in root.get_text("\n").splitlines()]
    lines = [x for x in lines if x]
    # The date line comes before the minutes proper; dates inside items are other meetings'.
    stop = next((i for i, x in enumerate(lines) if x.lower() == "minutes"), len(lines))
    return lines[:stop]


def parse_minutes_page_date(html: bytes, slug_year: int | None) -> dt.date | None:
    """The meeting date from a minutes page's date line; a line without a year takes ``slug_year``."""
    for line in _page_lines(html):
        m = DATE_LINE_RE.match(line)
        if not m:
            continue
        year = int(m.group(3)) if m.group(3) else slug_year
        if year is None:
            return None
        day = to_date(year, month_number(m.group(2)), int(m.group(1)))
        if day is not None:
            return day
    return None


def parse_minutes_page_time(html: bytes) -> str | None:
    """Start time, "HH:MM": from the date line ("13:30-15:30") or a "Time: 14:00hrs" line."""
    for line in _page_lines(html):
        if DATE_LINE_RE.match(line) or line.lower().startswith("time"):
            found = find_time(line.replace("hrs", ""))
            if found:
                return found
    return None


def _month_span(year: int, month: int, slack: int = 0) -> tuple[dt.date, dt.date]:
    """First and last day of the month, widened by ``slack`` months each side."""
    first = year * 12 + month - 1 - slack  # months since year 0
    after = year * 12 + month + slack  # the month after the last one
    return (dt.date(first // 12, first % 12 + 1, 1),
            dt.date(after // 12, after % 12 + 1, 1) - dt.timedelta(days=1))


def month_overlaps(year: int, month: int, window: Window, slack: int = 0) -> bool:
    start, end = _month_span(year, month, slack)
    return start <= window.end and end >= window.start


# --------------------------------------------------------------------------------------
# The adapter
# --------------------------------------------------------------------------------------

class WpMinutesPagesAdapter:
    name = "wp_minutes_pages"
    seen: ListingSeen | None = None

    def discover(self, source, fetcher: Fetcher, window: Window) -> Iterator[DiscoveredMeeting]:
        listing_url = urljoin(source.base_url, source.params["listing_page"])
        result = fetcher.get(listing_url)
        # Resolve links against where the page really is (WordPress redirects to add a "/").
        listing = parse_listing(result.content, result.url, source.base_url, source.params["slug_prefix"])
        latest = max(((link.year, link.month) for link in listing.pages), default=None)
        self.seen = ListingSeen(len(listing.pages), f"{latest[0]}-{latest[1]:02d}" if latest else None)
        for link in listing.pages:
            if month_overlaps(link.year, link.month, window, NEAR_MONTHS):
                meeting = self._meeting(link, fetcher, window)
                if meeting is not None:
                    yield meeting
        for year, month, text in listing.pending:
            if month_overlaps(year, month, window):
                yield DiscoveredMeeting(key=f"pending-{year}-{month:02d}", meeting_date=None,
                                        status=MeetingStatus.UNKNOWN, url=listing_url, title=text)

    def _meeting(self, link: MinutesLink, fetcher: Fetcher, window: Window) -> DiscoveredMeeting | None:
        doc = DiscoveredDocument(url=link.url, title=link.title, kind_hint=DocKind.MINUTES)
        try:
            html = fetcher.get(link.url).content
        except FetchError as exc:
            if exc.blocked:
                raise  # the whole site refuses us: let the run say so
            # The page is the document: hand it on undated so the download logs the failure.
            if not month_overlaps(link.year, link.month, window):
                return None
            return DiscoveredMeeting(key=link.slug, meeting_date=None, status=MeetingStatus.UNKNOWN,
                                     url=link.url, title=link.title, documents=[doc])
        day = parse_minutes_page_date(html, link.year)
        if day is None and not month_overlaps(link.year, link.month, window):
            return None
        if day is not None and day not in window:
            return None
        return DiscoveredMeeting(key=link.slug, meeting_date=day, start_time=parse_minutes_page_time(html),
                                 status=MeetingStatus.HELD, url=link.url, title=link.title, documents=[doc])
