"""Bulk-insert Python rows into DuckDB through a Parquet file (executemany is per-row and slow)."""
from __future__ import annotations

import os
import tempfile

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    # Column by column: ~3x faster than Table.from_pylist over one dict per row.
    data = pa.table(dict(zip(columns, map(list, zip(*rows)))))
    # Handed over as a Parquet file that DuckDB reads itself, not con.register(data): DuckDB
    # scans a registered Arrow table through pyarrow.dataset, whose first import (with
    # pyarrow.compute) cost every nightly load 0.06-0.12 s for a few thousand rows.
    fd, path = tempfile.mkstemp(prefix="scrutiny-rows-", suffix=".parquet")
    try:
        with os.fdopen(fd, "wb") as f:
            pq.write_table(data, f, compression="none")
        names = ", ".join(columns)
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM read_parquet('{_quoted(path)}')")
    finally:
        os.unlink(path)


def _quoted(text: str) -> str:
    return text.replace("'", "''")


def in_list(ids) -> str:
    """``ids`` as an SQL list for ``IN`` (sorted, quotes doubled; empty: a list of nothing).
    Not a list parameter (``unnest(?::VARCHAR[])``): DuckDB's Python binding costs ~80 µs per
    element on every statement, so a load reloading all 2,000 documents of the benchmark (a
    reparse that changed them) spent 6.6 s of its 30 s binding; as SQL text 2,000 ids cost ~20 ms,
    and a nightly's 20 ids ~1 ms instead of ~10 ms."""
    if not ids:
        return "(SELECT NULL::VARCHAR WHERE false)"
    return "(" + ", ".join("'" + str(i).replace("'", "''") + "'" for i in sorted(ids)) + ")"
