"""Item titles: the heading of a minute or agenda item told from the text that runs on after it
on the same line, and cleaned of what publishers print around it (a paper's size and icon,
"(Agenda item 5)", "- for decision", a presenter, the meeting's date)."""
from __future__ import annotations

import re

from transform import names as nm
from transform.dates import MONTH

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
        cut = 0 if words and words[0] in OPENERS and sentence_like(words) else len(words)
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


def sentence_like(words: list[str]) -> bool:
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


def headingless_title(text: str) -> str:
    # Gold convention: the chair's opening remarks, printed with no heading, are "Welcome".
    if re.search(r"\bwelcom", text, re.I):
        return "Welcome"
    return " ".join(text.split()[:6]).rstrip(".,;:")


def heading_like(line: str, max_words: int = 14) -> bool:
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
