"""Parquet -> DuckDB: every contract table, one row per meeting, identical on reload."""
import datetime as dt

import duckdb

from scrutiny import records as r
from scrutiny.config import DataDir
from warehouse.load import CONTRACT_TABLES, load_warehouse
from warehouse.parquet import ParquetStore

DAY = dt.date(2019, 9, 17)
MID = "wmpcc-spcb:2019-09-17"


def sighting(seen_in: str, **kw) -> r.MeetingRow:
    base = dict(meeting_id=MID, source_id="wmpcc-spcb", body="Strategic Policing and Crime Board",
                meeting_date=DAY, start_time=None, location=None, status=r.MeetingStatus.UNKNOWN,
                url=None, seen_in=seen_in)
    return r.MeetingRow(**(base | kw))


def document(doc_id: str) -> r.DocumentRow:
    return r.DocumentRow(doc_id, "wmpcc-spcb", MID, f"https://x/{doc_id}.pdf", "Minutes", r.DocKind.MINUTES,
                         "application/pdf", 10, 3, dt.datetime(2026, 11, 23, 2), None, r.ParseStatus.OK,
                         None, "test", False)


def fill(data: DataDir) -> ParquetStore:
    store = ParquetStore(data.ensure().parquet)
    store.write_document("wmpcc-spcb", 2019, "listing-1", {"meetings": [
        sighting("listing", start_time="14:00", status=r.MeetingStatus.HELD, url="https://x/meeting")]})
    for doc_id in ("a" * 64, "b" * 64):
        store.write_document("wmpcc-spcb", 2019, doc_id, {
            "documents": [document(doc_id)],
            "meetings": [sighting(doc_id, location="Lloyd House", start_time="10:00")],
            "items": [r.ItemRow(doc_id, MID, 1, "109/19", "Welcome", "text")],
            "figures": [r.FigureRow(doc_id, MID, "109/19", 1, "£3.7m", 3_700_000.0, r.FigureUnit.GBP, "ctx")],
        })
    return store


def dump(path) -> dict:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in CONTRACT_TABLES}
    finally:
        con.close()


def test_every_contract_table_exists_even_when_empty(tmp_path):
    data = DataDir(tmp_path)
    load_warehouse(data)
    con = duckdb.connect(str(data.warehouse), read_only=True)
    tables = {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert set(CONTRACT_TABLES) <= tables
    cols = {row[0] for row in con.execute("DESCRIBE meetings").fetchall()}
    assert {"meeting_id", "source_id", "body", "meeting_date", "start_time", "location", "status", "url"} <= cols


def test_sightings_fold_into_one_meeting_with_the_listing_winning(tmp_path):
    data = DataDir(tmp_path)
    fill(data)
    load_warehouse(data)
    con = duckdb.connect(str(data.warehouse), read_only=True)
    rows = con.execute("SELECT meeting_id, start_time, location, status, url FROM meetings").fetchall()
    assert rows == [(MID, "14:00", "Lloyd House", "held", "https://x/meeting")]


def test_loading_the_same_parquet_twice_gives_identical_tables(tmp_path):
    data = DataDir(tmp_path)
    fill(data)
    load_warehouse(data)
    first = dump(data.warehouse)
    load_warehouse(data)
    assert dump(data.warehouse) == first
    assert len(first["documents"]) == 2 and len(first["items"]) == 2


def test_rewriting_a_document_under_another_year_leaves_no_duplicate(tmp_path):
    data = DataDir(tmp_path)
    store = fill(data)
    doc_id = "a" * 64
    store.write_document("wmpcc-spcb", 2020, doc_id, {"documents": [document(doc_id)]})
    load_warehouse(data)
    con = duckdb.connect(str(data.warehouse), read_only=True)
    assert con.execute("SELECT count(*) FROM documents WHERE document_id = ?", [doc_id]).fetchone()[0] == 1
    assert con.execute("SELECT count(*) FROM items WHERE document_id = ?", [doc_id]).fetchone()[0] == 0


def test_a_reader_is_not_refused_while_the_warehouse_is_reloaded(tmp_path):
    data = DataDir(tmp_path)
    fill(data)
    load_warehouse(data)
    reader = duckdb.connect(str(data.warehouse), read_only=True)
    load_warehouse(data)  # would raise "Could not set lock" if it wrote the live file
    assert reader.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
    reader.close()
