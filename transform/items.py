"""Item segmentation: cleaned text lines -> minute entries / agenda items / report sections.

Minutes and agendas: an item starts at a line that begins with a minute number. Several
numbering styles exist ("109/19", "305", "Item 3", "Ref 01/18/01/2022"); numbers that are
really list entries ("1. Will the Chief Constable ...") are told apart by picking, per style, the
longest run of consecutive numbers and then the style with the most heads.

Reports: the top-level headings are the items (synthetic refs S1, S2, ...): capitalised
headings, "Section N" labels and the usual report section names; sub-headings are not items.

`segment` also says which item each line belongs to (`owner`), by content: an "It was agreed
that:" list that the converter split around the next item's heading stays with the item it
concludes. Figures and actions use that map.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from scrutiny.records import DocKind, ParsedItem
from transform import names as nm
from transform.dates import MONTH

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


Style = tuple  # (font size | None, bold) per line, from transform.text


def segment(lines: list[str], doc_kind: DocKind | str | None, styles: list[Style] | None = None) -> Segmentation:
    """Items plus the item each line belongs to. `styles` (font size, bold per line) sharpens
    report headings when the PDF engine provides them."""
    if doc_kind == DocKind.REPORT:
        return _sections(lines, styles if styles and len(styles) == len(lines) else None)
    heads = find_heads(lines)
    if not heads:
        heads = unnumbered_heads(lines)
    elif doc_kind in (DocKind.AGENDA, DocKind.PACK):
        heads = with_lettered_sub_items(lines, heads)
    if not heads:
        return Segmentation(items=[], owner=[None] * len(lines))
    return _minutes(lines, heads)


# --------------------------------------------------------------------------------------
# minute heads
# --------------------------------------------------------------------------------------


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
    return bool(nxt) and _heading_like(nxt, max_words=30) and not re.match(r"^\d", nxt)


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
                or rest.rstrip().endswith((";", ",", "?")) or _sentence_like(title.split())):
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
    if len(s.split()) > 14 or not _heading_like(s, max_words=14) or _sentence_like(s.split()):
        return False
    if FILE_RESIDUE.search(lines[i]):
        return True  # a ModernGov heading links its paper: "Draft Agreement pdf icon PDF 37 KB"
    nxt = lines[i + 1].strip()
    return bool(nxt) and (BLOCK_LABEL.match(nxt) is not None or nxt.endswith((".", ":")) or len(nxt.split()) > 14)


# --------------------------------------------------------------------------------------
# titles
# --------------------------------------------------------------------------------------

# Words that start the minute's text when it runs on after the heading on the same line
# ("Conflicts of Interest There were none.").
OPENERS = {
    "The", "There", "This", "These", "That", "It", "Its", "Apologies", "Members", "Member", "Mr",
    "Mrs", "Ms", "Miss", "Dr", "Cllr", "Councillor", "Councillors", "A", "An", "In", "No", "None",
    "Nil", "Nothing", "All", "We", "He", "She", "They", "Following", "Resolved", "RESOLVED",
    "Agreed", "AGREED", "Noted", "Having", "Presented", "Received", "Further", "Following",
    "Discussion", "DECISION", "Decision", "Action", "ACTION", "One", "Two", "Three", "Four", "Five",
    "Six", "Seven", "Eight", "Nine", "Ten", "Several", "Some", "Both", "Each", "Any",
}
# An opener right after one of these is part of the title ("Report of the ...", "Update on A ...").
TITLE_GLUE = {"the", "of", "from", "to", "and", "by", "for", "on", "with", "a", "an", "in", "at", "&", "-", "–"}
EMPTY_TEXT = {"None", "None.", "Nil", "Nil.", "N/A", "None received.", "None declared."}
ITEM_LABEL = re.compile(r"^(?:agenda\s+)?item\s+(?:no\.?\s*)?\d{1,3}[a-z]?\b\s*[:.–—\-]?\s*", re.I)
# A trailing meeting date: "- 7th of June 2022", "held on 27 October 2025", "HELD ON THE 28TH JULY, 2017".
DATE_SUFFIX = re.compile(
    r"(?:\s*[–—\-,(]\s*(?:held\s+on\s+)?|\s+held\s+on\s+|(?<=\bon)\s+)(?:the\s+)?(?:\w+day,?\s+)?"
    r"\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?" + MONTH + r"\.?,?\s+\d{4}\)?\s*$"
    r"|\s*\(\s*\d{1,2}[./]\d{1,2}[./]\d{2,4}\s*\)\s*$",
    re.I,
)
TRAILERS = [
    # ModernGov: "... pdf icon PDF 153 KB", "(Agenda item 5)"
    re.compile(r"\s*(?:pdf|word|excel)\s+icon\s+\w+\s+[\d.,]+\s*[KM]B\s*$", re.I),
    re.compile(r"\s*\(\s*agenda\s+item\s+\d+[a-z]?\s*\)\s*$", re.I),
    # paper markers: "(Paper)", "(Papers)", "(closed)", "(verbal update)"
    re.compile(r"(?:\s*\((?:papers?|closed|open|verbal|oral|presentation|report)(?:\s+(?:update|report))?\)\.?)+\s*$", re.I),
    re.compile(r"\s*[–—\-]?\s*\(?\s*presented\s+by\b.*$", re.I),
    re.compile(r"\s*[–—\-]\s*papers?\b.*$", re.I),
    re.compile(r"\s*[–—\-]\s*(?:for\s+(?:decision|information|discussion|noting|assurance|approval|agreement|note))\b.*$", re.I),
    re.compile(r"\s*\((?:verbal|oral)(?:\s+(?:update|report))?\)\s*$", re.I),
    # a presenter's role in brackets: "Police Uplift Update - (Chief Constable)", "(Chief Finance Officer)"
    re.compile(r"\s*[–—\-]?\s*\((?:(?:deputy|assistant|acting|temporary|interim)\s+)*(?:chief|superintendent|head|"
               r"director|chair|treasurer|commissioner|monitoring|finance|pcc|opcc)\b[^()]*\)\s*$", re.I),
    # a link label after the title: ", appendix"
    re.compile(r"\s*,\s*appendi(?:x|ces)\b[^,]*$", re.I),
]

TRAILER_KEYS = ("icon", "agenda", ")", "presented", "paper", "for", ")", ")", "append")  # a literal each of TRAILERS needs
# How the text must end (trailing whitespace aside) for each of TRAILERS to match: all but three
# are anchored at the end by a literal. None: anywhere.
TRAILER_ENDS = (("kb", "mb"), (")",), (")", ")."), None, None, None, (")",), (")",), None)
TRAILER_DASHED = (False, False, False, False, True, True, False, False, False)  # needs a dash ("-", "–" or "—")


# Marks that end a heading run on into its text in flattened or tabular papers (d01, d11, d15,
# d17 of the development set): the agenda number or page range after the title ("(Item 2)",
# "(Pages 1 - 11)"), then a paragraph number ("(1)", "1.1").
TITLE_END = re.compile(r"\s*\((?:agenda\s+)?(?:item|pages?)\b[^()]*\)|\s+\(\d{1,2}\)\s|\s+\d{1,2}\.\d{1,2}\.?(?=\s|[A-Z])", re.I)
# An agenda's page range printed inside or after the heading: "MINUTES 5 - 10".
PAGE_RANGE = re.compile(r"\s+(\d{1,3})\s*[-–]\s*(\d{1,3})(?=\s|$)")


def split_title(text: str) -> tuple[str, str]:
    """'Item 1 – Conflicts of Interest There were none.' -> ('Conflicts of Interest', 'There were none.')"""
    text = ITEM_LABEL.sub("", text.strip())
    text = PAGE_RANGE.sub(lambda m: "" if int(m.group(1)) <= int(m.group(2)) else m.group(0), text)
    end = TITLE_END.search(text)
    if end and end.start() > 0:
        return clean_title(text[: end.start()]), text[end.end():].strip()
    words = text.split(" ")
    caps = _capitals_heading(words)
    if caps:
        return clean_title(" ".join(words[:caps])), " ".join(words[caps:]).strip(" -–—")
    cut = _text_start(words)
    if cut is None:
        # no sentence after a heading: either there is no heading at all, or no text
        cut = 0 if words and words[0] in OPENERS and _sentence_like(words) else len(words)
    title, rest = " ".join(words[:cut]), " ".join(words[cut:])
    return clean_title(title), rest.strip()


DECISION_WORDS = {"RESOLVED", "AGREED", "NOTED", "DECISION", "RECOMMENDED"}


def _capitals_heading(words: list[str]) -> int | None:
    """A heading in capitals run on into its text ("491 MINUTES - Resolved - That the …"): the
    number of words before the text starts, or None when the line is not of that shape."""
    def upper(w: str) -> bool:
        letters = [c for c in w if c.isalpha()]
        return not letters or all(c.isupper() for c in letters)

    k = 0
    while k < len(words) and upper(words[k]) and words[k].strip(",.:;") not in DECISION_WORDS:
        k += 1
    if k == len(words) or sum(any(c.isalpha() for c in w) for w in words[:k]) < 2:
        return None
    while k > 0 and words[k - 1] in ("-", "–", "—"):
        k -= 1
    return k


def _text_start(words: list[str]) -> int | None:
    """Index of the first word of the minute's text when it runs on after the heading."""
    for k in range(1, len(words)):
        w, nxt = words[k], words[k + 1] if k + 1 < len(words) else ""
        if w in EMPTY_TEXT and k + 1 == len(words):
            return k  # "Public Participation None."
        if words[k - 1].lower() in TITLE_GLUE:
            continue
        if w in OPENERS and nxt[:1].islower():
            return k
        v = _subject_then_verb(words, k)
        if v is not None:
            # the subject is a name or role: start at its rank word, else take two words (a name)
            run = words[k:v]
            ranks = [r for r, t in enumerate(run) if t.strip(".,").lower() in nm.TITLE_WORDS]
            if ranks:
                return k + ranks[0]
            # the text often repeats the heading's last word: "Public Questions Questions were"
            repeats = [j for j in range(k, v) if words[j].lower() in {x.lower() for x in words[:j]}]
            return repeats[0] if repeats else max(k, v - 2)
    return None


# Verbs that follow the subject of a minute's first sentence ("Chief Supt Richard Baker introduced").
VERBS = {
    "was", "were", "is", "are", "had", "has", "have", "reported", "said", "introduced", "presented",
    "welcomed", "explained", "confirmed", "advised", "noted", "gave", "provided", "thanked", "stated",
    "informed", "updated", "highlighted", "asked", "agreed", "received", "declared", "outlined",
    "summarised", "referred", "opened", "led", "tabled", "circulated", "considered", "discussed",
}




def _subject_then_verb(words: list[str], k: int) -> int | None:
    """If a sentence starts at words[k] (capitalised words, a name or role, then a verb),
    the index of the verb."""
    if not words[k][:1].isupper():
        return None
    for j in range(k + 1, min(k + 6, len(words))):
        if words[j].strip(",") in VERBS:  # a verb in capitals belongs to a heading
            return j
        if not words[j][:1].isupper():
            return None
    return None


def _sentence_like(words: list[str]) -> bool:
    """Is the whole text a sentence (so there is no heading at all)? Long, mostly lower case,
    with a verb early on."""
    verb = any(w.lower().strip(",.") in VERBS for w in words[:8])
    return verb and len(words) >= 6 and sum(w[:1].islower() for w in words) >= len(words) / 2


def _has_dash(text: str) -> bool:
    return "-" in text or "–" in text or "—" in text


def clean_title(title: str) -> str:
    title = title.strip()
    for _ in range(3):  # trailers stack: "... held on 9 December 2014 (Agenda item 5) pdf icon PDF 153 KB"
        before = title
        for pat, key, ends, dashed in zip(TRAILERS, TRAILER_KEYS, TRAILER_ENDS, TRAILER_DASHED):
            # cheap tests first: each pattern needs its key, and most of them an ending (tested
            # on ASCII text only, where re.I is plain lower-casing); without them the sub would
            # change nothing. A title can be a whole paragraph, and a pattern anchored at the end
            # is still tried from every position.
            if title.isascii():
                low = title.lower()
                if key not in low or (ends and not low.rstrip().endswith(ends)) or (dashed and not _has_dash(low)):
                    title = title.rstrip(" .")
                    continue
            title = pat.sub("", title).rstrip(" .")
        # DATE_SUFFIX ends in a digit or ")" (trailing whitespace aside)
        last = title.rstrip()[-1:]
        if last == ")" or last.isdigit():
            title = DATE_SUFFIX.sub("", title)
        title = title.rstrip(" .")
        if title == before:
            break
    return title.strip(" \t–—-:.,;").strip()


def _headingless_title(text: str) -> str:
    # Gold convention: the chair's opening remarks, printed with no heading, are "Welcome".
    if re.search(r"\bwelcom", text, re.I):
        return "Welcome"
    return " ".join(text.split()[:6]).rstrip(".,;:")


# --------------------------------------------------------------------------------------
# minutes assembly
# --------------------------------------------------------------------------------------

# A handling marker printed on its own line above a heading; never a title.
MARKER = re.compile(r"^\W*(?:private\s+and\s+confidential|confidential|not\s+for\s+publication|exempt|restricted|"
                    r"official(?:[\s-]+sensitive)?|part\s+(?:i|ii|1|2|a|b))\W*$", re.I)
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
        if not title and not rest and nxt < end and _heading_like(lines[nxt], max_words=30):
            title, rest = split_title(lines[nxt])  # number on its own line, heading below it
            owner[nxt] = n
        elif not title and not rest and nxt < end:
            # the heading below ran on into the minute's first sentence (a PDF line that
            # looked wrapped): "Vehicle write-offs (Paper) The paper was circulated ..."
            t2, r2 = split_title(lines[nxt])
            if t2 and r2 and _heading_like(t2, max_words=20):
                title, rest = t2, r2
        if not title:
            title = _headingless_title(rest)
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


def _heading_like(line: str, max_words: int = 14) -> bool:
    """A heading on its own line: short, capitalised, not a sentence. A heading may end in a
    full stop ("Attendance and Apologies.") or run on into the first sentence of the minute
    ("Introduction / Attendance / Apologies. Welcome and apologies were made.")."""
    s = line.strip()
    first = re.split(r"(?<=[a-z)])\.\s+(?=[A-Z])", s, maxsplit=1)[0]
    if not s[:1].isupper() or len(first.split()) > max_words or re.search(r"[;,]$", first):
        return False
    if first is s and s.endswith("."):
        # one sentence ending in a full stop: a heading only if it has no verb of a sentence
        return not any(w.lower().strip(".,") in VERBS for w in s.split())
    return True


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


# --------------------------------------------------------------------------------------
# report sections
# --------------------------------------------------------------------------------------

SECTION_LABEL = re.compile(r"^(?:section|part)\s+(\d{1,2}|[IVX]{1,4})\b\s*[.:–—\-]?", re.I)
STANDARD_SECTIONS = re.compile(
    r"^(?:purpose(?: of (?:the )?report)?|executive summary|summary|introduction|background|"
    r"recomm?end?ations?|financial implications|legal implications|equalit(?:y|ies) implications|"
    r"(?:human resources?|hr|risk|environmental|policy) implications|conclusions?|next steps|"
    r"consultation|risks?(?: management)?|appendi(?:x|ces)(?:\s+\w+)?|contact officers?|background papers)\s*:?$",
    re.I,
)
NUMBERED_PARA = re.compile(r"^\d{1,3}\.\s+\S")


def _sections(lines: list[str], styles: list[Style] | None) -> Segmentation:
    heads = _section_heads(lines, styles)
    owner: list[int | None] = [None] * len(lines)
    items = []
    for n, i in enumerate(heads):
        end = heads[n + 1] if n + 1 < len(heads) else len(lines)
        for k in range(i, end):
            owner[k] = n
        items.append(ParsedItem(ref=f"S{n + 1}", title=lines[i].strip(),
                                text="\n".join(lines[i + 1:end])))
    return Segmentation(items=items, owner=owner)


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
