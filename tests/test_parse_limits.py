"""Parsing under limits (scrutiny/parallel.py ParseLimits): a decompression bomb or a parse that
never ends costs only its own document, which gets its own status, and is not parsed again by
later runs until the parser or the limits change. No timings are asserted: the bomb is stopped
by the worker's memory ceiling, the hang by a time limit it can never meet."""
from __future__ import annotations

import hashlib
import os

import duckdb
import pytest

from mirror import build_mirror
from mirror.server import Response
from pebble import ProcessExpired
from scrutiny.parallel import ParseJob, ParseLimits, ParsePool, limited_parser_version
from kernel.records import DocHints
from tests.bombs import bomb_pdf
from tests.conftest import CORPUS
from tests.mirror_run import run_pipeline
from transform import PARSER_VERSION

# The test's ceiling: a worker maps ~0.25 GB before its first document and a real paper stays
# far below this, while pdfium needs ~2.2 GB to hold the bomb's 1 GiB content stream.
TEST_MEMORY_MB = 768
# Short enough to keep the tests quick, long enough that a real paper meets it on a loaded machine
# (they parse in ~0.1 s); the stalled document can never meet any.
SHORT_LIMIT = 3.0
LIMIT_STATUSES = {"too_large", "timeout", "crashed"}


@pytest.fixture(scope="module")
def bomb_bytes() -> bytes:
    return bomb_pdf(1 << 30)  # 1 GiB inflated, ~1 MB on disk


@pytest.fixture
def bomb_file(tmp_path, bomb_bytes):
    path = tmp_path / "bomb.pdf"
    path.write_bytes(bomb_bytes)
    return path


@pytest.fixture
def never_readable(tmp_path):
    """An archived object whose read never ends (a FIFO nobody writes): a parse that cannot
    finish within any time limit, whatever the machine's speed."""
    path = tmp_path / "stalled.pdf"
    os.mkfifo(path)
    return path


def _parse_all(jobs: list[ParseJob], workers: int, limits: ParseLimits) -> list[tuple[str, str, str | None]]:
    seen = []
    with ParsePool(workers=workers, limits=limits) as pool:
        for job in jobs:
            pool.submit(job, lambda out, j=job: seen.append((j.doc_id, out.parse_status.value, out.parse_error)))
    return seen


def _job(doc_id, path) -> ParseJob:
    return ParseJob(doc_id, str(path), "application/pdf", DocHints())


@pytest.mark.parametrize("workers", [1, 2])  # 1: the serial path, which must survive it too
def test_a_bomb_is_too_large_and_costs_no_other_document(workers, bomb_file):
    pdf = next((CORPUS / "pdf").glob("*.pdf"))
    jobs = [_job("a", pdf), _job("bomb", bomb_file), _job("b", pdf), _job("c", pdf)]
    seen = _parse_all(jobs, workers, ParseLimits(memory_mb=TEST_MEMORY_MB, seconds=300))
    assert [(d, s) for d, s, _ in seen] == [("a", "ok"), ("bomb", "too_large"), ("b", "ok"), ("c", "ok")]
    error = dict((d, e) for d, _, e in seen)["bomb"]
    assert f"{TEST_MEMORY_MB} MB memory ceiling" in error and "SCRUTINY_PARSE_MEMORY_MB" in error


@pytest.mark.parametrize("workers", [1, 2])
def test_a_parse_past_the_time_limit_is_a_timeout_and_the_others_parse(workers, never_readable):
    pdf = next((CORPUS / "pdf").glob("*.pdf"))
    jobs = [_job("a", pdf), _job("stalled", never_readable), _job("b", pdf)]
    seen = _parse_all(jobs, workers, ParseLimits(memory_mb=0, seconds=SHORT_LIMIT))
    assert [(d, s) for d, s, _ in seen] == [("a", "ok"), ("stalled", "timeout"), ("b", "ok")]
    assert f"{SHORT_LIMIT:g} s time limit" in seen[1][2]


@pytest.mark.parametrize("failure, status, says", [
    (ProcessExpired("Abnormal termination", code=-6, pid=1), "too_large", "stopped by SIGABRT"),  # pdfium
    (ProcessExpired("Abnormal termination", code=-9, pid=1), "too_large", "stopped by SIGKILL"),  # OOM killer
    (ProcessExpired("Abnormal termination", code=-11, pid=1), "crashed", "died (SIGSEGV)"),
    (MemoryError(), "too_large", "memory ceiling"),
    (TimeoutError("Task timeout", 9), "timeout", "9 s time limit"),
])
def test_how_a_worker_went_wrong_decides_the_status_and_the_row_is_written(failure, status, says, tmp_path):
    from extract.archive import ManifestEntry
    from extract.registry import Source
    from scrutiny.parallel import WriteSpec, over_limit
    from warehouse.parquet import ParquetStore

    source = Source(id="wmpcc-spcb", adapter="wp_board_page", publisher="p", body="b", base_url="https://x/")
    entry = ManifestEntry(document_id="d1", source_id=source.id, url="https://x/a.pdf",
                          fetched_at="2024-01-01T00:00:00+00:00", http_status=200, content_type="application/pdf",
                          bytes=3, purpose="document", context={"meeting_date": "2019-05-14"})
    (tmp_path / "a.pdf").write_bytes(b"%PD")
    job = ParseJob("d1", str(tmp_path / "a.pdf"), "application/pdf", DocHints(),
                   write=WriteSpec(str(tmp_path / "parquet"), source, entry))
    limits = ParseLimits(memory_mb=1024, seconds=9)
    outcome = over_limit(job, failure, limits)
    assert outcome.parse_status.value == status and says in outcome.parse_error
    assert outcome.touched == [("wmpcc-spcb", "d1")]
    stored = ParquetStore(tmp_path / "parquet").stored_document("wmpcc-spcb", "d1")
    assert (stored["parse_status"], stored["bytes"]) == (status, 3)
    assert stored["parser_version"] == limited_parser_version(limits)


def test_an_error_of_the_pipeline_is_no_limit():
    from scrutiny.parallel import over_limit

    assert over_limit(_job("gone", "/nonexistent.pdf"), FileNotFoundError("gone"), ParseLimits()) is None


def test_limits_come_from_the_environment_and_bad_values_are_refused(monkeypatch):
    assert ParseLimits.from_env() == ParseLimits(2048, 120.0)
    monkeypatch.setenv("SCRUTINY_PARSE_MEMORY_MB", "512")
    monkeypatch.setenv("SCRUTINY_PARSE_SECONDS", "7.5")
    assert ParseLimits.from_env() == ParseLimits(512, 7.5)
    monkeypatch.setenv("SCRUTINY_PARSE_SECONDS", "soon")
    with pytest.raises(ValueError, match="SCRUTINY_PARSE_SECONDS='soon'"):
        ParseLimits.from_env()
    monkeypatch.setenv("SCRUTINY_PARSE_SECONDS", "0")
    monkeypatch.setenv("SCRUTINY_PARSE_MEMORY_MB", "100")  # too little to start a worker
    with pytest.raises(ValueError, match="SCRUTINY_PARSE_MEMORY_MB=100"):
        ParseLimits.from_env()


# --------------------------------------------------------------------------------------
# In a run: the bomb is one of a source's papers
# --------------------------------------------------------------------------------------

BOMB_PATH = "wp-content/uploads/2016/02/01032016-SPCB-Item-1-Agenda.pdf"


@pytest.fixture
def bombed_mirror(bomb_bytes):
    with build_mirror() as m:
        listed = [d["path"] for meeting in m.sites["westmidlands-pcc"].manifest()["meetings"]
                  for d in meeting["documents"]]
        assert BOMB_PATH in listed
        m.switches["westmidlands-pcc"].overrides[BOMB_PATH] = Response(200, bomb_bytes, "application/pdf")
        yield m


def _documents(data) -> dict[str, dict]:
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        rows = con.execute("SELECT document_id, parse_status, parse_error, parser_version FROM documents").fetchall()
    finally:
        con.close()
    return {d: {"parse_status": s, "parse_error": e, "parser_version": v} for d, s, e, v in rows}


def test_a_bomb_in_a_run_is_recorded_too_large_and_left_alone_until_the_limits_change(
        bombed_mirror, bomb_bytes, tmp_path, monkeypatch):
    monkeypatch.setenv("SCRUTINY_PARSE_MEMORY_MB", str(TEST_MEMORY_MB))
    bomb_id = hashlib.sha256(bomb_bytes).hexdigest()
    ctx, run = run_pipeline(tmp_path, bombed_mirror, sources=["wmpcc-spcb"])
    assert run.status == "completed", run.message
    docs = _documents(tmp_path)
    assert docs[bomb_id]["parse_status"] == "too_large"
    assert "memory ceiling" in docs[bomb_id]["parse_error"]
    assert docs[bomb_id]["parser_version"] == limited_parser_version(ParseLimits.from_env())
    # Every other paper of the run was parsed and loaded.
    archived = {d for d, e in ctx.archive.current_documents().items()
                if e.source_id == "wmpcc-spcb" and e.purpose == "document"}
    assert archived <= set(docs) and len(archived) > 5
    others = [row for d, row in docs.items() if d != bomb_id]
    assert all(row["parse_status"] not in LIMIT_STATUSES for row in others)
    assert all(row["parser_version"] == PARSER_VERSION for row in others)

    # The next run does not parse it again: its rows are not rewritten.
    ctx, run = run_pipeline(tmp_path, bombed_mirror, sources=["wmpcc-spcb"], flow="nightly")
    assert run.status == "completed", run.message
    assert ("wmpcc-spcb", bomb_id) not in ctx.store.touched
    assert _documents(tmp_path)[bomb_id]["parse_status"] == "too_large"

    # Other limits: parsed again (and still too large for these).
    monkeypatch.setenv("SCRUTINY_PARSE_MEMORY_MB", str(TEST_MEMORY_MB + 1))
    ctx, run = run_pipeline(tmp_path, bombed_mirror, sources=["wmpcc-spcb"], flow="nightly")
    assert ("wmpcc-spcb", bomb_id) in ctx.store.touched
    assert _documents(tmp_path)[bomb_id]["parse_status"] == "too_large"
    assert f"{TEST_MEMORY_MB + 1} MB" in _documents(tmp_path)[bomb_id]["parse_error"]

    # The publisher replaces it: the bomb, now a superseded version, keeps its rows for the
    # document history (moved to parquet/superseded/), and nothing parses it again.
    del bombed_mirror.switches["westmidlands-pcc"].overrides[BOMB_PATH]
    ctx, run = run_pipeline(tmp_path, bombed_mirror, sources=["wmpcc-spcb"], flow="nightly")
    assert run.status == "completed", run.message
    assert bomb_id not in _documents(tmp_path)
    con = duckdb.connect(str(tmp_path / "warehouse.duckdb"), read_only=True)
    try:
        superseded = con.execute("SELECT parse_status FROM superseded_documents WHERE document_id = ?",
                                 [bomb_id]).fetchall()
    finally:
        con.close()
    assert superseded == [("too_large",)]


def test_a_document_past_the_time_limit_is_recorded_timeout_and_the_others_reparse(tmp_path, monkeypatch):
    from scrutiny import pipeline
    from kernel.config import DataDir
    from tests.mirror_run import mirror_registry

    with build_mirror() as mirror:
        ctx, run = run_pipeline(tmp_path, mirror, sources=["wmpcc-spcb"])
        assert run.status == "completed", run.message
        registry = mirror_registry(mirror)
    current = sorted(d for d, e in ctx.archive.current_documents().items() if e.source_id == "wmpcc-spcb")
    stalled = current[0]
    object_path = ctx.archive.path_for(stalled)
    object_path.unlink()
    os.mkfifo(object_path)  # its bytes never arrive: no time limit can be met
    monkeypatch.setenv("SCRUTINY_PARSE_SECONDS", str(SHORT_LIMIT))
    ctx = pipeline.open_run("reparse", DataDir(tmp_path), registry, progress=lambda m: None)
    counts = pipeline.reparse_archive(ctx, ["wmpcc-spcb"])
    pipeline.finish_run(ctx)
    assert counts["timeout"] == 1 and sum(counts.values()) == len(current)
    docs = _documents(tmp_path)
    assert docs[stalled]["parse_status"] == "timeout"
    assert f"{SHORT_LIMIT:g} s time limit" in docs[stalled]["parse_error"]
    assert all(docs[d]["parse_status"] not in LIMIT_STATUSES for d in current if d != stalled)
