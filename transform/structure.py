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
from dataclasses import dataclass

FLAT = 400  # a "line" this long holds a paragraph, and possibly a whole flattened paper

LABEL = re.compile(
    r"(?<=\s)(?:(?:ALSO\s+PRESENT|IN\s+ATTENDANCE|PRESENT|APOLOGIES(?:\s+FOR\s+ABSENCE)?)\s*:"
    r"|(?:(?:Main\s+)?(?:Panel\s+)?Members|Officers|Others|Also)\s+Present\b\s*:?"
    r"|(?:In\s+Attendance|Apologies(?:\s+for\s+absence)?)\s*:)"
)
DOC_WORD = re.compile(r"(?<=\s)(?=(?:AGENDA|MINUTES)\b(?!\s+[A-Z]{2}))")
ITEM_NO = re.compile(r"(?:(?<=\s)|(?<=^))(\d{1,2})\.\s+(?=[A-Z‘'\"(])")
SUB_ITEM = re.compile(r"(?:(?<=\s)|^)([a-m])\)\s+(?=[A-Z‘'\"(\d])")


@dataclass
class Numbering:
    """How far the paragraphs before numbered their items and sub-items: a paper flattened page
    by page goes on with "11. … a) … b)" on one page and "c) … 12. …" on the next."""

    item: int | None = None
    letter: str | None = None


def unflatten(lines: list[str]) -> list[str]:
    """The same text, with every flattened paragraph cut into lines at its structural marks."""
    if not any(len(ln) > FLAT for ln in lines):
        return lines
    out: list[str] = []
    numbering = Numbering()
    for ln in lines:
        out += split_paragraph(ln, numbering) if len(ln) > FLAT else [ln]
    return out


def split_paragraph(text: str, numbering: Numbering | None = None) -> list[str]:
    numbering = numbering or Numbering()
    numbered = _numbered_run(text, numbering.item)
    lettered = _lettered_runs(text, numbering.letter)
    if numbered:
        numbering.item = int(numbered[-1].group(1))
    if lettered:
        numbering.letter = lettered[-1].group(1)
    cuts = {m.start() for m in LABEL.finditer(text)} | {m.start() for m in DOC_WORD.finditer(text)}
    cuts |= {m.start() for m in numbered} | {m.start() for m in lettered}
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


def _numbered_run(text: str, after: int | None) -> list[re.Match]:
    """The run of "N." marks numbered n, n+1, n+2 … in text order that goes on from the
    paragraphs before (from after+1), else the longest run of at least two. Linear: each mark
    extends the longest run ending at the number before it."""
    marks = list(ITEM_NO.finditer(text))
    length, back = [1] * len(marks), [-1] * len(marks)
    ends: dict[int, int] = {}  # number -> index of the mark ending the longest run so far
    for j, m in enumerate(marks):
        n = int(m.group(1))
        i = ends.get(n - 1)
        if i is not None:
            length[j], back[j] = length[i] + 1, i
        if n not in ends or length[j] > length[ends[n]]:
            ends[n] = j
    starts_at = [_run_start(back, j) for j in range(len(marks))]
    going_on = [j for j in range(len(marks)) if after is not None and int(marks[starts_at[j]].group(1)) == after + 1]
    pool = going_on or [j for j in range(len(marks)) if length[j] >= 2]
    if not pool:
        return []
    j = max(pool, key=lambda k: (length[k], -k))
    run = []
    while j != -1:
        run.append(marks[j])
        j = back[j]
    return run[::-1]


def _run_start(back: list[int], j: int) -> int:
    while back[j] != -1:
        j = back[j]
    return j


def _lettered_runs(text: str, after: str | None) -> list[re.Match]:
    """Runs "a) … b) … c)" (each run restarts at "a"; the first may go on from the paragraph
    before: "c) …" after "b)")."""
    out: list[re.Match] = []
    run: list[re.Match] = []
    expected = chr(ord(after) + 1) if after else None
    for m in SUB_ITEM.finditer(text):
        letter = m.group(1)
        if letter == "a":
            run, expected = [m], None
        elif (run and ord(letter) == ord(run[-1].group(1)) + 1) or letter == expected:
            run.append(m)
        else:
            continue
        if letter == expected or len(run) > 2:
            out.append(m)
            expected = chr(ord(letter) + 1)
        elif len(run) == 2:
            out += run
    return out
