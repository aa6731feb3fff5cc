"""Restore the line structure of papers flattened to one paragraph.

Document mirrors and some converters print a whole paper as one run-on paragraph: title block,
"PRESENT: ..." lists, "1. Apologies ... 2. Election of Chairman ..." all on one line (the
development set's d01, d11 and d15 are three bodies' papers of that shape). Every later step
reads lines, so such a paragraph is cut back into lines first, at the marks that begin a line in
a laid-out paper:

* an attendance label ("PRESENT:", "ALSO PRESENT:", "IN ATTENDANCE:", "Members Present:",
  "Officers Present", "Apologies:");
* a capitalised document word standing alone ("AGENDA", "MINUTES of ...");
* the item numbers ("1. Title ... 2. Title ..."): only the longest run of consecutive numbers
  counts, so "1.1" paragraph numbers, "(1)" and stray numbers inside the text stay where they are;
* lettered sub-items ("a) ... b) ... c) ...") in sequence.

Lines of ordinary length are left exactly as they are.
"""
from __future__ import annotations

import re

FLAT = 400  # a "line" this long holds a paragraph, and possibly a whole flattened paper

LABEL = re.compile(
    r"(?<=\s)(?:(?:ALSO\s+PRESENT|IN\s+ATTENDANCE|PRESENT|APOLOGIES(?:\s+FOR\s+ABSENCE)?)\s*:"
    r"|(?:(?:Main\s+)?(?:Panel\s+)?Members|Officers|Others|Also)\s+Present\b\s*:?"
    r"|(?:In\s+Attendance|Apologies(?:\s+for\s+absence)?)\s*:)"
)
DOC_WORD = re.compile(r"(?<=\s)(?=(?:AGENDA|MINUTES)\b(?!\s+[A-Z]{2}))")
ITEM_NO = re.compile(r"(?:(?<=\s)|(?<=^))(\d{1,2})\.\s+(?=[A-Z‘'\"(])")
SUB_ITEM = re.compile(r"(?<=\s)([a-m])\)\s+(?=[A-Z‘'\"(\d])")


def unflatten(lines: list[str]) -> list[str]:
    """The same text, with every flattened paragraph cut into lines at its structural marks."""
    if not any(len(ln) > FLAT for ln in lines):
        return lines
    out: list[str] = []
    for ln in lines:
        out += split_paragraph(ln) if len(ln) > FLAT else [ln]
    return out


def split_paragraph(text: str) -> list[str]:
    cuts = {m.start() for m in LABEL.finditer(text)} | {m.start() for m in DOC_WORD.finditer(text)}
    cuts |= {m.start() for m in _numbered_run(text)}
    cuts |= {m.start() for m in _lettered_runs(text)}
    pieces, last = [], 0
    for at in sorted(cuts - {0}):
        pieces.append(text[last:at].strip())
        last = at
    pieces.append(text[last:].strip())
    return [q for p in pieces if p for q in _divider_off(p)]


# A group divider left at the end of a piece: "… (Research Officer) UNRESTRICTED ITEMS".
TRAILING_DIVIDER = re.compile(r"(?<=[a-z)])\s+((?:[A-Z]{3,}\s+)+[A-Z]{3,})\s*$")


def _divider_off(piece: str) -> list[str]:
    m = TRAILING_DIVIDER.search(piece)
    return [piece[: m.start()], m.group(1)] if m else [piece]


def _numbered_run(text: str) -> list[re.Match]:
    """The longest run of "N." marks numbered n, n+1, n+2 … in text order."""
    marks = list(ITEM_NO.finditer(text))
    best: list[re.Match] = []
    by_number: dict[int, list[re.Match]] = {}
    for m in marks:
        n = int(m.group(1))
        # extend the longest run ending in n-1 before this mark (runs are kept in text order)
        prev = by_number.get(n - 1, [])
        run = prev + [m] if prev and prev[-1].start() < m.start() else [m]
        if len(run) > len(by_number.get(n, [])):
            by_number[n] = run
        if len(run) > len(best):
            best = run
    return best if len(best) >= 2 else []


def _lettered_runs(text: str) -> list[re.Match]:
    """Runs "a) … b) … c)" (each run restarts at "a")."""
    out: list[re.Match] = []
    run: list[re.Match] = []
    for m in SUB_ITEM.finditer(text):
        letter = m.group(1)
        if letter == "a":
            run = [m]
        elif run and ord(letter) == ord(run[-1].group(1)) + 1:
            run.append(m)
        else:
            continue
        if len(run) == 2:
            out += run
        elif len(run) > 2:
            out.append(m)
    return out
