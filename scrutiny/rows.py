"""Turn a parser's output into warehouse rows: attach ids, ordinals and the meeting."""
from __future__ import annotations

import datetime as dt

from extract.archive import ManifestEntry
from extract.registry import Source
from kernel import ids
from kernel import records as r


def _date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def hints_for(source: Source, entry: ManifestEntry) -> r.DocHints:
    c = entry.context
    kind = c.get("kind_hint")
    return r.DocHints(body=source.body, title=c.get("title"), doc_kind=r.DocKind(kind) if kind else None,
                      meeting_date=_date(c.get("meeting_date")), url=entry.url)


def meeting_date_for(parsed: r.ParsedDocument, listed: dt.date | None) -> dt.date | None:
    """Minutes belong to the meeting they record, which the document itself states (they are
    often published as an item of the next meeting); other papers belong to the meeting whose
    listing carried them, and fall back to the date they print."""
    if parsed.doc_kind == r.DocKind.MINUTES and parsed.meeting_date:
        return parsed.meeting_date
    return listed or parsed.meeting_date


def document_rows(source: Source, doc_id: str, entry: ManifestEntry, size: int,
                  parsed: r.ParsedDocument, parser_version: str) -> tuple[int | None, dict[str, list]]:
    """Rows for every per-document table, and the year partition they belong in."""
    c = entry.context
    listed = _date(c.get("meeting_date"))
    day = meeting_date_for(parsed, listed)
    meeting = ids.meeting_id(source.id, day, None if day else c.get("meeting_key"))
    fetched_at = dt.datetime.fromisoformat(entry.fetched_at).replace(tzinfo=None)
    doc = r.DocumentRow(
        document_id=doc_id, source_id=source.id, meeting_id=meeting, url=entry.url,
        title=c.get("title") or parsed.title, doc_kind=parsed.doc_kind,
        content_type=entry.content_type, bytes=size, pages=parsed.pages, fetched_at=fetched_at,
        published_date=_date(c.get("published_date")), parse_status=parsed.parse_status,
        parse_error=parsed.parse_error, parser_version=parser_version, ocr=parsed.ocr,
        parse_flags=list(parsed.flags))
    tables: dict[str, list] = {"documents": [doc]}
    own_date = parsed.meeting_date is not None and parsed.meeting_date == day
    tables["meetings"] = [r.MeetingRow(
        meeting_id=meeting, source_id=source.id, body=source.body, meeting_date=day,
        start_time=parsed.start_time if own_date else None,
        location=parsed.location if own_date else None,
        status=r.MeetingStatus.HELD if parsed.doc_kind == r.DocKind.MINUTES else r.MeetingStatus.UNKNOWN,
        url=None, seen_in=doc_id)] if meeting else []
    tables["items"] = [r.ItemRow(doc_id, meeting, n, it.ref, it.title, it.text)
                       for n, it in enumerate(parsed.items, 1)]
    tables["attendance"] = [r.AttendanceRow(doc_id, meeting, n, a.person, a.role, a.status)
                            for n, a in enumerate(parsed.attendance, 1)]
    tables["actions"] = [r.ActionRow(doc_id, meeting, a.item_ref, n, a.text, a.owner)
                         for n, a in enumerate(parsed.actions, 1)]
    tables["figures"] = [r.FigureRow(doc_id, meeting, f.item_ref, n, f.raw, f.value, f.unit, f.context)
                         for n, f in enumerate(parsed.figures, 1)]
    year = day.year if day else fetched_at.year
    return year, tables


def listing_rows(source: Source, meeting) -> tuple[str, int | None, list[r.MeetingRow]]:
    """The sighting of a meeting in the publisher's listing (file id, year, rows)."""
    mid = ids.meeting_id(source.id, meeting.meeting_date, meeting.key)
    row = r.MeetingRow(meeting_id=mid, source_id=source.id, body=source.body,
                       meeting_date=meeting.meeting_date, start_time=meeting.start_time,
                       location=meeting.location, status=meeting.status, url=meeting.url,
                       seen_in="listing")
    year = meeting.meeting_date.year if meeting.meeting_date else None
    return ids.listing_key(source.id, meeting.key), year, [row]
