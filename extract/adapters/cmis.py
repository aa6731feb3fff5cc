"""CMIS (Civica CMIS, a DotNetNuke module) adapter: any council's committee, configured by
``source.base_url`` (the council's CMIS folder, e.g. ``https://birmingham.cmis.uk.com/birmingham/``),
``params["entry_page"]`` (``Meetings.aspx``; councils also use ``MeetingsCalendar.aspx``,
``CalendarofMeetings.aspx``, ``MeetingCalendar.aspx``) and ``params["committee_id"]``.

Discovery (shared/sources.md §3.2, real Birmingham fragments in tests/fixtures/wmpcp/):

1. The entry page names the meetings module: its action buttons are ``dnn$ctr<module>$MeetingCalendarPublic…``.
   The DNN tab (``…/Meetings/tabid/<tab>``), which the month calendar's path needs, is read from
   any link on the entry page in DNN path form; failing that, from the meeting links of the
   list view (``<entry>?ctl=MeetingCalendarListView&mid=<module>``, current month only), and
   failing that from ``params["tab_id"]``.
2. One no-JavaScript month calendar per month of the window
   (``<tab>/ctl/MeetingCalendarPublicNoJava/mid/<module>/Date/<yyyy-mm-01>/Default.aspx``). Day
   cells carry no year (``Monday, 8 June``): it is the requested month's. Entries read
   ``10:00 Licensing Sub-Committee A`` and link ``…/Meeting/<id>/Committee/<cid>/…``; only the
   configured committee's are kept. The list view's rows (with their venue) are added when it
   was read.
3. Each meeting's summary page (labelled fields ``Committee:``, ``Date/Time:``, ``Status:``,
   ``Venue:``, keyed on the label text because the CSS classes are not reliable) and, unless the
   meeting is cancelled, its Documents tab (``li.DocumentListItem > a.TitleLink``).

Document links (``Document.ashx?<encrypted>=<encrypted>&…``) carry no stable id, so each
document is keyed by its meeting and title (``DiscoveredDocument.key``: the meeting page URL
with ``#document=<title>``; a title repeated within one meeting gets ``~2``, ``~3``); whether it
changed is told by its bytes (no publisher fingerprint exists).

A calendar that lists no meeting of any committee over the whole window is a layout change, not
an empty committee: ``CmisLayoutError``. Meeting pages that fail to load are reported (one
``FetchError`` after every other meeting has been yielded), never dropped silently.

The ``parse_*`` functions are pure functions of bytes; only ``CmisAdapter.discover`` fetches.
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator
from urllib.parse import quote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag

from extract.adapters.base import DiscoveredDocument, DiscoveredMeeting, FetchError, Fetcher, Window
from extract.adapters.committee_systems import kind_hint, meeting_status
from extract.registry import Source
from transform.dates import date_of, first_real_date, month_number, to_date
from transform.moderngov_ws import ParseError, clean

log = logging.getLogger(__name__)


class CmisLayoutError(ParseError):
    """A CMIS page that lacks what every CMIS install shows (module id, tab id, calendar rows)."""


# --------------------------------------------------------------------------------------
# What the parse functions return
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CmisModule:
    """The meetings module of a CMIS site, from its entry page."""

    module_id: str
    tab_path: str | None  # absolute URL up to ``/tabid/<n>``, when a link on the page shows it


@dataclass(slots=True)
class CalendarRow:
    """One meeting as a calendar or the list view shows it."""

    meeting_id: str
    committee_id: str
    committee: str
    meeting_date: dt.date
    start_time: str | None  # "HH:MM"
    url: str  # absolute, as linked (usually the Documents tab)
    venue: str | None = None  # the list view shows it, the month calendar does not


@dataclass(slots=True)
class DocumentLink:
    title: str
    url: str  # absolute
    size: str | None  # "(156Kb)" as printed


@dataclass(slots=True)
class MeetingPage:
    """A meeting page (summary or Documents tab): its labelled fields and document links."""

    committee: str | None = None
    meeting_date: dt.date | None = None
    start_time: str | None = None
    status: str | None = None  # as printed: "Scheduled", "Cancelled", ...
    venue: str | None = None
    documents: list[DocumentLink] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------------------

MODULE_RE = re.compile(r"dnn[$_]ctr(\d+)[$_]MeetingCalendarPublic\w*?[$_]")
TAB_RE = re.compile(r"^(?P<tab>.*?/tabid/\d+)/", re.I)
MEETING_LINK_RE = re.compile(r"/Meeting/(?P<meeting>\d+)/Committee/(?P<committee>\d+)(?:/|$)", re.I)
DAY_CELL_RE = re.compile(r"^[A-Za-z]+day,?\s+(?P<day>\d{1,2})\s+(?P<month>[A-Za-z]+)(?:\s+(?P<year>\d{4}))?$")
ENTRY_RE = re.compile(r"^(?:(?P<time>\d{1,2}:\d{2})\s+)?(?P<committee>.+)$")
LIST_LINK_RE = re.compile(r"^(?P<day>\d{1,2})\s+(?P<mon>[A-Za-z]{3,9})\s+(?P<year>\d{4})\s+"
                          r"(?P<time>\d{1,2}:\d{2})\s+-\s+(?P<committee>.+)$")
DATE_RE = re.compile(r"\b(?P<day>\d{1,2})\s+(?P<mon>[A-Za-z]{3,9})\s+(?P<year>\d{4})\b")
TIME_RE = re.compile(r"\b(\d{1,2}):(\d{2})\b")


def _soup(page: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(page, "lxml")


def hhmm(text: str | None) -> str | None:
    """The first ``H:MM`` of a text, as ``HH:MM``."""
    m = TIME_RE.search(text or "")
    return f"{int(m[1]):02d}:{m[2]}" if m and int(m[1]) < 24 else None


def parse_cmis_date(text: str | None) -> dt.date | None:
    """``3 Aug 2026 - 10:00`` / ``2 February 2026`` -> date."""
    return first_real_date(DATE_RE, text)


def site_url(href: str, page_url: str) -> str:
    """An href as written -> absolute URL; an ``http://`` link to the page's own host is
    upgraded when the page was served over https (Birmingham links its venues as http://)."""
    url = urljoin(page_url, href.strip())
    page, parts = urlsplit(page_url), urlsplit(url)
    if page.scheme == "https" and parts.scheme == "http" and parts.netloc == page.netloc:
        url = urlunsplit(("https",) + tuple(parts)[1:])
    return url


def months_of(window: Window) -> list[dt.date]:
    """The first day of every calendar month the window touches."""
    first, out = window.start.replace(day=1), []
    while first <= window.end:
        out.append(first)
        first = (first + dt.timedelta(days=32)).replace(day=1)
    return out


def summary_url(meeting_url: str) -> str:
    """A meeting link (often to its Documents tab) -> its summary page."""
    return re.sub(r"/SelectedTab/[^/]+/", "/", meeting_url, flags=re.I)


def documents_tab_url(meeting_url: str) -> str:
    return summary_url(meeting_url).replace("/Default.aspx", "/SelectedTab/Documents/Default.aspx")


def document_keys(meeting_url: str, titles: list[str]) -> list[str]:
    """Stable identities for a meeting's documents: the meeting page + ``#document=<title>``,
    ``~2``, ``~3`` for a title repeated in the same meeting (two "Appendix 1"s)."""
    seen: dict[str, int] = {}
    keys = []
    for title in titles:
        seen[title] = seen.get(title, 0) + 1
        suffix = f"~{seen[title]}" if seen[title] > 1 else ""
        keys.append(f"{summary_url(meeting_url)}#document={quote(title, safe='')}{suffix}")
    return keys


# --------------------------------------------------------------------------------------
# Page parsers (pure)
# --------------------------------------------------------------------------------------


def tab_path_of(soup: BeautifulSoup, page_url: str) -> str | None:
    """``…/Meetings/tabid/70`` from the first link or form action in DNN path form."""
    for el in soup.find_all(["a", "form", "link"]):
        target = el.get("href") or el.get("action")
        if target:
            m = TAB_RE.match(site_url(target, page_url))
            if m:
                return m["tab"]
    return None


def parse_entry_page(page: bytes, page_url: str) -> CmisModule:
    """The entry page (``Meetings.aspx``) -> the meetings module id and, when shown, the tab."""
    text = page.decode("utf-8", errors="replace")
    m = MODULE_RE.search(text)
    if not m:
        raise CmisLayoutError(f"{page_url}: no CMIS meetings module (dnn$ctr<id>$MeetingCalendarPublic…)")
    return CmisModule(m[1], tab_path_of(_soup(page), page_url))


def _row_ids(href: str) -> tuple[str, str] | None:
    m = MEETING_LINK_RE.search(href)
    return (m["meeting"], m["committee"]) if m else None


def parse_list_view(page: bytes, page_url: str) -> tuple[list[CalendarRow], str | None]:
    """``?ctl=MeetingCalendarListView`` -> its rows and the tab path its meeting links show.

    Rows are ``tr.rgRow`` / ``tr.rgAltRow``; the link reads ``9 Jul 2026 11:00 - Planning Committee``,
    the second cell is the venue."""
    soup = _soup(page)
    rows = []
    for tr in soup.find_all("tr", class_=["rgRow", "rgAltRow"]):
        cells = tr.find_all("td", recursive=False)
        link = cells[0].find("a", href=True) if cells else None
        ids = _row_ids(link["href"]) if link else None
        m = LIST_LINK_RE.match(clean(link.get_text(" "))) if link else None
        day = date_of(m) if m else None
        if not (ids and m and day):
            continue
        venue = clean(cells[1].get_text(" ")) if len(cells) > 1 else ""
        rows.append(CalendarRow(ids[0], ids[1], m["committee"].strip(), day, hhmm(m["time"]),
                                site_url(link["href"], page_url), venue or None))
    return rows, tab_path_of(soup, page_url)


def _calendar_day(text: str, month: dt.date) -> dt.date | None:
    """``Monday, 8 June`` in the calendar of ``month``. A day of the neighbouring month (a
    calendar grid may show one) takes the neighbouring year."""
    m = DAY_CELL_RE.match(text)
    number = month_number(m["month"]) if m else None
    if not number:
        return None
    year = int(m["year"]) if m["year"] else month.year
    if not m["year"] and month.month == 12 and number == 1:
        year += 1
    elif not m["year"] and month.month == 1 and number == 12:
        year -= 1
    return to_date(year, number, int(m["day"]))


def parse_month_calendar(page: bytes, page_url: str, month: dt.date) -> list[CalendarRow]:
    """``MeetingCalendarPublicNoJava`` for ``month`` -> every meeting it shows, any committee."""
    rows = []
    for cell in _soup(page).find_all("td", class_="SimpleCalendarDate"):
        day = _calendar_day(clean(cell.get_text(" ")), month)
        entries = cell.find_next_sibling("td")
        if day is None or entries is None:
            continue
        for a in entries.find_all("a", href=True):
            ids = _row_ids(a["href"])
            m = ENTRY_RE.match(clean(a.get_text(" ")))
            if ids and m:
                rows.append(CalendarRow(ids[0], ids[1], m["committee"].strip(), day, hhmm(m["time"]),
                                        site_url(a["href"], page_url)))
    return rows


def _labelled_fields(soup: BeautifulSoup) -> dict[str, Tag]:
    """``div.holder`` pairs -> {label without colon: value div}. Keyed on the label's text: the
    value's class is not reliable (Birmingham marks the status ``Value Venue``)."""
    fields: dict[str, Tag] = {}
    for holder in soup.find_all("div", class_="holder"):
        label = holder.find("div", class_="DNNLabel", recursive=False)
        value = holder.find("div", class_="Value", recursive=False)
        if label is None or value is None:
            continue
        name = clean(label.get_text(" ")).rstrip(":").strip().lower()
        fields.setdefault(name, value)
    return fields


def parse_document_links(page: bytes, page_url: str) -> list[DocumentLink]:
    """``li.DocumentListItem > a.TitleLink`` (in an ``ol`` or ``ul.DocumentList``) -> links, in page order."""
    docs = []
    for li in _soup(page).find_all("li", class_="DocumentListItem"):
        a = li.find("a", class_="TitleLink", href=True)
        title = clean(a.get_text(" ")) if a else ""
        if not title:
            continue
        size = li.find("span", class_="FileSize")
        docs.append(DocumentLink(title, site_url(a["href"], page_url), clean(size.get_text()) if size else None))
    return docs


def parse_meeting_page(page: bytes, page_url: str) -> MeetingPage:
    """A meeting page -> its labelled fields (``Committee:``, ``Date/Time:``, ``Status:``,
    ``Venue:``) and its document links. Fields a page does not show are None."""
    fields = _labelled_fields(_soup(page))

    def text(label: str) -> str | None:
        value = fields.get(label)
        return clean(value.get_text(" ")) or None if value is not None else None

    when = text("date/time")
    return MeetingPage(committee=text("committee"), meeting_date=parse_cmis_date(when), start_time=hhmm(when),
                       status=text("status"), venue=text("venue"),
                       documents=parse_document_links(page, page_url))


# --------------------------------------------------------------------------------------
# The adapter
# --------------------------------------------------------------------------------------


class CmisAdapter:
    name = "cmis"

    def __init__(self, today: Callable[[], dt.date] | None = None):
        self.today = today or dt.date.today  # the only clock: decides held vs scheduled

    def discover(self, source: Source, fetcher: Fetcher, window: Window) -> Iterator[DiscoveredMeeting]:
        committee = str(source.params["committee_id"])
        rows = self._calendar_rows(source, fetcher, window)
        failures: list[FetchError] = []
        wanted = sorted((r for r in rows.values() if r.committee_id == committee and r.meeting_date in window),
                        key=lambda r: (r.meeting_date, r.start_time or "", r.meeting_id))
        for row in wanted:
            try:
                yield self._meeting(source, fetcher, row)
            except FetchError as exc:  # the others still come; the run is told below
                log.warning("%s: meeting %s: %s", source.id, row.meeting_id, exc)
                failures.append(exc)
        if failures:
            first = failures[0]
            raise FetchError(first.url, f"{len(failures)} of {len(wanted)} meeting pages failed, "
                                        f"the first: {first}", first.status, first.blocked)

    # -- listing --------------------------------------------------------------------------
    def _calendar_rows(self, source: Source, fetcher: Fetcher, window: Window) -> dict[str, CalendarRow]:
        entry_url = urljoin(source.base_url, source.params.get("entry_page", "Meetings.aspx"))
        entry = fetcher.get(entry_url)
        module = parse_entry_page(entry.content, entry.url)
        listed, tab = self._list_view(source, fetcher, entry_url, module)
        tab = module.tab_path or tab or self._configured_tab(source, entry_url)
        if tab is None:
            raise CmisLayoutError(f"{entry_url}: no tab id on the entry page nor in the list view; "
                                  "set params.tab_id for this source")
        found: dict[str, CalendarRow] = {}
        for month in months_of(window):
            url = f"{tab}/ctl/MeetingCalendarPublicNoJava/mid/{module.module_id}/Date/{month.isoformat()}/Default.aspx"
            page = fetcher.get(url)
            for row in parse_month_calendar(page.content, page.url, month):
                found.setdefault(row.meeting_id, row)
        if not found:
            raise CmisLayoutError(f"{source.id}: the month calendars of {window.start:%Y-%m} .. {window.end:%Y-%m} "
                                  "list no meeting of any committee: the calendar may have moved or changed layout")
        for row in listed:  # the list view knows the venue; the calendar's row is otherwise the same
            known = found.setdefault(row.meeting_id, row)
            known.venue = known.venue or row.venue
        return found

    def _list_view(self, source: Source, fetcher: Fetcher, entry_url: str,
                   module: CmisModule) -> tuple[list[CalendarRow], str | None]:
        """The current month's list view, where the install has one."""
        try:
            page = fetcher.get(entry_url, {"ctl": "MeetingCalendarListView", "mid": module.module_id})
        except FetchError as exc:
            if exc.blocked:
                raise
            log.info("%s: no list view (%s); the month calendars will do", source.id, exc)
            return [], None
        return parse_list_view(page.content, page.url)

    @staticmethod
    def _configured_tab(source: Source, entry_url: str) -> str | None:
        tab = source.params.get("tab_id")
        if tab is None:
            return None
        stem = entry_url.rsplit("/", 1)[-1].rsplit(".", 1)[0]
        return urljoin(source.base_url, f"{stem}/tabid/{tab}")

    # -- meetings -------------------------------------------------------------------------
    def _meeting(self, source: Source, fetcher: Fetcher, row: CalendarRow) -> DiscoveredMeeting:
        url = summary_url(row.url)
        summary = parse_meeting_page(fetcher.get(url).content, url)
        status = summary.status or ""
        links: list[DocumentLink] = []
        if "cancel" not in status.lower():
            tab_url = documents_tab_url(row.url)
            links = parse_meeting_page(fetcher.get(tab_url).content, tab_url).documents
        # The Documents tab lists every paper (repeated titles too); the summary may show a few,
        # under other links: add only the titles the tab lacks.
        on_tab = {d.title for d in links}
        links += [d for d in summary.documents if d.title not in on_tab]
        day = summary.meeting_date or row.meeting_date
        keys = document_keys(url, [d.title for d in links])
        documents = [DiscoveredDocument(d.url, d.title, kind_hint(d.title), key=key) for d, key in zip(links, keys)]
        minutes = any(d.kind_hint.value == "minutes" and "previous" not in (d.title or "").lower() for d in documents)
        return DiscoveredMeeting(
            key=row.meeting_id, meeting_date=day, start_time=summary.start_time or row.start_time,
            location=summary.venue or row.venue, url=url, title=summary.committee or row.committee or source.body,
            # "Scheduled" stays on Birmingham's pages after the day: only "Cancelled" is believed;
            # held vs scheduled comes from the date (or the meeting's own minutes).
            status=meeting_status("cancel" in status.lower(), day, self.today(), minutes),
            documents=documents)

