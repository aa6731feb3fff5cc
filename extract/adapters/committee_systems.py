"""What the councils' committee-management systems share (ModernGov and CMIS, two vendors'
products with the same vocabulary): what a listed document's title says it is, and whether a
meeting was held, is still to come, or was cancelled.

Both adapters import it; neither is the other's library.
"""
from __future__ import annotations

import datetime as dt

from kernel.records import DocKind, MeetingStatus


def kind_hint(title: str | None) -> DocKind:
    """What a listing title says a document is. "Agenda reports pack" is a pack, not an agenda."""
    t = (title or "").lower()
    if "reports pack" in t or "document pack" in t or "public pack" in t:
        return DocKind.PACK
    if "minutes" in t:
        return DocKind.MINUTES
    if "agenda" in t:
        return DocKind.AGENDA
    return DocKind.REPORT


def meeting_status(cancelled: bool, day: dt.date | None, today: dt.date, minutes: bool = False) -> MeetingStatus:
    """Cancelled as the listing says; held once its minutes exist or its day is past; else scheduled."""
    if cancelled:
        return MeetingStatus.CANCELLED
    if minutes:
        return MeetingStatus.HELD
    if day is None:
        return MeetingStatus.UNKNOWN
    return MeetingStatus.HELD if day < today else MeetingStatus.SCHEDULED
