"""Typed records: one per output table, closed vocabularies for kinds and statuses.

Parsers (transform/) return the ``Parsed*`` records, which carry no ids: they are pure
functions of the document's bytes. The pipeline attaches ids (kernel/ids.py) and turns
them into the warehouse rows below, whose field order is the Parquet/DuckDB column order.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum


class DocKind(StrEnum):
    AGENDA = "agenda"
    MINUTES = "minutes"
    REPORT = "report"
    PACK = "pack"
    OTHER = "other"


class ParseStatus(StrEnum):
    OK = "ok"
    NO_TEXT = "no_text"
    ENCRYPTED = "encrypted"
    CORRUPT = "corrupt"
    EMPTY = "empty"
    UNSUPPORTED = "unsupported"
    ERROR = "error"
    # Over a limit of the parse worker (scrutiny/parallel.py ParseLimits): more memory than its
    # ceiling (a decompression bomb), longer than its time limit, or the worker died under it.
    # Not parsed again until the parser version or the limits change.
    TOO_LARGE = "too_large"
    TIMEOUT = "timeout"
    CRASHED = "crashed"


class ParseFlag(StrEnum):
    """What the parser could not read in a paper it did parse: a closed vocabulary, stored with
    the paper's documents row (parse_flags) and listed by the papers_to_check view."""

    NO_ITEMS = "no_items"  # minutes or an agenda with no item found
    NO_ATTENDANCE = "no_attendance"  # minutes with no attendance or apologies found
    DATE_FROM_LISTING = "date_from_listing"  # the paper prints no meeting date: the listing's is used
    NO_DATE = "no_date"  # no meeting date in the paper nor in its listing
    KIND_UNCERTAIN = "kind_uncertain"  # the text does not say whether it is minutes, an agenda…
    FIGURES_WITHOUT_ITEM = "figures_without_item"  # £ or % figures that belong to no item
    FLATTENED_TEXT = "flattened_text"  # the text came as one run-on paragraph; its lines were inferred


class MeetingStatus(StrEnum):
    SCHEDULED = "scheduled"
    HELD = "held"
    CANCELLED = "cancelled"
    UNKNOWN = "unknown"


class AttendanceStatus(StrEnum):
    PRESENT = "present"
    IN_ATTENDANCE = "in_attendance"
    APOLOGIES = "apologies"
    ABSENT = "absent"


class FigureUnit(StrEnum):
    GBP = "GBP"
    PERCENT = "percent"


class FetchOutcome(StrEnum):
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    NOT_MODIFIED = "not_modified"
    ERROR = "error"
    BLOCKED = "blocked"
    SKIPPED = "skipped"


class FetchErrorKind(StrEnum):
    """Why a fetch failed: what a reader of fetch_log (and the flows' retry policy) needs to know."""

    TRANSIENT = "transient"  # 429 / 5xx / connection trouble that outlasted the retries
    PERMANENT = "permanent"  # an HTTP error the site means (404, 410, ...): asked once
    BLOCKED = "blocked"  # a web application firewall's 403
    ROBOTS = "robots"  # robots.txt disallows the URL
    TOO_LARGE = "too_large"  # over the download cap
    WRONG_CONTENT = "wrong_content"  # a 200 whose body is not what the URL promised


class RunStatus(StrEnum):
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CRASHED = "crashed"  # stopped before it finished (killed, machine down): recorded by a later run


# --------------------------------------------------------------------------------------
# What parsers return (pure: no ids, no clock, no network)
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class ParsedItem:
    ref: str | None
    title: str
    text: str = ""


@dataclass(slots=True)
class ParsedAttendee:
    person: str
    role: str | None
    status: AttendanceStatus


@dataclass(slots=True)
class ParsedAction:
    item_ref: str | None
    text: str
    owner: str | None


@dataclass(slots=True)
class ParsedFigure:
    item_ref: str | None
    raw: str
    value: float
    unit: FigureUnit
    context: str


@dataclass(slots=True)
class DocHints:
    """What the publisher's listing told us about a document before we opened it.

    Parsers prefer what the document itself says; hints fill gaps (e.g. a minutes
    page whose date line has no year)."""

    body: str | None = None
    title: str | None = None
    doc_kind: DocKind | None = None
    meeting_date: dt.date | None = None
    url: str | None = None


@dataclass(slots=True)
class ParsedDocument:
    parse_status: ParseStatus
    parse_error: str | None = None
    pages: int | None = None
    ocr: bool = False
    doc_kind: DocKind = DocKind.OTHER
    title: str | None = None
    body: str | None = None
    meeting_date: dt.date | None = None
    start_time: str | None = None
    location: str | None = None
    items: list[ParsedItem] = field(default_factory=list)
    attendance: list[ParsedAttendee] = field(default_factory=list)
    actions: list[ParsedAction] = field(default_factory=list)
    figures: list[ParsedFigure] = field(default_factory=list)
    flags: list[ParseFlag] = field(default_factory=list)


# --------------------------------------------------------------------------------------
# Warehouse rows (field order = column order)
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class SourceRow:
    source_id: str
    adapter: str
    publisher: str
    body: str
    base_url: str


@dataclass(slots=True)
class MeetingRow:
    """One sighting of a meeting: from a listing, or from a document that records it.

    The warehouse folds all sightings with the same meeting_id into one meetings row."""

    meeting_id: str
    source_id: str
    body: str
    meeting_date: dt.date | None
    start_time: str | None
    location: str | None
    status: MeetingStatus
    url: str | None
    seen_in: str  # "listing" or the document_id that mentions the meeting


@dataclass(slots=True)
class DocumentRow:
    document_id: str
    source_id: str
    meeting_id: str | None
    url: str | None
    title: str | None
    doc_kind: DocKind
    content_type: str | None
    bytes: int
    pages: int | None
    fetched_at: dt.datetime
    published_date: dt.date | None
    parse_status: ParseStatus
    parse_error: str | None
    parser_version: str
    ocr: bool
    parse_flags: list[ParseFlag] = field(default_factory=list)


@dataclass(slots=True)
class ItemRow:
    document_id: str
    meeting_id: str | None
    ordinal: int
    ref: str | None
    title: str
    text: str


@dataclass(slots=True)
class AttendanceRow:
    document_id: str
    meeting_id: str | None
    ordinal: int
    person: str
    role: str | None
    status: AttendanceStatus


@dataclass(slots=True)
class ActionRow:
    document_id: str
    meeting_id: str | None
    item_ref: str | None
    ordinal: int
    text: str
    owner: str | None


@dataclass(slots=True)
class FigureRow:
    document_id: str
    meeting_id: str | None
    item_ref: str | None
    ordinal: int
    raw: str
    value: float
    unit: FigureUnit
    context: str


@dataclass(slots=True)
class FetchLogRow:
    run_id: str
    source_id: str
    url: str
    fetched_at: dt.datetime
    http_status: int | None
    bytes: int
    outcome: FetchOutcome
    error: str | None
    document_id: str | None
    purpose: str  # "listing" or "document"
    error_kind: FetchErrorKind | None = None  # set when outcome is error / blocked


@dataclass(slots=True)
class RunRow:
    run_id: str
    flow: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    status: RunStatus
    sources: list[str]  # the source ids it covered, sorted (sources run at once finish in any order)
    meetings_discovered: int
    documents_discovered: int
    documents_fetched: int
    documents_skipped: int
    documents_failed: int
    message: str | None  # for people: the run's failures, as text
    # For programs (`scrutiny status`): source id -> that source's first errors, for each source
    # that failed. NULL in rows of runs recorded before the column existed.
    errors: dict[str, list[str]] | None = None
