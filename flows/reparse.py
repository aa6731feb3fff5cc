"""The reparse flow: the whole archive through today's parsers. No network."""
from __future__ import annotations

from prefect import flow

from flows import tasks


@flow(name="reparse", log_prints=True)
def reparse(sources: list[str] | None = None, data_dir: str | None = None,
            sources_file: str | None = None) -> dict:
    ctx = tasks.open_run("reparse", data_dir, sources_file)
    tasks.reparse_archive(ctx, sources)
    return tasks.fail_if_needed(tasks.finish_run(ctx))
