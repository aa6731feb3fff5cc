"""Item heads: the lines where minute entries and agenda items start.

Several numbering styles exist ("109/19", "305", "Item 3", "Ref 01/18/01/2022"); numbers that are
really list entries ("1. Will the Chief Constable ...") are told apart by picking, per style, the
longest run of consecutive numbers and then the style with the most heads. Agendas add lettered
sub-items ("a) Budget"); a paper that prints no numbers gives its headings (synthetic refs S1, S2).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from transform.item_titles import clean_title, heading_like, sentence_like

@dataclass(slots=True)
class Head:
    line: int
    ref: str
    key: tuple  # for the "consecutive numbers" test
    rest: str  # the line after the number
    style: str


_DASH = r"[–—\-:.]"
STYLES: list[tuple[str, re.Pattern]] = [
    # 109/19, 12/2021 (not a date: no third part)
    ("slash", re.compile(r"^(?:minute\s+|min\.?\s*)?(\d{1,4})/(\d{2,4})(?![/\d])\s*[.:]?\s*(.*)$", re.I)),
    # Ref 01/18/01/2022, Ref/01/22/08/2024: item number / meeting date
    ("ref", re.compile(r"^ref\s*[/.:]?\s*(\d{1,3})/(\d{1,2}/\d{1,2}/\d{2,4})\b\s*" + _DASH + r"?\s*(.*)$", re.I)),
    # Item 3, Agenda item 4a
    ("item", re.compile(r"^(?:agenda\s+)?item\s+(?:no\.?\s*)?(\d{1,3})([a-z]?)\b\s*" + _DASH + r"?\s*(.*)$", re.I)),
    # 305 Welcome ..., 4. Apologies, 12a) Budget; or the number alone on its line with the
    # heading below it (ModernGov pages: "103." / "Welcome and Introductions")
    # ModernGov sub-items "1(1)", "1(2)"
    ("num", re.compile(r"^(\d{1,4})([a-zA-Z]?|\(\d{1,2}\))(?:(?:[.)]|\s)\s*([A-Z(\"'‘“].*)|\.?\s*)$")),
]
PRIORITY = {"slash": 0, "ref": 1, "item": 2, "num": 3}


def find_heads(lines: list[str]) -> list[Head]:
    """The minute/agenda item heads, in line order."""
    best: list[Head] = []
    for style, pat in STYLES:
        cands = [h for i, ln in enumerate(lines) if (h := _cand(style, pat, i, ln, lines))]
        # "Item N" at a line start is explicit enough to need no consecutive run
        chain = cands if style == "item" else _longest_run(cands, style)
        if _better(chain, best):
            best = chain
    return best if _enough(best) else []


def _cand(style: str, pat: re.Pattern, i: int, line: str, lines_ctx: list[str] | None = None) -> Head | None:
    m = pat.match(line.strip())
    if not m:
        return None
    a, b = m.group(1), m.group(2)
    rest = (m.group(3) or "").strip()
    if style == "num" and not rest and not _heading_below(lines_ctx, i):
        return None  # a bare number is a head only when a heading follows it
    if style == "slash":
        prefix = _ref_prefix(lines_ctx, i)
        return Head(i, f"{prefix}{a}/{b}", (int(b), int(a), ""), rest, style)
    if style == "ref":
        return Head(i, f"{a}/{b}", (b, int(a), ""), rest, style)
    if style == "num" and (len(a) == 4 and 1900 <= int(a) <= 2100):
        return None  # a year starting a sentence
    if style == "num" and rest.startswith("("):
        rest = re.sub(r"^\(\d{1,3}\)\s*", "", rest)  # the agenda number after the minute's: "494 (5) POLICE …"
    sub = b.lower() if not b.startswith("(") else f"({int(b[1:-1]):02d})"
    return Head(i, f"{a}{b}", ("", int(a), sub), rest, style)


def _ref_prefix(lines: list[str] | None, i: int) -> str:
    """A committee prefix printed above the minute number ("PCP" / "1/21"): part of the ref."""
    if lines and i > 0 and re.fullmatch(r"[A-Z]{2,5}", lines[i - 1].strip()):
        return lines[i - 1].strip() + " "
    return ""


def _heading_below(lines: list[str] | None, i: int) -> bool:
    """Is the line after a bare number a heading (short, capitalised, not a sentence)?"""
    if not lines or i + 1 >= len(lines):
        return False
    nxt = lines[i + 1].strip()
    return bool(nxt) and heading_like(nxt, max_words=30) and not re.match(r"^\d", nxt)


def _longest_run(cands: list[Head], style: str) -> list[Head]:
    """Longest chain of candidates (in line order) where each follows the one before, the
    earliest on ties. A head follows another of the same series (slash refs: the same year)
    numbered one or two less (a number may be skipped), or of the same number with an earlier
    letter (9a, 9b). Predecessors are looked up by number, so a page with thousands of
    numbered lines costs linear time, not quadratic."""
    if not cands:
        return []
    best: dict[tuple, dict[str, tuple[int, int]]] = {}  # (series, number) -> letter -> (length, index)
    length = [1] * len(cands)
    back = [-1] * len(cands)
    for j, c in enumerate(cands):
        series, number, letter = (c.key[0] if style == "slash" else ""), c.key[1], c.key[2]
        options = [v for n in (number - 1, number - 2) for v in best.get((series, n), {}).values()]
        if letter:
            options += [v for lt, v in best.get((series, number), {}).items() if lt < letter]
        if options:
            size, i = max(options, key=lambda v: (v[0], -v[1]))
            length[j], back[j] = size + 1, i
        seen = best.setdefault((series, number), {})
        if letter not in seen or length[j] > seen[letter][0]:
            seen[letter] = (length[j], j)
    j = max(range(len(cands)), key=lambda k: (length[k], -k))
    chain = []
    while j != -1:
        chain.append(cands[j])
        j = back[j]
    return chain[::-1]


def _better(chain: list[Head], best: list[Head]) -> bool:
    if not chain:
        return False
    if not best:
        return True
    if len(chain) != len(best):
        return len(chain) > len(best)
    return PRIORITY[chain[0].style] < PRIORITY[best[0].style]


def _enough(chain: list[Head]) -> bool:
    if not chain:
        return False
    if chain[0].style in ("slash", "ref", "item"):
        return True
    # bare numbers: a lone "3 Something" is too weak, unless it is a minute-sized number
    return len(chain) >= 2 or chain[0].key[1] >= 100


# --------------------------------------------------------------------------------------
# lettered sub-items and unnumbered headings
# --------------------------------------------------------------------------------------

LETTERED = re.compile(r"^\(?([a-z])\)\s+(\S.*)$")


def with_lettered_sub_items(lines: list[str], heads: list[Head]) -> list[Head]:
    """Add agenda sub-items printed "a) Title", "b) Title" … (d15, d16) under the numbered item
    they follow: ref "9a". When the numbering skips the parent ("2", a–m, "4"), the parent's
    line is missing from the page and the printed letter is the ref."""
    at_line = {h.line for h in heads}
    out = list(heads)
    bounds = [h.line for h in heads] + [len(lines)]
    for k, h in enumerate(heads):
        run = _letter_run(lines, h.line + 1, bounds[k + 1], at_line)
        if not run:
            continue
        nxt = heads[k + 1] if k + 1 < len(heads) else None
        parent_missing = nxt is not None and nxt.key[0] == h.key[0] and nxt.key[1] - h.key[1] == 2
        for i, letter, rest in run:
            ref = letter if parent_missing else f"{h.ref}{letter}"
            out.append(Head(i, ref, (h.key[0], h.key[1], letter), rest, "letter"))
    return sorted(out, key=lambda h: h.line)


def _letter_run(lines: list[str], start: int, end: int, taken: set[int]) -> list[tuple[int, str, str]]:
    """Lines "a) …", "b) …" in sequence from "a", each a heading rather than a sentence."""
    run: list[tuple[int, str, str]] = []
    for i in range(start, end):
        m = LETTERED.match(lines[i].strip())
        if not m or i in taken:
            continue
        letter, rest = m.group(1), m.group(2)
        expected = chr(ord(run[-1][1]) + 1) if run else "a"
        title = clean_title(rest)
        if (letter != expected or not title[:1].isalnum() or len(title.split()) > 25
                or rest.rstrip().endswith((";", ",", "?")) or sentence_like(title.split())):
            continue
        run.append((i, letter, rest))
    return run if len(run) >= 2 else []


# The end of a ModernGov meeting page's header ("No. Item", "Items"); a labelled line of a title
# or attendance block ("Present:", "Officer Attendance:", "Venue: …").
TABLE_HEADER = re.compile(r"^(?:no\.?\s+item|items?|item\s+description(?:\s+decision)?)\s*$", re.I)
BLOCK_LABEL = re.compile(r"^[A-Z][A-Za-z’' /]{1,30}:(?:\s|$)")
FILE_RESIDUE = re.compile(r"\s*(?:pdf|word|excel)\s+icon\s+\w+\s+[\d.,]+\s*[KM]B\s*$", re.I)


def unnumbered_heads(lines: list[str]) -> list[Head]:
    """Headings of a paper that prints no item numbers (ModernGov pages without numbers,
    partnership minutes): short capitalised lines, after the title and attendance block, each
    followed by text. Refs are synthetic: S1, S2, …"""
    start = _after_title_block(lines)
    found = [i for i in range(start, len(lines) - 1) if _unnumbered_heading(lines, i)]
    if len(found) < 2:
        return []
    return [Head(i, f"S{n + 1}", ("S", n + 1, ""), lines[i], "heading") for n, i in enumerate(found)]


def _after_title_block(lines: list[str]) -> int:
    top = lines[:40]
    for i, ln in enumerate(top):
        if TABLE_HEADER.match(ln.strip()):
            return i + 1
    labelled = [i for i, ln in enumerate(top) if BLOCK_LABEL.match(ln.strip())]
    return labelled[-1] + 1 if labelled else min(2, len(lines))


# An attendance entry, "Rachel Jones (RJ) Assistant Chief Constable": a person, not a heading.
PERSON_ENTRY = re.compile(r"^[A-Z][\w’'\-]+(?:\s+[A-Z][\w’'\-]+){1,3}\s*\([A-Z]{2,4}\)")


def _unnumbered_heading(lines: list[str], i: int) -> bool:
    s = FILE_RESIDUE.sub("", lines[i].strip())
    if not s or not s[:1].isupper() or s.endswith((".", ":", ";", ",")) or ": " in s or MARKER.match(s):
        return False
    if PERSON_ENTRY.match(s):
        return False
    if len(s.split()) > 14 or not heading_like(s, max_words=14) or sentence_like(s.split()):
        return False
    if FILE_RESIDUE.search(lines[i]):
        return True  # a ModernGov heading links its paper: "Draft Agreement pdf icon PDF 37 KB"
    nxt = lines[i + 1].strip()
    return bool(nxt) and (BLOCK_LABEL.match(nxt) is not None or nxt.endswith((".", ":")) or len(nxt.split()) > 14)


# A handling marker printed on its own line above a heading; never a title.
MARKER = re.compile(r"^\W*(?:private\s+and\s+confidential|confidential|not\s+for\s+publication|exempt|restricted|"
                    r"official(?:[\s-]+sensitive)?|part\s+(?:i|ii|1|2|a|b))\W*$", re.I)
