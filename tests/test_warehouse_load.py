"""Parquet -> DuckDB: every contract table, one row per meeting, identical on reload."""
import datetime as dt

import duckdb
import pytest

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


# --------------------------------------------------------------------------------------
# Incremental loads (warehouse/load.py): only what changed, identical to a rebuild
# --------------------------------------------------------------------------------------
import shutil  # noqa: E402

from tests.demo_data import demo, demo_copy, rerun  # noqa: E402,F401
from warehouse import load as wl  # noqa: E402
from warehouse.load import EXTRA_TABLES, VIEWS, connect_read_only, load_fts, rebuild_warehouse  # noqa: E402

EVERYTHING = CONTRACT_TABLES + EXTRA_TABLES + VIEWS


def dump_all(path) -> dict:
    """Every contract table, extra table and view, exactly as SELECT * returns it (no ORDER BY)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        load_fts(con)
        out = {t: con.execute(f"SELECT * FROM {t}").fetchall() for t in EVERYTHING}
        out["search"] = con.execute("SELECT document_id, ordinal, round(score, 9) FROM search_items('crime')").fetchall()
        return out
    finally:
        con.close()


def test_a_second_load_of_the_same_parquet_changes_nothing_not_even_the_file(tmp_path):
    data = DataDir(tmp_path)
    fill(data)
    load_warehouse(data)
    before = data.warehouse.stat()
    load_warehouse(data)
    assert wl.load_report().mode == "unchanged"
    after = data.warehouse.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)


def test_an_incremental_load_reloads_only_the_changed_document_and_equals_a_rebuild(tmp_path):
    data = DataDir(tmp_path)
    store = fill(data)
    load_warehouse(data)
    new_id = "c" * 64
    store2 = ParquetStore(data.parquet)
    store2.write_document("wmpcc-spcb", 2019, new_id, {
        "documents": [document(new_id)], "meetings": [sighting(new_id)],
        "items": [r.ItemRow(new_id, MID, 1, "110/19", "Apologies", "none")]})
    store2.remove("wmpcc-spcb", "b" * 64)  # a superseded document leaves
    load_warehouse(data, touched=store2.touched)
    rep = wl.load_report()
    assert rep.mode == "incremental"
    assert rep.units["documents"] == 2 and rep.units["items"] == 2, rep.units  # c… and b…, nothing else
    assert "runs" not in rep.units
    incremental = dump_all(data.warehouse)
    assert [row[0] for row in incremental["documents"]] == ["a" * 64, new_id]
    rebuild_warehouse(data)
    assert dump_all(data.warehouse) == incremental


def test_the_loader_finds_changed_parquet_it_was_not_told_about(tmp_path):
    data = DataDir(tmp_path)
    store = fill(data)
    load_warehouse(data)
    store.remove("wmpcc-spcb", "a" * 64)  # e.g. a run that crashed before loading
    load_warehouse(data)  # no `touched`
    con = duckdb.connect(str(data.warehouse), read_only=True)
    assert con.execute("SELECT list(document_id) FROM documents").fetchone()[0] == ["b" * 64]


def test_demo_reload_and_rebuild_give_identical_results_for_every_table_and_view(demo, tmp_path):
    data = demo_copy(tmp_path / "d")
    first = dump_all(data.warehouse)
    assert all(first[t] for t in ("meetings", "documents", "items", "people", "figure_series",
                                  "meeting_timeline", "attendance_summary", "action_register", "search"))
    load_warehouse(data)  # the same Parquet again
    assert dump_all(data.warehouse) == first
    rebuild_warehouse(data)  # `scrutiny rebuild`
    assert wl.load_report().mode == "rebuild"
    assert dump_all(data.warehouse) == first


def test_after_an_incremental_run_with_changes_a_rebuild_is_identical(demo, tmp_path):
    def change(mirror):
        mirror.sites["westmidlands-pcc"].republish(
            "wp-content/uploads/2019/10/15102019-SPCB-Item-3-Notes-of-meeting-17-September-2019.pdf")
        mirror.sites["westmercia-pcc"].publish_late_minutes()

    data, run, _ = rerun(tmp_path / "d", change, sources=["wmpcc-spcb", "westmercia-wmgb"])
    assert wl.load_report().mode == "incremental"
    assert wl.load_report().units["documents"] >= 2  # the new version, the old one, the new page
    incremental = dump_all(data.warehouse)
    rebuild_warehouse(data)
    assert dump_all(data.warehouse) == incremental


def test_a_read_only_reader_can_search_the_index(demo):
    con = connect_read_only(demo.data)  # loads fts (for its stemmer) from the wheel, offline
    try:
        # stemmed: "offences" finds "offence(s)"; the best hit is an item whose text is about knife crime
        hits = con.execute("SELECT title, text FROM search_items('knife offences') LIMIT 3").fetchall()
        assert hits and "knife crime offences" in (hits[0][0] + " " + hits[0][1]).lower(), hits
        assert con.execute("SELECT count(*) FROM search_docs").fetchone()[0] == \
            con.execute("SELECT count(*) FROM items").fetchone()[0]
    finally:
        con.close()
    with pytest.raises(duckdb.Error):  # and it is really read-only
        con2 = duckdb.connect(str(demo.warehouse), read_only=True)
        try:
            con2.execute("CREATE TABLE x (a INT)")
        finally:
            con2.close()
