"""Dates and times as printed in UK meeting papers.

"Tuesday, 17 September 2019", "1st March 2016", "Date of meeting – 16 March 2021",
"Wednesday 21st June" (year from context), "10/09/2019" (day first), "17.09.19", "2019-09-17",
"September 17, 2019"; times "11.00 am", "13:30-15:30", "14:00hrs", "2pm".
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

# The project's one month table: every month by the first three letters of its name (what
# ``month_number`` looks up, so "Sept", "June" and "September" all read).
MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}
# A month's name, whole or abbreviated (no group: other modules' patterns use it too).
MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
         r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
# A day's name before a date, with its comma and space ("Tuesday, ", "Wed "); add "?" where optional.
WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)"
ORDINAL = r"(?:st|nd|rd|th)"  # after a day's number: "1st", "21st"
_MON = rf"(?P<mon>{MONTH})\.?"
_DAY = rf"(?P<day>[0-3]?\d){ORDINAL}?"
_WEEKDAY = WEEKDAY + "?"

PATTERNS = [
    # 17 September 2019 / Tuesday, 17th Sept 2019 / 21st June (no year)
    # (a PDF's lost space after an ordinal: "8thNovember 2013")
    re.compile(r"\b" + _WEEKDAY + _DAY + r"(?:(?<=[a-z])\s*|\s+)(?:of\s+)?" + _MON + r"(?:,?\s+(?P<year>\d{4}))?\b", re.I),
    # September 17, 2019
    re.compile(r"\b" + _WEEKDAY + _MON + r"\s+" + _DAY + r",?\s+(?P<year>\d{4})\b", re.I),
    # 2019-09-17
    re.compile(r"\b(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})\b"),
    # 10/09/2019, 10.09.19, 10-09-2019 (UK: day first)
    re.compile(r"(?<![\d/.])(?P<day>\d{1,2})[/.\-](?P<mnum>\d{1,2})[/.\-](?P<year>\d{4}|\d{2})(?![\d/])"),
]


_ANY_DIGIT = re.compile(r"\d")


@dataclass(slots=True)
class FoundDate:
    date: dt.date | None  # None when the year is missing and no default was given
    start: int
    end: int
    has_year: bool
    month: int = 0
    day: int = 0


def find_dates(text: str, default_year: int | None = None) -> list[FoundDate]:
    """Every date in `text`, in order. A date without a year takes `default_year`."""
    if not _ANY_DIGIT.search(text):
        return []  # every pattern needs a digit (its day); most lines of a paper have none
    found: list[FoundDate] = []
    taken: list[tuple[int, int]] = []
    for pat in PATTERNS:
        for m in pat.finditer(text):
            if any(m.start() < e and s < m.end() for s, e in taken):
                continue
            fd = _to_date(m, default_year)
            if fd is not None:
                found.append(fd)
                taken.append((m.start(), m.end()))
    return sorted(found, key=lambda f: f.start)


def _to_date(m: re.Match, default_year: int | None) -> FoundDate | None:
    g = m.groupdict()
    month = month_number(g.get("mon") or "") or 0
    if not month and g.get("mnum"):
        month = int(g["mnum"])
    day = int(g["day"])
    year_s = g.get("year")
    year = int(year_s) if year_s else default_year
    if year is not None and year < 100:
        year += 2000
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if year is None:
        return FoundDate(None, m.start(), m.end(), False, month, day)
    try:
        return FoundDate(dt.date(year, month, day), m.start(), m.end(), bool(year_s), month, day)
    except ValueError:
        return None


def month_number(name: str) -> int | None:
    """'Sept', 'june', 'DECEMBER' -> 9, 6, 12 (by the first three letters); None for no month."""
    return MONTHS.get(name[:3].lower())


def to_date(year: int, month: int | None, day: int) -> dt.date | None:
    """The date, or None when there is none such ("31 June", no month)."""
    try:
        return dt.date(year, month, day) if month else None
    except ValueError:
        return None


def date_of(m: re.Match) -> dt.date | None:
    """The date a match of a listing's date pattern names: groups ``day``, ``year`` and the month
    as ``mon`` (its name) or ``mnum`` (its number); None when it names no real date."""
    g = m.groupdict()
    month = month_number(g["mon"]) if g.get("mon") else int(g["mnum"])
    return to_date(int(g["year"]), month, int(g["day"]))


def first_real_date(pattern: re.Pattern, text: str | None) -> dt.date | None:
    """The first match of ``pattern`` in ``text`` that names a real date (see ``date_of``): how
    the adapters read the dates of their listings, each with its platform's pattern."""
    for m in pattern.finditer(text or ""):
        day = date_of(m)
        if day is not None:
            return day
    return None


def first_date(text: str, default_year: int | None = None) -> dt.date | None:
    for fd in find_dates(text, default_year):
        if fd.date is not None:
            return fd.date
    return None


TIME = re.compile(
    r"(?<![\d/.:])(?P<h>[0-2]?\d)(?:[.:](?P<m>[0-5]\d))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?|hrs|hours|h\b)?"
    r"(?=\s*(?:[-–—]|to\b|,|$|\s|\)))",
    re.I,
)


def find_time(text: str) -> str | None:
    """The first clock time in `text` as "HH:MM" ("11.00 am" -> "11:00", "2pm" -> "14:00")."""
    for m in TIME.finditer(text):
        h, mins, ampm = int(m.group("h")), m.group("m"), (m.group("ampm") or "").lower().replace(".", "")
        if mins is None and ampm not in ("am", "pm"):
            continue  # a bare number is not a time
        if mins is not None and not ampm and ":" not in m.group(0) and "." in m.group(0):
            # "11.00" alone could be money or a section number; accept only in a time context
            if not re.search(r"\b(time|start|from|at)\b", text[: m.start()], re.I):
                continue
        if ampm == "pm" and h < 12:
            h += 12
        if ampm == "am" and h == 12:
            h = 0
        if h > 23:
            continue
        return f"{h:02d}:{int(mins or 0):02d}"
    return None


def year_from_url(url: str | None) -> int | None:
    """'wmgb-june-2023-minutes' -> 2023."""
    if not url:
        return None
    years = re.findall(r"(?<!\d)(20\d\d|19\d\d)(?!\d)", url)
    return int(years[-1]) if years else None
