"""Item segmentation: cleaned text lines -> minute entries / agenda items / report sections.

Minutes and agendas: an item starts at a line that begins with a minute number
(``item_heads``); its title is told from the text after it (``item_titles``). Reports: the
top-level headings are the items (``report_sections``).

`segment` also says which item each line belongs to (`owner`), by content: an "It was agreed
that:" list that the converter split around the next item's heading stays with the item it
concludes. Figures and actions use that map.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kernel.records import DocKind, ParsedItem
from transform.item_heads import MARKER, Head, find_heads, unnumbered_heads, with_lettered_sub_items
from transform.item_titles import heading_like, headingless_title, split_title
from transform.report_sections import Style, sections

# --------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Segmentation:
    items: list[ParsedItem]
    owner: list[int | None] = field(default_factory=list)  # per line: index into items, or None


def split_items(lines: list[str], doc_kind: DocKind | str | None) -> list[ParsedItem]:
    """The document's items in order (ParsedItem.text = the item's own lines, "\\n"-joined)."""
    return segment(lines, doc_kind).items


def segment(lines: list[str], doc_kind: DocKind | str | None, styles: list[Style] | None = None) -> Segmentation:
    """Items plus the item each line belongs to. `styles` (font size, bold per line) sharpens
    report headings when the PDF engine provides them."""
    if doc_kind == DocKind.REPORT:
        found, owner = sections(lines, styles if styles and len(styles) == len(lines) else None)
        return Segmentation(items=found, owner=owner)
    heads = find_heads(lines)
    if not heads:
        heads = unnumbered_heads(lines)
    elif doc_kind in (DocKind.AGENDA, DocKind.PACK):
        heads = with_lettered_sub_items(lines, heads)
    if not heads:
        return Segmentation(items=[], owner=[None] * len(lines))
    return _minutes(lines, heads)


# --------------------------------------------------------------------------------------
# minutes assembly
# --------------------------------------------------------------------------------------

AGREED_LEADIN = re.compile(r"\b(?:it was|in summary,? it was|the panel|the board|members)\s+(?:agreed|resolved)(?: that)?:\s*$", re.I)


def _minutes(lines: list[str], heads: list[Head]) -> Segmentation:
    owner: list[int | None] = [None] * len(lines)
    items: list[ParsedItem] = []
    first_text: list[str] = []
    for n, h in enumerate(heads):
        end = heads[n + 1].line if n + 1 < len(heads) else len(lines)
        title, rest = split_title(h.rest)
        nxt = h.line + 1
        while not title and not rest and nxt < end - 1 and MARKER.match(lines[nxt]):
            owner[nxt] = n
            nxt += 1  # "*Private and Confidential*" above the heading
        if not title and not rest and nxt < end and heading_like(lines[nxt], max_words=30):
            title, rest = split_title(lines[nxt])  # number on its own line, heading below it
            owner[nxt] = n
        elif not title and not rest and nxt < end:
            # the heading below ran on into the minute's first sentence (a PDF line that
            # looked wrapped): "Vehicle write-offs (Paper) The paper was circulated ..."
            t2, r2 = split_title(lines[nxt])
            if t2 and r2 and heading_like(t2, max_words=20):
                title, rest = t2, r2
        if not title:
            title = headingless_title(rest)
        items.append(ParsedItem(ref=h.ref, title=title))
        first_text.append(rest)
        for i in range(h.line, end):
            owner[i] = n
    _drop_dividers(lines, heads, owner)
    _reattach_agreed_lists(lines, heads, items, owner)
    bodies: list[list[str]] = [[] for _ in items]
    head_lines = {h.line for h in heads}
    for i, n in enumerate(owner):
        if n is not None and i not in head_lines:
            bodies[n].append(lines[i])
    for n, it in enumerate(items):
        it.text = "\n".join(t for t in [first_text[n], *bodies[n]] if t)
    return Segmentation(items=items, owner=owner)


def _drop_dividers(lines: list[str], heads: list[Head], owner: list[int | None]) -> None:
    """Group dividers ("EMERGING ITEMS") just before a head belong to no item."""
    for h in heads:
        i = h.line - 1
        while i >= 0 and owner[i] is not None and _is_divider(lines[i]):
            owner[i] = None
            i -= 1


def _is_divider(line: str) -> bool:
    if len(line.split()) > 6:
        return False
    letters = [c for c in line if c.isalpha()]
    return bool(letters) and len(line.split()) <= 6 and all(c.isupper() for c in letters)


def _reattach_agreed_lists(lines: list[str], heads: list[Head], items: list[ParsedItem], owner: list[int | None]) -> None:
    """A heading that sits next to an "It was agreed that:" lead-in was misplaced by the
    converter: the list that follows concludes the item before. The new item's own text
    starts at the first line that speaks of its title."""
    for n in range(1, len(heads)):
        h = heads[n]
        before = h.line - 1 >= 0 and _agreed_leadin(lines[h.line - 1] or "")
        after = h.line + 1 < len(lines) and _agreed_leadin(lines[h.line + 1] or "")
        if not (before or after) or split_title(h.rest)[1]:
            continue
        end = heads[n + 1].line if n + 1 < len(heads) else len(lines)
        start = _first_line_about(lines, h.line + 1, end, items[n].title)
        if start is None:
            continue
        for i in range(h.line + 1, start):
            owner[i] = n - 1


def _agreed_leadin(line: str):
    return ":" in line and AGREED_LEADIN.search(line)  # the pattern ends in ":"


def _first_line_about(lines: list[str], start: int, end: int, title: str) -> int | None:
    words = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", title)} - {"and", "the", "for", "with"}
    if not words:
        return None
    for i in range(start, min(end, start + 12)):
        have = {w.lower() for w in re.findall(r"[A-Za-z]{3,}", lines[i])}
        if len(words & have) >= max(1, round(0.6 * len(words))):
            return i
    return None

