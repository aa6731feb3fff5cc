"""People: one row per real person, joining the spellings of a name across documents.

Who is a person: everyone named in an ``attendance`` row. Their other spellings come from the
attendance lists of other documents, from action owners ("TB", "Chief Constable") and from
titled names in item text ("ACC Meir", "Deputy Chief Constable Louisa Rolfe", "asked by David
Jamieson"). Mentions never create people; they only join one when the evidence is unambiguous.

How spellings are joined (deterministic: same warehouse, same people and ids):

1. A spelling is normalised: titles and honorifics dropped (Mr, Cllr, DCC, Assistant Chief
   Constable…), bracketed notes dropped ("(Chairman)", "(HM)"), capitals folded
   ("David JAMIESON" = "David Jamieson"). What is left is given names + surname.
2. Full names with the same normalised given name and surname are one person.
3. Two full names with the same surname and *similar* first names ("Louisa"/"Louise": rapidfuzz
   ratio ≥ 80, or a known short form such as Dave/David) are one person only with supporting
   evidence: a shared role (similarity ≥ 85) or a shared source. Different first names are
   never joined: "Jonathan Jardine" and "Vanessa Jardine" stay two people.
4. Initials + surname ("S J Mackay") join the one full name of the same source whose initials
   agree; with none, or more than one, it is a person of its own.
5. A surname with a title ("Mr Jamieson", "ACC Meir") joins a person only if exactly one
   candidate fits: people with that surname at the same meeting, else in the same source,
   narrowed by the rank the title implies (ACC → Assistant Chief Constable). "Mr Jardine" with
   two Jardines at the table joins nobody.
6. Action owners written as initials ("TB") or as a role ("Chief Constable", "PCC") join the one
   attendee of the same meeting with those initials or that role.

``person_id`` is the slug of the person's canonical name: the most complete spelling (full
first name over initials), then the most frequent, then the alphabetically first. So ids are
stable across reloads and rebuilds, and change only when new evidence changes the canonical
spelling of a person.

In the warehouse, item text is read once per document: the titled names and "asked by" names in
it are extracted into ``item_names(document_id, ordinal, seq, title, name)`` when the document's
items are loaded (the step "item_names", warehouse/steps.py), and resolution, which is global
(a new attendance list can join spellings anywhere), reads those instead of the text.
"""
from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import duckdb
from rapidfuzz import fuzz

from warehouse._rows import insert_rows

PEOPLE_VERSION = "1"

# Longest first: "Assistant Chief Constable" must be stripped before "Chief Constable".
TITLES = sorted([
    "assistant chief constable", "deputy chief constable", "chief constable", "temporary chief constable",
    "detective chief superintendent", "chief superintendent", "chief supt", "superintendent", "supt",
    "detective chief inspector", "chief inspector", "inspector", "sergeant", "constable",
    "assistant police and crime commissioner", "deputy police and crime commissioner",
    "police and crime commissioner", "assistant pcc", "deputy pcc", "pcc", "acc", "dcc", "cc", "dcs",
    "dci", "di", "ds", "pc", "t/acc", "t/dcc", "councillor", "cllr", "mr", "mrs", "ms", "miss", "mx", "dr",
    "prof", "professor", "sir", "dame", "lord", "lady", "rev", "reverend", "the rt hon", "rt hon",
], key=len, reverse=True)
TITLE_RANK = {  # title -> words its holder's role contains
    "assistant chief constable": "assistant chief constable", "acc": "assistant chief constable",
    "t/acc": "assistant chief constable", "deputy chief constable": "deputy chief constable",
    "dcc": "deputy chief constable", "t/dcc": "deputy chief constable", "chief constable": "chief constable",
    "cc": "chief constable", "superintendent": "superintendent", "supt": "superintendent",
    "chief superintendent": "chief superintendent", "chief supt": "chief superintendent",
    "police and crime commissioner": "police and crime commissioner", "pcc": "police and crime commissioner",
    "deputy pcc": "deputy police and crime commissioner",
    "deputy police and crime commissioner": "deputy police and crime commissioner",
    "assistant pcc": "assistant police and crime commissioner",
    "assistant police and crime commissioner": "assistant police and crime commissioner",
}
# Roles written as action owners, and the words the attendee's role must contain.
OWNER_ROLES = {
    "pcc": "police and crime commissioner", "police and crime commissioner": "police and crime commissioner",
    "commissioner": "police and crime commissioner", "the commissioner": "police and crime commissioner",
    "deputy pcc": "deputy police and crime commissioner", "dpcc": "deputy police and crime commissioner",
    "chief constable": "chief constable", "the chief constable": "chief constable", "cc": "chief constable",
    "deputy chief constable": "deputy chief constable", "dcc": "deputy chief constable",
    "acc": "assistant chief constable", "assistant chief constable": "assistant chief constable",
    "chief executive": "chief executive", "treasurer": "treasurer", "chief finance officer": "chief finance officer",
    "cfo": "chief finance officer", "chair": "chair", "chairman": "chair",
}
SHORT_FORMS = {
    "dave": "david", "bill": "william", "will": "william", "bob": "robert", "rob": "robert",
    "jim": "james", "jon": "jonathan", "tom": "thomas", "tony": "anthony", "steve": "stephen",
    "mike": "michael", "chris": "christopher", "nick": "nicholas", "andy": "andrew", "liz": "elizabeth",
    "kate": "katherine", "sue": "susan", "pete": "peter", "phil": "philip", "matt": "matthew",
    "dan": "daniel", "sam": "samuel", "alex": "alexander", "ben": "benjamin", "rich": "richard",
}
_TRAILING_STOP = {"the", "this", "that", "he", "she", "it", "and", "but", "also", "said", "who", "as",
                  "in", "on", "for", "of", "to", "a", "an", "item", "report", "board"}

_NOTE = re.compile(r"\([^)]*\)")
_ROLE_SEP = re.compile(r"\s[:–—-]\s|,")
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[a-z]")
# A title at the start of a normalised spelling: "acc meir" -> "acc" (alternatives tried longest first).
_TITLE_PREFIX = re.compile("(?:" + "|".join(re.escape(t) for t in TITLES) + ")(?= |$)")
_TITLE_ALT = "|".join(re.escape(t).replace(r"\ ", r"\s+") for t in TITLES)
# Titled names in running text: the title, then 1-3 capitalised words.
_NAME = r"[A-Z][a-zA-Z'\u2019\-]+"
_MENTION_RE = re.compile(
    rf"\b(?P<title>Mr|Mrs|Ms|Miss|Dr|Cllr|Councillor|ACC|DCC|PCC|Supt\.?|Chief\s+Supt\.?|Superintendent|"
    rf"Chief\s+Superintendent|Chief\s+Inspector|Assistant\s+Chief\s+Constable|Deputy\s+Chief\s+Constable|"
    rf"Chief\s+Constable|Deputy\s+PCC|Assistant\s+PCC|Sir|Dame)\s+(?P<name>{_NAME}(?:\s+{_NAME}){{0,2}})")
_BY_RE = re.compile(rf"\b(?:asked|presented|introduced|chaired|moved|seconded)\s+by\s+"
                    rf"(?P<name>{_NAME}\s+{_NAME}(?:\s+{_NAME})?)")


@dataclass
class Name:
    given: tuple[str, ...]  # lower-case given names or initials
    surname: str  # lower-case
    titles: tuple[str, ...]  # lower-case titles found

    @property
    def initials_only(self) -> bool:
        return bool(self.given) and all(len(g) == 1 for g in self.given)

    @property
    def full(self) -> bool:
        return bool(self.given) and len(self.given[0]) > 1

    @property
    def key(self) -> tuple:
        return (self.given, self.surname)

    @property
    def first_initial(self) -> str:
        return self.given[0][0] if self.given else ""


@functools.lru_cache(maxsize=1 << 16)
def _fold(s: str) -> str:
    if s.isascii():  # nothing to decompose or drop
        return s
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c)).replace("\u2019", "'")


@functools.lru_cache(maxsize=1 << 16)
def parse_name(spelling: str) -> Name | None:
    """Normalise a written name; None when nothing name-like is left. (Cached: the same spellings
    recur in every attendance list; a Name is never modified.)"""
    s = _fold(spelling)
    s = _NOTE.sub(" ", s)  # "(Chairman)", "(HM)"
    s = _ROLE_SEP.split(s)[0]  # "Name : role", "Name – role", "Name, role"
    s = s.replace(".", " ")
    s = _SPACES.sub(" ", s).strip().lower()
    titles = []
    while s and (m := _TITLE_PREFIX.match(s)):  # the longest title s starts with, repeatedly
        titles.append(m.group())
        s = s[m.end():].strip()
    tokens = [t for t in s.split(" ") if t and _LETTER.search(t)]
    if not tokens:
        return None
    # "J.Smith" / "S.J Mackay" leave glued initials: "sj" stays a token, split only if all caps
    # originally; keep it simple and treat 1-letter tokens as initials.
    return Name(tuple(tokens[:-1]), tokens[-1], tuple(titles))


@functools.lru_cache(maxsize=1 << 16)
def display(spelling: str) -> str:
    """A spelling as shown: titles and notes dropped, capitals folded ("David JAMIESON" →
    "David Jamieson")."""
    n = parse_name(spelling)
    if n is None:
        return spelling.strip()
    def cap(w: str) -> str:
        return "-".join(p[:1].upper() + p[1:] for p in w.split("-"))
    return " ".join([cap(g) if len(g) > 1 else g.upper() for g in n.given] + [cap(n.surname)])


def _slug(s: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _fold(s).lower()).strip("-") or "unknown"


@functools.lru_cache(maxsize=1 << 16)
def first_names_compatible(a: str, b: str) -> bool:
    if a == b:
        return True
    if SHORT_FORMS.get(a, a) == SHORT_FORMS.get(b, b):
        return True
    return min(len(a), len(b)) >= 4 and fuzz.ratio(a, b) >= 80


@functools.lru_cache(maxsize=1 << 16)
def _role_words(role: str | None) -> str:
    return _SPACES.sub(" ", _fold(role or "").lower()).strip()


def roles_agree(a: set[str], b: set[str]) -> bool:
    return any(x and y and fuzz.ratio(x, y) >= 85 for x in a for y in b)


@dataclass
class Person:
    names: dict[tuple, Name] = field(default_factory=dict)
    spellings: Counter = field(default_factory=Counter)  # display spelling -> count (attendance)
    roles: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    person_id: str = ""
    name: str = ""


class _UF:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Resolution:
    people: list[Person]
    by_key: dict[tuple, Person]
    attendance: dict[tuple[str, int], str]  # (document_id, ordinal) -> person_id
    mentions: list[tuple]  # person_mentions rows


def extract_names(text: str | None) -> list[tuple[str, str]]:
    """The candidate names in a text, in order: (title as written, "" after "asked by" and the
    like; the capitalised words after it, trailing stop words trimmed)."""
    out = []
    for m in list(_MENTION_RE.finditer(text or "")) + list(_BY_RE.finditer(text or "")):
        title = re.sub(r"\s+", " ", m.groupdict().get("title") or "")
        name = _trim(m.group("name"))
        if name:
            out.append((title, name))
    return out


def resolve(attendance: list[tuple], owners: list[tuple], texts: list[tuple]) -> Resolution:
    """attendance: (document_id, ordinal, meeting_id, source_id, person, role);
    owners: (document_id, ordinal, meeting_id, source_id, owner);
    texts: (document_id, ordinal, meeting_id, source_id, text)."""
    names = [(doc, ordinal, meeting, source, title, name, n)
             for n, (doc, ordinal, meeting, source, text) in enumerate(texts)
             for title, name in extract_names(text)]
    return resolve_names(attendance, owners, names)


def resolve_names(attendance: list[tuple], owners: list[tuple], names: list[tuple]) -> Resolution:
    """``resolve`` with the names already extracted from the texts (``extract_names``):
    names: (document_id, ordinal, meeting_id, source_id, title, name, text), ``text`` a key of
    the text they were found in; the names of one text together and in their order."""
    # -- 1. attendance spellings grouped by exact normalised key --------------------------
    keys: dict[tuple, Name] = {}
    key_roles: dict[tuple, set[str]] = defaultdict(set)
    key_sources: dict[tuple, set[str]] = defaultdict(set)
    key_spellings: dict[tuple, Counter] = defaultdict(Counter)
    row_key: dict[tuple[str, int], tuple] = {}
    for doc, ordinal, meeting, source, person, role in attendance:
        n = parse_name(person or "")
        if n is None or not n.given:
            continue  # a bare surname in an attendance list: not enough to make a person
        keys[n.key] = n
        key_roles[n.key].add(_role_words(role))
        key_sources[n.key].add(source)
        key_spellings[n.key][display(person)] += 1
        row_key[(doc, ordinal)] = n.key
    uf = _UF()
    by_surname: dict[str, list[tuple]] = defaultdict(list)
    for k in sorted(keys):
        uf.find(k)
        by_surname[keys[k].surname].append(k)
    # -- 2./3. similar full first names, with evidence ---------------------------------------
    for surname, ks in by_surname.items():
        full = [k for k in ks if keys[k].full]
        for i, a in enumerate(full):
            for b in full[i + 1:]:
                na, nb = keys[a], keys[b]
                if not first_names_compatible(na.given[0], nb.given[0]):
                    continue
                if _middle_conflict(na, nb):
                    continue
                if na.given[0] == nb.given[0] or roles_agree(key_roles[a], key_roles[b]) \
                        or key_sources[a] & key_sources[b]:
                    uf.union(a, b)
    # -- 4. initials join the one full name of the same source with the same initials -------
    for surname, ks in by_surname.items():
        for k in ks:
            n = keys[k]
            if not n.initials_only:
                continue
            cands = {uf.find(f) for f in ks if keys[f].full and _initials_agree(n, keys[f])
                     and key_sources[f] & key_sources[k]}
            if len(cands) == 1:
                uf.union(k, cands.pop())
    # -- people ------------------------------------------------------------------------------
    groups: dict[tuple, list[tuple]] = defaultdict(list)
    for k in sorted(keys):
        groups[uf.find(k)].append(k)
    people: list[Person] = []
    by_key: dict[tuple, Person] = {}
    for root, ks in sorted(groups.items()):
        p = Person()
        for k in ks:
            p.names[k] = keys[k]
            p.spellings.update(key_spellings[k])
            p.roles |= {r for r in key_roles[k] if r}
            p.sources |= key_sources[k]
            by_key[k] = p
        best = sorted(p.spellings.items(), key=lambda kv: (not parse_name(kv[0]).full, -kv[1], kv[0]))
        p.name = best[0][0]
        people.append(p)
    used: dict[str, int] = {}
    for p in sorted(people, key=lambda p: (_slug(p.name), sorted(p.spellings))):
        base = _slug(p.name)
        used[base] = used.get(base, 0) + 1
        p.person_id = base if used[base] == 1 else f"{base}-{used[base]}"
    people.sort(key=lambda p: p.person_id)
    att = {rk: by_key[k].person_id for rk, k in row_key.items()}

    # -- who sat at which meeting, for owners and titled surnames ------------------------------
    at_meeting: dict[str, set[str]] = defaultdict(set)
    roles_at: dict[tuple[str, str], str] = {}  # (meeting, person_id) -> role words
    for doc, ordinal, meeting, source, person, role in attendance:
        pid = att.get((doc, ordinal))
        if pid and meeting:
            at_meeting[meeting].add(pid)
            if role:
                roles_at[(meeting, pid)] = _role_words(role)
    by_id = {p.person_id: p for p in people}
    surname_index: dict[str, list[Person]] = defaultdict(list)
    for p in people:
        for s in sorted({n.surname for n in p.names.values()}):
            surname_index[s].append(p)

    mentions: list[tuple] = []
    for doc, ordinal, meeting, source, person, role in attendance:
        pid = att.get((doc, ordinal))
        if pid:
            mentions.append((pid, person, "attendance", doc, ordinal, meeting, "name"))

    def by_name(n: Name, meeting: str | None, source: str) -> tuple[str | None, str]:
        if n.given and n.key in by_key:
            return by_key[n.key].person_id, "name"
        cands = surname_index.get(n.surname, [])
        if n.full:
            fit = [p for p in cands if any(m.full and first_names_compatible(m.given[0], n.given[0])
                                           for m in p.names.values()) and source in p.sources]
            return (fit[0].person_id, "similar name") if len(fit) == 1 else (None, "")
        if n.initials_only:
            fit = [p for p in cands if any(_initials_agree(n, m) for m in p.names.values())]
            local = [p for p in fit if source in p.sources]
            fit = local if local else fit
            return (fit[0].person_id, "initials") if len(fit) == 1 else (None, "")
        # surname only: same meeting first, then same source; narrowed by the title's rank
        rank = next((TITLE_RANK[t] for t in n.titles if t in TITLE_RANK), None)
        for scope, why in ((lambda p: p.person_id in at_meeting.get(meeting or "", ()), "surname at meeting"),
                           (lambda p: source in p.sources, "surname in source")):
            fit = [p for p in cands if scope(p)]
            if rank:
                ranked = [p for p in fit if any(rank in r for r in p.roles)]
                fit = ranked if ranked else fit
            if len(fit) == 1:
                return fit[0].person_id, why
            if len(fit) > 1:
                return None, ""
        return None, ""

    for doc, ordinal, meeting, source, owner in owners:
        if not owner:
            continue
        pid, why = _owner(owner, meeting, at_meeting, roles_at, by_id)
        if pid is None:
            n = parse_name(owner)
            if n is not None and (n.given or n.titles):
                pid, why = by_name(n, meeting, source)
        if pid:
            mentions.append((pid, owner, "action_owner", doc, ordinal, meeting, why))
    for _text, rows in itertools.groupby(names, key=lambda r: r[6]):
        seen = set()
        for doc, ordinal, meeting, source, title, name, _ in rows:
            words = name.split()
            # "Deputy PCC Ashley Bertie Chaired this item": try the longest name first.
            for k in range(len(words), 0 if title else 1, -1):
                spelling = " ".join(([title] if title else []) + words[:k])
                n = parse_name(spelling)
                if n is None:
                    continue
                pid, why = by_name(n, meeting, source)
                if pid:
                    if (pid, spelling) not in seen:
                        seen.add((pid, spelling))
                        mentions.append((pid, spelling, "text", doc, ordinal, meeting, why))
                    break
    mentions.sort(key=lambda r: (r[0], r[2], r[3], r[4], r[1]))
    return Resolution(people, by_key, att, mentions)


def _trim(name: str) -> str:
    words = name.split()
    while words and words[-1].lower() in _TRAILING_STOP:
        words.pop()
    return " ".join(words)


def _middle_conflict(a: Name, b: Name) -> bool:
    """Both carry a middle name/initial and they differ."""
    if len(a.given) > 1 and len(b.given) > 1:
        return a.given[1][0] != b.given[1][0]
    return False


def _initials_agree(initials: Name, full: Name) -> bool:
    if not full.given or initials.given[0][0] != full.given[0][0]:
        return False
    if len(initials.given) > 1 and len(full.given) > 1:
        return initials.given[1][0] == full.given[1][0]
    return True


def _owner(owner: str, meeting: str | None, at_meeting, roles_at, by_id) -> tuple[str | None, str]:
    o = owner.strip()
    if not meeting:
        return None, ""
    present = sorted(at_meeting.get(meeting, ()))
    if re.fullmatch(r"[A-Z]{2,3}", o) and o.lower() not in OWNER_ROLES:
        fit = [pid for pid in present if _initials_of(by_id[pid].name) == o]
        return (fit[0], "initials at meeting") if len(fit) == 1 else (None, "")
    want = OWNER_ROLES.get(re.sub(r"\s+", " ", o.lower()))
    if want:
        fit = [pid for pid in present if _role_is(roles_at.get((meeting, pid), ""), want)]
        return (fit[0], "role at meeting") if len(fit) == 1 else (None, "")
    return None, ""


@functools.lru_cache(maxsize=1 << 16)
def _role_is(role: str, want: str) -> bool:
    """Does an attendee's role (as written) make them the owner named by ``want``?
    "West Mercia Police & Crime Commissioner" is the PCC; "Deputy Police and Crime
    Commissioner" and "Policy Officer, Office of the … Commissioner" are not."""
    head = role.replace("&", "and").split(",")[0].strip()
    if not head:
        return False
    if want.startswith(("deputy", "assistant")):
        return want in head
    return head.endswith(want) and not re.search(r"\b(deputy|assistant|office|officer)\b", head)


@functools.lru_cache(maxsize=1 << 16)
def _initials_of(name: str) -> str:
    parts = [p for p in re.split(r"[\s]+", name) if p]
    return "".join(p[0].upper() for p in parts if p[0].isalpha())


# --------------------------------------------------------------------------------------
# In the warehouse
# --------------------------------------------------------------------------------------


ITEM_NAMES = ("CREATE OR REPLACE TABLE item_names (document_id VARCHAR, ordinal BIGINT, seq INTEGER, "
              "title VARCHAR, name VARCHAR)")
NAMES_FETCH = 2000  # items per fetch: item text is held in Python only this many items at a time


def index_items(con: duckdb.DuckDBPyConnection) -> None:
    """Extract the names in the items of temp table ``_batch`` into ``item_names``."""
    cur = con.execute("SELECT document_id, ordinal, title || ' ' || text FROM _batch ORDER BY rowid")
    rows = []
    while chunk := cur.fetchmany(NAMES_FETCH):
        for doc, ordinal, text in chunk:
            rows += [(doc, ordinal, seq, title, name) for seq, (title, name) in enumerate(extract_names(text))]
    insert_rows(con, "item_names", ["document_id", "ordinal", "seq", "title", "name"], rows)


def build(con: duckdb.DuckDBPyConnection) -> Resolution:
    """(Re)create ``people`` and ``person_mentions``, and fill ``attendance.person_id``."""
    res = resolve_names(*read_inputs(con))
    write(con, res)
    return res


def read_inputs(con: duckdb.DuckDBPyConnection) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """``resolve_names``'s arguments, from the loaded tables."""
    attendance = con.execute("""
        SELECT a.document_id, a.ordinal, a.meeting_id, d.source_id, a.person, a.role
        FROM attendance a LEFT JOIN documents d USING (document_id)
        ORDER BY a.document_id, a.ordinal""").fetchall()
    owners = con.execute("""
        SELECT a.document_id, a.ordinal, a.meeting_id, d.source_id, a.owner
        FROM actions a LEFT JOIN documents d USING (document_id)
        WHERE a.owner IS NOT NULL ORDER BY a.document_id, a.ordinal""").fetchall()
    # One text per item and source of its document (as the items were read before item_names).
    names = con.execute("""
        SELECT n.document_id, n.ordinal, i.meeting_id, d.source_id, n.title, n.name,
               n.document_id || chr(0) || n.ordinal || chr(0) || coalesce(d.source_id, '')
        FROM item_names n
        JOIN items i ON i.document_id = n.document_id AND i.ordinal = n.ordinal
        LEFT JOIN documents d ON d.document_id = n.document_id
        ORDER BY n.document_id, n.ordinal, d.source_id, n.seq""").fetchall()
    return attendance, owners, names


def write(con: duckdb.DuckDBPyConnection, res: Resolution) -> None:
    """Write a resolution: ``people``, ``person_mentions``, ``attendance.person_id``."""
    con.execute("DROP TABLE IF EXISTS person_mentions")
    con.execute("""CREATE TABLE person_mentions (person_id VARCHAR, spelling VARCHAR, kind VARCHAR,
                   document_id VARCHAR, ordinal BIGINT, meeting_id VARCHAR, matched_by VARCHAR)""")
    insert_rows(con, "person_mentions", ["person_id", "spelling", "kind", "document_id", "ordinal", "meeting_id",
                                         "matched_by"], res.mentions)
    con.execute("DROP TABLE IF EXISTS _person_base")
    con.execute("CREATE TEMP TABLE _person_base (person_id VARCHAR, name VARCHAR)")
    insert_rows(con, "_person_base", ["person_id", "name"], [(p.person_id, p.name) for p in res.people])
    con.execute("DROP TABLE IF EXISTS _attendance_person")
    con.execute("CREATE TEMP TABLE _attendance_person (document_id VARCHAR, ordinal BIGINT, person_id VARCHAR)")
    insert_rows(con, "_attendance_person", ["document_id", "ordinal", "person_id"],
                [(d, o, pid) for (d, o), pid in sorted(res.attendance.items())])
    # Only the rows whose person changed.
    con.execute("""
        UPDATE attendance AS a SET person_id = c.person_id
        FROM (SELECT a.document_id, a.ordinal, ap.person_id
              FROM attendance a LEFT JOIN _attendance_person ap USING (document_id, ordinal)
              WHERE a.person_id IS DISTINCT FROM ap.person_id) c
        WHERE a.document_id = c.document_id AND a.ordinal = c.ordinal""")
    con.execute("""
        CREATE OR REPLACE TABLE people AS
        WITH m AS (
            SELECT pm.person_id, pm.spelling, pm.kind, mt.meeting_date, mt.source_id, mt.meeting_id
            FROM person_mentions pm LEFT JOIN meetings mt ON mt.meeting_id = pm.meeting_id
        ),
        att AS (
            SELECT a.person_id, list_sort(list_distinct(list(a.role) FILTER (WHERE a.role IS NOT NULL))) AS roles,
                   count(DISTINCT a.meeting_id) FILTER (WHERE a.status IN ('present', 'in_attendance')) AS meetings_attended,
                   count(DISTINCT a.meeting_id) FILTER (WHERE a.status = 'apologies') AS apologies
            FROM attendance a WHERE a.person_id IS NOT NULL GROUP BY a.person_id
        )
        SELECT b.person_id, b.name,
               list_sort(list_distinct(list(m.spelling))) AS spellings,
               len(list_distinct(list(m.spelling))) AS n_spellings,
               att.roles,
               list_sort(list_distinct(list(m.source_id) FILTER (WHERE m.source_id IS NOT NULL))) AS sources,
               min(m.meeting_date) AS first_seen, max(m.meeting_date) AS last_seen,
               coalesce(att.meetings_attended, 0) AS meetings_attended,
               coalesce(att.apologies, 0) AS apologies,
               count(*) FILTER (WHERE m.kind = 'action_owner') AS actions_owned,
               count(*) FILTER (WHERE m.kind = 'text') AS text_mentions
        FROM _person_base b
        LEFT JOIN m USING (person_id)
        LEFT JOIN att USING (person_id)
        GROUP BY b.person_id, b.name, att.roles, att.meetings_attended, att.apologies
        ORDER BY b.person_id""")
