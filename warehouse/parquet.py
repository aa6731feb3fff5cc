"""Parquet is the hand-over between parsing and the warehouse, and its source of truth.

Layout: ``parquet/<table>/source=<id>/year=<yyyy>/<file_id>.parquet``: one file per document
(or per listing sighting) per table, rewritten atomically, never appended to. Runs and the
fetch log are one file per run: ``parquet/runs/<run_id>.parquet``.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import operator
import os
import tempfile
import typing
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from kernel import records as r

# Table name -> row type. The order of fields is the column order everywhere.
TABLES: dict[str, type] = {
    "sources": r.SourceRow,
    "meetings": r.MeetingRow,
    "documents": r.DocumentRow,
    "items": r.ItemRow,
    "attendance": r.AttendanceRow,
    "actions": r.ActionRow,
    "figures": r.FigureRow,
    "runs": r.RunRow,
    "fetch_log": r.FetchLogRow,
}
PER_DOCUMENT_TABLES = ("documents", "items", "attendance", "actions", "figures", "meetings")


@dataclasses.dataclass(slots=True)
class DocumentVersionRow:
    """One version of a document at a URL, from the raw archive's manifest (warehouse/versions.py).

    Versions of a URL are numbered 1, 2, … in the order their bytes were first archived;
    ``superseded_at`` is when the next version was fetched (NULL for the current one)."""

    source_id: str
    url: str
    version: int
    document_id: str
    fetched_at: dt.datetime
    superseded_at: dt.datetime | None
    is_current: bool
    bytes: int
    content_type: str | None
    title: str | None


TABLES["document_versions"] = DocumentVersionRow
# The parsed rows of versions that are no longer current anywhere, kept so that what changed
# between versions stays queryable: parquet/superseded/<table>/source=<id>/year=<y>/<id>.parquet
# (ParquetStore.retire moves them there when a new version supersedes theirs).
SUPERSEDED = "superseded"
SUPERSEDED_TABLES = ("documents", "items", "actions", "figures")

_ARROW_TYPES = {
    str: pa.string(),
    int: pa.int64(),
    float: pa.float64(),
    bool: pa.bool_(),
    dt.date: pa.date32(),
    dt.datetime: pa.timestamp("us"),
}


def _arrow_type(hint) -> pa.DataType:
    if typing.get_origin(hint) is list:
        return pa.list_(_arrow_type(typing.get_args(hint)[0]))
    if typing.get_origin(hint) is dict:
        key, value = typing.get_args(hint)
        return pa.map_(_arrow_type(key), _arrow_type(value))
    args = [a for a in typing.get_args(hint) if a is not type(None)]
    if args and typing.get_origin(args[0]) in (list, dict):
        return _arrow_type(args[0])  # list[...] | None, dict[...] | None
    base = args[0] if args else hint
    if isinstance(base, type) and issubclass(base, enum.Enum):
        return pa.string()
    return _ARROW_TYPES[base]


def schema_for(row_type: type) -> pa.Schema:
    hints = typing.get_type_hints(row_type, vars(r) | {"dt": dt})
    return pa.schema([(f.name, _arrow_type(hints[f.name])) for f in dataclasses.fields(row_type)])


SCHEMAS = {name: schema_for(cls) for name, cls in TABLES.items()}


def _plain_enum_columns(row_type: type) -> frozenset[str]:
    """Columns whose values may be enums that are not strings (their .value is stored).
    StrEnum values are strings: Arrow stores them as they are, so they need no pass."""
    hints = typing.get_type_hints(row_type, vars(r) | {"dt": dt})
    out = set()
    for f in dataclasses.fields(row_type):
        args = [a for a in typing.get_args(hints[f.name]) if a is not type(None)] or [hints[f.name]]
        if not all(isinstance(a, type) and (issubclass(a, str) or not issubclass(a, enum.Enum)) for a in args):
            out.add(f.name)
    return frozenset(out)


PLAIN_ENUM_COLUMNS = {name: _plain_enum_columns(cls) for name, cls in TABLES.items()}


def to_table(table: str, rows: list) -> pa.Table:
    schema = SCHEMAS[table]
    # One attrgetter per row, and a pass over a column's values only where a non-string enum
    # can be: a parse worker builds ~6 tables per document, and per-value Python was a fifth
    # of its Parquet writing.
    if len(schema.names) == 1:
        values = [[getattr(row, schema.names[0]) for row in rows]]
    else:
        values = list(zip(*map(operator.attrgetter(*schema.names), rows))) or [()] * len(schema.names)
    plain = PLAIN_ENUM_COLUMNS[table]
    columns = {name: [v.value if isinstance(v, enum.Enum) else v for v in column] if name in plain else column
               for name, column in zip(schema.names, values)}
    return pa.Table.from_pydict(columns, schema=schema)


def encode(table: pa.Table) -> bytes:
    """A table as Parquet bytes. Snappy without dictionaries: the files are small (one document
    each), where dictionaries cost more than they save, and snappy writes ~2x faster than zstd
    for ~10% more bytes. Encoded in memory: pyarrow's own file sink costs more than the encoding."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink, compression="snappy", use_dictionary=False)
    return sink.getvalue().to_pybytes()


def write_atomic(path: Path, table: pa.Table) -> bool:
    """Write ``table`` to ``path`` via a temp file and rename. Returns False (and leaves the
    file alone) when the bytes would be identical, so unchanged data keeps its mtime."""
    data = encode(table)
    try:
        if path.stat().st_size == len(data) and path.read_bytes() == data:
            return False
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".parquet")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def read_rows(path: Path, columns: list[str] | None = None) -> list[dict]:
    """The rows of one small Parquet file. ParquetFile, not pq.read_table: read_table builds a
    dataset (and imports pyarrow.dataset, ~85 ms, in a nightly run that reads a few dozen
    documents rows to see whether they need parsing) and takes ~3.6 ms a file instead of ~1.1."""
    return pq.ParquetFile(path).read(columns=columns).to_pylist()


def single_value(path: str | Path, column: str) -> tuple[bool, object]:
    """(True, value) of ``column`` in a one-row Parquet file, (False, None) when it has no rows.
    The footer's statistics hold a lone non-NULL value as both min and max: reading them costs
    ~0.15 ms, reading the row ~1.8 ms (the column alone ~0.6 ms); the column is read when the
    statistics cannot say (no statistics, a NULL, or min and max differing, as a truncated
    statistic would)."""
    pf = pq.ParquetFile(path)
    meta = pf.metadata
    if meta.num_rows == 0:
        return False, None
    index = pf.schema_arrow.get_field_index(column)
    if meta.num_rows == 1 and meta.num_row_groups == 1 and index >= 0:
        stats = meta.row_group(0).column(index).statistics
        if stats is not None and stats.has_min_max and stats.null_count == 0 and stats.min == stats.max:
            return True, stats.min
    return True, pf.read(columns=[column]).column(0)[0].as_py()


class ParquetStore:
    def __init__(self, root: Path):
        self.root = root
        # (source_id, file_id) whose files this store changed (new bytes, or removed; a rewrite
        # with identical bytes is not a change): what a run changed, for an incremental load.
        self.touched: set[tuple[str, str]] = set()

    def partition(self, table: str, source_id: str, year: int | None) -> Path:
        return self.root / table / f"source={source_id}" / f"year={year if year else 'unknown'}"

    def write_document(self, source_id: str, year: int | None, file_id: str,
                       tables: dict[str, list]) -> None:
        """Replace everything stored for ``file_id`` with ``tables`` (one file per table).

        Old files for the same id under another year partition (a reparse that fixed a
        date) are removed, so a document never appears twice."""
        changed = self.remove(source_id, file_id, keep_year=year) > 0
        for table, rows in tables.items():
            path = self.partition(table, source_id, year) / f"{file_id}.parquet"
            if rows:
                changed |= write_atomic(path, to_table(table, rows))
            elif path.exists():
                path.unlink(missing_ok=True)  # another run may have removed it first
                changed = True
        if changed:
            # Only what changed is reloaded: a reparse whose output is identical costs no load.
            self.touched.add((source_id, file_id))

    def _year_folders(self, table: str, source_id: str) -> list[str]:
        """The year partitions ("year=2019", ...) of a table's source folder. os.listdir, not
        Path.glob: remove and stored_document run for every document written or checked, and
        pathlib's glob machinery cost more than the few system calls it makes."""
        try:
            return [y for y in os.listdir(os.path.join(self.root, table, f"source={source_id}"))
                    if y.startswith("year=")]
        except FileNotFoundError:
            return []

    def remove(self, source_id: str, file_id: str, keep_year: int | None = -1) -> int:
        removed = 0
        keep = f"year={keep_year if keep_year else 'unknown'}"
        name = f"{file_id}.parquet"
        for table in PER_DOCUMENT_TABLES:
            for year in self._year_folders(table, source_id):
                if year == keep:
                    continue
                try:
                    os.unlink(os.path.join(self.root, table, f"source={source_id}", year, name))
                except (FileNotFoundError, NotADirectoryError):
                    continue  # not there (or another run removed it first)
                removed += 1
                self.touched.add((source_id, file_id))
        return removed

    def retire(self, source_id: str, file_id: str) -> int:
        """A superseded version leaves the contract tables: its files of SUPERSEDED_TABLES move,
        by rename, to the same place under ``superseded/`` (its rows as they were parsed, not
        parsed again), its other files (attendance, meeting sightings) are removed. Idempotent:
        what was moved already is not there to move. The documents file goes last, so a run
        killed half-way leaves the version with a documents row, to be retired again
        (warehouse/versions.py does at the end of every run). Returns the files moved or removed."""
        done = 0
        for table in sorted(PER_DOCUMENT_TABLES, key=lambda t: t == "documents"):
            for year in self._year_folders(table, source_id):
                rel = os.path.join(table, f"source={source_id}", year, f"{file_id}.parquet")
                try:
                    if table in SUPERSEDED_TABLES:
                        target = os.path.join(self.root, SUPERSEDED, rel)
                        os.makedirs(os.path.dirname(target), exist_ok=True)
                        os.replace(os.path.join(self.root, rel), target)
                    else:
                        os.unlink(os.path.join(self.root, rel))
                except FileNotFoundError:
                    continue  # not there (or another run moved it first)
                done += 1
        if done:
            self.touched.add((source_id, file_id))
        return done

    def stored_document(self, source_id: str, file_id: str) -> dict | None:
        """The stored documents row for this id, or None."""
        for year in self._year_folders("documents", source_id):
            path = os.path.join(self.root, "documents", f"source={source_id}", year, f"{file_id}.parquet")
            rows = read_rows(path) if os.path.isfile(path) else []
            if rows:
                return rows[0]
        return None

    def stored_parser_version(self, source_id: str, file_id: str) -> str | None:
        """The stored documents row's parser_version, or None. Asked of every document of every
        meeting in a nightly run's window, so read from the file's footer where it can be."""
        for year in self._year_folders("documents", source_id):
            path = os.path.join(self.root, "documents", f"source={source_id}", year, f"{file_id}.parquet")
            if os.path.isfile(path):
                found, value = single_value(path, "parser_version")
                if found:
                    return value
        return None

    def write_run(self, run: r.RunRow, fetch_log: list[r.FetchLogRow]) -> None:
        write_atomic(self.root / "runs" / f"{run.run_id}.parquet", to_table("runs", [run]))
        write_atomic(self.root / "fetch_log" / f"{run.run_id}.parquet", to_table("fetch_log", fetch_log))

    def write_sources(self, sources: list[r.SourceRow]) -> None:
        for s in sources:
            write_atomic(self.root / "sources" / f"source={s.source_id}" / "source.parquet",
                         to_table("sources", [s]))

    def write_versions(self, source_id: str, rows: list[DocumentVersionRow]) -> bool:
        """Every version of every document URL of one source (one file per source).
        True when the file changed; a source with no versions has no file."""
        path = self.root / "document_versions" / f"source={source_id}" / "versions.parquet"
        if not rows:
            if path.exists():
                path.unlink(missing_ok=True)  # another run may have removed it first
                self.touched.add((source_id, "versions"))
                return True
            return False
        changed = write_atomic(path, to_table("document_versions", rows))
        if changed:
            self.touched.add((source_id, "versions"))
        return changed


# In parquet/runs/ once every runs file there has today's columns: later loads need not read
# every runs file's footer again (~0.3 ms each, for every run ever recorded).
RUNS_UPGRADED = ".upgraded-sources-list"


def upgrade_runs(root: Path) -> int:
    """Rewrite the runs files written before ``sources`` became a list (then a comma-joined
    string, and no ``errors`` column) in today's columns, so a data folder of an earlier version
    keeps loading (the loader cannot read a column that is a string in some files and a list in
    others). Run by the loader under its lock; returns the files rewritten."""
    folder = root / "runs"
    if not folder.is_dir() or (folder / RUNS_UPGRADED).exists():
        return 0
    expected = SCHEMAS["runs"]
    rewritten = 0
    for path in sorted(folder.glob("*.parquet")):
        try:
            found = pq.read_schema(path)
        except (OSError, pa.ArrowException):
            continue  # not a Parquet file: the loader reports and skips it
        if "sources" not in found.names or not pa.types.is_string(found.field("sources").type):
            continue  # today's columns (or not a runs file of ours: the loader reports it)
        rows = [_upgraded_run(row) for row in read_rows(path)]
        write_atomic(path, pa.Table.from_pylist(rows, schema=expected))
        rewritten += 1
    (folder / RUNS_UPGRADED).touch()
    return rewritten


def _upgraded_run(row: dict) -> dict:
    out = {name: row.get(name) for name in SCHEMAS["runs"].names}
    out["sources"] = sorted(s for s in (row.get("sources") or "").split(",") if s)
    out["errors"] = None  # not recorded then (the message says it, for people)
    return out
