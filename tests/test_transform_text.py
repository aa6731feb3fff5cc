"""Text extraction: engines, running header/footer removal, paragraph re-joining, HTML."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from kernel.records import ParseStatus
from transform.html import html_to_lines
from transform.text import ENGINES, extract_lines, sniff, ExtractError

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
WMGB = Path(__file__).parent / "fixtures" / "westmercia-wmgb"
MODERNGOV_XML = Path(__file__).parent / "fixtures" / "moderngov_real" / "moderngov_ws" / "manchester_GetMeeting_4967_with_minutes.xml"


@lru_cache(maxsize=None)
def lines_of(stem: str, engine: str = "pdfium") -> tuple[str, ...]:
    res = extract_lines((CORPUS / "pdf" / f"{stem}.pdf").read_bytes(), "application/pdf", engine=engine)
    assert res.status == ParseStatus.OK
    return tuple(res.lines)


def test_page_count():
    res = extract_lines((CORPUS / "pdf" / "000_7db24023d40e4ca6.pdf").read_bytes(), "application/pdf")
    assert res.pages == 8


@pytest.mark.parametrize("engine", ENGINES)
def test_page_footer_removed_for_every_engine(engine):
    lines = lines_of("000_7db24023d40e4ca6", engine)
    assert not [ln for ln in lines if "Page " in ln and " of 8" in ln]


def test_running_header_removed_but_reported():
    res = extract_lines((CORPUS / "pdf" / "003_eec2d70e111a21ed.pdf").read_bytes(), "application/pdf")
    assert "West Mercia Police and Crime Panel" in res.running
    assert "West Mercia Police and Crime Panel" not in res.lines[1:]


def test_no_carriage_returns():
    assert not any("\r" in ln for ln in lines_of("000_7db24023d40e4ca6"))


def test_minute_number_stays_with_its_text():
    assert "109/19 The Commissioner welcomed everybody to the meeting, reminding attendees that it was being webcast." in lines_of("000_7db24023d40e4ca6")


def test_wrapped_heading_rejoined_in_narrow_table_column():
    assert "309 Confirmation of the Minutes of the previous meeting" in lines_of("003_eec2d70e111a21ed")


def test_paragraph_rejoined_across_page_break():
    lines = lines_of("003_eec2d70e111a21ed")
    assert any(ln.startswith("The Police and Crime Commissioner (PCC) introduced the draft") and "PCC’s Policy Officer went on" in ln for ln in lines)


def test_separate_list_entries_not_merged():
    lines = lines_of("003_eec2d70e111a21ed")
    assert "the performance framework for the SOC Strategy would be brought back to the Panel" in lines


def test_word_hyphenated_at_line_break_joined_with_hyphen():
    assert any("(Scrutiny Co-ordinator)" in ln for ln in lines_of("003_eec2d70e111a21ed"))


def test_sentence_broken_by_converter_rejoined():
    # "... in September and" / "responses would be shared ..." with a paragraph gap between
    assert any("in September and responses would be shared" in ln for ln in lines_of("003_eec2d70e111a21ed"))


def test_pdfium_styles_align_with_lines():
    res = extract_lines((CORPUS / "pdf" / "002_e7f0e2d2245b18d2.pdf").read_bytes(), "application/pdf")
    assert len(res.styles) == len(res.lines)
    i = res.lines.index("PURPOSE OF REPORT")
    j = res.lines.index("Stop and Search")
    assert res.styles[i][0] > res.styles[j][0]


def test_unknown_engine_rejected():
    with pytest.raises(ValueError):
        extract_lines(b"%PDF-1.4", "application/pdf", engine="nope")


@pytest.mark.parametrize("data,ctype,kind", [
    (b"%PDF-1.7\n...", None, "pdf"),
    (b"%PDF-1.7\n...", "text/html", "pdf"),  # magic wins
    (b"  <html><body>x</body></html>", None, "html"),
    (b"plain words", "text/plain", "text"),
])
def test_sniff(data, ctype, kind):
    assert sniff(data, ctype) == kind


def test_sniff_rejects_office_zip():
    with pytest.raises(ExtractError) as e:
        sniff(b"PK\x03\x04rest", None)
    assert e.value.status == ParseStatus.UNSUPPORTED


def test_html_blocks_and_bullets():
    lines = html_to_lines("<div><p>One <b>bold</b></p><ul><li>first</li><li>second</li></ul><br>tail</div>")
    assert lines == ["One bold", "• first", "• second", "tail"]


def test_html_skips_navigation_and_footer():
    lines = html_to_lines((WMGB / "wmgb-june-2023-minutes.html").read_text())
    assert lines[0] == "West Mercia Governance Board"
    assert not any("Key information" in ln or "©" in ln for ln in lines)


def test_html_table_row_is_one_line():
    lines = html_to_lines("<table><tr><td>305</td><td>Welcome</td></tr></table>")
    assert lines == ["305 | Welcome"]


def test_moderngov_xml_minutes():
    lines = html_to_lines(MODERNGOV_XML.read_text())
    assert lines[:2] == ["Minutes", "Meeting date: 10/02/2026"]
    assert any("25 November 2025 as a correct record" in ln for ln in lines)
    assert not any("&lt;" in ln or "<p" in ln for ln in lines)


def test_plain_text_input():
    res = extract_lines(b"Minutes\r\n\r\n1. Welcome\r\n", "text/plain")
    assert res.lines == ["Minutes", "1. Welcome"] and res.kind == "text"


def test_moderngov_xml_item_titles_are_unescaped_twice_as_the_web_service_escapes_them():
    # sources.md §2.5: the web service's text comes back escaped twice ("&" as "&amp;amp;"). The
    # real answer's titles hold no entity, so one is given the escaping the service applies.
    xml = MODERNGOV_XML.read_text().replace("<agendaitemtitle>Work Programme<",
                                            "<agendaitemtitle>Commissioner&amp;#39;s Work Programme &amp;amp; Plan<")
    lines = html_to_lines(xml)
    assert any(ln.endswith("– Commissioner's Work Programme & Plan") for ln in lines), lines
    assert not any("&#39;" in ln or "&amp;" in ln for ln in lines)
