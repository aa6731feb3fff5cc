"""Parsing on every core, under limits: a bounded pool of worker processes.

Parsing is CPU-bound pure Python (plus pdfium), so processes, not threads. A worker reads the
document's bytes from the raw archive (parsing reads only from the archive), parses them, writes
the document's Parquet files (a job's :class:`WriteSpec`; a document's files are its own, so no
two processes write one file) and sends back its status, page count and the files it touched.

Limits (:class:`ParseLimits`, from kernel.settings): each worker runs under an address-space
ceiling (RLIMIT_AS) and each document under a time limit. A document over one (a decompression
bomb, a parse that never ends) costs only its own worker: the document gets ``too_large``,
``timeout`` or ``crashed`` and a message, its row is written with :func:`limited_parser_version`
(so later runs leave it alone until the parser or the limits change), and the pool starts a new
worker. Memory stays bounded: at most ``max_pending`` documents are in flight, ``submit`` waits
(collecting finished ones) while the pool is full.

Why pebble's ProcessPool and not the standard library's ProcessPoolExecutor: the standard pool
cannot stop one task that runs too long (a future's timeout only stops the waiting, the worker
parses on), and when one worker dies (pdfium aborts at the memory ceiling) it marks itself broken
and fails every task in flight, so a bomb would cost its neighbours and the pool would have to be
rebuilt and the lost tasks resubmitted by hand. pebble kills the late worker, fails only the dead
or late worker's task and replaces the worker: exactly the limits above, with no code of ours.

Workers die with the run (scrutiny/deathsig.py): the forkserver they are forked from exits when
the run's process does (scrutiny.forkserver_guard), and each worker when the forkserver does.
``SCRUTINY_PARSE_WORKERS`` 0 or 1 parses one document at a time, parsed before ``submit``
returns, still in one worker process under the limits: parsed in the calling process, a bomb
would take the run down with it.
"""
from __future__ import annotations

import os
import resource
import threading
import time
from collections import deque
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from kernel import records as r
from kernel import settings

if TYPE_CHECKING:
    from extract.archive import ManifestEntry
    from extract.registry import Source

# Imported once in the forkserver, so that each worker starts with them (~15-30 ms each per
# worker otherwise). The guard first: the forkserver must die with the run whatever fails later.
FORKSERVER_PRELOAD = ["scrutiny.forkserver_guard", "transform.document", "transform.attendance",
                      "transform.actions", "pypdfium2", "scrutiny.parallel", "scrutiny.rows", "warehouse.parquet"]


@dataclass(frozen=True)
class ParseLimits:
    """What one document may cost a worker; 0 turns a limit off."""

    memory_mb: int = settings.DEFAULT_PARSE_MEMORY_MB  # the worker's address-space ceiling (RLIMIT_AS)
    seconds: float = settings.DEFAULT_PARSE_SECONDS  # wall-clock time per document

    @classmethod
    def from_env(cls) -> "ParseLimits":
        return cls(settings.parse_memory_mb(), settings.parse_seconds())

    @property
    def tag(self) -> str:
        return f"mem{self.memory_mb}m.t{self.seconds:g}s"


def limited_parser_version(limits: ParseLimits) -> str:
    """The parser_version stored for a document that went over a limit: the parser's version and
    the limits, so that a later run parses it again only when either changes (needs_parse)."""
    from transform import PARSER_VERSION

    return f"{PARSER_VERSION}+{limits.tag}"


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
    # For the benchmark: wall seconds of parsing and of writing Parquet, CPU seconds and peak RSS
    # (kB) of the worker.
    timings: dict[str, float] = field(default_factory=dict)
    # What the rows are stored as made by, when not the parser's own version: a document over a
    # limit is stored with the limits too (limited_parser_version).
    parser_version: str | None = None


# --------------------------------------------------------------------------------------
# In a worker
# --------------------------------------------------------------------------------------


def parse_job(job: ParseJob) -> ParseOutcome:
    """Read one archived document, parse it and (given ``job.write``) write its Parquet.
    Never raises for bad input (parse_document's contract); an unreadable archive object or
    an unwritable Parquet folder is an error of the pipeline and does raise."""
    from transform import parse_document

    cpu0, t0 = time.process_time(), time.perf_counter()
    data = Path(job.object_path).read_bytes()
    parsed = parse_document(data, content_type=job.content_type, hints=job.hints)
    parse_wall = time.perf_counter() - t0
    outcome = ParseOutcome(parsed.parse_status, parsed.parse_error, parsed.pages, len(data), parsed=parsed)
    if job.write is not None:
        outcome.touched = write_parsed(job.doc_id, job.write, outcome.size, parsed)
        outcome.parsed = None
    outcome.timings = {"parse": parse_wall, "write": time.perf_counter() - t0 - parse_wall,
                       "cpu": time.process_time() - cpu0,
                       "maxrss_kb": float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)}
    return outcome


def write_parsed(doc_id: str, spec: WriteSpec, size: int, parsed: r.ParsedDocument,
                 parser_version: str | None = None) -> list[tuple[str, str]]:
    """A parsed document's rows to Parquet (scrutiny/rows.py decides the rows and partition),
    stored as made by ``parser_version`` (default: the parser's). Returns the (source_id,
    file_id) pairs whose files changed (ParquetStore.touched)."""
    from scrutiny.rows import document_rows
    from transform import PARSER_VERSION
    from warehouse.parquet import ParquetStore

    year, tables = document_rows(spec.source, doc_id, spec.entry, size, parsed, parser_version or PARSER_VERSION)
    store = ParquetStore(Path(spec.parquet_root))
    store.write_document(spec.source.id, year, doc_id, tables)
    return sorted(store.touched)


def start_worker(memory_mb: int) -> None:
    """A worker's start-up: it dies with the forkserver (and so with the run), and its address
    space is capped at ``memory_mb``. An allocation past the cap fails (pdfium then aborts the
    worker, Python raises MemoryError) instead of the machine swapping. Address space, not RSS:
    the kernel enforces it at allocation, with no polling race; a worker maps ~0.25 GB before its
    first document."""
    from scrutiny.deathsig import die_with_parent

    die_with_parent()
    if memory_mb <= 0:
        return
    ceiling = memory_mb << 20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


# --------------------------------------------------------------------------------------
# A document over a limit
# --------------------------------------------------------------------------------------


def over_limit(job: ParseJob, failure: BaseException, limits: ParseLimits) -> ParseOutcome | None:
    """The outcome of a job whose worker went over a limit (``failure``: what the pool raised for
    it), its documents row written here (the worker wrote nothing); None when ``failure`` is no
    limit (an error of the pipeline, such as an unreadable archive object)."""
    status_and_error = _limit_failure(failure, limits)
    if status_and_error is None:
        return None
    status, error = status_and_error
    parsed = r.ParsedDocument(parse_status=status, parse_error=error, doc_kind=job.hints.doc_kind or r.DocKind.OTHER)
    size = _size(job.object_path)
    outcome = ParseOutcome(status, error, None, size, parsed=parsed, parser_version=limited_parser_version(limits))
    if job.write is not None:
        outcome.touched = write_parsed(job.doc_id, job.write, size, parsed, outcome.parser_version)
        outcome.parsed = None
    return outcome


# pdfium aborts (SIGABRT) when an allocation fails, as it does at the worker's RLIMIT_AS
# (measured: a 1 GiB content stream under a 1 GB ceiling); the kernel's OOM killer sends SIGKILL.
_OUT_OF_MEMORY_SIGNALS = {6, 9}


def _limit_failure(failure: BaseException, limits: ParseLimits) -> tuple[r.ParseStatus, str] | None:
    from pebble import ProcessExpired

    memory = f"{limits.memory_mb} MB" if limits.memory_mb else "no"
    if isinstance(failure, TimeoutError):  # pebble's: the job ran past its timeout; worker stopped
        return r.ParseStatus.TIMEOUT, (f"parse stopped after the {limits.seconds:g} s time limit "
                                       f"({settings.PARSE_SECONDS})")
    if isinstance(failure, MemoryError):
        return r.ParseStatus.TOO_LARGE, (f"parse needed more than the {memory} memory ceiling "
                                         f"({settings.PARSE_MEMORY_MB})")
    if isinstance(failure, ProcessExpired):
        signum = -failure.exitcode if failure.exitcode and failure.exitcode < 0 else None
        how = _signal_name(signum) if signum else f"exit code {failure.exitcode}"
        if signum in _OUT_OF_MEMORY_SIGNALS:
            return r.ParseStatus.TOO_LARGE, (f"parse needed more than the {memory} memory ceiling "
                                             f"({settings.PARSE_MEMORY_MB}); the worker was stopped by {how}")
        return r.ParseStatus.CRASHED, f"the parse worker died ({how}) under a {memory} memory ceiling"
    return None


def _signal_name(signum: int) -> str:
    import signal

    try:
        return signal.Signals(signum).name
    except ValueError:
        return f"signal {signum}"


def _size(path: str) -> int:
    try:
        return os.stat(path).st_size
    except OSError:
        return 0


# --------------------------------------------------------------------------------------
# The pool
# --------------------------------------------------------------------------------------

OnDone = Callable[[ParseOutcome], None]
OnError = Callable[[BaseException], None]


class ParsePool:
    """Parse documents in ``workers`` processes under ``limits``, at most ``max_pending`` in flight.

    ``submit(job, on_done, on_error)`` runs ``on_done(outcome)`` in submission order, when the
    job's result is collected (during a later ``submit``, or ``drain``), in whichever thread
    collects it; a job over a limit is collected as its ``too_large``/``timeout``/``crashed``
    outcome, its row written. When the job raised (an error of the pipeline, not of the document:
    see ``parse_job``), ``on_error(exc)`` instead, or the exception propagates without one."""

    def __init__(self, workers: int | None = None, max_pending: int | None = None,
                 limits: ParseLimits | None = None):
        self.workers = settings.parse_workers() if workers is None else workers
        self.limits = limits or ParseLimits.from_env()
        # A job in flight is a path and a few hints (the worker reads the bytes), so a generous
        # bound costs no memory worth counting, and discovery never waits on the parses of what
        # it found (a nightly run submits its new papers in bursts of 5-7).
        self.max_pending = (max_pending or max(2, 8 * self.workers)) if self.parallel else 1
        self._pending: deque[tuple[ParseJob, Future, OnDone, OnError | None]] = deque()
        self._pool = None
        # A run's sources share the pool from their threads (flows/): one thread at a time
        # submits, collects or drains, so the bound and the order of collection hold. Callbacks
        # run under it: they must not wait for a lock that a submitting thread may hold.
        # Re-entrant: a callback may drain.
        self._lock = threading.RLock()

    @property
    def parallel(self) -> bool:
        return self.workers > 1

    def _executor(self):
        if self._pool is None:
            import multiprocessing as mp

            from pebble import ProcessPool

            # forkserver: safe with the threads of Prefect, HTTP clients and test servers.
            ctx = mp.get_context("forkserver")
            ctx.set_forkserver_preload(FORKSERVER_PRELOAD)
            self._pool = ProcessPool(max_workers=max(1, self.workers), context=ctx, initializer=start_worker,
                                     initargs=(self.limits.memory_mb,))
        return self._pool

    def submit(self, job: ParseJob, on_done: OnDone, on_error: OnError | None = None) -> None:
        with self._lock:
            while len(self._pending) >= self.max_pending:
                self._collect_one()
            future = self._executor().schedule(parse_job, args=(job,), timeout=self.limits.seconds or None)
            self._pending.append((job, future, on_done, on_error))
            if not self.parallel:
                self.drain()  # serial: parsed before submit returns
            while self._pending and self._pending[0][1].done():
                self._collect_one()

    def _collect_one(self) -> None:
        job, future, on_done, on_error = self._pending.popleft()
        try:
            outcome = self._outcome(job, future)
        except Exception as exc:
            if on_error is None:
                raise
            on_error(exc)
        else:
            on_done(outcome)

    def _outcome(self, job: ParseJob, future: Future) -> ParseOutcome:
        try:
            return future.result()
        except Exception as exc:
            outcome = over_limit(job, exc, self.limits)
            if outcome is None:
                raise
            return outcome

    def drain(self) -> None:
        """Wait for every job in flight and run its callback."""
        with self._lock:
            while self._pending:
                self._collect_one()

    def close(self) -> None:
        try:
            self.drain()
        finally:
            self._shutdown(wait_for_jobs=True)

    def _shutdown(self, wait_for_jobs: bool) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            if wait_for_jobs:
                pool.close()
            else:
                pool.stop()
            pool.join()

    def __enter__(self) -> "ParsePool":
        return self

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:  # failing: do not wait for the rest
            self._pending.clear()
            self._shutdown(wait_for_jobs=False)
            return
        self.close()
