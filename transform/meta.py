"""Document-level facts: kind, body, meeting date, start time, venue, title.

What the document itself says wins; DocHints (from the publisher's listing) fill the gaps,
e.g. the year of "Wednesday 21st June" or the kind of a document that names none.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kernel.records import DocHints, DocKind
from transform.dates import find_dates, find_time, first_date, year_from_url
from transform.names import LIST_TITLE

HEAD_LINES = 15  # the title block of a paper is within its first lines (after header removal)


@dataclass(slots=True)
class Meta:
    doc_kind: DocKind
    body: str | None
    meeting_date: dt.date | None
    start_time: str | None
    location: str | None
    title: str | None
    date_in_text: bool = True  # False: the date came from the listing (or there is none)


def read_meta(lines: list[str], hints: DocHints, running: list[str] | None = None) -> Meta:
    head = lines[:HEAD_LINES]
    kind = doc_kind(lines, hints)
    date_idx, date = meeting_date(head, hints, lines)
    return Meta(
        date_in_text=date_idx is not None,
        doc_kind=kind,
        body=body_name(head, running or [], hints),
        meeting_date=date,
        start_time=start_time(head, date_idx),
        location=location(head, date_idx),
        title=title(head, hints),
    )


# --------------------------------------------------------------------------------------
# kind
# --------------------------------------------------------------------------------------

MINUTES_TITLE = re.compile(
    r"^(?:\W*)(?:draft\s+|confirmed\s+|unconfirmed\s+)?(?:minutes|notes)(?:\s+of\s+(?:the\s+)?(?:a\s+)?(?:\w+\s+)?meeting\b|$)"
    r"|^minutes\b|\bnotes of (?:the )?meeting\b|\bminutes of (?:the )?(?:\w+ )?meeting\b",
    re.I,
)
# ModernGov meeting pages: "Agenda and minutes", "Agenda and draft minutes", "Agenda, decisions and minutes"
AGENDA_AND_MINUTES = re.compile(r"^(?:\W*)(?:agendas?,?\s+meetings\s+and\s+minutes\s+-\s+)?agenda(?:,\s*decisions)?\s+and\s+(?:draft\s+)?minutes\s*$", re.I)
# A record of what happened: apologies received, minutes labels ("Minutes:"), labelled actions.
RECORD_MARK = re.compile(r"\bapolog(?:ies|y)(?:\s+for\s+absence)?\s+(?:were|was|had\s+been)\s+(?:received|accepted|given|noted|tendered)\b", re.I)
# "AGENDA ITEM 3" heads each paper of a board pack (minutes included): it is not an agenda's title.
AGENDA_TITLE = re.compile(r"^(?:\W*)(?:agenda(?!\s+item\b)|summons and agenda|agenda (?:pack|papers?))\b", re.I)
# An agenda's own entries ("3. Minutes of the last meeting") name other documents.
LIST_ENTRY = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-z][.)]|[•\-–])\s")
REPORT_MARK = re.compile(
    r"^(?:purpose of (?:the )?report|report (?:of|to|by|from)\b|report title\b|executive summary$|"
    r"recomm?end?ations?:?$|financial implications$)",
    re.I,
)
# An attendance label, not a sentence that starts with the word ("Attendees must ensure …").
ATTENDANCE_MARK = re.compile(
    r"^(?:(?:main\s+)?(?:panel\s+)?members\s+present|present|attendees|attendance|in attendance|also (?:present|attended))"
    rf"(?:\s*:|\s*$|\s+(?={LIST_TITLE}\b))", re.I)
# Sentences of a record in the past tense; an agenda has few or none.
PAST_TENSE = re.compile(r"\b(?:resolved|was|were|had|agreed|welcomed|noted that)\b", re.I)
NUMBERED_PARA = re.compile(r"^\d{1,3}\.\s+\S")


def doc_kind(lines: list[str], hints: DocHints) -> DocKind:
    head = lines[:HEAD_LINES]
    minutes_title = any(MINUTES_TITLE.search(ln) and len(ln.split()) <= 14 and not LIST_ENTRY.match(ln)
                        for ln in head)
    agenda_title = any(AGENDA_TITLE.match(ln) for ln in head)
    attendance = any(ATTENDANCE_MARK.match(ln) for ln in lines[:60])
    if minutes_title or (attendance and not agenda_title) or any(AGENDA_AND_MINUTES.match(ln) for ln in head):
        return DocKind.MINUTES
    if not agenda_title and any(RECORD_MARK.search(ln) for ln in lines[:80]):
        return DocKind.MINUTES  # no title block, but the text records the meeting
    # counted over every line, so only once minutes are ruled out; "Report of X" under an
    # agenda entry names the presenter of an item, it is not a report's title block
    report_marks = sum(bool(REPORT_MARK.match(ln.strip())) and not _under_entry(lines, i) for i, ln in enumerate(lines))
    if agenda_title:
        # an agenda followed by the papers themselves is a pack (a pack opens with its agenda,
        # so the publisher's "reports pack" label settles a short one)
        pack = report_marks >= 2 or len(lines) > 400 or hints.doc_kind == DocKind.PACK
        return DocKind.PACK if pack else DocKind.AGENDA
    if report_marks >= 2 or (report_marks == 1 and sum(bool(NUMBERED_PARA.match(ln)) for ln in lines) >= 3):
        return DocKind.REPORT
    return hints.doc_kind or (DocKind.AGENDA if _agenda_shaped(lines) else DocKind.OTHER)


def _under_entry(lines: list[str], i: int) -> bool:
    return any(LIST_ENTRY.match(ln) or NUMBERED_PARA.match(ln) for ln in lines[max(0, i - 2):i])


def _agenda_shaped(lines: list[str]) -> bool:
    """A list of numbered items with (almost) no record of what happened: an agenda whose title
    block does not say so (an OPCC page listing a board's agenda, a pack's front page)."""
    from transform.item_heads import find_heads

    heads = find_heads(lines)
    return len(heads) >= 3 and sum(bool(PAST_TENSE.search(ln)) for ln in lines) <= 1


# --------------------------------------------------------------------------------------
# date, time, venue
# --------------------------------------------------------------------------------------

DATE_LABEL = re.compile(r"\b(?:date(?: of meeting)?|meeting (?:held )?on|held on|meeting date)\b", re.I)
# dates that are not the meeting's own: earlier minutes, deadlines, publication
NOT_MEETING = re.compile(r"\b(?:previous|last|circulated|published|dated|deadline|issued|printed)\b", re.I)


def meeting_date(head: list[str], hints: DocHints, lines: list[str] | None = None) -> tuple[int | None, dt.date | None]:
    """(line index, date) of the meeting the document is about."""
    year = _context_year(head, hints, lines)
    best: tuple[int, int, dt.date] | None = None  # (rank, index, date)
    first_dated: int | None = None
    for i, ln in enumerate(head):
        for fd in find_dates(ln, default_year=year):
            if fd.date is None:
                continue
            if not fd.has_year and hints.meeting_date and (fd.month, fd.day) == (hints.meeting_date.month, hints.meeting_date.day):
                fd.date = hints.meeting_date
            rank = _date_rank(ln, i, fd, first_dated)
            first_dated = i if first_dated is None else first_dated
            if best is None or (rank, i) < best[:2]:
                best = (rank, i, fd.date)
    deadline = _from_deadline(lines or head)
    if deadline is not None and (best is None or best[0] >= 3):
        return (best[1] if best else None), deadline
    if best is not None:
        return best[1], best[2]
    return None, hints.meeting_date


# A start time printed right after the date: "Monday, 1 December 2025 2.00 pm", "… 2019 at 10am".
TIME_AFTER = re.compile(r"^[\s,]{0,3}(?:at\s+)?\d{1,2}(?:[.:]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)", re.I)
# A date of another meeting's record: "To confirm the Minutes … from the meeting on the 7th June".
OTHER_RECORD = re.compile(r"\b(?:minutes|notes|actions?)\b", re.I)


def _date_rank(line: str, i: int, fd, first_dated: int | None) -> int:
    """0 is the surest sign of the meeting's own date. A date with its start time beside it is
    the meeting's (ModernGov page titles, flattened title blocks); then the title block's first
    date or a labelled one; dates of other meetings' minutes, deadlines and publication last
    ("The Minutes of the Meeting held on 18 June 2019": a label does not make an earlier
    meeting's date this one's)."""
    if TIME_AFTER.match(line[fd.end:]):
        return 0
    if NOT_MEETING.search(line) or (i > 3 and OTHER_RECORD.search(line)):
        return 5
    labelled = DATE_LABEL.search(line[: fd.start + 1]) is not None
    if i <= 4:
        return 1 if labelled else (2 if first_dated is None else 4)
    return 3 if labelled else 4


# ModernGov pages: "... no later than 9.00am on the working day before the meeting (in this case
# Friday 12 June 2020)": the meeting is the next working day after that date.
DEADLINE = re.compile(r"working\s+day\s+before\s+the\s+meeting\s*\(\s*in\s+this\s+case\s+([^)]*)\)", re.I)


def _from_deadline(lines: list[str]) -> dt.date | None:
    for ln in lines[:120]:
        m = DEADLINE.search(ln)
        if m:
            d = first_date(m.group(1))
            if d is None:
                return None
            d += dt.timedelta(days=1)
            while d.weekday() >= 5:
                d += dt.timedelta(days=1)
            return d
    return None


def _context_year(head: list[str], hints: DocHints, lines: list[str] | None = None) -> int | None:
    """Year for a date printed without one: the listing's date, else the URL slug, else any
    full date near the top, else the year that puts the meeting closest to the full dates the
    document mentions (the previous meeting, decisions due soon)."""
    if hints.meeting_date:
        return hints.meeting_date.year
    y = year_from_url(hints.url)
    if y:
        return y
    for ln in head:
        for fd in find_dates(ln):
            if fd.has_year and fd.date:
                return fd.date.year
    if not lines:
        return None
    yearless = [fd for ln in head for fd in find_dates(ln) if not fd.has_year]
    mentioned = [fd.date for ln in lines[:200] for fd in find_dates(ln) if fd.has_year and fd.date]
    if not yearless or not mentioned:
        return None
    m, d = yearless[0].month, yearless[0].day
    best = None
    for year in sorted({x.year for x in mentioned} | {x.year + 1 for x in mentioned} | {x.year - 1 for x in mentioned}):
        try:
            cand = dt.date(year, m, d)
        except ValueError:
            continue
        cost = sum(abs((cand - x).days) for x in mentioned)
        if best is None or cost < best[0]:
            best = (cost, year)
    return best[1] if best else None


TIME_LABEL = re.compile(r"^\s*(?:time|start(?:ing)? time|commencing)\s*[:\-–]?\s*", re.I)


def start_time(head: list[str], date_idx: int | None) -> str | None:
    """The time on the date line or just after it, or on a "Time:" line."""
    order = []
    if date_idx is not None:
        order += [date_idx, date_idx + 1, date_idx + 2]
    order += [i for i, ln in enumerate(head) if TIME_LABEL.match(ln)]
    for i in order:
        if 0 <= i < len(head):
            ln = head[i]
            if i != date_idx and not TIME_LABEL.match(ln) and len(ln.split()) > 6:
                continue  # prose, not a header line
            t = find_time(_strip_dates(ln) if i == date_idx else ln)
            if t:
                return t
    return None


def _strip_dates(line: str) -> str:
    for fd in reversed(find_dates(line, default_year=2000)):
        line = line[: fd.start] + " " + line[fd.end :]
    return line


VENUE_LABEL = re.compile(r"^\s*(?:venue|location|place|held at)\s*[:\-–]\s*(.+)$", re.I)
VENUE_WORDS = re.compile(
    r"\b(?:room|house|hall|centre|center|chamber|suite|offices?|building|hq|headquarters|park|"
    r"hindlip|virtual|teams|zoom|online|via|council|civic|court|library|station|hotel|street|road)\b",
    re.I,
)


def location(head: list[str], date_idx: int | None) -> str | None:
    for ln in head:
        m = VENUE_LABEL.match(ln)
        if m:
            return m.group(1).strip()
    if date_idx is None:
        return None
    for i in (date_idx + 1, date_idx + 2):
        if i < len(head):
            ln = head[i].strip()
            if (VENUE_WORDS.search(ln) and len(ln.split()) <= 12 and not ln.endswith(".")
                    and not ATTENDANCE_MARK.match(ln) and not find_dates(ln)):
                return ln
    # "... held on <date> at <venue>"
    m = re.search(r"\bat\s+([A-Z][^,.;]{3,80})$", head[date_idx])
    if m and VENUE_WORDS.search(m.group(1)):
        return m.group(1).strip()
    return None


# --------------------------------------------------------------------------------------
# body, title
# --------------------------------------------------------------------------------------

BODY_WORDS = re.compile(r"\b(board|panel|committee|commission|sub-committee|forum|group|council)\b", re.I)


def body_name(head: list[str], running: list[str], hints: DocHints) -> str | None:
    """The meeting body as printed: a running header naming a board/panel, or a title line."""
    for ln in [*running, *head[:6]]:
        s = re.sub(r"\s+", " ", ln).strip()
        if not BODY_WORDS.search(s) or len(s.split()) > 10 or find_dates(s) or re.search(r"\d", s):
            continue
        s = re.sub(r"^(?:minutes|notes|agenda)\s+(?:of\s+(?:the\s+)?(?:meeting\s+of\s+(?:the\s+)?)?)?", "", s, flags=re.I)
        return _smart_case(s)
    return hints.body


SMALL = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "&"}


def _smart_case(s: str) -> str:
    """'STRATEGIC POLICING AND CRIME BOARD' -> 'Strategic Policing and Crime Board'."""
    if s.upper() != s:
        return s
    words = s.lower().split()
    return " ".join(w if (k and w in SMALL) else w[:1].upper() + w[1:] for k, w in enumerate(words))


def title(head: list[str], hints: DocHints) -> str | None:
    return hints.title
