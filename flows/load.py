"""The load flow: bring the warehouse up to date with Parquet. No network, no parsing.

For scaled-out runs (README, "Run it on a schedule"): fetch-and-parse runs started with
``load=false`` on several workers hand over through Parquet, and this one loads them. Its
deployment has a concurrency limit of 1, so only one load runs at a time whichever worker
takes it (the file lock in warehouse/load.py queues loaders on one machine too)."""
from __future__ import annotations

from prefect import flow, get_run_logger

from kernel.config import DataDir
from warehouse.load import load_warehouse


@flow(name="load", log_prints=True)
def load(data_dir: str | None = None) -> dict[str, int]:
    counts = load_warehouse(DataDir.resolve(data_dir))
    get_run_logger().info("warehouse: " + ", ".join(f"{k} {v}" for k, v in counts.items()))
    return counts
