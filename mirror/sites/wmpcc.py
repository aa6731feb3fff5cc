"""Replica of the West Midlands OPCC board pages on westmidlands-pcc.gov.uk (sources.md §1).

Two WordPress pages under one prefix (the real site answers on ``www.`` and the bare host; the
mirror has one host, so both shapes map to this prefix, and page links mix absolute URLs built
from the request's Host header with root-relative ones):

* ``archive/strategic-policing-and-crime-board/`` – the SPCB archive (board ran ~2013 – mid-2024),
  grouped by year and split over two pages (``…/page/2/``) to exercise WordPress pagination;
* ``governance/accountability-and-governance-board/`` – the AGB page (board from ~late 2024) with
  the CONFIRMED intro text of §1.2, a terms-of-reference link and an external livestream link.

Documents are PDFs under ``wp-content/uploads/YYYY/MM/DDMMYYYY-<ABBR>-Item-N-<Title>.pdf``; several
sit in an upload month other than the meeting month, one carries WordPress's ``-1`` duplicate
suffix, and minutes are published as Item 3 of the NEXT meeting (§1.3, §1.4).

Markup (INFERRED, the real list markup is unknown): an accordion per year
(``<h3 class="accordion-title">2019</h3>`` + ``<div class="accordion-content">``), a heading per
meeting (``<h4>Tuesday 15 October 2019</h4>``; the 2016 entries, hand-edited, use
``<p><strong>Tuesday 1st March 2016</strong></p>``), then a ``<ul>`` of ``Item N – Title`` links.
A cancelled meeting keeps its heading with "– cancelled" and no links.

Real content: ``tests/fixtures/corpus/pdf/000_7db24023d40e4ca6.pdf`` (SPCB notes of 17 Sep 2019,
served as Item 3 of 15 Oct 2019) and ``002_e7f0e2d2245b18d2.pdf`` (SPCB report for 1 Mar 2016,
uploaded under 2016/02). Everything else is INVENTED: the other meetings' existence where not
implied by those two documents (dates follow the "third Tuesday" rule), all AGB meetings and their
dates, every generated PDF (one small page of text made by :func:`mirror.pdf.text_pdf`, names fictional, each
saying it was generated for the mirror), the livestream link and the terms of reference.

Deterministic: fixed Last-Modified dates (from the upload folder), no clock. ``publish_late_minutes``
adds the AGB minutes of 20 Jan 2026 as Item 3 of 17 Feb 2026; ``republish(path)`` changes a PDF's
bytes at the same URL.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass, field
from email.utils import format_datetime
from pathlib import Path

from mirror.pdf import text_pdf
from mirror.server import Request, Response, not_found, static_response

PREFIX = "westmidlands-pcc"
SPCB_PAGE = "archive/strategic-policing-and-crime-board/"
AGB_PAGE = "governance/accountability-and-governance-board/"
# The real corpus PDFs are read from the test fixtures, not copied, so there is one copy in the repo.
CORPUS_PDF_DIR = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "corpus" / "pdf"
REAL_SPCB_MINUTES = "000_7db24023d40e4ca6.pdf"
REAL_SPCB_REPORT = "002_e7f0e2d2245b18d2.pdf"


# --------------------------------------------------------------------------------------
# A tiny PDF writer (pure Python, deterministic: no dates, no ids)
# --------------------------------------------------------------------------------------

# --------------------------------------------------------------------------------------
# Content
# --------------------------------------------------------------------------------------

BOARD_NAMES = {"SPCB": "STRATEGIC POLICING AND CRIME BOARD", "AGB": "ACCOUNTABILITY AND GOVERNANCE BOARD"}
GENERATED = "Generated for the Scrutiny test mirror (invented content)."


@dataclass
class Doc:
    upload: str  # "YYYY/MM": the upload folder, not the meeting month
    filename: str
    title: str  # link text as listed
    kind: str  # minutes | agenda | report | pack | other
    records: dt.date | None = None  # for minutes: the meeting they record
    real: str | None = None  # corpus file name, when the document is real
    lines: list[str] = field(default_factory=list)  # text of a generated PDF
    href: str = "abs"  # "abs" (http://host/…) or "rel" (/prefix/…): hand-edited pages mix both

    @property
    def path(self) -> str:
        return f"wp-content/uploads/{self.upload}/{self.filename}"


@dataclass
class Meeting:
    board: str  # "SPCB" | "AGB"
    date: dt.date
    heading: str
    status: str  # held | scheduled | cancelled
    docs: list[Doc] = field(default_factory=list)
    style: str = "h4"  # "h4" or "strong": how the meeting heading is marked up
    page: int = 1  # archive page number (SPCB archive is paginated)


def _long(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def _agenda(board: str, day: dt.date, upload: str, items: list[str], suffix: str = "") -> Doc:
    lines = ["AGENDA ITEM 1", BOARD_NAMES[board], f"{day:%A} {_long(day)} at 10:00am",
             "Main Conference Room (G2), Lloyd House" if board == "SPCB" else "Lloyd House, Birmingham",
             "AGENDA"] + [f"{i}. {t}" for i, t in enumerate(items, start=1)] + ["", GENERATED]
    return Doc(upload, f"{day:%d%m%Y}-{board}-Item-1-Agenda{suffix}.pdf", "Item 1 – Agenda", "agenda",
               lines=lines)


def _minutes(board: str, day: dt.date, of: dt.date, upload: str, word: str = "Notes") -> Doc:
    lines = ["AGENDA ITEM 3", BOARD_NAMES[board], f"Notes of meeting held on {of:%A}, {_long(of)}",
             "Lloyd House", "Present:", "Alex Carter : Police and Crime Commissioner",
             "Jordan Patel : Deputy Police and Crime Commissioner", "Sam Whitfield : Chief Constable",
             f"1/{of:%y}  Item 1 – Conflicts of Interest. There were none.",
             f"2/{of:%y}  Item 4 – Finance. The forecast underspend was £0.6m (0.1%).",
             f"3/{of:%y}  ACTION: The Chief Constable to report back on overtime spend.", "", GENERATED]
    slug_word = "Notes-of-meeting" if word == "Notes" else "Minutes-of-meeting"
    title = f"Item 3 – {'Notes' if word == 'Notes' else 'Minutes'} of meeting {_long(of)}"
    return Doc(upload, f"{day:%d%m%Y}-{board}-Item-3-{slug_word}-{of.day}-{of:%B-%Y}.pdf", title,
               "minutes", records=of, lines=lines)


def _report(board: str, day: dt.date, upload: str, item: int, title: str, figure: str,
            href: str = "abs") -> Doc:
    lines = [f"AGENDA ITEM {item}", BOARD_NAMES[board].title(), f"Date of meeting – {_long(day)}", title,
             "PURPOSE OF REPORT", f"1. To inform the Board about {title.lower()}.",
             f"2. {figure}", "", GENERATED]
    return Doc(upload, f"{day:%d%m%Y}-{board}-Item-{item}-{title.replace(' ', '-')}.pdf",
               f"Item {item} – {title}", "report", lines=lines, href=href)


D = dt.date
SPCB_ITEMS = ["Conflicts of interest", "Apologies", "Notes of the last meeting", "Public questions",
              "Reports"]
AGB_ITEMS = ["Apologies", "Declarations of interest", "Minutes of the last meeting", "Reports",
             "Any other business"]


def spcb_meetings() -> list[Meeting]:
    m = [
        Meeting("SPCB", D(2024, 4, 16), "Tuesday 16 April 2024", "held", [
            _agenda("SPCB", D(2024, 4, 16), "2024/04", SPCB_ITEMS),
            _minutes("SPCB", D(2024, 4, 16), D(2024, 3, 19), "2024/04"),
            # Uploaded in March for an April meeting: the folder is not the meeting month.
            _report("SPCB", D(2024, 4, 16), "2024/03", 5, "Police and Crime Plan Annual Report",
                    "Recorded crime fell by 4.2% over the year.")]),
        Meeting("SPCB", D(2024, 3, 19), "Tuesday 19 March 2024", "held", [
            _agenda("SPCB", D(2024, 3, 19), "2024/03", SPCB_ITEMS),
            _report("SPCB", D(2024, 3, 19), "2024/03", 4, "Finance Monitoring Report",
                    "The forecast overspend is £2.3m.", href="rel")]),
        Meeting("SPCB", D(2019, 12, 17), "Tuesday 17 December 2019", "held", [
            # A corrected agenda re-uploaded under the same name: WordPress adds "-1".
            _agenda("SPCB", D(2019, 12, 17), "2019/12", SPCB_ITEMS, suffix="-1"),
            _minutes("SPCB", D(2019, 12, 17), D(2019, 10, 15), "2019/12")]),
        Meeting("SPCB", D(2019, 11, 19), "Tuesday 19 November 2019 – cancelled", "cancelled"),
        Meeting("SPCB", D(2019, 10, 15), "Tuesday 15 October 2019", "held", [
            _agenda("SPCB", D(2019, 10, 15), "2019/10", SPCB_ITEMS),
            Doc("2019/10", "15102019-SPCB-Item-3-Notes-of-meeting-17-September-2019.pdf",
                "Item 3 – Notes of meeting 17 September 2019", "minutes", records=D(2019, 9, 17),
                real=REAL_SPCB_MINUTES),
            _report("SPCB", D(2019, 10, 15), "2019/10", 5, "Knife Crime",
                    "Knife crime offences rose by 9% on the previous year.", href="rel")]),
        Meeting("SPCB", D(2019, 9, 17), "Tuesday 17 September 2019", "held", [
            _agenda("SPCB", D(2019, 9, 17), "2019/09", SPCB_ITEMS),
            _report("SPCB", D(2019, 9, 17), "2019/09", 6, "Police and Crime Plan Performance",
                    "The precept raised £3.7m for additional officers.")]),
        Meeting("SPCB", D(2016, 4, 19), "Tuesday 19 April 2016", "held", [
            _agenda("SPCB", D(2016, 4, 19), "2016/04", SPCB_ITEMS),
            _minutes("SPCB", D(2016, 4, 19), D(2016, 3, 1), "2016/04")], style="strong", page=2),
        Meeting("SPCB", D(2016, 3, 1), "Tuesday 1st March 2016", "held", [
            _agenda("SPCB", D(2016, 3, 1), "2016/02", SPCB_ITEMS),
            Doc("2016/02", "01032016-SPCB-Item-6-Performance-against-the-2015-16-Milestones-and-"
                "Deliverables.pdf", "Item 6 – Performance against the 2015/16 Milestones and Deliverables",
                "report", real=REAL_SPCB_REPORT)], style="strong", page=2),
    ]
    return m


def agb_meetings() -> list[Meeting]:
    return [
        Meeting("AGB", D(2026, 2, 17), "Tuesday 17 February 2026 – 10:00am", "scheduled", [
            _agenda("AGB", D(2026, 2, 17), "2026/02", AGB_ITEMS),
            _report("AGB", D(2026, 2, 17), "2026/02", 4, "Neighbourhood Policing",
                    "Neighbourhood officer numbers are 3% above establishment.")]),
        Meeting("AGB", D(2026, 1, 20), "Tuesday 20 January 2026 – 10:00am", "held", [
            _agenda("AGB", D(2026, 1, 20), "2026/01", AGB_ITEMS),
            _report("AGB", D(2026, 1, 20), "2025/12", 5, "Budget and Precept 2026-27",
                    "A precept increase of £14 for a Band D property is proposed.")]),
        Meeting("AGB", D(2025, 3, 18), "Tuesday 18 March 2025 – 10:00am", "held", [
            _agenda("AGB", D(2025, 3, 18), "2025/03", AGB_ITEMS),
            _minutes("AGB", D(2025, 3, 18), D(2025, 1, 21), "2025/03", word="Minutes")]),
        Meeting("AGB", D(2025, 1, 21), "Tuesday 21 January 2025 – 10:00am", "held", [
            _agenda("AGB", D(2025, 1, 21), "2025/01", AGB_ITEMS),
            _minutes("AGB", D(2025, 1, 21), D(2024, 11, 19), "2025/01", word="Minutes"),
            _report("AGB", D(2025, 1, 21), "2024/12", 4, "Victims Services",
                    "Grant funding of £1.2m supports victims' services.")]),
        Meeting("AGB", D(2024, 11, 19), "Tuesday 19 November 2024 – 10:00am", "held", [
            _agenda("AGB", D(2024, 11, 19), "2024/11", AGB_ITEMS),
            _report("AGB", D(2024, 11, 19), "2024/11", 5, "Police and Crime Plan Consultation",
                    "Of 2,400 respondents, 61% ranked neighbourhood policing first.")]),
    ]


TERMS_OF_REFERENCE = Doc("2024/07", "AGB-Terms-of-Reference.pdf", "Terms of Reference", "other",
                         lines=["Accountability and Governance Board", "Terms of Reference", "", GENERATED])
LATE_AGB_MINUTES = _minutes("AGB", D(2026, 2, 17), D(2026, 1, 20), "2026/02", word="Minutes")


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------

def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _href(doc: Doc, host_root: str) -> str:
    return f"{host_root}/{PREFIX}/{doc.path}" if doc.href == "abs" else f"/{PREFIX}/{doc.path}"


def _meeting_html(m: Meeting, host_root: str) -> str:
    head = (f"<h4>{_e(m.heading)}</h4>" if m.style == "h4"
            else f"<p><strong>{_e(m.heading)}</strong></p>")
    if not m.docs:
        return head + "\n<p>This meeting was cancelled.</p>" if m.status == "cancelled" else head
    links = "".join(f'<li><a href="{_href(d, host_root)}">{_e(d.title)}</a></li>' for d in m.docs)
    return f'{head}\n<ul class="board-papers">{links}</ul>'


def _years_html(meetings: list[Meeting], host_root: str) -> str:
    out = []
    for year in sorted({m.date.year for m in meetings}, reverse=True):
        inner = "\n".join(_meeting_html(m, host_root) for m in meetings if m.date.year == year)
        out.append(f'<div class="accordion-item">\n<h3 class="accordion-title">{year}</h3>\n'
                   f'<div class="accordion-content">\n{inner}\n</div>\n</div>')
    return '<div class="accordion">\n' + "\n".join(out) + "\n</div>"


def _pagination(page: int, last: int, page_url: str) -> str:
    if last <= 1:
        return ""
    def url(n: int) -> str:
        return page_url if n == 1 else f"{page_url}page/{n}/"
    nums = "".join(f'<span aria-current="page" class="page-numbers current">{n}</span>' if n == page
                   else f'<a class="page-numbers" href="{url(n)}">{n}</a>' for n in range(1, last + 1))
    prev = f'<a class="prev page-numbers" href="{url(page - 1)}">Previous</a>' if page > 1 else ""
    nxt = f'<a class="next page-numbers" href="{url(page + 1)}">Next</a>' if page < last else ""
    return (f'<nav class="navigation pagination" aria-label="Posts"><div class="nav-links">'
            f"{prev}{nums}{nxt}</div></nav>")


def _chrome(title: str, body: str, host_root: str, canonical: str) -> bytes:
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<title>{_e(title)} - West Midlands Police and Crime Commissioner</title>
<link rel="canonical" href="{canonical}">
<meta name="generator" content="WordPress 6.5.2">
</head>
<body class="page-template-default page">
<a class="skip-link screen-reader-text" href="#content">Skip to content</a>
<header class="site-header"><nav class="main-navigation"><ul class="menu">
<li><a href="{host_root}/{PREFIX}/">Home</a></li>
<li><a href="{host_root}/{PREFIX}/governance/">Governance</a></li>
<li><a href="{host_root}/{PREFIX}/decisions/">Decisions</a></li>
<li><a href="{host_root}/{PREFIX}/archive/">Archive</a></li>
</ul></nav></header>
<main id="content" class="site-main"><article class="page type-page status-publish">
<h1 class="entry-title">{_e(title)}</h1>
<div class="entry-content">
{body}
</div>
</article></main>
<footer class="site-footer"><p>&copy; West Midlands Police and Crime Commissioner</p></footer>
</body>
</html>
""".encode("utf-8")


def _http_date(day: dt.date) -> str:
    return format_datetime(dt.datetime(day.year, day.month, day.day, 9, tzinfo=dt.timezone.utc), usegmt=True)


# --------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------

class WmpccSite:
    prefix = PREFIX
    # WordPress's default rules, under this site's prefix (the mirror merges every site's).
    robots_txt = f"Disallow: /{PREFIX}/wp-admin/\nAllow: /{PREFIX}/wp-admin/admin-ajax.php\n"
    source_ids = ("wmpcc-spcb", "wmpcc-agb")

    def __init__(self) -> None:
        self.spcb = spcb_meetings()
        self.agb = agb_meetings()
        self.revisions: dict[str, int] = {}  # document path -> times re-published
        self.page_revision = 0  # bumps when a page's list of links changes
        self._corpus: dict[str, bytes] = {}

    # -- documents ------------------------------------------------------------------------
    def documents(self) -> dict[str, Doc]:
        docs = [d for m in self.spcb + self.agb for d in m.docs] + [TERMS_OF_REFERENCE]
        return {d.path: d for d in docs}

    def doc_bytes(self, doc: Doc) -> bytes:
        rev = self.revisions.get(doc.path, 0)
        if doc.real:
            if doc.real not in self._corpus:
                self._corpus[doc.real] = (CORPUS_PDF_DIR / doc.real).read_bytes()
            # A trailing PDF comment keeps the real file valid while changing its bytes.
            return self._corpus[doc.real] + b"".join(b"%% republished %d\n" % i for i in range(1, rev + 1))
        lines = doc.lines + ([f"Revised version {rev}"] if rev else [])
        return text_pdf(lines)

    def _doc_modified(self, doc: Doc) -> str:
        year, month = map(int, doc.upload.split("/"))
        return _http_date(dt.date(year, month, 10) + dt.timedelta(days=self.revisions.get(doc.path, 0)))

    # -- state changes for incremental tests ------------------------------------------
    def publish_late_minutes(self) -> str | None:
        """Add the AGB minutes of 20 Jan 2026 as Item 3 of 17 Feb 2026; returns the new path."""
        meeting = next(m for m in self.agb if m.date == D(2026, 2, 17))
        if LATE_AGB_MINUTES in meeting.docs:
            return None
        meeting.docs.insert(1, LATE_AGB_MINUTES)
        self.page_revision += 1
        return LATE_AGB_MINUTES.path

    def republish(self, path: str) -> None:
        """Replace a document's bytes at the same URL (a corrected paper)."""
        path = path.lstrip("/").removeprefix(PREFIX + "/")
        if path not in self.documents():
            raise KeyError(f"no document at {path!r}")
        self.revisions[path] = self.revisions.get(path, 0) + 1

    # -- serving ------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        path = request.path
        host_root = "http://" + request.headers.get("host", "127.0.0.1")
        if path.startswith("wp-content/uploads/"):
            doc = self.documents().get(path)
            if doc is None:
                return not_found()
            return static_response(request, self.doc_bytes(doc), "application/pdf", self._doc_modified(doc))
        page = self._page(path, host_root)
        if page is not None:
            return static_response(request, page, "text/html; charset=UTF-8",
                                   _http_date(D(2026, 2, 2) + dt.timedelta(days=self.page_revision)))
        if path and not path.endswith("/") and self._page(path + "/", host_root) is not None:
            # WordPress redirects a page URL without its trailing slash.
            return Response(301, b"", headers={"Location": f"/{PREFIX}/{path}/"})
        return not_found()

    def _page(self, path: str, host_root: str) -> bytes | None:
        if path == AGB_PAGE:
            return self.agb_html(host_root)
        if path == SPCB_PAGE:
            return self.spcb_html(host_root, 1)
        if path.startswith(SPCB_PAGE + "page/"):
            num = path.removeprefix(SPCB_PAGE + "page/").strip("/")
            if num.isdigit() and 2 <= int(num) <= self._spcb_pages() and path.endswith("/"):
                return self.spcb_html(host_root, int(num))
        return None

    def _spcb_pages(self) -> int:
        return max(m.page for m in self.spcb)

    def spcb_html(self, host_root: str, page: int) -> bytes:
        page_url = f"{host_root}/{PREFIX}/{SPCB_PAGE}"
        intro = ("<p>The Strategic Policing and Crime Board usually met on the third Tuesday of each month. "
                 "Its meetings were public. Agendas, minutes and reports are listed below, sorted by year. "
                 "The Board was replaced by the Accountability and Governance Board in 2024.</p>")
        body = intro + "\n" + _years_html([m for m in self.spcb if m.page == page], host_root) + "\n" + \
            _pagination(page, self._spcb_pages(), page_url)
        canonical = page_url if page == 1 else f"{page_url}page/{page}/"
        return _chrome("Strategic Policing and Crime Board", body, host_root, canonical)

    def agb_html(self, host_root: str) -> bytes:
        tor = TERMS_OF_REFERENCE
        intro = f"""<p>The Accountability and Governance Board meets monthly. It has three members: the Police
and Crime Commissioner, the Deputy Police and Crime Commissioner and the Victims' Advocate.</p>
<p>Below you will find the minutes and agendas from all the meetings, along with the
<a href="{_href(tor, host_root)}">terms of reference</a>.</p>
<p>You can tune in to the latest Accountability &amp; Governance Board meeting
<a href="https://www.youtube.com/@westmidlandspcc/streams">here</a>.</p>
<p>Papers of the former Strategic Policing and Crime Board are in the
<a href="{host_root}/{PREFIX}/{SPCB_PAGE}">archive</a>.</p>"""
        body = intro + "\n" + _years_html(self.agb, host_root)
        return _chrome("Accountability and Governance Board", body, host_root, f"{host_root}/{PREFIX}/{AGB_PAGE}")

    # -- what the site holds ------------------------------------------------------------
    def manifest(self) -> dict:
        meetings = []
        for source_id, board_meetings, page in (("wmpcc-spcb", self.spcb, SPCB_PAGE),
                                                ("wmpcc-agb", self.agb, AGB_PAGE)):
            for m in sorted(board_meetings, key=lambda m: m.date):
                meetings.append({
                    "source_id": source_id, "key": m.date.isoformat(), "meeting_date": m.date.isoformat(),
                    "status": m.status, "page": page if m.page == 1 else f"{page}page/{m.page}/",
                    "documents": [self._doc_entry(d) for d in m.docs]})
        return {"meetings": meetings, "other_documents": [self._doc_entry(TERMS_OF_REFERENCE)]}

    def _doc_entry(self, d: Doc) -> dict:
        return {"path": d.path, "title": d.title, "kind": d.kind,
                "sha256": hashlib.sha256(self.doc_bytes(d)).hexdigest(),
                "records_meeting_date": d.records.isoformat() if d.records else None,
                "real": d.real is not None}
