"""The backfill flow: the nightly path over whole historic years."""
from __future__ import annotations

from prefect import flow

from flows import tasks
from flows.fanout import FanOut, fan_out as fan_out_children
from scrutiny import pipeline


@flow(name="backfill", log_prints=True, task_runner=tasks.source_runner())
def backfill(from_year: int, to_year: int, sources: list[str] | None = None,
             data_dir: str | None = None, sources_file: str | None = None, load: bool = True,
             fan_out: FanOut = FanOut.NONE) -> dict:
    if fan_out is not FanOut.NONE:  # one child run per source or host, on any worker (flows/fanout.py)
        return fan_out_children(fan_out, sources, {"from_year": from_year, "to_year": to_year,
                                                   "data_dir": data_dir, "sources_file": sources_file}, load)
    ctx = tasks.open_run("backfill", data_dir, sources_file)
    window = pipeline.year_window(from_year, to_year)
    # Sources at once (tasks.source_runner), each meeting by meeting: memory stays flat however
    # long the window (the parse pool bounds the documents in flight).
    tasks.process_sources(ctx, ctx.registry.select(sources), window)
    # load=False: Parquet only, for fanned-out runs that one `load` run then loads.
    return tasks.fail_if_needed(tasks.finish_run(ctx, load))
