"""The marts: ``figure_series``, ``attendance_summary`` and ``action_register`` as tables.

They were views; recomputing them at every query made the cookbook slow on a large archive
(at 20,000 papers, 0.1-0.5 s per query). The load now stores them (``warehouse/sql/024_figure_series.sql``
and ``025_marts.sql``, hashed into the schema version like every SQL file), in the derive step
``marts``, after people and the action links they read.

``figure_series`` (one row per figure, the largest) is patched, not rebuilt, by an incremental
load: the rows of the documents it reloaded, and of meetings whose date, body or source moved,
are deleted and recomputed from the view ``internal.figure_series_rows``. Rebuilding it was a third of a
nightly load at 2,000 papers (0.16 s, and its rewrite at commit ~0.1 s). The other two read
people, which is resolved globally, and are small: they are rebuilt.

The step runs on one thread. Measured on 2 cores, one thread builds all three faster than two:
at 2,000 papers 0.17 s against 0.19 s on an idle machine and 0.19-0.21 s against 0.39-0.42 s
while other processes kept the cores busy; at 20,000 papers 1.3 s against 3.4 s (busy). Their
inputs are one or a few row groups, and the parallel sort, hash joins and list aggregates spend
more on partitioning and merging than they gain. The connection's thread count is restored
afterwards.
"""
from __future__ import annotations

import datetime as dt

import duckdb

from warehouse.db import run_sql

FIGURE_SERIES_ORDER = "meeting_date, document_id, ordinal"


def build(con: duckdb.DuckDBPyConnection, documents: set[str] | None = None,
          meetings: set[str] | None = None) -> None:
    """(Re)create the marts from the current tables, in the caller's transaction. Given
    ``documents`` (reloaded document ids) and ``meetings`` (meetings that appeared, went or
    changed), figure_series is patched for those only; without, it is rebuilt."""
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    con.execute("SET threads = 1")
    try:
        if documents is None:
            run_sql(con, "024_figure_series.sql")
        else:
            patch_figure_series(con, documents, meetings or set())
        run_sql(con, "025_marts.sql")
    finally:
        con.execute(f"SET threads = {int(threads)}")


def _key(row: tuple) -> tuple:
    """Python's view of ORDER BY meeting_date (NULLS LAST), document_id, ordinal."""
    date, document_id, ordinal = row
    return (date is None, date or dt.date.min, document_id, ordinal)


def patch_figure_series(con: duckdb.DuckDBPyConnection, documents: set[str], meetings: set[str]) -> None:
    """Recompute the figure_series rows of ``documents`` and of the figures of ``meetings``.
    New rows normally sort after all others (new papers are of recent meetings) and are
    appended; otherwise the table is rewritten in order, so it always reads as a rebuild's."""
    from warehouse._rows import in_list

    docs = set(documents)
    if meetings:
        # A figure_series row's meeting_id is its figure's: the moved meetings' rows are those
        # of their figures.
        docs |= {r[0] for r in con.execute(
            f"SELECT DISTINCT document_id FROM figures WHERE meeting_id IN {in_list(meetings)}").fetchall()}
    if not docs:
        return
    ids = in_list(docs)
    con.execute(f"DELETE FROM figure_series WHERE document_id IN {ids}")
    con.execute(f"""CREATE OR REPLACE TEMP TABLE _figure_series_new AS
                    SELECT * FROM internal.figure_series_rows WHERE document_id IN {ids}
                    ORDER BY {FIGURE_SERIES_ORDER}""")
    last_old = con.execute(f"SELECT {FIGURE_SERIES_ORDER} FROM figure_series ORDER BY meeting_date DESC NULLS FIRST, "
                           "document_id DESC, ordinal DESC LIMIT 1").fetchone()
    first_new = con.execute(f"SELECT {FIGURE_SERIES_ORDER} FROM _figure_series_new "
                            f"ORDER BY {FIGURE_SERIES_ORDER} LIMIT 1").fetchone()
    con.execute("INSERT INTO figure_series SELECT * FROM _figure_series_new ORDER BY rowid")
    con.execute("DROP TABLE _figure_series_new")
    if last_old and first_new and _key(last_old) > _key(first_new):
        con.execute(f"CREATE OR REPLACE TABLE figure_series AS SELECT * FROM figure_series ORDER BY {FIGURE_SERIES_ORDER}")
