"""Document history: every version of every document URL, from the raw archive's manifest.

The archive keeps the bytes of every version (a paper re-published at the same URL gets a new
manifest line and a new document id); the contract tables hold only the current version. This
module writes, at the end of every run (the pipeline's ``finish_run``):

* ``parquet/document_versions/source=<id>/versions.parquet``: one row per (url, version), with
  ``fetched_at`` and ``superseded_at`` (the next version's ``fetched_at``);
* and keeps ``parquet/superseded/<table>/source=<id>/year=<y>/<document_id>.parquet`` in step
  with the manifest: the parsed rows (documents, items, actions, figures) of each version that
  is no longer current anywhere, so that what changed between versions stays queryable (views
  ``document_version_stats`` and ``document_version_changes``).

Nothing here parses. When a new version supersedes a document, the pipeline *retires* its rows:
their files move under ``superseded/`` as they were parsed (``ParquetStore.retire``). Here, a
superseded version still holding files in the contract tables (a run killed between archiving
the new version and moving the old one's rows) is retired the same way, and a version that
became current again loses its superseded files. A parser change re-parses the superseded
versions with the current ones (``scrutiny reparse``; ``superseded_to_parse`` says which).

The warehouse is still loaded from Parquet only.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from extract.archive import Archive, ManifestEntry
from warehouse.parquet import SUPERSEDED, SUPERSEDED_TABLES, DocumentVersionRow, ParquetStore, read_rows


def _utc_naive(iso: str) -> dt.datetime:
    t = dt.datetime.fromisoformat(iso)
    if t.tzinfo is not None:
        t = t.astimezone(dt.timezone.utc).replace(tzinfo=None)
    return t


def version_rows(entries: list[ManifestEntry]) -> dict[str, list[DocumentVersionRow]]:
    """source_id -> rows, versions numbered per (source, url) in manifest (= arrival) order."""
    by_url: dict[tuple[str, str], list[ManifestEntry]] = defaultdict(list)
    for e in entries:
        if e.purpose == "document":
            by_url[(e.source_id, e.url)].append(e)
    out: dict[str, list[DocumentVersionRow]] = defaultdict(list)
    for (source_id, url), versions in sorted(by_url.items()):
        for n, e in enumerate(versions, 1):
            nxt = versions[n] if n < len(versions) else None
            out[source_id].append(DocumentVersionRow(
                source_id=source_id, url=url, version=n, document_id=e.document_id,
                fetched_at=_utc_naive(e.fetched_at),
                superseded_at=_utc_naive(nxt.fetched_at) if nxt else None,
                is_current=nxt is None, bytes=e.bytes, content_type=e.content_type,
                title=(e.context or {}).get("title")))
    return out


def superseded_ids(archive: Archive) -> dict[str, ManifestEntry]:
    """document_id -> its first manifest entry, for versions that are current nowhere."""
    current = archive.current_documents()
    out: dict[str, ManifestEntry] = {}
    for e in archive.standing_entries():
        if e.purpose == "document" and e.document_id not in current and e.document_id not in out:
            out[e.document_id] = archive.first_entry_for(e.document_id)  # its owner, as for current ones
    return out


def stored_superseded(root: Path) -> dict[tuple[str, str], str | None]:
    """(source_id, document_id) -> parser_version of what the superseded store holds."""
    found: dict[tuple[str, str], str | None] = {}
    for path in (root / SUPERSEDED / "documents").glob("source=*/year=*/*.parquet"):
        source_id = path.parent.parent.name.removeprefix("source=")
        rows = read_rows(path, columns=["parser_version"])
        found[(source_id, path.stem)] = rows[0]["parser_version"] if rows else None
    return found


def write_document_versions(archive: Archive, store: ParquetStore,
                            source_ids: list[str] | None = None) -> dict[str, int]:
    """Write the versions Parquet of every source in the manifest, and bring the superseded
    store in step with it (without parsing anything).

    Returns counts: versions, urls with more than one version, superseded documents retired
    here (moved out of the contract tables) and removed (current again)."""
    rows = version_rows(archive.standing_entries())  # retired provisional sightings are no versions
    sources = set(rows) | {p.name.removeprefix("source=") for p in (store.root / "document_versions").glob("source=*")}
    for source_id in sorted(sources):
        if source_ids and source_id not in source_ids:
            continue
        store.write_versions(source_id, rows.get(source_id, []))
    retired, removed = _sync_superseded(archive, store, source_ids)
    versions = sum(len(v) for v in rows.values())
    multi = sum(1 for v in rows.values() for r in v if r.version == 2)
    return {"versions": versions, "changed_urls": multi, "superseded_retired": retired,
            "superseded_removed": removed}


def _sync_superseded(archive: Archive, store: ParquetStore, source_ids) -> tuple[int, int]:
    wanted = superseded_ids(archive)
    removed = 0
    for (source_id, doc_id) in sorted(stored_superseded(store.root)):
        if doc_id not in wanted or wanted[doc_id].source_id != source_id:
            _remove_superseded(store, source_id, doc_id)
            removed += 1
    retired = 0
    for doc_id, entry in sorted(wanted.items()):
        if source_ids and entry.source_id not in source_ids:
            continue
        if store.stored_parser_version(entry.source_id, doc_id) is not None:
            retired += store.retire(entry.source_id, doc_id) > 0  # left behind by a killed run
    return retired, removed


def superseded_to_parse(archive: Archive, store: ParquetStore, done_versions: tuple[str, ...],
                        source_ids: list[str] | None = None) -> list[tuple[str, ManifestEntry]]:
    """(document_id, owner's entry) of the superseded versions whose rows are missing or were
    made by another parser version (nor by this one over a limit: ``done_versions``): what a
    reparse parses for the superseded store, in document id order."""
    have = stored_superseded(store.root)
    return [(doc_id, entry) for doc_id, entry in sorted(superseded_ids(archive).items())
            if not (source_ids and entry.source_id not in source_ids)
            and have.get((entry.source_id, doc_id)) not in done_versions and archive.has(doc_id)]


def _remove_superseded(store: ParquetStore, source_id: str, doc_id: str) -> None:
    for table in SUPERSEDED_TABLES:
        for path in (store.root / SUPERSEDED / table / f"source={source_id}").glob(f"year=*/{doc_id}.parquet"):
            path.unlink(missing_ok=True)  # another run may have removed it first
    store.touched.add((source_id, doc_id))
