"""Load the DuckDB warehouse from Parquet, incrementally, on a copy renamed in at the end.

Parquet is the source of truth; the warehouse is a derived, disposable index of it.

Design: **copy, patch, rename in.**

1. Under ``locks/warehouse.lock`` (concurrent loaders queue there, they never fail), the live
   ``warehouse.duckdb`` is copied to a temporary file next to it. Every writer closes the file
   checkpointed and without a WAL, and only lock holders write it, so a plain file copy is a
   consistent snapshot; read-only readers may keep reading the live file meanwhile.
2. The loader works out which Parquet files changed since the warehouse was built: the files the
   run wrote or removed (``ParquetStore.touched``) plus a stat diff of the
   whole Parquet tree against the ``internal.parquet_files`` bookkeeping table, so a crashed run, a
   ``scrutiny load`` by hand or another process's writes are caught too.
3. On the copy: for each changed *unit* (a document id, a listing file, a run, a source) delete
   its rows from every table and insert the rows of its current Parquet files. The per-item
   indexes (``search_terms``/``search_docs`` and the internal postings for full-text search,
   ``item_words`` for the action links, ``item_names`` for people, ``money_sentences`` for the
   questions about money) are maintained with ``items``,
   batch by batch: only the changed documents' items are tokenised. Then the derived objects
   whose inputs changed are brought up to date (``meetings`` folded from sightings, ``people`` and
   ``attendance.person_id``, ``search_dict``, the action links, the marts ``figure_series``,
   ``attendance_summary`` and ``action_register``) and the views (re)created. A
   nightly load does all this in one transaction; a large one (a rebuild) commits and checkpoints
   along the way whenever DuckDB holds more than ``FLUSH_MB`` of new rows, so its memory does not
   grow with the archive. Either way nobody sees the copy before step 4, and a failed load only
   leaves a temporary file behind.
4. ``CHECKPOINT``, close, and ``os.replace`` the copy over the live file.

Row order. An incremental load and a rebuild give byte-identical ``SELECT *`` results, not only
equal sets, because every table is kept in one canonical order. Tables of documents' rows
(``documents``, ``items``, ``attendance``, ``actions``, ``figures`` and the per-item indexes) are
in *fetch order*: by the document's ``fetched_at``, then by their stable keys. A nightly run's new
documents were fetched after everything already loaded, so their rows are simply appended in
order and nothing is rewritten; only when that does not hold (a reparse, a document fetched long
ago loaded late) is a table rewritten in order (``_resort``). Every other table has a stable
sort key and is rewritten only when appended rows would break its order.

Why not patch the live file in place? DuckDB refuses *every* other process, even read-only
ones, while one process holds the file read-write (platform-notes), and a loader cannot open it
read-write while any reader has it open. A nightly load in place would either fail whenever an
analyst has a notebook open, or lock analysts out. The copy costs one sequential file copy
(≈ 0.1 s per 100 MB) and keeps the old guarantees: readers are never refused, a reader that
opened the old file keeps a consistent view, and a crash leaves the live file untouched.

Loading the same Parquet twice changes nothing: with no changed unit the copy is discarded and
the live file is not even replaced. ``rebuild_warehouse`` (``scrutiny rebuild``) builds a new
file from all Parquet with the same code path (every unit "changed", nothing to copy) and gives
identical tables. A change of the warehouse's schema or derivation SQL (``SCHEMA_VERSION``)
makes the next load a rebuild.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sys
import time
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from scrutiny.config import DataDir
from scrutiny.locks import file_lock
from warehouse._rows import in_list
# Opening the warehouse and running SQL live in warehouse/db.py; these names stay importable from here.
from warehouse.db import (NO_DOWNLOADS, ExtensionMissing, WarehouseBusy, connect_read_only,  # noqa: F401
                          fts_path, load_fts, lock_down, read_write_holder, run_sql, sql_files)
from warehouse.parquet import SCHEMAS


_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("us"): "TIMESTAMP",
    pa.list_(pa.string()): "VARCHAR[]",
}


@dataclass(frozen=True)
class Loaded:
    """A warehouse table loaded from one Parquet folder.

    ``unit`` is the column that names the file a row came from (deleting a unit's rows and
    inserting its files' rows is how a table is patched); ``unit_from`` says how a file's path
    gives that value: its stem (``<document_id>.parquet``, ``<run_id>.parquet``) or its
    ``source=<id>`` partition."""

    folder: str  # under parquet/
    schema: str  # key of warehouse.parquet.SCHEMAS
    unit: str
    unit_from: str  # "stem" | "partition"
    order_by: str
    extra: tuple[tuple[str, str, str], ...] = ()  # (column, type, SQL over `filename`)
    # Rows of documents, kept in fetch order: by the document's fetched_at, then order_by.
    by_document: bool = False


_STEM = "regexp_extract(filename, '([^/]+)\\.parquet$', 1)"

LOADED: dict[str, Loaded] = {
    "sources": Loaded("sources", "sources", "source_id", "partition", "source_id"),
    "meeting_sightings": Loaded("meetings", "meetings", "file_id", "stem",
                                "meeting_id, seen_in, file_id", (("file_id", "VARCHAR", _STEM),)),
    "documents": Loaded("documents", "documents", "document_id", "stem", "fetched_at, document_id, source_id"),
    "items": Loaded("items", "items", "document_id", "stem", "document_id, ordinal, meeting_id",
                    by_document=True),
    "attendance": Loaded("attendance", "attendance", "document_id", "stem",
                         "document_id, ordinal, meeting_id", by_document=True),
    "actions": Loaded("actions", "actions", "document_id", "stem", "document_id, ordinal, meeting_id",
                      by_document=True),
    "figures": Loaded("figures", "figures", "document_id", "stem", "document_id, ordinal, meeting_id",
                      by_document=True),
    "runs": Loaded("runs", "runs", "run_id", "stem", "started_at, run_id"),
    "fetch_log": Loaded("fetch_log", "fetch_log", "run_id", "stem",
                        "run_id, fetched_at, url, purpose, outcome, document_id"),
    "document_versions": Loaded("document_versions", "document_versions", "source_id", "partition",
                                "source_id, url, version"),
    "superseded_documents": Loaded("superseded/documents", "documents", "document_id", "stem",
                                   "document_id, source_id"),
    "superseded_items": Loaded("superseded/items", "items", "document_id", "stem",
                               "document_id, ordinal, meeting_id"),
    "superseded_actions": Loaded("superseded/actions", "actions", "document_id", "stem",
                                 "document_id, ordinal, meeting_id"),
    "superseded_figures": Loaded("superseded/figures", "figures", "document_id", "stem",
                                 "document_id, ordinal, meeting_id"),
}
# Kept for callers of the previous loader: loaded table -> how it is ordered.
ORDER_BY = {t: spec.order_by for t, spec in LOADED.items()}
PARQUET_TABLE = {t: spec.schema for t, spec in LOADED.items()}

CONTRACT_TABLES = ("sources", "meetings", "documents", "items", "attendance", "actions", "figures",
                   "runs", "fetch_log")
# Every other table and view the load makes (README "The warehouse"); the bookkeeping tables
# (internal.parquet_files, internal.warehouse_meta) and the search postings are in the schema
# INTERNAL_SCHEMA, out of a user's way.
EXTRA_TABLES = ("meeting_sightings", "meeting_aliases", "document_versions", "superseded_documents",
                "superseded_items", "superseded_actions", "superseded_figures", "people",
                "person_mentions", "action_links", "search_terms", "search_docs", "search_dict", "search_lemmas",
                "item_words", "item_names", "money_sentences",
                "figure_series", "attendance_summary", "action_register")  # the marts (025_marts.sql)
INTERNAL_SCHEMA = "internal"
VIEWS = ("meeting_timeline", "document_version_stats", "document_version_changes", "document_version_figures",
         "papers_to_check", "coverage", "document_sightings")

# Bump when load.py changes what it stores; the SQL files are hashed in automatically.
LOADER_VERSION = "7"


def ddl(table: str) -> str:
    spec = LOADED[table]
    schema = SCHEMAS[spec.schema]
    cols = [f"{f.name} {_DUCK_TYPES[f.type]}" for f in schema]
    cols += [f"{name} {typ}" for name, typ, _ in spec.extra]
    if table == "attendance":
        cols.append("person_id VARCHAR")  # filled from `people` at every load
    return f"CREATE TABLE {table} (\n  " + ",\n  ".join(cols) + "\n);"


def schema_version() -> str:
    h = hashlib.sha256(LOADER_VERSION.encode())
    for t in LOADED:
        h.update(ddl(t).encode())
    for f in sql_files():
        h.update(f.name.encode() + f.read_bytes())
    from warehouse import actions_links, people, search

    h.update(people.PEOPLE_VERSION.encode())
    for index in item_indexes():
        h.update(repr(sorted(index.ITEM_TABLES.items())).encode())
    h.update(" ".join(sorted(search.STOPWORDS) + sorted(actions_links.STOP)).encode())
    h.update(repr(sorted(search.LEMMAS.items())).encode())
    return h.hexdigest()[:16]


def import_load_steps() -> None:
    """Import the modules of the load's steps now (people brings rapidfuzz: ~0.05 s in all),
    for a caller with time to spare before it loads."""
    from warehouse import actions_links, marts, people, search, sentences  # noqa: F401


def item_indexes() -> tuple:
    """The per-item indexes, maintained with ``items`` one batch of documents at a time. Each is
    a module with ``ITEM_TABLES`` (table -> (columns, order after the document's fetch time)),
    ``index_items(con)`` (insert the rows of the items in temp table ``_batch``, in order: the
    batch's rowids are in fetch order, (document_id, ordinal) identifies an item) and optionally
    ``prepare_items(con)`` (once per load, before any batch) and ``forget_items(con, document_ids)``
    (called before those documents' rows are deleted)."""
    from warehouse import actions_links, people, search, sentences

    return (search, actions_links, people, sentences)


# --------------------------------------------------------------------------------------
# Which Parquet files changed
# --------------------------------------------------------------------------------------


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


# A temp file older than this has no live writer (a Parquet file is written in milliseconds): it
# was left by a killed run (as extract.archive.STALE_TEMP_SECONDS for the raw archive).
STALE_TEMP_SECONDS = 3600


def _remove_if_stale(path: str) -> None:
    try:
        if os.stat(path).st_mtime < time.time() - STALE_TEMP_SECONDS:
            os.unlink(path)
            print(f"warehouse load: removed {path}, left by a killed run", file=sys.stderr, flush=True)
    except FileNotFoundError:
        pass


def scan(data: DataDir) -> dict[str, FileStat]:
    """Every Parquet file the warehouse is built from, keyed by (table, path). (Plain strings and
    os.walk: Path objects and relpath cost more than the stat calls.)"""
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


def _held_units(stored: dict[str, FileStat] | None) -> dict[str, set[str]]:
    """Table -> the units it has rows of, from the recorded files (none recorded: a rebuild)."""
    held: dict[str, set[str]] = {t: set() for t in LOADED} if stored is not None else {}
    for st in (stored or {}).values():
        held.setdefault(st.table, set()).add(st.unit)
    return held


def _stored_files(con: duckdb.DuckDBPyConnection) -> dict[str, FileStat]:
    rows = con.execute("SELECT tbl, path, unit, size, mtime_ns, inode FROM internal.parquet_files").fetchall()
    return {f"{r[0]}\0{r[1]}": FileStat(*r) for r in rows}


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


# --------------------------------------------------------------------------------------
# Patching the tables
# --------------------------------------------------------------------------------------


def _create_schema(con: duckdb.DuckDBPyConnection) -> None:
    # The bookkeeping and the search postings live in their own schema, so a user listing the
    # tables (SHOW TABLES, duckdb_tables() of schema main) sees only the documented ones.
    con.execute(f"CREATE SCHEMA {INTERNAL_SCHEMA}")
    for table in LOADED:
        con.execute(ddl(table))
    for index in item_indexes():
        for table, (columns, _order) in index.ITEM_TABLES.items():
            con.execute(f"CREATE TABLE {table} ({columns})")
    from warehouse import search

    for statement in search.DDL:
        con.execute(statement)
    con.execute("CREATE TABLE internal.parquet_files (tbl VARCHAR, path VARCHAR, unit VARCHAR, size BIGINT, "
                "mtime_ns BIGINT, inode BIGINT)")
    con.execute("CREATE TABLE internal.warehouse_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO internal.warehouse_meta VALUES ('schema_version', ?)", [schema_version()])


PARQUET_BATCH = 200  # files per read_parquet call
ITEMS_BATCH = 250  # documents per batch of items (tokenised at once by the per-item indexes)
# DuckDB's memory for a load (it spills to disk past this): keeps a backfill's memory flat
# however large the archive grows. SCRUTINY_DUCKDB_MEMORY overrides it.
LOAD_MEMORY_LIMIT = "512MB"


def _memory_limit() -> str:
    return os.environ.get("SCRUTINY_DUCKDB_MEMORY", LOAD_MEMORY_LIMIT)


def _connect_for_load(path: Path) -> duckdb.DuckDBPyConnection:
    limit = _memory_limit()
    # Every Parquet file is read once: caching their bytes (DuckDB's external file cache, on by
    # default) only made memory grow with the archive, up to the memory limit.
    # A load frees a lot at once (a batch's temp tables, a rewritten table): hand that memory back
    # to the system then, or the next step's peak adds to it (DuckDB keeps freed memory for
    # re-use up to 512 MB by default). At 2,000 papers: rebuild peak ~305 -> ~283 MB, same time.
    con = duckdb.connect(config={"memory_limit": limit, "enable_external_file_cache": False,
                                 "allocator_bulk_deallocation_flush_threshold": "1MB", **NO_DOWNLOADS})
    # No write-ahead log: a load's changes reach the file at its CHECKPOINT, and the file is
    # renamed into place only after that (a crash before it throws the copy away), so a COMMIT
    # writing every change to the log as well was wasted (~0.05 s of a nightly load).
    quoted = str(path).replace("'", "''")
    con.execute(f"ATTACH '{quoted}' AS load_target (RECOVERY_MODE no_wal_writes)")
    con.execute("USE load_target")
    # No FSST string compression: choosing and building its symbol tables was most of a
    # checkpoint's work (a nightly load rewrites a dozen small tables: their checkpoint 0.17 ->
    # 0.07 s; a rebuild at 2,000 papers ~20.5 -> ~18 s), for a file 1% larger. Repetitive
    # strings (ids, terms, words) still get dictionary compression. (A SET: duckdb.connect
    # ignores this key in its config.)
    con.execute("SET disabled_compression_methods = 'fsst'")
    return con


def _columns(table: str) -> list[str]:
    """The loaded columns of ``table`` (Parquet's, then the extra ones), in table order."""
    spec = LOADED[table]
    return SCHEMAS[spec.schema].names + [name for name, _, _ in spec.extra]


def _order_terms(table: str) -> str:
    """``table``'s stable order: its key, then every loaded column (so no two different rows tie).
    ``attendance.person_id`` is not part of it: it is filled in place after the rows are ordered."""
    return LOADED[table].order_by + ", " + ", ".join(f'"{c}"' for c in _columns(table))


def _doc_order(con: duckdb.DuckDBPyConnection) -> None:
    """Temp table ``_doc_order(document_id, _f)``: when each current document was fetched, the
    first key of the fetch order (documents without a ``documents`` row sort last)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _doc_order AS "
                "SELECT document_id, min(fetched_at) AS _f FROM documents GROUP BY document_id")


def _doc_key(document_id: str, fetched_at) -> tuple:
    """Python's view of ``ORDER BY _f NULLS LAST, document_id``."""
    return (fetched_at is None, fetched_at or dt.datetime.min, document_id)


def _parquet_select(table: str) -> tuple[str, str]:
    spec = LOADED[table]
    cols = SCHEMAS[spec.schema].names
    select = ", ".join(cols + [f"{expr} AS {name}" for name, _, expr in spec.extra])
    names = ", ".join(_columns(table))
    return select, names


def _read_parquet(select: str) -> str:
    return (f"SELECT {select} FROM read_parquet(?, hive_partitioning = false, union_by_name = true, "
            f"filename = true)")


def _patch_table(con: duckdb.DuckDBPyConnection, data: DataDir, table: str, units: set[str],
                 files: dict[str, FileStat], full: bool, held: set[str] | None = None) -> tuple[int, list[str]]:
    """Delete the rows of ``units`` and insert the rows of their current files, in order.
    ``held``: the units the table had rows of before (None: any may have); the others are new
    and have nothing to delete (a nightly's new papers: ~15 DELETEs saved). Returns the number of
    rows inserted and the tables whose order that broke (``_resort``)."""
    gone = units if held is None else units & held
    if LOADED[table].by_document:
        return _patch_by_document(con, data, table, units, files, full, gone)
    spec = LOADED[table]
    if not full and gone:
        con.execute(f"DELETE FROM {table} WHERE {spec.unit} IN {in_list(gone)}")
    paths = sorted(str(data.parquet / st.path) for st in files.values()
                   if st.table == table and (full or st.unit in units))
    if not paths:
        return 0, []
    select, names = _parquet_select(table)
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    # In batches: one read_parquet over every file of a large archive holds all their metadata
    # at once (memory grew with the file count).
    if len(paths) <= PARQUET_BATCH:
        con.execute(f"INSERT INTO {table} ({names}) SELECT * FROM ({_read_parquet(select)}) "
                    f"ORDER BY {_order_terms(table)}", [paths])
        resort = not full and not _rows_appended_in_order(con, table, units)
    else:
        for start in range(0, len(paths), PARQUET_BATCH):
            con.execute(f"INSERT INTO {table} ({names}) {_read_parquet(select)}", [paths[start:start + PARQUET_BATCH]])
            _flush_if_large(con)
        resort = True
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before, [table] if resort else []


# Rows a load appends stay in memory, uncompressed, until they are committed and checkpointed:
# a rebuild would hold the whole archive. Past this much, the load commits and checkpoints what it
# has done so far (the temporary copy only replaces the live file at the end, so readers never see
# a half-done load, and a failed load still leaves the live file as it was).
FLUSH_MB = 16
# Whether this load may flush: a large one (a rebuild, or more documents than one batch of items);
# a nightly load stays one transaction and checkpoints once. Loads are serialised by the
# warehouse lock, so one flag per process is enough.
_FLUSHING = {"on": False}


def _flush_if_large(con: duckdb.DuckDBPyConnection) -> None:
    if not _FLUSHING["on"]:
        return
    held = con.execute("SELECT coalesce(sum(memory_usage_bytes), 0) FROM duckdb_memory() "
                       "WHERE tag IN ('IN_MEMORY_TABLE', 'OVERFLOW_STRINGS')").fetchone()[0]
    if held > FLUSH_MB * 2**20:
        con.execute("COMMIT")
        con.execute("CHECKPOINT")
        _evict(con)
        con.execute("BEGIN")


def _evict(con: duckdb.DuckDBPyConnection) -> None:
    """Drop the blocks just checkpointed from DuckDB's cache: they are on disk now, and a large
    load does not read them again soon. Lowering the limit for a moment makes DuckDB evict what
    it can (it refuses, harmlessly, if pinned memory is above the low mark). At 2,000 papers:
    rebuild peak 261 -> 251 MB; 200 papers unchanged."""
    try:
        con.execute("SET memory_limit = '16MB'")
    except duckdb.Error:
        pass
    finally:
        con.execute(f"SET memory_limit = '{_memory_limit()}'")


def _rows_appended_in_order(con: duckdb.DuckDBPyConnection, table: str, units: set[str]) -> bool:
    """After the rows of ``units`` were appended in order: is the whole table still in order,
    i.e. does no older row sort after the first appended one?"""
    spec = LOADED[table]
    keys = [k.strip() for k in spec.order_by.split(",")] + [f'"{c}"' for c in _columns(table)]
    asc = ", ".join(f"{k} ASC NULLS LAST" for k in keys)
    desc = ", ".join(f"{k} DESC NULLS FIRST" for k in keys)
    cols = ", ".join(f'"{c}"' for c in _columns(table))
    sides = con.execute(f"""
        SELECT _new FROM (
            (SELECT {cols}, 0 AS _new FROM {table}
             WHERE {spec.unit} NOT IN {in_list(units)} ORDER BY {desc} LIMIT 1)
            UNION ALL
            (SELECT {cols}, 1 AS _new FROM {table}
             WHERE {spec.unit} IN {in_list(units)} ORDER BY {asc} LIMIT 1))
        ORDER BY {asc}, _new""").fetchall()
    return len(sides) < 2 or sides[0][0] == 0


def _patch_by_document(con: duckdb.DuckDBPyConnection, data: DataDir, table: str, units: set[str],
                       files: dict[str, FileStat], full: bool, gone: set[str]) -> tuple[int, list[str]]:
    """``_patch_table`` for a table of documents' rows: the documents' files are read in fetch
    order, in batches, and appended in order. For ``items``, each batch is also indexed by the
    per-item indexes (``item_indexes``), whose rows of the reloaded documents are deleted first."""
    spec = LOADED[table]
    indexes = item_indexes() if table == "items" else ()
    for index in indexes:
        if hasattr(index, "prepare_items"):
            index.prepare_items(con)
    if not full and gone:
        for index in indexes:
            if hasattr(index, "forget_items"):
                index.forget_items(con, gone)
        for target in [table] + [t for index in indexes for t in index.ITEM_TABLES]:
            con.execute(f"DELETE FROM {target} WHERE document_id IN {in_list(gone)}")
    by_unit: dict[str, list[str]] = {}
    for st in files.values():
        if st.table == table and (full or st.unit in units):
            by_unit.setdefault(st.unit, []).append(str(data.parquet / st.path))
    if not by_unit:
        return 0, []
    fetched = dict(con.execute(f"SELECT document_id, _f FROM _doc_order WHERE document_id IN {in_list(by_unit)}")
                   .fetchall())
    batches: list[list[str]] = [[]]
    limit = ITEMS_BATCH if indexes else PARQUET_BATCH
    for unit in sorted(by_unit, key=lambda u: _doc_key(u, fetched.get(u))):
        if len(batches[-1]) >= limit:
            batches.append([])
        batches[-1].extend(sorted(by_unit[unit]))  # all files of a document in one batch
    select, names = _parquet_select(table)
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    for paths in batches:
        # The batch in its final order: its rowids follow it, for the indexes' sake.
        con.execute(f"""CREATE OR REPLACE TEMP TABLE _batch AS
                        SELECT p.*, o._f FROM ({_read_parquet(select)}) p
                        LEFT JOIN _doc_order o USING (document_id)
                        ORDER BY o._f NULLS LAST, {_order_terms(table)}""", [paths])
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM _batch ORDER BY rowid")
        for index in indexes:
            index.index_items(con)
        _flush_if_large(con)
    con.execute("DROP TABLE IF EXISTS _batch")
    resort = []
    if not full and not _documents_appended_in_order(con, table, units):
        # The per-item indexes hold rows of (some of) the same documents, appended in the same
        # order: if items is out of order, they may be too.
        resort = [table] + [t for index in indexes for t in index.ITEM_TABLES]
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before, resort


def _documents_appended_in_order(con: duckdb.DuckDBPyConnection, table: str, units: set[str]) -> bool:
    """After the rows of the documents ``units`` were appended in fetch order: do all of them
    come after every other document of ``table``?"""
    rows = con.execute(f"""
        WITH k AS (SELECT p.document_id, o._f, p.document_id IN {in_list(units)} AS new
                   FROM (SELECT DISTINCT document_id FROM {table}) p LEFT JOIN _doc_order o USING (document_id))
        (SELECT document_id, _f, new FROM k WHERE NOT new ORDER BY _f DESC NULLS FIRST, document_id DESC LIMIT 1)
        UNION ALL
        (SELECT document_id, _f, new FROM k WHERE new ORDER BY _f NULLS LAST, document_id LIMIT 1)""").fetchall()
    old = [_doc_key(d, f) for d, f, new in rows if not new]
    new = [_doc_key(d, f) for d, f, new in rows if new]
    return not old or not new or old[0] < new[0]


def _item_index_order(table: str) -> str:
    for index in item_indexes():
        if table in index.ITEM_TABLES:
            columns, order = index.ITEM_TABLES[table]
            return order + ", " + ", ".join(c.split()[0] for c in columns.split(","))
    return _order_terms(table)


def _resort_by_document(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Rewrite a table of documents' rows in fetch order."""
    con.execute(f"""CREATE OR REPLACE TABLE {table} AS SELECT t.* FROM {table} t
                    LEFT JOIN _doc_order o USING (document_id)
                    ORDER BY o._f NULLS LAST, {_item_index_order(table)}""")


def _resort(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Rewrite ``table`` in its stable order, so physical order never depends on load history."""
    if table not in LOADED or LOADED[table].by_document:
        _resort_by_document(con, table)
    else:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {table} ORDER BY {_order_terms(table)}")


def _settle(con: duckdb.DuckDBPyConnection) -> None:
    """After a load that appended many rows: one more (tiny) checkpoint. Rows appended in many
    large INSERTs leave under-filled row groups in the middle of a table (search_terms,
    item_words); DuckDB merges them at the first checkpoint *after* the one that wrote them,
    rewriting them. Without this, that cost (≈ 0.3 s at 2,000 papers) lands on the next nightly
    load."""
    con.execute("INSERT INTO internal.warehouse_meta VALUES ('settle', '')")
    con.execute("DELETE FROM internal.warehouse_meta WHERE key = 'settle'")
    con.execute("CHECKPOINT")


def _record_files(con: duckdb.DuckDBPyConnection, files: dict[str, FileStat],
                  before: dict[str, FileStat] | None) -> None:
    """Bring ``internal.parquet_files`` up to date: only the rows of files that changed."""
    from warehouse._rows import insert_rows

    if before is None:
        con.execute("DELETE FROM internal.parquet_files")
        gone, new = [], list(files.values())
    else:
        gone = [b for k, b in before.items() if files.get(k) != b]
        new = [f for k, f in files.items() if before.get(k) != f]
    if gone:
        # Through a temp table (Arrow), not a list parameter: binding a list of every file (a
        # data folder copied elsewhere changes every inode) took 1.3 s at 2,000 papers.
        con.execute("CREATE OR REPLACE TEMP TABLE _files_gone (tbl VARCHAR, path VARCHAR)")
        insert_rows(con, "_files_gone", ["tbl", "path"], [(b.table, b.path) for b in gone])
        con.execute("DELETE FROM internal.parquet_files f USING _files_gone g WHERE f.tbl = g.tbl AND f.path = g.path")
        con.execute("DROP TABLE _files_gone")
    rows = [(f.table, f.path, f.unit, f.size, f.mtime_ns, f.inode) for f in new]
    insert_rows(con, "internal.parquet_files", ["tbl", "path", "unit", "size", "mtime_ns", "inode"], rows)


# Each derived step and the loaded tables it reads. A step is a function of those tables, so
# when none of them changed its output would be identical: skip it. (A nightly run that finds
# nothing new changes only runs and fetch_log, and must not pay for people or the search index.)
DERIVED_INPUTS = {
    "meetings": {"meeting_sightings"},
    "people": {"attendance", "actions", "items", "documents", "meeting_sightings"},
    "search": {"items"},
    "action_links": {"actions", "items", "meeting_sightings"},
    # figure_series, attendance_summary, action_register (they read people and action_links too)
    "marts": {"figures", "documents", "items", "attendance", "actions", "meeting_sightings"},
    "views": None,  # cheap (CREATE VIEW): always
    "comments": None,  # COMMENT ON every table: CREATE OR REPLACE TABLE drops a table's comments
}


def derive(con: duckdb.DuckDBPyConnection, changed: set[str] | None = None,
           units: dict[str, set[str]] | None = None) -> dict[str, float]:
    """Recompute what is derived from the loaded tables whose inputs are in ``changed``
    (None: everything, from scratch); ``units`` says which units of them changed, for the steps
    that update only what those touch. Returns seconds per step."""
    from warehouse import actions_links, catalog, marts, people, search

    full = changed is None or units is None
    moved: set[str] = set()  # meetings that appeared, disappeared or changed body, date or source

    def meetings() -> None:
        if not full:
            con.execute("CREATE OR REPLACE TEMP TABLE _meetings_before AS "
                        "SELECT meeting_id, body, meeting_date, source_id FROM meetings")
        run_sql(con, "010_meetings.sql")
        if not full:
            moved.update(r[0] for r in con.execute("""
                SELECT coalesce(a.meeting_id, b.meeting_id) FROM _meetings_before a
                FULL JOIN meetings b ON a.meeting_id = b.meeting_id
                WHERE a.meeting_id IS NULL OR b.meeting_id IS NULL OR a.body IS DISTINCT FROM b.body
                   OR a.meeting_date IS DISTINCT FROM b.meeting_date
                   OR a.source_id IS DISTINCT FROM b.source_id""").fetchall())
            con.execute("DROP TABLE _meetings_before")

    def links() -> None:
        if full:
            actions_links.build(con)
        else:
            actions_links.build(con, actions_links.Changes(items=units.get("items", set()),
                                                           actions=units.get("actions", set()),
                                                           meetings=moved))

    timings: dict[str, float] = {}
    # People are resolved in Python (warehouse/people.py) in a thread while DuckDB computes the
    # steps that do not read them (search, action_links); the marts read people and come after
    # (_python_beside_duckdb says how the two share the cores). A nightly load at 2,000 papers:
    # these three steps ~0.53 -> ~0.47 s.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="resolve-people") as pool, \
            ExitStack() as overlap:
        resolving: list[Future] = []

        def people_read() -> None:
            inputs = people.read_inputs(con)
            overlap.enter_context(_python_beside_duckdb(con))
            resolving.append(pool.submit(people.resolve_names, *inputs))

        def people_write() -> None:
            try:
                res = resolving.pop().result()
            finally:
                overlap.close()
            people.write(con, res)

        steps = [("meetings", meetings),
                 ("people", people_read),
                 ("search", lambda: search.update_dict(con)),
                 ("action_links", links),
                 ("people", people_write),
                 ("marts", lambda: marts.build(con) if full else marts.build(con, _reloaded_documents(units), moved)),
                 ("views", lambda: [run_sql(con, f.name) for f in sql_files() if f.name >= "030"]),
                 ("comments", lambda: catalog.apply(con))]
        for name, fn in steps:
            inputs = DERIVED_INPUTS[name]
            if changed is not None and inputs is not None and not inputs & changed:
                continue
            t = time.perf_counter()
            fn()
            _flush_if_large(con)
            timings[name] = round(timings.get(name, 0.0) + time.perf_counter() - t, 3)
    return timings


@contextmanager
def _python_beside_duckdb(con: duckdb.DuckDBPyConnection):
    """While a Python thread computes beside DuckDB: DuckDB on one thread (on both cores as
    well, each only slowed the other), and the GIL handed over every 0.5 ms instead of 5 ms (or
    DuckDB's thread waits for it after each of its statements: search 0.03 -> 0.3 s). On an
    error the connection is left as it is (the load is abandoned); the interval is restored."""
    threads = con.execute("SELECT current_setting('threads')").fetchone()[0]
    interval = sys.getswitchinterval()
    con.execute("SET threads = 1")
    sys.setswitchinterval(0.0005)
    try:
        yield
    finally:
        sys.setswitchinterval(interval)
    con.execute(f"SET threads = {int(threads)}")


def _reloaded_documents(units: dict[str, set[str]]) -> set[str]:
    """The documents whose rows figure_series reads (figures, documents, items) were reloaded."""
    return set().union(*(units.get(t, set()) for t in ("figures", "documents", "items")))


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    mode: str  # "rebuild" | "incremental" | "unchanged"
    units: dict[str, int]
    rows_inserted: dict[str, int]
    seconds: float
    timings: dict[str, float]  # seconds per stage (open, plan, patch, resort, record, checkpoint)
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


def _live_plan(data: DataDir, files: Future, touched: set[tuple[str, str]] | None) -> dict[str, int] | None:
    """The live warehouse's row counts when loading would change nothing (same schema version,
    no changed unit), read from the live file itself, read-only: a load with nothing to load
    copies nothing (and needs no free space). None when there is something to load, or when the
    live file cannot be opened read-only (a read-write session holds it): the copy decides then."""
    try:
        con = duckdb.connect(str(data.warehouse), read_only=True, config=NO_DOWNLOADS)
    except duckdb.Error:
        return None
    try:
        if _meta_version(con) != schema_version():
            return None
        units = changed_units(files.result(), _stored_files(con), touched)
        return None if any(units.values()) else _counts(con)
    except duckdb.Error:
        return None
    finally:
        con.close()


def _trusted_files(con: duckdb.DuckDBPyConnection) -> dict[str, FileStat]:
    """The files a warehouse loaded (their columns were checked then), as recorded: every file of
    internal.parquet_files but those it skipped (``internal.warehouse_meta`` rows 'skipped', ``_record_skipped``)."""
    stored = _stored_files(con)
    for (value,) in con.execute("SELECT value FROM internal.warehouse_meta WHERE key = 'skipped'").fetchall():
        stored.pop(value, None)
    return stored


def _live_trusted_files(data: DataDir) -> dict[str, FileStat]:
    """``_trusted_files`` of the live warehouse, for a rebuild (nothing when there is none)."""
    if not data.warehouse.exists():
        return {}
    try:
        con = duckdb.connect(str(data.warehouse), read_only=True, config=NO_DOWNLOADS)
    except duckdb.Error:
        return {}
    try:
        return _trusted_files(con)
    except duckdb.Error:
        return {}
    finally:
        con.close()


def _record_skipped(con: duckdb.DuckDBPyConnection, skipped: dict[str, str]) -> None:
    con.execute("DELETE FROM internal.warehouse_meta WHERE key = 'skipped'")
    if skipped:
        con.executemany("INSERT INTO internal.warehouse_meta VALUES ('skipped', ?)", [[k] for k in sorted(skipped)])


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


def _meta_version(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("SELECT value FROM internal.warehouse_meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _load(data: DataDir, touched: set[tuple[str, str]] | None, force_rebuild: bool) -> LoadReport:
    global LAST_REPORT
    started = time.perf_counter()
    data.ensure()
    stages: dict[str, float] = {}
    clock = [time.perf_counter()]

    def lap(name: str) -> None:
        now = time.perf_counter()
        stages[name] = round(stages.get(name, 0.0) + now - clock[0], 3)
        clock[0] = now

    with file_lock(data.locks / "warehouse.lock"), ThreadPoolExecutor(2, "load-prepare") as beside:
        remove_stale_copies(data)  # under the lock: no other load is using one
        tmp = _tmp_path(data)
        lap("lock")
        # The Parquet tree is walked (stat calls) while the live warehouse is opened read-only to
        # see whether anything changed at all.
        scanning = beside.submit(scan, data)
        con = None
        mode = "rebuild"
        if not force_rebuild and data.warehouse.exists():
            counts = _live_plan(data, scanning, touched)
            if counts is not None:
                LAST_REPORT = LoadReport("unchanged", {}, {}, round(time.perf_counter() - started, 3), stages,
                                         counts)
                return LAST_REPORT
            try:
                shutil.copyfile(data.warehouse, tmp)
                con = _connect_for_load(tmp)
            except BaseException:  # a full disk: no partial copy left to keep it full
                _cleanup(tmp)
                raise
            if _meta_version(con) == schema_version():
                mode = "incremental"
            else:
                con.close()
                _cleanup(tmp)
                con = None
        try:
            if con is None:
                con = _connect_for_load(tmp)
            # The full-text extension first: views, macros and the search index call its
            # stem(), and nothing may fall back to DuckDB's autoloader (it downloads).
            load_fts(con)
            every_file = scanning.result()
            lap("open")  # copy, connect and scan
            con.execute("BEGIN")
            if mode == "rebuild":
                trusted = _live_trusted_files(data)
                _create_schema(con)
                stored = None
            else:
                stored = _stored_files(con)
                trusted = _trusted_files(con)
            # The columns of files new or changed since the last load (and of those it skipped)
            # are checked before they are read; the others were checked when they were loaded.
            # (Checking every file costs ~0.1 ms each: ~1.5 s of a rebuild at 2,000 papers.)
            skipped = foreign_files(data, {k: f for k, f in every_file.items() if trusted.get(k) != f})
            files = {k: f for k, f in every_file.items() if k not in skipped}
            if mode == "rebuild":
                units = {t: set() for t in LOADED}
            else:
                units = changed_units(files, stored, touched)
                # A document's rows are ordered by its fetch time (documents.fetched_at): when its
                # documents row changed, its rows elsewhere are reloaded too (put in place).
                for table, spec in LOADED.items():
                    if spec.by_document:
                        units[table] |= units["documents"]
            held = _held_units(stored)
            large = mode == "rebuild" or len(units["items"]) > ITEMS_BATCH
            _FLUSHING["on"] = large
            if large:
                # One thread: at 2,000 papers a rebuild peaks at ~305 MB instead of ~360 (each
                # thread holds its own hash tables and allocator caches) for ~20 s instead of
                # ~17. A nightly load is small and keeps every core.
                con.execute("SET threads = 1")
            lap("plan")  # which files changed
            inserted: dict[str, int] = {}
            changed_tables = []
            unordered: list[str] = []
            doc_order = False
            for table, spec in LOADED.items():
                if mode == "rebuild" or units[table]:
                    if spec.by_document and not doc_order:
                        _doc_order(con)
                        doc_order = True
                    inserted[table], broken = _patch_table(con, data, table, units[table], files,
                                                           mode == "rebuild", held.get(table))
                    unordered += broken
                    changed_tables.append(table)
            if mode == "incremental" and not changed_tables and not skipped:
                con.execute("ROLLBACK")
                counts = _counts(con)
                con.close()
                _cleanup(tmp)
                LAST_REPORT = LoadReport("unchanged", {}, {}, round(time.perf_counter() - started, 3), stages,
                                         counts)
                return LAST_REPORT
            lap("patch")
            if any(t not in LOADED or LOADED[t].by_document for t in unordered):
                _FLUSHING["on"] = True  # tables of documents' rows are rewritten: as a large load
            for table in unordered:
                _resort(con, table)
                _flush_if_large(con)
            lap("resort")
            timings = derive(con, None if mode == "rebuild" else set(changed_tables), units)
            lap("derive")
            _record_files(con, every_file, stored)
            _record_skipped(con, skipped)
            con.execute("COMMIT")
            counts = _counts(con)
            lap("record")
            con.execute("CHECKPOINT")
            if large:
                _settle(con)
        except BaseException:
            if con is not None:
                con.close()
            _cleanup(tmp)
            raise
        finally:
            _FLUSHING["on"] = False
        con.close()
        os.replace(tmp, data.warehouse)
        _cleanup(tmp)
        lap("checkpoint")
    stages.pop("derive", None)
    LAST_REPORT = LoadReport(mode, {t: len(u) for t, u in units.items() if u}, inserted,
                             round(time.perf_counter() - started, 3), stages | timings, counts,
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
