"""parse_document: bytes in, records out. Pure (no network, clock or file writes) and total:
whatever happens inside, the caller gets a ParsedDocument, never an exception, except a
MemoryError: a paper over the worker's memory ceiling is the parse pool's to record (too_large)."""
from __future__ import annotations

import logging
import traceback

from kernel.records import DocHints, DocKind, ParsedDocument, ParseStatus
from transform.figures import find_figures
from transform.items import segment
from transform.meta import Meta, read_meta
from transform.quality import quality_flags
from transform.moderngov_ws import is_get_meeting, recorded_attendance
from transform.structure import unflatten
from transform.text import DEFAULT_ENGINE, ExtractError, TextResult, extract_lines, sniff

log = logging.getLogger(__name__)


def parse_document(data: bytes, *, content_type: str | None, hints: DocHints | None = None,
                   engine: str = DEFAULT_ENGINE) -> ParsedDocument:
    hints = hints or DocHints()
    try:
        return _parse(data, content_type, hints, engine)
    except MemoryError:
        raise  # over the worker's memory ceiling: the parse pool records it as too_large
    except Exception as e:  # the contract: never raise (bad input is a status, not a crash)
        log.debug("parse failed\n%s", traceback.format_exc())
        return ParsedDocument(parse_status=ParseStatus.ERROR, parse_error=f"{_kind(data, content_type)} parse failed: "
                              f"{type(e).__name__}: {e}", doc_kind=hints.doc_kind or DocKind.OTHER)


def _kind(data: bytes, content_type: str | None) -> str:
    try:
        return sniff(data, content_type)
    except (ExtractError, Exception):
        return "document"


def _parse(data: bytes, content_type: str | None, hints: DocHints, engine: str) -> ParsedDocument:
    text = extract_lines(data, content_type, engine=engine)
    if text.status != ParseStatus.OK:
        return ParsedDocument(parse_status=text.status, parse_error=text.error, pages=text.pages, ocr=text.ocr,
                              doc_kind=hints.doc_kind or DocKind.OTHER)
    parsed, meta, flattened = _records(text, hints)
    if is_get_meeting(data):
        # ModernGov's web service records attendance member by member: use it, not text.
        parsed.attendance = recorded_attendance(data) or parsed.attendance
    parsed.flags = quality_flags(parsed, date_in_text=meta.date_in_text, flattened=flattened)
    return parsed


def _records(text: TextResult, hints: DocHints) -> tuple[ParsedDocument, Meta, bool]:
    lines = unflatten(text.lines)
    meta = read_meta(lines, hints, text.running)
    seg = segment(lines, meta.doc_kind, text.styles)
    refs = [seg.items[o].ref if o is not None else None for o in seg.owner]
    notes = [text.error] if text.error else []
    attendance = _call_optional("attendance", "parse_attendance", notes, lines) if meta.doc_kind != DocKind.REPORT else []
    actions = _call_optional("actions", "find_actions", notes, seg.items, lines)
    return ParsedDocument(
        parse_status=ParseStatus.OK,
        parse_error="; ".join(notes) or None,
        pages=text.pages,
        ocr=text.ocr,
        doc_kind=meta.doc_kind,
        title=meta.title,
        body=meta.body,
        meeting_date=meta.meeting_date,
        start_time=meta.start_time,
        location=meta.location,
        items=seg.items,
        attendance=attendance,
        actions=actions,
        figures=find_figures(lines, refs),
    ), meta, len(lines) != len(text.lines)  # a paragraph was cut into lines


def _call_optional(module: str, func: str, notes: list[str], *args) -> list:
    """Run a parser that lives in its own module (written separately). A missing module or a
    failure in it costs that table only, with a note, not the whole document."""
    import importlib

    try:
        mod = importlib.import_module(f"transform.{module}")
    except ImportError:
        return []
    try:
        return list(getattr(mod, func)(*args))
    except Exception as e:
        notes.append(f"{module} parser failed: {type(e).__name__}: {e}")
        return []
