"""Patching the base tables: delete a unit's rows, insert the rows of its current Parquet files.

A large load (a rebuild) would hold every new row in memory until it commits: ``commit_if_large``
commits and checkpoints along the way, so its memory stays flat as the archive grows. Nobody sees
the new file before it is renamed in, so a load that commits part-way is still all-or-nothing.
"""
from __future__ import annotations

from collections.abc import Iterator

import duckdb

from kernel.config import DataDir
from warehouse._rows import id_table
from warehouse.changes import FileStat
from warehouse.parquet import SCHEMAS
from warehouse.tables import LOADED, columns

PARQUET_BATCH = 200  # files per read_parquet call: one call over every file holds all their metadata
FLUSH_MB = 16  # new rows held in memory past which a load commits and checkpoints


def commit_if_large(con: duckdb.DuckDBPyConnection) -> None:
    """Commit and checkpoint what the load has done so far when DuckDB holds more than
    ``FLUSH_MB`` of new rows in memory (then go on in a new transaction)."""
    held = con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                       "WHERE tag IN ('IN_MEMORY_TABLE', 'OVERFLOW_STRINGS')").fetchone()[0]
    if held > FLUSH_MB * 2**20:
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        con.execute("BEGIN")


def _select(table: str) -> str:
    """The rows of ``table`` in a list of its Parquet files (parameter ``?``)."""
    spec = LOADED[table]
    select = ", ".join(SCHEMAS[spec.schema].names + [f"{expr} AS {name}" for name, _, expr in spec.extra])
    return (f"SELECT {select} FROM read_parquet(?, hive_partitioning = false, union_by_name = true, "
            f"filename = true)")


def patch_table(con: duckdb.DuckDBPyConnection, data: DataDir, table: str, units: set[str] | None,
                files: dict[str, FileStat]) -> int:
    """Replace the rows of ``units`` (None: the table is new and gets every file) by the rows of
    their current files. Returns the number of rows inserted."""
    spec = LOADED[table]
    if units:
        id_table(con, "_units", units)
        con.execute(f"DELETE FROM {table} WHERE {spec.unit} IN (SELECT id FROM _units)")
        con.execute("DROP TABLE _units")
    paths = sorted(str(data.parquet / st.path) for st in files.values()
                   if st.table == table and (units is None or st.unit in units))
    names = ", ".join(columns(table))
    inserted = 0
    for start in range(0, len(paths), PARQUET_BATCH):
        inserted += con.execute(f"INSERT INTO {table} ({names}) {_select(table)}",
                                [paths[start:start + PARQUET_BATCH]]).fetchone()[0]
        commit_if_large(con)
    return inserted


ITEMS_BATCH = 250  # documents whose items a per-item step indexes at once (bounds a rebuild's memory)


def item_batches(con: duckdb.DuckDBPyConnection, documents: set[str] | None) -> Iterator[None]:
    """Walk the items of ``documents`` (None: of every document) a batch of documents at a time:
    while the caller's loop body runs, temp table ``_batch`` holds the batch's items (the columns
    of ``items``, its rowids in (document_id, ordinal) order)."""
    if documents is None:
        ids = [r[0] for r in con.execute("SELECT DISTINCT document_id FROM items ORDER BY 1").fetchall()]
    else:
        ids = sorted(documents)
    for start in range(0, len(ids), ITEMS_BATCH):
        id_table(con, "_batch_documents", ids[start:start + ITEMS_BATCH])
        con.execute("""CREATE OR REPLACE TEMP TABLE _batch AS
                       SELECT * FROM items WHERE document_id IN (SELECT id FROM _batch_documents)
                       ORDER BY document_id, ordinal""")
        yield
        con.execute("DROP TABLE _batch")
        commit_if_large(con)
    con.execute("DROP TABLE IF EXISTS _batch_documents")
