"""Replica of the West Mercia Governance Board pages on westmercia-pcc.gov.uk (sources.md §4).

What is faithful (CONFIRMED in sources.md §4.1/§4.2):

* a WordPress listing page ``key-information/west-mercia-governance-board/`` with a purpose blurb,
  ``Meeting minutes`` followed by ``<Month> <Year>`` links, plain-text
  ``<Month YYYY> – pending submission`` placeholders, and a ``Decisions Made Summary:`` section;
* one HTML page per meeting (the minutes are the page body), reachable under every URL form seen:
  ``/<slug>``, ``/<slug>/`` and ``/key-information/west-mercia-governance-board/<slug>[/]``, all
  carrying the same ``<link rel="canonical">``;
* slugs ``wmgb-<month>-<yyyy>-minutes`` plus the one exception ``wmgb-2024-january-minutes``;
* the real meeting dates (§4.2) and the three format eras of the page bodies: 2022 (weekday date line
  with time range, venue line, ``- Name (XX) – Role`` attendees, ``Ref 01/18/01/2022``), 2023 (one date
  line without its year, one hand-typed wrong ref), 2024 (``Date:``/``Time:`` lines,
  ``Attendance:``/``Apologies:`` labels, ``Ref/01/22/08/2024`` or no refs at all).

What is INVENTED (a reconstruction, not the real text): every name, every item text, every
decision, action and figure, the listing's blurb and decisions summary. All names are fictional.
The listing's markup (a ``ul`` of links) is a guess: the stored text lost the anchors.

Design choices:

* Page bodies use root-relative links (the canonical link too) so a page's bytes, and so its
  manifest sha256 and ETag, do not depend on the mirror's port. The listing page uses absolute
  links built from the request's Host header, as WordPress writes them, mixed with a few
  root-relative ones (hand-edited content).
* Everything is deterministic: fixed Last-Modified dates, no clock.
* ``publish_late_minutes()`` turns the oldest "pending submission" month into a page;
  ``republish(path)`` edits a published page in place (same URL, new bytes, later Last-Modified).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import html
from dataclasses import dataclass, field
from email.utils import format_datetime

from mirror.server import Request, Response, not_found, static_response

PREFIX = "westmercia-pcc"
SOURCE_ID = "westmercia-wmgb"
LISTING = "key-information/west-mercia-governance-board/"


# --------------------------------------------------------------------------------------
# Content (invented text, real dates)
# --------------------------------------------------------------------------------------

@dataclass
class Item:
    title: str
    papers: str | None  # "Paper" / "Papers" / None
    purpose: str | None  # "For Decision" / "For Information" / None
    text: list[str]
    decisions: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)


@dataclass
class Page:
    slug: str
    label: str  # listing link text, "<Month> <Year>"
    date: dt.date
    era: str  # "2022" | "2023" | "2024": which body layout
    date_line: str  # as printed (the 2023 June page omits the year)
    time_line: str | None
    venue: str
    attendees: list[str]
    apologies: list[str]
    refs: list[str | None]  # one per item, as printed (hand-typed, may be wrong)
    items: list[Item]
    link_form: str  # which URL form the listing uses for this page


PEOPLE = {
    "HM": "Helen Marsh (HM) – Police and Crime Commissioner",
    "DO": "David Okoro (DO) – Deputy Police and Crime Commissioner",
    "RL": "Rachel Lloyd (RL) – Chief Executive, OPCC",
    "SP": "Simon Price (SP) – Treasurer, OPCC",
    "CH": "Claire Hughes (CH) – Chief Constable",
    "ME": "Mark Evans (ME) – Deputy Chief Constable",
    "PS": "Priya Shah (PS) – Director of Finance, West Mercia Police",
    "TB": "Tom Bradley (TB) – Head of Governance, OPCC",
    "AK": "Amy Knight (AK) – Assistant Chief Constable",
}


def _people(codes: str) -> list[str]:
    return [PEOPLE[c] for c in codes.split()]


def _minutes_item(prev: str) -> Item:
    return Item("Minutes and Action Log", "Paper", "For Decision",
                [f"The notes of the meeting held on {prev} were reviewed."],
                decisions=["The notes were agreed as an accurate record."],
                actions=["TB to update the action log and close completed actions."])


PAGES: list[Page] = [
    Page("wmgb-january-2022-minutes", "January 2022", dt.date(2022, 1, 18), "2022",
         "Tuesday 18 January 2022, 13:30-15:30", None, "Willison Room, Hindlip",
         _people("HM DO RL SP CH PS TB"), _people("ME"),
         ["Ref 01/18/01/2022", "Ref 02/18/01/2022", "Ref 03/18/01/2022"],
         [_minutes_item("22 December 2021"),
          Item("Medium Term Financial Plan", "Papers", "For Information",
               ["PS presented the draft plan. The budget gap for 2022/23 was forecast at £2.4m.",
                "A precept increase of 3.5% was modelled alongside efficiency savings of £1.1m."],
               actions=["PS to share the savings plan by directorate with the OPCC by 4 February."]),
          Item("Estates Programme – Redditch Custody", "Paper", "For Decision",
               ["RL outlined the business case for the custody refurbishment."],
               decisions=["The Board approved capital spend of £450,000 for phase one."])],
         "short-noslash"),
    Page("wmgb-june-2022-minutes", "June 2022", dt.date(2022, 6, 22), "2022",
         "Wednesday 22 June 2022, 14:00-16:00", None, "Willison Room, Hindlip",
         _people("HM RL SP CH ME TB"), _people("DO PS"),
         ["Ref 01/22/06/2022", "Ref 02/22/06/2022", "Ref 03/22/06/2022"],
         [_minutes_item("17 May 2022"),
          Item("Quarter 4 Performance Report", "Paper", "For Information",
               ["Emergency calls answered within 10 seconds stood at 91%, against a target of 90%.",
                "Victim satisfaction had fallen by 2% over the quarter."],
               actions=["ME to report on the causes of the fall in victim satisfaction in August."]),
          Item("Fleet Replacement", "Paper", "For Decision",
               ["The paper sought approval to replace 40 response vehicles."],
               decisions=["The Board approved the replacement programme at a cost of £1.6m."])],
         "long-noslash"),
    Page("wmgb-may-2023-minutes", "May 2023", dt.date(2023, 5, 24), "2023",
         "Wednesday 24th May 2023, 14:00-17:00", None, "Conference Room 1, Hindlip Park",
         _people("HM DO RL SP CH AK TB"), _people("ME"),
         # The fourth ref is typed with the wrong day (25 for 24), as on the real page.
         ["Ref 01/24/05/2023", "Ref 02/24/05/2023", "Ref 03/24/05/2023", "Ref 04/25/05/2023"],
         [_minutes_item("19 April 2023"),
          Item("Provisional Outturn 2022/23", "Paper", "For Information",
               ["SP reported a provisional underspend of £0.8m, 0.3% of the net revenue budget."]),
          Item("Neighbourhood Policing Review", "Papers", "For Information",
               ["AK presented the review findings."],
               actions=["AK to bring the implementation plan to the July meeting."]),
          Item("Any Other Business", None, None, ["There was no other business."])],
         "long-slash"),
    Page("wmgb-june-2023-minutes", "June 2023", dt.date(2023, 6, 21), "2023",
         # The year is missing from the real date line of this page.
         "Wednesday 21st June, 14:30-17:00", None, "Conference Room 1, Hindlip Park",
         _people("HM DO RL CH ME PS TB"), _people("SP"),
         ["Ref 01/21/06/2023", "Ref 02/21/06/2023", "Ref 03/21/06/2023"],
         [_minutes_item("24 May 2023"),
          Item("Road Safety Fund", "Paper", "For Decision",
               ["The paper proposed grants from the Road Safety Fund for 2023/24."],
               decisions=["DECISION – The Board approved grants totalling £275,000."],
               actions=["RL to publish the grant awards on the OPCC website."]),
          Item("Workforce Plan", "Paper", "For Information",
               ["Officer numbers were 2.1% above the uplift target at the end of May."])],
         "short-noslash"),
    Page("wmgb-october-2023-minutes", "October 2023", dt.date(2023, 10, 18), "2023",
         "Wednesday 18 October 2023", None, "Conference Room 1, Hindlip Park",
         _people("HM RL SP CH ME PS TB"), _people("DO AK"),
         ["Ref 01/18/10/2023", "Ref 02/18/10/2023", "Ref 03/18/10/2023"],
         [_minutes_item("20 September 2023"),
          Item("Mid-Year Budget Monitoring", "Papers", "For Information",
               ["PS reported a forecast overspend of £1.3m driven by overtime.",
                "Pay inflation of 7% had been funded in part by a Home Office grant of £2.9m."],
               actions=["PS to set out mitigations for the overtime pressure in November."]),
          Item("Commissioning Intentions 2024/25", "Paper", "For Decision",
               ["RL presented the commissioning intentions."],
               decisions=["Decision: The commissioning intentions were approved."])],
         "long-slash"),
    Page("wmgb-2024-january-minutes", "January 2024", dt.date(2024, 1, 25), "2024",
         "Date: 25th January 2024", "Time: 14:00hrs", "Venue: Willison Room, Hindlip",
         _people("HM DO RL SP CH ME TB"), _people("PS"),
         ["Ref/01/25/01/2024", "Ref/02/25/01/2024", "Ref/03/25/01/2024"],
         [_minutes_item("20 December 2023"),
          Item("Precept Proposal 2024/25", "Paper", "For Decision",
               ["SP presented the proposal for a Band D increase of £13, equivalent to 4.9%."],
               decisions=["Decision: The PCC agreed to put the proposal to the Police and Crime Panel."]),
          Item("Contact Centre Performance", "Paper", "For Information",
               ["Abandoned 101 calls had fallen to 12% from 18% a year earlier."],
               actions=["ME to circulate the contact centre improvement plan."])],
         "short-noslash"),
    Page("wmgb-august-2024-minutes", "August 2024", dt.date(2024, 8, 22), "2024",
         "Date: 22nd August 2024", "Time: 10:00hrs", "Venue: Conference Room 1, Hindlip Park",
         _people("HM DO RL SP CH AK TB"), _people("ME PS"),
         ["Ref/01/22/08/2024", "Ref/02/22/08/2024", "Ref/03/22/08/2024"],
         [_minutes_item("25 July 2024"),
          Item("Police and Crime Plan Refresh", "Papers", "For Information",
               ["RL outlined the consultation on the refreshed Police and Crime Plan."],
               actions=["RL to share the consultation summary with the Chief Constable."]),
          Item("Capital Programme", "Paper", "For Decision",
               ["SP set out slippage of £3.2m in the capital programme."],
               decisions=["Decision: The revised capital programme of £14.5m was approved."])],
         "short-slash"),
    Page("wmgb-october-2024-minutes", "October 2024", dt.date(2024, 10, 24), "2024",
         "Date: 24th October 2024", "Time: 14:00hrs", "Venue: Willison Room, Hindlip",
         _people("HM DO RL SP CH ME PS TB"), [],
         [None, None, None],  # some 2024 pages print no refs at all
         [_minutes_item("19 September 2024"),
          Item("Charging Rates", "Paper", "For Information",
               ["The charge rate for domestic abuse crimes had risen to 9.4%."]),
          Item("Victim Services Contract", "Paper", "For Decision",
               ["DO presented the options for the victim services contract."],
               decisions=["Decision: The Board approved a two-year extension worth £1.9m."],
               actions=["DO to notify the provider of the extension."])],
         "short-noslash"),
]

# Months the listing shows as "pending submission"; publish_late_minutes() reveals them in order.
LATE_PAGES: list[Page] = [
    Page("wmgb-november-2024-minutes", "November 2024", dt.date(2024, 11, 21), "2024",
         "Date: 21st November 2024", "Time: 14:00hrs", "Venue: Willison Room, Hindlip",
         _people("HM RL SP CH ME TB"), _people("DO"),
         ["Ref/01/21/11/2024", "Ref/02/21/11/2024"],
         [_minutes_item("24 October 2024"),
          Item("Budget Setting 2025/26", "Papers", "For Information",
               ["SP reported a provisional budget gap of £4.6m for 2025/26."],
               actions=["SP to model precept options of 2% and 4.99% for December."])],
         "short-slash"),
    Page("wmgb-december-2024-minutes", "December 2024", dt.date(2024, 12, 19), "2024",
         "Date: 19th December 2024", "Time: 10:00hrs", "Venue: Willison Room, Hindlip",
         _people("HM DO RL SP CH TB"), _people("ME"),
         [None, None],
         [_minutes_item("21 November 2024"),
          Item("Precept Options", "Paper", "For Decision",
               ["SP presented precept options for 2025/26."],
               decisions=["Decision: The PCC agreed to consult on a 4.99% increase."])],
         "short-noslash"),
]

DECISIONS_SUMMARY = [
    ("17 November 2021:", ["Approval of the Victim Services commissioning framework.",
                           "Approval of capital spend of £120,000 on body-worn video."]),
    ("22 December 2021", ["Agreement of the draft precept proposal for consultation."]),
    ("18 January 2022:", ["Approval of phase one of the Redditch custody refurbishment."]),
]


# --------------------------------------------------------------------------------------
# Rendering
# --------------------------------------------------------------------------------------

def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _chrome(title: str, canonical: str, body: str, host_root: str = "") -> str:
    """The WordPress theme around a page's content (skip link, accessibility bar, nav, footer)."""
    nav = (f'<li><a href="{host_root}/{PREFIX}/">Home</a></li>'
           f'<li><a href="{host_root}/{PREFIX}/key-information/">Key information</a></li>'
           f'<li><a href="{host_root}/{PREFIX}/key-information/decision-making/">Decision making</a></li>'
           f'<li><a href="{host_root}/{PREFIX}/key-information/partner-meetings/">Partner meetings</a></li>')
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{_e(title)} - West Mercia Police and Crime Commissioner</title>
<link rel="canonical" href="{canonical}">
<meta name="generator" content="WordPress 6.4.3">
</head>
<body class="page-template-default page">
<div id="accessibility-bar"><button type="button">Accessibility Settings</button></div>
<a class="skip-link screen-reader-text" href="#content">Skip to main content</a>
<header id="masthead" class="site-header"><nav class="main-navigation"><ul class="menu">{nav}</ul></nav></header>
<main id="content" class="site-main">
<article class="page type-page status-publish hentry">
<header class="entry-header"><h1 class="entry-title">{_e(title)}</h1></header>
<div class="entry-content">
{body}
</div>
</article>
</main>
<footer class="site-footer"><p>&copy; West Mercia Police and Crime Commissioner</p>
<p><a href="https://www.westmercia.police.uk/">West Mercia Police</a></p></footer>
</body>
</html>
"""


def _item_heading(ref: str | None, item: Item) -> str:
    parts = [item.title] + [p for p in (item.papers, item.purpose) if p]
    heading = " – ".join(parts)
    return f"{ref} – {heading}" if ref else heading


def _lines_block(label: str, lines: list[str], era: str) -> str:
    """Attendee / apology lists, written differently in each era."""
    if not lines:
        return f"<p><strong>{label}</strong> None</p>" if era == "2024" else ""
    if era == "2022":
        return f"<p><strong>{label}</strong></p>\n<p>" + "<br>\n".join(
            "- " + _e(x) for x in lines) + "</p>"
    return f"<p><strong>{label}</strong></p>\n<ul>" + "".join(
        f"<li>{_e(x)}</li>" for x in lines) + "</ul>"


def _items_html(page: Page) -> str:
    out = []
    for ref, item in zip(page.refs, page.items):
        out.append(f"<p><strong>{_e(_item_heading(ref, item))}</strong></p>")
        out += [f"<p>{_e(t)}</p>" for t in item.text]
        out += [f"<p>{_e(d if d.startswith(('Decision', 'DECISION')) else 'Decision: ' + d)}</p>"
                for d in item.decisions]
        out += [f"<p>Action: {_e(a)}</p>" for a in item.actions]
    return "\n".join(out)


def _page_body(page: Page, revision: int) -> str:
    labels = {"2022": ("Attendees", "Apologies"), "2023": ("Attendees:", "Apologies:"),
              "2024": ("Attendance:", "Apologies:")}[page.era]
    head = ["<p><strong>West Mercia Governance Board</strong></p>",
            "<p><strong>Notes of Meeting</strong></p>",
            f"<p>{_e(page.date_line)}</p>"]
    if page.time_line:
        head.append(f"<p>{_e(page.time_line)}</p>")
    head.append(f"<p>{_e(page.venue)}</p>")
    parts = head + [_lines_block(labels[0], page.attendees, page.era),
                    _lines_block(labels[1], page.apologies, page.era),
                    "<h2>Minutes</h2>", _items_html(page)]
    if revision:
        # A re-published page: the publisher corrected it in place.
        parts.append(f"<p><em>Page updated (revision {revision}): corrections to the notes.</em></p>")
    return "\n".join(p for p in parts if p)


def render_page(page: Page, revision: int = 0) -> bytes:
    title = f"WMGB {page.label} Minutes"
    canonical = f"/{PREFIX}/{page.slug}/"
    return _chrome(title, canonical, _page_body(page, revision)).encode("utf-8")


def _page_href(page: Page, host_root: str) -> str:
    return {
        "short-noslash": f"{host_root}/{PREFIX}/{page.slug}",
        "short-slash": f"{host_root}/{PREFIX}/{page.slug}/",
        "long-noslash": f"/{PREFIX}/{LISTING}{page.slug}",
        "long-slash": f"{host_root}/{PREFIX}/{LISTING}{page.slug}/",
    }[page.link_form]


def _http_date(day: dt.date, hour: int = 9) -> str:
    return format_datetime(dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.timezone.utc),
                           usegmt=True)


# --------------------------------------------------------------------------------------
# The site
# --------------------------------------------------------------------------------------

class WmgbSite:
    prefix = PREFIX
    # WordPress's default rules, under this site's prefix (the mirror merges every site's).
    robots_txt = f"Disallow: /{PREFIX}/wp-admin/\nAllow: /{PREFIX}/wp-admin/admin-ajax.php\n"
    source_ids = (SOURCE_ID,)

    def __init__(self) -> None:
        self.published: list[Page] = list(PAGES)
        self.pending: list[Page] = list(LATE_PAGES)
        self.revisions: dict[str, int] = {}
        self.listing_revision = 0

    # -- state changes for incremental tests ------------------------------------------
    def publish_late_minutes(self) -> str | None:
        """Turn the oldest "pending submission" month into a page; returns its slug."""
        if not self.pending:
            return None
        page = self.pending.pop(0)
        self.published.append(page)
        self.listing_revision += 1
        return page.slug

    def republish(self, path: str) -> None:
        """Correct a published page in place: same URL, new bytes, later Last-Modified."""
        page = self._page_for(path.strip("/"))
        if page is None:
            raise KeyError(f"no published WMGB page at {path!r}")
        self.revisions[page.slug] = self.revisions.get(page.slug, 0) + 1

    # -- serving ------------------------------------------------------------------------
    def handle(self, request: Request) -> Response:
        path = request.path
        if path.strip("/") == LISTING.strip("/"):
            host_root = "http://" + request.headers.get("host", "127.0.0.1")
            return static_response(request, self.listing_html(host_root), "text/html; charset=UTF-8",
                                   self._listing_modified())
        page = self._page_for(path.strip("/"))
        if page is None:
            return not_found()
        return static_response(request, self.page_bytes(page), "text/html; charset=UTF-8",
                               self._page_modified(page))

    def _page_for(self, path: str) -> Page | None:
        # Every URL form resolves: /<slug>, /<slug>/, /key-information/.../<slug>[/].
        slug = path.removeprefix(LISTING.strip("/") + "/").strip("/")
        return next((p for p in self.published if p.slug == slug), None)

    def page_bytes(self, page: Page) -> bytes:
        return render_page(page, self.revisions.get(page.slug, 0))

    def _page_modified(self, page: Page) -> str:
        # Published about a month after the meeting; each revision a day later.
        return _http_date(page.date + dt.timedelta(days=30 + self.revisions.get(page.slug, 0)))

    def _listing_modified(self) -> str:
        return _http_date(dt.date(2024, 11, 1) + dt.timedelta(days=30 * self.listing_revision))

    def listing_html(self, host_root: str) -> bytes:
        newest_first = sorted(self.published, key=lambda p: p.date, reverse=True)
        entries = [f"<li>{_e(p.label)} – pending submission</li>"
                   for p in sorted(self.pending, key=lambda p: p.date, reverse=True)]
        entries += [f'<li><a href="{_page_href(p, host_root)}">{_e(p.label)}</a></li>'
                    for p in newest_first]
        latest = newest_first[0]
        summary = "\n".join(
            f"<p><strong>{_e(day)}</strong></p>\n<ul>" + "".join(f"<li>{_e(x)}</li>" for x in items)
            + "</ul>" for day, items in DECISIONS_SUMMARY)
        body = f"""<p>The West Mercia Governance Board is the Commissioner's main forum for holding the
Chief Constable to account and for taking decisions on the policing budget and commissioned services.
It normally meets monthly.</p>
<p>The latest notes are those of <a href="/{PREFIX}/{latest.slug}/">{_e(latest.label)}</a>.
Read the <a href="{host_root}/{PREFIX}/key-information/decision-making/">record of decisions</a>.</p>
<h2>Meeting minutes</h2>
<ul class="wmgb-minutes">
{chr(10).join(entries)}
</ul>
<h2>Decisions Made Summary:</h2>
{summary}"""
        canonical = f"{host_root}/{PREFIX}/{LISTING}"
        return _chrome("West Mercia Governance Board", canonical, body, host_root).encode("utf-8")

    # -- what the site holds ------------------------------------------------------------
    def url_forms(self, slug: str) -> list[str]:
        return [slug, slug + "/", f"{LISTING}{slug}", f"{LISTING}{slug}/"]

    def manifest(self) -> dict:
        meetings = []
        for p in sorted(self.published, key=lambda p: p.date):
            meetings.append({
                "source_id": SOURCE_ID, "key": p.slug, "meeting_date": p.date.isoformat(),
                "status": "held", "aliases": self.url_forms(p.slug),
                "documents": [{"path": p.slug + "/", "title": p.label, "kind": "minutes",
                               "sha256": hashlib.sha256(self.page_bytes(p)).hexdigest(),
                               "records_meeting_date": p.date.isoformat()}],
            })
        pending = [{"source_id": SOURCE_ID, "key": f"pending-{p.date:%Y-%m}", "month": f"{p.date:%Y-%m}",
                    "title": f"{p.label} – pending submission"} for p in self.pending]
        return {"listing_path": LISTING, "meetings": meetings, "pending": pending}
