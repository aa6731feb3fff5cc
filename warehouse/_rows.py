"""Bulk-insert Python rows into DuckDB through Arrow (executemany is per-row and slow)."""
from __future__ import annotations

import duckdb
import pyarrow as pa


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    # Column by column: ~3x faster than Table.from_pylist over one dict per row.
    data = pa.table(dict(zip(columns, map(list, zip(*rows)))))
    con.register("_rows_in", data)
    try:
        con.execute(f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(columns)} FROM _rows_in")
    finally:
        con.unregister("_rows_in")
