"""The parallel parse path (scrutiny/parallel.py) gives the same warehouse as the serial one."""
from __future__ import annotations

import duckdb
import pytest

from mirror import build_mirror
from scrutiny import pipeline
from scrutiny.config import DataDir
from scrutiny.parallel import ParseJob, ParsePool, parse_job
from scrutiny.records import DocHints
from tests.conftest import CORPUS
from tests.mirror_run import mirror_registry, run_pipeline

# Columns that differ between any two runs whatever the parser does (clock, run id).
VOLATILE = {"fetched_at", "run_id", "started_at", "finished_at", "loaded_at"}
TABLES = ("meetings", "documents", "items", "attendance", "actions", "figures", "meeting_sightings")


def contents(data) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(DataDir(data).warehouse), read_only=True)
    try:
        out = {}
        for table in TABLES:
            cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[0] not in VOLATILE]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


@pytest.fixture(scope="module")
def mirror():
    with build_mirror() as m:
        yield m


@pytest.fixture(scope="module")
def serial_and_parallel(mirror, tmp_path_factory):
    mp = pytest.MonkeyPatch()
    try:
        got = {}
        for workers in ("1", "2"):
            mp.setenv("SCRUTINY_PARSE_WORKERS", workers)
            data = tmp_path_factory.mktemp(f"workers{workers}")
            _, run = run_pipeline(data, mirror)
            assert run.status == "completed", run.message
            got[workers] = data
        return got
    finally:
        mp.undo()


def test_backfill_with_two_workers_gives_the_serial_warehouse(serial_and_parallel):
    serial, parallel = (contents(serial_and_parallel[w]) for w in ("1", "2"))
    assert serial["documents"], "the mirror's documents were parsed"
    for table in TABLES:
        assert parallel[table] == serial[table], table


def test_parallel_reparse_gives_the_serial_warehouse(serial_and_parallel, mirror, monkeypatch):
    data = serial_and_parallel["1"]
    before = contents(data)
    monkeypatch.setenv("SCRUTINY_PARSE_WORKERS", "2")
    ctx = pipeline.open_run("reparse", DataDir(data), mirror_registry(mirror), progress=lambda m: None)
    counts = pipeline.reparse_archive(ctx)
    pipeline.finish_run(ctx)
    assert sum(counts.values()) == len(before["documents"])
    assert contents(data) == before


def test_pool_keeps_submission_order_and_bounds_what_is_in_flight():
    pdf = next((CORPUS / "pdf").glob("*.pdf"))
    bad = CORPUS / "bad" / "truncated_60pct.pdf"
    jobs = [ParseJob(str(i), str(pdf if i % 2 else bad), "application/pdf", DocHints()) for i in range(6)]
    seen, in_flight = [], []
    with ParsePool(workers=2, max_pending=2) as pool:
        for job in jobs:
            pool.submit(job, lambda out, j=job: seen.append((j.doc_id, out.parsed.parse_status.value)))
            in_flight.append(len(pool._pending))
    assert [d for d, _ in seen] == [j.doc_id for j in jobs]
    assert max(in_flight) <= 2
    serial = [parse_job(j).parsed.parse_status.value for j in jobs]
    assert [s for _, s in seen] == serial
