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
"""
from __future__ import annotations

import datetime as dt
import os
import re
from collections import Counter

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from extract.adapters.base import Window
from extract.http import TRANSIENT_STATUSES
from extract.registry import load_registry
from scrutiny import pipeline
from scrutiny.config import DataDir


def _delays(env: str, default: str) -> list[float]:
    return [float(x) for x in os.environ.get(env, default).split(",") if x.strip()]


SOURCE_RETRY_DELAYS = _delays("SCRUTINY_SOURCE_RETRY_DELAYS", "120,600")
LOAD_RETRY_DELAYS = _delays("SCRUTINY_LOAD_RETRY_DELAYS", "5,30")


class TransientSourceFailure(RuntimeError):
    """A source failed only for reasons that may pass (the site was down or overloaded)."""


class SourcesFailed(RuntimeError):
    """Raised at the end of a flow so the run ends Failed, naming the sources."""


# What a transient fetch failure looks like in SourceSummary.errors. The messages are made in
# scrutiny/pipeline.py: _failure() ("HTTP 503 after 3 retries", "HTTP 404, asked once") and
# _http_get() ("ConnectionError: ...", "ReadTimeout: ...", after PoliteClient's own retries).
_TRANSIENT_HTTP = re.compile(r"\bHTTP (\d{3})\b")
_TRANSIENT_EXC = re.compile(r"\b(ConnectionError|ConnectTimeout|ReadTimeout|Timeout|TimeoutError|"
                            r"ChunkedEncodingError|ConnectionResetError|ConnectionRefusedError|"
                            r"RemoteDisconnected|ProtocolError)\b")


def is_transient_error(message: str) -> bool:
    if message.startswith(("blocked", "discovery failed", "zero meetings")):
        return False
    m = _TRANSIENT_HTTP.search(message)
    if m:
        return int(m.group(1)) in TRANSIENT_STATUSES
    return bool(_TRANSIENT_EXC.search(message))


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
    return pipeline.open_run(flow, DataDir.resolve(data_dir), load_registry(sources_file), progress=logger.info)


@task(name="process-source", cache_policy=NO_CACHE, task_run_name="process {source.id}",
      retries=len(SOURCE_RETRY_DELAYS), retry_delay_seconds=SOURCE_RETRY_DELAYS or 0,
      retry_condition_fn=retry_if_transient)
def process_source(ctx: pipeline.RunContext, source, window: Window) -> pipeline.SourceSummary:
    ctx.summaries.pop(source.id, None)  # a retry starts the source's summary afresh
    summary = pipeline.process_source(ctx, source, window)
    if summary.errors and all(is_transient_error(e) for e in summary.errors):
        raise TransientSourceFailure(f"{source.id}: " + " | ".join(summary.errors[:3]))
    return summary


def process_sources(ctx: pipeline.RunContext, sources, window: Window) -> None:
    """Each source in turn. A source that still fails after its retries is recorded in its
    summary (finish_run names it); the other sources go on."""
    for source in sources:
        process_source(ctx, source, window, return_state=True)


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


@task(name="finish-run", cache_policy=NO_CACHE, retries=len(LOAD_RETRY_DELAYS),
      retry_delay_seconds=LOAD_RETRY_DELAYS or 0, retry_condition_fn=retry_if_transient)
def finish_run(ctx: pipeline.RunContext, load: bool = True) -> dict:
    run = pipeline.finish_run(ctx, load=load)
    per_source = source_outcomes(ctx)
    logger = get_run_logger()
    for source_id, c in per_source.items():
        errors = ctx.summaries[source_id].errors if source_id in ctx.summaries else []
        logger.info(f"summary [{source_id}]: {c['new']} new, {c['changed']} changed, {c['held']} already held, "
                    f"{c['failed']} failed" + (f"; FAILED: {errors[0]}" if errors else ""))
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
