"""One `meetings` row per real meeting, checked against the mirror's own list."""
import duckdb

from tests.demo_data import demo, rerun  # noqa: F401


def expected_meetings(manifests: dict) -> set[str]:
    """The meetings the mirror's sites say they hold: listed meetings and the meetings minutes
    record. (Months a listing shows as "pending submission" are not stored by the pipeline.)"""
    want = set()
    for man in manifests.values():
        for m in man["meetings"]:
            want.add(f"{m['source_id']}:{m['meeting_date']}")
            for d in m.get("documents", []):
                if d.get("records_meeting_date"):
                    want.add(f"{m['source_id']}:{d['records_meeting_date']}")
    return want


def meeting_ids(warehouse) -> list[str]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return [r[0] for r in con.execute("SELECT meeting_id FROM meetings").fetchall()]
    finally:
        con.close()


def test_demo_has_exactly_one_row_per_real_meeting(demo):
    got = meeting_ids(demo.warehouse)
    assert len(got) == len(set(got))
    assert set(got) == expected_meetings(demo.manifests)


def test_every_document_and_row_points_at_a_meeting_row(demo):
    con = duckdb.connect(str(demo.warehouse), read_only=True)
    try:
        for table in ("documents", "items", "attendance", "actions", "figures"):
            orphans = con.execute(f"SELECT count(*) FROM {table} WHERE meeting_id IS NOT NULL AND meeting_id "
                                  "NOT IN (SELECT meeting_id FROM meetings)").fetchone()[0]
            assert orphans == 0, table
    finally:
        con.close()


def test_late_minutes_add_their_meeting_once(demo, tmp_path):
    published = {}

    def publish(mirror):
        published["slug"] = mirror.sites["westmercia-pcc"].publish_late_minutes()
        mirror.sites["westmidlands-pcc"].publish_late_minutes()

    data, run, manifests = rerun(tmp_path / "d", publish, sources=["westmercia-wmgb", "wmpcc-agb"])
    assert published["slug"]
    got = meeting_ids(data.warehouse)
    assert len(got) == len(set(got))
    assert set(got) == expected_meetings(manifests)
    assert len(got) == len(expected_meetings(demo.manifests)) + 1  # the newly published wmgb meeting


def test_an_undated_sighting_folds_into_the_dated_meeting_of_its_month(tmp_path):
    """Parquet written before placeholders stopped being stored (or a minutes page that could not
    be read) holds "<source>:key:pending-2024-11": it is the dated November meeting, not another."""
    import datetime as dt

    from kernel import records as r
    from kernel.config import DataDir
    from warehouse.load import load_warehouse
    from warehouse.parquet import ParquetStore

    data = DataDir(tmp_path)
    store = ParquetStore(data.ensure().parquet)

    def row(mid, day, status):
        return r.MeetingRow(mid, "wmgb", "Board", day, None, None, status, "https://x/", "listing")

    store.write_document("wmgb", None, "listing-p", {"meetings": [row("wmgb:key:pending-2024-11", None,
                                                                      r.MeetingStatus.UNKNOWN)]})
    store.write_document("wmgb", 2024, "listing-d", {"meetings": [row("wmgb:2024-11-21", dt.date(2024, 11, 21),
                                                                      r.MeetingStatus.HELD)]})
    store.write_document("wmgb", None, "listing-q", {"meetings": [row("wmgb:key:pending-2024-12", None,
                                                                      r.MeetingStatus.UNKNOWN)]})
    load_warehouse(data)
    con = duckdb.connect(str(data.warehouse), read_only=True)
    rows = con.execute("SELECT meeting_id, status FROM meetings ORDER BY 1").fetchall()
    assert rows == [("wmgb:2024-11-21", "held"), ("wmgb:key:pending-2024-12", "unknown")]
