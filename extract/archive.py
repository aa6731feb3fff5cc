"""The raw archive: every fetched file, content-addressed, with a manifest of where it came from.

Layout under ``<data>/raw``::

    objects/ab/abcdef…            the bytes, named by their SHA-256
    manifest.jsonl                one line per (source, url, sha256) first seen

The manifest only grows when something new arrives (a new URL, or new bytes at a known
URL), so a rerun that finds nothing new leaves the archive byte-for-byte unchanged.
Parsing reads only from here: ``read()`` is the single way in.

A document found by a degraded discovery (its publisher's own record failed and a fallback
page was read) is archived with ``context["provisional"]``. Once the same source archives the
same bytes from a clean discovery (at that URL or another), the provisional sighting is
*retired*: it stays in the manifest (nothing is deleted) but no longer counts as a current
document, a version, or the description of those bytes, so the warehouse converges on what a
fault-free run holds.

The bytes belong to the sighting with the earliest meeting date (the meeting that published
them first; then the lowest source id; arrival order among one source's sightings): a
deterministic choice, whatever order sources and runs found them in.
"""
from __future__ import annotations

import json
import logging
import os
import functools
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kernel.ids import document_id
from kernel.locks import file_lock

# The response headers worth keeping: validators for conditional requests and what the
# server said the file is.
KEPT_HEADERS = ("content-type", "etag", "last-modified", "content-length", "content-disposition")
# A temp object older than this belongs to no live writer (put() writes one in well under a
# second), so it is a leftover of a killed run. Runs may overlap: a younger one may be in use.
STALE_TEMP_SECONDS = 3600

log = logging.getLogger(__name__)


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


def _under_mutex(method):
    """The method under the archive's in-memory lock (Archive.__init__ says why)."""
    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._mutex:
            return method(self, *args, **kwargs)
    return locked


class Archive:
    def __init__(self, root: Path):
        self.root = root
        self.objects = root / "objects"
        self.manifest_path = root / "manifest.jsonl"
        self._lock_path = root / ".manifest.lock"
        # The in-memory index is shared by a run's sources, which run in threads (flows/): one
        # catching up with the manifest's tail while another reads or appends would index a
        # line twice, or iterate a dict being changed. Re-entrant: record() refreshes under it.
        self._mutex = threading.RLock()
        self._reset()

    def _reset(self) -> None:
        # The manifest is append-only, so it is read once and then only its new tail (another
        # process may append): every look-up is a dict hit, not a scan of a growing file.
        self._entries: list[ManifestEntry] = []
        self._offset = 0
        self._keys: set[tuple[str, str, str, str, bool]] = set()
        self._latest: dict[tuple[str, str, str], ManifestEntry] = {}
        self._documents: dict[str, list[ManifestEntry]] = {}  # document_id -> its document entries
        self._confirmed: set[tuple[str, str]] = set()  # (source_id, document_id) seen non-provisionally

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
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                os.replace(tmp, target)
            except BaseException:  # a full disk: leave no partial temp object behind
                Path(tmp).unlink(missing_ok=True)
                raise
        return doc_id

    # -- manifest -------------------------------------------------------------------------
    @_under_mutex
    def _refresh(self) -> None:
        try:
            size = self.manifest_path.stat().st_size
        except FileNotFoundError:
            if self._offset:
                self._reset()
            return
        if size < self._offset:  # replaced (restored from a backup?): start again
            self._reset()
        if size == self._offset:
            return
        with open(self.manifest_path, "rb") as fh:
            fh.seek(self._offset)
            tail = fh.read(size - self._offset)
        complete = tail[: tail.rfind(b"\n") + 1]  # a line being appended right now waits
        self._offset += len(complete)
        for line in complete.decode("utf-8", errors="replace").splitlines():
            if line.strip():
                try:
                    entry = ManifestEntry(**json.loads(line))
                except (ValueError, TypeError) as exc:
                    # A line broken before heal() existed (a torn tail with the next entry
                    # appended to it): what it held is lost either way; the rest is not.
                    log.warning("%s: skipped an unreadable line (%s): %.80s", self.manifest_path, exc, line)
                    continue
                self._index(entry)

    @_under_mutex
    def heal(self) -> int:
        """Cut a torn last line (a writer killed mid-append) and remove stale temp objects;
        returns the bytes cut. Under the manifest lock every append is whole, so a tail with no
        newline there is torn, and appending after it would glue the next entry to it."""
        with file_lock(self._lock_path):
            cut = self._cut_torn_tail()
        self._remove_stale_temps()
        return cut

    def _cut_torn_tail(self) -> int:
        """(Caller holds the manifest lock.)"""
        try:
            with open(self.manifest_path, "rb+") as fh:
                size = fh.seek(0, os.SEEK_END)
                if size == 0:
                    return 0
                keep = size
                while keep > 0:  # back to the last newline, a block at a time
                    start = max(0, keep - 65536)
                    fh.seek(start)
                    block = fh.read(keep - start)
                    if block.endswith(b"\n") and keep == size:
                        return 0
                    newline = block.rfind(b"\n")
                    if newline >= 0:
                        keep = start + newline + 1
                        break
                    keep = start
                fh.seek(keep)
                torn = fh.read()
                fh.truncate(keep)
        except FileNotFoundError:
            return 0
        log.warning("%s: cut a torn last line of %d bytes (a run killed while appending): %.120r",
                    self.manifest_path, len(torn), torn)
        if keep < self._offset:
            self._reset()
        return len(torn)

    def _remove_stale_temps(self) -> None:
        if not self.objects.is_dir():
            return
        old = time.time() - STALE_TEMP_SECONDS
        for tmp in self.objects.glob("*/.tmp-*"):
            try:
                if tmp.stat().st_mtime < old:
                    tmp.unlink()
                    log.warning("%s: removed a temp object left by a killed run", tmp)
            except FileNotFoundError:
                continue

    def _index(self, e: ManifestEntry) -> None:
        self._entries.append(e)
        self._keys.add(_key(e))
        self._latest[(e.source_id, e.url, e.purpose)] = e
        if e.purpose == "document":
            self._documents.setdefault(e.document_id, []).append(e)
            if not (e.context or {}).get("provisional"):
                self._confirmed.add((e.source_id, e.document_id))

    def retired(self, e: ManifestEntry) -> bool:
        """A provisional sighting whose bytes the same source has since archived from a clean
        discovery (module docstring)."""
        return bool((e.context or {}).get("provisional")) and (e.source_id, e.document_id) in self._confirmed

    @_under_mutex
    def record(self, entry: ManifestEntry) -> bool:
        """Append the entry unless this (source, url, bytes, purpose) is already there.
        True if added."""
        with file_lock(self._lock_path):
            self._cut_torn_tail()
            self._refresh()  # another process may have appended: catch up under the lock
            key = _key(entry)
            # A provisional sighting of what is already held clean at that URL adds nothing.
            if key in self._keys or (key[4] and key[:4] + (False,) in self._keys):
                return False
            self.root.mkdir(parents=True, exist_ok=True)
            with open(self.manifest_path, "a", encoding="utf-8") as fh:
                fh.write(json.dumps(asdict(entry), sort_keys=True, ensure_ascii=False) + "\n")
            self._refresh()
            return True

    @_under_mutex
    def entries(self) -> list[ManifestEntry]:
        self._refresh()
        return self._entries

    @_under_mutex
    def standing_entries(self) -> list[ManifestEntry]:
        """Every entry but the retired provisional sightings: what document history is made of."""
        self._refresh()
        return [e for e in self._entries if not self.retired(e)]

    @_under_mutex
    def latest(self, source_id: str, url: str, purpose: str = "document") -> ManifestEntry | None:
        """The newest version archived for this URL (the current one).

        Purposes are kept apart: an adapter may read a page (purpose "listing") that is also
        a document, e.g. a minutes page it opens to learn the meeting date."""
        self._refresh()
        return self._latest.get((source_id, url, purpose))

    @_under_mutex
    def current_documents(self) -> dict[str, ManifestEntry]:
        """document_id -> the manifest entry that makes it current (newest version of a URL).

        A document superseded at every URL it was seen at is not current."""
        self._refresh()
        current: dict[str, ManifestEntry] = {}
        for (_, _, purpose), e in self._latest.items():
            if purpose == "document" and not self.retired(e):
                current.setdefault(e.document_id, e)
        return current

    @_under_mutex
    def first_entry_for(self, doc_id: str) -> ManifestEntry | None:
        """The sighting these bytes belong to: of the earliest meeting, then the first archived,
        retired sightings left out (module docstring). It names the source and meeting the
        document's rows are of."""
        self._refresh()
        standing = [e for e in self._documents.get(doc_id, ()) if not self.retired(e)]
        return min(standing, key=_published_order) if standing else None


def _key(e: ManifestEntry) -> tuple[str, str, str, str, bool]:
    """What makes a manifest line new. A clean sighting of what was held provisionally is."""
    return e.source_id, e.url, e.document_id, e.purpose, bool((e.context or {}).get("provisional"))


def _published_order(e: ManifestEntry) -> tuple[bool, str, str]:
    """Earliest meeting first, undated last, then by source id: sources run at once (in
    threads, or in two processes) archive in no fixed order, and the owner must not depend on
    it. min() keeps arrival order only among one source's sightings (fetched in its order)."""
    day = (e.context or {}).get("meeting_date")
    return day is None, day or "", e.source_id
