"""The marts: ``figure_series``, ``attendance_summary`` and ``action_register`` as tables.

They were views; recomputing them at every query made the cookbook slow on a large archive
(at 20,000 papers, 0.1-0.5 s per query). The load now stores them (``warehouse/sql/025_marts.sql``,
hashed into the schema version like every SQL file), in the derive step ``marts``, after people
and the action links they read.

The step runs on one thread. Measured on 2 cores, one thread builds all three faster than two:
at 2,000 papers 0.17 s against 0.19 s on an idle machine and 0.19-0.21 s against 0.39-0.42 s
while other processes kept the cores busy; at 20,000 papers 1.3 s against 3.4 s (busy). Their
inputs are one or a few row groups, and the parallel sort, hash joins and list aggregates spend
more on partitioning and merging than they gain. The connection's thread count is restored
afterwards.
"""
from __future__ import annotations

import duckdb


def build(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the marts from the current tables, in the caller's transaction."""
    from warehouse.load import run_sql

    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        run_sql(con, "025_marts.sql")
    finally:
        con.execute(f"SET threads = {int(threads)}")
