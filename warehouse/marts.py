"""The marts: ``figure_series``, ``attendance_summary`` and ``action_register`` as tables.

They were views; recomputing them at every query made the cookbook slow on a large archive. The
load stores them (``warehouse/sql/024_figure_series.sql`` and ``025_marts.sql``, hashed into the
schema version like every SQL file) in the step "marts" (warehouse/steps.py), after people and
the action links they read.

``figure_series`` (one row per figure, the largest) is patched, not rebuilt, by an incremental
load: the rows of the documents it reloaded, and of meetings whose date, body or source moved,
are deleted and recomputed from the view ``internal.figure_series_rows``. The other two read
people, which is resolved globally, and are small: they are rebuilt.
"""
from __future__ import annotations

import duckdb

from warehouse._rows import id_table
from warehouse.db import run_sql


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """(Re)create the three marts from the current tables."""
    run_sql(con, "024_figure_series.sql")
    run_sql(con, "025_marts.sql")


def patch(con: duckdb.DuckDBPyConnection, documents: set[str], meetings: set[str]) -> None:
    """figure_series patched for ``documents`` (reloaded) and ``meetings`` (moved); the other
    two marts rebuilt."""
    patch_figure_series(con, documents, meetings)
    run_sql(con, "025_marts.sql")


def patch_figure_series(con: duckdb.DuckDBPyConnection, documents: set[str], meetings: set[str]) -> None:
    """Recompute the figure_series rows of ``documents`` and of the figures of ``meetings`` (a
    figure_series row's meeting is its figure's)."""
    id_table(con, "_fs_documents", documents)
    id_table(con, "_fs_meetings", meetings)
    con.execute("""INSERT INTO _fs_documents
                   SELECT DISTINCT document_id FROM figures WHERE meeting_id IN (SELECT id FROM _fs_meetings)
                   EXCEPT SELECT id FROM _fs_documents""")
    con.execute("DELETE FROM figure_series WHERE document_id IN (SELECT id FROM _fs_documents)")
    con.execute("""INSERT INTO figure_series
                   SELECT * FROM internal.figure_series_rows WHERE document_id IN (SELECT id FROM _fs_documents)""")
    con.execute("DROP TABLE _fs_documents")
    con.execute("DROP TABLE _fs_meetings")
