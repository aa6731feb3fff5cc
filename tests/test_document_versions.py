"""Document history: a paper re-published at the same URL keeps every version."""
import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from extract.archive import Archive, ManifestEntry
from kernel.config import DataDir
from tests.demo_data import build_demo, demo, demo_copy, rerun, run_over_mirror  # noqa: F401
from warehouse.load import connect_read_only, load_report, load_warehouse
from warehouse.parquet import SUPERSEDED, ParquetStore
from warehouse.versions import version_rows, write_document_versions

PDF = "wp-content/uploads/2019/10/15102019-SPCB-Item-3-Notes-of-meeting-17-September-2019.pdf"
SOURCE = "wmpcc-spcb"
# The tables whose rows a superseded version keeps, and what they are called then.
KEPT = {"documents": "superseded_documents", "items": "superseded_items", "actions": "superseded_actions",
        "figures": "superseded_figures"}


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


def rows_of(con, table: str, doc_id: str) -> list[tuple]:
    return con.execute(f"SELECT * FROM {table} WHERE document_id = ? ORDER BY ALL", [doc_id]).fetchall()


def old_files(data: DataDir, doc_id: str) -> dict[str, int]:
    """Parquet path (relative) -> inode, of every file of ``doc_id``."""
    return {str(p.relative_to(data.parquet)): p.stat().st_ino for p in data.parquet.rglob(f"{doc_id}.parquet")}


@pytest.fixture(scope="module")
def republished(tmp_path_factory):
    """The demo data, then a nightly run of wmpcc-spcb after the publisher re-published PDF, with
    what the old version held before and every document the run's parse pools were given."""
    from scrutiny.parallel import ParsePool

    data = demo_copy(tmp_path_factory.mktemp("republished") / "d")
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        (old,) = con.execute("SELECT document_id FROM documents WHERE url LIKE ?", ["%" + PDF]).fetchone()
        before = {t: rows_of(con, t, old) for t in KEPT}
    finally:
        con.close()
    files_before = old_files(data, old)
    submitted: list[str] = []
    real_submit = ParsePool.submit

    def submit(self, job, *args, **kwargs):
        submitted.append(job.doc_id)
        return real_submit(self, job, *args, **kwargs)

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(ParsePool, "submit", submit)
        run, _ = run_over_mirror(data, build_demo().port, lambda m: m.sites["westmidlands-pcc"].republish(PDF),
                                 sources=[SOURCE])
    return {"data": data, "run": run, "old": old, "before": before, "files_before": files_before,
            "submitted": submitted}


def test_a_republished_pdf_gives_two_versions_one_current_document_and_a_diff(republished):
    data, run = republished["data"], republished["run"]
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


def test_the_old_versions_rows_are_moved_aside_as_they_were_not_parsed_again(republished):
    data, old = republished["data"], republished["old"]
    assert old not in republished["submitted"], "the superseded version was parsed again"
    assert republished["submitted"], "the new version was parsed"
    # Its files were renamed (same inodes) from the contract tables to parquet/superseded/;
    # its attendance and meeting sightings are gone.
    moved = {rel: ino for rel, ino in republished["files_before"].items() if rel.split(os.sep)[0] in KEPT}
    assert moved and set(republished["files_before"]) - set(moved), republished["files_before"]
    assert old_files(data, old) == {os.path.join(SUPERSEDED, rel): ino for rel, ino in moved.items()}
    # The warehouse's superseded tables hold exactly the rows the contract tables held before.
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        for table, superseded in KEPT.items():
            assert rows_of(con, superseded, old) == republished["before"][table], superseded
            assert rows_of(con, table, old) == [], table
    finally:
        con.close()
    assert republished["before"]["items"] and republished["before"]["figures"]


def test_retiring_again_changes_nothing(republished, tmp_path):
    data = DataDir(tmp_path / "d")
    shutil.copytree(republished["data"].root, data.root)
    files = old_files(data, republished["old"])
    store = ParquetStore(data.parquet)
    assert store.retire(SOURCE, republished["old"]) == 0
    assert write_document_versions(Archive(data.raw), store)["superseded_retired"] == 0
    assert old_files(data, republished["old"]) == files and store.touched == set()
    load_warehouse(data, touched=store.touched)
    assert load_report().mode == "unchanged"


def test_rows_a_killed_run_left_in_the_contract_tables_are_retired_by_the_next(republished, tmp_path):
    """Killed after archiving the new version, before moving the old one's rows: the next run's
    end moves them (the new version is no longer 'changed' then, so nothing else would)."""
    data = DataDir(tmp_path / "d")
    shutil.copytree(republished["data"].root, data.root)
    old = republished["old"]
    for path in (data.parquet / SUPERSEDED).rglob(f"{old}.parquet"):
        back = data.parquet / path.relative_to(data.parquet / SUPERSEDED)
        back.parent.mkdir(parents=True, exist_ok=True)
        path.rename(back)
    store = ParquetStore(data.parquet)
    counts = write_document_versions(Archive(data.raw), store)
    assert counts["superseded_retired"] == 1 and (SOURCE, old) in store.touched
    assert sorted(old_files(data, old)) == sorted(old_files(republished["data"], old))
    assert all(rel.startswith(SUPERSEDED + os.sep) for rel in old_files(data, old))


def test_a_reparse_parses_the_superseded_versions_another_parser_made(republished, tmp_path):
    """After a parser change the superseded versions are parsed again, by the pipeline's reparse
    (in its pool), into parquet/superseded/; the rows equal those the old version had."""
    from extract.registry import parse_registry
    from mirror import build_mirror, mirror_sources_toml
    from scrutiny import pipeline
    from transform import PARSER_VERSION

    data = DataDir(tmp_path / "d")
    shutil.copytree(republished["data"].root, data.root)
    old = republished["old"]
    (doc_file,) = (data.parquet / SUPERSEDED / "documents").rglob(f"{old}.parquet")
    table = pq.read_table(doc_file)
    table = table.set_column(table.schema.get_field_index("parser_version"), "parser_version",
                             [["2000.1.1"]])
    pq.write_table(table, doc_file)
    with build_mirror(build_demo().port) as mirror:
        registry = parse_registry(mirror_sources_toml(mirror))
    ctx = pipeline.open_run("reparse", data, registry, progress=lambda _m: None)
    pipeline.reparse_archive(ctx, [SOURCE])
    pipeline.finish_run(ctx)
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        for table_name, superseded in KEPT.items():
            assert rows_of(con, superseded, old) == republished["before"][table_name], superseded
        assert con.execute("SELECT parser_version FROM superseded_documents WHERE document_id = ?",
                           [old]).fetchall() == [(PARSER_VERSION,)]
    finally:
        con.close()


def test_the_warehouse_side_imports_no_part_of_the_application(republished, tmp_path):
    """warehouse/ sits below the application: writing the document history (and everything
    else of warehouse/) runs without the pipeline, the parse pool or the parsers' row making."""
    root = tmp_path / "d"
    shutil.copytree(republished["data"].root, root)
    code = (f"import sys, pkgutil, importlib, warehouse\n"
            f"for m in pkgutil.iter_modules(warehouse.__path__): importlib.import_module('warehouse.' + m.name)\n"
            f"from extract.archive import Archive\nfrom warehouse.parquet import ParquetStore\n"
            f"from warehouse.versions import write_document_versions\nfrom pathlib import Path\n"
            f"d = Path({str(root)!r})\n"
            f"write_document_versions(Archive(d / 'raw'), ParquetStore(d / 'parquet'))\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in ('scrutiny', 'transform')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=Path(__file__).resolve().parents[1],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = eval(done.stdout.strip().splitlines()[-1])
    assert not {"scrutiny.parallel", "scrutiny.rows", "scrutiny.pipeline"} & set(loaded), loaded
    assert not [m for m in loaded if m.startswith("transform")], loaded
