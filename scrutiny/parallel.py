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

Limits (:class:`ParseLimits`): each worker runs under an address-space ceiling
(``SCRUTINY_PARSE_MEMORY_MB``, RLIMIT_AS) and each document under a time limit
(``SCRUTINY_PARSE_SECONDS``). A document over one (a decompression bomb, a parse that never
ends) costs only its own worker, which the pool (pebble's, which knows which worker ran which
job) replaces; the document gets ``too_large``, ``timeout`` or ``crashed`` and a message, and
the parent writes its documents row with :func:`limited_parser_version`, so later runs leave
it alone until the parser or the limits change.

Workers: ``SCRUTINY_PARSE_WORKERS`` (default: the number of CPUs). ``1`` or ``0`` parse one
document at a time, each parsed before ``submit`` returns, as the serial path always did, but
still in one worker process under the same limits: a bomb parsed in the calling process would
take the run down with it (pdfium aborts the process when it cannot allocate). The start
method is ``forkserver`` (safe with the threads of Prefect, HTTP clients and test servers),
its server preloading the parsers once.
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

from scrutiny import records as r
from scrutiny.config import env_number

if TYPE_CHECKING:
    from extract.archive import ManifestEntry
    from extract.registry import Source

ENV_WORKERS = "SCRUTINY_PARSE_WORKERS"
ENV_MEMORY_MB = "SCRUTINY_PARSE_MEMORY_MB"
ENV_SECONDS = "SCRUTINY_PARSE_SECONDS"
# Per worker. A 2-core, 24 GB laptop runs 2 workers: 4 GB at most, room to spare. Real papers
# peak far below (workers ~0.1 GB over a 2,000-paper backfill; a 3,420-page, 25.7 MB PDF
# 0.31 GB); pdfium holds ~2.2x a stream's inflated size, so 2 GB stops a 10 GiB bomb in ~2 s.
DEFAULT_MEMORY_MB = 2048
MIN_MEMORY_MB = 512  # below it every document would fail (the worker's own start-up needs ~250 MB)
# Text extraction of that 3,420-page PDF takes 21 s; papers are mostly under 1 s. 120 s leaves
# room for a slow machine and stops a pathological page long before it holds a nightly run up.
DEFAULT_SECONDS = 120.0


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


@dataclass(frozen=True)
class ParseLimits:
    """What one document may cost a worker; 0 turns a limit off."""

    memory_mb: int = DEFAULT_MEMORY_MB  # the worker's address-space ceiling (RLIMIT_AS)
    seconds: float = DEFAULT_SECONDS  # wall-clock time per document

    @classmethod
    def from_env(cls) -> "ParseLimits":
        memory_mb = int(env_number(ENV_MEMORY_MB, DEFAULT_MEMORY_MB, int, hint=" (0: no limit)"))
        if 0 < memory_mb < MIN_MEMORY_MB:
            raise ValueError(f"{ENV_MEMORY_MB}={memory_mb}: a worker maps ~250 MB before its first "
                             f"document; give it {MIN_MEMORY_MB} or more (or 0: no ceiling)")
        return cls(memory_mb, env_number(ENV_SECONDS, DEFAULT_SECONDS, float, hint=" (0: no limit)"))

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
    # Where the time went, for the benchmark: seconds of text extraction, of the other parsers
    # and of writing Parquet (wall, in the worker), its CPU seconds and its peak RSS in kB.
    timings: dict[str, float] = field(default_factory=dict)
    # What the rows are stored as made by, when not the parser's own version: a document over a
    # limit is stored with the limits too (limited_parser_version).
    parser_version: str | None = None


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


def _limit_memory(memory_mb: int) -> None:
    """The worker's address space capped at ``memory_mb``: an allocation past it fails (pdfium
    then aborts the worker, Python raises MemoryError) instead of the machine swapping. Address
    space, not RSS: it is the limit the kernel enforces at allocation, with no polling race; a
    worker maps ~0.25 GB before its first document."""
    if memory_mb <= 0:
        return
    ceiling = memory_mb << 20
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        ceiling = min(ceiling, hard)
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _warm(memory_mb: int = 0) -> None:
    """Worker start-up: import the parsers before the first document arrives (already done in
    the forkserver, unless a preload failed there), then cap the worker's memory."""
    import importlib

    for name in PRELOAD:
        importlib.import_module(name)

    _die_with_parent()
    _install_timer()
    _limit_memory(memory_mb)


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


def _limit_failure(failure: BaseException, limits: ParseLimits) -> tuple[r.ParseStatus, str] | None:
    from pebble import ProcessExpired

    memory = f"{limits.memory_mb} MB" if limits.memory_mb else "no"
    if isinstance(failure, TimeoutError):  # pebble's: the job ran past its timeout; worker stopped
        return r.ParseStatus.TIMEOUT, (f"parse stopped after the {limits.seconds:g} s time limit "
                                       f"({ENV_SECONDS})")
    if isinstance(failure, MemoryError):
        return r.ParseStatus.TOO_LARGE, f"parse needed more than the {memory} memory ceiling ({ENV_MEMORY_MB})"
    if isinstance(failure, ProcessExpired):
        signum = -failure.exitcode if failure.exitcode and failure.exitcode < 0 else None
        how = _signal_name(signum) if signum else f"exit code {failure.exitcode}"
        if signum in _OUT_OF_MEMORY_SIGNALS:
            return r.ParseStatus.TOO_LARGE, (f"parse needed more than the {memory} memory ceiling "
                                             f"({ENV_MEMORY_MB}); the worker was stopped by {how}")
        return r.ParseStatus.CRASHED, f"the parse worker died ({how}) under a {memory} memory ceiling"
    return None


# pdfium aborts (SIGABRT) when an allocation fails, as it does at the worker's RLIMIT_AS
# (measured: a 1 GiB content stream under a 1 GB ceiling); the kernel's OOM killer sends SIGKILL.
_OUT_OF_MEMORY_SIGNALS = {6, 9}


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
    """Parse documents in ``workers`` processes under ``limits``, at most ``max_pending`` in flight.

    ``submit(job, on_done, on_error)`` runs ``on_done(outcome)`` in submission order, in
    whichever thread collects it (the pool may be shared by threads: see its lock), when the job's result is collected (during a later ``submit``, or
    ``drain``); a job over a limit is collected as its ``too_large``/``timeout``/``crashed``
    outcome, its row written. When the job raised (an error of the pipeline, not of the
    document: see ``parse_job``), ``on_error(exc)`` instead, or the exception propagates
    without one.

    Built on pebble's ProcessPool rather than the standard library's: the standard pool marks
    itself broken and fails every job in flight when one worker dies, and cannot stop one job
    that runs too long; pebble fails only the dead or late worker's job and starts another."""

    def __init__(self, workers: int | None = None, max_pending: int | None = None,
                 limits: ParseLimits | None = None):
        self.workers = default_workers() if workers is None else workers
        self.limits = limits or ParseLimits.from_env()
        # A job in flight is a path and a few hints (the worker reads the bytes), so the bound
        # costs no memory worth counting; kept generous so that discovery never waits on the
        # parses of what it found before the workers are even up: a nightly run with 20 new
        # papers submits them in bursts of 5-7, and at 3 per worker the parent sat in
        # Future.result ~0.1 s while the next sources waited.
        self.max_pending = 1 if not self.parallel else max_pending or max(2, 8 * self.workers)
        self._pending: deque[tuple[ParseJob, Future, Callable[[ParseOutcome], None],
                                   Callable[[BaseException], None] | None]] = deque()
        self._pool = None
        self._starting: threading.Thread | None = None
        # A run's sources share the pool from their threads (flows/): one thread at a time
        # submits, collects or drains, so the bound and the order of collection hold. Callbacks
        # run under it (in whichever thread collects): they must not wait for another lock that
        # a thread may hold while it submits. Re-entrant: a callback may drain.
        self._lock = threading.RLock()

    @property
    def parallel(self) -> bool:
        return self.workers > 1

    def _executor(self):
        if self._pool is None:
            import multiprocessing as mp

            from pebble import ProcessPool

            ctx = mp.get_context("forkserver")
            # What every parse needs, imported once in the forkserver: the parsers, and what
            # they import on first use (pypdfium2, the attendance and action parsers), which
            # each worker otherwise imported on its first document (~15-30 ms each).
            ctx.set_forkserver_preload(["scrutiny.forkserver_guard"] + PRELOAD)  # first: dies with the run
            self._pool = ProcessPool(max_workers=max(1, self.workers), context=ctx, initializer=_warm,
                                     initargs=(self.limits.memory_mb,))
        return self._pool

    def start(self) -> None:
        """Start the workers now, in the background, instead of at the first job: their start-up
        (the forkserver importing the parsers, ~0.5 s) then overlaps the discovery requests that
        come before any document, instead of delaying the first parse. (At 2,000 papers, a
        nightly with 20 new papers: the first result came 0.7 s after its job.)"""
        if self._starting is not None:
            return
        # The pool starts every worker with its first job; starting it takes the forkserver's
        # start-up, so it happens in a thread.
        self._starting = threading.Thread(target=lambda: self._executor().schedule(os.getpid),
                                          name="parse-pool-start", daemon=True)
        self._starting.start()

    def _join_start(self) -> None:
        """Before submitting or shutting down: the pool is made once, by the start-up thread."""
        if self._starting is not None:
            self._starting.join()

    def submit(self, job: ParseJob, on_done: Callable[[ParseOutcome], None],
               on_error: Callable[[BaseException], None] | None = None) -> None:
        with self._lock:
            self._submit(job, on_done, on_error)

    def _submit(self, job: ParseJob, on_done: Callable[[ParseOutcome], None],
                on_error: Callable[[BaseException], None] | None) -> None:
        while len(self._pending) >= self.max_pending:
            self._collect_one()
        self._join_start()
        future = self._executor().schedule(parse_job, args=(job,), timeout=self.limits.seconds or None)
        self._pending.append((job, future, on_done, on_error))
        if not self.parallel:
            self.drain()  # serial: parsed before submit returns
        while self._pending and self._pending[0][1].done():
            self._collect_one()

    def _collect_one(self) -> None:
        job, future, on_done, on_error = self._pending.popleft()
        _deliver(lambda: self._outcome(job, future), on_done, on_error)

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
        self._join_start()
        self._starting = None
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
