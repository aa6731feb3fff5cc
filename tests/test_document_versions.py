"""Document history: a paper re-published at the same URL keeps every version."""
import datetime as dt

import duckdb

from extract.archive import ManifestEntry
from tests.demo_data import demo, rerun  # noqa: F401
from warehouse.load import connect_read_only
from warehouse.versions import version_rows

PDF = "wp-content/uploads/2019/10/15102019-SPCB-Item-3-Notes-of-meeting-17-September-2019.pdf"


def entry(doc, url, at, purpose="document"):
    return ManifestEntry(document_id=doc, source_id="s", url=url, fetched_at=at, http_status=200,
                         content_type="application/pdf", bytes=1, purpose=purpose, context={"title": "T"})


def test_versions_are_numbered_per_url_in_arrival_order():
    rows = version_rows([entry("a", "u1", "2026-01-01T02:00:00+00:00"),
                         entry("x", "listing", "2026-01-01T02:00:00+00:00", purpose="listing"),
                         entry("b", "u2", "2026-01-01T02:00:01+00:00"),
                         entry("c", "u1", "2026-02-01T02:00:00+00:00")])["s"]
    got = [(v.url, v.version, v.document_id, v.superseded_at, v.is_current) for v in rows]
    assert got == [("u1", 1, "a", dt.datetime(2026, 2, 1, 2), False), ("u1", 2, "c", None, True),
                   ("u2", 1, "b", None, True)]


def test_every_demo_document_has_one_current_version(demo):
    con = connect_read_only(demo.data)
    try:
        assert con.execute("SELECT count(*) FROM document_versions WHERE NOT is_current").fetchone()[0] == 0
        missing = con.execute("""SELECT count(*) FROM documents d WHERE NOT EXISTS (
            SELECT 1 FROM document_versions v WHERE v.document_id = d.document_id AND v.is_current)""").fetchone()[0]
        assert missing == 0
    finally:
        con.close()


def test_a_republished_pdf_gives_two_versions_one_current_document_and_a_diff(demo, tmp_path):
    data, run, _ = rerun(tmp_path / "d", lambda m: m.sites["westmidlands-pcc"].republish(PDF),
                         sources=["wmpcc-spcb"])
    assert run.status == "completed", run.message
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        versions = con.execute("""SELECT version, document_id, superseded_at IS NULL, is_current
                                  FROM document_versions WHERE url LIKE ? ORDER BY version""", ["%" + PDF]).fetchall()
        assert len(versions) == 2, versions
        (v1, old, open1, cur1), (v2, new, open2, cur2) = versions
        assert old != new and (v1, v2) == (1, 2) and (open1, cur1, open2, cur2) == (False, False, True, True)
        docs = con.execute("SELECT document_id FROM documents WHERE url LIKE ?", ["%" + PDF]).fetchall()
        assert docs == [(new,)]  # the contract tables hold the current version only
        # the old version's parsed rows are kept aside, so the change is queryable
        assert con.execute("SELECT count(*) FROM superseded_items WHERE document_id = ?", [old]).fetchone()[0] > 0
        change = con.execute("""SELECT prev_document_id, document_id, items_before, items_after,
                                       figures_before, figures_after
                                FROM document_version_changes WHERE url LIKE ?""", ["%" + PDF]).fetchall()
        assert len(change) == 1 and change[0][:2] == (old, new)
        assert change[0][2] > 0 and change[0][4] > 0  # the real minutes have items and figures
    finally:
        con.close()
