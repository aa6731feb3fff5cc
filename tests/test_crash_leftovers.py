"""What a killed run or load leaves behind is cleaned up or recorded by the next one, and bad
files in the data dir are skipped and reported, not fatal (issue 18 items 8-11)."""
import errno
import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import time

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from extract.archive import STALE_TEMP_SECONDS, Archive
from extract.registry import load_registry
from scrutiny import pipeline
from kernel.config import DataDir
from tests.conftest import CORPUS, table_rows
from tests.demo_data import demo  # noqa: F401  (the session fixture)
from warehouse import load as wl

PDF = CORPUS / "pdf" / "003_eec2d70e111a21ed.pdf"


@pytest.fixture
def data(demo, tmp_path):  # noqa: F811
    dest = tmp_path / "data"
    shutil.copytree(demo.data.root, dest, ignore=shutil.ignore_patterns("locks"))
    return DataDir(dest)


def ingest(data: DataDir, path=PDF, source="westmercia-pcp"):
    registry = load_registry()
    ctx = pipeline.open_run("ingest", data, registry, progress=lambda _m: None)
    res = pipeline.ingest_file(ctx, registry.get(source), path)
    pipeline.finish_run(ctx)
    return res


# -- the warehouse --------------------------------------------------------------------------


def test_a_killed_loads_temporary_copy_is_removed_by_the_next_load(data):
    stale = [data.warehouse.with_name(f".{data.warehouse.name}.999999.tmp"),
             data.warehouse.with_name(f".{data.warehouse.name}.999999.tmp.wal")]
    for path in stale:
        path.write_bytes(b"\0" * 4096)
    wl.load_warehouse(data)
    assert not any(p.exists() for p in stale)


def test_a_killed_writers_stale_parquet_temp_file_is_removed_by_the_next_load(data):
    folder = next((data.parquet / "items").rglob("*.parquet")).parent
    stale, young = folder / ".tmp-killed.parquet", folder / ".tmp-being-written.parquet"
    stale.write_bytes(b"")
    young.write_bytes(b"")
    old = time.time() - wl.STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    wl.load_warehouse(data)
    assert not stale.exists()
    assert young.exists(), "a temp file another run is writing was removed"


def test_a_load_with_nothing_to_load_copies_nothing(data, monkeypatch):
    copies = []
    real_copy = shutil.copyfile
    monkeypatch.setattr(wl.shutil, "copyfile", lambda *a, **k: copies.append(a) or real_copy(*a, **k))
    inode = data.warehouse.stat().st_ino
    counts = wl.load_warehouse(data)
    assert wl.load_report().mode == "unchanged"
    assert copies == [], "an unchanged load copied the warehouse (it needed its size in free space)"
    assert data.warehouse.stat().st_ino == inode
    assert counts["items"] == table_rows(data.warehouse, "(SELECT count(*) FROM items)")[0][0]


def test_a_copy_that_fills_the_disk_leaves_no_partial_copy(data, monkeypatch):
    def full_disk(src, dst):
        with open(dst, "wb") as fh:
            fh.write(b"\0" * 1024)
        raise OSError(errno.ENOSPC, "No space left on device")

    ingest_free_change(data)
    monkeypatch.setattr(wl.shutil, "copyfile", full_disk)
    with pytest.raises(OSError):
        wl.load_warehouse(data)
    assert list(data.root.glob(".warehouse.duckdb.*")) == []


def ingest_free_change(data: DataDir) -> None:
    """Something for the next load to do: a run's row."""
    registry = load_registry()
    ctx = pipeline.open_run("ingest", data, registry, progress=lambda _m: None)
    pipeline.finish_run(ctx, load=False)


def test_a_parquet_file_the_loader_did_not_write_is_skipped_and_reported(data, capsys):
    items_before = table_rows(data.warehouse, "(SELECT count(*) FROM items)")[0][0]
    stray = data.parquet / "items" / "source=westmercia-pcp" / "year=2020" / "stray.parquet"
    stray.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table({"a": [1, 2]}), stray)
    junk = data.parquet / "documents" / "source=westmercia-pcp" / "year=2020" / "junk.parquet"
    junk.parent.mkdir(parents=True, exist_ok=True)
    junk.write_bytes(b"not parquet at all")
    counts = wl.load_warehouse(data)
    report = wl.load_report()
    assert set(report.skipped) == {str(stray.relative_to(data.parquet)), str(junk.relative_to(data.parquet))}
    assert counts["items"] == items_before
    assert "stray.parquet" in capsys.readouterr().err
    wl.load_warehouse(data)
    assert wl.load_report().mode == "unchanged", "a skipped file made every later load work again"
    counts = wl.rebuild_warehouse(data)
    assert set(wl.load_report().skipped) == set(report.skipped), "a rebuild trusted a file skipped before"
    assert counts["items"] == items_before


# -- the archive ----------------------------------------------------------------------------


def test_a_torn_last_manifest_line_is_cut_and_later_ingests_work(data, caplog):
    manifest = data.raw / "manifest.jsonl"
    whole = manifest.read_bytes()
    manifest.write_bytes(whole + b'{"document_id": "abc", "source_id": "westm')  # killed mid-append
    with caplog.at_level(logging.WARNING, logger="extract.archive"):
        res = ingest(data)
    assert res.parse_status.value == "ok"
    lines = manifest.read_bytes().splitlines()
    assert manifest.read_bytes().startswith(whole)
    assert all(json.loads(line) for line in lines), "a line of the manifest does not parse"
    assert any("torn" in r.message for r in caplog.records)
    assert len(Archive(data.raw).entries()) == len(lines)


def test_a_torn_line_is_cut_even_when_nothing_new_is_archived(data):
    manifest = data.raw / "manifest.jsonl"
    whole = manifest.read_bytes()
    manifest.write_bytes(whole + b'{"document_id": ')
    ctx = pipeline.open_run("reparse", data, load_registry(), progress=lambda _m: None)
    ctx.marker.close()
    assert manifest.read_bytes() == whole


def test_stale_temp_objects_are_removed_at_the_next_start_and_young_ones_kept(data):
    folder = data.raw / "objects" / "ab"
    folder.mkdir(parents=True, exist_ok=True)
    stale, young = folder / ".tmp-killed", folder / ".tmp-being-written"
    stale.write_bytes(b"")
    young.write_bytes(b"")
    old = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(stale, (old, old))
    ctx = pipeline.open_run("ingest", data, load_registry(), progress=lambda _m: None)
    ctx.marker.close()
    assert not stale.exists()
    assert young.exists(), "a temp object of a run still writing it was removed"


# -- runs -----------------------------------------------------------------------------------

OPEN_RUN_AND_DIE = """
import os, signal, sys
from extract.registry import load_registry
from scrutiny import pipeline
from kernel.config import DataDir
ctx = pipeline.open_run("nightly", DataDir.resolve(sys.argv[1]), load_registry(), progress=lambda _m: None)
print(ctx.run_id, flush=True)
if sys.argv[2] == "die":
    os.kill(os.getpid(), signal.SIGKILL)
sys.stdin.read()  # alive until told
"""


def start_run(data: DataDir, how: str) -> tuple[subprocess.Popen, str]:
    proc = subprocess.Popen([sys.executable, "-c", OPEN_RUN_AND_DIE, str(data.root), how],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    return proc, proc.stdout.readline().strip()


def test_a_run_killed_mid_way_is_recorded_as_crashed_by_the_next_run(data):
    killed, killed_id = start_run(data, "die")
    assert killed.wait(timeout=60) == -signal.SIGKILL
    alive, alive_id = start_run(data, "live")  # a run still going: not crashed
    try:
        ingest(data)
        runs = dict(table_rows(data.warehouse, "(SELECT run_id, status FROM runs)"))
        assert runs[killed_id] == "crashed"
        assert alive_id not in runs
        message = table_rows(data.warehouse, f"(SELECT message FROM runs WHERE run_id = '{killed_id}')")[0][0]
        assert "before it finished" in message
    finally:
        alive.stdin.close()
        alive.wait(timeout=60)
    ingest(data)  # the live run has ended without recording itself: now it is crashed too
    runs = dict(table_rows(data.warehouse, "(SELECT run_id, status FROM runs)"))
    assert runs[alive_id] == "crashed"
    assert list(runs.values()).count("crashed") == 2, "a crashed run was recorded twice or a live one as crashed"


def test_a_finished_run_leaves_no_marker(data):
    ingest(data)
    assert list((data.locks / "runs").glob("*")) == []
    statuses = {s for (s,) in table_rows(data.warehouse, "(SELECT status FROM runs)")}
    assert "crashed" not in statuses


def test_a_warehouse_written_while_the_loader_reads_is_still_read(data):
    """The no-op check opens the live file read-only; a reader holding it open is no obstacle."""
    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        wl.load_warehouse(data)
        assert wl.load_report().mode == "unchanged"
    finally:
        con.close()
