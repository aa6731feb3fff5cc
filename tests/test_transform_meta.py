"""Document meta: kind, body, meeting date, start time, venue; and the date/time readers."""
from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from pathlib import Path

import pytest

from kernel.records import DocHints, DocKind
from transform import parse_document
from transform.dates import (MONTH, find_dates, find_time, first_date, first_real_date, month_number, to_date,
                             year_from_url)
from transform.meta import doc_kind

FIX = Path(__file__).parent / "fixtures"
CORPUS = FIX / "corpus"


@lru_cache(maxsize=None)
def parsed(stem: str):
    return parse_document((CORPUS / "pdf" / f"{stem}.pdf").read_bytes(), content_type="application/pdf", hints=DocHints())


@lru_cache(maxsize=None)
def wmgb(slug: str, hints_date: dt.date | None = None):
    data = (FIX / "westmercia-wmgb" / f"{slug}.html").read_bytes()
    return parse_document(data, content_type="text/html",
                          hints=DocHints(url=f"https://westmercia-pcc.gov.uk/{slug}", meeting_date=hints_date))


@pytest.mark.parametrize("stem,date", [
    ("000_7db24023d40e4ca6", dt.date(2019, 9, 17)),
    ("002_e7f0e2d2245b18d2", dt.date(2016, 3, 1)),
    ("003_eec2d70e111a21ed", dt.date(2019, 9, 10)),
])
def test_meeting_date(stem, date):
    assert parsed(stem).meeting_date == date


@pytest.mark.parametrize("stem,kind", [
    ("000_7db24023d40e4ca6", DocKind.MINUTES),
    ("002_e7f0e2d2245b18d2", DocKind.REPORT),
    ("003_eec2d70e111a21ed", DocKind.MINUTES),
])
def test_doc_kind(stem, kind):
    assert parsed(stem).doc_kind == kind


@pytest.mark.parametrize("stem,body", [
    ("000_7db24023d40e4ca6", "Strategic Policing and Crime Board"),
    ("003_eec2d70e111a21ed", "West Mercia Police and Crime Panel"),
])
def test_body(stem, body):
    assert parsed(stem).body == body


def test_start_time_from_date_line():
    assert parsed("003_eec2d70e111a21ed").start_time == "11:00"


def test_closing_time_is_not_the_start_time():
    assert parsed("000_7db24023d40e4ca6").start_time is None  # only "closed at 13:05hrs" is printed


def test_location_after_date_line():
    assert parsed("000_7db24023d40e4ca6").location == "Main Conference room (G2), Lloyd House"


def test_wmgb_2022_date_time_venue():
    d = wmgb("wmgb-january-2022-minutes")
    assert (d.meeting_date, d.start_time, d.location) == (dt.date(2022, 1, 18), "13:30", "Willison Room, Hindlip")


def test_wmgb_year_missing_taken_from_url_slug():
    assert wmgb("wmgb-june-2023-minutes").meeting_date == dt.date(2023, 6, 21)


def test_wmgb_year_missing_taken_from_hints_first():
    # the listing's date beats the slug (slugs are hand-made)
    assert wmgb("wmgb-june-2023-minutes", dt.date(2023, 6, 21)).meeting_date == dt.date(2023, 6, 21)


def test_wmgb_2024_labelled_date_and_time():
    d = wmgb("wmgb-2024-january-minutes")
    assert (d.meeting_date, d.start_time, d.location, d.body) == (
        dt.date(2024, 1, 25), "14:00", "Willison Room, Hindlip", "West Mercia Governance Board")


def test_doc_kind_falls_back_to_hints():
    assert doc_kind(["Some paper", "with text"], DocHints(doc_kind=DocKind.AGENDA)) == DocKind.AGENDA
    assert doc_kind(["Some paper"], DocHints()) == DocKind.OTHER


def test_doc_kind_agenda():
    assert doc_kind(["Strategic Policing and Crime Board", "AGENDA", "1. Apologies"], DocHints()) == DocKind.AGENDA


@pytest.mark.parametrize("text,date", [
    ("Tuesday, 17 September 2019", dt.date(2019, 9, 17)),
    ("1st March 2016", dt.date(2016, 3, 1)),
    ("Date of meeting – 16 March 2021", dt.date(2021, 3, 16)),
    ("10/09/2019", dt.date(2019, 9, 10)),
    ("17.09.19", dt.date(2019, 9, 17)),
    ("2019-09-17", dt.date(2019, 9, 17)),
    ("September 17, 2019", dt.date(2019, 9, 17)),
    ("Wed 3rd Sept 2025", dt.date(2025, 9, 3)),
])
def test_date_formats(text, date):
    assert first_date(text) == date


def test_date_without_year_needs_context():
    assert first_date("Wednesday 21st June, 14:30-17:00") is None
    assert first_date("Wednesday 21st June, 14:30-17:00", default_year=2023) == dt.date(2023, 6, 21)


def test_invalid_date_skipped():
    assert find_dates("31/02/2020 and 32 March 2020") == []


@pytest.mark.parametrize("text,time", [
    ("Tuesday, 10 September 2019, - 11.00 am", "11:00"),
    ("13:30-15:30", "13:30"),
    ("Time: 14:00hrs", "14:00"),
    ("starting at 2pm", "14:00"),
    ("12.30 pm", "12:30"),
    ("no time here 2019", None),
])
def test_times(text, time):
    assert find_time(text) == time


def test_one_month_table_reads_every_spelling():
    # the adapters' listings and the papers share dates.MONTHS: whole names, abbreviations, "Sept"
    for name, number in (("Sept", 9), ("September", 9), ("sep", 9), ("June", 6), ("DEC", 12), ("may", 5)):
        assert month_number(name) == number
    assert month_number("Item") is None


def test_listing_dates_skip_impossible_days():
    # "31 June" is a typo on a listing: the reader looks past it to the next real date
    pattern = re.compile(rf"(?P<day>\d{{1,2}})\s+(?P<mon>{MONTH})\s+(?P<year>\d{{4}})", re.I)
    assert first_real_date(pattern, "31 June 2024, then 2 July 2024") == dt.date(2024, 7, 2)
    assert first_real_date(pattern, "31 June 2024") is None
    assert first_real_date(pattern, None) is None
    assert to_date(2024, None, 3) is None and to_date(2024, 2, 30) is None


def test_year_from_url():
    assert year_from_url("https://x/wmgb-2024-january-minutes/") == 2024
    assert year_from_url(None) is None


def test_an_agenda_listing_the_previous_minutes_is_still_an_agenda():
    from kernel.records import DocHints, DocKind
    from transform.meta import doc_kind

    lines = ["AGENDA ITEM 1", "ACCOUNTABILITY AND GOVERNANCE BOARD", "Tuesday 17 February 2026 at 10:00am",
             "AGENDA", "1. Apologies", "2. Declarations of interest", "3. Minutes of the last meeting", "4. Reports"]
    assert doc_kind(lines, DocHints()) == DocKind.AGENDA


def test_minutes_published_as_an_agenda_item_of_the_next_meeting_are_minutes():
    from kernel.records import DocHints, DocKind
    from transform.meta import doc_kind

    lines = ["AGENDA ITEM 3", "STRATEGIC POLICING AND CRIME BOARD", "Notes of meeting held on Tuesday, 5 December 2017",
             "Present:", "Someone Name : Board Member"]
    assert doc_kind(lines, DocHints()) == DocKind.MINUTES


def test_a_short_reports_pack_the_publisher_labels_so_is_a_pack():
    from kernel.records import DocHints, DocKind
    from transform.meta import doc_kind

    lines = ["West Mercia Police and Crime Panel", "Agenda", "1. Apologies", "2. Precept report"]
    assert doc_kind(lines, DocHints(doc_kind=DocKind.PACK)) == DocKind.PACK
    assert doc_kind(lines, DocHints()) == DocKind.AGENDA
