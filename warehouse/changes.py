"""Which Parquet files changed since the warehouse was built, and the record of what it holds.

The loader compares a walk of the Parquet tree (size, mtime, inode of every file) with what the
warehouse recorded in ``internal.parquet_files`` at its last load, and adds the files a run says
it wrote or removed (``ParquetStore.touched``: some file systems have coarse mtimes). So a crashed
run, a ``scrutiny load`` by hand or another process's writes are caught too. A changed file
makes its *unit* (``warehouse.tables.Loaded.unit``) be reloaded.
"""
from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass

import duckdb
import pyarrow as pa

from kernel.config import DataDir
from warehouse._rows import insert_rows
from warehouse.parquet import SCHEMAS
from warehouse.tables import LOADED, Loaded

# A temp file older than this has no live writer (a Parquet file is written in milliseconds): it
# was left by a killed run (as extract.archive.STALE_TEMP_SECONDS for the raw archive).
STALE_TEMP_SECONDS = 3600


@dataclass(frozen=True)
class FileStat:
    table: str
    path: str  # relative to parquet/
    unit: str
    size: int
    mtime_ns: int
    inode: int


def _unit_of(spec: Loaded, rel: str) -> str | None:
    """The unit of a file, from its path relative to its table's folder."""
    if spec.unit_from == "stem":
        return os.path.basename(rel).removesuffix(".parquet")
    for part in rel.split(os.sep):
        if part.startswith("source="):
            return part.removeprefix("source=")
    return None


def _remove_if_stale(path: str) -> None:
    try:
        if os.stat(path).st_mtime < time.time() - STALE_TEMP_SECONDS:
            os.unlink(path)
            print(f"warehouse load: removed {path}, left by a killed run", file=sys.stderr, flush=True)
    except FileNotFoundError:
        pass


def scan(data: DataDir) -> dict[str, FileStat]:
    """Every Parquet file the warehouse is built from, keyed by table and path."""
    out: dict[str, FileStat] = {}
    root = str(data.parquet) + os.sep
    for table, spec in LOADED.items():
        folder = root + spec.folder + os.sep
        found = []
        for dirpath, _dirs, names in os.walk(folder):
            for name in names:
                if name.startswith(".tmp-"):
                    _remove_if_stale(os.path.join(dirpath, name))
                elif name.endswith(".parquet"):
                    found.append(os.path.join(dirpath, name))
        for path in sorted(found):
            unit = _unit_of(spec, path[len(folder):])
            if unit is None:
                continue
            try:
                st = os.stat(path)
            except FileNotFoundError:
                continue
            rel = path[len(root):]
            out[f"{table}\0{rel}"] = FileStat(table, rel, unit, st.st_size, st.st_mtime_ns, st.st_ino)
    return out


def changed_units(now: dict[str, FileStat], before: dict[str, FileStat],
                  touched: set[tuple[str, str]] | None = None) -> dict[str, set[str]]:
    """table -> units whose rows must be reloaded."""
    out: dict[str, set[str]] = {t: set() for t in LOADED}
    for key in now.keys() | before.keys():
        a, b = now.get(key), before.get(key)
        if a is None or b is None or (a.unit, a.size, a.mtime_ns) != (b.unit, b.size, b.mtime_ns):
            for st in (a, b):
                if st is not None:
                    out[st.table].add(st.unit)
    for _source, file_id in touched or ():
        # A file a run wrote or removed: reload it even if its stat looks unchanged (coarse
        # mtimes on some file systems). Listing files only feed meeting_sightings.
        for table, spec in LOADED.items():
            if spec.unit_from != "stem" or spec.unit not in ("document_id", "file_id"):
                continue
            if file_id.startswith("listing-") and table != "meeting_sightings":
                continue
            if file_id == "versions":
                continue
            out[table].add(file_id)
    return out


def stored_files(con: duckdb.DuckDBPyConnection) -> dict[str, FileStat]:
    """The files the warehouse was built from, as recorded at its last load."""
    rows = con.execute("SELECT tbl, path, unit, size, mtime_ns, inode FROM internal.parquet_files").fetchall()
    return {f"{r[0]}\0{r[1]}": FileStat(*r) for r in rows}


def trusted_files(con: duckdb.DuckDBPyConnection) -> dict[str, FileStat]:
    """The files a warehouse loaded (their columns were checked then): every recorded file but
    those it skipped (``internal.warehouse_meta`` rows 'skipped', ``record_skipped``)."""
    stored = stored_files(con)
    for (value,) in con.execute("SELECT value FROM internal.warehouse_meta WHERE key = 'skipped'").fetchall():
        stored.pop(value, None)
    return stored


def foreign_files(data: DataDir, files: dict[str, FileStat]) -> dict[str, str]:
    """key -> why, for the files whose columns are not those the loader's table expects (a stray
    file dropped in the data folder, something else written over one of ours): loading them
    would fail the load, or fill a table with NULL keys."""
    import pyarrow.parquet as pq

    out: dict[str, str] = {}
    for key, st in files.items():
        expected = SCHEMAS[LOADED[st.table].schema]
        try:
            found = pq.read_schema(data.parquet / st.path)
        except (OSError, pa.ArrowException) as exc:
            out[key] = f"not a Parquet file the loader can read ({type(exc).__name__})"
            continue
        wrong = [f.name for f in expected
                 if f.name not in found.names or not found.field(f.name).type.equals(f.type)]
        if wrong:
            out[key] = f"not written by scrutiny: columns {wrong} of table {st.table} missing or of another type"
    return out


def record_files(con: duckdb.DuckDBPyConnection, files: dict[str, FileStat],
                 before: dict[str, FileStat] | None) -> None:
    """Bring ``internal.parquet_files`` up to date (``before`` None: a new warehouse)."""
    if before is None:
        gone, new = [], list(files.values())
    else:
        gone = [b for k, b in before.items() if files.get(k) != b]
        new = [f for k, f in files.items() if before.get(k) != f]
    if gone:
        con.execute("CREATE OR REPLACE TEMP TABLE _files_gone (tbl VARCHAR, path VARCHAR)")
        insert_rows(con, "_files_gone", ["tbl", "path"], [(b.table, b.path) for b in gone])
        con.execute("DELETE FROM internal.parquet_files f USING _files_gone g WHERE f.tbl = g.tbl AND f.path = g.path")
        con.execute("DROP TABLE _files_gone")
    rows = [(f.table, f.path, f.unit, f.size, f.mtime_ns, f.inode) for f in new]
    insert_rows(con, "internal.parquet_files", ["tbl", "path", "unit", "size", "mtime_ns", "inode"], rows)


def record_skipped(con: duckdb.DuckDBPyConnection, skipped: dict[str, str]) -> None:
    con.execute("DELETE FROM internal.warehouse_meta WHERE key = 'skipped'")
    insert_rows(con, "internal.warehouse_meta", ["key", "value"], [("skipped", k) for k in sorted(skipped)])
