"""Re-joining visually wrapped lines into paragraphs, so that downstream parsers see
"109/19 <the whole first paragraph>" on one line. With geometry (pdfium) a line continues the one
before when its first word would not have fitted there; without it (pypdf, OCR), when the line
before is about as long as a full line. Structural marks (item numbers, bullets, labels, a
paragraph gap) always start a new line."""
from __future__ import annotations

import re
from dataclasses import dataclass

from transform.names import LIST_TITLE
from transform.pdf_pages import Line

# A line starting like this begins a new paragraph whatever the geometry says.
STARTER = re.compile(
    r"^(?:[•·▪●◦‣∙\-–*]\s|\(?[0-9]{1,3}[.)]\s|\(?[a-z][.)]\s|\(?[ivx]{1,5}[.)]\s|[IVX]{1,5}\.\s"
    r"|\d{1,4}/\d{2,4}\b|(?:action|decision|resolved|agreed)\b\s*[:\-–]|ref\b)",
    re.I,
)


def unwrap(pages: list[list[Line]]) -> tuple[list[str], list[int], list[tuple[float | None, bool]]]:
    """Join visual lines into paragraphs; returns (lines, index where each page starts,
    style of each line)."""
    flat: list[tuple[int, Line]] = [(pi, ln) for pi, p in enumerate(pages) for ln in p]
    ctx = _Layout(right=_right_margin([ln for _, ln in flat]), pitch=_line_pitch(pages),
                  typical_len=_typical_len([ln for _, ln in flat]), body_h=_body_height(pages))
    out: list[str] = []
    styles: list[tuple[float | None, bool]] = []
    starts: list[int] = []
    prev: Line | None = None
    prev_page = -1
    prev_joined = False  # was `prev` itself a continuation line?
    for pi, ln in flat:
        while len(starts) <= pi:
            starts.append(len(out))
        joined = (prev is not None and bool(out) and _continues(prev, ln, ctx, same_page=pi == prev_page)
                  and not _parallel_entry(out[-1], ln.text) and not (prev_joined and _indent_changes(prev, ln, ctx)))
        if joined:
            out[-1] = _join(out[-1], ln.text)
        else:
            out.append(ln.text)
            styles.append((ln.size, ln.bold))
        prev, prev_page, prev_joined = ln, pi, joined
    while len(starts) < len(pages):
        starts.append(len(out))
    return out, starts, styles


@dataclass(slots=True)
class _Layout:
    right: float | None  # the body text's right margin
    pitch: float | None  # the usual distance between baselines of one paragraph's lines
    typical_len: float  # characters in a full line, for engines without geometry
    body_h: float | None = None  # line height (loose box) of body text, the size `pitch` is for


_WORD_HYPHEN = re.compile(r"[A-Za-z]-$")
_ENDS_SENTENCE = (".", "!", "?")
_ENDS_CLAUSE = (".", ";", ":", "!", "?")
_NUMBERED_HEADING = re.compile(r"\d{1,4}[a-z]?\s+[A-Z]")


def _join(a: str, b: str) -> str:
    if a.endswith("\xad"):
        return a[:-1] + b
    if "-" in a[-2:] and _WORD_HYPHEN.search(a) and b[:1].islower():
        return a + b  # a word broken at its own hyphen: "third-" + "party"
    return a + " " + b


def _right_margin(lines: list[Line]) -> float | None:
    xs = sorted(ln.x1 for ln in lines if ln.x1 is not None)
    if not xs:
        return None
    right = xs[int(len(xs) * 0.95) - 1 if len(xs) > 1 else 0]
    # When hardly any line wraps (short hard-broken lines, a narrow font), the longest lines
    # are not full ones: the margin is then at least most of the width that a right margin
    # mirroring the left one leaves.
    widths = [ln.page_w for ln in lines if ln.page_w]
    lefts = sorted(ln.x0 for ln in lines if ln.x0 is not None)
    if widths and lefts:
        left = lefts[len(lefts) // 20]
        page_w = max(set(widths), key=widths.count)
        if page_w - left > left:
            right = max(right, left + 0.85 * (page_w - 2 * left))
    return right


def _body_height(pages: list[list[Line]]) -> float | None:
    heights = [round(ln.height * 2) / 2 for p in pages for ln in p if ln.height]
    return max(set(heights), key=heights.count) if heights else None


def _indent_changes(prev: Line, ln: Line, ctx: _Layout) -> bool:
    """After a paragraph's second or later line, a line starting at another x is another block
    (a list entry, an indented paragraph), whatever the vertical gap (none at a page break, or
    with paragraphs set without spacing). (A centred paragraph of three lines or more is split
    by this; ragged lines too often look centred to except them.)"""
    if prev.x0 is None or ln.x0 is None or abs(prev.x0 - ln.x0) <= 2.0:
        return False
    if not (ln.text[:1].isupper() or ln.text[:1].isdigit()) or prev.right_limit is not None or ln.right_limit is not None:
        return False  # a sentence running on in lower case; table cells (pdfium merges their lines)
    return True


def _line_pitch(pages: list[list[Line]]) -> float | None:
    """Distance between the lines of one paragraph of body text: the smallest step between
    consecutive body-size lines that is common, not the median step (in a document of mostly
    one-line paragraphs the median is the paragraph gap)."""
    pairs = [(a, b) for p in pages for a, b in zip(p, p[1:])
             if a.last_top is not None and b.top is not None and 0 < b.top - a.last_top < 3 * (a.height or 10)]
    if not pairs:
        return None
    heights = [round(a.height * 2) / 2 for a, _ in pairs if a.height]
    body = max(set(heights), key=heights.count) if heights else None
    steps = sorted(b.top - a.last_top for a, b in pairs
                   if body is None or (abs((a.height or 0) - body) <= 0.5 and abs((b.height or 0) - body) <= 0.5))
    if not steps:
        steps = sorted(b.top - a.last_top for a, b in pairs)
    need = max(3, len(steps) // 12)
    for i, s0 in enumerate(steps):
        group = [s for s in steps[i:] if s <= s0 + 1.0]
        if len(group) >= need and s0 >= 0.9 * (body or 0):
            return group[len(group) // 2]
    return steps[len(steps) // 2]


def _typical_len(lines: list[Line]) -> float:
    """Typical characters per line, for engines without geometry."""
    lens = sorted(len(ln.text) for ln in lines)
    return lens[int(len(lens) * 0.9)] if lens else 80


# A line ending in a word that cannot end a sentence continues on the next line.
DANGLING = re.compile(
    r"\b(and|or|but|nor|the|a|an|of|to|in|on|at|by|for|with|from|that|which|who|whose|when|where|"
    r"there|is|are|was|were|be|been|has|have|had|as|its|their|his|her|our|this|these|those|than|into)$"
)


def _dangles(text: str) -> bool:
    """DANGLING.search(text), on the last 8 characters only: the same answer (its longest word
    has 5 letters, plus a newline before ``$``, so no match can start at the cut, where ``\b``
    would differ), without trying every position of a long line (~6 µs a call)."""
    return DANGLING.search(text[-8:]) is not None


def _jumps_up(prev: Line, ln: Line, same_page: bool) -> bool:
    return same_page and prev.last_top is not None and ln.top is not None and ln.top < prev.last_top


def _continues(prev: Line, ln: Line, ctx: _Layout, same_page: bool) -> bool:
    if STARTER.match(ln.text) or ln.gap_before:
        return False
    if prev.text.rstrip().endswith(":"):
        return False  # a label or lead-in line ("Present:", "It was agreed that:")
    if prev.text.rstrip().endswith(_ENDS_SENTENCE) and _stand_alone(ln.text):
        return False  # "... make sense." + "Knife Crime" / "Additional documents:": a heading or label
    if ln.text[:1].islower() and _dangles(prev.text) and not _jumps_up(prev, ln, same_page):
        return True  # "... in September and" + "responses would ...": one sentence broken apart
    if _gap_breaks(prev, ln, ctx, same_page):
        return False  # a paragraph gap, or a jump to another column/block
    if ln.text[:1].islower() and not prev.text.rstrip().endswith(_ENDS_CLAUSE):
        return True  # a sentence cannot start in lower case: a hard break inside a sentence
    if ctx.right is not None and prev.x1 is not None and ln.first_word_w is not None:
        # It wraps iff the next line's first word would not have fitted on this one.
        space = (prev.height or 10) * 0.3
        limit = prev.right_limit if prev.right_limit is not None else ctx.right
        return prev.x1 + space + ln.first_word_w > limit + 1.0
    # No geometry (pypdf, OCR): guess from lengths against the typical full line.
    if prev.text.rstrip().endswith(_ENDS_SENTENCE) or _NUMBERED_HEADING.match(ln.text):
        return False  # a finished sentence, or what looks like a numbered heading
    first = len(ln.text.split(" ")[0])
    return len(prev.text) + 1 + first > ctx.typical_len * 0.92


SMALL_WORDS = {"and", "of", "the", "for", "in", "on", "to", "a", "an", "at", "by", "with", "&", "-", "–", "/"}
# "Gareth Morris (GM) Chief Superintendent": an attendance entry with the person's initials
NAME_ENTRY = re.compile(r"^(?:[A-Z][\w'’.-]*\s+){1,4}\([A-Z][A-Za-z]{1,4}\)")


def _stand_alone(s: str) -> bool:
    """A short heading ("Killed and Serious Injury Road Collisions") or label ("Minutes:") that
    makes a line of its own: after a finished sentence it starts a new paragraph even where the
    geometry says the line before was full."""
    s = s.strip()
    words = s.split()
    if not words or not s[:1].isupper() or len(words) > 8:
        return False
    if s.endswith(":"):
        return len(words) <= 5
    if re.search(r"[.,;!?]$", s):
        return False
    caps = [w for w in words if w.lower() not in SMALL_WORDS]
    return bool(caps) and sum(w[:1].isupper() or w[:1].isdigit() for w in caps) >= 0.75 * len(caps)


# "Tracey Onslow, Deputy Police and Crime Commissioner": a name, a comma, a capitalised role
NAME_COMMA = re.compile(rf"^(?:{LIST_TITLE}\s+)?[A-Z][a-z'’-]+(?:\s+[A-Z][\w'’-]+){{1,2}},\s+[A-Z]")


def _parallel_entry(para: str, nxt: str) -> bool:
    """Two entries of one list, each "Name (XX) role" or "Name, Role": never one paragraph,
    even where the first ends so near the margin that the second looks like its wrap."""
    return any(p.match(para) and p.match(nxt) for p in (NAME_ENTRY, NAME_COMMA))


def _gap_breaks(prev: Line, ln: Line, ctx: _Layout, same_page: bool) -> bool:
    if not same_page or prev.last_top is None or ln.top is None:
        return False
    gap = ln.top - prev.last_top
    if gap < 0:
        return True
    pitch = ctx.pitch or 1.3 * (prev.height or 10)
    if ctx.pitch and ctx.body_h and prev.height and ln.height and abs(prev.height - ln.height) <= 0.5 \
            and prev.height > ctx.body_h + 0.5:
        pitch *= prev.height / ctx.body_h  # the lines of a larger heading are further apart
    return gap > pitch * 1.1  # measured: lines of a paragraph 13.5-14.3pt apart, paragraphs 16.5+
