"""Is it a follow-up? The tests that tell a task (an entry of an "agreed" list, a labelled
action) from a decision, and a commitment made in discussion ("X agreed to look into ...",
"... would be shared with the Panel") from policy, conditions, questions and past updates."""
from __future__ import annotations

import re

from transform import names as nm
from transform.action_grammar import (ACTIVE, AGENT_WORDS, AGREED_TO, DECISION_PP, DECISION_VERBS, FOLLOW_VERBS,
                                      PARTICLES, PASSIVE, PRONOUNS, REPORT_PP, STRONG_VERBS, agentive, is_pp,
                                      subject_before, verb_ok)

DELIVERABLE = re.compile(
    r"^\s+(?:\w+\s+){0,4}(?:an?\s+|the\s+|further\s+|more\s+|some\s+|written\s+|verbal\s+)*(?:\w+\s+)?"
    r"(?:update|details?|briefing|information|data|figures|report|breakdown|note|paper|kpi'?s|analysis|"
    r"feedback|response|summary|timeline|timescales?|numbers|statistics|evidence|plan|proposals?|options|"
    r"presentation|copy|list|results)\b",
    re.I,
)
POLICY = re.compile(r"\b(?:periodically|regularly|throughout the year|each year|annually|on an? (?:ongoing|monthly|quarterly|annual|regular) basis|every (?:month|quarter|year))\b", re.I)
PAST_UPDATE = re.compile(r"\bupdate[d:]?\s+\d{1,2}[./]\d{1,2}[./]\d{2,4}|[–-]\s*(?:complete|completed|closed|ongoing|discharged)\.?\s*$", re.I)
CONDITIONAL = re.compile(r"\bif (?:required|requested|needed|necessary|appropriate|desired|wished)\b|\bshould (?:the|members|it|they) (?:wish|require|request)", re.I)
BODY = r"(?:panel|board|committee|sub-committee|group|members|meeting|forum|commission)"
TO_BODY = re.compile(rf"\b(?:to|with|at|before|for)\s+(?:the\s+|a\s+|its\s+|this\s+|future\s+|next\s+|a future\s+|the next\s+|each\s+|all\s+)*(?:\w+\s+)?{BODY}\b", re.I)
SOON = re.compile(r"\b(?:(?:over|in|within) the (?:next|coming) (?:few |two |three |couple of )?(?:days|weeks|months)|by the next meeting|shortly|in due course|as soon as possible)\b", re.I)
_BE = re.compile(r"\sbe\s")  # what every PASSIVE match holds
SUBJUNCTIVE = re.compile(r"\bbe\s+(?:\w+ly\s+)?([a-z][a-z\-]+)", re.I)
FUTURE_REPORT = re.compile(r"\s+(?:a|an)\s+(?:further\s+|follow-up\s+|progress\s+|update\s+|written\s+)?(?:report|update|briefing|presentation)\b", re.I)
INLINE_AGREED = re.compile(r"\b(?:agreed|resolved)\s+that\s+(.+)$", re.I)
THERE_WILL = re.compile(r"\bthere (?:will|would) be an?\s+(?:\w+\s+){0,2}(?:report|update|paper|briefing|presentation)\b", re.I)


def entry_like(text: str) -> bool:
    """An unbulleted line that continues an 'agreed' list: it states a task or a decision
    (a resolution: "2.1.1 That the minutes … were approved")."""
    return bool(ACTIVE.search(text) or PASSIVE.search(text) or re.search(r"\bbe\s+\w+ed\b", text)
                or RESOLUTION.match(text))


RESOLUTION = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?\s*)?That\b")


def is_task(text: str) -> bool:
    """An entry of an 'agreed' list (or the clause after 'agreed that'): a follow-up task,
    not a decision such as 'the report be noted' or 'the membership would be Councillors ...'."""
    if "?" in text:
        return False
    for m in PASSIVE.finditer(text):
        if is_pp(m.group(1)) and m.group(1).lower() not in DECISION_PP:
            return True
    for m in ACTIVE.finditer(text):
        if m.group(1).lower() not in DECISION_VERBS and not is_pp(m.group(1)):
            return True
        if m.group(1).lower() == "receive" and FUTURE_REPORT.match(text, m.end()):
            return True  # "the Panel would receive a further report at its next meeting"
    for m in SUBJUNCTIVE.finditer(text):
        if m.group(1).lower() in REPORT_PP - {"considered", "made"}:
            return True
    return False


def commits(sentence: str) -> bool:
    """Does a sentence of ordinary discussion commit someone to a follow-up?"""
    s = sentence
    if "?" in s:
        return False
    low = _ascii_lower(s)  # cheap substring tests first: a regex needs its literal words
    if (_may(low, _POLICY_KEYS) and POLICY.search(s)) or (_may(low, _PAST_UPDATE_KEYS) and PAST_UPDATE.search(s)) \
            or (_may(low, _CONDITIONAL_KEYS) and CONDITIONAL.search(s)):
        return False
    m = INLINE_AGREED.search(s) if _may(low, _INLINE_AGREED_KEYS) else None
    if m and is_task(m.group(1)):
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
        if verb_ok(m.group(2), s[m.end():], FOLLOW_VERBS):
            return True
    return False


def _active_commitment(s: str) -> bool:
    """'X will provide ...', 'he would provide the Panel with ...', 'WMP to provide ...'."""
    for m in ACTIVE.finditer(s):
        modal = s[m.start(): m.start(1)].split()[0].lower()
        if modal in ("should", "was", "were") or not verb_ok(m.group(1), s[m.end():], FOLLOW_VERBS):
            continue
        subject = subject_before(s, m.start())
        if not subject or subject.lower() in ("we", "i") or not agentive(subject):
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
        if modal == "should" or pp not in REPORT_PP or (pp in PARTICLES and not verb_ok(pp, tail, REPORT_PP)):
            continue
        if TO_BODY.search(tail) or re.match(r"\s*(?:back|shortly)\b", tail) and pp in ("reported", "fed", "brought"):
            return True
        if SOON.search(tail) and pp not in ("submitted", "sent", "issued", "published"):
            return True
    return False


def own_task(sentence: str) -> bool:
    """A sentence inside a labelled action that names its own doer starts a new task."""
    m = ACTIVE.search(sentence) or AGREED_TO.search(sentence)
    if not m:
        return False
    subject = subject_before(sentence, m.start())
    return bool(subject) and agentive(subject) and subject.lower() not in PRONOUNS


def is_doer_tag(part: str) -> bool:
    """'RJ/DB/AC', 'ACC RJ', 'Chief Constable' after a second 'Action:' label: no verb."""
    words = part.strip(" .()").split()
    return 0 < len(words) <= 4 and not (ACTIVE.search(part) or PASSIVE.search(part)) and (
        nm.looks_like_initials(part.strip(" .")) or all(w[:1].isupper() or "/" in w for w in words))


def past_update(text: str) -> bool:
    """The status of an earlier meeting's action ("Update 18.01.22 – Complete"), not a new one."""
    return bool(_may(_ascii_lower(text), _PAST_UPDATE_KEYS) and PAST_UPDATE.search(text))
