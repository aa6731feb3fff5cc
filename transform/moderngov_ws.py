"""ModernGov web-service XML: the primitives for reading it, and its meeting record as rows.

The adapter (extract/adapters/moderngov.py) uses the primitives to discover meetings; the
transform stage uses ``parse_meeting_minutes`` to turn an archived GetMeeting response into
items with their per-item minutes and the recorded attendance. Pure functions of bytes.
"""
from __future__ import annotations

import re

from lxml import etree

from kernel.records import AttendanceStatus, ParsedAttendee, ParsedItem
from transform.html import html_to_text, ws_unescape


class ParseError(ValueError):
    """A response that is not what the platform sends (HTML error page instead of XML, ...)."""


def clean(text: str | None) -> str:
    return " ".join((text or "").split())


_XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, recover=False)


def _xml_root(xml: bytes) -> etree._Element:
    try:
        return etree.fromstring(xml, parser=_XML_PARSER)
    except etree.XMLSyntaxError as e:
        raise ParseError(f"not XML: {e}") from e


# The root element each web-service operation answers with. Anything else (an IIS redirect page
# that happens to be well-formed XML, another operation's answer) is not that operation's answer.
WS_ROOTS = {"GetMeetings": "getmeetings", "GetMeeting": "meeting",
            "GetAllMeetingsByDate": "getmeetingsbydate", "GetCommittees": "committees"}


def _looks_like_html(data: bytes) -> bool:
    head = data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head or b"<body" in head


def ws_answer_problem(data: bytes, operation: str) -> str | None:
    """What is wrong with ``data`` as the answer to ``operation`` (None: it is that answer),
    judged by its root element."""
    expected = WS_ROOTS[operation]
    if not data.strip():
        return f"an empty body, not the {operation} answer"
    try:
        root = _xml_root(data)
    except ParseError:
        what = "an HTML page" if _looks_like_html(data) else "not XML"
        return f"{what}, not the {operation} answer"
    if root.tag != expected:
        return f"XML with root <{root.tag}>, not the <{expected}> of {operation}"
    return None


def expect_root(xml: bytes, operation: str) -> etree._Element:
    """The parsed answer of ``operation``; ParseError if it is anything else."""
    problem = ws_answer_problem(xml, operation)
    if problem:
        raise ParseError(problem)
    return _xml_root(xml)


def child_text(el: etree._Element, tag: str) -> str:
    found = el.find(tag)
    return (found.text or "").strip() if found is not None else ""


_ATTENDANCE = (("apolog", AttendanceStatus.APOLOGIES), ("absent", AttendanceStatus.ABSENT),
               ("in attendance", AttendanceStatus.IN_ATTENDANCE), ("also", AttendanceStatus.IN_ATTENDANCE),
               ("present", AttendanceStatus.PRESENT), ("attended", AttendanceStatus.PRESENT))
_HONORIFIC = re.compile(r"^(?:councillor|cllr\.?|mr\.?|mrs\.?|ms\.?|miss|dr\.?)\s+", re.I)


def attendance_status(raw: str) -> AttendanceStatus | None:
    """ModernGov's attendance words -> status; "Expected" (not yet held) and unknowns -> None."""
    low = raw.lower()
    return next((status for word, status in _ATTENDANCE if word in low), None)


def _item_ref(item: etree._Element) -> str | None:
    # The minute number when minutes exist (what the printed minutes show), else the agenda number.
    ref = child_text(item, "minutesitemnumber") or child_text(item, "fulldisplaynumberformat").rstrip(".")
    return ref or child_text(item, "agendaitemnumber") or None


def parse_meeting_minutes(xml: bytes) -> tuple[list[ParsedItem], list[ParsedAttendee]]:
    """GetMeeting -> agenda items with their minute text, and the recorded attendance."""
    root = _xml_root(xml)
    items = [ParsedItem(_item_ref(it), ws_unescape(child_text(it, "agendaitemtitle")),
                        html_to_text(child_text(it, "minutesnonemptyhtmlbody")))
             for it in root.iter("agendaitem")]
    people = []
    for a in root.iter("attendee"):
        status = attendance_status(a.get("attendance", ""))
        name = _HONORIFIC.sub("", ws_unescape(a.get("name")))
        if status is not None and name:
            people.append(ParsedAttendee(name, ws_unescape(a.get("roledescription")) or None, status))
    return items, people


def is_get_meeting(data: bytes) -> bool:
    """A GetMeeting response: a <meeting> record with its agenda items."""
    head = data[:4096].lstrip()
    return head.startswith(b"<") and b"<meeting" in head and b"<agendaitems" in data


def recorded_attendance(data: bytes) -> list[ParsedAttendee]:
    """The attendance ModernGov records per member (Present / Apologies / ...), in its order.

    Structured, so it beats reading names out of text; "Expected" (a meeting not yet held)
    records nothing."""
    try:
        return parse_meeting_minutes(data)[1]
    except ParseError:
        return []
