"""Thin Prefect tasks over the pipeline's plain functions (which tests call directly).

Retries: the HTTP layer already retries each request on transient failures (connection
errors, 429, 5xx) with a short backoff. A task retries only when what is left is still
transient, after a longer wait (a site down for a few minutes at 02:00):

* ``process-source`` retries a source whose every error is a transient fetch failure. A parse
  bug, a firewall 403, a 404 or a changed page layout is not retried: the source is reported.
  A retry resumes: whatever the failed attempt archived is not downloaded again.
* ``finish-run`` retries a warehouse load that met a transient I/O error (DuckDB's file lock,
  a Parquet file replaced by another run while the loader read it); writing the run and
  loading are idempotent.

``SCRUTINY_SOURCE_RETRY_DELAYS`` (seconds, comma-separated, one per retry; default "120,600",
empty for no retries) and ``SCRUTINY_LOAD_RETRY_DELAYS`` (default "5,30") tune them.

Sources run at once: each publisher is its own host with its own politeness budget, so a run
costs about its slowest publisher, not the sum of them all. ``process_sources`` submits one
``process-source`` task per source to the flow's task runner, a thread pool of
``SCRUTINY_SOURCE_CONCURRENCY`` threads (default 4; 1 runs them one after another). The
per-host rate limit, robots.txt and the retries are the shared HTTP client's, so they hold
however many sources share a host; the parse pool and the load are the run's, shared as before.
"""
from __future__ import annotations

import datetime as dt
from collections import Counter

from prefect import get_run_logger, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.futures import wait
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import quote

from extract.adapters.base import Window
from extract.registry import load_registry
from scrutiny import pipeline
from kernel import settings
from kernel.config import DataDir

SOURCE_RETRY_DELAYS = settings.source_retry_delays()
LOAD_RETRY_DELAYS = settings.load_retry_delays()
SOURCE_CONCURRENCY = settings.source_concurrency()


def source_runner() -> ThreadPoolTaskRunner:
    """The flows' task runner: at most SOURCE_CONCURRENCY sources at a time. Threads, not
    processes: a source mostly waits (on its host's rate limit, on the network) and its parses
    already go to the run's worker processes; threads share the run's client, archive and pool."""
    return ThreadPoolTaskRunner(max_workers=SOURCE_CONCURRENCY)


class TransientSourceFailure(RuntimeError):
    """A source failed only for reasons that may pass (the site was down or overloaded)."""


class SourceFailed(RuntimeError):
    """A source failed for a reason a retry will not cure: its task ends Failed (the run goes on
    with the other sources, and finish_run names it)."""


class SourcesFailed(RuntimeError):
    """Raised at the end of a flow so the run ends Failed, naming the sources."""


def is_transient_exception(exc: BaseException | None) -> bool:
    if isinstance(exc, TransientSourceFailure):
        return True
    if isinstance(exc, (ConnectionError, TimeoutError)):
        return True
    try:
        import duckdb
    except ImportError:  # pragma: no cover
        return False
    return isinstance(exc, duckdb.IOException)


def retry_if_transient(task, task_run, state) -> bool:
    """Prefect's retry_condition_fn: go on to the retry policy only for transient failures."""
    try:
        state.result()
    except Exception as exc:  # the task's exception, re-raised by result()
        return is_transient_exception(exc)
    return False


def open_run(flow: str, data_dir: str | None, sources_file: str | None) -> pipeline.RunContext:
    logger = get_run_logger()
    return pipeline.open_run(flow, DataDir.resolve(data_dir), load_registry(sources_file), progress=logger.info,
                             report_error=logger.error)


@task(name="process-source", cache_policy=NO_CACHE, task_run_name="process {source.id}",
      retries=len(SOURCE_RETRY_DELAYS), retry_delay_seconds=SOURCE_RETRY_DELAYS or 0,
      retry_condition_fn=retry_if_transient)
def process_source(ctx: pipeline.RunContext, source, window: Window) -> pipeline.SourceSummary:
    ctx.summaries.pop(source.id, None)  # a retry starts the source's summary afresh
    summary = pipeline.process_source(ctx, source, window)
    if summary.only_transient_errors:  # typed where they happened (kernel/errors.py)
        raise TransientSourceFailure(f"{source.id}: " + " | ".join(summary.errors[:3]))
    if not summary.ok:
        raise SourceFailed(f"{source.id}: " + " | ".join(summary.errors[:3]))
    return summary


def process_sources(ctx: pipeline.RunContext, sources, window: Window) -> None:
    """Every source at once, as far as the flow's task runner allows (source_runner), and wait
    for them all. A source that still fails after its retries is recorded in its summary
    (finish_run names it) and its task ends Failed; the other sources go on."""
    pipeline.run_pool(ctx)  # the workers start while the first listings are fetched
    # quote: the context is handed over as it is (Prefect would otherwise walk its fetch log
    # looking for futures, for every source).
    futures = [process_source.submit(quote(ctx), source, window) for source in pipeline.interleave_hosts(sources)]
    wait(futures)


@task(name="reparse-archive", cache_policy=NO_CACHE)
def reparse_archive(ctx: pipeline.RunContext, source_ids: list[str] | None) -> dict[str, int]:
    return pipeline.reparse_archive(ctx, source_ids)


def source_outcomes(ctx: pipeline.RunContext) -> dict[str, dict[str, int]]:
    """Per source: documents new, changed, already held and failed in this run (from fetch_log)."""
    counts: dict[str, Counter] = {s: Counter() for s in ctx.summaries}
    for row in ctx.fetch_log:
        if row.purpose != "document":
            continue
        c = counts.setdefault(row.source_id, Counter())
        outcome = row.outcome.value
        key = {"new": "new", "changed": "changed", "error": "failed", "blocked": "failed"}.get(outcome, "held")
        c[key] += 1
    return {s: {k: c.get(k, 0) for k in ("new", "changed", "held", "failed")} for s, c in sorted(counts.items())}


def parser_flags(ctx: pipeline.RunContext) -> dict[str, Counter]:
    """Per source: the parser's flags (records.ParseFlag) on the documents this run parsed,
    read back from their documents rows in Parquet (the workers wrote them)."""
    flags: dict[str, Counter] = {}
    for source_id, file_id in sorted(ctx.store.touched):
        row = ctx.store.stored_document(source_id, file_id)  # None for a listing's meetings file
        if row:
            flags.setdefault(source_id, Counter()).update(row.get("parse_flags") or [])
    return flags


def summary_lines(ctx: pipeline.RunContext, per_source: dict[str, dict[str, int]],
                  flags: dict[str, Counter]) -> dict[str, str]:
    """The run's one summary, a line per source."""
    lines = {}
    for source_id, c in per_source.items():
        s = ctx.summaries.get(source_id) or pipeline.SourceSummary(source_id)
        flagged = ", ".join(f"{f} {n}" for f, n in sorted(flags.get(source_id, Counter()).items()))
        lines[source_id] = (f"summary [{source_id}]: {s.meetings} meetings, {s.documents} documents: "
                            f"{c['new']} new, {c['changed']} changed, {c['held']} already held, {c['failed']} failed"
                            + (f"; parser flags: {flagged}" if flagged else "")
                            + (f"; FAILED: {s.errors[0]}" if s.errors else ""))
    return lines


def summary_markdown(ctx: pipeline.RunContext, run, per_source: dict[str, dict[str, int]],
                     flags: dict[str, Counter]) -> str:
    """The summary as the flow run's markdown artifact, read in the Prefect UI."""
    def cell(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")

    out = [f"# {ctx.flow} run {run.run_id}: {run.status.value}", "",
           "| source | meetings | documents | new | changed | already held | failed | parser flags | error |",
           "|---|---:|---:|---:|---:|---:|---:|---|---|"]
    for source_id, c in per_source.items():
        s = ctx.summaries.get(source_id) or pipeline.SourceSummary(source_id)
        flagged = ", ".join(f"{f} {n}" for f, n in sorted(flags.get(source_id, Counter()).items())) or "none"
        error = cell(s.errors[0][:300]) if s.errors else ""
        out.append(f"| {source_id} | {s.meetings} | {s.documents} | {c['new']} | {c['changed']} | {c['held']} | "
                   f"{c['failed']} | {flagged} | {error} |")
    return "\n".join(out) + "\n"


@task(name="finish-run", cache_policy=NO_CACHE, retries=len(LOAD_RETRY_DELAYS),
      retry_delay_seconds=LOAD_RETRY_DELAYS or 0, retry_condition_fn=retry_if_transient)
def finish_run(ctx: pipeline.RunContext, load: bool = True) -> dict:
    run = pipeline.finish_run(ctx, load=load, summarise=False)  # one summary: this one
    per_source = source_outcomes(ctx)
    flags = parser_flags(ctx)
    logger = get_run_logger()
    for line in summary_lines(ctx, per_source, flags).values():
        logger.info(line)
    create_markdown_artifact(summary_markdown(ctx, run, per_source, flags), key=f"{ctx.flow}-run-summary",
                             description="Per source: meetings, documents new/changed/failed, parser flags")
    return {"run_id": run.run_id, "status": run.status.value, "message": run.message,
            "meetings": run.meetings_discovered, "documents": run.documents_discovered,
            "fetched": run.documents_fetched, "skipped": run.documents_skipped,
            "failed": run.documents_failed, "sources": per_source}


def today_from(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else dt.date.today()


def fail_if_needed(summary: dict) -> dict:
    if summary["status"] != "completed":
        raise SourcesFailed(f"run {summary['run_id']} failed: {summary['message']}")
    return summary
