"""The CMIS page parsers on the real Birmingham fragments (tests/fixtures/wmpcp/, see its README):
one test per field a parser reads. Pure functions: no network, no mirror."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from extract.adapters.base import Window
from extract.adapters.cmis import (CmisLayoutError, document_keys, documents_tab_url, months_of, parse_entry_page,
                                   parse_list_view, parse_meeting_page, parse_month_calendar, summary_url)

REAL = Path(__file__).parent / "fixtures" / "wmpcp"
SITE = "https://birmingham.cmis.uk.com/birmingham/"
ENTRY = SITE + "Meetings.aspx"
MEETING_15218 = SITE + "Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/15218/Committee/6/Default.aspx"
JUNE_2026 = dt.date(2026, 6, 1)


def real(name: str) -> bytes:
    return (REAL / name).read_bytes()


# -- entry page -------------------------------------------------------------------------------


def test_entry_page_module_id():
    assert parse_entry_page(real("birmingham_base_module397.html"), ENTRY).module_id == "397"


def test_entry_page_without_dnn_links_has_no_tab():
    # The real entry fragment shows only the action buttons: the tab must come from elsewhere.
    assert parse_entry_page(real("birmingham_base_module397.html"), ENTRY).tab_path is None


def test_entry_page_tab_from_a_link_in_dnn_path_form():
    page = real("birmingham_base_module397.html").replace(
        b"</body>", b'<a href="/birmingham/Meetings/tabid/70/ctl/Login/Default.aspx">Log in</a></body>')
    assert parse_entry_page(page, ENTRY).tab_path == SITE + "Meetings/tabid/70"


@pytest.mark.parametrize("module", ["MeetingCalendarPublic", "MeetingCalendarPublicList"])
def test_entry_page_module_name_may_carry_a_suffix(module):
    page = real("birmingham_base_module397.html").replace(b"$MeetingCalendarPublic$", f"${module}$".encode())
    assert parse_entry_page(page, ENTRY).module_id == "397"


def test_entry_page_without_the_module_is_a_layout_error():
    with pytest.raises(CmisLayoutError, match="no CMIS meetings module"):
        parse_entry_page(b"<html><body><p>Site maintenance</p></body></html>", ENTRY)


# -- list view ------------------------------------------------------------------------------------


@pytest.fixture()
def list_view():
    return parse_list_view(real("birmingham_listview_MeetingCalendarListView.html"),
                           ENTRY + "?ctl=MeetingCalendarListView&mid=397")


def test_list_view_meeting_ids(list_view):
    assert [r.meeting_id for r in list_view[0]] == ["15042", "15115"]


def test_list_view_committee_ids(list_view):
    assert [r.committee_id for r in list_view[0]] == ["4", "38"]


def test_list_view_committee_names(list_view):
    assert [r.committee for r in list_view[0]] == ["Planning Committee", "Standards Committee"]


def test_list_view_dates(list_view):
    assert [r.meeting_date for r in list_view[0]] == [dt.date(2026, 7, 9), dt.date(2026, 7, 23)]


def test_list_view_start_times(list_view):
    assert [r.start_time for r in list_view[0]] == ["11:00", "14:00"]


def test_list_view_venues(list_view):
    assert [r.venue for r in list_view[0]] == ["Committee Rooms 3 & 4", "Committee Room 2"]


def test_list_view_meeting_urls(list_view):
    assert list_view[0][0].url == (SITE + "Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/15042/"
                                   "Committee/4/SelectedTab/Documents/Default.aspx")


def test_list_view_tab_from_its_meeting_links(list_view):
    assert list_view[1] == SITE + "Meetings/tabid/70"


# -- month calendar ---------------------------------------------------------------------------------


@pytest.fixture()
def june():
    return parse_month_calendar(real("birmingham_calendar_month_nojava_2026-06.html"), ENTRY, JUNE_2026)


def test_calendar_dates_take_the_requested_year(june):
    assert [r.meeting_date for r in june] == [dt.date(2026, 6, 8), dt.date(2026, 6, 9), dt.date(2026, 6, 9),
                                              dt.date(2026, 6, 30)]
    later = parse_month_calendar(real("birmingham_calendar_month_nojava_2026-06.html"), ENTRY, dt.date(2027, 6, 1))
    assert {r.meeting_date.year for r in later} == {2027}


def test_calendar_days_without_meetings_give_no_rows(june):
    assert dt.date(2026, 6, 1) not in [r.meeting_date for r in june]


def test_calendar_meeting_ids_several_a_day(june):
    assert [r.meeting_id for r in june] == ["15028", "15029", "15030", "15099"]


def test_calendar_committee_ids(june):
    assert [r.committee_id for r in june] == ["6", "7", "7", "4"]


def test_calendar_committee_names(june):
    assert june[0].committee == "Licensing Sub-Committee A" and june[-1].committee == "Planning Committee"


def test_calendar_start_times(june):
    assert [r.start_time for r in june] == ["10:00", "10:00", "12:00", "14:00"]


def test_calendar_urls_as_linked(june):
    assert june[0].url.endswith("/Meeting/15028/Committee/6/SelectedTab/Documents/Default.aspx")


def test_calendar_has_no_venue(june):
    assert {r.venue for r in june} == {None}


def test_calendar_day_of_the_next_year_in_a_december_grid():
    page = b'<table><tr><td class="SimpleCalendarDate">Friday, 1 January</td><td><p class="Meeting">' \
           b'<a href="/x/Meetings/tabid/70/ctl/ViewMeetingPublic/mid/397/Meeting/1/Committee/436/Default.aspx">' \
           b'14:00 Panel</a></p></td></tr></table>'
    assert parse_month_calendar(page, ENTRY, dt.date(2026, 12, 1))[0].meeting_date == dt.date(2027, 1, 1)


# -- meeting summary --------------------------------------------------------------------------------


@pytest.fixture()
def summary():
    return parse_meeting_page(real("birmingham_meeting_summary_15218.html"), MEETING_15218)


def test_summary_committee(summary):
    assert summary.committee == "Licensing Sub-Committee A"


def test_summary_date(summary):
    assert summary.meeting_date == dt.date(2026, 8, 3)


def test_summary_start_time(summary):
    assert summary.start_time == "10:00"


def test_summary_status_by_its_label_not_its_class(summary):
    # The status value is marked "Value Venue": only the label says it is the status.
    assert summary.status == "Scheduled"


def test_summary_venue_nested_in_the_status_holder(summary):
    assert summary.venue == "On-line meeting"


def test_summary_document_link(summary):
    assert [(d.title, d.url) for d in summary.documents] == [
        ("Minutes of the previous meeting", SITE + "Document.ashx?czJKcaeAi5tUFL1DTL2UE4sOqCLHzE2A")]


def test_date_time_with_an_end_time():
    page = real("birmingham_meeting_summary_15218.html").replace(b"3 Aug 2026 - 10:00", b"2 Feb 2026 - 14:00 to 17:00")
    got = parse_meeting_page(page, MEETING_15218)
    assert (got.meeting_date, got.start_time) == (dt.date(2026, 2, 2), "14:00")


# -- documents tab ----------------------------------------------------------------------------------


@pytest.fixture()
def with_minutes():
    return parse_meeting_page(real("birmingham_meeting_documents_with_minutes.html"), MEETING_15218).documents


def test_documents_titles(with_minutes):
    assert [d.title for d in with_minutes] == ["Final Planning Minutes 16042026", "Final Agenda Reports - 9th July 2026"]


def test_documents_urls_keep_the_folder_case_as_linked(with_minutes):
    assert [d.url for d in with_minutes] == ["https://birmingham.cmis.uk.com/Birmingham/Document.ashx?id=abc123",
                                             "https://birmingham.cmis.uk.com/Birmingham/Document.ashx?id=def456"]


def test_documents_sizes(with_minutes):
    assert [d.size for d in with_minutes] == ["(156Kb)", "(2Mb)"]


def test_documents_tab_has_no_summary_fields():
    got = parse_meeting_page(real("birmingham_meeting_documents_no_minutes.html"), MEETING_15218)
    assert (got.committee, got.meeting_date, got.status, [d.title for d in got.documents]) == \
        (None, None, None, ["Agenda Contents"])


# -- keys and URLs ------------------------------------------------------------------------------------


def test_document_keys_by_meeting_and_title_repeated_titles_apart():
    keys = document_keys(MEETING_15218, ["Agenda Contents", "Appendix 1", "Appendix 1"])
    assert keys == [MEETING_15218 + "#document=Agenda%20Contents", MEETING_15218 + "#document=Appendix%201",
                    MEETING_15218 + "#document=Appendix%201~2"]


def test_document_keys_ignore_which_tab_linked_the_meeting():
    tab = documents_tab_url(MEETING_15218)
    assert tab.endswith("/Committee/6/SelectedTab/Documents/Default.aspx") and summary_url(tab) == MEETING_15218
    assert document_keys(tab, ["Agenda"]) == document_keys(MEETING_15218, ["Agenda"])


def test_months_of_a_window_across_a_year_end():
    assert months_of(Window(dt.date(2025, 12, 15), dt.date(2026, 2, 1))) == [
        dt.date(2025, 12, 1), dt.date(2026, 1, 1), dt.date(2026, 2, 1)]
