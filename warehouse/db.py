"""Open the warehouse and run SQL: the connections every warehouse module shares.

* ``load_fts``: the full-text-search extension, loaded from the ``duckdb-extension-fts`` wheel's
  file, never downloaded (PyPI's duckdb cannot ``INSTALL`` it offline);
* ``connect_for_load``: the read-write connection a load builds its new file with;
* ``connect_read_only``: what ``scrutiny query``, status, the report and the cookbook read with;
* ``run_sql``: run one of the files of ``warehouse/sql/``.

It imports nothing else of the warehouse, so every other module can import it.
"""
from __future__ import annotations

import os
import time
from pathlib import Path

import duckdb

from kernel import settings
from kernel.config import DataDir

SQL_DIR = Path(__file__).resolve().parent / "sql"

# Every connection of ours: an extension is loaded from the wheel's file (load_fts) or not at all;
# DuckDB never tries to download one (offline that fails, and online it hides a missing LOAD).
NO_DOWNLOADS = {"autoinstall_known_extensions": False}

# DuckDB's memory for a load (it spills to disk past this): keeps a rebuild's memory flat however
# large the archive grows. SCRUTINY_DUCKDB_MEMORY overrides it.
LOAD_MEMORY_LIMIT = "512MB"


class ExtensionMissing(RuntimeError):
    """The fts extension file of the installed ``duckdb-extension-fts`` wheel is not there."""


def sql_files() -> list[Path]:
    return sorted(SQL_DIR.glob("*.sql"))


def run_sql(con: duckdb.DuckDBPyConnection, name: str) -> None:
    """Run ``warehouse/sql/<name>``."""
    con.execute((SQL_DIR / name).read_text(encoding="utf-8"))


def fts_path(con: duckdb.DuckDBPyConnection) -> Path:
    """The fts extension file shipped by the ``duckdb-extension-fts`` wheel for this DuckDB."""
    import importlib.resources as ilr

    import duckdb_extension_fts

    version = con.execute("PRAGMA version").fetchone()[0]
    return Path(str(ilr.files(duckdb_extension_fts))) / "extensions" / version / "fts.duckdb_extension"


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the full-text-search extension from the wheel's file, on this connection, before
    anything calls ``stem()``.

    Nothing is downloaded and nothing is read from or written to ``~/.duckdb``: DuckDB's own
    autoloading would look there and, on a fresh offline machine, try to download the extension
    and fail. Works on read-only connections too."""
    path = fts_path(con)
    if not path.exists():
        raise ExtensionMissing(f"the fts extension is not installed at {path}: "
                               f"reinstall the project (`make install`)")
    con.execute(f"LOAD '{str(path).replace(chr(39), chr(39) * 2)}'")


def connect_for_load(path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the new file a load builds, the fts extension loaded (views,
    macros and the search index call its ``stem()``)."""
    limit = settings.duckdb_memory(LOAD_MEMORY_LIMIT)
    # Every Parquet file is read once: caching their bytes (DuckDB's external file cache) would
    # only make a rebuild's memory grow with the archive. A load frees much at once (a batch's
    # temp tables, a replaced table): that memory goes back to the system at once, instead of
    # being kept for re-use (up to 512 MB by default) on top of the next step's peak.
    con = duckdb.connect(config={"memory_limit": limit, "enable_external_file_cache": False,
                                 "allocator_bulk_deallocation_flush_threshold": "1MB", **NO_DOWNLOADS})
    # No write-ahead log: the file is renamed into place only after its CHECKPOINT (a crash
    # before that throws the copy away), so logging every change as well is wasted work.
    quoted = str(path).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS load_target (RECOVERY_MODE no_wal_writes)")
    con.execute("USE load_target")
    # No FSST string compression: building its symbol tables was most of every checkpoint's
    # work, for a file about 1% smaller. (A SET: duckdb.connect ignores this key in its config.)
    con.execute("SET disabled_compression_methods = 'fsst'")
    load_fts(con)
    return con


class WarehouseBusy(Exception):
    """Another program holds the warehouse read-write, which DuckDB lets block every reader."""


def read_write_holder(path: Path) -> str | None:
    """Who holds a read-write (write-locked) DuckDB file: "python3 (PID 123, user ann)", or None.

    Asked of the kernel (fcntl F_GETLK, the lock DuckDB takes), not read from DuckDB's error
    text. A read-only reader's shared lock does not conflict with the read lock asked about."""
    import fcntl
    import struct

    layout = "hhqqi4x"  # struct flock on Linux: type, whence, start, len, pid (+ padding)
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        answer = fcntl.fcntl(fd, fcntl.F_GETLK, struct.pack(layout, fcntl.F_RDLCK, 0, 0, 0, 0))
    except OSError:
        return None
    finally:
        os.close(fd)
    kind, _, _, _, pid = struct.unpack(layout, answer)
    if kind == fcntl.F_UNLCK:
        return None
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
        uid = Path(f"/proc/{pid}/status").stat().st_uid
        import pwd

        user = pwd.getpwuid(uid).pw_name
    except (OSError, KeyError):
        command, user = "a program", "?"
    return f"{os.path.basename(command) or command} (PID {pid}, user {user})"


def lock_down(con: duckdb.DuckDBPyConnection) -> None:
    """Make a read-only connection unable to write anywhere: no file outside the open database
    (COPY … TO, EXPORT DATABASE, ATTACH, read_csv of any path), and no setting changed after this
    (PRAGMA profiling_output, SET log_query_path, SET enable_external_access = true). Extensions
    must be loaded before: LOAD is external access too."""
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


def connect_read_only(data: DataDir, wait_seconds: float = 0.0, fts: bool = True,
                      locked: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, locked down (``lock_down``) unless ``locked=False``. The fts
    extension is loaded first (its ``stem`` function), so ``search_items('…')`` works.

    A program holding the file read-write blocks every reader (DuckDB's rule); loads never do
    (they work on a copy). Such a holder is named in the error at once (``WarehouseBusy``), or
    after ``wait_seconds`` if it does not let go before."""
    if not data.warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {data.warehouse}: run `scrutiny run`, "
                                f"`scrutiny demo` or `scrutiny ingest` first")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(data.warehouse), read_only=True, config=NO_DOWNLOADS)
            break
        except duckdb.IOException:
            holder = read_write_holder(data.warehouse)
            if holder is None:
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"{data.warehouse} is open read-write in {holder}, which blocks every reader: ask "
                    f"whoever runs it to close it or to reopen it read-only "
                    f"(duckdb.connect(path, read_only=True))") from None
            time.sleep(0.5)
    # DuckDB shares one database instance among the connections a process opens to a file: a
    # second reader in the same process finds the first one's extension loaded and its
    # configuration already locked, and must not set either again.
    if con.execute("SELECT current_setting('lock_configuration')").fetchone()[0]:
        return con
    if fts:
        load_fts(con)
    if locked:
        lock_down(con)
    return con
