"""People: spellings of one person joined, two people never merged on a surname alone."""
from tests.demo_data import demo  # noqa: F401
from warehouse.load import connect_read_only
from warehouse.people import display, parse_name, resolve


def att(doc, n, meeting, source, person, role=None):
    return (doc, n, meeting, source, person, role)


ATTENDANCE = [
    att("d1", 1, "spcb:2019-09-17", "spcb", "David JAMIESON", "Police and Crime Commissioner"),
    att("d1", 2, "spcb:2019-09-17", "spcb", "Jonathan JARDINE", "Chief Executive"),
    att("d1", 3, "spcb:2019-09-17", "spcb", "Louisa ROLFE", "Deputy Chief Constable"),
    att("d1", 4, "spcb:2019-09-17", "spcb", "Vanessa Jardine", "Assistant Chief Constable"),
    att("d2", 1, "spcb:2019-10-15", "spcb", "David Jamieson", "Police and Crime Commissioner"),
    att("d2", 2, "spcb:2019-10-15", "spcb", "DCC Louise Rolfe", "Deputy Chief Constable"),
    att("d2", 3, "spcb:2019-10-15", "spcb", "Mr J Jardine", None),  # initials: ambiguous? no: J = Jonathan only
    att("d3", 1, "pcp:2019-09-10", "pcp", "Mr R Evans", None),
    att("d4", 1, "wmgb:2023-01-01", "wmgb", "Mark Evans (ME)", "Deputy Chief Constable"),
]
OWNERS = [("d2", 1, "spcb:2019-10-15", "spcb", "PCC"), ("d4", 1, "wmgb:2023-01-01", "wmgb", "ME")]
TEXTS = [("d1", 5, "spcb:2019-09-17", "spcb", "Mr Jamieson thanked ACC Jardine; Mr Jardine replied."),
         ("d2", 6, "spcb:2019-10-15", "spcb", "The question was asked by David Jamieson.")]


def people_of(res):
    return {p.person_id: sorted(p.spellings) for p in res.people}


def test_names_are_normalised():
    assert display("David JAMIESON") == "David Jamieson"
    assert display("Mr S J Mackay (Chairman)") == "S J Mackay"
    assert display("Helen Marsh (HM) – Police and Crime Commissioner") == "Helen Marsh"
    n = parse_name("Assistant Chief Constable Vanessa Jardine")
    assert (n.given, n.surname, n.titles) == (("vanessa",), "jardine", ("assistant chief constable",))


def test_spellings_of_one_person_are_joined_and_different_people_are_not():
    res = resolve(ATTENDANCE, OWNERS, TEXTS)
    people = people_of(res)
    assert people["david-jamieson"] == ["David Jamieson"]  # JAMIESON folded
    assert people["louisa-rolfe"] == ["Louisa Rolfe", "Louise Rolfe"]  # similar name, same role
    assert "jonathan-jardine" in people and "vanessa-jardine" in people  # two Jardines stay two
    assert people["jonathan-jardine"] == ["J Jardine", "Jonathan Jardine"]  # initials, same source
    assert "r-evans" in people and "mark-evans" in people  # R ≠ M, and other sources
    assert res.attendance[("d2", 2)] == res.attendance[("d1", 3)] == "louisa-rolfe"


def test_mentions_join_only_when_unambiguous():
    res = resolve(ATTENDANCE, OWNERS, TEXTS)
    got = {(m[1], m[2]): m[0] for m in res.mentions if m[2] != "attendance"}
    assert got[("Mr Jamieson", "text")] == "david-jamieson"
    assert got[("ACC Jardine", "text")] == "vanessa-jardine"  # the rank decides
    assert ("Mr Jardine", "text") not in got  # two Jardines at the meeting: nobody
    assert got[("David Jamieson", "text")] == "david-jamieson"
    assert got[("PCC", "action_owner")] == "david-jamieson"  # the PCC at that meeting
    assert got[("ME", "action_owner")] == "mark-evans"  # initials of an attendee


def test_person_ids_are_deterministic():
    a = resolve(ATTENDANCE, OWNERS, TEXTS)
    b = resolve(list(reversed(ATTENDANCE)), OWNERS, TEXTS)
    assert people_of(a) == people_of(b)
    assert a.attendance == b.attendance


def test_demo_people_join_spellings_and_fill_attendance_person_id(demo):
    con = connect_read_only(demo.data)
    try:
        assert con.execute("SELECT count(*) FROM attendance WHERE person_id IS NULL").fetchone()[0] == 0
        joined = dict(con.execute("SELECT person_id, spellings FROM people WHERE n_spellings > 1").fetchall())
        assert "ACC Meir" in joined["jayne-meir"]  # a titled surname in the text
        assert "Deputy Chief Constable Louisa Rolfe" in joined["louisa-rolfe"]  # a 2016 report, 2019 minutes
        assert "TB" in joined["tom-bradley"]  # an action owner's initials
        jardines = con.execute("SELECT person_id FROM people WHERE name LIKE '%Jardine' ORDER BY 1").fetchall()
        assert jardines == [("jonathan-jardine",), ("vanessa-jardine",)]
    finally:
        con.close()
