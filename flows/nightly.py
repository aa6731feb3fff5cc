"""The nightly flow: every source, a look-back window, only what is new or changed."""
from __future__ import annotations

from prefect import flow

from flows import tasks
from scrutiny import pipeline


@flow(name="nightly", log_prints=True)
def nightly(sources: list[str] | None = None, lookback_days: int | None = None,
            lookahead_days: int | None = None, today: str | None = None,
            data_dir: str | None = None, sources_file: str | None = None) -> dict:
    ctx = tasks.open_run("nightly", data_dir, sources_file)
    window = pipeline.nightly_window(ctx.registry, tasks.today_from(today), lookback_days, lookahead_days)
    for source in ctx.registry.select(sources):
        tasks.process_source(ctx, source, window)  # meeting by meeting inside: memory stays flat
    return tasks.fail_if_needed(tasks.finish_run(ctx))
