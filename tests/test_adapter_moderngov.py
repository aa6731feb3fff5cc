"""ModernGov adapter: the pure parse functions, one test per field.

Web-service parsing runs on REAL captured XML (Manchester, tests/fixtures/moderngov_real/moderngov_ws).
Page parsing runs on the REAL LGSF page fragments where they have the feature, and on the replica's
ieListDocuments / ieListMeetings pages for what no real fragment holds (full meeting pages in both
renderings, the year selector): sources.md section 6 notes no raw CId=147 page is stored anywhere.
"""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from transform.html import html_to_text
from transform.moderngov_ws import attendance_status, parse_meeting_minutes, ws_answer_problem
from extract.adapters.committee_systems import kind_hint
from extract.adapters.moderngov import (
    absolute_url,
    parse_day_month_year,
    parse_get_meeting,
    parse_get_meetings,
    parse_list_documents_html,
    parse_list_meetings_html,
    parse_time,
    ws_document,
    ParseError,
)
from mirror.server import Request
from mirror.sites.moderngov import ModernGovSite
from kernel.records import AttendanceStatus, DocKind

REAL = Path(__file__).parent / "fixtures" / "moderngov_real"
WS = REAL / "moderngov_ws"
PAGES = REAL / "moderngov_html"
MANCHESTER = "https://democracy.manchester.gov.uk/"


def real(name: str) -> bytes:
    return (WS / name).read_bytes() if name.endswith(".xml") else (PAGES / name).read_bytes()


MEETINGS = real("manchester_GetMeetings_committee144.xml")
WITH_MINUTES = real("manchester_GetMeeting_4967_with_minutes.xml")
CANCELLED = real("manchester_GetMeeting_4966_no_minutes.xml")


# -- GetMeetings --------------------------------------------------------------------------


def test_get_meetings_ids():
    assert [r.meeting_id for r in parse_get_meetings(MEETINGS)] == ["4966", "4967"]


def test_get_meetings_count_matches_space_padded_meetingscount():
    # "<meetingscount> 2</meetingscount>": the leading space must not break anything.
    assert "<meetingscount> 2</meetingscount>" in MEETINGS.decode()
    assert len(parse_get_meetings(MEETINGS)) == 2


def test_get_meetings_dates_are_day_first():
    assert [r.meeting_date for r in parse_get_meetings(MEETINGS)] == [dt.date(2026, 1, 13), dt.date(2026, 2, 10)]


def test_get_meetings_status():
    assert [r.status for r in parse_get_meetings(MEETINGS)] == ["Cancelled", "Confirmed"]


def test_get_meetings_time_is_24h():
    assert {r.start_time for r in parse_get_meetings(MEETINGS)} == {"10:00"}


def test_get_meetings_committee_title():
    assert {r.committee_title for r in parse_get_meetings(MEETINGS)} == {"Audit Committee"}


def test_get_meetings_rejects_html_error_page():
    with pytest.raises(ParseError):
        parse_get_meetings(b"<html><body><h1>Server Error</h1>")


OTHER = REAL / "moderngov_other"
IIS_REDIRECT = (OTHER / "denbighshire_GetCouncillorsByWard_over_http_IIS_HttpRedirect_page.html").read_bytes()
OTHER_OPERATION = (OTHER / "eastherts_GetCouncillorsByWard_empty.xml").read_bytes()


@pytest.mark.parametrize("answer, says", [
    (IIS_REDIRECT, "XML with root <script>, not the <getmeetings> of GetMeetings"),
    (OTHER_OPERATION, "XML with root <councillorsbyward>, not the <getmeetings> of GetMeetings"),
], ids=["iis_redirect_page", "another_operations_answer"])
def test_real_answers_of_the_wrong_kind_are_no_meetings_list(answer, says):
    """Both are well-formed XML: read by the element names alone they were "no meetings"."""
    assert ws_answer_problem(answer, "GetMeetings") == says
    with pytest.raises(ParseError):
        parse_get_meetings(answer)
    with pytest.raises(ParseError):
        parse_get_meeting(answer)


def test_the_real_answers_are_what_they_answer():
    assert ws_answer_problem(MEETINGS, "GetMeetings") is None
    assert ws_answer_problem(WITH_MINUTES, "GetMeeting") is None
    assert ws_answer_problem(MEETINGS, "GetMeeting") == "XML with root <getmeetings>, not the <meeting> of GetMeeting"
    assert ws_answer_problem(b"", "GetMeeting") == "an empty body, not the GetMeeting answer"
    assert ws_answer_problem(b"<!DOCTYPE html><html><body>Runtime Error", "GetMeeting") == \
        "an HTML page, not the GetMeeting answer"


# -- GetMeeting ---------------------------------------------------------------------------


def test_get_meeting_id_and_date():
    m = parse_get_meeting(WITH_MINUTES)
    assert (m.meeting_id, m.meeting_date) == ("4967", dt.date(2026, 2, 10))


def test_get_meeting_location():
    assert parse_get_meeting(WITH_MINUTES).location == "Council Antechamber, Level 2, Town Hall Extension"


def test_get_meeting_time():
    assert parse_get_meeting(WITH_MINUTES).start_time == "10:00"


def test_get_meeting_published_flags():
    held, cancelled = parse_get_meeting(WITH_MINUTES), parse_get_meeting(CANCELLED)
    assert (held.agenda_published, held.minutes_published) == (True, True)
    assert (cancelled.agenda_published, cancelled.minutes_published) == (False, False)


def test_get_meeting_cancelled_status_and_no_documents():
    m = parse_get_meeting(CANCELLED)
    assert m.status == "Cancelled" and m.documents == []


def test_get_meeting_attachment_ids():
    assert [d.attachment_id for d in parse_get_meeting(WITH_MINUTES).documents] == ["60860", "60909"]


def test_get_meeting_attachment_titles_whitespace_collapsed():
    titles = [d.title for d in parse_get_meeting(WITH_MINUTES).documents]
    assert titles == ["6 - CHAIR APPROVED Minutes Audit Committee 25 Nov 2025", "DRAFT WP FEBRUARY 2026"]


def test_get_meeting_attachment_urls():
    assert parse_get_meeting(WITH_MINUTES).documents[0].url == f"{MANCHESTER}mgConvert2PDF.aspx?ID=60860"


def test_get_meeting_publication_dates():
    assert {d.published_date for d in parse_get_meeting(WITH_MINUTES).documents} == {dt.date(2026, 2, 2)}


def test_get_meeting_item_title_of_each_attachment():
    # The minutes of the previous meeting hang off the next meeting's "Minutes" item.
    assert [d.item_title for d in parse_get_meeting(WITH_MINUTES).documents] == ["Minutes", "Work Programme"]


def test_get_meeting_double_escaped_title():
    xml = WITH_MINUTES.replace(b"DRAFT WP  FEBRUARY 2026", b"Budget &amp;amp; Precept &amp;#39;26")
    assert parse_get_meeting(xml).documents[1].title == "Budget & Precept '26"


def test_get_meeting_rejects_other_xml():
    with pytest.raises(ParseError):
        parse_get_meeting(MEETINGS)


# -- documents discovered from the web service ---------------------------------------------


def test_ws_document_fingerprint_is_attachment_id_and_date():
    doc = ws_document(parse_get_meeting(WITH_MINUTES).documents[0], MANCHESTER)
    assert doc.fingerprint == "attachment:60860:2026-02-02"


def test_ws_document_kind_hint_from_title():
    docs = [ws_document(d, MANCHESTER) for d in parse_get_meeting(WITH_MINUTES).documents]
    assert [d.kind_hint for d in docs] == [DocKind.MINUTES, DocKind.REPORT]


def test_ws_document_http_url_upgraded_on_https_site():
    xml = WITH_MINUTES.replace(b"<url>https://", b"<url>http://")
    doc = ws_document(parse_get_meeting(xml).documents[0], MANCHESTER)
    assert doc.url == f"{MANCHESTER}mgConvert2PDF.aspx?ID=60860"


def test_ws_document_published_date():
    doc = ws_document(parse_get_meeting(WITH_MINUTES).documents[1], MANCHESTER)
    assert doc.published_date == dt.date(2026, 2, 2)


# -- parse_meeting_minutes ------------------------------------------------------------------


def test_minutes_item_refs_are_minute_numbers():
    items, _ = parse_meeting_minutes(WITH_MINUTES)
    assert [i.ref for i in items] == ["1", "9"]


def test_minutes_item_titles():
    items, _ = parse_meeting_minutes(WITH_MINUTES)
    assert [i.title for i in items] == ["Minutes", "Work Programme"]


def test_minutes_item_text_is_stripped_html_with_wraps_joined():
    items, _ = parse_meeting_minutes(WITH_MINUTES)
    assert items[0].text == "To approve the minutes of the meeting held on 25 November 2025 as a correct record."
    assert "<" not in items[1].text and "Work\nProgramme" not in items[1].text


def test_minutes_expected_attendees_are_not_attendance():
    # "Expected" is the register before a meeting: nobody has attended yet.
    assert parse_meeting_minutes(WITH_MINUTES)[1] == []


def test_minutes_attendee_name_role_status():
    xml = WITH_MINUTES.replace(b'attendance="Expected"', b'attendance="Apologies"')
    _, people = parse_meeting_minutes(xml)
    assert [(p.person, p.role, p.status) for p in people] == [
        ("Basil Curley", "Committee Member", AttendanceStatus.APOLOGIES)]


@pytest.mark.parametrize("raw,status", [
    ("Present", AttendanceStatus.PRESENT), ("Present as substitute", AttendanceStatus.PRESENT),
    ("Apologies, sent substitute", AttendanceStatus.APOLOGIES), ("Absent", AttendanceStatus.ABSENT),
    ("In attendance", AttendanceStatus.IN_ATTENDANCE), ("Expected", None)])
def test_attendance_words(raw, status):
    assert attendance_status(raw) is status


def test_minutes_of_cancelled_meeting_are_empty():
    assert parse_meeting_minutes(CANCELLED) == ([], [])


# -- real page fragments ---------------------------------------------------------------------


def test_page_document_href_with_spaces_is_quoted():
    page = parse_list_documents_html(real("lgsf_modgov_decision_detail.html"), "https://council.example/")
    assert [d.url for d in page.documents] == ["https://council.example/documents/s7942/polc2%20-%2023.09.2015.pdf"]


@pytest.mark.parametrize("broken", ["polc2 - \n23.09.2015.pdf", "polc2 - 23.09.\r\n2015.pdf", "\n\tpolc2 - 23.09.2015.pdf\n"])
def test_page_document_href_with_line_breaks_is_cleaned_as_a_browser_does(broken):
    """ModernGov wraps long lines of its HTML, inside attributes too; a browser removes tabs and
    line breaks from a URL, so they must not be percent-encoded into the path (%0A)."""
    page = real("lgsf_modgov_decision_detail.html").replace(b"polc2 - 23.09.2015.pdf",
                                                             broken.encode())
    found = parse_list_documents_html(page, "https://council.example/")
    assert [d.url for d in found.documents] == ["https://council.example/documents/s7942/polc2%20-%2023.09.2015.pdf"]


def test_page_document_title_without_file_size():
    page = parse_list_documents_html(real("lgsf_modgov_decision_detail.html"), "https://council.example/")
    assert page.documents[0].title == "polc2 - 23.09.2015"


def test_page_document_fingerprint_from_s_number():
    page = parse_list_documents_html(real("lgsf_modgov_decision_detail.html"), "https://council.example/")
    assert page.documents[0].fingerprint == "attachment:7942"


def test_page_label_from_double_spaced_h1():
    page = parse_list_documents_html(real("lgsf_modgov_decision_detail.html"), "https://council.example/")
    assert page.page_label == "Decision details"


def test_page_without_documents():
    page = parse_list_documents_html(real("lgsf_modgov_decision_detail_no_documents.html"), "https://c.example/")
    assert page.documents == []


def test_meeting_link_with_upper_case_mid_and_entity_date():
    listed = parse_list_meetings_html(real("lgsf_modgov_decision_detail.html"), "https://council.example/")
    m = listed.meetings[0]
    assert (m.meeting_id, m.meeting_date) == ("4832", dt.date(2015, 10, 19))
    assert m.url == "https://council.example/ieListDocuments.aspx?CId=151&MID=4832"


def test_decisions_list_has_no_meetings():
    listed = parse_list_meetings_html(real("lgsf_modgov_decisions_list.html"), "https://council.example/")
    assert (listed.meetings, listed.years) == ([], [])


# -- replica pages (full ieListDocuments / ieListMeetings) -------------------------------------

SITE = ModernGovSite()
BASE = "https://worcestershire.moderngov.co.uk/"


def replica(path: str, **query: str) -> bytes:
    return SITE.handle(Request("GET", path, query, "", {"host": "worcestershire.moderngov.co.uk"})).body


def meeting_page(mid: int):
    return parse_list_documents_html(replica("ieListDocuments.aspx", cid="147", mid=str(mid)), BASE)


def test_page_heading_date_and_time():
    page = meeting_page(2825)
    assert (page.meeting_date, page.start_time) == (dt.date(2019, 9, 10), "11:00")


def test_page_heading_committee():
    assert meeting_page(2825).committee == "West Mercia Police and Crime Panel"


def test_page_label_draft_minutes():
    assert meeting_page(2825).page_label == "Agenda and draft minutes"


def test_page_venue():
    assert meeting_page(5707).location == "Wyre Forest House, Kidderminster"


def test_page_printed_minutes_link():
    kinds = {d.title: d.kind_hint for d in meeting_page(2825).documents}
    assert kinds["Printed minutes"] == DocKind.MINUTES and kinds["Public reports pack"] == DocKind.PACK
    url = next(d.url for d in meeting_page(2825).documents if d.title == "Printed minutes")
    assert url == (f"{BASE}documents/g2825/Printed%20minutes%2010th-Sep-2019%2011.00%20West%20Mercia%20Police"
                   "%20and%20Crime%20Panel.pdf?T=1")


def test_page_item_documents_include_additional_documents():
    urls = [d.url for d in meeting_page(2825).documents]
    assert f"{BASE}documents/s25514/Appendix%201%20-%20Draft%20SOC%20Strategy.pdf" in urls


def test_page_numbered_rendering_items():
    items = meeting_page(7165).items
    assert [i.ref for i in items] == ["486", "487", "488", "489", "490", "491"]
    assert items[4].title == "Police and Crime Commissioner's Annual Report 2022/23"
    assert items[4].text == "The Panel considered the PCC's Annual Report 2022/23 and made recommendations."


def test_page_unnumbered_rendering_items():
    items = meeting_page(2825).items
    assert [i.ref for i in items] == [None] * 10
    assert items[4].title == "Confirmation of the Minutes of the previous meeting"
    assert items[4].text.startswith("The Minutes of the meeting held on 18 June 2019 were agreed")


def test_page_cancelled_meeting():
    page = meeting_page(3265)
    assert page.cancelled and page.documents == [] and page.meeting_date == dt.date(2020, 3, 24)


def test_list_meetings_years_and_links():
    listed = parse_list_meetings_html(replica("ieListMeetings.aspx", cid="147", year="2020"), BASE)
    assert listed.years == list(range(2019, 2028))
    assert [(m.meeting_id, m.cancelled) for m in listed.meetings] == [("3265", True)]


def test_list_meetings_dates_times():
    listed = parse_list_meetings_html(replica("ieListMeetings.aspx", cid="147", year="2019"), BASE)
    assert [(m.meeting_id, m.meeting_date, m.start_time) for m in listed.meetings] == [
        ("2823", dt.date(2019, 11, 18), "10:00"), ("2825", dt.date(2019, 9, 10), "11:00"),
        ("2820", dt.date(2019, 6, 18), "10:00")]


# -- small helpers ------------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("10.00 am", "10:00"), ("1.30 pm", "13:30"), ("12.00 pm", "12:00"), ("12.15 am", "00:15"),
    ("7:30 pm", "19:30"), ("18 Nov 2019\xa010.00 am", "10:00"), ("no time", None)])
def test_parse_time(text, expected):
    assert parse_time(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("West Mercia Police and Crime Panel - Tuesday, 10th September, 2019 10.00 am", dt.date(2019, 9, 10)),
    # Kingston's real heading style (aifgi/council_cycle test page): no ordinal, no commas.
    ("Kingston and North Kingston Neighbourhood Committee - Thursday 4 December 2025 7:30 pm, CANCELLED",
     dt.date(2025, 12, 4)),
    ("18 Nov 2019 10.00 am", dt.date(2019, 11, 18)), ("19/10/2015 - Policy Committee", dt.date(2015, 10, 19)),
    ("Minutes of Previous Meeting", None)])
def test_parse_day_month_year(text, expected):
    assert parse_day_month_year(text) == expected


def test_absolute_url_keeps_existing_escapes_and_query():
    assert absolute_url("documents/g1/Printed%20minutes.pdf?T=1", BASE) == f"{BASE}documents/g1/Printed%20minutes.pdf?T=1"


def test_absolute_url_leaves_other_hosts_alone():
    assert absolute_url("http://other.example/x.pdf", BASE) == "http://other.example/x.pdf"


@pytest.mark.parametrize("title,kind", [
    ("Agenda reports pack", DocKind.PACK), ("Public reports pack", DocKind.PACK), ("Printed minutes", DocKind.MINUTES),
    ("Agenda frontsheet", DocKind.AGENDA), ("Rural Crime report", DocKind.REPORT), (None, DocKind.REPORT)])
def test_kind_hint(title, kind):
    assert kind_hint(title) is kind


def test_html_to_text_paragraphs_on_lines():
    assert html_to_text("<p>One\nline</p><p>&nbsp;</p><ul><li>two &amp; three</li></ul>") == "One line\ntwo & three"
