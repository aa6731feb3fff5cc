"""Document history: every version of every document URL, from the raw archive's manifest.

The archive keeps the bytes of every version (a paper re-published at the same URL gets a new
manifest line and a new document id); the contract tables hold only the current version. This
module writes, at the end of every run (``scrutiny.pipeline.finish_run``):

* ``parquet/document_versions/source=<id>/versions.parquet``: one row per (url, version), with
  ``fetched_at`` and ``superseded_at`` (the next version's ``fetched_at``);
* ``parquet/superseded/<table>/source=<id>/year=<y>/<document_id>.parquet``: the parsed rows
  (documents, items, actions, figures) of each version that is no longer current anywhere, so
  that what changed between versions stays queryable (views ``document_version_stats`` and
  ``document_version_changes``). They are parsed from the archive once (in the parse workers,
  under their limits), and again only when the parser version changes (or, for a version that
  went over a limit, the limits); a version that becomes current again loses its superseded files.

The warehouse is still loaded from Parquet only.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from extract.archive import Archive, ManifestEntry
from warehouse.parquet import SUPERSEDED_TABLES, DocumentVersionRow, ParquetStore, read_rows


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


def _stored_superseded(root: Path) -> dict[tuple[str, str], str | None]:
    """(source_id, document_id) -> parser_version of what the superseded store holds."""
    found: dict[tuple[str, str], str | None] = {}
    for path in (root / "documents").glob("source=*/year=*/*.parquet"):
        source_id = path.parent.parent.name.removeprefix("source=")
        rows = read_rows(path, columns=["parser_version"])
        found[(source_id, path.stem)] = rows[0]["parser_version"] if rows else None
    return found


def write_document_versions(archive: Archive, store: ParquetStore, registry=None,
                            source_ids: list[str] | None = None) -> dict[str, int]:
    """Write the versions Parquet of every source in the manifest, and sync the superseded store.

    Returns counts: versions, urls with more than one version, superseded documents (re)parsed
    and removed."""
    rows = version_rows(archive.standing_entries())  # retired provisional sightings are no versions
    sources = set(rows) | {p.name.removeprefix("source=") for p in (store.root / "document_versions").glob("source=*")}
    for source_id in sorted(sources):
        if source_ids and source_id not in source_ids:
            continue
        store.write_versions(source_id, rows.get(source_id, []))
    parsed, removed = _sync_superseded(archive, store, registry, source_ids)
    versions = sum(len(v) for v in rows.values())
    multi = sum(1 for v in rows.values() for r in v if r.version == 2)
    return {"versions": versions, "changed_urls": multi, "superseded_parsed": parsed,
            "superseded_removed": removed}


def _sync_superseded(archive: Archive, store: ParquetStore, registry, source_ids) -> tuple[int, int]:
    sup_store = ParquetStore(store.root / "superseded")
    wanted = superseded_ids(archive)
    have = _stored_superseded(sup_store.root)
    removed = 0
    for (source_id, doc_id) in sorted(have):
        if doc_id not in wanted or wanted[doc_id].source_id != source_id:
            _remove_superseded(sup_store, source_id, doc_id)
            store.touched.add((source_id, doc_id))
            removed += 1
    todo = [(d, e) for d, e in sorted(wanted.items())
            if not (source_ids and e.source_id not in source_ids)]
    if not todo:
        return 0, removed
    from transform import PARSER_VERSION  # heavy: only when there is work
    from extract.registry import Source
    from scrutiny.parallel import ParseJob, ParseOutcome, ParsePool, limited_parser_version
    from scrutiny.rows import document_rows, hints_for

    known = {s.id: s for s in registry.sources} if registry is not None else {}
    parsed = 0

    def write(source: Source, doc_id: str, entry: ManifestEntry, outcome: ParseOutcome) -> None:
        nonlocal parsed
        year, tables = document_rows(source, doc_id, entry, outcome.size, outcome.parsed,
                                     outcome.parser_version or PARSER_VERSION)
        sup_store.write_document(entry.source_id, year, doc_id,
                                 {t: tables.get(t, []) for t in SUPERSEDED_TABLES})
        store.touched.add((entry.source_id, doc_id))
        parsed += 1

    # In the parse workers, under their limits, as current documents are: a superseded bomb
    # parsed in this process would take the run down (pdfium aborts when it cannot allocate).
    with ParsePool() as pool:
        done_versions = (PARSER_VERSION, limited_parser_version(pool.limits))
        for doc_id, entry in todo:
            if have.get((entry.source_id, doc_id)) in done_versions or not archive.has(doc_id):
                continue
            source = known.get(entry.source_id) or Source(id=entry.source_id, adapter="unknown",
                                                          publisher="unknown", body="unknown",
                                                          base_url="https://invalid/")
            job = ParseJob(doc_id, str(archive.path_for(doc_id)), entry.content_type, hints_for(source, entry))
            pool.submit(job, lambda outcome, s=source, d=doc_id, e=entry: write(s, d, e, outcome))
    return parsed, removed


def _remove_superseded(sup_store: ParquetStore, source_id: str, doc_id: str) -> None:
    for table in SUPERSEDED_TABLES:
        for path in (sup_store.root / table / f"source={source_id}").glob(f"year=*/{doc_id}.parquet"):
            path.unlink()
