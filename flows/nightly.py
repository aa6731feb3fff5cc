"""The nightly flow: every source, a look-back window, only what is new or changed."""
from __future__ import annotations

from prefect import flow

from flows import tasks
from flows.fanout import FanOut, fan_out as fan_out_children
from scrutiny import pipeline


@flow(name="nightly", log_prints=True, task_runner=tasks.source_runner())
def nightly(sources: list[str] | None = None, lookback_days: int | None = None,
            lookahead_days: int | None = None, today: str | None = None,
            data_dir: str | None = None, sources_file: str | None = None, load: bool = True,
            fan_out: FanOut = FanOut.NONE) -> dict:
    if fan_out is not FanOut.NONE:  # one child run per source or host, on any worker (flows/fanout.py)
        return fan_out_children(fan_out, sources, {
            "today": tasks.today_from(today).isoformat(),  # one day for every child
            "lookback_days": lookback_days, "lookahead_days": lookahead_days,
            "data_dir": data_dir, "sources_file": sources_file}, load)
    ctx = tasks.open_run("nightly", data_dir, sources_file)
    window = pipeline.nightly_window(ctx.registry, tasks.today_from(today), lookback_days, lookahead_days)
    # Sources at once (tasks.source_runner), each meeting by meeting: memory stays flat however
    # long the window (the parse pool bounds the documents in flight).
    tasks.process_sources(ctx, ctx.registry.select(sources), window)
    # load=False: Parquet only, for fanned-out runs that one `load` run then loads.
    return tasks.fail_if_needed(tasks.finish_run(ctx, load))
