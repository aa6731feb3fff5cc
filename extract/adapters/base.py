"""The adapter contract: how a platform adapter discovers meetings and their documents.

An adapter never downloads documents and never parses them; it reads listing pages and
web-service responses through the ``Fetcher`` it is given (which archives and logs every
response) and returns what it found. Its parsing helpers are pure functions of bytes.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterator, Protocol

from kernel.errors import FetchError  # noqa: F401  (adapters raise and catch it from here)
from kernel.records import DocKind, MeetingStatus


@dataclass(frozen=True, slots=True)
class Window:
    """Meetings dated in [start, end] (inclusive) are wanted."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date | None) -> bool:
        return day is not None and self.start <= day <= self.end


@dataclass(slots=True)
class DiscoveredDocument:
    url: str  # absolute, canonical
    title: str | None = None
    kind_hint: DocKind | None = None  # what the listing says it is
    published_date: dt.date | None = None
    # Extra stable facts a later run can compare to tell a changed publication
    # (e.g. ModernGov attachment id + publication date).
    fingerprint: str | None = None
    # The document's identity across runs when its URL is none (CMIS links are encrypted and
    # carry no stable id): the archive keys the document by it instead of by ``url``.
    key: str | None = None


@dataclass(slots=True)
class DiscoveredMeeting:
    key: str  # the publisher's own id for the meeting page (MId, page slug, date)
    meeting_date: dt.date | None
    start_time: str | None = None  # "HH:MM" 24h
    location: str | None = None
    status: MeetingStatus = MeetingStatus.UNKNOWN
    url: str | None = None
    title: str | None = None
    documents: list[DiscoveredDocument] = field(default_factory=list)
    # What discovery could not read for this meeting (e.g. its web-service record failed and
    # its page was read instead): the run records each as an error.
    problems: list[str] = field(default_factory=list)
    # Found by a fallback because the publisher's own record failed: its documents are held
    # as provisional until a clean discovery finds them again (extract/archive.py).
    degraded: bool = False


@dataclass(slots=True)
class FetchResult:
    url: str
    status: int  # 200, or 304 when the server said not modified
    content: bytes
    headers: dict[str, str]
    document_id: str | None  # SHA-256 of content as archived (None for 304)


@dataclass(frozen=True, slots=True)
class ListingSeen:
    """What a source's listing held, window or not: set as ``adapter.seen`` by an adapter that
    reads a whole listing, so that a board whose meetings all lie before the window (one that
    no longer meets, such as the SPCB) is told apart from a listing that yields nothing."""

    meetings: int
    latest: str | None  # the latest meeting it lists, as precisely as it says ("2024-04-16", "2025-12")


# A fetcher's content check: given the body, what is wrong with it (None: it is what was asked for).
ContentCheck = Callable[[bytes], "str | None"]


class Fetcher(Protocol):
    def get(self, url: str, params: dict[str, str] | None = None,
            expect: ContentCheck | None = None) -> FetchResult:
        """GET a listing page or web-service call; archived and logged; raises FetchError. A
        body that ``expect`` finds wrong is not believed: a FetchError of kind WRONG_CONTENT."""


class Adapter(Protocol):
    name: str

    def discover(self, source: "Source", fetcher: Fetcher, window: Window) -> Iterator[DiscoveredMeeting]:
        """Yield meetings dated inside ``window`` with their documents, one at a time (and,
        optionally, set ``self.seen``: a ListingSeen)."""


from extract.registry import Source  # noqa: E402  (type only; registry imports nothing from here)
