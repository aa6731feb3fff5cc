"""Say what could not be read: every parsed paper carries quality flags, stored with its
documents row, listed by the papers_to_check view and counted per source by `scrutiny status`."""
from __future__ import annotations

from pathlib import Path

import duckdb

from kernel.records import DocHints, ParseFlag
from tests.demo_data import demo  # noqa: F401
from transform.document import parse_document
from warehouse.load import connect_read_only
from warehouse.status import source_status

DEV = Path(__file__).parent / "fixtures" / "dev" / "pdf"


def flags(stem: str, hints: DocHints | None = None) -> list[ParseFlag]:
    pdf = next(DEV.glob(f"{stem}*.pdf"))
    return parse_document(pdf.read_bytes(), content_type="application/pdf", hints=hints or DocHints()).flags


def test_a_well_read_paper_has_no_flag():
    assert flags("d07") == []


def test_minutes_whose_page_shows_no_attendance_are_flagged():
    assert flags("d10") == [ParseFlag.NO_ATTENDANCE]


def test_a_paper_flattened_to_one_paragraph_is_flagged():
    assert ParseFlag.FLATTENED_TEXT in flags("d11")


def test_text_with_no_items_no_date_and_no_kind():
    got = parse_document(b"Some words that are not a meeting record at all.", content_type="text/plain").flags
    assert got == [ParseFlag.NO_DATE, ParseFlag.KIND_UNCERTAIN]


def test_a_date_taken_from_the_listing_is_flagged():
    import datetime as dt

    got = parse_document(b"Minutes\nPresent: Cllr A Smith, Cllr B Jones\n1. Apologies\nNone.\n2. Minutes\nAgreed.",
                         content_type="text/plain", hints=DocHints(meeting_date=dt.date(2024, 5, 1))).flags
    assert got == [ParseFlag.DATE_FROM_LISTING]


def test_the_view_lists_each_flagged_paper_with_its_flags(demo):  # noqa: F811
    con = connect_read_only(demo.data)
    try:
        stored = con.execute("SELECT document_id, list_sort(parse_flags) FROM documents "
                             "WHERE len(parse_flags) > 0 ORDER BY 1").fetchall()
        listed = con.execute("SELECT document_id, parse_flags FROM papers_to_check ORDER BY 1").fetchall()
        vocabulary = {f.value for f in ParseFlag}
        assert stored and listed == stored
        assert {f for _, fs in listed for f in fs} <= vocabulary
    finally:
        con.close()


def test_status_counts_flagged_papers_per_source(demo):  # noqa: F811
    rows = {r["source_id"]: r for r in source_status(demo.data)}
    con = duckdb.connect(str(demo.warehouse), read_only=True)
    try:
        want = dict(con.execute("SELECT source_id, count(*) FROM documents WHERE len(parse_flags) > 0 GROUP BY 1").fetchall())
    finally:
        con.close()
    assert {s: r["flagged"] for s, r in rows.items() if r["flagged"]} == want
    for source, n in want.items():
        assert rows[source]["parse_flags"]  # e.g. "no_attendance 6, no_items 18"
