"""ModernGov (Civica Modern.Gov) adapter: any council's committee, configured by
``source.base_url`` and ``source.params["committee_id"]``.

Discovery prefers the web service (``mgWebService.asmx``): ``GetMeetings`` over the window, then
``GetMeeting`` per meeting for status, time, venue and the item attachments (with attachment id and
publication date, which later runs compare to spot re-published papers). Meeting-level documents
(agenda frontsheet, reports pack, printed minutes under ``documents/g<id>/``) are not in the web
service, so the meeting page is read too whenever the service says papers exist.

When the service fails (404/500 after the fetcher's retries, or XML that does not parse), or when
``params["use_web_service"] = false``, the HTML pages are used instead: ``ieListMeetings.aspx``
(every ``Year=`` the page offers that overlaps the window) and ``ieListDocuments.aspx`` in both
renderings (numbered minutes with ``Minutes:`` labels; the older one without numbers).

Quirks handled (see shared/sources.md section 2): ``dd/mm/yyyy`` dates, double-escaped text,
counts with leading spaces, ``http://`` URLs on ``https`` sites, relative hrefs with literal spaces,
MIds that are not chronological, cancelled and future meetings, ``MId`` / ``MID`` / ``MeetingId``.

The ``parse_*`` functions are pure functions of bytes; only ``discover`` fetches, and the only
clock is the adapter's injectable ``today`` (held vs scheduled).
"""
from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Callable, Iterator
from urllib.parse import parse_qsl, quote, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup, Tag
from lxml import etree

from extract.adapters.base import DiscoveredDocument, DiscoveredMeeting, FetchError, Fetcher, Window
from extract.adapters.committee_systems import kind_hint, meeting_status
from extract.registry import Source
from kernel.records import DocKind, ParsedItem
from transform.dates import ORDINAL, date_of, first_real_date
from transform.html import html_to_text
from transform.moderngov_ws import ParseError, child_text, clean, expect_root, ws_answer_problem, ws_unescape

log = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------
# What the parse functions return
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class WsMeetingRow:
    """One ``<meeting>`` of GetMeetings / GetAllMeetingsByDate."""

    meeting_id: str
    meeting_date: dt.date | None
    status: str  # as the service says: "Confirmed", "Cancelled", ...
    start_time: str | None  # "HH:MM"
    committee_title: str | None = None


@dataclass(slots=True)
class WsDocument:
    attachment_id: str
    title: str
    url: str  # as the service gave it (absolute; may be http:// on an https site)
    published_date: dt.date | None
    item_title: str | None


@dataclass(slots=True)
class WsMeeting:
    """GetMeeting, the parts discovery needs."""

    meeting_id: str
    meeting_date: dt.date | None
    status: str
    start_time: str | None
    location: str | None
    agenda_published: bool
    minutes_published: bool
    documents: list[WsDocument] = field(default_factory=list)


@dataclass(slots=True)
class ListedMeeting:
    """One meeting link of ``ieListMeetings.aspx``."""

    meeting_id: str
    url: str
    meeting_date: dt.date | None
    start_time: str | None
    cancelled: bool


@dataclass(slots=True)
class MeetingList:
    meetings: list[ListedMeeting]
    years: list[int]  # the Year= values the page offers (its YearSelect), 0 left out


@dataclass(slots=True)
class MeetingPage:
    """``ieListDocuments.aspx``: heading, venue, documents and items."""

    page_label: str | None  # "Agenda and minutes", "Agenda and draft minutes", "Meeting", ...
    committee: str | None
    meeting_date: dt.date | None
    start_time: str | None
    cancelled: bool
    location: str | None
    documents: list[DiscoveredDocument] = field(default_factory=list)
    items: list[ParsedItem] = field(default_factory=list)





# --------------------------------------------------------------------------------------
# Small pure helpers
# --------------------------------------------------------------------------------------

_TIME = re.compile(r"\b(\d{1,2})[.:](\d{2})\s*([ap])\.?\s?m\b", re.I)
_DMY = re.compile(r"\b(?P<day>\d{1,2})/(?P<mnum>\d{1,2})/(?P<year>\d{4})\b")
# the month as any word its first three letters name ("Sept", "Sept.")
_D_MONTH_Y = re.compile(rf"\b(?P<day>\d{{1,2}}){ORDINAL}?,?\s+(?P<mon>[A-Za-z]{{3,9}})\.?,?\s+(?P<year>\d{{4}})\b")
# URL characters left alone when quoting an href: reserved ones and existing %XX escapes.
_URL_SAFE = "/:?=&%#;~+,@!$'()*[]"
# What a browser removes from an href before resolving it (WHATWG URL standard: every ASCII tab
# or newline, anywhere; leading and trailing C0 controls and spaces).
_TAB_OR_NEWLINE = str.maketrans("", "", "\t\n\r")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))


def parse_dmy(text: str | None) -> dt.date | None:
    """``10/02/2026`` (day first, as ModernGov writes it everywhere) -> date."""
    m = _DMY.search(text or "")  # the first one only: a later date is another fact
    return date_of(m) if m else None


def parse_day_month_year(text: str | None) -> dt.date | None:
    """``Tuesday, 10th September, 2019`` / ``4 December 2025`` / ``10 Sep 2019`` -> date."""
    return first_real_date(_D_MONTH_Y, text) or parse_dmy(text)


def parse_time(text: str | None) -> str | None:
    """``10.00 am`` / ``1.30 pm`` / ``7:30 pm`` -> ``HH:MM`` (24 h)."""
    m = _TIME.search((text or "").replace("\xa0", " "))
    if not m:
        return None
    hour, minute, pm = int(m[1]) % 12, int(m[2]), m[3].lower() == "p"
    return f"{hour + 12 if pm else hour:02d}:{minute:02d}"


def absolute_url(href: str, base_url: str) -> str:
    """An href as written (relative, literal spaces) -> absolute, percent-encoded URL.
    An ``http://`` link to the site's own host is upgraded when the site is served over https."""
    href = href.translate(_TAB_OR_NEWLINE).strip(_C0_AND_SPACE)
    url = urljoin(base_url, quote(href, safe=_URL_SAFE))
    base, parts = urlsplit(base_url), urlsplit(url)
    if base.scheme == "https" and parts.scheme == "http" and parts.netloc == base.netloc:
        url = urlunsplit(("https",) + tuple(parts)[1:])
    return url


# --------------------------------------------------------------------------------------
# Web service parsing
# --------------------------------------------------------------------------------------

def _flag(el: etree._Element, tag: str) -> bool:
    return child_text(el, tag).lower() == "true"


def parse_get_meetings(xml: bytes) -> list[WsMeetingRow]:
    """GetMeetings (nested under ``<committee>``) or GetAllMeetingsByDate (flat). Any other
    answer is a ParseError, never "no meetings"."""
    try:
        root = expect_root(xml, "GetMeetings")
    except ParseError:
        root = expect_root(xml, "GetAllMeetingsByDate")
    rows = []
    for m in root.iter("meeting"):
        committee = m.getparent().getparent() if m.getparent() is not None else None
        title = child_text(committee, "committeetitle") if committee is not None else ""
        title = title or child_text(m, "committeetitle")
        rows.append(WsMeetingRow(child_text(m, "meetingid"), parse_dmy(child_text(m, "meetingdate")),
                                 child_text(m, "meetingstatus"), parse_time(child_text(m, "meetingtime")),
                                 ws_unescape(title) or None))
    return [r for r in rows if r.meeting_id]


def parse_get_meeting(xml: bytes) -> WsMeeting:
    root = expect_root(xml, "GetMeeting")
    if not child_text(root, "meetingid"):
        raise ParseError("GetMeeting answer has no meetingid")
    docs = []
    for item in root.iter("agendaitem"):
        item_title = ws_unescape(child_text(item, "agendaitemtitle")) or None
        for d in item.iter("linkeddoc"):
            docs.append(WsDocument(child_text(d, "attachmentid"), ws_unescape(child_text(d, "title")),
                                   child_text(d, "url"), parse_dmy(child_text(d, "publicationdate")), item_title))
    return WsMeeting(child_text(root, "meetingid"), parse_dmy(child_text(root, "meetingdate")),
                     child_text(root, "meetingstatus"), parse_time(child_text(root, "meetingtime")),
                     ws_unescape(child_text(root, "meetinglocation")) or None,
                     _flag(root, "agendapublished"), _flag(root, "minutepublished"), docs)


# --------------------------------------------------------------------------------------
# HTML parsing
# --------------------------------------------------------------------------------------


def _soup(page: bytes) -> BeautifulSoup:
    return BeautifulSoup(page, "lxml")


def _query(href: str) -> dict[str, str]:
    return {k.lower(): v for k, v in parse_qsl(urlsplit(href).query)}


def meeting_id_of(href: str) -> str | None:
    q = _query(href)
    mid = q.get("mid") or q.get("meetingid")
    return mid if mid and mid.isdigit() else None


def parse_list_meetings_html(page: bytes, base_url: str) -> MeetingList:
    """``ieListMeetings.aspx`` (or any ModernGov page linking meetings) -> meetings and years."""
    soup = _soup(page)
    found: dict[str, ListedMeeting] = {}
    for a in soup.find_all("a", href=True):
        href = a["href"]
        mid = meeting_id_of(href) if "ielistdocuments.aspx" in href.lower() else None
        if not mid or mid in found:
            continue
        text = clean(a.get_text(" "))
        after = a.next_sibling if isinstance(a.next_sibling, str) else ""
        cancelled = "cancel" in f"{text} {after} {a.get('title', '')}".lower()
        found[mid] = ListedMeeting(mid, absolute_url(href, base_url), parse_day_month_year(text),
                                   parse_time(text), cancelled)
    select = soup.find("select", id="YearSelect")
    years = sorted({int(o["value"]) for o in select.find_all("option", value=True)
                    if o["value"].isdigit() and int(o["value"])}) if select else []
    return MeetingList(list(found.values()), years)


def _link_text(a: Tag) -> str:
    """Link text without the file-size badge and the screen-reader-only ", item 59." suffix."""
    parts = [s for s in a.find_all(string=True)
             if not any(isinstance(p, Tag) and set(p.get("class", [])) & {"mgFileSize", "mgHide"}
                        for p in s.parents)]
    return clean("".join(parts))


def _document(a: Tag, base_url: str) -> DiscoveredDocument:
    href = a["href"]
    title = _link_text(a) or None
    sid = re.search(r"documents/s(\d+)/", href, re.I) or re.search(r"mgconvert2pdf\.aspx\?id=(\d+)", href, re.I)
    return DiscoveredDocument(absolute_url(href, base_url), title, kind_hint(title),
                              fingerprint=f"attachment:{sid[1]}" if sid else None)


def _is_document(href: str) -> bool:
    low = href.lower()
    return low.startswith("documents/") or "/documents/" in low or "mgconvert2pdf.aspx" in low


def _heading(root: Tag) -> tuple[str | None, str]:
    h2 = root.find("h2", class_="mgSubTitleTxt")
    text = clean(h2.get_text(" ")) if h2 else ""
    committee, sep, _ = text.rpartition(" - ")
    return (committee if sep else None), text


def _location(root: Tag) -> str | None:
    for label in root.find_all("span", class_="mgLabel"):
        if clean(label.get_text()).lower().rstrip(":").endswith("venue") and label.parent is not None:
            venue = clean(label.parent.get_text(" ")).split(":", 1)[-1]
            return clean(venue.replace("View directions", "")) or None
    return None


def parse_list_documents_html(page: bytes, base_url: str) -> MeetingPage:
    """``ieListDocuments.aspx`` in either rendering -> heading facts, documents, items."""
    soup = _soup(page)
    root = soup.find(id="modgov") or soup
    # find(), not select_one(): the same match without compiling soupsieve's CSS grammar (~0.1 s
    # once per process, paid by every nightly run).
    h1 = root.find(class_="mgMainTitleTxt")
    label = clean(h1.get_text()) if h1 else None
    committee, heading = _heading(root)
    docs: dict[str, DiscoveredDocument] = {}
    for a in root.find_all("a", href=True):
        if _is_document(a["href"]):
            doc = _document(a, base_url)
            docs.setdefault(doc.url, doc)
    return MeetingPage(label, committee, parse_day_month_year(heading), parse_time(heading),
                       "cancelled" in heading.lower(), _location(root), list(docs.values()),
                       _items(root))


def _items(root: Tag) -> list[ParsedItem]:
    table = root.find("table", class_="mgItemTable") or root.find("table", id="mgItemTable")
    if table is None:
        return []
    items = []
    for tr in table.find_all("tr"):
        cells = tr.find_all("td", recursive=False)
        if not cells:
            continue
        number = tr.find("td", class_="mgItemNumberCell")
        body = cells[-1]
        title_p = body.find("p", class_="mgAiTitleTxt")
        title = _link_text(title_p) if title_p else ""
        ref = clean(number.get_text()).rstrip(".") or None if number else None
        if title:
            items.append(ParsedItem(ref, title, _item_minutes(body)))
    return items


def _item_minutes(cell: Tag) -> str:
    """The minute text: after a ``Minutes:`` label, or (older pages) after ``Additional documents:``."""
    labels = cell.find_all("p", class_="mgSubItemTitleTxt")
    marker = next((p for p in labels if clean(p.get_text()).lower().startswith("minutes")), None)
    if marker is None:
        marker = next((p for p in labels if "additional documents" in p.get_text().lower()), None)
    if marker is None:
        return ""
    para = marker.find_next_sibling("div", class_="mgWordPara")
    return html_to_text(str(para)) if para else ""


# --------------------------------------------------------------------------------------
# The adapter
# --------------------------------------------------------------------------------------


class ModernGovAdapter:
    name = "moderngov"

    def __init__(self, today: Callable[[], dt.date] | None = None):
        self.today = today or dt.date.today  # the only clock: decides held vs scheduled

    # -- entry point ----------------------------------------------------------------------
    def discover(self, source: Source, fetcher: Fetcher, window: Window) -> Iterator[DiscoveredMeeting]:
        cid = str(source.params["committee_id"])
        if not source.params.get("use_web_service", True):  # configured to read the pages
            yield from self._html_discover(source, fetcher, window, cid)
            return
        rows, failure = self._ws_rows(source, fetcher, window, cid)
        if rows is None:
            # The service failed: every meeting is read from the HTML pages, so none has its
            # attendance and minutes record. Said once (an error of the run), held provisional.
            for n, meeting in enumerate(self._html_discover(source, fetcher, window, cid)):
                meeting.degraded = True
                if n == 0:
                    meeting.problems.insert(0, f"web service unusable ({failure}); meetings read from "
                                               "the HTML pages, without attendance and minutes records")
                yield meeting
            return
        for row in rows:
            yield self._ws_meeting(source, fetcher, row, cid)

    # -- web service ----------------------------------------------------------------------
    def _ws_rows(self, source: Source, fetcher: Fetcher, window: Window,
                 cid: str) -> tuple[list[WsMeetingRow] | None, str | None]:
        """The service's meetings in the window, or None and why the service is unusable."""
        params = {"lCommitteeId": cid, "sFromDate": window.start.strftime("%d/%m/%Y"),
                  "sToDate": window.end.strftime("%d/%m/%Y")}
        try:
            rows = parse_get_meetings(fetcher.get(ws_url(source, "GetMeetings"), params,
                                                  expect=_answer_of("GetMeetings")).content)
        except (FetchError, ParseError) as e:
            log.warning("%s: web service unusable (%s); reading the HTML pages", source.id, e)
            return None, str(e)
        # Some installs ignore the window and send the whole history: filter here as well.
        # Sort by date, never by MId: MIds are not chronological.
        return sorted((r for r in rows if r.meeting_date in window), key=lambda r: (r.meeting_date, r.meeting_id)), None

    def _ws_meeting(self, source: Source, fetcher: Fetcher, row: WsMeetingRow, cid: str) -> DiscoveredMeeting:
        url = meeting_url(source, cid, row.meeting_id)
        try:
            detail = parse_get_meeting(fetcher.get(ws_url(source, "GetMeeting"), {"lMeetingId": row.meeting_id},
                                                   expect=_answer_of("GetMeeting")).content)
        except (FetchError, ParseError) as e:
            # Not silent: the page gives the papers, but not the attendance and minutes record.
            log.warning("%s: GetMeeting %s failed (%s); reading its page", source.id, row.meeting_id, e)
            listed = ListedMeeting(row.meeting_id, url, row.meeting_date, row.start_time,
                                   "cancel" in row.status.lower())
            meeting = self._page_meeting(source, fetcher, listed)
            meeting.degraded = True
            meeting.problems.insert(0, f"GetMeeting for meeting {row.meeting_id} failed ({e}); its papers "
                                       "were read from its page, its attendance and minutes record are missing")
            return meeting
        day = detail.meeting_date or row.meeting_date
        meeting = DiscoveredMeeting(
            key=row.meeting_id, meeting_date=day, start_time=detail.start_time or row.start_time,
            location=detail.location, url=url, title=row.committee_title or source.body,
            status=meeting_status("cancel" in detail.status.lower(), day, self.today(), detail.minutes_published),
            documents=[ws_document(d, source.base_url) for d in detail.documents])
        if detail.agenda_published or detail.minutes_published:
            self._add_page_documents(source, fetcher, meeting)
        if detail.minutes_published:
            meeting.documents.append(ws_record_document(source, row.meeting_id))
        return meeting

    def _add_page_documents(self, source: Source, fetcher: Fetcher, meeting: DiscoveredMeeting) -> None:
        """Meeting-level papers (frontsheet, reports pack, printed minutes) live only on the page."""
        try:
            page = parse_list_documents_html(fetcher.get(meeting.url).content, source.base_url)
        except FetchError as e:
            log.warning("%s: meeting page %s failed (%s); item papers only", source.id, meeting.url, e)
            meeting.problems.append(f"meeting page failed ({e}); its meeting-level papers are missing")
            return
        known = {d.fingerprint.split(":")[1] for d in meeting.documents if d.fingerprint}
        for doc in page.documents:
            attachment = doc.fingerprint.split(":")[1] if doc.fingerprint else None
            if attachment not in known:
                meeting.documents.append(doc)

    # -- HTML pages -----------------------------------------------------------------------
    def _html_discover(self, source: Source, fetcher: Fetcher, window: Window, cid: str) -> Iterator[DiscoveredMeeting]:
        listed = [m for m in self._html_list(source, fetcher, window, cid) if m.meeting_date in window]
        for m in sorted(listed, key=lambda m: (m.meeting_date, m.meeting_id)):
            yield self._page_meeting(source, fetcher, m)

    def _html_list(self, source: Source, fetcher: Fetcher, window: Window, cid: str) -> list[ListedMeeting]:
        url = f"{source.base_url}ieListMeetings.aspx"
        first = parse_list_meetings_html(fetcher.get(url, {"CId": cid, "Year": "0"}).content, source.base_url)
        found = {m.meeting_id: m for m in first.meetings}
        # Year=0 shows recent meetings only; older ones are one page per year. A year either side
        # of the window covers both calendar and municipal (May-May) year pages.
        for year in (y for y in first.years if window.start.year - 1 <= y <= window.end.year):
            page = parse_list_meetings_html(fetcher.get(url, {"CId": cid, "Year": str(year)}).content,
                                            source.base_url)
            for m in page.meetings:
                found.setdefault(m.meeting_id, m)
        return list(found.values())

    def _page_meeting(self, source: Source, fetcher: Fetcher, listed: ListedMeeting) -> DiscoveredMeeting:
        url = meeting_url(source, str(source.params["committee_id"]), listed.meeting_id)
        try:
            page = parse_list_documents_html(fetcher.get(url).content, source.base_url)
        except FetchError as e:
            log.warning("%s: meeting page %s failed (%s)", source.id, url, e)
            page = MeetingPage(None, None, None, None, False, None)
            problems = [f"meeting page failed ({e}); its papers are missing"]
        else:
            problems = []
        day = page.meeting_date or listed.meeting_date
        minutes = "minutes" in (page.page_label or "").lower()
        return DiscoveredMeeting(
            key=listed.meeting_id, meeting_date=day, start_time=page.start_time or listed.start_time,
            location=page.location, url=url, title=page.committee or source.body,
            status=meeting_status(page.cancelled or listed.cancelled, day, self.today(), minutes),
            documents=page.documents, problems=problems)


# --------------------------------------------------------------------------------------
# Committee lookup (`scrutiny sources add moderngov URL --committee TITLE`)
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WsCommittee:
    """One ``<committee>`` of GetCommittees."""

    committee_id: int
    title: str
    expired: bool  # no longer meets; its past meetings are still published


class CommitteeLookupError(ValueError):
    """No committee, or more than one, answers to the title asked for."""

    def __init__(self, wanted: str, candidates: list[WsCommittee], total: int):
        self.wanted, self.candidates, self.total = wanted, candidates, total
        super().__init__(wanted)


class NoSuchCommittee(CommitteeLookupError):
    """``candidates``: the closest titles, to suggest."""


class AmbiguousCommittee(CommitteeLookupError):
    """``candidates``: every committee whose title contains the one asked for."""


# Both parameter spellings are seen in working clients (sources.md 2.5). An ASMX HTTP-GET
# operation binds the query parameters it declares and ignores the rest (.NET's behaviour; not
# yet seen against a real ModernGov), so one call fits either declaration.
GET_COMMITTEES_PARAMS = {"lDays": "0", "lDummy": "0"}


def parse_get_committees(xml: bytes) -> list[WsCommittee]:
    """GetCommittees -> its committees, deleted ones left out (their pages are gone)."""
    root = expect_root(xml, "GetCommittees")
    found = []
    for c in root.iter("committee"):
        cid = child_text(c, "committeeid")
        if cid.isdigit() and not _flag(c, "committeedeleted"):
            found.append(WsCommittee(int(cid), ws_unescape(child_text(c, "committeetitle")), _flag(c, "committeeexpired")))
    return found


def match_committee(committees: list[WsCommittee], wanted: str) -> WsCommittee:
    """The committee titled ``wanted``: an exact title (case and spacing aside), else the single
    title containing it. None or several: NoSuchCommittee / AmbiguousCommittee."""
    key = clean(wanted).casefold()
    exact = [c for c in committees if c.title.casefold() == key]
    if len(exact) == 1:
        return exact[0]
    containing = exact or [c for c in committees if key in c.title.casefold()]
    if len(containing) == 1:
        return containing[0]
    if containing:
        raise AmbiguousCommittee(wanted, containing, len(committees))
    import difflib

    titles = {c.title.casefold(): c for c in committees}
    close = difflib.get_close_matches(key, list(titles), n=3, cutoff=0.5)
    raise NoSuchCommittee(wanted, [titles[t] for t in close], len(committees))


def find_committee(fetcher: Fetcher, base_url: str, wanted: str) -> WsCommittee:
    """Ask the site's web service for its committees and pick the one titled ``wanted``. Raises
    FetchError (the service failed or answered something else) or CommitteeLookupError."""
    url = f"{base_url}mgWebService.asmx/GetCommittees"
    answer = fetcher.get(url, GET_COMMITTEES_PARAMS, expect=_answer_of("GetCommittees"))
    return match_committee(parse_get_committees(answer.content), wanted)


def _answer_of(operation: str) -> Callable[[bytes], str | None]:
    """The fetcher's content check for a web-service call: the operation's root element."""
    return lambda body: ws_answer_problem(body, operation)


def ws_url(source: Source, operation: str) -> str:
    return f"{source.base_url}mgWebService.asmx/{operation}"


def ws_record_document(source: Source, mid: str) -> DiscoveredDocument:
    """The GetMeeting response itself, as a document: per-item minutes and member-by-member
    attendance that no PDF carries so cleanly. The pipeline reuses the response discovery
    already fetched (same URL), so this costs no extra request."""
    return DiscoveredDocument(url=f"{ws_url(source, 'GetMeeting')}?lMeetingId={mid}",
                              title="Minutes and attendance (ModernGov web service)", kind_hint=DocKind.MINUTES)


def meeting_url(source: Source, cid: str, mid: str) -> str:
    return f"{source.base_url}ieListDocuments.aspx?CId={cid}&MId={mid}&Ver=4"


def ws_document(d: WsDocument, base_url: str) -> DiscoveredDocument:
    # attachment id + publication date: a re-published paper keeps its id but changes its date.
    stamp = d.published_date.isoformat() if d.published_date else ""
    return DiscoveredDocument(absolute_url(d.url, base_url), d.title or None, kind_hint(d.title or d.item_title),
                              d.published_date, f"attachment:{d.attachment_id}:{stamp}")
