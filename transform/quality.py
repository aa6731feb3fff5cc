"""Say what could not be read: quality flags for a parsed paper (kernel.records.ParseFlag).

A user with ten years of papers finds the ones to check by these flags (the warehouse's
papers_to_check view, `scrutiny status`), instead of trusting every row alike."""
from __future__ import annotations

from kernel.records import AttendanceStatus, DocKind, ParsedDocument, ParseFlag

RECORDS_OF_A_MEETING = (DocKind.MINUTES, DocKind.AGENDA, DocKind.PACK)
ATTENDED = (AttendanceStatus.PRESENT, AttendanceStatus.IN_ATTENDANCE, AttendanceStatus.APOLOGIES)


def quality_flags(parsed: ParsedDocument, *, date_in_text: bool, flattened: bool) -> list[ParseFlag]:
    flags = []
    if parsed.doc_kind in RECORDS_OF_A_MEETING and not parsed.items:
        flags.append(ParseFlag.NO_ITEMS)
    if parsed.doc_kind == DocKind.MINUTES and not any(a.status in ATTENDED for a in parsed.attendance):
        flags.append(ParseFlag.NO_ATTENDANCE)
    if parsed.meeting_date is None:
        flags.append(ParseFlag.NO_DATE)
    elif not date_in_text:
        flags.append(ParseFlag.DATE_FROM_LISTING)
    if parsed.doc_kind == DocKind.OTHER:
        flags.append(ParseFlag.KIND_UNCERTAIN)
    if parsed.items and any(f.item_ref is None for f in parsed.figures):
        flags.append(ParseFlag.FIGURES_WITHOUT_ITEM)
    if flattened:
        flags.append(ParseFlag.FLATTENED_TEXT)
    return flags
