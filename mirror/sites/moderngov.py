"""Replica of Worcestershire County Council's ModernGov site for committee 147, the West
Mercia Police and Crime Panel (``worcestershire.moderngov.co.uk``).

Built from ``shared/sources.md`` section 2 and the real ModernGov captures in
``tests/fixtures/moderngov_real/`` (Manchester web-service XML, LGSF page fragments), with the
committee, council and people swapped for West Mercia's. What it serves, under the prefix
``worcestershire-moderngov``:

* ``mgWebService.asmx/GetCommittees | GetMeetings | GetMeeting | GetAllMeetingsByDate`` (HTTP GET),
  XML shaped like the real captures: counts with a leading space, ``dd/mm/yyyy`` dates, escaped
  HTML bodies, titles double-escaped (``&`` arrives as ``&amp;amp;``), ``<url>`` pointing at
  ``mgConvert2PDF.aspx?ID=<attachmentid>``. A ``sFromDate`` that is not ``dd/mm/yyyy`` makes the
  service ignore the window and return the whole history (reported behaviour).
* ``ieListMeetings.aspx?CId=147&Year=0`` (also ``CommitteeId=``), ``ieListDocuments.aspx?CId=147&MId=…``
  (also ``MID=`` / ``MeetingId=``, ``&Ver=4`` optional) in both renderings of sources.md section 2.2:
  numbered minutes with ``Minutes:`` labels (2021 on) and the 2018-2020 rendering without numbers.
* ``documents/s<id>/<Title>.pdf`` (literal spaces), ``documents/g<MId>/<Kind> <DDth-Mon-YYYY> <HH.MM>
  West Mercia Police and Crime Panel.pdf?T=n`` and ``mgConvert2PDF.aspx?ID=<id>``, all through
  ``static_response`` (ETag, fixed Last-Modified, 304).

Meetings held (MIds deliberately not chronological, as on the real site):

=====  ==========  ==========================================================================
MId    date        what
=====  ==========  ==========================================================================
2820   2019-06-18  held, "Agenda and minutes", 2018-2020 rendering
2825   2019-09-10  held, "Agenda and draft minutes"; printed minutes = the REAL minutes PDF
                   (corpus 003_eec2d70e111a21ed, copied to moderngov_data/)
2823   2019-11-18  held; its "Confirmation of the Minutes" item carries the same real PDF under
                   another URL; one attachment published after the meeting (25/11/2019)
3265   2020-03-24  CANCELLED, no documents
7165   2023-10-30  held, numbered minutes 486-491
5707   2023-11-17  held, numbered minutes 494-498, Wyre Forest House
8410   2026-10-14  held, agenda only until ``publish_late_minutes()`` adds draft minutes
8409   2027-02-03  scheduled (after the site's "today", 2026-11-23), no papers
=====  ==========  ==========================================================================

A second committee, the Budget Task Group (CId 412, MIds 8433 held with minutes and 8436 agenda
only, January 2026), is INVENTED: it is what ``scrutiny sources add`` finds through GetCommittees
and adds; ``manifest()`` is the panel's unless asked for another committee.

Real (from sources.md 2.7): MIds 2820, 2825, 7165, 5707 and their dates; the 2825 minutes PDF,
its item titles, minute numbers 305-314 and attendance; venues and contacts named there.
INVENTED (marked so that nobody mistakes them for evidence): MIds 2823, 3265, 8410, 8409 and their
dates; the 30 Oct 2023 and 17 Nov 2023 item lists beyond their minute numbers; every attachment
id / ``sNNNNN`` number (the replica assumes the ``s`` number is the attachment id, INFERRED);
every PDF except the 2825 minutes (small generated PDFs that say they are generated); the
ieListMeetings ``Year=`` semantics (calendar year; ``Year=0`` = the last two years and the future);
the other committees in GetCommittees; attendance of meetings other than 2825.

Everything is deterministic: no clock, fixed publication dates and Last-Modified headers.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass, field
from email.utils import formatdate
from pathlib import Path
from xml.sax.saxutils import escape as xml_escape

from mirror.pdf import text_pdf
from mirror.server import Request, Response, not_found, static_response

DATA_DIR = Path(__file__).resolve().parent / "moderngov_data"
SITE_TODAY = dt.date(2026, 11, 23)  # the replica's fixed "now": decides held vs scheduled
COMMITTEE_ID = 147
COMMITTEE = "West Mercia Police and Crime Panel"
# A second committee, so that `scrutiny sources add` has one to add: INVENTED (id, title, meetings).
TASK_GROUP_ID = 412
TASK_GROUP = "West Mercia Police and Crime Panel Budget Task Group"
COMMITTEES = {COMMITTEE_ID: COMMITTEE, TASK_GROUP_ID: TASK_GROUP}
LATE_DATE = dt.date(2026, 11, 20)  # publication date of late minutes and re-published papers

# --------------------------------------------------------------------------------------
# Small generated PDFs
# --------------------------------------------------------------------------------------


def generated(title: str, day: dt.date, *extra: str, committee: str = COMMITTEE) -> bytes:
    return text_pdf([committee, long_date(day), "", title, *extra, "",
                            "Generated by the scrutiny offline mirror: invented placeholder content."], title=title, font_size=11)


# --------------------------------------------------------------------------------------
# Date formats used by ModernGov
# --------------------------------------------------------------------------------------


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def long_date(day: dt.date) -> str:  # "Tuesday, 10 September 2019" (front pages, prose)
    return f"{day:%A}, {day.day} {day:%B %Y}"


def heading_date(day: dt.date, time: str) -> str:  # "Tuesday, 10th September, 2019 11.00 am"
    return f"{day:%A}, {ordinal(day.day)} {day:%B}, {day.year} {time}"


def gdoc_stamp(day: dt.date, time: str) -> str:  # "10th-Sep-2019 11.00" (24-hour clock)
    clock, ampm = time.split()
    hh, mm = (int(x) for x in clock.split("."))
    hh = hh % 12 + (12 if ampm == "pm" else 0)
    return f"{ordinal(day.day)}-{day:%b}-{day.year} {hh:02d}.{mm:02d}"


def dmy(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def http_date(day: dt.date) -> str:
    stamp = dt.datetime(day.year, day.month, day.day, 9, 0, tzinfo=dt.timezone.utc).timestamp()
    return formatdate(stamp, usegmt=True)


# --------------------------------------------------------------------------------------
# The data model
# --------------------------------------------------------------------------------------


@dataclass
class Doc:
    """An item document: ``documents/s<id>/<title>.pdf`` and ``mgConvert2PDF.aspx?ID=<id>``."""

    doc_id: int
    title: str
    published: dt.date
    body: bytes
    kind: str

    @property
    def path(self) -> str:
        return f"documents/s{self.doc_id}/{self.title}.pdf"

    @property
    def ws_path(self) -> str:
        return f"mgConvert2PDF.aspx?ID={self.doc_id}"


@dataclass
class MeetingDoc:
    """A meeting-level document under ``documents/g<MId>/`` (frontsheet, reports pack, minutes)."""

    label: str  # "Agenda frontsheet" | "Public reports pack" | "Printed minutes"
    t: int
    body: bytes
    kind: str
    published: dt.date


@dataclass
class Item:
    title: str
    minute_no: int | None
    agenda_html: str = ""
    minutes_html: str = ""
    docs: list[Doc] = field(default_factory=list)


@dataclass
class Meeting:
    mid: int
    day: dt.date
    time: str  # "10.00 am", as ModernGov writes it
    venue: str
    contact: str
    rendering: str  # "numbered" (2016-17, 2021 on) or "plain" (2018-2020)
    status: str = "Confirmed"  # or "Cancelled"
    items: list[Item] = field(default_factory=list)
    gdocs: list[MeetingDoc] = field(default_factory=list)
    minutes_published: bool = False
    draft: bool = False
    attendees: list[tuple[str, str, str]] = field(default_factory=list)  # name, role, attendance
    mid_param: str = "MId"  # how the meeting list spells the parameter (MID on some links)
    committee_id: int = COMMITTEE_ID

    @property
    def committee(self) -> str:
        return COMMITTEES[self.committee_id]

    @property
    def cancelled(self) -> bool:
        return self.status == "Cancelled"

    @property
    def agenda_published(self) -> bool:
        return bool(self.items) and not self.cancelled

    @property
    def label(self) -> str:
        if not self.agenda_published:
            return "Meeting"
        if not self.minutes_published:
            return "Agenda"
        return "Agenda and draft minutes" if self.draft else "Agenda and minutes"

    def gdoc_path(self, g: MeetingDoc) -> str:
        return f"documents/g{self.mid}/{g.label} {gdoc_stamp(self.day, self.time)} {self.committee}.pdf?T={g.t}"

    @property
    def manifest_status(self) -> str:
        if self.cancelled:
            return "cancelled"
        return "held" if self.day < SITE_TODAY else "scheduled"


# --------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------


def _p(*paras: str) -> str:
    """Word-generated HTML as ModernGov stores it; text is HTML-escaped once here."""
    return "".join(f'<p class="MsoNormal">{html.escape(t, quote=False)}</p>\n' for t in paras)


def _doc(doc_id: int, title: str, published: dt.date, day: dt.date, kind: str = "report",
         body: bytes | None = None) -> Doc:
    return Doc(doc_id, title, published, body if body is not None else generated(title, day), kind)


def _standard_gdocs(day: dt.date, agenda_on: dt.date, minutes_on: dt.date | None,
                    minutes_body: bytes | None = None) -> list[MeetingDoc]:
    docs = [MeetingDoc("Agenda frontsheet", 0, generated("Agenda", day), "agenda", agenda_on),
            MeetingDoc("Public reports pack", 10, generated("Public reports pack", day, "Agenda and reports"),
                       "pack", agenda_on)]
    if minutes_on:
        body = minutes_body or generated("Minutes", day, "Present: see attendance details.")
        docs.append(MeetingDoc("Printed minutes", 1, body, "minutes", minutes_on))
    return docs


def _panel_2019(names: list[str], role: str, attendance: str) -> list[tuple[str, str, str]]:
    return [(n, role, attendance) for n in names]


ATTENDEES_2825 = (
    [("Mr S J Mackay", "Chairman", "Present")]
    + _panel_2019(["Mr R C Adams", "Mr S Bowen", "Mrs C Clive", "Mr R Evans", "Mr A D Kent", "Mr J Grubb",
                   "Mr J Lavery", "Mr W Parr", "Mr K Sahota"], "Committee Member", "Present")
    + _panel_2019(["Councillor Barry Durkin", "Councillor Jabba Riaz", "Councillor Peter Whatley",
                   "Councillor Michael Wood"], "Committee Member", "Apologies")
    + [("John Champion", "West Mercia Police & Crime Commissioner", "In attendance"),
       ("Tracey Onslow", "Deputy Police and Crime Commissioner", "In attendance"),
       ("Andy Champness", "Chief Executive, Office of the PCC", "In attendance")]
)

ATTENDEES_GENERIC = [("Mr S J Mackay", "Chairman", "Present"),
                     ("Mr R C Adams", "Committee Member", "Present"),
                     ("Mrs C Clive", "Committee Member", "Apologies")]


def meeting_2820(minutes_2820: bytes) -> Meeting:
    day = dt.date(2019, 6, 18)
    m = Meeting(2820, day, "10.00 am", "County Hall, Worcester",
                "Sheena Jones  Democratic Governance and Scrutiny Manager", "plain",
                minutes_published=True, attendees=ATTENDEES_GENERIC)
    pub = dt.date(2019, 6, 10)
    m.items = [
        Item("Named Substitutes", 295, _p("To receive details of any named substitutes."), _p("None.")),
        Item("Apologies and Declarations of Interest", 296, _p("To receive any apologies."),
             _p("Apologies were received from Mrs C Clive.")),
        Item("Appointment of Co-opted Members", 297, _p("To appoint the co-opted members of the Panel."),
             _p("The Panel agreed the appointment of the independent co-opted members."),
             [_doc(24873, "Appointment of Co-opted Members", pub, day)]),
        Item("Panel Work Programme", 298, _p("To consider the Panel's work programme."),
             _p("The work programme was agreed."),
             [_doc(24876, "Panel Work Programme 2019-20", pub, day)]),
    ]
    m.gdocs = _standard_gdocs(day, pub, dt.date(2019, 6, 27), minutes_2820)
    return m


def meeting_2825(minutes_2820: bytes, minutes_2825: bytes) -> Meeting:
    day = dt.date(2019, 9, 10)
    m = Meeting(2825, day, "11.00 am", "County Hall, Worcester",
                "Sheena Jones  Democratic Governance and Scrutiny Manager", "plain",
                minutes_published=True, draft=True, attendees=ATTENDEES_2825)
    pub = dt.date(2019, 9, 2)
    m.items = [
        Item("Welcome and Introductions", 305, "",
             _p("The Chairman welcomed everyone to the meeting.")),
        Item("Named Substitutes", 306, _p("To receive details of any named substitutes."), _p("None.")),
        Item("Apologies and Declarations of Interest", 307, _p("To receive any apologies."),
             _p("Apologies were received from Councillors Barry Durkin, Jabba Riaz, Peter Whatley and"
                " Michael Wood.")),
        Item("Public Participation", 308, _p("Members of the public wishing to take part should notify the"
                                             " Head of Legal and Democratic Services."), _p("None.")),
        Item("Confirmation of the Minutes of the previous meeting", 309,
             _p("To confirm the Minutes of the Panel meeting held on 18 June 2019."),
             _p("The Minutes of the meeting held on 18 June 2019 were agreed as a correct record and"
                " signed by the Chairman."),
             [_doc(25512, "Minutes 18 June 2019", pub, day, "minutes", minutes_2820)]),
        Item("Serious and Organised Crime Strategy Consultation", 310,
             _p("To consider the draft Serious and Organised Crime Strategy."),
             _p("The Police and Crime Commissioner (PCC) introduced the draft Serious and Organised Crime"
                " (SOC) Strategy."),
             [_doc(25513, "SOC Strategy Panel report", pub, day),
              _doc(25514, "Appendix 1 - Draft SOC Strategy", pub, day)]),
        Item("Rural Crime", 311, _p("To receive a report on rural crime."),
             _p("The Panel received a report summarising the PCC's work in relation to rural crime."),
             [_doc(25515, "Rural Crime report", pub, day)]),
        Item("Victim Advice Line", 312, _p("To receive an update on the Victim Advice Line."),
             _p("The Panel had requested an update on the Victim Advice Line (VAL) which went live in"
                " April 2019."),
             [_doc(25516, "Victim Advice Line update", pub, day)]),
        Item("Police Crime Plan Activity and Performance Monitoring", 313,
             _p("To consider the Police and Crime Plan Activity and Performance Monitoring Report."),
             _p("The Panel was invited to consider the Police and Crime Plan Activity & Performance"
                " Monitoring Report for April-June 2019."),
             [_doc(25517, "Activity & Performance Monitoring Report Q1 2019-20", pub, day)]),
        Item("Panel Work Programme", 314, _p("To consider the Panel's work programme."),
             _p("The work programme was noted."),
             [_doc(25518, "Panel Work Programme September 2019", pub, day)]),
    ]
    m.gdocs = _standard_gdocs(day, pub, dt.date(2019, 9, 19), minutes_2825)
    return m


def meeting_2823(minutes_2825: bytes) -> Meeting:
    day = dt.date(2019, 11, 18)
    m = Meeting(2823, day, "10.00 am", "County Hall, Worcester",
                "Sheena Jones  Democratic Governance and Scrutiny Manager", "plain",
                minutes_published=True, attendees=ATTENDEES_GENERIC)
    pub = dt.date(2019, 11, 8)
    m.items = [
        Item("Named Substitutes", 315, _p("To receive details of any named substitutes."), _p("None.")),
        Item("Confirmation of the Minutes of the previous meeting", 316,
             _p("To confirm the Minutes of the Panel meeting held on 10 September 2019."),
             _p("The Minutes of the meeting held on 10 September 2019 were agreed as a correct record."),
             [_doc(26104, "Minutes 10 September 2019", pub, day, "minutes", minutes_2825)]),
        Item("Rural Crime Strategy Consultation Responses", 317,
             _p("To receive the responses to the draft Rural Crime Strategy consultation."),
             _p("The Panel noted the consultation responses."),
             [_doc(26105, "Rural Crime Strategy Consultation Responses", pub, day),
              # Slides shown at the meeting and uploaded a week later: publicationdate > meeting date.
              _doc(26240, "Rural Crime Strategy - Presentation slides", dt.date(2019, 11, 25), day)]),
        Item("Panel Work Programme", 318, _p("To consider the Panel's work programme."),
             _p("The work programme was agreed."),
             [_doc(26106, "Panel Work Programme November 2019", pub, day)]),
    ]
    m.gdocs = _standard_gdocs(day, pub, dt.date(2019, 11, 29))
    return m


def meeting_3265() -> Meeting:
    return Meeting(3265, dt.date(2020, 3, 24), "10.00 am", "County Hall, Worcester",
                   "Sheena Jones  Democratic Governance and Scrutiny Manager", "plain", status="Cancelled",
                   attendees=[(n, r, "Expected") for n, r, _ in ATTENDEES_GENERIC], mid_param="MID")


def meeting_7165() -> Meeting:
    day = dt.date(2023, 10, 30)
    m = Meeting(7165, day, "10.00 am", "County Hall, Worcester",
                "Samantha Morris  Scrutiny Co-ordinator", "numbered",
                minutes_published=True, attendees=ATTENDEES_GENERIC)
    pub = dt.date(2023, 10, 20)
    m.items = [
        Item("Apologies and Named Substitutes", 486, _p("To receive any apologies."), _p("None.")),
        Item("Declarations of Interest", 487, _p("To invite any declarations of interest."), _p("None.")),
        Item("Public Participation", 488, _p("To receive any public participation."), _p("None.")),
        Item("Confirmation of the Minutes of the previous meeting", 489,
             _p("To confirm the Minutes of the Panel meeting held on 27 July 2023."),
             _p("The Minutes of the meeting held on 27 July 2023 were agreed as a correct record."),
             [_doc(45610, "Minutes 27 July 2023", pub, day, "minutes")]),
        Item("Police and Crime Commissioner's Annual Report 2022/23", 490,
             _p("To consider the Police and Crime Commissioner's Annual Report."),
             _p("The Panel considered the PCC's Annual Report 2022/23 and made recommendations."),
             [_doc(45611, "PCC Annual Report 2022-23 cover report", pub, day),
              _doc(45612, "Appendix - PCC Annual Report 2022-23", pub, day)]),
        Item("Work Programme 2023-24", 491, _p("To consider the work programme."),
             _p("The work programme was noted."),
             [_doc(45613, "Work Programme 2023-24", pub, day)]),
    ]
    m.gdocs = _standard_gdocs(day, pub, dt.date(2023, 11, 8))
    return m


def meeting_5707(minutes_7165: bytes) -> Meeting:
    day = dt.date(2023, 11, 17)
    m = Meeting(5707, day, "10.00 am", "Wyre Forest House, Kidderminster",
                "Samantha Morris  Scrutiny Co-ordinator", "numbered",
                minutes_published=True, attendees=ATTENDEES_GENERIC)
    pub = dt.date(2023, 11, 9)
    m.items = [
        Item("Apologies and Named Substitutes", 494, _p("To receive any apologies."), _p("None.")),
        Item("Declarations of Interest", 495, _p("To invite any declarations of interest."), _p("None.")),
        Item("Public Participation", 496, _p("To receive any public participation."), _p("None.")),
        Item("Confirmation of the Minutes of the previous meeting", 497,
             _p("To confirm the Minutes of the Panel meeting held on 30 October 2023."),
             _p("The Minutes of the meeting held on 30 October 2023 were agreed as a correct record."),
             [_doc(45790, "Minutes 30 October 2023", pub, day, "minutes", minutes_7165)]),
        Item("Safer West Mercia Plan Activity & Performance Monitoring Report", 498,
             _p("To consider the Safer West Mercia Plan Activity & Performance Monitoring Report."),
             _p("The Panel noted the report."),
             [_doc(45791, "Safer West Mercia Plan Activity & Performance Report Q2", pub, day)]),
    ]
    m.gdocs = _standard_gdocs(day, pub, dt.date(2023, 11, 28))
    return m


def meeting_8410() -> Meeting:
    day = dt.date(2026, 10, 14)
    m = Meeting(8410, day, "10.00 am", "County Hall, Worcester",
                "Samantha Morris  Scrutiny Co-ordinator", "numbered", attendees=ATTENDEES_GENERIC)
    pub = dt.date(2026, 10, 6)
    m.items = [
        Item("Apologies and Named Substitutes", 561, _p("To receive any apologies.")),
        Item("Declarations of Interest", 562, _p("To invite any declarations of interest.")),
        Item("Confirmation of the Minutes of the previous meeting", 563,
             _p("To confirm the Minutes of the Panel meeting held on 15 July 2026."),
             docs=[_doc(61520, "Minutes 15 July 2026", pub, day, "minutes")]),
        Item("Police and Crime Commissioner's Annual Report 2025/26", 564,
             _p("To consider the Police and Crime Commissioner's Annual Report."),
             docs=[_doc(61521, "PCC Annual Report 2025-26", pub, day)]),
    ]
    m.gdocs = _standard_gdocs(day, pub, None)
    return m


def meeting_8409() -> Meeting:
    return Meeting(8409, dt.date(2027, 2, 3), "10.00 am", "County Hall, Worcester",
                   "Samantha Morris  Scrutiny Co-ordinator", "numbered",
                   attendees=[(n, r, "Expected") for n, r, _ in ATTENDEES_GENERIC])


def task_group_meetings() -> list[Meeting]:
    """The Budget Task Group (INVENTED): one meeting with minutes, one with its agenda only."""
    held, next_one = dt.date(2026, 1, 19), dt.date(2026, 1, 29)
    contact = "Samantha Morris  Scrutiny Co-ordinator"
    first = Meeting(8433, held, "2.00 pm", "County Hall, Worcester", contact, "numbered",
                    minutes_published=True, attendees=ATTENDEES_GENERIC, committee_id=TASK_GROUP_ID)
    pub = dt.date(2026, 1, 12)
    paper = generated("Proposed precept 2026-27: briefing for the Task Group", held, committee=TASK_GROUP)
    first.items = [
        Item("Apologies", 1, _p("To receive any apologies."), _p("None.")),
        Item("Proposed Precept 2026/27", 2, _p("To consider the Commissioner's proposed precept."),
             _p("The Task Group agreed to recommend that the Panel support the proposed precept."),
             [_doc(61701, "Proposed Precept 2026-27 briefing", pub, held, body=paper)]),
    ]
    first.gdocs = [MeetingDoc("Agenda frontsheet", 0, generated("Agenda", held, committee=TASK_GROUP), "agenda", pub),
                   MeetingDoc("Printed minutes", 1, generated("Minutes", held, "Present: see attendance details.",
                                                             committee=TASK_GROUP), "minutes", dt.date(2026, 1, 23))]
    second = Meeting(8436, next_one, "2.00 pm", "County Hall, Worcester", contact, "numbered",
                     attendees=ATTENDEES_GENERIC, committee_id=TASK_GROUP_ID)
    second.items = [Item("Precept scrutiny: draft report to the Panel", 1, _p("To agree the draft report."))]
    second.gdocs = [MeetingDoc("Agenda frontsheet", 0, generated("Agenda", next_one, committee=TASK_GROUP),
                               "agenda", dt.date(2026, 1, 21))]
    return [first, second]


def build_meetings() -> dict[int, Meeting]:
    minutes_2825 = (DATA_DIR / "printed_minutes_g2825_2019-09-10.pdf").read_bytes()
    minutes_2820 = generated("Minutes", dt.date(2019, 6, 18), "Present: see attendance details.")
    minutes_7165 = generated("Minutes", dt.date(2023, 10, 30), "Present: see attendance details.")
    meetings = [meeting_2820(minutes_2820), meeting_2825(minutes_2820, minutes_2825),
                meeting_2823(minutes_2825), meeting_3265(), meeting_7165(), meeting_5707(minutes_7165),
                meeting_8410(), meeting_8409(), *task_group_meetings()]
    meetings[4].gdocs[-1].body = minutes_7165  # 7165's printed minutes = 5707's confirmation item
    return {m.mid: m for m in meetings}


# --------------------------------------------------------------------------------------
# Escaping as ModernGov does it
# --------------------------------------------------------------------------------------

_MG_ENTITIES = {"&": "&#38;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;",
                "(": "&#40;", ")": "&#41;", ":": "&#58;", "/": "&#47;"}


def mg_text(s: str) -> str:
    """Text nodes: ModernGov writes ( ) : & ' / as numeric entities (dates come out 10&#47;09&#47;2019)."""
    return "".join(_MG_ENTITIES.get(c, c) for c in s)


def mg_attr(s: str) -> str:
    """title="" attributes: as text, plus spaces as &#32;."""
    return mg_text(s).replace(" ", "&#32;")


def ws_text(s: str) -> str:
    """Web-service text: HTML-escaped by ModernGov, then XML-escaped again: & -> &amp;amp;."""
    return xml_escape(html.escape(s, quote=False).replace("'", "&#39;"))


def kb(body: bytes) -> str:
    size = len(body)
    return f"{max(1, size // 1024)} KB" if size < 1024 * 1024 else f"{size // (1024 * 1024)} MB"


# --------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------

XML = "text/xml; charset=utf-8"
PDF = "application/pdf"


class ModernGovSite:
    prefix = "worcestershire-moderngov"
    source_ids = ("westmercia-pcp",)

    def __init__(self) -> None:
        self.meetings = build_meetings()
        self.web_service_status: int | None = None  # e.g. 500 or 404: the service is broken
        self.ignore_ws_window = False  # answer GetMeetings with the whole history (Lambeth quirk)
        self._revisions: dict[str, int] = {}

    # -- test hooks ---------------------------------------------------------------------
    def publish_late_minutes(self) -> str:
        """Draft minutes for 14 Oct 2026 (MId 8410) appear on 20 Nov 2026. Returns their path."""
        m = self.meetings[8410]
        if not m.minutes_published:
            m.minutes_published, m.draft = True, True
            for it in m.items:
                it.minutes_html = _p(f"The Panel considered: {it.title}.")
            body = generated("Minutes", m.day, "Draft minutes, subject to confirmation.")
            m.gdocs.append(MeetingDoc("Printed minutes", 1, body, "minutes", LATE_DATE))
        return m.gdoc_path(m.gdocs[-1])

    def republish(self, path: str) -> str:
        """Replace the bytes of an existing document (as a council re-uploading a corrected file).
        ``path`` is a manifest path. Returns the new SHA-256."""
        rev = self._revisions[path] = self._revisions.get(path, 0) + 1
        target = self._find(path)
        if target is None:
            raise KeyError(path)
        # Text after %%EOF is ignored by PDF readers but changes the bytes and the ETag.
        target.body = target.body + f"\n% republished by the council, revision {rev}\n".encode()
        target.published = LATE_DATE + dt.timedelta(days=rev - 1)
        return hashlib.sha256(target.body).hexdigest()

    def _find(self, path: str) -> Doc | MeetingDoc | None:
        for m in self.meetings.values():
            for g in m.gdocs:
                if path in (m.gdoc_path(g), m.gdoc_path(g).partition("?")[0]):
                    return g
            for it in m.items:
                for d in it.docs:
                    if path in (d.path, d.ws_path):
                        return d
        return None

    # -- manifest -----------------------------------------------------------------------
    def manifest(self, committee_id: int = COMMITTEE_ID) -> dict:
        """Ground truth for discovery tests, meetings in date order: the panel's (its registry
        source's), or another committee's. A document's ``path`` is the relative URL the meeting
        page links (unquoted; meeting-level papers keep ``?T=n``); ``ws_path`` is the
        ``mgConvert2PDF.aspx?ID=`` URL the web service gives for item papers."""
        meetings = self._in_window(None, committee_id)
        return {"meetings": [self._manifest_meeting(m) for m in meetings]}

    def _manifest_meeting(self, m: Meeting) -> dict:
        docs = [{"path": m.gdoc_path(g), "title": g.label, "kind": g.kind, "attachment_id": None,
                 "ws_path": None, "published_date": None, "sha256": hashlib.sha256(g.body).hexdigest()}
                for g in m.gdocs]
        docs += [{"path": d.path, "title": d.title, "kind": d.kind, "attachment_id": d.doc_id,
                  "ws_path": d.ws_path, "published_date": d.published.isoformat(),
                  "sha256": hashlib.sha256(d.body).hexdigest()}
                 for it in m.items for d in it.docs]
        source_id = self.source_ids[0] if m.committee_id == COMMITTEE_ID else None  # the others: not registered
        return {"source_id": source_id, "key": str(m.mid), "meeting_date": m.day.isoformat(),
                "status": m.manifest_status, "start_time": m.time, "location": m.venue,
                "url_path": f"ieListDocuments.aspx?CId={m.committee_id}&MId={m.mid}&Ver=4",
                "documents": docs}

    # -- routing ------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        path = request.path
        low = path.lower()
        if low.startswith("mgwebservice.asmx/"):
            return self._web_service(path.split("/", 1)[1].lower(), request)
        if low == "ielistmeetings.aspx":
            return self._list_meetings(request)
        if low == "ielistdocuments.aspx":
            return self._list_documents(request)
        if low == "mgconvert2pdf.aspx":
            return self._convert2pdf(request)
        if low.startswith("documents/"):
            return self._document(request)
        return not_found()

    def _meeting_for(self, request: Request) -> Meeting | None:
        raw = request.query.get("mid") or request.query.get("meetingid") or ""
        return self.meetings.get(int(raw)) if raw.isdigit() else None

    # -- documents ----------------------------------------------------------------------
    def _document(self, request: Request) -> Response:
        for m in self.meetings.values():
            for g in m.gdocs:
                if m.gdoc_path(g).partition("?")[0] == request.path:
                    return static_response(request, g.body, PDF, http_date(g.published))
            for it in m.items:
                for d in it.docs:
                    if d.path == request.path:
                        return static_response(request, d.body, PDF, http_date(d.published))
        return not_found()

    def _convert2pdf(self, request: Request) -> Response:
        raw = request.query.get("id", "")
        for m in self.meetings.values():
            for it in m.items:
                for d in it.docs:
                    if str(d.doc_id) == raw:
                        return static_response(request, d.body, PDF, http_date(d.published))
        return Response(500, b"<html><body>Document not found</body></html>")

    # -- web service --------------------------------------------------------------------
    def _web_service(self, op: str, request: Request) -> Response:
        if self.web_service_status:
            return Response(self.web_service_status, b"<html><body>Service unavailable</body></html>")
        q = request.query
        if op == "getcommittees":
            return Response(200, self._ws_committees(), XML)
        if op == "getmeetings":
            cid = q.get("lcommitteeid", "")
            if not cid.isdigit() or int(cid) not in COMMITTEES:
                return Response(200, ws_empty_meetings(), XML)
            return Response(200, self._ws_meetings(self._window(q), int(cid)), XML)
        if op == "getmeeting":
            raw = q.get("lmeetingid", "")
            m = self.meetings.get(int(raw)) if raw.isdigit() else None
            if m is None:
                return Response(500, b"System.ArgumentException: Meeting not found", "text/plain")
            return Response(200, self._ws_meeting(m, request.headers.get("host", "127.0.0.1")), XML)
        if op == "getallmeetingsbydate":
            return Response(200, self._ws_all_by_date(self._window(q), q.get("lcommitteeid", "-1")), XML)
        return Response(500, b"System.InvalidOperationException: Request format is invalid.", "text/plain")

    def _window(self, q: dict[str, str]) -> tuple[dt.date, dt.date] | None:
        """None = no usable window: the service then returns everything (reported behaviour)."""
        if self.ignore_ws_window:
            return None
        try:
            start = dt.datetime.strptime(q.get("sfromdate", ""), "%d/%m/%Y").date()
            end = dt.datetime.strptime(q.get("stodate", ""), "%d/%m/%Y").date()
        except ValueError:
            return None
        return start, end

    def _in_window(self, window: tuple[dt.date, dt.date] | None, committee_id: int | None) -> list[Meeting]:
        """Meetings in the window (None: all), of one committee (None: every committee)."""
        ms = sorted(self.meetings.values(), key=lambda m: m.day)
        return [m for m in ms if (window is None or window[0] <= m.day <= window[1])
                and committee_id in (None, m.committee_id)]

    def _ws_committees(self) -> bytes:
        # Invented neighbours so that the list is not just one committee.
        rows = [(130, "Council", "Council"), (133, "Cabinet", "Cabinet"),
                (COMMITTEE_ID, COMMITTEE, "Joint Committees and Panels"),
                (TASK_GROUP_ID, TASK_GROUP, "Joint Committees and Panels")]
        body = "".join(
            f"  <committee>\n    <committeeid>{cid}</committeeid>\n    <committeetitle>{ws_text(t)}</committeetitle>\n"
            f"    <committeedeleted>False</committeedeleted>\n    <committeeexpired>False</committeeexpired>\n"
            f"    <committeecategory>{ws_text(cat)}</committeecategory>\n  </committee>\n" for cid, t, cat in rows)
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<committees>\n  <committeescount> {len(rows)}'
                f"</committeescount>\n{body}</committees>\n").encode()

    def _ws_meetings(self, window: tuple[dt.date, dt.date] | None, cid: int) -> bytes:
        ms = self._in_window(window, cid)
        rows = "".join(
            f"      <meeting>\n        <meetingid>{m.mid}</meetingid>\n        <meetingdate>{dmy(m.day)}</meetingdate>\n"
            f"        <meetingstatus>{m.status}</meetingstatus>\n        <meetingtime>{m.time}</meetingtime>\n"
            f"        <iswebcast>False</iswebcast>\n      </meeting>\n" for m in ms)
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<getmeetings>\n  <meetingscount> {len(ms)}</meetingscount>\n'
                f"  <committeescount> 1</committeescount>\n  <committee>\n    <committeeid>{cid}</committeeid>\n"
                f"    <committeetitle>{ws_text(COMMITTEES[cid])}</committeetitle>\n"
                f"    <committeemeetingcount> {len(ms)}</committeemeetingcount>\n    <committeemeetings>\n{rows}"
                f"    </committeemeetings>\n  </committee>\n</getmeetings>\n").encode()

    def _ws_all_by_date(self, window: tuple[dt.date, dt.date] | None, committee: str) -> bytes:
        wanted = None if committee == "-1" else int(committee) if committee.isdigit() else -1
        ms = self._in_window(window, wanted)
        rows = "".join(
            f"    <meeting>\n      <meetingid>{m.mid}</meetingid>\n      <meetingdate>{dmy(m.day)}</meetingdate>\n"
            f"      <meetingtime>{m.time}</meetingtime>\n      <meetingstatus>{m.status}</meetingstatus>\n"
            f"      <committeeid>{m.committee_id}</committeeid>\n      <committeetitle>{ws_text(m.committee)}</committeetitle>\n"
            f"    </meeting>\n" for m in ms)
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<getmeetingsbydate>\n  <meetingscount> {len(ms)}</meetingscount>\n'
                f"  <meetings>\n{rows}  </meetings>\n</getmeetingsbydate>\n").encode()

    def _ws_meeting(self, m: Meeting, host: str) -> bytes:
        base = f"http://{host}/{self.prefix}/"
        items = "".join(self._ws_item(m, n, it, base) for n, it in enumerate(m.items, 1))
        people = "".join(
            f'    <attendee membertype="U" memberid="{900 + i}" name="{xml_escape(n, {chr(34): "&quot;"})}" '
            f'roledescription="{xml_escape(r, {chr(34): "&quot;"})}" attendance="{a}" politicalparty="" ward="">\n'
            f"      <url>{base}mgUserInfo.aspx?UID={900 + i}</url>\n    </attendee>\n"
            for i, (n, r, a) in enumerate(m.attendees))
        tf = lambda b: "True" if b else "False"  # noqa: E731
        return (f'<?xml version="1.0" encoding="utf-8"?>\n<meeting>\n  <meetingid>{m.mid}</meetingid>\n'
                f"  <meetingdate>{dmy(m.day)}</meetingdate>\n  <meetingstatus>{m.status}</meetingstatus>\n"
                f"  <isdisplayallowed>True</isdisplayallowed>\n  <meetingtime>{m.time}</meetingtime>\n"
                f"  <meetingactualstarttime>\n  </meetingactualstarttime>\n"
                f"  <meetinglocation>{ws_text(m.venue)}</meetinglocation>\n  <iswebcast>False</iswebcast>\n"
                f"  <agendaid>{m.mid}</agendaid>\n  <agendapublished>{tf(m.agenda_published)}</agendapublished>\n"
                f"  <decisionpublished>False</decisionpublished>\n"
                f"  <minutepublished>{tf(m.minutes_published)}</minutepublished>\n  <meetingroom>\n  </meetingroom>\n"
                f"  <agendaitems>\n{items}  </agendaitems>\n  <attendees>\n{people}  </attendees>\n</meeting>\n").encode()

    def _ws_item(self, m: Meeting, n: int, it: Item, base: str) -> str:
        minutes = it.minutes_html if m.minutes_published else ""
        docs = "".join(
            f"        <linkeddoc>\n          <attachmentid>{d.doc_id}</attachmentid>\n"
            f"          <title>{ws_text(d.title)}</title>\n          <isurl>False</isurl>\n"
            f"          <url>{base}{d.ws_path}</url>\n          <isrestricted>False</isrestricted>\n"
            f"          <itemnum>{k}</itemnum>\n          <publicationdate>{dmy(d.published)}</publicationdate>\n"
            f"          <meetingdate>{dmy(m.day)}</meetingdate>\n          <committeetitle>{ws_text(m.committee)}</committeetitle>\n"
            f"          <ownertitle>{ws_text(it.title)}</ownertitle>\n        </linkeddoc>\n"
            for k, d in enumerate(it.docs, 1))
        number = it.minute_no if m.minutes_published and it.minute_no else ""
        return (f"    <agendaitem>\n      <agendaitemid>{m.mid * 10 + n}</agendaitemid>\n"
                f"      <agendaitemtitle>{ws_text(it.title)}</agendaitemtitle>\n"
                f"      <agendatext>{xml_escape(_word(it.agenda_html))}</agendatext>\n"
                f"      <agendaitemnumber>{n}</agendaitemnumber>\n      <fulldisplaynumberformat>{n}.</fulldisplaynumberformat>\n"
                f"      <minutesnonemptyhtmlbody>{xml_escape(_word(minutes))}</minutesnonemptyhtmlbody>\n"
                f"      <isminutepublished>{'True' if m.minutes_published else 'False'}</isminutepublished>\n"
                f"      <isrestricted>False</isrestricted>\n      <minutesitemnumber>{number}</minutesitemnumber>\n"
                f"      <linkeddocuments>\n{docs}      </linkeddocuments>\n    </agendaitem>\n")

    # -- HTML pages ---------------------------------------------------------------------
    def _list_meetings(self, request: Request) -> Response:
        cid = request.query.get("cid") or request.query.get("committeeid") or ""
        if not cid.isdigit() or int(cid) not in COMMITTEES:
            return Response(200, page("Browse meetings", '<div id="modgov"><p>No meetings found.</p></div>'))
        year = request.query.get("year", "0")
        year_n = int(year) if year.isdigit() else 0
        return Response(200, page(f"Browse meetings - {COMMITTEES[int(cid)]}", self._list_html(year_n, int(cid))))

    def _list_html(self, year: int, cid: int) -> str:
        committee = COMMITTEES[cid]
        ms = self._in_window(None, cid)[::-1]
        # INVENTED semantics: Year=N is calendar year N; Year=0 the last two years and everything later.
        recent = SITE_TODAY - dt.timedelta(days=730)
        shown = [m for m in ms if (m.day.year == year if year else m.day >= recent)]
        years = range(min(m.day.year for m in ms), max(m.day.year for m in ms) + 1)
        options = "".join(f'\t\t\t<option value="{y}"{" selected" if y == year else ""}>{y}</option>\n' for y in years)
        rows = "".join(self._list_row(m, i) for i, m in enumerate(shown))
        return (f'<div id="modgov"><div class="mgHeader"><h1  class="mgMainTitleTxt" >Browse meetings</h1></div>\n'
                f'<div class="mgSubTitle" >\n<h2 class="mgSubTitleTxt">{mg_text(committee)}</h2>\n</div>\n'
                f'<form method="post"  action="ieListMeetings.aspx"  id="FormYearSelect">\n<div class="mgLinks" >\n'
                f'<ul  class="mgActionList" >\n<li><a  href="mgCommitteeDetails.aspx?ID={cid}"  '
                f'title="{mg_attr("Link to more information about " + committee)}">More information about '
                f'{mg_text(committee)}</a></li>\n<li><label for="YearSelect">Show meetings for the year: </label>\n'
                f'\t\t<select\tsize="1" id="YearSelect" name="YearSelect" >\n\t\t<option value="0"> </option>\n{options}'
                f'\t\t</select>\n<input  class="mgGoButton"   type="submit" name="Submit" value="Go" id="Submit1"/></li>\n'
                f'</ul>\n</div>\n<div class="mgContent" >\n<div class="mgList" >\n<div  class="mgTableBorder" >\n'
                f'<div  class="mgTableTitleTxt" >Meetings</div>\n<ul  class="mgNonBulletTableList"  >{rows}</ul>\n'
                f"</div>\n</div>\n</div>\n</form>\n</div>\n")

    def _list_row(self, m: Meeting, i: int) -> str:
        what = "CANCELLED" if m.cancelled else ", ".join(
            x for x, on in (("Agenda", m.agenda_published), ("Minutes", m.minutes_published)) if on)
        suffix = f" - {what}" if what else ""
        when = f"{m.day.day} {m.day:%b %Y}"
        title = mg_attr(f"Link to meeting details for {m.committee} meeting of {when}")
        css = "mgTableEvenRow" if i % 2 == 0 else "mgTableOddRow"
        return (f'<li  class="{css}" ><a  class="mgMeetingTableLnk"    href="ieListDocuments.aspx?CId={m.committee_id}'
                f'&amp;{m.mid_param}={m.mid}&amp;Ver=4"  title="{title}">{when}&nbsp;{m.time}</a>{suffix}</li>')

    def _list_documents(self, request: Request) -> Response:
        m = self._meeting_for(request)
        if m is None:
            return Response(200, page("Meeting", '<div id="modgov"><p>Meeting not found.</p></div>'))
        return Response(200, page(f"{m.label} - {m.committee}", meeting_html(m)))


def ws_empty_meetings() -> bytes:
    return (b'<?xml version="1.0" encoding="utf-8"?>\n<getmeetings>\n  <meetingscount> 0</meetingscount>\n'
            b"  <committeescount> 0</committeescount>\n</getmeetings>\n")


def _word(body: str) -> str:
    return f'<div class="WordSection1">\n{body}</div>\n' if body else ""


# --------------------------------------------------------------------------------------
# ieListDocuments rendering
# --------------------------------------------------------------------------------------


def page(title: str, modgov: str) -> bytes:
    """Site chrome around div#modgov (kept short: scrapers only read the modgov div)."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            f"<title>Agendas, Meetings and Minutes - {html.escape(title)} - Worcestershire County Council</title>\n"
            f'<link href="sitespecific/ssMgStyles.css" rel="stylesheet" type="text/css" />\n</head>\n'
            f'<body>\n<div id="header"><a href="https://www.worcestershire.gov.uk/">Worcestershire County Council</a></div>\n'
            f'<div id="content">\n{modgov}</div>\n<div id="footer"><p>&nbsp;</p></div>\n</body>\n</html>\n').encode()


def meeting_html(m: Meeting) -> str:
    cancelled = ", CANCELLED" if m.cancelled else ""
    heading = f"{m.committee} - {heading_date(m.day, m.time)}{cancelled}"
    return (f'<div id="modgov"><div class="mgHeader"><h1  class="mgMainTitleTxt" >{mg_text(m.label)}</h1></div>\n'
            f'<div class="mgSubTitle" >\n<h2 class="mgSubTitleTxt"><a  href="mgCommitteeDetails.aspx?ID={m.committee_id}"'
            f'  title="{mg_attr("Link to " + m.committee)}">{mg_text(heading)}</a></h2>\n</div>\n'
            f"{_links_html(m)}<div class=\"mgContent\" >\n{_header_html(m)}{_items_html(m)}</div>\n"
            f'<div class="mgFooter" >\n<p>&nbsp;</p>\n</div>\n</div>\n')


def _links_html(m: Meeting) -> str:
    rows = [f'<li><a  href="mgMeetingAttendance.aspx?ID={m.mid}"  title="{mg_attr("Link to attendance details")}">'
            f"Attendance details</a></li>\n"]
    for g in m.gdocs:
        rows.append(f'<li><a  href="{m.gdoc_path(g)}"   title="{mg_attr(f"Link to {g.label.lower()} pdf file")}">'
                    f'{g.label}\n<span  class="mgFileSize" ><img src="mgimages/logo-pdf-1.gif" alt="" /> PDF {kb(g.body)}'
                    f"</span> </a>\n</li>\n")
    return f'<div class="mgLinks" >\n<ul  class="mgActionList" >\n{"".join(rows)}</ul>\n</div>\n'


def _header_html(m: Meeting) -> str:
    none = "<p>No documents are available for this meeting</p>\n" if not m.agenda_published else ""
    venue_label = "Proposed venue" if m.cancelled or not m.agenda_published else "Venue"
    return (f'{none}<p><span  class="mgLabel" >{venue_label}: </span>{mg_text(m.venue)}</p>\n'
            f'<p><span  class="mgLabel" >Contact: </span>{mg_text(m.contact)}</p>\n'
            f'<h2  class="mgSectionTitle" >Media</h2>\n')


def _items_html(m: Meeting) -> str:
    if not m.agenda_published:
        return ""
    head = ('<tr>\n<th class="mgHide" abbr="No" scope="col">No.</th>\n<th class="mgHide" abbr="Item" scope="col">Item'
            "</th>\n</tr>\n") if m.rendering == "numbered" else ""
    rows = "".join(_item_row(m, n, it) for n, it in enumerate(m.items, 1))
    return (f'<table class="mgItemTable"  summary="Table of agenda items" id="mgItemTable">\n'
            f'<caption  class="mgSectionTitle" >Items</caption>\n{head}{rows}</table>\n')


def _doc_link(d: Doc, text: str, css: str, item_no: str) -> str:
    hide = f'<span  class="mgHide" >, item {item_no}</span>\n' if item_no else ""
    return (f'<a {css} href="{html.escape(d.path)}"   title="{mg_attr(f"Link to document {chr(39)}{text}{chr(39)} pdf file")}">'
            f'{mg_text(text)} {hide}<span  class="mgFileSize" ><img height="12" src="mgimages/logo-pdf-1.gif" '
            f'width="12" alt="pdf icon" /> PDF {kb(d.body)}</span> </a>')


def _item_row(m: Meeting, n: int, it: Item) -> str:
    numbered = m.rendering == "numbered"
    number = str(it.minute_no if m.minutes_published and it.minute_no else n) + "."
    main = _doc_link(it.docs[0], it.title, ' class="mgAiTitleLnk" ', "") if it.docs else mg_text(it.title)
    cell = f'<p  class="mgAiTitleTxt" >{main}</p>\n'
    if it.agenda_html:
        cell += f'<div class="mgWordPara">{_word(it.agenda_html)}</div>\n'
    extra = it.docs[1:]
    if extra or not numbered:  # the 2018-2020 pages show the label on every item
        lis = "".join(f"<li>\n{_doc_link(d, d.title, '', number if numbered else '')}  </li>\n" for d in extra)
        cell += f'<p class="mgSubItemTitleTxt">Additional documents:</p>\n<ul  class="mgBulletList" >\n{lis}</ul>\n'
    if m.minutes_published and it.minutes_html:
        label = '<p class="mgSubItemTitleTxt">Minutes:</p>\n' if numbered else ""
        cell += f'{label}<div class="mgWordPara">{_word(it.minutes_html)}</div>\n'
    num_cell = (f'<td  class="mgItemNumberCell" ><p  class="mgAiTitleTxt" ><a name="AI{m.mid * 10 + n}"></a>'
                f"{number}</p></td>\n") if numbered else ""
    return f"<tr>\n{num_cell}<td >\n{cell}</td>\n</tr>\n"


# --------------------------------------------------------------------------------------
# Saved responses for parser tests (tests/fixtures/westmercia-pcp/)
# --------------------------------------------------------------------------------------

FIXTURE_HOST = "worcestershire.moderngov.co.uk"
FIXTURE_REQUESTS = {
    "GetMeeting_2825.xml": ("mgWebService.asmx/GetMeeting", {"lmeetingid": "2825"}),
    "ieListDocuments_2825.html": ("ieListDocuments.aspx", {"cid": "147", "mid": "2825"}),
    "ieListDocuments_7165.html": ("ieListDocuments.aspx", {"cid": "147", "mid": "7165"}),
    "ieListMeetings_2019.html": ("ieListMeetings.aspx", {"cid": "147", "year": "2019"}),
}


def fixture_responses() -> dict[str, bytes]:
    """What the replica answers to a few requests, as if its host were the real one."""
    site = ModernGovSite()
    return {name: site.handle(Request("GET", path, query, "", {"host": FIXTURE_HOST})).body
            for name, (path, query) in FIXTURE_REQUESTS.items()}


if __name__ == "__main__":  # python -m mirror.sites.moderngov DEST: rewrite the saved responses
    import sys

    dest = Path(sys.argv[1])
    for fname, body in fixture_responses().items():
        (dest / fname).write_bytes(body)
