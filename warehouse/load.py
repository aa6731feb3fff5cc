"""Load the DuckDB warehouse from Parquet.

The warehouse is rebuilt from Parquet (the source of truth) into a temporary file which then
replaces ``warehouse.duckdb`` in one rename. So:
- loading the same Parquet twice gives identical tables (rows are ordered by stable keys);
- the write lock DuckDB takes is on the temporary file: readers of the live warehouse are
  never refused while a load runs (DuckDB refuses any second process while one holds a file
  read-write, see platform-notes), and a reader that opened the old file keeps a consistent view;
- concurrent loaders queue on a file lock instead of failing.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb
import pyarrow as pa

from scrutiny.config import DataDir
from scrutiny.locks import file_lock
from warehouse.parquet import SCHEMAS

SQL_DIR = Path(__file__).resolve().parent / "sql"

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("us"): "TIMESTAMP",
}

# How each table is ordered, so that identical Parquet gives identical query results.
ORDER_BY = {
    "sources": "source_id",
    "meeting_sightings": "meeting_id, seen_in",
    "documents": "document_id",
    "items": "document_id, ordinal",
    "attendance": "document_id, ordinal",
    "actions": "document_id, ordinal",
    "figures": "document_id, ordinal",
    "runs": "started_at, run_id",
    "fetch_log": "run_id, fetched_at, url, purpose",
}
# Parquet folder -> warehouse table (meeting sightings are folded into `meetings` by SQL).
PARQUET_TABLE = {name: name for name in ORDER_BY} | {"meeting_sightings": "meetings"}


def ddl(table: str) -> str:
    schema = SCHEMAS[PARQUET_TABLE[table]]
    cols = ",\n  ".join(f"{f.name} {_DUCK_TYPES[f.type]}" for f in schema)
    return f"CREATE TABLE {table} (\n  {cols}\n);"


def _load_table(con: duckdb.DuckDBPyConnection, data: DataDir, table: str) -> None:
    con.execute(ddl(table))
    folder = data.parquet / PARQUET_TABLE[table]
    if not any(folder.glob("**/*.parquet")):
        return
    cols = ", ".join(SCHEMAS[PARQUET_TABLE[table]].names)
    pattern = str(folder / "**" / "*.parquet")
    con.execute(f"INSERT INTO {table} SELECT {cols} FROM read_parquet(?, hive_partitioning = false, "
                f"union_by_name = true) ORDER BY {ORDER_BY[table]}", [pattern])


def build(con: duckdb.DuckDBPyConnection, data: DataDir) -> None:
    for table in ORDER_BY:
        _load_table(con, data, table)
    for sql_file in sorted(SQL_DIR.glob("*.sql")):
        con.execute(sql_file.read_text(encoding="utf-8"))


def load_warehouse(data: DataDir) -> dict[str, int]:
    """Rebuild ``warehouse.duckdb`` from Parquet; return row counts per table."""
    data.ensure()
    with file_lock(data.locks / "warehouse.lock"):
        tmp = data.warehouse.with_name(f".{data.warehouse.name}.{os.getpid()}.tmp")
        tmp.unlink(missing_ok=True)
        con = duckdb.connect(str(tmp))
        try:
            con.execute("BEGIN")
            build(con, data)
            con.execute("COMMIT")
            counts = {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in CONTRACT_TABLES}
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(tmp, data.warehouse)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return counts


CONTRACT_TABLES = ("sources", "meetings", "documents", "items", "attendance", "actions", "figures",
                   "runs", "fetch_log")


class WarehouseBusy(Exception):
    pass


def connect_read_only(data: DataDir, wait_seconds: float = 30.0) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, waiting (with a clear message) while another process
    holds it read-write."""
    if not data.warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {data.warehouse}: run `scrutiny run`, "
                                f"`scrutiny demo` or `scrutiny ingest` first")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            return duckdb.connect(str(data.warehouse), read_only=True)
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise WarehouseBusy(f"{data.warehouse} is held by another process: {exc}") from exc
            time.sleep(0.5)
