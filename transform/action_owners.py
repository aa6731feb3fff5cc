"""Who is to do it: the doer of a labelled action or list entry (the subject of its verb), or of
a commitment made in discussion (its subject, the agent of a passive, or whoever reported it);
a pronoun resolves to the person or role named just before."""
from __future__ import annotations

import re

from transform.action_grammar import (ACTIVE, AGREED_TO, DECISION_VERBS, FOLLOW_VERBS, PRONOUNS, agentive, is_pp,
                                      main_subject, strip_the, subject_before, verb_ok)

REPORTER = re.compile(r"^(?P<who>.+?)\s+(?:confirmed|advised|said|stated|explained|reported|indicated|agreed|undertook|committed|assured|informed \w+|told \w+)\s+(?:\w+\s+)?that\b", re.I)


def task_owner(text: str, last_agent: str | None) -> str | None:
    """Doer of a labelled action or list entry: the subject of its verb, if it is a doer."""
    m = AGREED_TO.search(text) or _first_active(text)
    if m is None:
        return _agent_of_passive(text)
    subject = subject_before(text, m.start()) or main_subject(text)
    joint = _joint_subject(text, m.start())
    return joint or _resolve(subject, text, last_agent)


def _joint_subject(text: str, pos: int) -> str | None:
    """'Paul and Sarah to discuss ...', 'The Force and OPCC to ...': names joined by 'and'."""
    m = re.search(r"((?:[A-Z][\w'’/\-]*\s+){0,3}[A-Z][\w'’/\-]*\s+(?:and|&)\s+(?:the\s+)?(?:[A-Z][\w'’/\-]*\s*){1,4})$", text[:pos].strip() + " ")
    if m and text[: m.start()].strip() in ("", "The", "the"):
        return strip_the(m.group(1))
    return None


def commitment_owner(sentence: str, last_agent: str | None) -> str | None:
    """Doer of a commitment found in discussion text."""
    m = AGREED_TO.search(sentence) or _first_active(sentence, follow_only=True)
    if m is not None:
        subject = subject_before(sentence, m.start()) or main_subject(sentence)
        owner = _resolve(subject, sentence, last_agent)
        if owner:
            return owner
    by = _agent_of_passive(sentence)
    if by:
        return by
    rep = REPORTER.match(sentence)  # "The Policy Officer confirmed that ... would be put together"
    if rep and agentive(rep.group("who")):
        return strip_the(rep.group("who"))
    return None


def _first_active(text: str, follow_only: bool = False):
    for m in ACTIVE.finditer(text):
        modal = text[m.start(): m.start(1)].split()[0].lower()
        verb = m.group(1).lower()
        if verb in DECISION_VERBS or is_pp(verb) and verb not in FOLLOW_VERBS:
            continue
        if follow_only and (modal == "should" or not verb_ok(verb, text[m.end():], FOLLOW_VERBS)):
            continue
        return m
    return None


def _agent_of_passive(text: str) -> str | None:
    m = re.search(r"\bbe\s+\w+(?:\s+\w+)?\s+(?:jointly\s+)?by\s+(?:the\s+)?([A-Z][\w&/\- ]{1,60}?)(?=[.,;]|\s+(?:to|at|in|on|for|by|with|and report)\b|$)", text)
    if m and agentive(m.group(1)):
        return strip_the(m.group(1))
    return None


def _resolve(subject: str | None, text: str, last_agent: str | None) -> str | None:
    if not subject:
        return None
    if subject.lower() in PRONOUNS:
        main = main_subject(text)
        if main and main.lower() not in PRONOUNS and agentive(main):
            return strip_the(main)
        return last_agent
    return strip_the(subject) if agentive(subject) else None


_CAP_RUN = re.compile(r"(?:(?:[A-Z][\w'’/\-.]*)\s+){1,4}[A-Z][\w'’\-]+")


def last_mention(sentence: str) -> str | None:
    """The person or role a following 'he'/'she' most likely means: the sentence's subject if
    it is a doer, else the last titled name or role it mentions."""
    main = main_subject(sentence)
    if main and main.lower() not in PRONOUNS and agentive(main):
        return strip_the(main)
    # The last capitalised run that is a doer (every run has two words or more): scan from the end.
    for cand in reversed(_CAP_RUN.findall(sentence)):
        if len(cand.split()) >= 2 and agentive(cand):
            return strip_the(cand)
    return None
