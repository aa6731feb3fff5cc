"""Run the plain pipeline (no Prefect) against the local mirror: for tests of pipeline behaviour."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from extract.adapters.base import Window
from extract.registry import parse_registry
from mirror import mirror_sources_toml
from scrutiny import pipeline
from kernel.config import DataDir

# Wide enough for everything the mirror holds (2016 .. 2027).
EVERYTHING = Window(dt.date(2015, 1, 1), dt.date(2027, 12, 31))


def mirror_registry(mirror, edit=None):
    text = mirror_sources_toml(mirror, rate_per_second=0.0, backoff_factor=0.0)
    return parse_registry(edit(text) if edit else text)


def run_pipeline(data: Path, mirror, window: Window = EVERYTHING, sources: list[str] | None = None,
                 edit=None, flow: str = "backfill"):
    """One run over the mirror: discover, fetch, archive, parse, Parquet, load. Returns (ctx, run)."""
    registry = mirror_registry(mirror, edit)
    ctx = pipeline.open_run(flow, DataDir(data), registry, progress=lambda message: None)
    for source in registry.select(sources):
        pipeline.process_source(ctx, source, window)
    return ctx, pipeline.finish_run(ctx)
