"""The PDF path (pdfium lines, running header/footer removal, re-joining wrapped lines, table
cells) must give what the text path gives for the same document. The inputs are realtext
documents (tests/fixtures/realtext) printed by Chromium in the corpus PDFs' layout and in
variations of it (tests/fixtures/rendered/README.md; made by tools/render_corpus_like.py):
each PDF is parsed and compared, field by field, with the parse of its source text as
text/plain. All but one (surrey …__tight, kept as a regression guard: no paragraph spacing,
two-line footer) made the two disagree before parser 2026.11.4. No Chromium needed."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from kernel.records import DocHints, ParseStatus
from transform.document import parse_document
from transform.text import extract_lines

HERE = Path(__file__).parent / "fixtures"
RENDERED = HERE / "rendered"
REAL = HERE / "realtext"
PDFS = sorted(p.name for p in RENDERED.glob("*.pdf"))


def _ws(s):
    return " ".join(str(s).split()) if s is not None else None


def _fields(doc) -> dict:
    return {
        "doc_kind": str(doc.doc_kind),
        "meeting_date": doc.meeting_date,
        "items": [(it.ref, _ws(it.title)) for it in doc.items],
        "attendance": [(a.person, str(a.status)) for a in doc.attendance],
        "actions": [(a.item_ref, _ws(a.owner), _ws(a.text)) for a in doc.actions],
        "figures": [(f.raw, f.value, str(f.unit), f.item_ref) for f in doc.figures],
    }


def _source(pdf_name: str) -> Path:
    return REAL / (pdf_name.split("__", 1)[0] + ".txt")


@lru_cache(maxsize=None)
def pdf_fields(name: str) -> dict:
    doc = parse_document((RENDERED / name).read_bytes(), content_type="application/pdf", hints=DocHints())
    assert doc.parse_status == ParseStatus.OK, doc.parse_error
    return _fields(doc)


@lru_cache(maxsize=None)
def text_fields(name: str) -> dict:
    text = _source(name).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return _fields(parse_document(text.encode("utf-8"), content_type="text/plain", hints=DocHints()))


def test_fixtures_present_small_and_sourced():
    assert len(PDFS) >= 5
    for name in PDFS:
        assert (RENDERED / name).stat().st_size < 150_000, name
        assert _source(name).exists(), name


@pytest.mark.parametrize("name", PDFS)
def test_something_to_compare(name):
    # guards against a vacuous pass: each source yields items or attendance in the text path
    f = text_fields(name)
    assert f["items"] or f["attendance"]


@pytest.mark.parametrize("name", PDFS)
def test_doc_kind(name):
    assert pdf_fields(name)["doc_kind"] == text_fields(name)["doc_kind"]


@pytest.mark.parametrize("name", PDFS)
def test_meeting_date(name):
    assert pdf_fields(name)["meeting_date"] == text_fields(name)["meeting_date"]


@pytest.mark.parametrize("name", PDFS)
def test_items(name):
    assert pdf_fields(name)["items"] == text_fields(name)["items"]


@pytest.mark.parametrize("name", PDFS)
def test_attendance(name):
    assert pdf_fields(name)["attendance"] == text_fields(name)["attendance"]


@pytest.mark.parametrize("name", PDFS)
def test_actions(name):
    assert pdf_fields(name)["actions"] == text_fields(name)["actions"]


@pytest.mark.parametrize("name", PDFS)
def test_figures(name):
    assert pdf_fields(name)["figures"] == text_fields(name)["figures"]


# --------------------------------------------------------------------------------------
# the mechanisms behind the fixes, on the same PDFs
# --------------------------------------------------------------------------------------

def _lines(name: str) -> list[str]:
    res = extract_lines((RENDERED / name).read_bytes(), "application/pdf")
    assert res.status == ParseStatus.OK
    return res.lines


def test_body_lines_that_open_two_pages_are_not_running_text():
    # "Ref 02/26/07/2023" and "Minutes:" sit near a page edge on both pages, at other heights
    assert "Ref 02/26/07/2023" in _lines("wmgb_2023-07-26__big.pdf")
    assert sum(ln == "Minutes:" for ln in _lines("wmpcp_mid587__big.pdf")) >= 4


def test_page_footer_and_header_still_removed():
    for name in PDFS:
        assert not [ln for ln in _lines(name) if "Page " in ln and " of " in ln], name


def test_label_after_one_line_paragraphs_not_joined():
    # most paragraphs are one line, so the median line step is the paragraph gap
    assert "Present:" in _lines("shropshire_cabinet_2012-09-12__top.pdf")


def test_name_initials_entries_stay_apart():
    assert "Charity Pearce (CP) Secretary" in _lines("wmgb_2024-04-25__big.pdf")


def test_short_lines_in_a_narrow_font_are_not_wrapped_lines():
    assert "Various amendments were proposed." in _lines("wmgb_2022-01-18__narrow.pdf")
