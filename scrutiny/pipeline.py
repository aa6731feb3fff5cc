"""The pipeline's stages as plain functions: discover, fetch and archive, parse, Parquet, load.

Flows (flows/) wrap these in Prefect tasks; tests and the CLI call them directly. Each stage
hands over through files: bytes go to the raw archive before anything parses them (fetching and
archiving: extract/fetch.py), parsing reads only from the archive (in the parse pool:
scrutiny/parallel.py), rows go to Parquet, and the warehouse is loaded from Parquet.
"""
from __future__ import annotations

import datetime as dt
import mimetypes
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from extract.adapters import get_adapter
from extract.adapters.base import DiscoveredDocument, DiscoveredMeeting, FetchError, Window
from extract.archive import Archive, ManifestEntry
from kernel.errors import FetchErrorKind
from extract.fetch import ArchivingFetcher, DocOutcome, ResponseMeta, fetch_document, publisher_host, utcnow
from extract.http import HttpSettings, PoliteClient
from extract.registry import Registry, Source
from kernel import ids
from kernel import records as r
from kernel.config import DataDir
from scrutiny.parallel import ParseJob, ParseLimits, ParseOutcome, ParsePool, WriteSpec, limited_parser_version
from scrutiny.rows import document_rows, hints_for, listing_rows
from warehouse.load import import_load_steps, load_warehouse
from warehouse.parquet import ParquetStore


def stderr_progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


@dataclass
class SourceSummary:
    source_id: str
    meetings: int = 0
    documents: int = 0
    fetched: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)
    # How many of ``errors`` are fetch failures typed transient where they happened: a source
    # whose every error is one may succeed if tried again later (flows/tasks.py retries it).
    transient_errors: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def only_transient_errors(self) -> bool:
        return bool(self.errors) and self.transient_errors == len(self.errors)


@dataclass
class RunContext:
    flow: str
    data: DataDir
    registry: Registry
    run_id: str
    started_at: dt.datetime
    client: PoliteClient
    archive: Archive
    store: ParquetStore
    progress: Callable[[str], None] = stderr_progress
    # A source's errors, apart from its progress: flows log them at ERROR.
    report_error: Callable[[str], None] = stderr_progress
    fetch_log: list[r.FetchLogRow] = field(default_factory=list)
    summaries: dict[str, SourceSummary] = field(default_factory=dict)
    # (source_id, url) -> (document_id, response) of what discovery fetched this run, so a
    # listed document that discovery already read (a web-service record, a minutes page
    # opened for its date) is archived from those bytes instead of being fetched twice.
    listings: dict[tuple[str, str], tuple[str, "ResponseMeta"]] = field(default_factory=dict)
    # The run's parse workers (run_pool), shared by its sources: started when the first source
    # begins, closed by finish_run. One pool per source cost a nightly run that finds a few
    # papers in each source a worker start-up per source (~0.3 s each).
    pool: ParsePool | None = field(default=None, repr=False, compare=False)
    marker: object | None = field(default=None, repr=False, compare=False)  # scrutiny.runs.RunMarker
    # Sources may run at once, in threads (flows/tasks.py). What they share is safe by itself
    # (fetch_log, summaries and listings: single appends and keyed writes under the GIL; the
    # archive, the pool and the HTTP client: their own locks; Parquet: one file per document
    # or listing, written by rename). This lock makes one step atomic across sources: recording
    # a sighting and deciding from it who owns and parses the bytes (extract.fetch._record,
    # _after_fetch), so two sources that found the same paper never both write its rows. Taken
    # before the pool's lock, never the other way round (the pool's callbacks do not take it).
    lock: threading.RLock = field(default_factory=threading.RLock, repr=False, compare=False)

    def log_fetch(self, source: Source, url: str, status: int | None, size: int,
                  outcome: r.FetchOutcome, error: str | None, doc_id: str | None, purpose: str,
                  kind: r.FetchErrorKind | None = None) -> None:
        self.fetch_log.append(r.FetchLogRow(self.run_id, source.id, url, utcnow().replace(tzinfo=None),
                                            status, size, outcome, error, doc_id, purpose, kind))

    def log_failure(self, source: Source, exc: FetchError, purpose: str) -> r.FetchOutcome:
        """One fetch_log error row for ``exc``, of its kind; returns the outcome it logged."""
        outcome = r.FetchOutcome.BLOCKED if exc.blocked else r.FetchOutcome.ERROR
        self.log_fetch(source, exc.url, exc.status, 0, outcome, str(exc), None, purpose, exc.kind)
        return outcome

    def forget_rows(self, source_id: str, doc_id: str) -> None:
        """The rows ``source_id`` wrote for ``doc_id`` go (its bytes are now another source's).
        A parse of them may still be running: it must not write after this."""
        if self.pool is not None:
            self.pool.drain()
        self.store.remove(source_id, doc_id)


def open_run(flow: str, data: DataDir, registry: Registry,
             progress: Callable[[str], None] = stderr_progress,
             report_error: Callable[[str], None] | None = None) -> RunContext:
    data.ensure()
    started = utcnow()
    client = PoliteClient(HttpSettings(user_agent=registry.user_agent,
                                       rate_per_second=registry.rate_per_second,
                                       max_download_bytes=registry.max_download_bytes,
                                       backoff_factor=registry.backoff_factor,
                                       rate_state_dir=data.locks))
    ctx = RunContext(flow, data, registry, ids.run_id(flow, started), started, client,
                     Archive(data.raw), ParquetStore(data.parquet), progress, report_error or progress)
    _after_crashes(ctx)
    return ctx


def _after_crashes(ctx: RunContext) -> None:
    """What killed runs left: a torn manifest line and stale temp objects go, runs that never
    finished get their `runs` row (crashed); then this run leaves its own marker."""
    from scrutiny.runs import RunMarker, record_crashed_runs

    if ctx.archive.heal():
        ctx.progress(f"archive: cut a torn last line of {ctx.archive.manifest_path} (a run killed while appending)")

    def write_crashed(run: r.RunRow) -> bool:
        if (ctx.store.root / "runs" / f"{run.run_id}.parquet").exists():
            return False  # it died after recording itself
        ctx.store.write_run(run, [])
        return True

    for run_id in record_crashed_runs(ctx.data, write_crashed, ctx.run_id):
        ctx.progress(f"run {run_id} stopped before it finished: recorded as crashed")
    ctx.marker = RunMarker(ctx.data, ctx.run_id, ctx.flow, ctx.started_at)


# --------------------------------------------------------------------------------------
# Parsing: from the archive only
# --------------------------------------------------------------------------------------


def parse_and_store(ctx: RunContext, source: Source, doc_id: str) -> ParseOutcome:
    """Parse one archived document and write its Parquet, before returning. In the run's parse
    worker, under its limits, never in this process: a bomb must not take the run down."""
    got: list[ParseOutcome] = []
    pool = run_pool(ctx)
    pool.submit(_parse_job(ctx, source, doc_id), got.append)
    pool.drain()
    return _note_parsed(ctx, got[0])


def _parse_job(ctx: RunContext, source: Source, doc_id: str) -> ParseJob:
    """A job that parses ``doc_id`` from the archive and writes its rows under ctx.store."""
    entry = ctx.archive.first_entry_for(doc_id)
    return ParseJob(doc_id, str(ctx.archive.path_for(doc_id)), entry.content_type, hints_for(source, entry),
                    write=WriteSpec(str(ctx.store.root), source, entry))


def _note_parsed(ctx: RunContext, outcome: ParseOutcome) -> ParseOutcome:
    """A parsed document is in Parquet (the job wrote it, in a worker or here): note what it
    touched for the incremental load."""
    ctx.store.touched.update(outcome.touched)
    return outcome


class _SourceParses:
    """One source's parses, handed to a pool (scrutiny/parallel.py) as documents are fetched; the
    job writes the Parquet, its collection notes what it touched. A document already in flight
    is not submitted twice."""

    def __init__(self, ctx: RunContext, source: Source, pool: ParsePool):
        self.ctx, self.source, self.pool = ctx, source, pool
        self.in_flight: set[str] = set()

    def submit(self, doc_id: str, url: str) -> None:
        job = _parse_job(self.ctx, self.source, doc_id)
        self.in_flight.add(doc_id)

        def done(outcome: ParseOutcome) -> None:
            self.in_flight.discard(doc_id)
            parsed = _note_parsed(self.ctx, outcome)
            if owner_source_id(self.ctx, doc_id, self.source.id) != self.source.id:
                # Another process (a run fanned out per source, an overlapping run) recorded an
                # earlier sighting of these bytes while they were parsed here; its _record could
                # not wait for this pool, so the rows just written are dropped here: the bytes
                # are the other source's document.
                self.ctx.store.remove(self.source.id, doc_id)
                return
            if parsed.parse_status != r.ParseStatus.OK:
                self.ctx.progress(f"[{self.source.id}]   {url}: {parsed.parse_status.value}: {parsed.parse_error}")

        def failed(exc: BaseException) -> None:
            # An error of the pipeline (an unreadable archive object, an unwritable Parquet
            # folder), maybe collected while a later source runs: it is this source's error.
            self.in_flight.discard(doc_id)
            summary = self.ctx.summaries.setdefault(self.source.id, SourceSummary(self.source.id))
            summary.errors.append(f"parse failed for {url} ({type(exc).__name__}): {exc}")
            self.ctx.report_error(f"[{self.source.id}] ERROR {summary.errors[-1]}")

        self.pool.submit(job, done, failed)


def needs_parse(ctx: RunContext, source: Source, doc_id: str) -> bool:
    """Not yet parsed by this parser version; a document that went over a parse limit is stored
    with the limits in its version (limited_parser_version) and waits for either to change."""
    from transform import PARSER_VERSION

    stored = ctx.store.stored_parser_version(source.id, doc_id)
    limits = ctx.pool.limits if ctx.pool is not None else None
    return stored not in (PARSER_VERSION, limited_parser_version(limits or ParseLimits.from_env()))


def owner_source_id(ctx: RunContext, doc_id: str, default: str) -> str:
    """The source whose rows these bytes are: that of their earliest meeting's sighting
    (Archive.first_entry_for). The same paper linked from a second source's page is one
    document; the other sighting is in document_versions / document_sightings, not a second set
    of rows."""
    first = ctx.archive.first_entry_for(doc_id)
    return first.source_id if first is not None else default


def drop_superseded(ctx: RunContext, source: Source, old_id: str) -> None:
    """A re-published paper replaces its old version in the contract tables unless the old bytes
    are still current at another URL: the old version's rows are retired (moved to
    parquet/superseded/, as they were parsed), its bytes stay archived."""
    if old_id not in ctx.archive.current_documents():
        ctx.store.retire(owner_source_id(ctx, old_id, source.id), old_id)


# --------------------------------------------------------------------------------------
# A source, meeting by meeting
# --------------------------------------------------------------------------------------


def process_meeting(ctx: RunContext, source: Source, meeting: DiscoveredMeeting, summary: SourceSummary,
                    parses: _SourceParses | None = None) -> None:
    """Fetch a meeting's documents and parse what is new. Given ``parses`` (process_source's
    pool), parses may still be running on return, while the next meeting is fetched; without
    it, everything is parsed and written before this returns."""
    if parses is None:
        with ParsePool() as pool:
            return process_meeting(ctx, source, meeting, summary, _SourceParses(ctx, source, pool))
    if meeting.meeting_date is None and not meeting.documents:
        # A placeholder ("January 2024 – pending submission"): no date, nothing to fetch. A
        # meetings row keyed on the placeholder would outlive it once the real page appears.
        ctx.progress(f"[{source.id}] {meeting.key}: listed, nothing published yet")
        return
    summary.meetings += 1
    for problem in meeting.problems:  # a degraded discovery is an error of the run, never a log line
        summary.errors.append(f"meeting {meeting.key}: {problem}")
    file_id, year, rows = listing_rows(source, meeting)
    ctx.store.write_document(source.id, year, file_id, {"meetings": rows})
    counts: dict[str, int] = {}
    for doc in meeting.documents:
        summary.documents += 1
        result = fetch_document(ctx, source, meeting, doc)
        counts[result.outcome.value] = counts.get(result.outcome.value, 0) + 1
        if result.outcome in (r.FetchOutcome.ERROR, r.FetchOutcome.BLOCKED):
            summary.failed += 1
            summary.errors.append(result.error or "fetch failed")
            summary.transient_errors += result.kind is FetchErrorKind.TRANSIENT
            continue
        if result.outcome in (r.FetchOutcome.NEW, r.FetchOutcome.CHANGED):
            summary.fetched += 1
        else:
            summary.skipped += 1
        with ctx.lock:  # decided from the archive as it is now: no other source records meanwhile
            _after_fetch(ctx, source, doc, result, parses)
    detail = ", ".join(f"{v} {k}" for k, v in sorted(counts.items())) or "no documents"
    ctx.progress(f"[{source.id}] {meeting.meeting_date or meeting.key} ({meeting.status.value}): {detail}")


def _after_fetch(ctx: RunContext, source: Source, doc: DiscoveredDocument, result: DocOutcome,
                 parses: _SourceParses) -> None:
    """Drop what a new version superseded; parse the document here if this source owns it and
    it needs parsing. (Caller holds ctx.lock.)"""
    if result.superseded:
        if result.superseded in parses.in_flight:
            parses.pool.drain()  # its rows must be written before they are dropped
        drop_superseded(ctx, source, result.superseded)
    if result.document_id and not _parse_here(ctx, source, result.document_id):
        return
    if result.redescribed and result.document_id in parses.in_flight:
        parses.pool.drain()  # parsed from the former description: parsed again below
    if result.document_id and result.document_id not in parses.in_flight \
            and (result.redescribed or needs_parse(ctx, source, result.document_id)):
        parses.submit(result.document_id, doc.url)


def _parse_here(ctx: RunContext, source: Source, doc_id: str) -> bool:
    """False when another source owns these bytes: this source writes no rows for them (and
    drops any an older version of the pipeline wrote), so there is one row and no phantom
    meeting in this source."""
    if owner_source_id(ctx, doc_id, source.id) == source.id:
        return True
    if ctx.store.stored_parser_version(source.id, doc_id) is not None:
        ctx.store.remove(source.id, doc_id)
    return False


def run_pool(ctx: RunContext) -> ParsePool:
    """The run's parse pool, shared by its sources (its workers start with the first document)."""
    with ctx.lock:  # sources starting at once share one pool
        if ctx.pool is None:
            ctx.pool = ParsePool()
        return ctx.pool


def close_pool(ctx: RunContext) -> None:
    if ctx.pool is not None:
        pool, ctx.pool = ctx.pool, None
        pool.close()


def interleave_hosts(sources: list[Source]) -> list[Source]:
    """The sources in an order that takes one from each host in turn (registry order within a
    host): run a few at a time, they start on as many hosts as they can, instead of queueing on
    the first host's rate limit while the other hosts wait."""
    queues = list(by_host(sources).values())
    return [q[i] for i in range(max(map(len, queues), default=0)) for q in queues if i < len(q)]


def by_host(sources: list[Source]) -> dict[str, list[Source]]:
    """The sources grouped by publisher host, hosts and sources in registry order."""
    groups: dict[str, list[Source]] = {}
    for source in sources:
        groups.setdefault(publisher_host(source), []).append(source)
    return groups


def process_source(ctx: RunContext, source: Source, window: Window) -> SourceSummary:
    summary = ctx.summaries.setdefault(source.id, SourceSummary(source.id))
    ctx.progress(f"[{source.id}] discovering {window.start} .. {window.end} with {source.adapter}")
    adapter = None
    try:
        # Parses run in the run's worker processes while the next meeting, and the next source,
        # are fetched (scrutiny/parallel.py); finish_run waits for them all before the load.
        # (Waiting at the end of each source left the workers idle while the next source's
        # listings were fetched: ~0.2 s of a nightly run with 20 new papers.)
        parses = _SourceParses(ctx, source, run_pool(ctx))
        adapter = get_adapter(source.adapter)
        for meeting in adapter.discover(source, ArchivingFetcher(ctx, source), window):
            process_meeting(ctx, source, meeting, summary, parses)
    except FetchError as exc:
        kind = "blocked" if exc.blocked else "fetch failed"
        summary.errors.append(f"{kind}: {exc}")
        summary.transient_errors += exc.kind is FetchErrorKind.TRANSIENT
    except Exception as exc:  # a changed page layout must not stop the other sources
        summary.errors.append(f"discovery failed ({type(exc).__name__}): {exc}")
    if summary.meetings == 0 and not summary.errors:
        seen = getattr(adapter, "seen", None)
        if seen is not None and seen.meetings:
            # A board that no longer meets (the SPCB became the AGB): its listing still reads, so
            # this is no breakage, and a nightly run must not fail on it every night.
            ctx.progress(f"[{source.id}] no meetings between {window.start} and {window.end}; its "
                         f"listing holds {seen.meetings}, the latest {seen.latest}")
        else:
            summary.errors.append(f"zero meetings discovered between {window.start} and {window.end}: "
                                  "the listing may have moved or changed layout")
    for err in summary.errors:
        ctx.report_error(f"[{source.id}] ERROR {err}")
    return summary


# --------------------------------------------------------------------------------------
# Ingest and reparse: no network
# --------------------------------------------------------------------------------------

CONTENT_TYPES = {".pdf": "application/pdf", ".html": "text/html", ".htm": "text/html",
                 ".txt": "text/plain", ".xml": "application/xml"}


@dataclass
class IngestResult:
    path: str
    document_id: str
    outcome: r.FetchOutcome
    parse_status: r.ParseStatus | None
    parse_error: str | None


def ingest_file(ctx: RunContext, source: Source, path: Path) -> IngestResult:
    """Archive and parse a file the user already has (e.g. a folder of old PDFs)."""
    data = path.read_bytes()
    doc_id = ctx.archive.put(data)
    url = path.resolve().as_uri()
    ctype = CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    entry = ManifestEntry(document_id=doc_id, source_id=source.id, url=url, fetched_at=utcnow().isoformat(),
                          http_status=None, content_type=ctype, bytes=len(data), purpose="document",
                          context={"title": path.name})
    prev = ctx.archive.latest(source.id, url)
    ctx.archive.record(entry)
    outcome = (r.FetchOutcome.NEW if prev is None else
               r.FetchOutcome.UNCHANGED if prev.document_id == doc_id else r.FetchOutcome.CHANGED)
    ctx.log_fetch(source, url, None, len(data), outcome, None, doc_id, "document")
    if prev is not None and prev.document_id != doc_id:
        drop_superseded(ctx, source, prev.document_id)
    status = error = None
    owner = owner_source_id(ctx, doc_id, source.id)
    if owner == source.id and needs_parse(ctx, source, doc_id):
        parsed = parse_and_store(ctx, source, doc_id)
        status, error = parsed.parse_status, parsed.parse_error
    else:  # held already (by this source, or first by another: one document, theirs)
        stored = ctx.store.stored_document(owner, doc_id) or {}
        if stored:
            status, error = r.ParseStatus(stored["parse_status"]), stored["parse_error"]
    return IngestResult(str(path), doc_id, outcome, status, error)


def reparse_archive(ctx: RunContext, source_ids: list[str] | None = None) -> dict[str, int]:
    """Re-parse every current document in the archive with today's parsers. No network."""
    counts: dict[str, int] = {}
    known = {s.id: s for s in ctx.registry.sources}

    def done(outcome: ParseOutcome) -> None:
        parsed = _note_parsed(ctx, outcome)
        counts[parsed.parse_status.value] = counts.get(parsed.parse_status.value, 0) + 1
        if sum(counts.values()) % 50 == 0:
            ctx.progress(f"reparse: {sum(counts.values())} documents")

    with ParsePool() as pool:  # every core (scrutiny/parallel.py); each job writes its own Parquet
        for doc_id, entry in sorted(ctx.archive.current_documents().items()):
            owner = owner_source_id(ctx, doc_id, entry.source_id)
            if source_ids and owner not in source_ids:
                continue
            source = known.get(owner) or placeholder_source(owner)
            pool.submit(_parse_job(ctx, source, doc_id), done)
        superseded = reparse_superseded(ctx, pool, source_ids)
    ctx.progress(f"reparse: {sum(counts.values())} documents: "
                 + ", ".join(f"{v} {k}" for k, v in sorted(counts.items()))
                 + (f"; {superseded} superseded versions" if superseded else ""))
    return counts


def reparse_superseded(ctx: RunContext, pool: ParsePool, source_ids: list[str] | None = None) -> int:
    """Parse again, for the document history, the superseded versions whose rows a former
    parser made (or that have none): their documents, items, actions and figures go to
    parquet/superseded/ (warehouse/versions.py). In the pool's workers, under their limits, as
    current documents are: a superseded bomb must not take the run down. Returns how many."""
    from transform import PARSER_VERSION
    from warehouse.parquet import SUPERSEDED, SUPERSEDED_TABLES
    from warehouse.versions import superseded_to_parse

    known = {s.id: s for s in ctx.registry.sources}
    retired = ParquetStore(ctx.store.root / SUPERSEDED)
    todo = superseded_to_parse(ctx.archive, ctx.store, (PARSER_VERSION, limited_parser_version(pool.limits)),
                               source_ids)

    def write(source: Source, doc_id: str, entry: ManifestEntry, outcome: ParseOutcome) -> None:
        year, tables = document_rows(source, doc_id, entry, outcome.size, outcome.parsed,
                                     outcome.parser_version or PARSER_VERSION)
        retired.write_document(source.id, year, doc_id, {t: tables.get(t, []) for t in SUPERSEDED_TABLES})
        ctx.store.touched.add((source.id, doc_id))

    for doc_id, entry in todo:
        source = known.get(entry.source_id) or placeholder_source(entry.source_id)
        job = ParseJob(doc_id, str(ctx.archive.path_for(doc_id)), entry.content_type, hints_for(source, entry))
        pool.submit(job, lambda outcome, s=source, d=doc_id, e=entry: write(s, d, e, outcome))
    return len(todo)


def placeholder_source(source_id: str) -> Source:
    """A source archived earlier but no longer in the registry: still re-parsed, not lost."""
    return Source(id=source_id, adapter="unknown", publisher="unknown", body="unknown",
                  base_url="https://invalid/")


# --------------------------------------------------------------------------------------
# Finishing a run
# --------------------------------------------------------------------------------------


def finish_run(ctx: RunContext, load: bool = True, summarise: bool = True) -> r.RunRow:
    """Record the run (runs + fetch_log Parquet), write the sources table, load the warehouse.
    ``summarise``: end with a line per source (flows write their own summary instead)."""
    # First what does not wait for the parses still running, while the workers finish them
    # (the parent would only wait): the sources table and the imports of the load's steps
    # (~0.04 s each in a nightly run).
    # Disabled catalogue entries are listed by `scrutiny sources`, not in the warehouse, unless
    # something of theirs is archived (run by name, or before they were disabled).
    archived = {e.source_id for e in ctx.archive.entries()}
    ctx.store.write_sources([r.SourceRow(s.id, s.adapter, s.publisher, s.body, s.base_url)
                             for s in ctx.registry.sources if s.enabled or s.id in archived or s.id in ctx.summaries])
    if load:
        import_load_steps()
    close_pool(ctx)
    # Document history (every version of every URL, from the archive's manifest) goes to Parquet
    # like everything else, so the warehouse stays loaded from Parquet only. After the parses:
    # it retires the rows of superseded versions, which no parse may write after it.
    from warehouse.versions import write_document_versions

    write_document_versions(ctx.archive, ctx.store)
    summaries = list(ctx.summaries.values())
    failed = [s for s in summaries if not s.ok]
    message = "; ".join(f"{s.source_id}: {' | '.join(s.errors[:3])}" for s in failed) or None
    run = r.RunRow(
        run_id=ctx.run_id, flow=ctx.flow, started_at=ctx.started_at.replace(tzinfo=None),
        finished_at=utcnow().replace(tzinfo=None),
        status=r.RunStatus.FAILED if failed else r.RunStatus.COMPLETED,
        sources=sorted(s.source_id for s in summaries),
        meetings_discovered=sum(s.meetings for s in summaries),
        documents_discovered=sum(s.documents for s in summaries),
        documents_fetched=sum(s.fetched for s in summaries),
        documents_skipped=sum(s.skipped for s in summaries),
        documents_failed=sum(s.failed for s in summaries), message=message,
        errors={s.source_id: s.errors[:3] for s in sorted(failed, key=lambda s: s.source_id)})
    ctx.store.write_run(run, ctx.fetch_log)
    if load:
        # Incremental: only the documents this run wrote or removed (the loader also checks
        # the Parquet tree for changes it was not told about).
        counts = load_warehouse(ctx.data, touched=ctx.store.touched)
        ctx.progress("warehouse: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    if ctx.marker is not None:
        ctx.marker.close()  # recorded (and loaded): no longer a run that may have crashed
    for s in summaries if summarise else ():
        ctx.progress(f"[{s.source_id}] {s.meetings} meetings, {s.documents} documents: "
                     f"{s.fetched} fetched, {s.skipped} already held, {s.failed} failed")
    return run


# --------------------------------------------------------------------------------------
# Windows
# --------------------------------------------------------------------------------------


def nightly_window(registry: Registry, today: dt.date, lookback_days: int | None = None,
                   lookahead_days: int | None = None) -> Window:
    back = registry.lookback_days if lookback_days is None else lookback_days
    ahead = registry.lookahead_days if lookahead_days is None else lookahead_days
    return Window(today - dt.timedelta(days=back), today + dt.timedelta(days=ahead))


def year_window(from_year: int, to_year: int) -> Window:
    if to_year < from_year:
        raise ValueError(f"--to-year {to_year} is before --from-year {from_year}")
    return Window(dt.date(from_year, 1, 1), dt.date(to_year, 12, 31))
