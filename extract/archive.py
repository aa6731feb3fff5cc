"""The raw archive: every fetched file, content-addressed, with a manifest of where it came from.

Layout under ``<data>/raw``::

    objects/ab/abcdef…            the bytes, named by their SHA-256
    manifest.jsonl                one line per (source, url, sha256) first seen

The manifest only grows when something new arrives (a new URL, or new bytes at a known
URL), so a rerun that finds nothing new leaves the archive byte-for-byte unchanged.
Parsing reads only from here: ``read()`` is the single way in.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from scrutiny.ids import document_id
from scrutiny.locks import file_lock

# The response headers worth keeping: validators for conditional requests and what the
# server said the file is.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-length", "content-disposition")


@dataclass(slots=True)
class ManifestEntry:
    document_id: str
    source_id: str
    url: str
    fetched_at: str  # ISO 8601 UTC
    http_status: int | None
    content_type: str | None
    bytes: int
    purpose: str  # "document" | "listing"
    headers: dict[str, str] = field(default_factory=dict)
    # What discovery knew when it fetched the file: meeting key/date, title, kind hint,
    # publication date, fingerprint. Reparse needs it, because parsing reads only the archive.
    context: dict = field(default_factory=dict)


class Archive:
    def __init__(self, root: Path):
        self.root = root
        self.objects = root / "objects"
        self.manifest_path = root / "manifest.jsonl"
        self._lock_path = root / ".manifest.lock"
        self._entries: list[ManifestEntry] | None = None
        self._mtime: float | None = None

    # -- bytes ----------------------------------------------------------------------------
    def path_for(self, doc_id: str) -> Path:
        return self.objects / doc_id[:2] / doc_id

    def has(self, doc_id: str) -> bool:
        return self.path_for(doc_id).exists()

    def read(self, doc_id: str) -> bytes:
        return self.path_for(doc_id).read_bytes()

    def put(self, data: bytes) -> str:
        """Store bytes (atomically, once) and return their document id."""
        doc_id = document_id(data)
        target = self.path_for(doc_id)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, target)
        return doc_id

    # -- manifest -------------------------------------------------------------------------
    def record(self, entry: ManifestEntry) -> bool:
        """Append the entry unless this (source, url, bytes) is already there. True if added."""
        with file_lock(self._lock_path):
            self._entries = None  # another process may have appended: re-read under the lock
            key = (entry.source_id, entry.url, entry.document_id, entry.purpose)
            for e in self.entries():
                if (e.source_id, e.url, e.document_id, e.purpose) == key:
                    return False
            self.root.mkdir(parents=True, exist_ok=True)
            with open(self.manifest_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(asdict(entry), sort_keys=True, ensure_ascii=False) + "\n")
            self._entries = None
            return True

    def entries(self) -> list[ManifestEntry]:
        try:
            mtime = self.manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            return []
        if self._entries is None or mtime != self._mtime:
            with open(self.manifest_path, encoding="utf-8") as fh:
                self._entries = [ManifestEntry(**json.loads(line)) for line in fh if line.strip()]
            self._mtime = mtime
        return self._entries

    def latest(self, source_id: str, url: str, purpose: str = "document") -> ManifestEntry | None:
        """The newest version archived for this URL (the current one).

        Purposes are kept apart: an adapter may read a page (purpose "listing") that is also
        a document, e.g. a minutes page it opens to learn the meeting date."""
        found = None
        for e in self.entries():
            if e.source_id == source_id and e.url == url and e.purpose == purpose:
                found = e
        return found

    def current_documents(self) -> dict[str, ManifestEntry]:
        """document_id -> the manifest entry that makes it current (newest version of a URL).

        A document superseded at every URL it was seen at is not current."""
        newest: dict[tuple[str, str], ManifestEntry] = {}
        for e in self.entries():
            if e.purpose == "document":
                newest[(e.source_id, e.url)] = e
        current: dict[str, ManifestEntry] = {}
        for e in newest.values():
            current.setdefault(e.document_id, e)
        return current

    def first_entry_for(self, doc_id: str) -> ManifestEntry | None:
        """The first time these bytes were archived as a document (stable across runs)."""
        for e in self.entries():
            if e.document_id == doc_id and e.purpose == "document":
                return e
        return None
