"""Parquet -> DuckDB: every contract table, one row per meeting, identical on reload."""
import datetime as dt

import duckdb
import pytest

from kernel import records as r
from kernel.config import DataDir
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
from warehouse.db import connect_for_load  # noqa: E402
from warehouse.load import EXTRA_TABLES, VIEWS, connect_read_only, load_fts, rebuild_warehouse  # noqa: E402

EVERYTHING = CONTRACT_TABLES + EXTRA_TABLES + VIEWS


def dump_all(path) -> dict:
    """Every contract table and extra table (rows sorted: a table's physical order is the load's
    business), and every view exactly as SELECT * returns it (each orders what it returns)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        load_fts(con)
        out = {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in CONTRACT_TABLES + EXTRA_TABLES}
        out |= {v: con.execute(f"SELECT * FROM {v}").fetchall() for v in VIEWS}
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
    assert sorted(row[0] for row in incremental["documents"]) == ["a" * 64, new_id]
    rebuild_warehouse(data)
    assert dump_all(data.warehouse) == incremental


def test_rewriting_identical_rows_marks_nothing_for_reload_but_a_change_does(tmp_path):
    """A reparse whose output is unchanged must not make the next load reload every document."""
    data = DataDir(tmp_path)
    fill(data)
    load_warehouse(data)
    again = fill(data)  # the same rows, written again
    assert again.touched == set()
    load_warehouse(data, touched=again.touched)
    assert wl.load_report().mode == "unchanged"
    store = ParquetStore(data.parquet)
    doc_id = "a" * 64
    store.write_document("wmpcc-spcb", 2019, doc_id, {
        "documents": [document(doc_id)], "meetings": [sighting(doc_id)],
        "items": [r.ItemRow(doc_id, MID, 1, "109/19", "Welcome", "changed text")], "figures": []})
    assert store.touched == {("wmpcc-spcb", doc_id)}
    load_warehouse(data, touched=store.touched)
    assert wl.load_report().units["items"] == 1
    assert [row[0] for row in dump(data.warehouse)["figures"]] == ["b" * 64]  # a's figure went with its file


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


def test_the_loader_writes_strings_without_fsst(tmp_path):
    # FSST made every checkpoint slow (warehouse/db.py, connect_for_load), and duckdb.connect
    # silently ignores the setting in its config: check what a load connection really writes.
    def compressions(con) -> set[str]:
        con.execute("CREATE TABLE t AS SELECT 'The Board noted the report on item ' || i || ' of the "
                    "knife crime prevention strategy, to come back in ' || (i % 12) || ' months' AS s "
                    "FROM range(20000) r(i)")
        con.execute("CHECKPOINT")
        return {c for (c,) in con.execute("SELECT DISTINCT compression FROM pragma_storage_info('t')").fetchall()}

    plain = duckdb.connect(str(tmp_path / "plain.duckdb"))
    assert "FSST" in compressions(plain)  # such text is what DuckDB would compress with FSST
    plain.close()
    loader = connect_for_load(tmp_path / "load.duckdb")
    assert "FSST" not in compressions(loader)
    loader.close()


# --------------------------------------------------------------------------------------
# The derived tables an incremental load updates in place: search index, action links
# --------------------------------------------------------------------------------------
MID2, DAY2 = "wmpcc-spcb:2019-10-15", dt.date(2019, 10, 15)
ACTION = "Chief Constable to provide the knife crime prevention strategy figures to the Board"


def paper(store: ParquetStore, doc_id: str, mid: str, day: dt.date, fetched: dt.datetime, items=(), actions=(),
          figures=()):
    """One minutes document of the board's meeting ``mid``, with ``items`` (title, text),
    ``actions`` (text) and ``figures`` (raw £ amounts, in the first item)."""
    doc = document(doc_id)
    doc.meeting_id, doc.fetched_at = mid, fetched
    store.write_document("wmpcc-spcb", day.year, doc_id, {
        "documents": [doc],
        "meetings": [sighting(doc_id, meeting_id=mid, meeting_date=day)],
        "items": [r.ItemRow(doc_id, mid, n, f"{n}/19", title, text) for n, (title, text) in enumerate(items, 1)],
        "actions": [r.ActionRow(doc_id, mid, "1/19", n, text, "CC") for n, text in enumerate(actions, 1)],
        "figures": [r.FigureRow(doc_id, mid, "1/19", n, raw, float(raw.strip("£").replace(",", "")),
                                r.FigureUnit.GBP, f"a grant of {raw}") for n, raw in enumerate(figures, 1)],
    })


def test_a_later_paper_links_to_an_earlier_action_and_updates_search_incrementally(tmp_path):
    data = DataDir(tmp_path)
    store = ParquetStore(data.ensure().parquet)
    a, b = "a" * 64, "b" * 64
    paper(store, a, MID, DAY, dt.datetime(2026, 1, 1), items=[("Knife crime", "Knife crime rose by 4%.")],
          actions=[ACTION])
    load_warehouse(data)
    con = connect_read_only(data)
    assert con.execute("SELECT count(*) FROM action_links").fetchone()[0] == 0
    assert con.execute("SELECT df FROM search_dict WHERE term = 'knife'").fetchone() == (1,)
    (score_before,) = con.execute("SELECT score FROM search_items('knife') WHERE document_id = ?", [a]).fetchone()
    con.close()

    # The next month's minutes answer the action: a new paper, fetched later, loaded incrementally.
    store = ParquetStore(data.parquet)  # a new run
    paper(store, b, MID2, DAY2, dt.datetime(2026, 2, 1), items=[
        ("Matters arising", "The knife crime prevention strategy figures were circulated."),
        ("Any other business", "None.")])
    load_warehouse(data, touched=store.touched)
    assert wl.load_report().mode == "incremental" and wl.load_report().units["items"] == 1
    con = connect_read_only(data)
    try:
        links = con.execute("SELECT document_id, item_document_id, item_ordinal, meeting_date, similarity, matched, "
                            "matched_words FROM action_links").fetchall()
        assert links == [(a, b, 1, DAY2, 1.0, 4, "figures, knife, prevention, strategy")]
        assert con.execute("SELECT later_mentions FROM action_register").fetchall() == [(1,)]
        # df of 'knife' counts the new item; an old item's score changes with it (BM25's idf)
        assert con.execute("SELECT df FROM search_dict WHERE term = 'knife'").fetchone() == (2,)
        assert con.execute("SELECT df FROM search_dict WHERE term = 'prevent'").fetchone() == (1,)
        hits = con.execute("SELECT document_id, ordinal, score FROM search_items('knife')").fetchall()
        assert [h[:2] for h in hits] == sorted([h[:2] for h in hits], key=lambda k: k != (a, 1)) and len(hits) == 2
        assert dict(((d, o), s) for d, o, s in hits)[(a, 1)] != score_before
        assert con.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 3
    finally:
        con.close()
    incremental = dump_all(data.warehouse)
    rebuild_warehouse(data)
    assert dump_all(data.warehouse) == incremental

    # The paper is withdrawn: its link and its share of df go with it.
    store = ParquetStore(data.parquet)
    store.remove("wmpcc-spcb", b)
    load_warehouse(data, touched=store.touched)
    con = connect_read_only(data)
    try:
        assert con.execute("SELECT count(*) FROM action_links").fetchone()[0] == 0
        assert con.execute("SELECT df FROM search_dict WHERE term = 'knife'").fetchone() == (1,)
        # a term only the withdrawn paper held is gone, not left with df 0
        assert con.execute("SELECT count(*) FROM search_dict WHERE term = 'prevent' OR df < 1").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM search_terms WHERE document_id = ?", [b]).fetchone()[0] == 0
    finally:
        con.close()
    incremental = dump_all(data.warehouse)
    rebuild_warehouse(data)
    assert dump_all(data.warehouse) == incremental


def test_figure_series_is_patched_and_equals_a_rebuild(tmp_path):
    """An incremental load recomputes only the reloaded documents' figure_series rows; a paper of
    an earlier meeting, or a meeting whose date moves, still leaves the table as a rebuild's."""
    data = DataDir(tmp_path)
    store = ParquetStore(data.ensure().parquet)
    paper(store, "b" * 64, MID2, DAY2, dt.datetime(2026, 2, 1), items=[("Grants", "A grant of £2,000.")],
          figures=["£2,000"])
    load_warehouse(data)

    def series():
        con = connect_read_only(data)
        try:
            return con.execute("SELECT meeting_date, document_id, raw FROM figure_series "
                               "ORDER BY meeting_date, document_id, ordinal").fetchall()
        finally:
            con.close()

    store = ParquetStore(data.parquet)  # the next run: a paper of an *earlier* meeting, fetched later
    paper(store, "a" * 64, MID, DAY, dt.datetime(2026, 3, 1), items=[("Grants", "A grant of £1,000.")],
          figures=["£1,000"])
    load_warehouse(data, touched=store.touched)
    assert wl.load_report().mode == "incremental"
    assert series() == [(DAY, "a" * 64, "£1,000"), (DAY2, "b" * 64, "£2,000")]
    incremental = dump_all(data.warehouse)
    rebuild_warehouse(data)
    assert dump_all(data.warehouse) == incremental

    # The October meeting turns out to have been held in August: its figures move before September's,
    # though its document was not reloaded.
    store = ParquetStore(data.parquet)
    moved = dt.date(2019, 8, 20)
    store.write_document("wmpcc-spcb", 2019, "listing-oct", {
        "meetings": [sighting("listing", meeting_id=MID2, meeting_date=moved)]})
    load_warehouse(data, touched=store.touched)
    assert wl.load_report().units.get("figures") is None
    assert series() == [(moved, "b" * 64, "£2,000"), (DAY, "a" * 64, "£1,000")]
    incremental = dump_all(data.warehouse)
    rebuild_warehouse(data)
    assert dump_all(data.warehouse) == incremental


def test_a_paper_fetched_before_the_loaded_ones_still_gives_a_rebuilds_tables(tmp_path):
    """A paper loaded late but fetched (and held) early: the tables and views equal a rebuild's."""
    data = DataDir(tmp_path)
    store = ParquetStore(data.ensure().parquet)
    paper(store, "c" * 64, MID2, DAY2, dt.datetime(2026, 3, 1), items=[("Knife crime", "Figures on knife crime.")])
    load_warehouse(data)
    store = ParquetStore(data.parquet)
    paper(store, "d" * 64, MID, DAY, dt.datetime(2026, 1, 1), items=[("Precept", "The precept rose.")],
          actions=[ACTION])
    load_warehouse(data, touched=store.touched)
    assert wl.load_report().mode == "incremental"
    incremental = dump_all(data.warehouse)
    assert [row[0] for row in incremental["items"]] == ["c" * 64, "d" * 64]
    assert [row[0] for row in incremental["search_docs"]] == ["c" * 64, "d" * 64]
    rebuild_warehouse(data)
    assert dump_all(data.warehouse) == incremental


def test_search_scores_are_the_fts_extensions_bm25(demo, tmp_path):
    """search_items ranks and scores as DuckDB's fts extension (PRAGMA create_fts_index with its
    defaults, match_bm25) does on the same items, their irregular plurals written in the singular
    (search_lemmas: "knives" is indexed as "knife")."""
    copy = tmp_path / "w.duckdb"
    shutil.copyfile(demo.warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        load_fts(con)
        con.execute("""CREATE MACRO singular(s) AS array_to_string(list_transform(search_tokenize(s),
                           w -> coalesce(getvariable('lemmas')[w], w)), ' ')""")
        con.execute("SET VARIABLE lemmas = (SELECT map_from_entries(list((word, lemma))) FROM search_lemmas)")
        con.execute("CREATE TABLE fts_items AS SELECT document_id || '/' || ordinal AS k, document_id, ordinal, "
                    "singular(title) AS title, singular(text) AS text FROM items")
        assert con.execute("SELECT count(*) FROM items WHERE regexp_matches(lower(text), '\\bknives\\b')"
                           ).fetchone()[0] > 0  # the lemmas are exercised
        con.execute("PRAGMA create_fts_index('fts_items', 'k', 'title', 'text')")
        for q in ("knife crime", "violence reduction unit", "precept", "Policing and Crime Board", "zzz", "knives"):
            fts = con.execute("""SELECT document_id, ordinal, score FROM (
                SELECT *, fts_main_fts_items.match_bm25(k, ?) AS score FROM fts_items) WHERE score IS NOT NULL
                ORDER BY score DESC, document_id, ordinal""", [con.execute("SELECT singular(?)", [q]).fetchone()[0]]
            ).fetchall()
            ours = con.execute("SELECT document_id, ordinal, score FROM search_items(?)", [q]).fetchall()
            assert [o[:2] for o in ours] == [f[:2] for f in fts], q
            assert all(abs(o[2] - f[2]) < 1e-9 for o, f in zip(ours, fts)), q
            assert bool(ours) == (q != "zzz")
    finally:
        con.close()


def test_the_index_tables_have_their_documented_columns(demo):
    con = connect_read_only(demo.data)
    try:
        def cols(t):
            return [(r[0], r[1]) for r in con.execute(f"DESCRIBE {t}").fetchall()]
        assert cols("search_terms") == [("document_id", "VARCHAR"), ("ordinal", "BIGINT"), ("term", "VARCHAR"),
                                        ("tf", "INTEGER")]
        assert cols("search_docs") == [("document_id", "VARCHAR"), ("ordinal", "BIGINT"), ("len", "BIGINT")]
        assert cols("search_dict") == [("term", "VARCHAR"), ("df", "BIGINT")]
        assert cols("item_words") == [("document_id", "VARCHAR"), ("ordinal", "BIGINT"), ("word", "VARCHAR")]
        assert cols("item_names") == [("document_id", "VARCHAR"), ("ordinal", "BIGINT"), ("seq", "INTEGER"),
                                      ("title", "VARCHAR"), ("name", "VARCHAR")]
        # every item is in search_docs; df is the number of items holding the term
        assert con.execute("SELECT count(*) FROM search_docs").fetchone() == con.execute(
            "SELECT count(*) FROM items").fetchone()
        assert con.execute("""SELECT count(*) FROM search_dict d
                              JOIN (SELECT term, count(*) AS n FROM search_terms GROUP BY term) t USING (term)
                              WHERE d.df <> t.n""").fetchone() == (0,)
    finally:
        con.close()


def test_id_tables_hold_any_id_and_an_empty_one_matches_nothing():
    """Ids reach SQL as rows of a temp table, never as SQL text: a quote in an id is just a character."""
    from warehouse._rows import id_table

    con = duckdb.connect()
    con.execute("CREATE TABLE t AS SELECT * FROM (VALUES ('a''b'), ('c'), ('d')) v(id)")
    id_table(con, "_ids", {"c", "a'b", "x'); DROP TABLE t; --"})
    assert con.execute("SELECT id FROM t WHERE id IN (SELECT id FROM _ids) ORDER BY id").fetchall() == [("a'b",), ("c",)]
    id_table(con, "_ids", set())
    assert con.execute("SELECT count(*) FROM t WHERE id IN (SELECT id FROM _ids)").fetchone() == (0,)
    assert con.execute("SELECT count(*) FROM t WHERE id NOT IN (SELECT id FROM _ids)").fetchone() == (3,)


def test_a_document_rewritten_under_another_year_leaves_no_file_in_the_old_one(tmp_path):
    """A reparse that corrects a paper's date moves its files to the new year's partition: the
    old year's files go (or the paper would load twice), and the move counts as a change."""
    store = ParquetStore(DataDir(tmp_path).ensure().parquet)
    a = "a" * 64
    paper(store, a, MID, DAY, dt.datetime(2026, 1, 1), items=[("Knife crime", "Knife crime rose.")], actions=[ACTION])
    assert len(list(store.root.glob(f"*/source=wmpcc-spcb/year=2019/{a}.parquet"))) == 4
    store = ParquetStore(store.root)
    paper(store, a, MID, dt.date(2020, 9, 17), dt.datetime(2026, 1, 1), items=[("Knife crime", "Knife crime rose.")])
    assert sorted(p.relative_to(store.root).parts[0] for p in store.root.rglob(f"{a}.parquet")) == \
        ["documents", "items", "meetings"]
    assert all(p.parent.name == "year=2020" for p in store.root.rglob(f"{a}.parquet"))
    assert store.touched == {("wmpcc-spcb", a)}
    fresh = ParquetStore(store.root)
    assert fresh.remove("wmpcc-spcb", "b" * 64) == 0 and fresh.touched == set()
    assert fresh.remove("wmpcc-spcb", a) == 3 and not list(store.root.rglob(f"{a}.parquet"))


def test_a_run_that_fetched_nothing_still_records_its_run_and_an_empty_fetch_log(tmp_path):
    """A reparse makes no requests: its fetch_log file has no rows but the table's columns, and
    its runs row keeps the enum as text."""
    import pyarrow.parquet as pq

    store = ParquetStore(DataDir(tmp_path).ensure().parquet)
    run = r.RunRow("reparse-1", "reparse", dt.datetime(2026, 1, 1), dt.datetime(2026, 1, 1, 0, 5),
                   r.RunStatus.COMPLETED, ["wmpcc-spcb"], 0, 0, 0, 0, 0, None)
    store.write_run(run, [])
    log = pq.read_table(store.root / "fetch_log" / "reparse-1.parquet")
    assert log.num_rows == 0 and "outcome" in log.column_names
    assert pq.read_table(store.root / "runs" / "reparse-1.parquet").to_pylist()[0]["status"] == "completed"


def test_search_postings_are_rewritten_in_term_order_once_a_fifth_was_appended(tmp_path):
    """search_items reads internal.search_postings by term: after a load appends more than a fifth of
    it, it is rewritten in (term, item) order, and the count it records is the table's."""
    data = DataDir(tmp_path)
    store = ParquetStore(data.ensure().parquet)
    paper(store, "a" * 64, MID, DAY, dt.datetime(2026, 1, 1), items=[("Knife crime", "Knife crime rose by 4%.")])
    load_warehouse(data)
    store = ParquetStore(data.parquet)
    paper(store, "b" * 64, MID2, DAY2, dt.datetime(2026, 2, 1),
          items=[("Rural crime", "Farm thefts and rural crime fell; knife crime rose again.")])
    load_warehouse(data, touched=store.touched)
    con = connect_read_only(data)
    try:
        rows = con.execute("SELECT term, item FROM internal.search_postings").fetchall()
        assert rows == sorted(rows) and len({item for _, item in rows}) == 2
        recorded = con.execute("SELECT value::BIGINT FROM internal.warehouse_meta WHERE key = 'search_postings_sorted'").fetchone()
        assert recorded == (len(rows),) == con.execute("SELECT count(*) FROM search_terms").fetchone()
    finally:
        con.close()


def test_the_stored_parser_version_is_read_whatever_the_file_records(tmp_path):
    """A nightly run asks every paper in its window which parser version stored it (read from
    the file's footer where possible): the answer is the row's, also when the statistics cannot
    give it (a long value, or none at all), and None for a paper never stored."""
    import dataclasses

    store = fill(DataDir(tmp_path))
    a = "a" * 64
    assert store.stored_parser_version("wmpcc-spcb", a) == "test"
    assert store.stored_parser_version("wmpcc-spcb", "c" * 64) is None
    long = "v" * 300  # longer than any statistics truncation
    store.write_document("wmpcc-spcb", 2019, a, {"documents": [dataclasses.replace(document(a), parser_version=long)]})
    assert store.stored_parser_version("wmpcc-spcb", a) == long
    store.write_document("wmpcc-spcb", 2019, a, {"documents": [dataclasses.replace(document(a), parser_version=None)]})
    assert store.stored_parser_version("wmpcc-spcb", a) is None
    assert store.stored_document("wmpcc-spcb", a)["parser_version"] is None


# -- runs.sources: a sorted list ---------------------------------------------------------------


def _old_runs_file(path, run_id: str, sources: str, status: str = "completed") -> None:
    """A runs file as versions before the list wrote it: ``sources`` one comma-joined string,
    and no ``errors`` column."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from warehouse.parquet import SCHEMAS

    at = dt.datetime(2026, 1, 1, 2)
    fields = [pa.field("sources", pa.string()) if f.name == "sources" else f
              for f in SCHEMAS["runs"] if f.name != "errors"]
    row = {"run_id": run_id, "flow": "nightly", "started_at": at, "finished_at": at, "status": status,
           "sources": sources, "meetings_discovered": 1, "documents_discovered": 2, "documents_fetched": 2,
           "documents_skipped": 0, "documents_failed": 0, "message": None}
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist([row], schema=pa.schema(fields)), path)


def test_runs_files_of_an_earlier_version_with_comma_joined_sources_still_load(tmp_path):
    """A user's data folder from before runs.sources became a list keeps loading: its runs files
    are rewritten with the list, once; a rebuild gives the same rows."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from warehouse.load import load_report, rebuild_warehouse
    from warehouse.parquet import RUNS_UPGRADED

    data = DataDir(tmp_path)
    store = fill(data)
    _old_runs_file(store.root / "runs" / "old-1.parquet", "old-1", "wmpcc-spcb,westmercia-pcp")
    _old_runs_file(store.root / "runs" / "old-2.parquet", "old-2", "", status="crashed")
    store.write_run(r.RunRow("new-1", "nightly", dt.datetime(2026, 1, 2), dt.datetime(2026, 1, 2, 0, 1),
                             r.RunStatus.FAILED, ["wmpcc-spcb"], 0, 0, 0, 0, 0, "wmpcc-spcb: boom",
                             errors={"wmpcc-spcb": ["boom"]}), [])
    load_warehouse(data)
    want = [("new-1", ["wmpcc-spcb"], {"wmpcc-spcb": ["boom"]}),
            ("old-1", ["westmercia-pcp", "wmpcc-spcb"], None), ("old-2", [], None)]
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        assert con.execute("SELECT run_id, sources, errors FROM runs ORDER BY run_id").fetchall() == want
        assert con.execute("SELECT DISTINCT typeof(sources) FROM runs").fetchall() == [("VARCHAR[]",)]
    finally:
        con.close()
    assert pq.read_schema(store.root / "runs" / "old-1.parquet").field("sources").type == pa.list_(pa.string())
    assert (store.root / "runs" / RUNS_UPGRADED).exists()
    load_warehouse(data)
    assert load_report().mode == "unchanged"
    rebuild_warehouse(data)
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        assert con.execute("SELECT run_id, sources, errors FROM runs ORDER BY run_id").fetchall() == want
    finally:
        con.close()


def test_a_runs_sources_are_a_sorted_list_whatever_order_its_sources_finished_in(tmp_path):
    """Sources run at once finish in any order: the runs row names them the same way, and says
    per source what failed (runs.errors)."""
    from pathlib import Path

    from extract.registry import parse_registry
    from scrutiny import pipeline

    registry = parse_registry((Path(__file__).resolve().parents[1] / "sources.toml").read_text())
    rows = []
    for order in (["wmpcc-spcb", "westmercia-pcp", "wmpcc-agb"], ["wmpcc-agb", "wmpcc-spcb", "westmercia-pcp"]):
        ctx = pipeline.open_run("nightly", DataDir(tmp_path / "-".join(order)), registry, progress=lambda _m: None)
        for source_id in order:
            ctx.summaries[source_id] = pipeline.SourceSummary(source_id)
        ctx.summaries["wmpcc-agb"].errors += ["zero meetings discovered", "b", "c", "d"]
        rows.append(pipeline.finish_run(ctx, load=False, summarise=False))
    assert rows[0].sources == rows[1].sources == ["westmercia-pcp", "wmpcc-agb", "wmpcc-spcb"]
    assert rows[0].errors == rows[1].errors == {"wmpcc-agb": ["zero meetings discovered", "b", "c"]}
    assert rows[0].status == "failed"
