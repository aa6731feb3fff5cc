"""Person-name helpers shared by the attendance and actions parsers.

Minutes print people in many ways: "Richard BAKER : Chief Superintendent", "Mr S J Mackay
(Chairman)", "Assistant Chief Constable Geoff Wessell, West Mercia Police", "John Campion (JC)
Chair – Police & Crime Commissioner". These helpers take one such fragment apart into a clean
name ("Richard Baker") and the role text, without any list of known people: a name is a short
run of capitalised words that are not titles, role words or ordinary heading words.
"""
from __future__ import annotations

import re


def _title_phrases() -> list[tuple[str, ...]]:
    """Honorifics and ranks printed before a name. Multi-word ones are matched first (longest
    wins), so "Assistant Chief Constable Chris Johnson" loses the whole rank, not "Assistant"."""
    singles = (
        "mr mrs ms miss mx dr prof professor sir dame lord lady baroness rev revd reverend canon "
        "cllr cllrs councillor councillors alderman colonel col major captain capt lt "
        "pc wpc pcso dc ds dsgt sgt sergeant insp inspector ci dci di supt dsupt superintendent cs dcs "
        "acc dcc cc pcc dpcc apcc pfcc commissioner commander hon mayor"
    ).split()
    multis = [
        "ch supt", "chief supt", "chief superintendent", "chief inspector", "detective inspector",
        "detective superintendent", "detective chief superintendent", "detective chief inspector",
        "t/acc", "a/acc", "t/dcc", "t/supt", "t/ch supt", "a/supt", "c/supt", "ch/supt",
        "assistant chief constable", "deputy chief constable", "chief constable",
        "temporary assistant chief constable", "temporary deputy chief constable",
        "temporary chief constable", "acting assistant chief constable", "acting chief constable",
        "police and crime commissioner", "deputy police and crime commissioner",
        "assistant police and crime commissioner", "police & crime commissioner",
        "deputy police & crime commissioner", "deputy pcc", "assistant pcc",
        "assistant commissioner", "deputy commissioner", "rt hon", "the rt hon",
        "air commodore", "air vice marshal", "group captain", "wing commander", "neighbourhood insp",
        "neighbourhood inspector",
    ]
    phrases = [tuple(m.split()) for m in multis] + [(s,) for s in singles]
    return sorted(phrases, key=len, reverse=True)


TITLE_PHRASES = _title_phrases()
# Every word that starts a title or rank ("chief", "supt", "cllr"): the project's one vocabulary
# of titles, used wherever a name's title must be recognised.
TITLE_WORDS = frozenset(p[0] for p in TITLE_PHRASES)
# The courtesy titles among them (not ranks): dropped from a person's role, where a rank stays
# ("Chief Constable" is a role, "Mr" is not).
HONORIFICS = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "professor", "sir", "dame", "lord", "lady",
                        "rev", "revd", "cllr", "cllrs", "councillor", "councillors"})
# The personal titles that start an entry of a printed list of people ("Cllr A Smith, Mr B
# Jones"), as a regular-expression alternation for the parsers' list patterns.
LIST_TITLE = r"(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)"
_BY_FIRST: dict[str, list[tuple[str, ...]]] = {}
for _p in TITLE_PHRASES:
    _BY_FIRST.setdefault(_p[0], []).append(_p)

# Words that make a phrase a role or an organisation rather than a person's name.
ROLE_WORDS = set(
    """
    chief deputy assistant acting temporary interim police crime commissioner commissioners constable
    superintendent inspector officer officers executive director directors manager managers member
    members board panel head policy finance financial treasurer secretary chair chairman chairwoman
    chairperson vice advisor adviser strategic council county borough district city office opcc
    services service coordinator co-ordinator practitioner senior lay independent co-opted coopted
    governance scrutiny democratic commercial corporate solicitor legal analyst lead representative
    clerk observer observers notetaker note-taker minutes minute webcaster force wmp pcc dpcc apcc
    acc dcc cc ceo cfo coo hr analyst researcher assistant principal public health research
    communications engagement partnership partnerships programme project projects commissioning
    support unit team department directorate authority government home ministry constabulary
    police's pcc's group committee professional standards development performance planning
    operations operational business administrator administration consultant specialist auditor
    audit accountant economist nurse doctor medical nursing clinical estates digital technology
    information press staff governor voting non-executive & and of the for to
    co-chair co-chairman vice-chair vice-chairman vice-chairwoman co-ordinator notetaker secretary
    guest presenter leader mayor deputy-mayor neighbourhood mbc mdc
    """.split()
)

# Letters after a name: "Steve O'Connell AM", "Mr P M Hill, OBE". Never part of the name.
POST_NOMINALS = {"am", "mp", "mep", "ms", "obe", "mbe", "cbe", "kbe", "qpm", "jp", "kc", "qc", "dl", "bem", "frsa"}

# Words that start an organisation printed after a name with no separator ("Mr Timothy Adams
# Norfolk County Council", "Mr Nigel Dixon North Norfolk District Council"): the place before
# them belongs to the organisation, not to the name.
ORG_WORDS = {"county", "borough", "district", "city", "council", "constabulary", "police", "mbc", "mdc",
             "metropolitan", "unitary", "town", "parish", "fire", "authority", "university"}
COMPASS = {"north", "south", "east", "west", "greater", "mid", "great", "new"}

# Ordinary heading words: a line made of these is a heading, never a person. ("Hall" and
# "House" are surnames too: "Cllr Lynn Hall", "Councillor Hall - Kirklees MBC".)
STOP_WORDS = set(
    """
    papers paper agenda item items notes meeting meetings welcome introductions introduction apologies
    apology declarations declaration interest interests public questions question report reports
    date time venue location action actions decision decisions present attendance attendees purpose
    summary background recommendations recommendation contact webcast media available room
    centre center street road update updates none nil matters arising minutes previous next
    any other aob close closed part exempt confidential appendix annex page section plan strategy
    monday tuesday wednesday thursday friday saturday sunday also attended in absent
    there were no was were had has is are be been received given sent tendered noted from by
    observers webcaster note taker
    """.split()
)

NAME_TOKEN = re.compile(r"^(?:[A-Z][A-Za-z'’\-]*|[A-Z]\.?|Mc[A-Z][a-z]+|O['’][A-Z][A-Za-z]+|[A-Z][a-z]+-[A-Z][a-z]+-?)$")
INITIALS = re.compile(r"^\(?[A-Z]{1,4}[a-z]?\)?$")


def tokens(text: str) -> list[str]:
    return [t for t in re.split(r"\s+", text.strip()) if t]


def strip_title(toks: list[str]) -> tuple[list[str], list[str]]:
    """Split leading honorifics/ranks (possibly several: "Dr Cllr") off a token list."""
    title: list[str] = []
    changed = True
    while changed and toks:
        changed = False
        low = [t.lower().rstrip(".,") for t in toks]
        # Only phrases starting with this word can match; _BY_FIRST keeps TITLE_PHRASES' order.
        for phrase in _BY_FIRST.get(low[0], ()):
            n = len(phrase)
            # keep at least one token: "Chief Constable" alone is a role, not a title + name
            if len(toks) > n and tuple(low[:n]) == phrase:
                title += toks[:n]
                toks = toks[n:]
                changed = True
                break
    return title, toks


def is_name_token(tok: str) -> bool:
    low = tok.lower().strip(".,;:")
    if not tok or low in STOP_WORDS or low in ROLE_WORDS:
        return False
    if any(ch.isdigit() for ch in tok):
        return False
    return bool(NAME_TOKEN.match(tok.rstrip(",;:")))


PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "du", "le", "la", "bin", "al", "del"}


def name_prefix(toks: list[str], max_len: int = 5) -> tuple[list[str], list[str]]:
    """Leading run of name-like tokens (after titles) and the rest of the tokens. Lower-case
    particles count when a capitalised token follows ("Jan van Berg")."""
    i = 0
    while i < len(toks) and i < max_len:
        if i and toks[i].strip(".,").lower() in POST_NOMINALS and toks[i].strip(".,").isupper():
            break
        if is_name_token(toks[i]):
            i += 1
        elif i and toks[i] in PARTICLES and i + 1 < len(toks) and is_name_token(toks[i + 1]):
            i += 2
        else:
            break
    i = _before_organisation(toks, i)
    return toks[:i], toks[i:]


def _before_organisation(toks: list[str], i: int) -> int:
    """Give back the place words of an organisation that follows the name unseparated."""
    if i >= len(toks) or toks[i].lower().strip(".,") not in ORG_WORDS:
        return i
    k = i
    while k > 2 and toks[k - 1][:1].isupper():  # keep a first name and a surname at least
        k -= 1
        if toks[k - 1].lower() not in COMPASS:
            break
    if k > 2 and toks[k - 1].lower() in COMPASS:
        k -= 1
    return k if i - k <= 2 else i


def fix_case(tok: str) -> str:
    """JAMIESON -> Jamieson, MCNEIL -> McNeil, O'NEILL -> O'Neill, WARNER-SOUTHWELL -> Warner-Southwell.
    Short all-capital tokens that are not the surname are initials ("S J", "AC") and stay."""
    if not (tok.isupper() and sum(c.isalpha() for c in tok) >= 2):
        return tok
    return "-".join(_cap_part(p) for p in tok.split("-"))


def _cap_part(part: str) -> str:
    if not part:
        return part
    low = part.lower()
    m = re.match(r"^(o['’])(\w+)$", low)
    if m:
        return m.group(1).upper() + m.group(2).capitalize()
    if low.startswith("mc") and len(low) > 3:
        return "Mc" + low[2:].capitalize()
    return low.capitalize()


def clean_name(toks: list[str]) -> str:
    """Name tokens -> printed name with capitals normalised. Initials before the surname stay
    as printed; the last token (the surname) is always case-normalised."""
    out = []
    for i, t in enumerate(toks):
        t = t.strip(",;:")
        last = i == len(toks) - 1
        if last or len(t.replace(".", "")) >= 3:
            t = fix_case(t)
        out.append(t)
    return " ".join(out)


def looks_like_initials(text: str) -> bool:
    """"(JC)", "RHL", "RJ/DB/AC": a short code standing for a person, not a name."""
    return bool(re.fullmatch(r"\(?[A-Z]{1,4}[a-z]?(?:/[A-Z]{1,4})*\)?", text.strip()))
