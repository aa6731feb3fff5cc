"""The grammar of a follow-up, shared by the task tests (``commitments``) and the owner finder
(``action_owners``): the vocabulary of follow-up verbs, report-back participles and doers, the
verb groups of the active and passive voice, and the word tests on them (a past participle, a
follow-up verb with its particle, the subject before a verb, whether it names a doer)."""
from __future__ import annotations

import re
from functools import lru_cache

from transform import names as nm

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

LEADING_ADVERB = re.compile(r"^(?:consequently|however|also|therefore|then|additionally|further(?:more)?|in addition|finally|accordingly),?\s+", re.I)

MODAL = r"(?:would|will|shall|should|is to|are to|was to|were to|to)"
ACTIVE = re.compile(rf"\b{MODAL}\s+(?:now\s+|also\s+|then\s+|personally\s+|further\s+|jointly\s+)?(?!be\b|not\b)([a-z][a-z\-]+)")
PASSIVE = re.compile(rf"\b{MODAL}\s+(?:also\s+|now\s+|then\s+)?be\s+(?:\w+ly\s+)?([a-z][a-z\-]+)")
AGREED_TO = re.compile(r"\b(agreed|undertook|offered|committed|promised|volunteered|was asked|were asked|has been asked|have been asked|had been asked)\s+to\s+([a-z][a-z\-]+)", re.I)


def is_pp(word: str) -> bool:
    w = word.lower()
    return w in IRREGULAR_PP or w.endswith("ed") or w.endswith("en")


def verb_ok(word: str, tail: str, verbs: set[str]) -> bool:
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


CLAUSE_BREAK = re.compile(r"(?:^|[,;:(–—]\s*|\s-\s|\b(?:that|and|but|so|while|whilst|where|when|which|who|because|as|if|then|although|though)\s+)", re.I)


def subject_before(text: str, pos: int) -> str:
    """The noun phrase just before a verb group, back to the start of its clause."""
    before = text[:pos]
    starts = [m.end() for m in CLAUSE_BREAK.finditer(before)]
    subject = before[starts[-1]:] if starts else before
    return LEADING_ADVERB.sub("", subject.strip()).strip()


_MAIN_SUBJECT = re.compile(r"^((?:The\s+|the\s+)?(?:[A-Z][\w'’/&\-.]*\s+(?:(?:of|and|for|&)\s+)?){0,6}[A-Z][\w'’/&\-]*)")


def main_subject(text: str) -> str | None:
    """'The PCC agreed with ...' -> 'The PCC' (a capitalised run at the start)."""
    m = _MAIN_SUBJECT.match(LEADING_ADVERB.sub("", text))
    if m:
        return m.group(1)
    first = text.split()[0] if text.split() else ""
    return first if first.lower() in PRONOUNS else None


@lru_cache(maxsize=8192)
def agentive(subject: str) -> bool:
    """A doer: a role, body or organisation, a person's name or initials, or a pronoun."""
    words = strip_the(subject).split()
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


def strip_the(text: str) -> str:
    return _THE.sub("", text.strip(" ,.;:"))

