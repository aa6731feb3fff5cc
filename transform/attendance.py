"""Attendance: who was present, in attendance, sent apologies or was absent.

``parse_attendance(lines)`` reads the whole document's cleaned lines and finds:

* labelled lists ("Present:", "Attendance", "Also attended:", "In attendance:", "Apologies:",
  "Absent:"), with the people on the label's own line or on the lines below, printed as bullets,
  "Name : Role", "Name – Role", "Name (Role, Org)", "Name, Role" or one comma-separated line;
* apologies given in prose ("Apologies were received from Assistant Chief Constable Chris
  Johnson, ... and Dr Cath Hannon"; "Mrs X and Colonel Y had also given apologies");
* as a last resort, an unlabelled run of "Name (XX) – Role" lines near the top (pages whose
  list heading was lost).

Names lose their titles and ranks (the rank goes to ``role``), capitalised surnames are
normalised, a name split over two lines ("Brendan WARNER-" / "SOUTHWELL") is rejoined, and
unnamed observers / note takers / webcasters are skipped because they never parse as names.
"""
from __future__ import annotations

import re

from kernel.records import AttendanceStatus, ParsedAttendee
from transform import names as nm
from transform.html import strip_tags

S = AttendanceStatus

LABELS: list[tuple[str, AttendanceStatus]] = [
    (r"also\s+in\s+attendance|also\s+attended|also\s+present|officers?\s+(?:present|in\s+attendance|attendance)"
     r"|in\s+attendance(?:\s+for\s+specific\s+items)?|attending\s+officers?|officers|others\s+present|presenters",
     S.IN_ATTENDANCE),
    (r"(?:(?:main\s+)?(?:panel\s+)?members\s+)?present|attendance|attendees|attending", S.PRESENT),
    (r"apologies(?:\s+for\s+absence)?(?:\s+received)?|apologies\s+and\s+absences", S.APOLOGIES),
    (r"absent(?:ees)?", S.ABSENT),
]
# "Present:", "PRESENT: – …", or a label with no colon before a titled name ("Others Present Mr …").
LABEL_RE = [(re.compile(rf"^(?:{pat})\b\s*(?:[:\-–—]\s*(?:[–—\-]\s*)?(?P<rest>.*?)|\s*|\s+(?P<titled>{nm.LIST_TITLE}\b.*))$", re.I), st)
            for pat, st in LABELS]

PAGE_LABEL = re.compile(r"^(?:minutes|additional\s+documents|decision)\s*:$", re.I)
BULLET = re.compile(r"^\s*(?:[•·▪●◦‣∙*]|-(?=\s)|–(?=\s)|o(?=\s))\s*")
# The start of minutes proper: an item reference or a numbered heading ends any list.
ITEM_START = re.compile(r"^(?:\d{1,4}(?:/\d{2,4})?[.)]?\s+\S|ref\b|item\s+\d|minutes$|\d+\.$)", re.I)
SEPARATOR = re.compile(r"\s+[:–—|-]\s+|\s*:\s+|\t+|\s+[–—]\s*|(?<=[a-z)])[-–—]\s+(?=[A-Z])")

PROSE_FROM = re.compile(
    r"apolog(?:ies|y)\s+(?:for\s+(?:absence|lateness)\s+)?(?:(?:were|was|had\s+been|have\s+been|has\s+been)?\s*"
    r"(?:received|submitted|given|tendered|noted|accepted|reported|sent|presented)\s+)?"
    r"(?:for\s+absence\s+)?(?:from|on\s+behalf\s+of|by)\s*:?\s*(?P<list>.+)"
    # "The Head of Democratic Services reported apologies from the following Members: …"
    r"|(?:reported|received|noted|gave|tendered|submitted)\s+apolog(?:ies|y)\s+(?:for\s+absence\s+)?from\s*:?\s*(?P<list2>.+)",
    re.I,
)
# "the following Members:", "Councillors;" before the names of a prose list
LIST_LEAD = re.compile(r"^(?:the\s+following(?:\s+(?:members|councillors|people))?\s*:?\s*|(?=(?:councillors|cllrs)\s*[:;]))", re.I)
# "Warwickshire County Councillor X", "Nuneaton and Bedworth Borough Councillor, Y": the council's
# name before the title is not part of the name.
COUNCIL_TITLE = re.compile(r"(?:^|(?<=\band )|(?<=, )|(?<=from ))(?:[A-Z][\w'’\-]*\s+(?:and\s+)?){1,4}(?:County|Borough|District|City|Town|Parish)\s+(?:Borough\s+)?(Councillor|Cllr)\b,?", re.U)
# "…, for whom Andrew Boff AM attended as a substitute": the substitute was there.
FOR_WHOM = re.compile(r"^\s*(?:and\s+)?for\s+whom\s+(?P<name>.+?)\s+(?:attended|was\s+present|substituted)\b", re.I)
PROSE_GIVEN = re.compile(
    r"(?P<list>[^.]+?)\s+(?:had\s+|have\s+|has\s+)?(?:also\s+)?(?:given|sent|tendered|submitted|offered)"
    r"\s+(?:their\s+|his\s+|her\s+)?apologies",
    re.I,
)
# A full stop that ends a sentence, not one after an initial ("S. R. Colella") or a title.
SENTENCE_END = re.compile(r"(?<!\b[A-Z])(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)(?<!\bSt)\.(?=\s|$)")
PLURAL_TITLES = {"councillors", "cllrs", "cllrs.", "messrs", "members"}


def parse_attendance(lines: list[str]) -> list[ParsedAttendee]:
    clean = [_clean(ln) for ln in lines]
    people = _labelled(clean) + _prose_apologies(clean)
    if not any(p.status in (S.PRESENT, S.IN_ATTENDANCE) for p in people):
        people += _unlabelled(clean)
    return _dedupe(people)


# --------------------------------------------------------------------------------------
# line cleaning and labels
# --------------------------------------------------------------------------------------


def _clean(line: str) -> str:
    line = line or ""
    if "<" in line:
        line = strip_tags(line)
    line = line.replace("**", "").replace("\ufffe", "-").replace("\u00a0", " ")
    line = line.strip().strip("|").strip()
    if "|" in line:
        line = _CELL_BAR.sub(" : ", line)  # table cells: "Name | Role" reads as "Name : Role"
    if "*" in line:
        line = _EMPHASIS.sub(r"\1", line)  # markdown emphasis around a whole line
    return BULLET.sub("", line).strip()


_CELL_BAR = re.compile(r"\s*\|\s*")
_EMPHASIS = re.compile(r"^\*(.*)\*$")


def _label(line: str) -> tuple[AttendanceStatus, str] | None:
    text = line.strip().rstrip(".")
    for rx, status in LABEL_RE:
        m = rx.match(text)
        if m:
            return status, (m.group("rest") or m.group("titled") or "").strip()
    return None


def _labelled(lines: list[str]) -> list[ParsedAttendee]:
    out: list[ParsedAttendee] = []
    for i, line in enumerate(lines):
        hit = _label(line)
        if hit is None:
            continue
        status, rest = hit
        if rest and PROSE_FROM.search(line):
            continue  # "Apologies were received from ..." is prose, read by _prose_apologies
        if not rest:
            entries = _block_entries(lines, i + 1)
        else:
            tail = _inline_tail(lines, i + 1, rest)
            entries = [rest] + tail + _block_entries(lines, i + 1 + len(tail))
        out += _people_from_entries(entries, status)
    return out


def _inline_tail(lines: list[str], start: int, rest: str) -> list[str]:
    """'Present: Mr A, Mr B,' continuing on the next line(s)."""
    tail = []
    text = rest
    while _needs_more(text) and start < len(lines) and lines[start] and _label(lines[start]) is None:
        tail.append(lines[start])
        text = lines[start]
        start += 1
    return tail


def _block_entries(lines: list[str], start: int) -> list[str]:
    """The lines under a label, up to the next label, heading, item or prose line."""
    entries: list[str] = []
    blanks = 0
    i = start
    while i < len(lines):
        line = lines[i]
        i += 1
        if not line:
            blanks += 1
            if blanks > 2:
                break
            continue
        blanks = 0
        if not entries and PAGE_LABEL.match(line):
            continue  # "Apologies" / "Minutes:" / the list (ModernGov pages)
        if _label(line) is not None or ITEM_START.match(line):
            break
        if entries and _needs_more(entries[-1]):
            entries[-1] += " " + line
            continue
        if not _parse_line(line, single_ok=False) and not _is_fragment(line, entries):
            break
        entries.append(line)
    return entries


def _needs_more(text: str) -> bool:
    """A list line broken mid-entry: ends in a comma, 'and', or a bare title/initial ('Mr J')."""
    t = text.rstrip()
    if re.search(r"(,|\band|&)$", t):
        return True
    last = re.split(r",|\band\b", t)[-1].split()
    if not last:
        return False
    title, rest = nm.strip_title(last + ["X"])  # strip_title keeps one token; pad it
    rest = rest[:-1]
    return not rest or all(re.fullmatch(r"[A-Z]\.?", r) for r in rest)


def _is_fragment(line: str, entries: list[str]) -> bool:
    """The tail of the previous entry: "SOUTHWELL" after "Brendan WARNER-", or a wrapped role."""
    if not entries:
        return False
    toks = line.split()
    if len(toks) == 1 and nm.NAME_TOKEN.match(toks[0]) and re.search(r"-\s*(?::|$)|-\s", entries[-1]):
        return True
    return line[:1].islower() or all(t.lower().strip(",.") in nm.ROLE_WORDS for t in toks)


# --------------------------------------------------------------------------------------
# entries -> people
# --------------------------------------------------------------------------------------


def _people_from_entries(entries: list[str], status: AttendanceStatus) -> list[ParsedAttendee]:
    out: list[ParsedAttendee] = []
    single_ok = False
    for entry in entries:
        if out and _joins_previous(entry, out[-1]):
            continue
        parsed = _parse_line(entry, single_ok=single_ok)
        if not parsed and out:
            out[-1].role = _join_role(out[-1].role, entry)  # a wrapped role line
            continue
        for name, role in parsed:
            out.append(ParsedAttendee(person=name, role=role, status=status))
        single_ok = single_ok or any(len(n.split()) == 1 for n, _ in parsed)
    return out


def _joins_previous(entry: str, prev: ParsedAttendee) -> bool:
    """Rejoin a surname split at its hyphen: 'Brendan WARNER-' + 'SOUTHWELL'."""
    toks = entry.split()
    if prev.person.endswith("-") and len(toks) == 1 and nm.NAME_TOKEN.match(toks[0]):
        prev.person = prev.person + nm.fix_case(toks[0]).capitalize()
        return True
    return False


def _join_role(role: str | None, extra: str) -> str:
    return f"{role} {extra}".strip() if role else extra


def _parse_line(line: str, single_ok: bool) -> list[tuple[str, str | None]]:
    """One list line -> [(name, role)]. [] when the line holds no person."""
    line = line.strip().strip(",;").strip()
    if not line or PROSE_FROM.search(line):
        return []
    group = GROUP_LABEL.match(line)
    if group:
        councillors = group.group("who").lower() in ("councillors", "cllrs")
        return _comma_list(("Councillors " if councillors else "") + line[group.end():], single_ok or councillors)
    pairs = _dash_pairs(line)
    if pairs:
        return pairs
    attended = ATTENDED.match(line)
    if attended:
        got = _person(attended.group("name"), trailing_ok=False, single_ok=True)
        return [got] if got else []
    split = _split_separator(line)
    if split:
        return split
    return _comma_list(line, single_ok)


DASH = re.compile(r"\s+[–—-]\s+|(?<=[a-z])[-–—]\s+(?=[A-Z])")


def _dash_pairs(line: str) -> list[tuple[str, str | None]]:
    """'Jane Bellis – AAP Co-ordinator Lyndsey Hunter – Community Development Project Officer':
    "Name – Role" pairs run together; each name is the run of name words before its dash."""
    dashes = list(DASH.finditer(line))
    if len(dashes) < 2:
        return []
    starts, names = [], []
    for d in dashes:
        toks = line[: d.start()].split()
        k = len(toks)
        while k > 0 and len(toks) - k < 3 and nm.is_name_token(toks[k - 1]):
            k -= 1
        name = toks[k:]
        if len(name) < 2:
            return []
        names.append(" ".join(name))
        starts.append(len(" ".join(toks[:k])))
    out = []
    for n, d in enumerate(dashes):
        end = starts[n + 1] if n + 1 < len(dashes) else len(line)
        if n == 0 and line[: starts[0]].strip():
            return []  # something before the first name: not a run of pairs
        out.append((nm.clean_name(names[n].split()), line[d.end(): end].strip() or None))
    return out


def _split_separator(line: str) -> list[tuple[str, str | None]]:
    """'Name : Role', 'Name – Role', 'Name (XX) – Role', or the role first ('Chair – Name')."""
    m = _top_level(SEPARATOR, line)
    if m is None:
        return []
    left, right = line[: m.start()].strip(), line[m.end():].strip()
    if "," in left and not _person(left.split(",")[0], trailing_ok=False, single_ok=False):
        return []
    got = _person(left, trailing_ok=True, single_ok=False)
    if got and got[0]:
        return [(got[0], _join_role(got[1], right) if right else got[1])]
    got = _person(right, trailing_ok=False, single_ok=False)
    if got:
        return [(got[0], _join_role(left, got[1]) if got[1] else left)]
    return []


def _top_level(rx: re.Pattern, text: str):
    """First match of rx outside parentheses."""
    for m in rx.finditer(text):
        before = text[: m.start()]
        if _balanced(before):
            return m
    return None


# A group's label inside an attendance list: "Councillors: A Cherryholme (…), …",
# "Independent Co-opted Members: Mr A Carter and Professor A James".
GROUP_LABEL = re.compile(r"^(?:[A-Z][\w\-]*\s+){0,3}(?P<who>Councillors|Cllrs|Members|Officers|Advisers|Advisors)\s*:\s*")
# "Councillor Collinson attended the meeting in accordance with …"; "Councillor Evison in the chair".
ATTENDED = re.compile(r"^(?P<name>(?:[A-Z][\w'’.\-]*\s+){0,3}[A-Z][\w'’\-]+)\s+(?:also\s+)?(?:attended|was\s+present|in\s+the\s+chair)\b")

# A personal title that starts a new entry of a list printed without commas
# ("Cllr Alan Bathurst Cllr Mrs Margaret Bemand", "Mr K Barrow (Leader) Mr G Butler").
TITLED = rf"(?:{nm.LIST_TITLE}|Professor|Prof|Air\s+Commodore)\.?\s+[A-Z]"
# (not after a title: "Cllr Mrs A Blackmore" is one entry)
RUNON_TITLE = re.compile(r"(?<=[a-z)])(?<!\band)(?<!\bCllr)(?<!\bCouncillor)(?<!\bMr)(?<!\bMrs)(?<!\bMs)(?<!\bDr)"
                         r"(?<!\bProf)(?<!\bProfessor)\s+(?=" + TITLED + ")")


def _split_runon(chunk: str) -> list[str]:
    """Entries printed one after another with no separator, each starting with its title (a
    two-column table flattened: "Mr W Richmond (Chairman) Norfolk County Council Mr Timothy …").
    The first part may be the tail of the entry before (its role, after a comma)."""
    cuts = [m.start() for m in RUNON_TITLE.finditer(chunk) if _balanced(chunk[: m.start()])]
    parts = [chunk[a:b].strip() for a, b in zip([0] + cuts, cuts + [len(chunk)])]
    if len(parts) > 1 and all(_person(p, trailing_ok=True, single_ok=False) for p in parts[1:]):
        return parts
    return [chunk]


def _balanced(text: str) -> bool:
    return text.count("(") == text.count(")")


def _titled(text: str) -> bool:
    """Does the text start with a personal title or rank ("Mr", "Cllr", "ACC", "Air Commodore")?"""
    return bool(nm.strip_title(nm.tokens(text))[0])


def _comma_list(line: str, single_ok: bool) -> list[tuple[str, str | None]]:
    """'Mr S J Mackay (Chairman), Mr R C Adams ... and Mr K Sahota' or 'John Champion, Role'."""
    chunks = [p for c in _split_top(line, r"[,;]") for p in _split_runon(c)]
    out: list[tuple[str, str | None]] = []
    plural = bool(chunks) and chunks[0].split()[0].lower() in PLURAL_TITLES
    for ci, chunk in enumerate(chunks):
        parts = _split_and(chunk, single_ok or plural)
        for part in parts:
            got = _person(part, trailing_ok=(ci == 0 and not out) or _titled(part), single_ok=single_ok or plural)
            if got:
                out.append(got)
                single_ok = single_ok or len(got[0].split()) == 1
            elif not out:
                return []  # the line does not start with a person: not a list line
            else:
                out[-1] = (out[-1][0], f"{out[-1][1]}, {part}" if out[-1][1] else part)
    return out


def _split_top(text: str, sep: str) -> list[str]:
    parts, depth, cur = [], 0, ""
    for ch in text:
        depth += ch == "("
        depth -= ch == ")"
        if depth == 0 and re.fullmatch(sep, ch):
            parts.append(cur.strip())
            cur = ""
        else:
            cur += ch
    parts.append(cur.strip())
    return [p for p in parts if p]


def _split_and(chunk: str, single_ok: bool) -> list[str]:
    """Split 'Mr W Parr and Mr K Sahota' but not 'Deputy Police and Crime Commissioner'."""
    for rx in (AND_ANY, AND_TITLED):
        pieces = [p.strip() for p in rx.split(chunk) if p.strip()]
        if len(pieces) > 1 and all(_person(p, trailing_ok=True, single_ok=single_ok) for p in pieces):
            if _titled(pieces[0]) and not single_ok and not all(_titled(p) for p in pieces[1:]):
                continue  # "Mr C Manning Borough Council of King's Lynn and West Norfolk"
            return pieces
    return [chunk]


AND_ANY = re.compile(r"\s+(?:and|&)\s+(?![^()]*\))")
# "… (Policy and Research Officer) and Ms L Steward (…) Kent Police and Crime Commissioner's Office"
AND_TITLED = re.compile(rf"\s+(?:and|&)\s+(?=(?:{nm.LIST_TITLE}|Professor|Prof)\.?\s)")


def _person(text: str, trailing_ok: bool, single_ok: bool) -> tuple[str, str | None] | None:
    """'Assistant Chief Constable Geoff Wessell' -> ('Geoff Wessell', 'Assistant Chief Constable').

    trailing_ok: words after the name are its role ('Mark Kenyon Chief Finance Officer');
    otherwise the fragment must be a name alone (so 'Chief Executive' is not a person).
    single_ok: a lone surname counts (lists such as 'Councillors Dakin, Evans and May')."""
    text = text.strip().strip(".,;:").strip()
    parens = re.findall(r"\(([^()]*)\)", text)
    bare = re.sub(r"\([^()]*\)", " ", text)
    title, toks = nm.strip_title(_skip_role_before_title(nm.tokens(bare)))
    if not toks:
        return None
    name, rest = nm.name_prefix(toks)
    if not name or (rest and not trailing_ok):
        return None
    if all(re.fullmatch(r"[A-Z]\.?", t) for t in name):
        return None  # initials only: an incomplete entry ("Mr J")
    if len(name) == 1 and not (title or single_ok or name[0].endswith("-")):
        return None
    return nm.clean_name(name), _role(title, parens, rest)


def _skip_role_before_title(toks: list[str]) -> list[str]:
    """'District Cllr Marcus Hart' -> 'Cllr Marcus Hart': role words are dropped only when a
    title follows them, so 'Chief Executive, Office of ...' never turns into a name."""
    for i, tok in enumerate(toks[:4]):
        if tok.lower().strip(".,") not in nm.ROLE_WORDS:
            title, rest = nm.strip_title(toks[i:])
            return toks[i:] if i and title else toks
    return toks


def _role(title: list[str], parens: list[str], rest: list[str]) -> str | None:
    bits = [" ".join(t for t in title if t.lower().strip(".") not in nm.HONORIFICS)]
    bits += [p.strip() for p in parens if not nm.looks_like_initials(p)]
    bits.append(" ".join(rest))
    role = ", ".join(b.strip(" –-,") for b in bits if b.strip(" –-,"))
    return role or None


# --------------------------------------------------------------------------------------
# apologies in prose, unlabelled lists, de-duplication
# --------------------------------------------------------------------------------------


FOLLOWING = re.compile(r"^\s*(?:the\s+following|the\s+following\s+(?:members|councillors|people))\s*:?\s*$", re.I)


def _prose_apologies(lines: list[str]) -> list[ParsedAttendee]:
    out: list[ParsedAttendee] = []
    for i, line in enumerate(lines):
        low = line.lower()
        if "apolog" not in low:
            continue  # both patterns need the word: skip their backtracking (speed only)
        for m in PROSE_FROM.finditer(line):
            listed = m.group("list") or m.group("list2")
            if FOLLOWING.match(listed):
                # "Apologies were received from the following:" and the names below, one a line
                out += _people_from_entries(_block_entries(lines, i + 1), S.APOLOGIES)
                continue
            out += _prose_list(_until_sentence_end(listed))
        if line.isascii() and ("apologies" not in low or not any(v in low for v in _GIVEN_VERBS)):
            continue  # PROSE_GIVEN needs "apologies" and one of its verbs (ASCII: re.I is lower-casing)
        for m in PROSE_GIVEN.finditer(line):
            text = re.split(r"(?<=[a-z)])\.\s+|^.*?\bin addition,?\s*", m.group("list"), flags=re.I)[-1]
            out += _prose_list(text)
    return out


_GIVEN_VERBS = ("given", "sent", "tendered", "submitted", "offered")


def _until_sentence_end(text: str) -> str:
    m = SENTENCE_END.search(text)
    return text[: m.start()] if m else text


def _prose_list(text: str) -> list[ParsedAttendee]:
    text = COUNCIL_TITLE.sub(lambda m: m.group(1), LIST_LEAD.sub("", text.strip()))
    text = re.sub(r"^(councillors|cllrs)\s*[:;]\s*", r"\1 ", text, flags=re.I)
    chunks = [p for c in _split_top(text, r"[,;]") for r in _split_runon(c)
              for p in re.split(r"\s+(?:and|&)\s+(?![^()]*\))", r)]
    plural = bool(chunks) and chunks[0].split()[0].lower().rstrip(":") in PLURAL_TITLES
    out = []
    for chunk in chunks:
        sub = FOR_WHOM.match(chunk)
        if sub:
            got = _person(sub.group("name"), trailing_ok=True, single_ok=False)
            if got:
                out.append(ParsedAttendee(person=got[0], role="substitute", status=S.PRESENT))
            continue
        chunk = re.sub(r"^and\s+", "", chunk.strip())
        got = None if (_organisation(re.sub(r"\([^()]*\)", "", chunk)) and not _titled(chunk)) else \
            _person(chunk, trailing_ok=True, single_ok=plural)
        if not got:
            if out and _organisation(chunk):
                continue  # "Sarah Ferriby, City of Bradford MDC; …": the member's council
            break  # the list is over ("... who was represented by ...")
        out.append(ParsedAttendee(person=got[0], role=got[1], status=S.APOLOGIES))
    return out


def _organisation(text: str) -> bool:
    toks = [t.strip(".,;()") for t in text.split()]
    return bool(toks) and any(t.lower() in nm.ORG_WORDS or (t.isupper() and len(t) >= 3 and t.lower() not in nm.POST_NOMINALS)
                              for t in toks)


STRICT_ENTRY = re.compile(r"^[A-Z][\w'’\-]+(?:\s+[A-Z][\w'’\-]*){1,3}\s*(?:\([^()]{1,12}\))?\s*[^\s]*\s*[–—:-]\s+\S")
# "John Campion (JPC) Chair, Police and Crime Commissioner", "PFCC Stephen Mold (SM)": a name
# followed by the initials the minutes use for that person.
INITIALS_ENTRY = re.compile(r"^(?P<name>(?:[A-Z][\w/’'.\-]*\s+){1,5}?[A-Z][\w’'\-]+)\s*\((?P<ini>[A-Z][A-Za-z]{0,4})\)\s*(?P<role>.*)$")


def _unlabelled(lines: list[str]) -> list[ParsedAttendee]:
    """A run of 'Name (XX) – Role' lines before the first item, when no label introduced it."""
    run: list[str] = []
    for line in lines[:80]:
        if ITEM_START.match(line) and run:
            break
        if line and STRICT_ENTRY.match(line) and _split_separator(line):
            run.append(line)
        elif line and _initials_entry(line):
            run.append(_initials_entry(line))
        elif line and len(run) < 3:
            run = []
        elif line:
            break
    return _people_from_entries(run, S.PRESENT) if len(run) >= 3 else []


def _initials_entry(line: str) -> str | None:
    """'John Campion (JPC) Chair, Police and Crime Commissioner' -> 'John Campion (JPC) : Chair, ...'
    when the initials fit the name (J.. C..), so that the role after it is not read as a name."""
    m = INITIALS_ENTRY.match(line.strip())
    if not m:
        return None
    title, toks = nm.strip_title(nm.tokens(m.group("name")))
    name, rest = nm.name_prefix(toks)
    if len(name) < 2 or rest:
        return None
    ini = m.group("ini").upper()
    if name[-1][:1].upper() not in ini:
        return None
    role = m.group("role").strip(" –—-,")
    return f"{m.group('name')} ({m.group('ini')})" + (f" : {role}" if role else "")


def _dedupe(people: list[ParsedAttendee]) -> list[ParsedAttendee]:
    seen: set[tuple[str, str]] = set()
    out = []
    for p in people:
        key = (p.person.lower(), p.status.value)
        if p.person.endswith("-") or key in seen:
            continue
        seen.add(key)
        out.append(p)
    return out
