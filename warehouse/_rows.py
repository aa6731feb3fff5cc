"""Python rows into DuckDB: whole lists at once, as Arrow tables (executemany is one statement per row)."""
from __future__ import annotations

import duckdb
import pyarrow as pa


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Append ``rows`` (tuples in the order of ``columns``) to ``table``."""
    if not rows:
        return
    data = pa.table(dict(zip(columns, map(list, zip(*rows)))))
    names = ", ".join(columns)
    con.register("_rows_in", data)
    try:
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _rows_in")
    finally:
        con.unregister("_rows_in")


def id_table(con: duckdb.DuckDBPyConnection, name: str, ids, column: str = "id") -> str:
    """Temp table ``name(column VARCHAR)`` holding ``ids``, to join or filter on (SQL text never
    carries ids). Returns ``name``."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({column} VARCHAR)")
    insert_rows(con, name, [column], [(i,) for i in sorted(set(ids))])
    return name
