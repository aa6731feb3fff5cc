"""The base tables: what the loader reads from Parquet, declared once.

Each base table is loaded from one Parquet folder and patched by *unit*: the value, in one of its
columns, that names the file a row came from (a document id, a run id, a listing file, a
source). Reloading a unit deletes its rows and inserts the rows of its current files. Everything
else in the warehouse is derived from these tables by the steps of ``warehouse/steps.py``.
"""
from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from warehouse.parquet import SCHEMAS

_DUCK_TYPES = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.bool_(): "BOOLEAN",
    pa.date32(): "DATE",
    pa.timestamp("us"): "TIMESTAMP",
    pa.list_(pa.string()): "VARCHAR[]",
    pa.map_(pa.string(), pa.list_(pa.string())): "MAP(VARCHAR, VARCHAR[])",
}


@dataclass(frozen=True)
class Loaded:
    """A warehouse table loaded from one Parquet folder.

    ``unit`` is the column that names the file a row came from; ``unit_from`` says how a file's
    path gives that value: its stem (``<document_id>.parquet``, ``<run_id>.parquet``) or its
    ``source=<id>`` partition."""

    folder: str  # under parquet/
    schema: str  # key of warehouse.parquet.SCHEMAS
    unit: str
    unit_from: str  # "stem" | "partition"
    extra: tuple[tuple[str, str, str], ...] = ()  # (column, type, SQL over `filename`)


_STEM = "regexp_extract(filename, '([^/]+)\\.parquet$', 1)"

LOADED: dict[str, Loaded] = {
    "sources": Loaded("sources", "sources", "source_id", "partition"),
    "meeting_sightings": Loaded("meetings", "meetings", "file_id", "stem", (("file_id", "VARCHAR", _STEM),)),
    "documents": Loaded("documents", "documents", "document_id", "stem"),
    "items": Loaded("items", "items", "document_id", "stem"),
    "attendance": Loaded("attendance", "attendance", "document_id", "stem"),
    "actions": Loaded("actions", "actions", "document_id", "stem"),
    "figures": Loaded("figures", "figures", "document_id", "stem"),
    "runs": Loaded("runs", "runs", "run_id", "stem"),
    "fetch_log": Loaded("fetch_log", "fetch_log", "run_id", "stem"),
    "document_versions": Loaded("document_versions", "document_versions", "source_id", "partition"),
    "superseded_documents": Loaded("superseded/documents", "documents", "document_id", "stem"),
    "superseded_items": Loaded("superseded/items", "items", "document_id", "stem"),
    "superseded_actions": Loaded("superseded/actions", "actions", "document_id", "stem"),
    "superseded_figures": Loaded("superseded/figures", "figures", "document_id", "stem"),
}

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


def columns(table: str) -> list[str]:
    """The loaded columns of ``table`` (Parquet's, then the extra ones), in table order."""
    spec = LOADED[table]
    return SCHEMAS[spec.schema].names + [name for name, _, _ in spec.extra]


def ddl(table: str) -> str:
    spec = LOADED[table]
    cols = [f"{f.name} {_DUCK_TYPES[f.type]}" for f in SCHEMAS[spec.schema]]
    cols += [f"{name} {typ}" for name, typ, _ in spec.extra]
    if table == "attendance":
        cols.append("person_id VARCHAR")  # filled by the step "people" at every load
    return f"CREATE TABLE {table} (\n  " + ",\n  ".join(cols) + "\n);"


def create_base_tables(con) -> None:
    """The base tables, empty, and the loader's bookkeeping (in its own schema, so a user listing
    the tables sees only the documented ones)."""
    con.execute(f"CREATE SCHEMA {INTERNAL_SCHEMA}")
    for table in LOADED:
        con.execute(ddl(table))
    con.execute(f"CREATE TABLE {INTERNAL_SCHEMA}.parquet_files (tbl VARCHAR, path VARCHAR, unit VARCHAR, "
                "size BIGINT, mtime_ns BIGINT, inode BIGINT)")
    con.execute(f"CREATE TABLE {INTERNAL_SCHEMA}.warehouse_meta (key VARCHAR, value VARCHAR)")
