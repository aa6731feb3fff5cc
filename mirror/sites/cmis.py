"""Replica of Birmingham City Council's CMIS (``birmingham.cmis.uk.com/birmingham/``) as the West
Midlands Police and Crime Panel (committee 436) sees it, served under the prefix ``birmingham-cmis``.

Built from the real Birmingham fragments (``tests/fixtures/wmpcp/``, from DemocracyClub/LGSF) and
shared/sources.md §3.2. What it serves, with the markup of those fragments:

* ``Meetings.aspx``: the entry page; its action buttons name the module (``dnn$ctr397$MeetingCalendarPublic$…``).
  Like the real fragment it shows no link in DNN path form, so the tab id must come from the list view.
* ``Meetings.aspx?ctl=MeetingCalendarListView&mid=397``: the list view (Telerik ``rgRow`` / ``rgAltRow``
  rows, ``9 Jul 2026 11:00 - Planning Committee`` links, venue column) of the site's current month
  only, whatever dates are asked for (reported behaviour).
* ``Meetings/tabid/70/ctl/MeetingCalendarPublicNoJava/mid/397/Date/<yyyy-mm-dd>/Default.aspx``: the
  month of that date, one row per day (``Monday, 8 June``, no year), entries ``14:00 <Committee>``
  linking the meeting's Documents tab with absolute URLs.
* ``Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/<id>/Committee/<cid>/Default.aspx``: the
  summary (``div.holder`` label/value pairs, the Status holder wrapping the Venue holder and the
  status marked ``Value Venue``, as on the real page), listing a few papers in ``ul.DocumentList``
  without sizes; ``…/SelectedTab/Documents/Default.aspx``: every paper in ``ol.DocumentList`` with
  ``span.FileSize``.
* ``Document.ashx?<key>=<token>&<key>=<token>``: papers behind encrypted-looking query pairs, with no
  id in them. Links are root-relative and the path's case varies (``Document.ashx`` /
  ``document.ashx``: on the real site the ``/Birmingham/`` folder's case varies, which this
  single-prefix mirror cannot show). Served with ETag and a fixed Last-Modified (304s).

Real: module id 397, tab id 70, committee 436, meeting 14933 on 2 Feb 2026 14:00 to 17:00 (sources.md
§3.1), other committees' names and ids (4 Planning Committee, 6 Licensing Sub-Committee A), the markup.
INVENTED (marked so nobody mistakes them for evidence): every other meeting id and date, the
cancelled meeting, venues, document titles beyond the real patterns (``Agenda Contents``,
``Final Agenda Reports - 9th July 2026``, ``Final Planning Minutes 16042026``, ``Minutes of the
previous meeting``), every PDF (small generated PDFs that say so), the link tokens, the status
vocabulary beyond ``Scheduled`` (``Cancelled``), and the other committees' monthly meetings.

Test hooks: ``rotate_links()`` (every document link changes, the papers do not: CMIS links carry no
stable id), ``republish(meeting_id, title)`` (new bytes for one paper). Deterministic: no clock.
"""
from __future__ import annotations

import base64
import calendar
import datetime as dt
import hashlib
import html
import re
from dataclasses import dataclass, field
from email.utils import formatdate
from urllib.parse import quote

from mirror.pdf import text_pdf
from mirror.server import Request, Response, not_found, static_response

PREFIX = "birmingham-cmis"
SOURCE_ID = "wmpcp"
MODULE_ID = 397
TAB_ID = 70
COMMITTEE_ID = 436
COMMITTEE = "West Midlands Police and Crime Panel"
SITE_TODAY = dt.date(2026, 11, 23)  # the list view's "current month"; same "now" as the other replicas
LATE_DATE = dt.date(2026, 11, 20)  # Last-Modified of a re-published paper
PDF = "application/pdf"
# The first key is the one in the real summary fragment's link; the second is invented.
LINK_KEYS = ("czJKcaeAi5tUFL1DTL2UE4sOqCLHzE2A", "mCTIbCubSFfXsDGW9IXnlg")
# Other committees, whose meetings fill the calendar (ids and names real, meetings invented).
OTHERS = ((4, "Planning Committee", 3, "11:00"), (6, "Licensing Sub-Committee A", 0, "10:00"))


def http_date(day: dt.date) -> str:
    stamp = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.timezone.utc).timestamp()
    return formatdate(stamp, usegmt=True)


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# --------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------


@dataclass
class Paper:
    title: str
    kind: str  # what the paper is (manifest): agenda / pack / report / minutes
    body: bytes
    published: dt.date
    on_summary: bool = False  # also listed on the summary page (as "Minutes of the previous meeting" is)


@dataclass
class Meeting:
    meeting_id: int
    committee_id: int
    committee: str
    day: dt.date
    time: str  # "14:00", or "14:00 to 17:00" as the real 2 Feb 2026 page shows
    venue: str
    status: str = "Scheduled"  # as printed; Birmingham still says "Scheduled" after the day
    papers: list[Paper] = field(default_factory=list)

    @property
    def start(self) -> str:
        return self.time.split()[0]

    def path(self, documents_tab: bool = False) -> str:
        tab = "SelectedTab/Documents/" if documents_tab else ""
        return (f"Meetings/tabid/{TAB_ID}/ctl/ViewMeetingPublic/mid/{MODULE_ID}/Meeting/{self.meeting_id}"
                f"/Committee/{self.committee_id}/{tab}Default.aspx")


PANEL_MEMBERS = ["Cllr Anne Holloway (Chair)", "Cllr Ravi Dhillon", "Cllr Megan Price", "Cllr Tom Beckett",
                 "Cllr Sara Okafor", "Cllr Imran Siddiq", "Mrs Joan Ellis (Independent Member)"]


def generated(title: str, day: dt.date, *lines: str) -> bytes:
    return text_pdf([COMMITTEE.upper(), f"{day:%A} {day.day} {day:%B %Y}", "", title, "", *lines, "",
                     "Generated by the scrutiny offline mirror: invented placeholder content."], title=title)


def agenda(day: dt.date, items: list[str]) -> bytes:
    lines = [f"Notice of a meeting to be held at 14:00 on {day:%A} {day.day} {day:%B %Y}", "AGENDA"]
    return generated("Agenda", day, *lines, *(f"{n} {t}" for n, t in enumerate(items, 1)))


def minutes(day: dt.date, items: list[tuple[str, str]], apologies: str) -> bytes:
    head = (f"MINUTES OF THE MEETING OF THE {COMMITTEE.upper()} HELD ON {day.day} {day:%B %Y}".upper()
            + " AT 1400 HOURS, COUNCIL HOUSE, BIRMINGHAM")
    lines = [head, "", "Present:", *PANEL_MEMBERS[:-1], "", f"Apologies: {apologies}", ""]
    for n, (title, text) in enumerate(items, 1):
        lines += [f"{n} {title}", text, ""]
    return generated("Minutes", day, *lines)


def report(day: dt.date, title: str, *lines: str) -> bytes:
    return generated(title, day, "Report of the Police and Crime Commissioner", *lines)


def _panel_meetings() -> list[Meeting]:
    feb25, jun25, nov25, feb26 = dt.date(2025, 2, 3), dt.date(2025, 6, 16), dt.date(2025, 11, 17), dt.date(2026, 2, 2)
    min_feb25 = minutes(feb25, [("Apologies", "Apologies were received as recorded above."),
                                ("Proposed Precept 2025/26", "The Panel considered the proposed precept of "
                                 "£14.44 a year for a Band D property and resolved not to veto it.")], "Cllr Tom Beckett")
    min_jun25 = minutes(jun25, [("Apologies", "Apologies were received as recorded above."),
                                ("Police and Crime Plan Performance", "The Commissioner reported that 999 calls "
                                 "answered within 10 seconds had risen to 87%."),
                                ("Annual Report", "The Panel reviewed the Commissioner's annual report.")],
                        "Cllr Sara Okafor")
    min_nov25 = minutes(nov25, [("Apologies", "Apologies were received as recorded above."),
                                ("Victims Services", "The Panel asked for a report on victim referral times.")],
                        "Mrs Joan Ellis")
    min_feb26 = minutes(feb26, [("Apologies", "Apologies were received as recorded above."),
                                ("Proposed Precept 2026/27", "The Panel considered a precept increase of £14 for "
                                 "a Band D property, raising £17.3m, and resolved to support it.")], "Cllr Imran Siddiq")
    venue = "Committee Rooms 3 & 4, Council House"
    return [
        Meeting(14288, COMMITTEE_ID, COMMITTEE, feb25, "14:00", venue, papers=[
            Paper("Agenda Contents", "agenda", agenda(feb25, ["Apologies", "Proposed Precept 2025/26"]),
                  dt.date(2025, 1, 24)),
            Paper("Item 5 - Proposed Precept 2025-26", "report",
                  report(feb25, "Proposed Precept 2025-26", "The proposed Band D precept is £14.44 higher."),
                  dt.date(2025, 1, 24)),
            Paper("Final Panel Minutes 03022025", "minutes", min_feb25, dt.date(2025, 3, 10))]),
        Meeting(14402, COMMITTEE_ID, COMMITTEE, jun25, "14:00", venue, papers=[
            Paper("Agenda Contents", "agenda", agenda(jun25, ["Apologies", "Minutes of the previous meeting",
                                                             "Police and Crime Plan Performance", "Annual Report"]),
                  dt.date(2025, 6, 6)),
            Paper("Minutes of the previous meeting", "minutes", min_feb25, dt.date(2025, 6, 6), on_summary=True),
            # Two papers with one title, as item appendices often are: keyed apart by order.
            Paper("Appendix 1", "report", report(jun25, "Performance Dashboard", "Appendix 1 to item 6."),
                  dt.date(2025, 6, 6)),
            Paper("Appendix 1", "report", report(jun25, "Annual Report 2024-25", "Appendix 1 to item 7."),
                  dt.date(2025, 6, 6)),
            Paper("Final Panel Minutes 16062025", "minutes", min_jun25, dt.date(2025, 7, 21))]),
        Meeting(14577, COMMITTEE_ID, COMMITTEE, dt.date(2025, 9, 22), "14:00", venue, status="Cancelled"),
        Meeting(14701, COMMITTEE_ID, COMMITTEE, nov25, "14:00", "On-line meeting", papers=[
            Paper("Final Agenda Reports - 17th November 2025", "pack",
                  agenda(nov25, ["Apologies", "Minutes of the previous meeting", "Victims Services"]),
                  dt.date(2025, 11, 7)),
            Paper("Minutes of the previous meeting", "minutes", min_jun25, dt.date(2025, 11, 7), on_summary=True),
            Paper("Final Panel Minutes 17112025", "minutes", min_nov25, dt.date(2025, 12, 15))]),
        Meeting(14933, COMMITTEE_ID, COMMITTEE, feb26, "14:00 to 17:00", venue, papers=[
            Paper("Agenda Contents", "agenda", agenda(feb26, ["Apologies", "Minutes of the previous meeting",
                                                             "Proposed Precept 2026/27"]), dt.date(2026, 1, 23)),
            Paper("Minutes of the previous meeting", "minutes", min_nov25, dt.date(2026, 1, 23), on_summary=True),
            Paper("Item 5 - Proposed Precept 2026-27", "report",
                  report(feb26, "Proposed Precept 2026-27", "The proposed increase raises £17.3m."),
                  dt.date(2026, 1, 23)),
            Paper("Final Panel Minutes 02022026", "minutes", min_feb26, dt.date(2026, 3, 9))]),
        Meeting(15187, COMMITTEE_ID, COMMITTEE, dt.date(2027, 2, 1), "14:00", venue),  # after "today": no papers yet
    ]


def _other_meetings(first: dt.date, last: dt.date) -> list[Meeting]:
    """Two other committees' monthly meetings over the calendar's range (invented)."""
    out, month, n = [], first.replace(day=1), 0
    while month <= last:
        for cid, name, weekday, time in OTHERS:
            day = month + dt.timedelta(days=(weekday - month.weekday()) % 7 + 7 * (cid == 4))
            out.append(Meeting(20000 + n, cid, name, day, time, "Committee Room 2"))
            n += 1
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return out


# --------------------------------------------------------------------------------------
# Rendering (markup as in the real fragments)
# --------------------------------------------------------------------------------------


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def page(title: str, body: str) -> bytes:
    """DNN chrome around a module's content (kept short: scrapers read the module only)."""
    return (f'<!DOCTYPE html>\n<html lang="en-GB">\n<head>\n<meta charset="utf-8">\n<title>{_e(title)}</title>\n'
            f'</head>\n<body id="Body">\n<div id="dnn_ContentPane">\n{body}</div>\n</body>\n</html>\n').encode()


def entry_html() -> str:
    # The real fragment, verbatim inside the chrome.
    return (f'<div id="dnn_ctr{MODULE_ID}_MeetingCalendarPublic_pnlViewActions">\n    <div class="UserEditActions">\n'
            f'        <input type="submit" name="dnn$ctr{MODULE_ID}$MeetingCalendarPublic$btnButtonListView" '
            f'value="Meeting List View" id="dnn_ctr{MODULE_ID}_MeetingCalendarPublic_btnButtonListView" />\n'
            f'        <input type="submit" name="dnn$ctr{MODULE_ID}$MeetingCalendarPublic$btnButtonMeetingsRSS" '
            f'value="Meetings RSS" id="dnn_ctr{MODULE_ID}_MeetingCalendarPublic_btnButtonMeetingsRSS" />\n'
            f"    </div>\n</div>\n")


def short_date(m: Meeting) -> str:  # "9 Jul 2026 11:00"
    return f"{m.day.day} {m.day:%b %Y} {m.start}"


def list_view_html(meetings: list[Meeting], root: str) -> str:
    rows = []
    for i, m in enumerate(meetings):
        css = "rgRow" if i % 2 == 0 else "rgAltRow"
        ctl = f"dnn_ctr{MODULE_ID}_MeetingCalendarPublicList_grdRadMeeting_ctl00"
        rows.append(
            f'            <tr class="{css}" id="{ctl}__{i}">\n                <td class="DateColumn">\n'
            f'                    <a id="{ctl}_ctl{4 + 2 * i:02d}_lnkMeeting" title="Click to view: {_e(m.committee)} - '
            f'{short_date(m)} : {m.start}" href="{root}{m.path(True)}">{short_date(m)} - {_e(m.committee)}</a>\n'
            f"                </td><td>{_e(m.venue)}</td>\n            </tr>\n")
    return (f'<div class="CMIS_ModuleWrapper CM_ModuleWrapper MeetingCalendarListView">\n'
            f'    <table id="dnn_ctr{MODULE_ID}_MeetingCalendarPublicList_grdRadMeeting_ctl00" '
            f'style="width:100%;table-layout:auto;empty-cells:show;">\n'
            f"        <colgroup>\n            <col />\n            <col />\n        </colgroup>\n"
            f'        <thead>\n            <tr>\n                <th scope="col" class="DateColumn rgHeader">Date/Start Time'
            f'</th><th scope="col" class="rgHeader">Venue</th>\n            </tr>\n        </thead>\n'
            f"        <tbody>\n{''.join(rows)}        </tbody>\n    </table>\n</div>\n")


def month_html(month: dt.date, meetings: list[Meeting], root: str) -> str:
    rows = []
    for d in range(1, calendar.monthrange(month.year, month.month)[1] + 1):
        day = month.replace(day=d)
        css = "rgRow" if d % 2 else "rgAltRow"
        entries = "".join(
            f'    <p class="Meeting">\n      <a href="{root}{m.path(True)}">{m.start} {_e(m.committee)}</a>\n    </p>\n'
            for m in sorted((m for m in meetings if m.day == day), key=lambda m: m.start))
        rows.append(f'<tr class="{css}" id="dnn_ctr{MODULE_ID}_MeetingCalendarPublicPrinter_grdRadMeeting_ctl00__{d - 1}">\n'
                    f'  <td class="SimpleCalendarDate">{day:%A}, {d} {day:%B}</td>\n'
                    f"  <td>{chr(10) + entries + '  ' if entries else ''}</td>\n</tr>\n")
    return (f'<div class="DNNModuleContent ModCMISMeetingsC">\n<table class="rgMasterTable" '
            f'id="dnn_ctr{MODULE_ID}_MeetingCalendarPublicPrinter_grdRadMeeting_ctl00">\n{"".join(rows)}</table>\n</div>\n')


def _holder(label: str, css: str, value: str, inner: str = "") -> str:
    return (f'  <div class="holder">\n    <div class="DNNLabel {css}Label"><div class="dnnLabel"><label><span>{label}:'
            f'</span></label></div></div>\n    <div class="Value {css}">{value}</div>\n{inner}  </div>\n')


def summary_html(m: Meeting, root: str, links: list[tuple[Paper, str]]) -> str:
    venue = (f'<a href="{root.replace("https://", "http://")}Meetings/tabid/{TAB_ID}/ctl/MeetingVenueDetails/mid/'
             f'{MODULE_ID}/VenueID/13/Default.aspx">{_e(m.venue)}</a>')
    # As on the real page: the Status holder wraps the Venue holder, and both values are "Value Venue".
    status = _holder("Status", "Venue", _e(m.status), _holder("Venue", "Venue", venue))
    docs = "".join(f'    <li class="DocumentListItem">\n      <a class="TitleLink" href="{href}">{_e(p.title)}</a>\n'
                   f"    </li>\n" for p, href in links if p.on_summary)
    doc_list = f'  <ul class="DocumentList CmisDocumentList">\n{docs}  </ul>\n' if docs else ""
    return (f'<div class="DNNModuleContent ModCMISMeetingsC">\n  <h1>Meeting Details</h1>\n'
            f'{_holder("Committee", "Committee", _e(m.committee))}'
            f'{_holder("Date/Time", "DateTime", f"{m.day.day} {m.day:%b %Y} - {m.time}")}{status}{doc_list}</div>\n')


def size_text(body: bytes) -> str:  # "(156Kb)", "(2Mb)"
    return f"({max(1, len(body) // 1024)}Kb)" if len(body) < 1024 * 1024 else f"({len(body) // (1024 * 1024)}Mb)"


def documents_html(links: list[tuple[Paper, str]]) -> str:
    ctl = f"dnn_ctr{MODULE_ID}_ViewMeetingPublic_cmisPdfDocuments"
    items = "".join(
        f'            <li class="DocumentListItem">\n                <img class="FileTypeImage" '
        f'src="/Birmingham/images/FileManager/Icons/pdf.gif" alt="pdf" />\n'
        f'                <a id="{ctl}_rptDocuments_linkTitle_{i}" title="Click to view {_e(repr(p.title))}" '
        f'class="TitleLink" href="{href}" target="_blank">{_e(p.title)}</a>\n'
        f'                <span class="FileSize">{size_text(p.body)}</span>\n            </li>\n'
        for i, (p, href) in enumerate(links))
    return (f'<div class="DNNModuleContent ModCMISMeetingsC">\n    <div id="{ctl}_pnlDocuments" class="CmisDocumentList">\n'
            f'        <ol class="DocumentList">\n{items}        </ol>\n    </div>\n</div>\n')


# --------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------

CALENDAR_RE = re.compile(rf"^meetings/tabid/{TAB_ID}/ctl/meetingcalendarpublicnojava/mid/{MODULE_ID}"
                         r"/date/(\d{4})-(\d{2})-(\d{2})/default\.aspx$")
MEETING_RE = re.compile(rf"^meetings/tabid/{TAB_ID}/ctl/viewmeetingpublic/mid/{MODULE_ID}/meeting/(\d+)"
                        r"/committee/(\d+)/(selectedtab/documents/)?default\.aspx$")


class CmisSite:
    prefix = PREFIX
    source_ids = (SOURCE_ID,)

    def __init__(self) -> None:
        self.panel = _panel_meetings()
        days = [m.day for m in self.panel]
        self.meetings = {m.meeting_id: m for m in self.panel + _other_meetings(min(days), max(days))}
        self.link_salt = 0  # rotate_links() changes every document link

    # -- test hooks ---------------------------------------------------------------------
    def rotate_links(self) -> None:
        """Every document link changes (new tokens), the papers do not."""
        self.link_salt += 1

    def republish(self, meeting_id: int, title: str) -> str:
        """New bytes for a paper (a corrected upload). Returns their SHA-256."""
        paper = next(p for p in self.meetings[meeting_id].papers if p.title == title)
        paper.body += b"\n% republished by the council\n"  # after %%EOF: readers ignore it
        paper.published = LATE_DATE
        return hashlib.sha256(paper.body).hexdigest()

    # -- links ----------------------------------------------------------------------------
    def _token(self, meeting: Meeting, index: int, part: int) -> str:
        digest = hashlib.sha256(f"{self.link_salt}:{meeting.meeting_id}:{index}:{part}".encode()).digest()
        return base64.b64encode(digest[:18 + part * 6]).decode()

    def document_href(self, meeting: Meeting, index: int) -> str:
        """Root-relative, ``Document.ashx`` or ``document.ashx`` (the real site's case varies)."""
        name = "Document.ashx" if index % 2 == 0 else "document.ashx"
        pairs = "&".join(f"{quote(key)}={quote(self._token(meeting, index, n), safe='')}"
                         for n, key in enumerate(LINK_KEYS))
        return f"/{PREFIX}/{name}?{pairs}"

    def _links(self, m: Meeting) -> list[tuple[Paper, str]]:
        return [(p, html.escape(self.document_href(m, i))) for i, p in enumerate(m.papers)]

    # -- manifest ---------------------------------------------------------------------------
    def manifest(self) -> dict:
        """Ground truth for tests: the panel's meetings in date order with their papers."""
        return {"meetings": [self._manifest_meeting(m) for m in sorted(self.panel, key=lambda m: m.day)]}

    def _manifest_meeting(self, m: Meeting) -> dict:
        held = m.status != "Cancelled" and m.day < SITE_TODAY
        return {"source_id": SOURCE_ID, "key": str(m.meeting_id), "meeting_date": m.day.isoformat(),
                "status": "cancelled" if m.status == "Cancelled" else "held" if held else "scheduled",
                "start_time": m.start, "location": m.venue, "url_path": m.path(),
                "documents": [{"title": p.title, "kind": p.kind, "sha256": hashlib.sha256(p.body).hexdigest(),
                               "published_date": p.published.isoformat()} for p in m.papers]}

    # -- routing ----------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        low = request.path.lower()
        root = f"http://{request.headers.get('host', '127.0.0.1')}/{PREFIX}/"
        if low == "meetings.aspx":
            if request.query.get("ctl", "").lower() == "meetingcalendarlistview":
                return self._list_view(root)
            return Response(200, page("Meetings", entry_html()))
        if low == "document.ashx":
            return self._document(request)
        m = CALENDAR_RE.match(low)
        if m:
            return self._month(int(m[1]), int(m[2]), root)
        m = MEETING_RE.match(low)
        if m:
            return self._meeting_page(int(m[1]), int(m[2]), bool(m[3]), root)
        return not_found()

    def _list_view(self, root: str) -> Response:
        shown = sorted((m for m in self.meetings.values()
                        if (m.day.year, m.day.month) == (SITE_TODAY.year, SITE_TODAY.month)),
                       key=lambda m: (m.day, m.start))
        return Response(200, page("Meetings", list_view_html(shown, root)))

    def _month(self, year: int, month: int, root: str) -> Response:
        try:
            first = dt.date(year, month, 1)
        except ValueError:
            return Response(500, b"<html><body>An error has occurred.</body></html>")
        shown = [m for m in self.meetings.values() if (m.day.year, m.day.month) == (year, month)]
        return Response(200, page("Meetings", month_html(first, shown, root)))

    def _meeting_page(self, meeting_id: int, committee_id: int, documents_tab: bool, root: str) -> Response:
        m = self.meetings.get(meeting_id)
        if m is None or m.committee_id != committee_id:
            return Response(200, page("Meetings", '<div class="DNNModuleContent ModCMISMeetingsC"></div>\n'))
        title = f"{m.committee}, {m.day.day} {m.day:%b %Y} - {m.time}, {m.status}"
        links = self._links(m)
        body = documents_html(links) if documents_tab else summary_html(m, root, links)
        return Response(200, page(title, body))

    def _document(self, request: Request) -> Response:
        wanted = [request.query.get(k.lower(), "") for k in LINK_KEYS]
        for m in self.meetings.values():
            for i, p in enumerate(m.papers):
                if wanted == [self._token(m, i, n) for n in range(len(LINK_KEYS))]:
                    return static_response(request, p.body, PDF, http_date(p.published))
        return Response(404, b"<html><body>The document could not be found.</body></html>")
