"""Thin Prefect tasks over the pipeline's plain functions (which tests call directly)."""
from __future__ import annotations

import datetime as dt

from prefect import get_run_logger, task
from prefect.cache_policies import NO_CACHE

from extract.adapters.base import Window
from extract.registry import load_registry
from scrutiny import pipeline
from scrutiny.config import DataDir


def open_run(flow: str, data_dir: str | None, sources_file: str | None) -> pipeline.RunContext:
    logger = get_run_logger()
    return pipeline.open_run(flow, DataDir.resolve(data_dir), load_registry(sources_file), progress=logger.info)


# Retries stay in the HTTP layer, which knows which failures are transient; a task-level
# retry would re-run a whole source after a parse bug or a WAF refusal.
@task(name="process-source", cache_policy=NO_CACHE, task_run_name="process {source.id}")
def process_source(ctx: pipeline.RunContext, source, window: Window) -> pipeline.SourceSummary:
    return pipeline.process_source(ctx, source, window)


@task(name="reparse-archive", cache_policy=NO_CACHE)
def reparse_archive(ctx: pipeline.RunContext, source_ids: list[str] | None) -> dict[str, int]:
    return pipeline.reparse_archive(ctx, source_ids)


@task(name="finish-run", cache_policy=NO_CACHE)
def finish_run(ctx: pipeline.RunContext) -> dict:
    run = pipeline.finish_run(ctx)
    return {"run_id": run.run_id, "status": run.status.value, "message": run.message,
            "meetings": run.meetings_discovered, "documents": run.documents_discovered,
            "fetched": run.documents_fetched, "skipped": run.documents_skipped,
            "failed": run.documents_failed}


def today_from(value: str | None) -> dt.date:
    return dt.date.fromisoformat(value) if value else dt.date.today()


class SourcesFailed(RuntimeError):
    """Raised at the end of a flow so the run ends Failed, naming the sources."""


def fail_if_needed(summary: dict) -> dict:
    if summary["status"] != "completed":
        raise SourcesFailed(f"run {summary['run_id']} failed: {summary['message']}")
    return summary
