"""The backfill flow: the nightly path over whole historic years."""
from __future__ import annotations

from prefect import flow

from flows import tasks
from scrutiny import pipeline


@flow(name="backfill", log_prints=True)
def backfill(from_year: int, to_year: int, sources: list[str] | None = None,
             data_dir: str | None = None, sources_file: str | None = None) -> dict:
    ctx = tasks.open_run("backfill", data_dir, sources_file)
    window = pipeline.year_window(from_year, to_year)
    for source in ctx.registry.select(sources):
        tasks.process_source(ctx, source, window)
    return tasks.fail_if_needed(tasks.finish_run(ctx))
