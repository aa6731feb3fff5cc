"""Load the DuckDB warehouse from Parquet, incrementally, in one transaction.

Parquet is the source of truth; the warehouse is a derived, disposable index of it.

Design: **copy, patch in one transaction, rename in.**

1. Under ``locks/warehouse.lock`` (concurrent loaders queue there, they never fail), the live
   ``warehouse.duckdb`` is copied to a temporary file next to it. Every writer closes the file
   checkpointed and without a WAL, and only lock holders write it, so a plain file copy is a
   consistent snapshot; read-only readers may keep reading the live file meanwhile.
2. The loader works out which Parquet files changed since the warehouse was built: the files the
   run wrote or removed (``ParquetStore.touched``) plus a stat diff of the
   whole Parquet tree against the ``_parquet_files`` bookkeeping table, so a crashed run, a
   ``scrutiny load`` by hand or another process's writes are caught too.
3. In ONE transaction on the copy: for each changed *unit* (a document id, a listing file, a run,
   a source) delete its rows from every table and insert the rows of its current Parquet files;
   re-sort the tables that changed by their stable keys (so an incremental load and a rebuild give
   byte-identical ``SELECT *`` results, not only equal sets); then recompute the small derived
   objects (``meetings`` folded from sightings, ``people`` and ``attendance.person_id``, the
   action links, the full-text index, the marts ``figure_series``, ``attendance_summary`` and
   ``action_register``) and (re)create the views.
4. ``CHECKPOINT``, close, and ``os.replace`` the copy over the live file.

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

import hashlib
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa

from scrutiny.config import DataDir
from scrutiny.locks import file_lock
from warehouse.parquet import SCHEMAS

SQL_DIR = Path(__file__).resolve().parent / "sql"
QUERIES_DIR = Path(__file__).resolve().parent / "queries"

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("us"): "TIMESTAMP",
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


_STEM = "regexp_extract(filename, '([^/]+)\\.parquet$', 1)"

LOADED: dict[str, Loaded] = {
    "sources": Loaded("sources", "sources", "source_id", "partition", "source_id"),
    "meeting_sightings": Loaded("meetings", "meetings", "file_id", "stem",
                                "meeting_id, seen_in, file_id", (("file_id", "VARCHAR", _STEM),)),
    "documents": Loaded("documents", "documents", "document_id", "stem", "document_id, source_id"),
    "items": Loaded("items", "items", "document_id", "stem", "document_id, ordinal, meeting_id"),
    "attendance": Loaded("attendance", "attendance", "document_id", "stem",
                         "document_id, ordinal, meeting_id"),
    "actions": Loaded("actions", "actions", "document_id", "stem", "document_id, ordinal, meeting_id"),
    "figures": Loaded("figures", "figures", "document_id", "stem", "document_id, ordinal, meeting_id"),
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
# (_parquet_files, _warehouse_meta) and the fts index schema are internal.
EXTRA_TABLES = ("meeting_sightings", "meeting_aliases", "document_versions", "superseded_documents",
                "superseded_items", "superseded_actions", "superseded_figures", "people",
                "person_mentions", "action_links", "item_search",
                "figure_series", "attendance_summary", "action_register")  # the marts (025_marts.sql)
VIEWS = ("meeting_timeline", "document_version_stats", "document_version_changes", "document_version_figures")

# Bump when load.py changes what it stores; the SQL files are hashed in automatically.
LOADER_VERSION = "2"


def ddl(table: str) -> str:
    spec = LOADED[table]
    schema = SCHEMAS[spec.schema]
    cols = [f"{f.name} {_DUCK_TYPES[f.type]}" for f in schema]
    cols += [f"{name} {typ}" for name, typ, _ in spec.extra]
    if table == "attendance":
        cols.append("person_id VARCHAR")  # filled from `people` at every load
    return f"CREATE TABLE {table} (\n  " + ",\n  ".join(cols) + "\n);"


def _sql_files() -> list[Path]:
    return sorted(SQL_DIR.glob("*.sql"))


def schema_version() -> str:
    h = hashlib.sha256(LOADER_VERSION.encode())
    for t in LOADED:
        h.update(ddl(t).encode())
    for f in _sql_files():
        h.update(f.name.encode() + f.read_bytes())
    from warehouse import people

    h.update(people.PEOPLE_VERSION.encode())
    return h.hexdigest()[:16]


# --------------------------------------------------------------------------------------
# The extensions: fts ships as a PyPI wheel for duckdb 1.5.5, loaded from its file
# --------------------------------------------------------------------------------------


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """Load the full-text-search extension offline (works on read-only connections too).

    ``LOAD`` of the file shipped by the ``duckdb-extension-fts`` wheel: nothing is downloaded
    and nothing is written to ``~/.duckdb``."""
    try:
        import importlib.resources as ilr

        import duckdb_extension_fts

        version = con.execute("PRAGMA version").fetchone()[0]
        path = Path(str(ilr.files(duckdb_extension_fts))) / "extensions" / version / "fts.duckdb_extension"
        con.execute(f"LOAD '{path}'")
    except Exception:  # noqa: BLE001 - fall back to the wheel's own installer
        import duckdb_extensions

        duckdb_extensions.import_extension("fts", con=con)


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


def _unit_of(spec: Loaded, rel: Path) -> str | None:
    if spec.unit_from == "stem":
        return rel.stem
    for part in rel.parts:
        if part.startswith("source="):
            return part.removeprefix("source=")
    return None


def scan(data: DataDir) -> dict[str, FileStat]:
    """Every Parquet file the warehouse is built from, keyed by (table, path)."""
    out: dict[str, FileStat] = {}
    for table, spec in LOADED.items():
        folder = data.parquet / spec.folder
        if not folder.exists():
            continue
        for path in sorted(folder.glob("**/*.parquet")):
            rel = path.relative_to(data.parquet)
            if rel.name.startswith(".tmp-"):
                continue
            unit = _unit_of(spec, rel.relative_to(spec.folder))
            if unit is None:
                continue
            try:
                st = path.stat()
            except FileNotFoundError:
                continue
            out[f"{table}\0{rel}"] = FileStat(table, str(rel), unit, st.st_size, st.st_mtime_ns, st.st_ino)
    return out


def _stored_files(con: duckdb.DuckDBPyConnection) -> dict[str, FileStat]:
    rows = con.execute("SELECT tbl, path, unit, size, mtime_ns, inode FROM _parquet_files").fetchall()
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
    for table in LOADED:
        con.execute(ddl(table))
    con.execute("CREATE TABLE _parquet_files (tbl VARCHAR, path VARCHAR, unit VARCHAR, size BIGINT, "
                "mtime_ns BIGINT, inode BIGINT)")
    con.execute("CREATE TABLE _warehouse_meta (key VARCHAR, value VARCHAR)")
    con.execute("INSERT INTO _warehouse_meta VALUES ('schema_version', ?)", [schema_version()])


PARQUET_BATCH = 1000  # files per read_parquet call
# DuckDB's memory for a load (it spills to disk past this): keeps a backfill's memory flat
# however large the archive grows. SCRUTINY_DUCKDB_MEMORY overrides it.
LOAD_MEMORY_LIMIT = "512MB"


def _connect_for_load(path: Path) -> duckdb.DuckDBPyConnection:
    limit = os.environ.get("SCRUTINY_DUCKDB_MEMORY", LOAD_MEMORY_LIMIT)
    return duckdb.connect(str(path), config={"memory_limit": limit})


def _patch_table(con: duckdb.DuckDBPyConnection, data: DataDir, table: str, units: set[str],
                 files: dict[str, FileStat], full: bool) -> int:
    """Delete the rows of ``units`` and insert the rows of their current files. Returns the
    number of rows inserted."""
    spec = LOADED[table]
    cols = SCHEMAS[spec.schema].names
    if not full:
        con.execute(f"DELETE FROM {table} WHERE {spec.unit} IN (SELECT unnest(?::VARCHAR[]))", [sorted(units)])
    paths = sorted(str(data.parquet / st.path) for st in files.values()
                   if st.table == table and (full or st.unit in units))
    if not paths:
        return 0
    select = ", ".join(cols + [expr for _, _, expr in spec.extra])
    names = ", ".join(cols + [name for name, _, _ in spec.extra])
    before = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    # In batches: one read_parquet over every file of a large archive holds all their metadata
    # at once (memory grew with the file count). Rows are re-sorted afterwards (_resort).
    for start in range(0, len(paths), PARQUET_BATCH):
        con.execute(f"INSERT INTO {table} ({names}) SELECT {select} FROM read_parquet(?, hive_partitioning = false, "
                    f"union_by_name = true, filename = true)", [paths[start:start + PARQUET_BATCH]])
    return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0] - before


def _resort(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Rewrite ``table`` in its stable order, so physical order never depends on load history."""
    cols = [d[0] for d in con.execute(f"SELECT * FROM {table} LIMIT 0").description]
    order = LOADED[table].order_by + ", " + ", ".join(f'"{c}"' for c in cols)
    con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM {table} ORDER BY {order}")


def _record_files(con: duckdb.DuckDBPyConnection, files: dict[str, FileStat]) -> None:
    con.execute("DELETE FROM _parquet_files")
    from warehouse._rows import insert_rows

    rows = [(f.table, f.path, f.unit, f.size, f.mtime_ns, f.inode) for f in files.values()]
    insert_rows(con, "_parquet_files", ["tbl", "path", "unit", "size", "mtime_ns", "inode"], rows)


# Each derived step and the loaded tables it reads. A step is a function of those tables, so
# when none of them changed its output would be identical: skip it. (A nightly run that finds
# nothing new changes only runs and fetch_log, and must not pay for people or the fts index.)
DERIVED_INPUTS = {
    "meetings": {"meeting_sightings"},
    "people": {"attendance", "actions", "items", "documents", "meeting_sightings"},
    "search": {"items"},
    "action_links": {"actions", "items", "meeting_sightings"},
    # figure_series, attendance_summary, action_register (they read people and action_links too)
    "marts": {"figures", "documents", "items", "attendance", "actions", "meeting_sightings"},
    "views": None,  # cheap (CREATE VIEW): always
}


def derive(con: duckdb.DuckDBPyConnection, changed: set[str] | None = None) -> dict[str, float]:
    """Recompute what is derived from the loaded tables whose inputs are in ``changed``
    (None: everything); returns seconds per step."""
    from warehouse import actions_links, marts, people

    timings: dict[str, float] = {}
    steps = [("meetings", lambda: _run_sql(con, "010_meetings.sql")),
             ("people", lambda: people.build(con)),
             ("search", lambda: _build_search(con)),
             ("action_links", lambda: actions_links.build(con)),
             ("marts", lambda: marts.build(con)),
             ("views", lambda: [_run_sql(con, f.name) for f in _sql_files() if f.name >= "030"])]
    for name, fn in steps:
        inputs = DERIVED_INPUTS[name]
        if changed is not None and inputs is not None and not inputs & changed:
            continue
        t = time.perf_counter()
        fn()
        timings[name] = round(time.perf_counter() - t, 3)
    return timings


def _run_sql(con: duckdb.DuckDBPyConnection, name: str) -> None:
    con.execute((SQL_DIR / name).read_text(encoding="utf-8"))


def _build_search(con: duckdb.DuckDBPyConnection) -> None:
    _run_sql(con, "020_search.sql")
    load_fts(con)
    # stemmer porter, English stop words, accents stripped, lower-cased: the fts defaults.
    con.execute("PRAGMA create_fts_index('item_search', 'item_key', 'title', 'text', overwrite = 1)")


# --------------------------------------------------------------------------------------
# Entry points
# --------------------------------------------------------------------------------------


@dataclass
class LoadReport:
    mode: str  # "rebuild" | "incremental" | "unchanged"
    units: dict[str, int]
    rows_inserted: dict[str, int]
    seconds: float
    timings: dict[str, float]
    counts: dict[str, int]


LAST_REPORT: LoadReport | None = None


def _counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    return {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in CONTRACT_TABLES}


def _tmp_path(data: DataDir) -> Path:
    return data.warehouse.with_name(f".{data.warehouse.name}.{os.getpid()}.tmp")


def _cleanup(tmp: Path) -> None:
    tmp.unlink(missing_ok=True)
    Path(str(tmp) + ".wal").unlink(missing_ok=True)


def _meta_version(con: duckdb.DuckDBPyConnection) -> str | None:
    try:
        row = con.execute("SELECT value FROM _warehouse_meta WHERE key = 'schema_version'").fetchone()
    except duckdb.Error:
        return None
    return row[0] if row else None


def _load(data: DataDir, touched: set[tuple[str, str]] | None, force_rebuild: bool) -> LoadReport:
    global LAST_REPORT
    started = time.perf_counter()
    data.ensure()
    with file_lock(data.locks / "warehouse.lock"):
        tmp = _tmp_path(data)
        _cleanup(tmp)
        files = scan(data)
        con = None
        mode = "rebuild"
        if not force_rebuild and data.warehouse.exists():
            shutil.copyfile(data.warehouse, tmp)
            con = _connect_for_load(tmp)
            if _meta_version(con) == schema_version():
                mode = "incremental"
            else:
                con.close()
                _cleanup(tmp)
                con = None
        try:
            if con is None:
                con = _connect_for_load(tmp)
            con.execute("BEGIN")
            if mode == "rebuild":
                _create_schema(con)
                units = {t: set() for t in LOADED}
            else:
                units = changed_units(files, _stored_files(con), touched)
            inserted: dict[str, int] = {}
            changed_tables = []
            for table in LOADED:
                if mode == "rebuild" or units[table]:
                    inserted[table] = _patch_table(con, data, table, units[table], files, mode == "rebuild")
                    changed_tables.append(table)
            if mode == "incremental" and not changed_tables:
                con.execute("ROLLBACK")
                counts = _counts(con)
                con.close()
                _cleanup(tmp)
                LAST_REPORT = LoadReport("unchanged", {}, {}, round(time.perf_counter() - started, 3), {}, counts)
                return LAST_REPORT
            for table in changed_tables:
                if mode == "incremental":
                    _resort(con, table)
            if mode == "rebuild":
                for table in LOADED:
                    _resort(con, table)
            timings = derive(con, None if mode == "rebuild" else set(changed_tables))
            _record_files(con, files)
            con.execute("COMMIT")
            counts = _counts(con)
            con.execute("CHECKPOINT")
        except BaseException:
            if con is not None:
                con.close()
            _cleanup(tmp)
            raise
        con.close()
        os.replace(tmp, data.warehouse)
        _cleanup(tmp)
    LAST_REPORT = LoadReport(mode, {t: len(u) for t, u in units.items() if u}, inserted,
                             round(time.perf_counter() - started, 3), timings, counts)
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


class WarehouseBusy(Exception):
    pass


def connect_read_only(data: DataDir, wait_seconds: float = 30.0, fts: bool = True) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-only, waiting (with a clear message) while another process
    holds it read-write. The fts extension is loaded, so ``search_items('…')`` works."""
    if not data.warehouse.exists():
        raise FileNotFoundError(f"no warehouse at {data.warehouse}: run `scrutiny run`, "
                                f"`scrutiny demo` or `scrutiny ingest` first")
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            con = duckdb.connect(str(data.warehouse), read_only=True)
            break
        except duckdb.IOException as exc:
            if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                raise WarehouseBusy(f"{data.warehouse} is held by another process: {exc}") from exc
            time.sleep(0.5)
    if fts:
        load_fts(con)
    return con
