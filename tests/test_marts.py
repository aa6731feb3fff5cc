"""The marts (warehouse/sql/025_marts.sql): figure_series, attendance_summary and action_register,
tables built by the load in place of the views they were."""
import datetime as dt

import duckdb
import pytest

from tests.demo_data import demo  # noqa: F401
from warehouse.db import NO_DOWNLOADS, connect_read_only, load_fts
from warehouse.load import EXTRA_TABLES, VIEWS, create_schema
from warehouse.steps import STEPS, run_steps

STEP = {step.name: step for step in STEPS}

COLUMNS = {
    "figure_series": ["meeting_date", "year", "body", "source_id", "meeting_id", "doc_kind", "document_title",
                      "document_url", "item_ref", "item_title", "raw", "value", "unit", "context",
                      "document_id", "ordinal"],
    "attendance_summary": ["person_id", "name", "body", "year", "present", "in_attendance", "apologies", "absent",
                           "meetings_recorded", "attendance_rate", "roles", "first_meeting", "last_meeting"],
    "action_register": ["meeting_id", "meeting_date", "year", "body", "source_id", "item_ref", "text", "owner",
                        "owner_person_id", "owner_name", "owner_matched_by", "later_mentions", "first_follow_up",
                        "best_similarity", "follow_ups", "document_id", "ordinal"],
}


def test_the_marts_are_recomputed_whenever_a_table_they_read_changes():
    # they read people, person_mentions, attendance.person_id and action_links too
    assert set(STEP["people"].makes) | set(STEP["action_links"].makes) | {"figures", "attendance"} \
        <= STEP["marts"].reads


def test_the_marts_are_tables_with_the_columns_they_had_as_views(demo):
    con = connect_read_only(demo.data, fts=False)
    try:
        for table, cols in COLUMNS.items():
            kind = con.execute("SELECT table_type FROM information_schema.tables WHERE table_name = ?",
                               [table]).fetchone()
            assert kind == ("BASE TABLE",), table
            assert [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description] == cols
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] > 0, table
            assert table in EXTRA_TABLES and table not in VIEWS
    finally:
        con.close()


def _warehouse(sightings, documents=(), attendance=(), actions=(), items=()) -> duckdb.DuckDBPyConnection:
    """An in-memory warehouse with these rows, every derived object computed."""
    con = duckdb.connect(":memory:", config=NO_DOWNLOADS)
    load_fts(con)  # as the loader does, before anything calls stem()
    create_schema(con)
    inserts = [
        ("INSERT INTO meeting_sightings (meeting_id, source_id, body, meeting_date, status, seen_in, file_id) "
         "VALUES (?, 'src', 'Board', ?, 'held', 'listing', 'listing-1')", sightings),
        ("INSERT INTO documents (document_id, source_id, meeting_id, doc_kind, parse_status) "
         "VALUES (?, 'src', ?, ?, 'ok')", documents),
        ("INSERT INTO attendance (document_id, meeting_id, ordinal, person, role, status) VALUES (?, ?, ?, ?, ?, ?)",
         attendance),
        ("INSERT INTO actions (document_id, meeting_id, ordinal, text) VALUES (?, ?, ?, ?)", actions),
        ("INSERT INTO items (document_id, meeting_id, ordinal, ref, title, text) VALUES (?, ?, ?, ?, ?, ?)", items),
    ]
    for sql, rows in inserts:
        if rows:
            con.executemany(sql, list(rows))
    run_steps(con, None)  # every derived object, as a rebuild makes it
    return con


@pytest.mark.parametrize("order", [1, -1], ids=["as-listed", "reversed"])
def test_attendance_summary_takes_the_minutes_and_then_the_first_listing_of_a_name(order):
    meeting = "src:2024-05-01"
    rows = [("agenda", meeting, 1, "Ann Lee", "Member", "present"),
            ("minutes", meeting, 1, "Ann Lee", "Chair", "apologies"),  # the same name twice in the minutes
            ("minutes", meeting, 2, "Ann Lee", "Member", "present")]
    con = _warehouse([(meeting, dt.date(2024, 5, 1))],
                     documents=[("agenda", meeting, "agenda"), ("minutes", meeting, "minutes")],
                     attendance=rows[::order])
    got = con.execute("SELECT name, present, apologies, roles, meetings_recorded FROM attendance_summary").fetchall()
    assert got == [("Ann Lee", 0, 1, ["Chair"], 1)]


def test_follow_ups_are_listed_best_first_then_earliest_then_by_item():
    m1, m2, m3 = "src:2024-01-10", "src:2024-02-10", "src:2024-03-10"
    con = _warehouse(
        [(m1, dt.date(2024, 1, 10)), (m2, dt.date(2024, 2, 10)), (m3, dt.date(2024, 3, 10))],
        actions=[("d1", m1, 1, "Review custody suite staffing rota")],
        items=[("d2", m2, 1, "1", "Item A", "custody suite staffing"),             # 3 of 5 words
               ("d2", m2, 2, "2", "Item B", "custody suite staffing rota review"),  # 5 of 5
               ("d3", m3, 1, "1", "Item C", "custody suite staffing rota"),         # 4 of 5
               ("d3", m3, 2, "2", "Item D", "custody suite staffing review"),       # 4 of 5
               ("d3", m3, 3, "3", "Item E", "custody rota")])                       # 2 of 5: no link
    (later, first, best, follow_ups), = con.execute(
        "SELECT later_mentions, first_follow_up, best_similarity, follow_ups FROM action_register").fetchall()
    assert [f["item_title"] for f in follow_ups] == ["Item B", "Item C", "Item D", "Item A"]
    assert [f["similarity"] for f in follow_ups] == [1.0, 0.8, 0.8, 0.6]
    assert (later, first, best) == (4, dt.date(2024, 2, 10), 1.0)
    assert follow_ups[0] == {"meeting_id": m2, "meeting_date": dt.date(2024, 2, 10), "item_ref": "2",
                             "item_title": "Item B", "similarity": 1.0,
                             "matched_words": "custody, review, rota, staffing, suite"}
