"""Money and percentages: every £ amount and % in the text, one entry per occurrence.

Values are expanded (£3.7m -> 3700000, £229k -> 229000, £4million -> 4000000), percentages keep
their sign (-5% -> -5, "+3% points" -> 3), a percentage range ("5-10%") gives two entries.
In a table whose column header is "£" the bare amounts below it are money (raw as printed).
Counts, years and other numbers are skipped: only what carries £ or % (or sits under £) counts.
"""
from __future__ import annotations

import re

from kernel.records import FigureUnit, ParsedFigure
from transform.html import strip_tags

MULT = {"k": 1e3, "thousand": 1e3, "m": 1e6, "mn": 1e6, "million": 1e6, "bn": 1e9, "billion": 1e9}
_NUM = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
MONEY = re.compile(
    r"(?P<sign>[-−](?=£))?£\s?(?P<num>" + _NUM + r")"
    r"(?:\s?(?P<mult>k|m|mn|bn|thousand|million|billion)(?![A-Za-z]))?"
)
PERCENT = re.compile(
    r"(?<![\w.,])(?P<sign>(?<![\w)])[-−+](?=\d))?(?P<num>" + _NUM + r")(?P<range>(?:[-–]|\s+to\s+)(?P<num2>\d+(?:\.\d+)?))?"
    r"\s?(?P<pct>%|per\s?cent\b|percent\b)"
)
# a bare amount under a "£" column header
BARE_AMOUNT = re.compile(r"(?<![\w£.,/%-])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d\d)?)(?![\w%,.]\d|%)")
# header cells: "£", "(£)", "£000", "£'000", "£k"
GBP_HEADER = re.compile(r"(?:^|\s|\()£\s?(?:'?000s?|k)?\)?(?=\s|$)")
CONTEXT_WORDS = 4  # words each side: about 8 around the figure


def find_figures(lines: list[str], owner_refs: list[str | None]) -> list[ParsedFigure]:
    """Figures of the whole document; owner_refs[i] is the item ref line i belongs to."""
    out: list[ParsedFigure] = []
    table_left = 0  # lines still inside a "£"-headed table
    for i, line in enumerate(lines):
        ref = owner_refs[i] if i < len(owner_refs) else None
        if _is_gbp_header(line):
            table_left = 40
            continue
        found = _money(line, ref) + _percent(line, ref)
        if table_left:
            if _ends_table(line):
                table_left = 0
            else:
                found += _bare_amounts(line, ref, found)
                table_left -= 1
                if re.match(r"^\s*total\b", line, re.I):
                    table_left = 0
        found.sort(key=lambda f: f[0])
        out.extend(f for _, f in found)
    return out


def _money(line: str, ref: str | None) -> list[tuple[int, ParsedFigure]]:
    out = []
    if "£" not in line:
        return out  # MONEY needs a "£"
    for m in MONEY.finditer(line):
        num = m.group("num")
        if re.fullmatch(r"0+", num):
            continue  # "£000" is a unit label
        value = float(num.replace(",", "")) * MULT.get((m.group("mult") or "").lower(), 1)
        if m.group("sign"):
            value = -value
        out.append((m.start(), _fig(ref, m.group(0).strip(), value, FigureUnit.GBP, line, m.start(), m.end())))
    return out


def _percent(line: str, ref: str | None) -> list[tuple[int, ParsedFigure]]:
    out = []
    if "%" not in line and "per" not in line:
        return out  # PERCENT needs "%", "per cent" or "percent" (case-sensitive)
    for m in PERCENT.finditer(line):
        sign = -1.0 if (m.group("sign") or "") in ("-", "−") else 1.0
        raw = m.group(0).strip()
        if m.group("num2"):  # "5-10%": two figures
            first = m.group("sign") or ""
            out.append((m.start(), _fig(ref, first + m.group("num"), sign * _f(m.group("num")),
                                         FigureUnit.PERCENT, line, m.start(), m.end())))
            out.append((m.start("num2"), _fig(ref, line[m.start("num2"):m.end()].strip(), _f(m.group("num2")),
                                              FigureUnit.PERCENT, line, m.start(), m.end())))
            continue
        out.append((m.start(), _fig(ref, raw, sign * _f(m.group("num")), FigureUnit.PERCENT, line, m.start(), m.end())))
    return out


def _bare_amounts(line: str, ref: str | None, found: list) -> list[tuple[int, ParsedFigure]]:
    taken = {pos for pos, _ in found}
    out = []
    # a row of the table: amounts with thousands separators, or a line of numbers only
    numbers_only = re.fullmatch(r"\s*(?:\d[\d,]*(?:\.\d+)?\s*)+", line) is not None
    pat = re.compile(r"(?<![\w£.,/%-])(?P<num>\d[\d,]*(?:\.\d\d)?)(?![\w%])") if numbers_only else BARE_AMOUNT
    for m in pat.finditer(line):
        if m.start() in taken or m.start() - 1 in taken:
            continue
        num = m.group("num").rstrip(",")
        out.append((m.start(), _fig(ref, num, _f(num), FigureUnit.GBP, line, m.start(), m.end())))
    return out


def _is_gbp_header(line: str) -> bool:
    """A header row naming £ as the unit with no amount in it ("£ £", "Amount (£)", "£000")."""
    return "£" in line and bool(GBP_HEADER.search(line)) and not MONEY.search(line.replace("£000", "").replace("£'000", ""))


def _ends_table(line: str) -> bool:
    return bool(re.match(r"^\d{1,3}\.\s+[A-Z]", line)) or len(line) > 400


def _f(num: str) -> float:
    return float(num.replace(",", ""))


def _fig(ref, raw, value, unit, line, start, end) -> ParsedFigure:
    return ParsedFigure(item_ref=ref, raw=raw, value=value, unit=unit, context=context(line, start, end))


def context(line: str, start: int, end: int) -> str:
    """About 8 words around line[start:end], from the tag-stripped line."""
    before = _last_words(strip_tags(line[:start]), CONTEXT_WORDS)
    after = re.match(r"\S*(?:\s+\S+){0,%d}" % CONTEXT_WORDS, strip_tags(line[end:])).group(0)
    return " ".join((before + line[start:end] + after).split())


_WORD = re.compile(r"\S+")


def _last_words(s: str, n: int) -> str:
    """The text from the start of the n-th last word to the end, as
    ``re.search(r"(?:\\S+\\s*){0,n}$", s).group(0)`` gives it, without that search's quadratic
    backtracking on long paragraphs (it was the figures parser's main cost): look at a tail of the
    string, widened until it holds more than n word starts (so none of the n is cut)."""
    k = 160
    while True:
        tail = s[-k:] if k < len(s) else s
        starts = [m.start() for m in _WORD.finditer(tail)]
        if len(starts) > n or tail is s or k >= len(s):
            break
        k *= 4
    if not starts:
        return tail[len(tail):]
    return tail[starts[-n] if len(starts) >= n else starts[0]:]

