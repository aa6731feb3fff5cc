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
from functools import lru_cache

from scrutiny.records import ParsedAction, ParsedItem
from transform import names as nm
from transform.html import strip_tags

# --------------------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------------------

# Verbs of a follow-up task when nothing else (a label, an "agreed" list) says it is one.
FOLLOW_VERBS = set(
    """
    provide share circulate recirculate re-circulate report bring feed update look consider review
    investigate explore confirm clarify check send write arrange prepare produce present submit give
    follow pick take come return discuss liaise contact meet seek obtain establish draft publish
    forward invite organise organize raise scope examine assess identify supply issue amend overlay
    schedule add include put find let speak ask request brief respond reply chase pursue escalate
    extend make
    """.split()
)
# Verbs that are a follow-up only with their particle: "look into", "take forward", "report back".
PARTICLES = {
    "look": r"into|at|again|further", "looked": r"into|at|again", "take": r"(?:[\w']+\s+){0,4}(?:forward|away|back)",
    "taken": r"forward|away|back", "come": r"back", "pick": r"(?:[\w']+\s+){0,3}up", "picked": r"up", "follow": r"(?:[\w']+\s+){0,3}up",
    "followed": r"up", "feed": r"back", "fed": r"back", "put": r"together|forward|in place", "find": r"out",
    "let": r"(?:\w+\s+){1,3}know", "make": r"enquiries|contact|arrangements|available", "made": r"available",
    "give": r"(?:an?\s+|the\s+|some\s+|further\s+|more\s+)?(?:\w+\s+)?(?:update|feedback|briefing|presentation|consideration|details?|report)",
}
# Follow-up verbs by themselves; the others ("provide", "share") need a deliverable or the
# meeting body as recipient: "provide an update", "share ... with the Panel".
STRONG_VERBS = {"look", "report", "feed", "come", "follow", "take", "circulate", "recirculate",
                "re-circulate", "investigate", "clarify", "check", "write", "update", "pick", "find",
                "liaise", "explore", "let", "chase", "reply", "respond", "confirm"}
DELIVERABLE = re.compile(
    r"^\s+(?:\w+\s+){0,4}(?:an?\s+|the\s+|further\s+|more\s+|some\s+|written\s+|verbal\s+)*(?:\w+\s+)?"
    r"(?:update|details?|briefing|information|data|figures|report|breakdown|note|paper|kpi'?s|analysis|"
    r"feedback|response|summary|timeline|timescales?|numbers|statistics|evidence|plan|proposals?|options|"
    r"presentation|copy|list|results)\b",
    re.I,
)
# Past participles of report-back verbs: "... would be shared with the Panel".
REPORT_PP = set(
    """
    shared brought reported provided circulated recirculated re-circulated presented given fed sent
    submitted put prepared produced updated taken strengthened considered reviewed looked picked
    followed discussed explored investigated confirmed clarified arranged published forwarded
    included added scheduled amended issued made developed drafted tabled revisited reconsidered
    """.split()
)
# A passive with one of these records a decision, not a task.
DECISION_PP = set(
    """
    noted approved agreed accepted endorsed adopted signed received ratified appointed elected
    co-opted coopted welcomed supported thanked held closed recorded minuted carried resolved
    """.split()
)
DECISION_VERBS = {"note", "approve", "accept", "endorse", "adopt", "ratify", "receive", "support",
                  "agree", "the", "a", "an", "this", "that", "its", "their", "his", "her", "be"}
IRREGULAR_PP = {"brought", "sent", "given", "shown", "taken", "put", "made", "done", "written", "drawn",
                "held", "set", "met", "sought", "kept", "fed", "led", "told", "run", "read", "won"}
# Words that make a subject a doer: roles, bodies and organisations.
AGENT_WORDS = set(
    """
    commissioner commissioners constable pcc dpcc apcc pfcc acc dcc cc force police officer officers
    chair chairman chairwoman chairperson panel members member board committee director directors
    manager managers executive head clerk secretary treasurer lead team opcc office council
    superintendent inspector wmp minister authority unit department partnership chief deputy
    assistant advisor adviser analyst coordinator co-ordinator representative representatives
    councillor councillors cllr officers' staff group lay monitoring solicitor cfo ceo
    """.split()
)
PRONOUNS = {"he", "she", "they", "we", "i"}

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
POLICY = re.compile(r"\b(?:periodically|regularly|throughout the year|each year|annually|on an? (?:ongoing|monthly|quarterly|annual|regular) basis|every (?:month|quarter|year))\b", re.I)
PAST_UPDATE = re.compile(r"\bupdate[d:]?\s+\d{1,2}[./]\d{1,2}[./]\d{2,4}|[–-]\s*(?:complete|completed|closed|ongoing|discharged)\.?\s*$", re.I)
CONDITIONAL = re.compile(r"\bif (?:required|requested|needed|necessary|appropriate|desired|wished)\b|\bshould (?:the|members|it|they) (?:wish|require|request)", re.I)
BODY = r"(?:panel|board|committee|sub-committee|group|members|meeting|forum|commission)"
TO_BODY = re.compile(rf"\b(?:to|with|at|before|for)\s+(?:the\s+|a\s+|its\s+|this\s+|future\s+|next\s+|a future\s+|the next\s+|each\s+|all\s+)*(?:\w+\s+)?{BODY}\b", re.I)
SOON = re.compile(r"\b(?:(?:over|in|within) the (?:next|coming) (?:few |two |three |couple of )?(?:days|weeks|months)|by the next meeting|shortly|in due course|as soon as possible)\b", re.I)
REPORTER = re.compile(r"^(?P<who>.+?)\s+(?:confirmed|advised|said|stated|explained|reported|indicated|agreed|undertook|committed|assured|informed \w+|told \w+)\s+(?:\w+\s+)?that\b", re.I)
LEADING_ADVERB = re.compile(r"^(?:consequently|however|also|therefore|then|additionally|further(?:more)?|in addition|finally|accordingly),?\s+", re.I)


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
    # the newest ones are read then (_last_mention was a fifth of reading an item).
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
        if self.in_list and (b.bullet or _entry_like(text)) and not ACTION_LABEL.match(text):
            self._entry(PARA_NUMBER.sub("", text))
            return
        self.in_list = False
        if ACTION_LABEL.match(text):
            self._labelled(text)
        elif _may(_ascii_lower(text), _PAST_UPDATE_KEYS) and PAST_UPDATE.search(text):
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
            if _is_doer_tag(part):
                if self.out and self.out[-1].owner is None:
                    self.out[-1].owner = part.strip(" .()")
                continue
            group: list[str] = []
            for s in _split_sentences(part):
                if group and _own_task(s):
                    self._add(" ".join(group), task_owner(" ".join(group), self.last_agent))
                    group = []
                group.append(s)
            if group:
                self._add(" ".join(group), task_owner(" ".join(group), self.last_agent))

    def _entry(self, text: str) -> None:
        if _is_task(text):
            clause = re.sub(r"^That\s+", "", text)  # a resolution: "That the Panel chase a reply …"
            subjunctive = SUBJECT_THEN_VERB.match(clause)
            owner = subjunctive.group("who") if subjunctive and subjunctive.group("verb").lower() in FOLLOW_VERBS \
                else task_owner(clause, self.last_agent)
            self._add(text, owner, ref=self.list_ref)
        self._remember(text)

    def _sentences(self, text: str) -> None:
        for s in _split_sentences(text):
            if _commits(s):
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
            agent = _last_mention(self._unread.pop())
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


# --------------------------------------------------------------------------------------
# is it a task / a commitment?
# --------------------------------------------------------------------------------------

MODAL = r"(?:would|will|shall|should|is to|are to|was to|were to|to)"
ACTIVE = re.compile(rf"\b{MODAL}\s+(?:now\s+|also\s+|then\s+|personally\s+|further\s+|jointly\s+)?(?!be\b|not\b)([a-z][a-z\-]+)")
PASSIVE = re.compile(rf"\b{MODAL}\s+(?:also\s+|now\s+|then\s+)?be\s+(?:\w+ly\s+)?([a-z][a-z\-]+)")
_BE = re.compile(r"\sbe\s")  # what every PASSIVE match holds
SUBJUNCTIVE = re.compile(r"\bbe\s+(?:\w+ly\s+)?([a-z][a-z\-]+)", re.I)
AGREED_TO = re.compile(r"\b(agreed|undertook|offered|committed|promised|volunteered|was asked|were asked|has been asked|have been asked|had been asked)\s+to\s+([a-z][a-z\-]+)", re.I)
FUTURE_REPORT = re.compile(r"\s+(?:a|an)\s+(?:further\s+|follow-up\s+|progress\s+|update\s+|written\s+)?(?:report|update|briefing|presentation)\b", re.I)
INLINE_AGREED = re.compile(r"\b(?:agreed|resolved)\s+that\s+(.+)$", re.I)
THERE_WILL = re.compile(r"\bthere (?:will|would) be an?\s+(?:\w+\s+){0,2}(?:report|update|paper|briefing|presentation)\b", re.I)


def _entry_like(text: str) -> bool:
    """An unbulleted line that continues an 'agreed' list: it states a task or a decision
    (a resolution: "2.1.1 That the minutes … were approved")."""
    return bool(ACTIVE.search(text) or PASSIVE.search(text) or re.search(r"\bbe\s+\w+ed\b", text)
                or RESOLUTION.match(text))


SUBJECT_THEN_VERB = re.compile(r"^(?:the\s+)?(?P<who>[A-Z][\w'’]*(?:\s+[A-Z][\w'’]*){0,4})\s+(?P<verb>[a-z]+)\b")
PARA_NUMBER = re.compile(r"^\s*\d+(?:\.\d+)+\.?\s*(?=[A-Z])")
RESOLUTION = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?That\b")


def _is_task(text: str) -> bool:
    """An entry of an 'agreed' list (or the clause after 'agreed that'): a follow-up task,
    not a decision such as 'the report be noted' or 'the membership would be Councillors ...'."""
    if "?" in text:
        return False
    for m in PASSIVE.finditer(text):
        if _is_pp(m.group(1)) and m.group(1).lower() not in DECISION_PP:
            return True
    for m in ACTIVE.finditer(text):
        if m.group(1).lower() not in DECISION_VERBS and not _is_pp(m.group(1)):
            return True
        if m.group(1).lower() == "receive" and FUTURE_REPORT.match(text, m.end()):
            return True  # "the Panel would receive a further report at its next meeting"
    for m in SUBJUNCTIVE.finditer(text):
        if m.group(1).lower() in REPORT_PP - {"considered", "made"}:
            return True
    return False


def _is_pp(word: str) -> bool:
    w = word.lower()
    return w in IRREGULAR_PP or w.endswith("ed") or w.endswith("en")


def _commits(sentence: str) -> bool:
    """Does a sentence of ordinary discussion commit someone to a follow-up?"""
    s = sentence
    if "?" in s:
        return False
    low = _ascii_lower(s)  # cheap substring tests first: a regex needs its literal words
    if (_may(low, _POLICY_KEYS) and POLICY.search(s)) or (_may(low, _PAST_UPDATE_KEYS) and PAST_UPDATE.search(s)) \
            or (_may(low, _CONDITIONAL_KEYS) and CONDITIONAL.search(s)):
        return False
    m = INLINE_AGREED.search(s) if _may(low, _INLINE_AGREED_KEYS) else None
    if m and _is_task(m.group(1)):
        return True
    return (_may(low, _AGREED_TO_KEYS) and _agreed_to(s)) or _active_commitment(s) or _passive_report_back(s) or bool(
        _may(low, _THERE_KEYS) and THERE_WILL.search(s) and TO_BODY.search(s))


# Literal words (lower case) one of which each pattern needs; only used on ASCII text, where
# re.I matching is plain lower-casing (no Unicode case-folding surprises such as "ſ" for "s").
_POLICY_KEYS = ("periodically", "regularly", "throughout", "each", "annually", "basis", "every")
_PAST_UPDATE_KEYS = ("update", "-")
_CONDITIONAL_KEYS = ("if", "should")
_INLINE_AGREED_KEYS = ("agreed", "resolved")
_AGREED_TO_KEYS = ("agreed", "undertook", "offered", "committed", "promised", "volunteered", "asked")
_THERE_KEYS = ("there",)


def _ascii_lower(s: str) -> str | None:
    return s.lower() if s.isascii() else None


def _may(low: str | None, keys: tuple[str, ...]) -> bool:
    """Can a pattern needing one of `keys` match? Always yes for non-ASCII text (low None)."""
    if low is None:
        return True
    for k in keys:
        if k in low:
            return True
    return False


def _agreed_to(s: str) -> bool:
    """'The PCC agreed to look into ...'. Not narrative states ('have agreed to', 'is
    committed to'): those report what others decided, not a task taken on at the meeting."""
    for m in AGREED_TO.finditer(s):
        if re.search(r"\b(?:have|has|had|is|are|was|were|remains?)\s+(?:\w+\s+)?$", s[: m.start()]) and \
                not m.group(1).lower().endswith("asked"):
            continue
        if _verb_ok(m.group(2), s[m.end():], FOLLOW_VERBS):
            return True
    return False


def _active_commitment(s: str) -> bool:
    """'X will provide ...', 'he would provide the Panel with ...', 'WMP to provide ...'."""
    for m in ACTIVE.finditer(s):
        modal = s[m.start(): m.start(1)].split()[0].lower()
        if modal in ("should", "was", "were") or not _verb_ok(m.group(1), s[m.end():], FOLLOW_VERBS):
            continue
        subject = _subject_before(s, m.start())
        if not subject or subject.lower() in ("we", "i") or not _agentive(subject):
            continue  # a report's "we will ..." is the author's plan, not a task for the meeting
        if m.group(1).lower() not in STRONG_VERBS and not _delivers(s[m.end(): m.end() + 120]):
            continue  # "the OPCC will provide funding to ..." is policy, not a follow-up
        if modal == "to" and (subject.lower() in PRONOUNS or not _np_like(subject)):
            continue  # "to" after a verb is a plain infinitive, not "X to provide ..."
        return True
    return False


def _np_like(text: str) -> bool:
    """'Chief Constable', 'the Force', 'Panel Members', 'ACC RJ': a noun phrase, no verb in it."""
    glue = {"the", "of", "and", "for", "&", "a"}
    return all(w[:1].isupper() or w.lower() in glue or w.lower().strip(".,") in AGENT_WORDS for w in text.split())


def _delivers(tail: str) -> bool:
    return bool(DELIVERABLE.match(tail) or TO_BODY.search(tail))


def _passive_report_back(s: str) -> bool:
    """'... would be shared with the Panel', 'will be reported shortly', 'would be put
    together over the next few weeks'."""
    if not _BE.search(s):
        return False  # PASSIVE needs it; a search for it is far cheaper than PASSIVE's
    for m in PASSIVE.finditer(s):
        modal = s[m.start(): m.end()].split()[0].lower()
        pp = m.group(1).lower()
        tail = s[m.end(): m.end() + 90]
        if modal == "should" or pp not in REPORT_PP or (pp in PARTICLES and not _verb_ok(pp, tail, REPORT_PP)):
            continue
        if TO_BODY.search(tail) or re.match(r"\s*(?:back|shortly)\b", tail) and pp in ("reported", "fed", "brought"):
            return True
        if SOON.search(tail) and pp not in ("submitted", "sent", "issued", "published"):
            return True
    return False


def _own_task(sentence: str) -> bool:
    """A sentence inside a labelled action that names its own doer starts a new task."""
    m = ACTIVE.search(sentence) or AGREED_TO.search(sentence)
    if not m:
        return False
    subject = _subject_before(sentence, m.start())
    return bool(subject) and _agentive(subject) and subject.lower() not in PRONOUNS


def _is_doer_tag(part: str) -> bool:
    """'RJ/DB/AC', 'ACC RJ', 'Chief Constable' after a second 'Action:' label: no verb."""
    words = part.strip(" .()").split()
    return 0 < len(words) <= 4 and not (ACTIVE.search(part) or PASSIVE.search(part)) and (
        nm.looks_like_initials(part.strip(" .")) or all(w[:1].isupper() or "/" in w for w in words))


def _verb_ok(word: str, tail: str, verbs: set[str]) -> bool:
    """A follow-up verb, with its particle where it needs one ("look into", not "look to")."""
    w = word.lower()
    if w in PARTICLES:
        return bool(re.match(rf"\s*(?:{PARTICLES[w]})\b", tail, re.I))
    return _verb_in(w, verbs)


def _verb_in(word: str, verbs: set[str]) -> bool:
    w = word.lower()
    stems = {w, w[:-1] if w.endswith("s") else w, w[:-3] if w.endswith("ing") else w,
             (w[:-3] + "e") if w.endswith("ing") else w}
    return bool(stems & verbs)


# --------------------------------------------------------------------------------------
# owners
# --------------------------------------------------------------------------------------


def task_owner(text: str, last_agent: str | None) -> str | None:
    """Doer of a labelled action or list entry: the subject of its verb, if it is a doer."""
    m = AGREED_TO.search(text) or _first_active(text)
    if m is None:
        return _agent_of_passive(text)
    subject = _subject_before(text, m.start()) or _main_subject(text)
    joint = _joint_subject(text, m.start())
    return joint or _resolve(subject, text, last_agent)


def _joint_subject(text: str, pos: int) -> str | None:
    """'Paul and Sarah to discuss ...', 'The Force and OPCC to ...': names joined by 'and'."""
    m = re.search(r"((?:[A-Z][\w'’/\-]*\s+){0,3}[A-Z][\w'’/\-]*\s+(?:and|&)\s+(?:the\s+)?(?:[A-Z][\w'’/\-]*\s*){1,4})$", text[:pos].strip() + " ")
    if m and text[: m.start()].strip() in ("", "The", "the"):
        return _strip_the(m.group(1))
    return None


def commitment_owner(sentence: str, last_agent: str | None) -> str | None:
    """Doer of a commitment found in discussion text."""
    m = AGREED_TO.search(sentence) or _first_active(sentence, follow_only=True)
    if m is not None:
        subject = _subject_before(sentence, m.start()) or _main_subject(sentence)
        owner = _resolve(subject, sentence, last_agent)
        if owner:
            return owner
    by = _agent_of_passive(sentence)
    if by:
        return by
    rep = REPORTER.match(sentence)  # "The Policy Officer confirmed that ... would be put together"
    if rep and _agentive(rep.group("who")):
        return _strip_the(rep.group("who"))
    return None


def _first_active(text: str, follow_only: bool = False):
    for m in ACTIVE.finditer(text):
        modal = text[m.start(): m.start(1)].split()[0].lower()
        verb = m.group(1).lower()
        if verb in DECISION_VERBS or _is_pp(verb) and verb not in FOLLOW_VERBS:
            continue
        if follow_only and (modal == "should" or not _verb_ok(verb, text[m.end():], FOLLOW_VERBS)):
            continue
        return m
    return None


def _agent_of_passive(text: str) -> str | None:
    m = re.search(r"\bbe\s+\w+(?:\s+\w+)?\s+(?:jointly\s+)?by\s+(?:the\s+)?([A-Z][\w&/\- ]{1,60}?)(?=[.,;]|\s+(?:to|at|in|on|for|by|with|and report)\b|$)", text)
    if m and _agentive(m.group(1)):
        return _strip_the(m.group(1))
    return None


def _resolve(subject: str | None, text: str, last_agent: str | None) -> str | None:
    if not subject:
        return None
    if subject.lower() in PRONOUNS:
        main = _main_subject(text)
        if main and main.lower() not in PRONOUNS and _agentive(main):
            return _strip_the(main)
        return last_agent
    return _strip_the(subject) if _agentive(subject) else None


CLAUSE_BREAK = re.compile(r"(?:^|[,;:(–—]\s*|\s-\s|\b(?:that|and|but|so|while|whilst|where|when|which|who|because|as|if|then|although|though)\s+)", re.I)


def _subject_before(text: str, pos: int) -> str:
    """The noun phrase just before a verb group, back to the start of its clause."""
    before = text[:pos]
    starts = [m.end() for m in CLAUSE_BREAK.finditer(before)]
    subject = before[starts[-1]:] if starts else before
    return LEADING_ADVERB.sub("", subject.strip()).strip()


_MAIN_SUBJECT = re.compile(r"^((?:The\s+|the\s+)?(?:[A-Z][\w'’/&\-.]*\s+(?:(?:of|and|for|&)\s+)?){0,6}[A-Z][\w'’/&\-]*)")


def _main_subject(text: str) -> str | None:
    """'The PCC agreed with ...' -> 'The PCC' (a capitalised run at the start)."""
    m = _MAIN_SUBJECT.match(LEADING_ADVERB.sub("", text))
    if m:
        return m.group(1)
    first = text.split()[0] if text.split() else ""
    return first if first.lower() in PRONOUNS else None


@lru_cache(maxsize=8192)
def _agentive(subject: str) -> bool:
    """A doer: a role, body or organisation, a person's name or initials, or a pronoun."""
    words = _strip_the(subject).split()
    if not words or len(words) > 7:
        return False
    low = [w.lower().strip(".,'’()") for w in words]
    if low[0] in PRONOUNS and len(words) == 1 and words[0] != "I.":
        return True
    if low[0] in ("it", "this", "that", "there", "which", "a", "an", "these", "those", "work"):
        return False
    if any(w in AGENT_WORDS or w.rstrip("s") in AGENT_WORDS for w in low):
        return True
    if all(_ACRONYM.fullmatch(w) for w in words):
        return True  # WMP, OPCC, RHL, RJ/DB
    title, rest = nm.strip_title(words)
    name, tail = nm.name_prefix(rest)
    return len(name) >= 2 and not tail


_ACRONYM = re.compile(r"[A-Z]{2,6}s?|[A-Z]{1,4}/[A-Z/]+")
_THE = re.compile(r"^(?:the|The)\s+")
_CAP_RUN = re.compile(r"(?:(?:[A-Z][\w'’/\-.]*)\s+){1,4}[A-Z][\w'’\-]+")


def _strip_the(text: str) -> str:
    return _THE.sub("", text.strip(" ,.;:"))


def _last_mention(sentence: str) -> str | None:
    """The person or role a following 'he'/'she' most likely means: the sentence's subject if
    it is a doer, else the last titled name or role it mentions."""
    main = _main_subject(sentence)
    if main and main.lower() not in PRONOUNS and _agentive(main):
        return _strip_the(main)
    # The last capitalised run that is a doer (every run has two words or more): scan from the end.
    for cand in reversed(_CAP_RUN.findall(sentence)):
        if len(cand.split()) >= 2 and _agentive(cand):
            return _strip_the(cand)
    return None
