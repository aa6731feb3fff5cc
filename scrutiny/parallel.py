"""Parsing on every core: a bounded pool of worker processes.

Parsing is CPU-bound pure Python (plus pdfium), so threads do not help; processes do. Workers
read the document bytes from the raw archive themselves (parsing reads only from the archive),
turn the parsed document into rows and write its Parquet files (a job's :class:`WriteSpec`), and
send back only its status, page count and the files it touched. Writing in the workers matters:
six Parquet files per document cost the parent more than the parse itself, and a document's
files are its own (one id, never in flight twice), so no two processes write the same file.

Memory stays bounded: at most ``max_pending`` documents are in flight. ``submit`` blocks,
handing finished results to their callbacks, while the pool is full; so a long backfill holds
a few documents at a time however long it is, and the parent fetches the next meeting while
the workers parse the last one.

Workers: ``SCRUTINY_PARSE_WORKERS`` (default: the number of CPUs; ``1`` or ``0`` parse in the
calling process, exactly as before). The start method is ``forkserver`` (safe with the threads
of Prefect, HTTP clients and test servers), its server preloading the parsers once.
"""
from __future__ import annotations

import os
import resource
import threading
import time
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from scrutiny import records as r

if TYPE_CHECKING:
    from extract.archive import ManifestEntry
    from extract.registry import Source

ENV_WORKERS = "SCRUTINY_PARSE_WORKERS"


def default_workers() -> int:
    raw = os.environ.get(ENV_WORKERS, "").strip()
    if raw:
        try:
            return max(0, int(raw))
        except ValueError:
            pass
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


@dataclass
class WriteSpec:
    """Where and as what a worker writes a parsed document's rows (all picklable)."""

    parquet_root: str
    source: "Source"
    entry: "ManifestEntry"


@dataclass
class ParseJob:
    """What a worker needs: where the bytes are and how to read them (all picklable)."""

    doc_id: str
    object_path: str  # the archived bytes (Archive.path_for)
    content_type: str | None
    hints: r.DocHints
    write: WriteSpec | None = None  # None: return the parsed document, write nothing


@dataclass
class ParseOutcome:
    parse_status: r.ParseStatus
    parse_error: str | None
    pages: int | None
    size: int  # bytes of the document
    # The whole parsed document when the job wrote nothing (None when its rows went to Parquet:
    # no need to send them back through the pipe).
    parsed: r.ParsedDocument | None = None
    # (source_id, file_id) pairs whose files the worker changed, for the incremental load.
    touched: list[tuple[str, str]] = field(default_factory=list)
    # Where the time went, for the benchmark: seconds of text extraction, of the other parsers
    # and of writing Parquet (wall, in the worker), its CPU seconds and its peak RSS in kB.
    timings: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------------------
# The work itself (runs in a worker, or in the calling process when serial)
# --------------------------------------------------------------------------------------

_extract_seconds = 0.0


def _timed_extract(fn):
    def wrapper(*args, **kwargs):
        global _extract_seconds
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _extract_seconds += time.perf_counter() - t0
    wrapper.__wrapped__ = fn
    return wrapper


def _install_timer() -> None:
    import transform.document as td

    if not hasattr(td.extract_lines, "__wrapped__"):
        td.extract_lines = _timed_extract(td.extract_lines)


def parse_job(job: ParseJob) -> ParseOutcome:
    """Read one archived document, parse it and (given ``job.write``) write its Parquet.
    Never raises for bad input (parse_document's contract); an unreadable archive object or
    an unwritable Parquet folder is an error of the pipeline and does raise."""
    global _extract_seconds
    from transform import parse_document

    _install_timer()
    cpu0, t0 = time.process_time(), time.perf_counter()
    _extract_seconds = 0.0
    data = Path(job.object_path).read_bytes()
    parsed = parse_document(data, content_type=job.content_type, hints=job.hints)
    wall = time.perf_counter() - t0
    outcome = ParseOutcome(parsed.parse_status, parsed.parse_error, parsed.pages, len(data), parsed=parsed)
    if job.write is not None:
        outcome.touched = write_parsed(job.doc_id, job.write, outcome.size, parsed)
        outcome.parsed = None
    outcome.timings = {"extract": _extract_seconds, "parse": max(0.0, wall - _extract_seconds),
                       "write": time.perf_counter() - t0 - wall, "cpu": time.process_time() - cpu0,
                       "maxrss_kb": float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)}
    return outcome


def write_parsed(doc_id: str, spec: WriteSpec, size: int, parsed: r.ParsedDocument) -> list[tuple[str, str]]:
    """A parsed document's rows to Parquet (scrutiny/rows.py decides the rows and partition).
    Returns the (source_id, file_id) pairs whose files changed (ParquetStore.touched)."""
    from scrutiny.rows import document_rows
    from transform import PARSER_VERSION
    from warehouse.parquet import ParquetStore

    year, tables = document_rows(spec.source, doc_id, spec.entry, size, parsed, PARSER_VERSION)
    store = ParquetStore(Path(spec.parquet_root))
    store.write_document(spec.source.id, year, doc_id, tables)
    return sorted(store.touched)


def _die_with_parent() -> None:
    """Linux: a worker gets SIGTERM when its parent (the forkserver, which itself exits when
    the pipeline process dies) goes. Without it, a killed flow run leaves workers holding its
    output pipe open, and Prefect's worker waits on that run for ever."""
    try:
        import ctypes
        import signal

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # not Linux: no such guarantee there


PRELOAD = ["transform.document", "transform.attendance", "transform.actions", "pypdfium2",
           "scrutiny.parallel", "scrutiny.rows", "warehouse.parquet"]


def _warm() -> None:
    """Worker start-up: import the parsers before the first document arrives (already done in
    the forkserver, unless a preload failed there)."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)

    _die_with_parent()
    _install_timer()


# --------------------------------------------------------------------------------------
# The pool
# --------------------------------------------------------------------------------------


def _deliver(outcome_of: Callable[[], ParseOutcome], on_done: Callable[[ParseOutcome], None],
             on_error: Callable[[BaseException], None] | None) -> None:
    """``on_done(outcome)``, or ``on_error(exc)`` when getting the outcome raised (re-raised
    without an ``on_error``)."""
    try:
        outcome = outcome_of()
    except Exception as exc:
        if on_error is None:
            raise
        on_error(exc)
    else:
        on_done(outcome)


class ParsePool:
    """Parse documents in ``workers`` processes with at most ``max_pending`` in flight.

    ``submit(job, on_done, on_error)`` runs ``on_done(outcome)`` in the calling thread, in
    submission order, when the job's result is collected (during a later ``submit``, or
    ``drain``); when the job raised (an error of the pipeline, not of the document: see
    ``parse_job``), ``on_error(exc)`` instead, or the exception propagates without one."""

    def __init__(self, workers: int | None = None, max_pending: int | None = None):
        self.workers = default_workers() if workers is None else workers
        # A job in flight is a path and a few hints (the worker reads the bytes), so the bound
        # costs no memory worth counting; kept generous so that discovery never waits on the
        # parses of what it found before the workers are even up: a nightly run with 20 new
        # papers submits them in bursts of 5-7, and at 3 per worker the parent sat in
        # Future.result ~0.1 s while the next sources waited.
        self.max_pending = max_pending or max(2, 8 * self.workers)
        self._pending: deque[tuple[Future, Callable[[ParseOutcome], None],
                                   Callable[[BaseException], None] | None]] = deque()
        self._pool: ProcessPoolExecutor | None = None
        self._starting: threading.Thread | None = None

    @property
    def parallel(self) -> bool:
        return self.workers > 1

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            import multiprocessing as mp

            ctx = mp.get_context("forkserver")
            # What every parse needs, imported once in the forkserver: the parsers, and what
            # they import on first use (pypdfium2, the attendance and action parsers), which
            # each worker otherwise imported on its first document (~15-30 ms each).
            ctx.set_forkserver_preload(["scrutiny.forkserver_guard"] + PRELOAD)  # first: dies with the run
            self._pool = ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx, initializer=_warm)
        return self._pool

    def start(self) -> None:
        """Start the workers now, in the background, instead of at the first job: their start-up
        (the forkserver importing the parsers, ~0.5 s) then overlaps the discovery requests that
        come before any document, instead of delaying the first parse. (At 2,000 papers, a
        nightly with 20 new papers: the first result came 0.7 s after its job.)"""
        if not self.parallel or self._starting is not None:
            return
        executor = self._executor()
        # One trivial job per worker: ProcessPoolExecutor starts a process per job while none is idle.
        self._starting = threading.Thread(
            target=lambda: [executor.submit(os.getpid) for _ in range(self.workers)],
            name="parse-pool-start", daemon=True)
        self._starting.start()

    def _join_start(self) -> None:
        """Before shutting down: the start-up thread must not submit to a closed executor."""
        if self._starting is not None:
            self._starting.join()
            self._starting = None

    def submit(self, job: ParseJob, on_done: Callable[[ParseOutcome], None],
               on_error: Callable[[BaseException], None] | None = None) -> None:
        if not self.parallel:
            _deliver(lambda: parse_job(job), on_done, on_error)
            return
        while len(self._pending) >= self.max_pending:
            self._collect_one()
        self._pending.append((self._executor().submit(parse_job, job), on_done, on_error))
        while self._pending and self._pending[0][0].done():
            self._collect_one()

    def _collect_one(self) -> None:
        future, on_done, on_error = self._pending.popleft()
        _deliver(future.result, on_done, on_error)

    def drain(self) -> None:
        """Wait for every job in flight and run its callback."""
        while self._pending:
            self._collect_one()

    def close(self) -> None:
        try:
            self.drain()
        finally:
            self._join_start()
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None

    def __enter__(self) -> "ParsePool":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None and self._pool is not None:  # failing: do not wait for the rest
            self._join_start()
            self._pending.clear()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
            return
        self.close()
