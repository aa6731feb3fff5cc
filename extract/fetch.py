"""Fetch and archive: every answer the pipeline believes is archived before anyone parses it.

* :class:`Fetcher` is what adapters read a source's listing pages and web-service calls through:
  a non-200 answer, or one that is not what was asked for, is a FetchError typed with its kind
  (kernel/errors.py). On its own it archives nothing (`scrutiny sources add`, adapter tests);
  :class:`ArchivingFetcher` archives and logs every answer of a run.
* :func:`fetch_document` fetches one listed document unless the archive already holds it
  (publisher fingerprints, conditional requests), checks what arrived and archives it.

A run (:class:`FetchRun`; scrutiny.pipeline.RunContext is one) gives the HTTP client, the
archive and the fetch log.
"""
from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass
from typing import Protocol
from urllib.parse import urlsplit

from extract.adapters.base import ContentCheck, DiscoveredDocument, DiscoveredMeeting, FetchError, FetchResult
from extract.archive import KEPT_HEADERS, Archive, ManifestEntry
from extract.content import paper_problem
from kernel.errors import FetchErrorKind
from extract.http import TRANSIENT_STATUSES, PoliteClient
from extract.registry import Source
from kernel import records as r


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


class FetchRun(Protocol):
    """What fetching needs of the run it belongs to."""

    client: PoliteClient
    archive: Archive
    # (source_id, url) -> (document_id, response) of what discovery fetched this run, so a
    # listed document that discovery already read is archived from those bytes, not fetched twice.
    listings: dict[tuple[str, str], tuple[str, "ResponseMeta"]]
    lock: threading.RLock  # held while a sighting is recorded (sources may run in threads)

    def log_fetch(self, source: Source, url: str, status: int | None, size: int, outcome: r.FetchOutcome,
                  error: str | None, doc_id: str | None, purpose: str,
                  kind: r.FetchErrorKind | None = None) -> None: ...

    def log_failure(self, source: Source, exc: FetchError, purpose: str) -> r.FetchOutcome: ...

    def forget_rows(self, source_id: str, doc_id: str) -> None:
        """Drop the rows ``source_id`` holds for ``doc_id`` (its bytes are now another source's)."""


def publisher_host(source: Source) -> str:
    """The host a source is published on, without ``www.``: sources on one publisher share it."""
    return urlsplit(source.base_url).netloc.lower().removeprefix("www.")


def source_hosts(source: Source) -> set[str]:
    bare = publisher_host(source)
    return {urlsplit(source.base_url).netloc.lower(), bare, "www." + bare}


def source_get(client: PoliteClient, source: Source, url: str, params=None, headers=None):
    """Raises FetchError typed with its kind (kernel/errors.py); redirects stay on the source's hosts."""
    return client.get(url, params=params, headers=headers, browser=source.browser,
                      hosts=source_hosts(source), timeout=source.timeout_seconds)


def status_failure(client: PoliteClient, url: str, resp) -> FetchError:
    """The error of a non-200 answer, saying what happened: the client retries only transient
    statuses, so a 404 was asked once and a 503 ``retries`` more times."""
    status = resp.status_code
    if status == 403:
        return FetchError(url, "HTTP 403, asked once: refused by the site (web application firewall?); "
                               "try browser = true for this source", 403, kind=FetchErrorKind.BLOCKED)
    retries = client.settings.retries
    if status in TRANSIENT_STATUSES and retries:
        return FetchError(url, f"HTTP {status} after {retries} retries", status, kind=FetchErrorKind.TRANSIENT)
    kind = FetchErrorKind.TRANSIENT if status in TRANSIENT_STATUSES else FetchErrorKind.PERMANENT
    return FetchError(url, f"HTTP {status}, asked once", status, kind=kind)


def wrong_content(url: str, problem: str) -> FetchError:
    return FetchError(url, f"HTTP 200 but {problem}", 200, kind=FetchErrorKind.WRONG_CONTENT)


@dataclass(frozen=True)
class ResponseMeta:
    """What the manifest keeps of a response; the bytes themselves live in the archive."""

    url: str
    status: int
    headers: dict[str, str]
    size: int

    @classmethod
    def of(cls, resp) -> "ResponseMeta":
        kept = {k.lower(): v for k, v in resp.headers.items() if k.lower() in KEPT_HEADERS}
        return cls(resp.url, resp.status_code, kept, len(resp.content))


def manifest_entry(source: Source, meta: ResponseMeta, doc_id: str, purpose: str, context: dict) -> ManifestEntry:
    return ManifestEntry(document_id=doc_id, source_id=source.id, url=meta.url,
                         fetched_at=utcnow().isoformat(), http_status=meta.status,
                         content_type=(meta.headers.get("content-type") or "").split(";")[0] or None,
                         bytes=meta.size, purpose=purpose, headers=meta.headers, context=context)


# --------------------------------------------------------------------------------------
# Listing pages and web-service calls
# --------------------------------------------------------------------------------------


class Fetcher:
    """Fetches listing pages and web-service calls for adapters, archiving nothing. Given a
    ``source``, asks as the pipeline does for it (its hosts, browser transport and timeout);
    without one, a plain request on the URL's own host."""

    def __init__(self, client: PoliteClient, source: Source | None = None):
        self.client, self.source = client, source

    def get(self, url: str, params: dict[str, str] | None = None,
            expect: ContentCheck | None = None) -> FetchResult:
        resp = self._answer(url, params, expect)
        return FetchResult(resp.url, 200, resp.content, dict(resp.headers), None)

    def _answer(self, url: str, params: dict[str, str] | None, expect: ContentCheck | None):
        """The 200 answer that ``expect`` accepts, else a typed FetchError."""
        if self.source is None:
            resp = self.client.get(url, params=params)
        else:
            resp = source_get(self.client, self.source, url, params=params)
        if resp.status_code != 200:
            raise status_failure(self.client, resp.url, resp)
        problem = expect(resp.content) if expect else None
        if problem:
            # Not what was asked for (an IIS redirect page, another operation's answer): not
            # archived, not believed, and the adapter's fallback runs.
            raise wrong_content(resp.url, problem)
        return resp


class ArchivingFetcher(Fetcher):
    """A run's fetcher for a source: every answer is archived and logged in fetch_log, every
    failure logged (as requested, its query string included) before it is raised."""

    def __init__(self, run: FetchRun, source: Source):
        super().__init__(run.client, source)
        self.run = run

    def get(self, url: str, params: dict[str, str] | None = None,
            expect: ContentCheck | None = None) -> FetchResult:
        try:
            resp = self._answer(url, params, expect)
        except FetchError as exc:
            self.run.log_failure(self.source, exc, "listing")
            raise
        doc_id = self.run.archive.put(resp.content)
        meta = ResponseMeta.of(resp)
        added = self.run.archive.record(manifest_entry(self.source, meta, doc_id, "listing", {}))
        outcome = r.FetchOutcome.NEW if added else r.FetchOutcome.UNCHANGED
        self.run.log_fetch(self.source, resp.url, 200, len(resp.content), outcome, None, doc_id, "listing")
        self.run.listings[(self.source.id, resp.url)] = (doc_id, meta)
        return FetchResult(resp.url, 200, self.run.archive.read(doc_id), dict(resp.headers), doc_id)


# --------------------------------------------------------------------------------------
# Documents
# --------------------------------------------------------------------------------------


def document_context(meeting: DiscoveredMeeting, doc: DiscoveredDocument) -> dict:
    context = {"meeting_key": meeting.key,
               "meeting_date": meeting.meeting_date.isoformat() if meeting.meeting_date else None,
               "title": doc.title, "kind_hint": doc.kind_hint.value if doc.kind_hint else None,
               "published_date": doc.published_date.isoformat() if doc.published_date else None,
               "fingerprint": doc.fingerprint}
    if meeting.degraded:
        # Found by a degraded discovery: retired once a clean one finds the same bytes
        # (extract/archive.py), so that the warehouse converges on a fault-free run's.
        context["provisional"] = True
    return context


@dataclass
class DocOutcome:
    outcome: r.FetchOutcome
    document_id: str | None = None
    superseded: str | None = None  # the previous version's id when the bytes changed
    error: str | None = None
    kind: FetchErrorKind | None = None  # the error's
    # The bytes are now described by another manifest entry than before (a provisional
    # sighting retired): their rows must be written again from the new description.
    redescribed: bool = False


def fetch_document(run: FetchRun, source: Source, meeting: DiscoveredMeeting,
                   doc: DiscoveredDocument) -> DocOutcome:
    """Fetch one document unless we already hold it; archive what arrives."""
    url = doc.url
    if urlsplit(url).netloc.lower() not in source_hosts(source):
        msg = f"not followed: {urlsplit(url).netloc} is outside {source.id}'s hosts"
        run.log_fetch(source, url, None, 0, r.FetchOutcome.SKIPPED, msg, None, "document")
        return DocOutcome(r.FetchOutcome.SKIPPED, error=msg)
    prev = run.archive.latest(source.id, doc.key or url)
    # Held provisionally (found by a degraded discovery) and now seen by a clean one: asked
    # again, and recorded again whatever the answer, so the provisional sighting is retired.
    confirms = prev is not None and bool(prev.context.get("provisional")) and not meeting.degraded
    if prev and doc.fingerprint and prev.context.get("fingerprint") == doc.fingerprint and not confirms:
        # The publisher's own record says nothing changed: no request at all.
        run.log_fetch(source, url, None, 0, r.FetchOutcome.SKIPPED, None, prev.document_id, "document")
        return DocOutcome(r.FetchOutcome.SKIPPED, prev.document_id)
    if (source.id, url) in run.listings:
        return _document_from_listing(run, source, meeting, doc, prev)
    headers = {}
    if prev and prev.headers.get("etag"):
        headers["If-None-Match"] = prev.headers["etag"]
    if prev and prev.headers.get("last-modified"):
        headers["If-Modified-Since"] = prev.headers["last-modified"]
    try:
        resp = source_get(run.client, source, url, headers=headers)
        if resp.status_code == 304 and prev:
            redescribed = _record(run, source, meeting, doc, prev.document_id,
                                  ResponseMeta(prev.url, prev.http_status or 200, prev.headers, prev.bytes)) \
                if confirms else False
            run.log_fetch(source, url, 304, 0, r.FetchOutcome.NOT_MODIFIED, None, prev.document_id, "document")
            return DocOutcome(r.FetchOutcome.NOT_MODIFIED, prev.document_id, redescribed=redescribed)
        if resp.status_code != 200:
            raise status_failure(run.client, url, resp)
        problem = paper_problem(url, resp.content)
        if problem:
            # An error page or an empty body where a paper was linked: not archived, so the
            # publisher's fingerprint of the real paper cannot skip the next run's fetch.
            raise wrong_content(url, problem)
    except FetchError as exc:
        return DocOutcome(run.log_failure(source, exc, "document"), error=str(exc), kind=exc.kind)
    doc_id = run.archive.put(resp.content)
    return _archive_document(run, source, meeting, doc, prev, doc_id, ResponseMeta.of(resp), len(resp.content))


def _document_from_listing(run: FetchRun, source: Source, meeting: DiscoveredMeeting,
                           doc: DiscoveredDocument, prev: ManifestEntry | None) -> DocOutcome:
    doc_id, meta = run.listings[(source.id, doc.url)]
    return _archive_document(run, source, meeting, doc, prev, doc_id, meta, downloaded=0)


def _record(run: FetchRun, source: Source, meeting: DiscoveredMeeting, doc: DiscoveredDocument,
            doc_id: str, meta: ResponseMeta) -> bool:
    """Record a document sighting in the manifest. True when the bytes are now described by
    another sighting than before (an earlier meeting's, or a provisional one retired): their
    rows must then be written again, and any under the former source dropped."""
    entry = manifest_entry(source, meta, doc_id, "document", document_context(meeting, doc))
    entry.url = doc.key or doc.url  # as listed, not as redirected (or its stable key): the next run finds it
    if doc.key:
        entry.context["link"] = doc.url  # the link it was fetched from this time
    with run.lock:
        described_by = run.archive.first_entry_for(doc_id)
        run.archive.record(entry)
        now_described_by = run.archive.first_entry_for(doc_id)
        redescribed = described_by is not None and now_described_by is not described_by
        if redescribed and described_by.source_id != now_described_by.source_id:
            run.forget_rows(described_by.source_id, doc_id)
    return redescribed


def _archive_document(run: FetchRun, source: Source, meeting: DiscoveredMeeting, doc: DiscoveredDocument,
                      prev: ManifestEntry | None, doc_id: str, meta: ResponseMeta, downloaded: int) -> DocOutcome:
    redescribed = _record(run, source, meeting, doc, doc_id, meta)
    if prev is None:
        outcome, superseded = r.FetchOutcome.NEW, None
    elif prev.document_id == doc_id:
        outcome, superseded = r.FetchOutcome.UNCHANGED, None
    else:
        outcome, superseded = r.FetchOutcome.CHANGED, prev.document_id
    run.log_fetch(source, doc.url, 200, downloaded, outcome, None, doc_id, "document")
    return DocOutcome(outcome, doc_id, superseded, redescribed=redescribed)
