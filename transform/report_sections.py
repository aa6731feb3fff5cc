"""Report sections: the items of a report are its top-level headings (synthetic refs S1, S2,
...): headings in the largest heading font where the engine gives sizes, else capitalised
headings, "Section N" labels and the usual report section names; sub-headings are not items."""
from __future__ import annotations

import re

from kernel.records import ParsedItem

Style = tuple  # (font size | None, bold) per line, from transform.text

SECTION_LABEL = re.compile(r"^(?:section|part)\s+(\d{1,2}|[IVX]{1,4})\b\s*[.:–—\-]?", re.I)
STANDARD_SECTIONS = re.compile(
    r"^(?:purpose(?: of (?:the )?report)?|executive summary|summary|introduction|background|"
    r"recomm?end?ations?|financial implications|legal implications|equalit(?:y|ies) implications|"
    r"(?:human resources?|hr|risk|environmental|policy) implications|conclusions?|next steps|"
    r"consultation|risks?(?: management)?|appendi(?:x|ces)(?:\s+\w+)?|contact officers?|background papers)\s*:?$",
    re.I,
)
NUMBERED_PARA = re.compile(r"^\d{1,3}\.\s+\S")


def sections(lines: list[str], styles: list[Style] | None) -> tuple[list[ParsedItem], list[int | None]]:
    """The report's sections as items, and the section each line belongs to."""
    heads = _section_heads(lines, styles)
    owner: list[int | None] = [None] * len(lines)
    items = []
    for n, i in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        for k in range(i, end):
            owner[k] = n
        items.append(ParsedItem(ref=f"S{n + 1}", title=lines[i].strip(),
                                text="\n".join(lines[i + 1:end])))
    return items, owner


def _section_heads(lines: list[str], styles: list[Style] | None) -> list[int]:
    top = _top_heading_size(lines, styles)
    if top is not None:
        heads = [i for i, ln in enumerate(lines) if styles[i][0] == top and len(ln.split()) <= 14]
    else:
        heads = [i for i, ln in enumerate(lines) if _is_top_heading(lines, i)]
    # Skip the title block: top-level headings start at the first one that introduces text.
    while heads and not _introduces_text(lines, heads[0]):
        heads.pop(0)
    heads += _missing_sections(lines, heads, styles)
    return sorted(set(heads))


def _top_heading_size(lines: list[str], styles: list[Style] | None) -> float | None:
    """The font size of top-level headings: the largest size used by at least two short
    stand-alone lines (a one-off larger size is the document title)."""
    if not styles:
        return None
    sizes = [st[0] for st in styles if st[0]]
    if not sizes:
        return None
    body = max(set(sizes), key=sizes.count)
    counts: dict[float, int] = {}
    for ln, (size, _bold) in zip(lines, styles):
        if size and size > body * 1.03 and _is_stand_alone(ln, loose=True):
            counts[size] = counts.get(size, 0) + 1
    tiers = sorted((sz for sz, c in counts.items() if c >= 2), reverse=True)
    # Two heading tiers at least, or the one tier is the top level (no sub-headings).
    return tiers[0] if tiers else None


def _heading_styled(styles: list[Style] | None, i: int) -> bool:
    if not styles:
        return True
    sizes = [st[0] for st in styles if st[0]]
    body = max(set(sizes), key=sizes.count) if sizes else None
    size, bold = styles[i]
    return bool(bold) or (size is not None and body is not None and size > body * 1.03)


def _is_stand_alone(line: str, loose: bool = False) -> bool:
    """Could this line be a heading? (`loose`: allow numbers, as in "Section 6. ... 2015/16")"""
    s = line.strip()
    if not (0 < len(s.split()) <= (14 if loose else 12) and s[:1].isalpha() and s[:1].isupper()):
        return False
    return not re.search(r"[,;]$|[^.]\.$", s) and (loose or not re.search(r"\d{2,}|£|%", s))


def _is_top_heading(lines: list[str], i: int) -> bool:
    s = lines[i].strip()
    if SECTION_LABEL.match(s) and len(s.split()) <= 14:
        return True
    if not _is_stand_alone(s):
        return False
    if STANDARD_SECTIONS.match(s):
        return True
    letters = [c for c in s if c.isalpha()]
    return len(letters) >= 6 and all(c.isupper() for c in letters) and len(s.split()) <= 6


def _introduces_text(lines: list[str], i: int) -> bool:
    """A heading is followed by a numbered paragraph, a sub-heading and then one, or prose."""
    for k in range(i + 1, min(i + 3, len(lines))):
        if NUMBERED_PARA.match(lines[k]):
            return True
    nxt = lines[i + 1] if i + 1 < len(lines) else ""
    return STANDARD_SECTIONS.match(lines[i].strip()) is not None or (len(nxt) > 40 and not _is_stand_alone(nxt))


def _missing_sections(lines: list[str], heads: list[int], styles: list[Style] | None) -> list[int]:
    """Where "Section N" labels skip a number, the missing section starts at the first heading
    of the tallest stack of headings between its neighbours (a section heading is followed by
    its sub-headings; sub-sections rarely stack three deep)."""
    labelled = [(i, _section_no(lines[i])) for i in heads if SECTION_LABEL.match(lines[i].strip())]
    found = []
    for (i, a), (j, b) in zip(labelled, labelled[1:]):
        if a is None or b is None or b - a != 2:
            continue
        best, best_h = None, 1
        k = i + 1
        while k < j:
            h = 0
            while (k + h < j and _is_stand_alone(lines[k + h]) and not NUMBERED_PARA.match(lines[k + h])
                   and _heading_styled(styles, k + h)):
                h += 1
            followed = k + h < len(lines) and NUMBERED_PARA.match(lines[k + h])
            if h > best_h and followed and k > i + 1:
                best, best_h = k, h
            k += max(h, 1)
        if best is not None:
            found.append(best)
    return found


def _section_no(line: str) -> int | None:
    m = SECTION_LABEL.match(line.strip())
    if not m:
        return None
    v = m.group(1)
    if v.isdigit():
        return int(v)
    roman = {"I": 1, "V": 5, "X": 10}
    total = 0
    for a, b in zip(v, v[1:] + " "):
        total += -roman[a] if b != " " and roman.get(b, 0) > roman[a] else roman[a]
    return total
