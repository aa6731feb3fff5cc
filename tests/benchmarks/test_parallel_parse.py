"""The parallel parse path (scrutiny/parallel.py) gives the same warehouse as the serial one."""
from __future__ import annotations

import duckdb
import pytest

from mirror import build_mirror
from scrutiny import pipeline
from kernel.config import DataDir
from scrutiny.parallel import ParseJob, ParsePool, parse_job
from kernel.records import DocHints
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
            pool.submit(job, lambda out, j=job: seen.append((j.doc_id, out.parse_status.value)))
            in_flight.append(len(pool._pending))
    assert [d for d, _ in seen] == [j.doc_id for j in jobs]
    assert max(in_flight) <= 2
    serial = [parse_job(j).parse_status.value for j in jobs]
    assert [s for _, s in seen] == serial


def test_a_worker_writes_the_documents_parquet_and_sends_back_only_what_it_touched(tmp_path):
    import pyarrow.parquet as pq

    from extract.archive import ManifestEntry
    from extract.registry import Source
    from scrutiny.parallel import WriteSpec

    pdf = next((CORPUS / "pdf").glob("*.pdf"))
    source = Source(id="wmpcc-spcb", adapter="wp_board_page", publisher="p", body="b", base_url="https://x/")
    entry = ManifestEntry(document_id="d1", source_id=source.id, url="https://x/a.pdf",
                          fetched_at="2024-01-01T00:00:00+00:00", http_status=200, content_type="application/pdf",
                          bytes=pdf.stat().st_size, purpose="document", context={"meeting_date": "2019-05-14"})
    job = ParseJob("d1", str(pdf), "application/pdf", DocHints(), write=WriteSpec(str(tmp_path), source, entry))
    with ParsePool(workers=2) as pool:
        got = []
        pool.submit(job, got.append)
    out = got[0]
    assert out.parse_status.value == "ok" and out.pages and out.parsed is None
    assert out.touched == [("wmpcc-spcb", "d1")]
    docs = list(tmp_path.glob("documents/source=wmpcc-spcb/year=*/d1.parquet"))
    items = list(tmp_path.glob("items/source=wmpcc-spcb/year=*/d1.parquet"))
    assert len(docs) == 1 and len(items) == 1
    assert pq.read_table(docs[0]).to_pylist()[0]["pages"] == out.pages
    assert pq.read_table(items[0]).num_rows > 0


@pytest.mark.parametrize("workers", [1, 2])
def test_a_job_that_raises_goes_to_its_error_callback_and_the_others_still_finish(workers, tmp_path):
    # A pipeline error (here the archived object is gone), not a bad document: parse_job raises.
    pdf = next((CORPUS / "pdf").glob("*.pdf"))
    jobs = [ParseJob("a", str(pdf), "application/pdf", DocHints()),
            ParseJob("gone", str(tmp_path / "missing.pdf"), "application/pdf", DocHints()),
            ParseJob("c", str(pdf), "application/pdf", DocHints())]
    done, failed = [], []
    with ParsePool(workers=workers) as pool:
        for job in jobs:
            pool.submit(job, lambda out, j=job: done.append(j.doc_id),
                        lambda exc, j=job: failed.append((j.doc_id, type(exc).__name__)))
        pool.drain()
    assert done == ["a", "c"]
    assert failed == [("gone", "FileNotFoundError")]


def test_a_parse_that_raises_after_its_source_returned_is_still_that_sources_error(mirror, tmp_path, monkeypatch):
    # Parses of a source may be collected while the next source runs, or by finish_run.
    monkeypatch.setenv("SCRUTINY_PARSE_WORKERS", "2")
    registry = mirror_registry(mirror)
    ctx = pipeline.open_run("test", DataDir(tmp_path), registry, progress=lambda m: None)
    source = registry.sources[0]
    gone = ParseJob("gone", str(tmp_path / "missing.pdf"), "application/pdf", DocHints())
    monkeypatch.setattr(pipeline, "_parse_job", lambda ctx_, source_, doc_id: gone)
    pipeline._SourceParses(ctx, source, pipeline.run_pool(ctx)).submit("gone", "https://example.org/gone.pdf")
    pipeline.close_pool(ctx)  # collected here, as finish_run does
    errors = ctx.summaries[source.id].errors
    assert len(errors) == 1 and "gone.pdf" in errors[0] and "FileNotFoundError" in errors[0], errors
