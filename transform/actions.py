"""Actions: every explicit action or follow-up commitment recorded in minutes or reports.

``find_actions(items, lines)`` walks each item's text and reports, one entry per occurrence:

* lines labelled "ACTION:" / "Action:" (label stripped; a line holding two tasks with their own
  doers is split in two; a trailing "Action: RJ/DB" names the doer of the task before it);
* entries of "It was agreed that:" / "In summary, it was agreed that:" lists (and "Actions:"
  lists) that are follow-up tasks, not decisions ("the report be noted");
* sentences that commit someone to a follow-up: "X agreed to look into ... and report back",
  "... would be shared with the Panel", "... will be brought to the Board", "X to provide ...",
  "he would provide the Panel with KPIs".

Not actions: "Decision:" lines, approvals, questions, conditional offers ("could be provided if
required"), suggestions ("should"), general statements of policy ("will be reviewed
periodically"), and updates on past actions ("Update 18.01.22 – Complete").

owner is the doer as written without a leading "The" (a pronoun resolves to the person or role
named just before), or None for the passive voice with no doer stated.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from kernel.records import ParsedAction, ParsedItem
from transform.action_grammar import FOLLOW_VERBS
from transform.action_owners import commitment_owner, last_mention, task_owner
from transform.commitments import commits, entry_like, is_doer_tag, is_task, own_task, past_update
from transform.html import strip_tags

# --------------------------------------------------------------------------------------
# labels and lists
# --------------------------------------------------------------------------------------

# "Action:", "ACTION –", "Action (CC):", and an unpunctuated "ACTION X to ..." / "Action PF to ...".
ACTION_LABEL = re.compile(
    r"^\s*(?:agreed\s+)?action(?:s|\s+point)?\b(?:\s*\([^)]*\))?\s*[:\-–—]\s*"
    r"|(?-i:^ACTION\s+(?=[A-Z])|^Action\s+(?=[A-Z][\w'’/]*(?:\s+[A-Z][\w'’/]*){0,3}\s+(?:to|will|is to|are to)\s))",
    re.I,
)
# "2.1 RESOLVED" alone on its line, its resolutions below: "2.1.2 That the Panel chase a reply …"
BARE_RESOLVED = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?(?:resolved|agreed)(?:\s+that)?\s*[:\-–—]?\s*$", re.I)
INLINE_LABEL = re.compile(r"(?<=[.;])\s+(?:ACTION|Action)\s*[:\-–—]\s*")
DECISION_LABEL = re.compile(r"^\s*(?:decisions?|resolved|resolution|outcome|recommendations?)\b\s*[:\-–—]", re.I)
LIST_INTRO = re.compile(
    r"(?:^|\b)(?:in summary,?\s+|in conclusion,?\s+|following (?:the )?discussion,?\s+)?"
    r"(?:it was|the (?:panel|board|committee|group|meeting)|members)\s+(?:further\s+)?(?:agreed|resolved)"
    r"(?:\s+that)?\s*:\s*$|^(?:agreed\s+)?actions?(?:\s+(?:agreed|arising))?\s*:\s*$",
    re.I,
)
BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*]|-(?=\s)|–(?=\s)|\(?[a-z0-9]{1,2}[.)](?=\s))\s*")
SUBJECT_THEN_VERB = re.compile(r"^(?:the\s+)?(?P<who>[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,4})\s+(?P<verb>[a-z]+)\b")
PARA_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s*(?=[A-Z])")


# --------------------------------------------------------------------------------------
# entry point
# --------------------------------------------------------------------------------------


def find_actions(items: list[ParsedItem], lines: list[str]) -> list[ParsedAction]:
    """Actions in document order. Works item by item when items carry text (so item_ref is
    the item the text belongs to); otherwise reads the raw lines with item_ref None."""
    units = [(it.ref, _minutes_part(it.text.split("\n"))) for it in items if it.text]
    stray = _uncovered(lines, "\n".join(it.text for it in items))
    if stray:
        units.append((None, stray))
    out: list[ParsedAction] = []
    dangling: str | None = None  # ref of an item that ended on "It was agreed that:"
    for ref, text_lines in units:
        reader = _Reader(ref, in_list=dangling is not None, list_ref=dangling)
        out += reader.read(_blocks(text_lines))
        dangling = ref if reader.dangling else None
    return out


MINUTES_LABEL = re.compile(r"^\s*(?:minutes|decision)\s*:\s*$", re.I)


def _minutes_part(lines: list[str]) -> list[str]:
    """ModernGov meeting pages print each item's agenda text ("The Chairman to report apologies
    for absence.") and then, after a "Minutes:" label, what happened. Only the latter records
    actions."""
    cut = max((i for i, ln in enumerate(lines) if MINUTES_LABEL.match(ln)), default=None)
    return lines if cut is None else lines[cut + 1:]


def _uncovered(lines: list[str], item_text: str) -> list[str]:
    """Lines that no item's text holds (all of them when there are no items), so that an
    action the item splitter did not place is still reported, with item_ref None. A line
    counts as held when its tail is in the items' text: a head line's text after the minute
    number is in its item, while a bare heading ("311 Rural Crime") holds no action anyway."""
    # A line that is one of the items' lines is held; so is a head line whose tail ends one of
    # them (sets, not a search of the whole text per line: a page has thousands of lines).
    item_lines = {ln.strip() for ln in item_text.split("\n")}
    tails = {ln[-40:] for ln in item_lines}
    return [ln for ln in lines
            if (s := ln.strip()) and s not in item_lines and s[-40:] not in tails]


# --------------------------------------------------------------------------------------
# blocks: one paragraph or list entry each, markup removed
# --------------------------------------------------------------------------------------


@dataclass(slots=True)
class Block:
    text: str
    bullet: bool = False


TAG_BREAK = re.compile(r"</?(?:p|li|ul|ol|br|div|tr|td|h\d)\b[^>]*>", re.I)
DANGLING = re.compile(r"\b(?:and|or|but|the|a|an|of|to|in|on|at|by|for|with|from|that|which|when|where|there|is|are|was|were|be|been|has|have|had|as|its|their|his|her|this|these|than|into)$", re.I)


def _blocks(lines: list[str]) -> list[Block]:
    blocks: list[Block] = []
    for line in lines:
        for seg in _segments(line):
            bullet = bool(BULLET.match(seg))
            text = _clean(BULLET.sub("", seg))
            if not text:
                continue
            # the last 8 characters are enough (as paragraphs._dangles: no word of it is longer than 5)
            if blocks and not bullet and text[:1].islower() and DANGLING.search(blocks[-1].text[-8:]):
                blocks[-1].text += " " + text  # a sentence broken by a page or table-row break
                continue
            blocks.append(Block(text=text, bullet=bullet))
    return blocks


def _segments(line: str) -> list[str]:
    """Split a line at HTML block tags, table-cell pipes and inline bullets ("... • ...")."""
    line = line or ""
    if "<" in line:
        line = TAG_BREAK.sub("\n", line)
    if "|" in line:
        line = _PIPE.sub("\n", line)
    if "•" in line or "·" in line or "▪" in line or "●" in line:  # what _INLINE_BULLET needs
        line = _INLINE_BULLET.sub("\n• ", line)
    return [s.strip() for s in line.split("\n") if s.strip()]


_PIPE = re.compile(r"\s\|\s|^\||\|$")
_INLINE_BULLET = re.compile(r"\s+[•·▪●]\s+")
_STAR = re.compile(r"(?<!\w)\*([^*]+)\*(?!\w)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")


def _clean(text: str) -> str:
    if "<" in text:
        text = strip_tags(text)
    text = text.replace("**", "").replace("\u00a0", " ").replace("\ufffe", "-")
    if "*" in text:
        text = _STAR.sub(r"\1", text)
    if "[" in text:
        text = _MD_LINK.sub(r"\1", text)  # markdown links
    return " ".join(text.split()).strip(" |")


# --------------------------------------------------------------------------------------
# reading an item
# --------------------------------------------------------------------------------------


@dataclass
class _Reader:
    ref: str | None
    out: list[ParsedAction] = field(default_factory=list)
    # For "he"/"she"/"they": the doer the latest sentence mentions (see last_agent). Read
    # lazily: sentences are kept until an owner needs resolving, which few of them do, and only
    # the newest ones are read then (last_mention was a fifth of reading an item).
    _agent: str | None = None
    _unread: list[str] = field(default_factory=list)
    in_list: bool = False
    # An "agreed" list whose lead-in ended the previous item (the converter put the next
    # heading in between): its entries belong, by content, to that item.
    list_ref: str | None = None
    dangling: bool = False  # this item ended on a lead-in with no entries after it

    def read(self, blocks: list[Block]) -> list[ParsedAction]:
        for b in blocks:
            self.dangling = False
            self._block(b)
            if not self.in_list:
                self.list_ref = None
        return self.out

    def _block(self, b: Block) -> None:
        text = b.text
        if BARE_RESOLVED.match(text) or (":" in text and LIST_INTRO.search(text)):  # LIST_INTRO's forms end in ":"
            self._sentences(LIST_INTRO.sub("", text))
            self.in_list = self.dangling = True
            return
        if self.in_list and (b.bullet or entry_like(text)) and not ACTION_LABEL.match(text):
            self._entry(PARA_NUMBER.sub("", text))
            return
        self.in_list = False
        if ACTION_LABEL.match(text):
            self._labelled(text)
        elif past_update(text):
            self._remember(text)  # the status of an earlier meeting's action
        elif DECISION_LABEL.match(text):
            # the decision itself is not a task, but a follow-up recorded with it is
            # ("... Confirmation of final figures to be brought to future meeting")
            self._sentences(DECISION_LABEL.sub("", text, count=1))
        else:
            self._sentences(text)

    # -- the three sources of actions ---------------------------------------------------

    def _labelled(self, text: str) -> None:
        """'ACTION: X to do A. Y to do B.' -> two actions; 'Action: RJ/DB' names a doer."""
        for part in INLINE_LABEL.split(ACTION_LABEL.sub("", text, count=1)):
            part = part.strip()
            if not part:
                continue
            if is_doer_tag(part):
                if self.out and self.out[-1].owner is None:
                    self.out[-1].owner = part.strip(" .()")
                continue
            group: list[str] = []
            for s in _split_sentences(part):
                if group and own_task(s):
                    self._add(" ".join(group), task_owner(" ".join(group), self.last_agent))
                    group = []
                group.append(s)
            if group:
                self._add(" ".join(group), task_owner(" ".join(group), self.last_agent))

    def _entry(self, text: str) -> None:
        if is_task(text):
            clause = re.sub(r"^That\s+", "", text)  # a resolution: "That the Panel chase a reply …"
            subjunctive = SUBJECT_THEN_VERB.match(clause)
            owner = subjunctive.group("who") if subjunctive and subjunctive.group("verb").lower() in FOLLOW_VERBS \
                else task_owner(clause, self.last_agent)
            self._add(text, owner, ref=self.list_ref)
        self._remember(text)

    def _sentences(self, text: str) -> None:
        for s in _split_sentences(text):
            if commits(s):
                self._add(s, commitment_owner(s, self.last_agent))
            self._remember(s)

    def _add(self, text: str, owner: str | None, ref: str | None = None) -> None:
        self.out.append(ParsedAction(item_ref=ref or self.ref, text=text.strip(), owner=owner))

    def _remember(self, sentence: str) -> None:
        self._unread.append(sentence)

    @property
    def last_agent(self) -> str | None:
        """The doer mentioned by the newest remembered sentence that mentions one (else the one
        before all those sentences): as if each sentence had been read as it was remembered."""
        while self._unread:
            agent = last_mention(self._unread.pop())
            if agent:
                self._agent = agent
                self._unread.clear()
        return self._agent


# --------------------------------------------------------------------------------------
# sentences
# --------------------------------------------------------------------------------------

_SENT_END = re.compile(r"[.!?]+[\"'’”)]?(?=\s+[\"'‘“(]?[A-Z0-9])")
_LAST_WORD = re.compile(r"([\w.]+)[.!?]+[\"'’”)]?$")
_MATCH_CHAR = re.compile(r"[\w.!?]")
ABBREV = {"mr", "mrs", "ms", "dr", "st", "no", "supt", "ch", "cllr", "prof", "rev", "e.g", "i.e", "etc", "approx", "vs", "cf", "co", "inc", "ltd"}


def _last_word(text: str, start: int, end: int) -> str:
    """_LAST_WORD's match in text[start:end] (its word, lower case), searched in the last 64
    characters: a search from the sentence's start tried every position of it (~15 µs a
    sentence). A match runs over word characters, dots, "!" and "?" (and a closing quote at the
    very end), so the whole sentence is searched only when nothing was found or the character
    before the match could belong to it: then the leftmost match may start further back."""
    cut = max(start, end - 64)
    word = _LAST_WORD.search(text, cut, end)
    if cut > start and (word is None or _MATCH_CHAR.match(text, word.start() - 1)):
        word = _LAST_WORD.search(text, start, end)
    return (word.group(1) if word else "").lower()


def _split_sentences(text: str) -> list[str]:
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        w = _last_word(text, start, m.end())
        if w in ABBREV or (len(w) == 1 and "a" <= w <= "z"):
            continue  # "Chief Supt. Richard Baker", "S. R. Colella"
        out.append(text[start: m.end()].strip())
        start = m.end()
    out.append(text[start:].strip())
    return [s for s in out if s]

