"""Load the DuckDB warehouse from Parquet, incrementally, on a copy renamed in at the end.

Parquet is the source of truth; the warehouse is a derived, disposable index of it.

Design: **copy, patch, rename in.**

1. Under ``locks/warehouse.lock`` (concurrent loaders queue there, they never fail), the live
   ``warehouse.duckdb`` is copied to a temporary file next to it. Every writer closes the file
   checkpointed and without a WAL, and only lock holders write it, so a plain file copy is a
   consistent snapshot; read-only readers may keep reading the live file meanwhile.
2. Which Parquet files changed since the warehouse was built (``warehouse/changes.py``): the
   files the run wrote or removed plus a stat diff of the Parquet tree against the record of the
   last load.
3. On the copy: the base tables (``warehouse/tables.py``) are patched unit by unit
   (``warehouse/patch.py``: delete a changed unit's rows, insert its current files' rows), then
   the derived steps whose inputs changed run (``warehouse/steps.py``).
4. ``CHECKPOINT``, close, and ``os.replace`` the copy over the live file.

Nobody sees the copy before step 4, and a failed load only leaves a temporary file behind (the
next load removes it). Why not patch the live file in place? DuckDB refuses *every* other
process, even read-only ones, while one process holds the file read-write, and a loader cannot
open it read-write while any reader has it open: a nightly load in place would either fail
whenever an analyst has a notebook open, or lock analysts out.

Loading the same Parquet twice changes nothing: with no changed unit the live file is not even
copied. ``rebuild_warehouse`` (``scrutiny rebuild``) builds a new file from all Parquet with the
same code (every step rebuilt) and gives the same tables; every view and mart orders what it
returns, so their results are identical too. A change of the warehouse's schema or derivation
SQL (``schema_version``) makes the next load a rebuild.
"""
from __future__ import annotations

import hashlib
import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from kernel.config import DataDir
from kernel.locks import file_lock
from warehouse.changes import (STALE_TEMP_SECONDS, FileStat, changed_units, foreign_files,  # noqa: F401
                               record_files, record_skipped, scan, stored_files, trusted_files)
# Opening the warehouse lives in warehouse/db.py; these names stay importable from here.
from warehouse.db import (NO_DOWNLOADS, ExtensionMissing, WarehouseBusy, connect_for_load,  # noqa: F401
                          connect_read_only, load_fts, lock_down, read_write_holder, sql_files)
from warehouse.parquet import upgrade_runs
from warehouse.patch import patch_table
from warehouse.tables import (CONTRACT_TABLES, EXTRA_TABLES, INTERNAL_SCHEMA, LOADED, VIEWS,  # noqa: F401
                              create_base_tables, ddl)

# Bump when the loader changes what it stores; the SQL files and the steps' tables are hashed in.
LOADER_VERSION = "8"


def schema_version() -> str:
    from warehouse import actions_links, people, search, sentences

    h = hashlib.sha256(LOADER_VERSION.encode())
    for t in LOADED:
        h.update(ddl(t).encode())
    for f in sql_files():
        h.update(f.name.encode() + f.read_bytes())
    for statement in search.DDL + (actions_links.ITEM_WORDS, people.ITEM_NAMES, sentences.MONEY_SENTENCES):
        h.update(statement.encode())
    h.update(people.PEOPLE_VERSION.encode())
    h.update(" ".join(sorted(search.STOPWORDS) + sorted(actions_links.STOP)).encode())
    h.update(repr(sorted(search.LEMMAS.items())).encode())
    return h.hexdigest()[:16]


def import_load_steps() -> None:
    """Import the modules of the load's steps now (people brings rapidfuzz), for a caller with
    time to spare before it loads. (``scrutiny query`` and status import this module without
    them.)"""
    from warehouse import steps  # noqa: F401


def create_schema(con: duckdb.DuckDBPyConnection) -> None:
    """An empty warehouse: the base tables and the bookkeeping, stamped with the schema version
    (the steps' rebuilds create the derived objects)."""
    create_base_tables(con)
    con.execute("INSERT INTO internal.warehouse_meta VALUES ('schema_version', ?)", [schema_version()])


@dataclass
class LoadReport:
    mode: str  # "rebuild" | "incremental" | "unchanged"
    units: dict[str, int]
    rows_inserted: dict[str, int]
    seconds: float
    timings: dict[str, float]  # seconds per stage (lock, open, plan, patch, record, checkpoint)
    counts: dict[str, int]     # and per derived step (meetings, people, search, …)
    # Parquet files the loader did not load because it did not write them (path under parquet/
    # -> why): a stray file, or one another program wrote over ours.
    skipped: dict[str, str] = field(default_factory=dict)


LAST_REPORT: LoadReport | None = None


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in CONTRACT_TABLES}


def _tmp_path(data: DataDir) -> Path:
    return data.warehouse.with_name(f".{data.warehouse.name}.{os.getpid()}.tmp")


def _cleanup(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)


def remove_stale_copies(data: DataDir) -> list[Path]:
    """The temporary copies of loads that died (killed, or the disk filled) before renaming them
    in. Called under the warehouse lock, when no other load can be using one."""
    stale = sorted(data.warehouse.parent.glob(f".{data.warehouse.name}.*.tmp")) + \
        sorted(data.warehouse.parent.glob(f".{data.warehouse.name}.*.tmp.wal"))
    for path in stale:
        path.unlink(missing_ok=True)
    return stale


def _meta_version(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("SELECT value FROM internal.warehouse_meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _read_live(data: DataDir, read):
    """``read(con)`` on the live warehouse opened read-only; None when there is none, or it
    cannot be opened or read (a read-write session holds it; an old layout)."""
    if not data.warehouse.exists():
        return None
    try:
        con = duckdb.connect(str(data.warehouse), read_only=True, config=NO_DOWNLOADS)
    except duckdb.Error:
        return None
    try:
        return read(con)
    except duckdb.Error:
        return None
    finally:
        con.close()


def _nothing_to_load(data: DataDir, files: dict[str, FileStat], touched) -> dict[str, int] | None:
    """The live warehouse's row counts when loading would change nothing (same schema version,
    no changed unit), read from the live file itself: a load with nothing to load copies nothing
    (and needs no free space). None when there is something to load, or the live file cannot be
    read: the copy decides then."""
    def read(con):
        if _meta_version(con) != schema_version():
            return None
        units = changed_units(files, stored_files(con), touched)
        return None if any(units.values()) else _counts(con)
    return _read_live(data, read)


def _open_new_file(data: DataDir, tmp: Path, force_rebuild: bool) -> tuple[duckdb.DuckDBPyConnection, str]:
    """The file this load builds: a copy of the live warehouse when its schema version is the
    current one ("incremental"), else an empty file ("rebuild")."""
    if not force_rebuild and data.warehouse.exists():
        shutil.copyfile(data.warehouse, tmp)
        con = connect_for_load(tmp)
        if _meta_version(con) == schema_version():
            return con, "incremental"
        con.close()
        _cleanup(tmp)
    return connect_for_load(tmp), "rebuild"


def _settle(con: duckdb.DuckDBPyConnection) -> None:
    """After a rebuild: one more (tiny) checkpoint. Rows appended in many large INSERTs leave
    under-filled row groups that DuckDB merges at the first checkpoint *after* the one that wrote
    them; without this, the next nightly load would pay for that rewrite."""
    con.execute("INSERT INTO internal.warehouse_meta VALUES ('settle', '')")
    con.execute("DELETE FROM internal.warehouse_meta WHERE key = 'settle'")
    con.execute("CHECKPOINT")


class _Clock:
    """Seconds per stage of a load."""

    def __init__(self) -> None:
        self.stages: dict[str, float] = {}
        self.last = self.started = time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        self.stages[name] = round(self.stages.get(name, 0.0) + now - self.last, 3)
        self.last = now

    def seconds(self) -> float:
        return round(time.perf_counter() - self.started, 3)


def _load(data: DataDir, touched: set[tuple[str, str]] | None, force_rebuild: bool) -> LoadReport:
    global LAST_REPORT
    from warehouse.steps import Changes, run_steps

    clock = _Clock()
    data.ensure()
    with file_lock(data.locks / "warehouse.lock"):
        remove_stale_copies(data)  # under the lock: no other load is using one
        upgrade_runs(data.parquet)  # runs files of an earlier version, in today's columns
        tmp = _tmp_path(data)
        every_file = scan(data)
        clock.lap("lock")  # and the scan of the Parquet tree
        if not force_rebuild and (counts := _nothing_to_load(data, every_file, touched)) is not None:
            LAST_REPORT = LoadReport("unchanged", {}, {}, clock.seconds(), clock.stages, counts)
            return LAST_REPORT
        con = None
        try:
            con, mode = _open_new_file(data, tmp, force_rebuild)
            clock.lap("open")
            con.execute("BEGIN")
            if mode == "rebuild":
                trusted = _read_live(data, trusted_files) or {}
                create_schema(con)
                stored = None
            else:
                stored, trusted = stored_files(con), trusted_files(con)
            # The columns of files new or changed since the last load (and of those it skipped)
            # are checked before they are read; the others were checked when they were loaded.
            skipped = foreign_files(data, {k: f for k, f in every_file.items() if trusted.get(k) != f})
            files = {k: f for k, f in every_file.items() if k not in skipped}
            units = {t: set() for t in LOADED} if mode == "rebuild" else changed_units(files, stored, touched)
            clock.lap("plan")
            inserted = {table: patch_table(con, data, table, None if mode == "rebuild" else units[table], files)
                        for table in LOADED if mode == "rebuild" or units[table]}
            if mode == "incremental" and not any(units.values()) and not skipped:
                con.execute("ROLLBACK")
                counts = _counts(con)
                con.close()
                _cleanup(tmp)
                LAST_REPORT = LoadReport("unchanged", {}, {}, clock.seconds(), clock.stages, counts)
                return LAST_REPORT
            clock.lap("patch")
            changes = None if mode == "rebuild" else Changes(units, {t for t, u in units.items() if u})
            step_seconds = run_steps(con, changes)
            clock.last = time.perf_counter()
            record_files(con, every_file, stored)
            record_skipped(con, skipped)
            con.execute("COMMIT")
            counts = _counts(con)
            clock.lap("record")
            con.execute("CHECKPOINT")
            if mode == "rebuild":
                _settle(con)
            con.close()
        except BaseException:  # a full disk, a bad file: no partial copy left behind
            if con is not None:
                con.close()
            _cleanup(tmp)
            raise
        os.replace(tmp, data.warehouse)
        clock.lap("checkpoint")
    LAST_REPORT = LoadReport(mode, {t: len(u) for t, u in units.items() if u}, inserted, clock.seconds(),
                             clock.stages | step_seconds, counts,
                             {every_file[k].path: why for k, why in sorted(skipped.items())})
    for path, why in LAST_REPORT.skipped.items():
        print(f"warehouse load: skipped parquet/{path}: {why}", file=sys.stderr, flush=True)
    return LAST_REPORT


def load_warehouse(data: DataDir, touched: set[tuple[str, str]] | None = None) -> dict[str, int]:
    """Bring ``warehouse.duckdb`` up to date with Parquet, reloading only what changed
    (``touched``: the (source_id, file_id) pairs a run wrote or removed; the loader also
    finds changed files itself). Returns row counts per contract table."""
    return _load(data, touched, force_rebuild=False).counts


def rebuild_warehouse(data: DataDir) -> dict[str, int]:
    """Recreate ``warehouse.duckdb`` from all Parquet (``scrutiny rebuild``)."""
    return _load(data, None, force_rebuild=True).counts


def load_report() -> LoadReport | None:
    """What the last load in this process did (mode, units reloaded, seconds)."""
    return LAST_REPORT
