"""Parsers on real texts of the archived bodies (and of bodies of the same kind) that are not in
the scored corpus: tests/fixtures/realtext/ (provenance in its README). Each expectation is what a
careful reading per the gold conventions (tests/fixtures/corpus/README.md) gives, not what the
parser happened to print. The texts are the first ~2,500 characters of each page, so only what is
in them is asserted."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path

import pytest

from kernel.records import DocHints, DocKind
from transform.document import parse_document

REAL = Path(__file__).parent / "fixtures" / "realtext"


@lru_cache(maxsize=None)
def parsed(name: str):
    text = (REAL / name).read_text(encoding="utf-8").split("\n---\n", 1)[1]
    return parse_document(text.encode("utf-8"), content_type="text/plain", hints=DocHints())


def present(name):
    return [a.person for a in parsed(name).attendance if a.status.value in ("present", "in_attendance")]


def apologies(name):
    return [a.person for a in parsed(name).attendance if a.status.value == "apologies"]


def refs(name):
    return [it.ref for it in parsed(name).items]


def titles(name):
    return [it.title for it in parsed(name).items]


def test_every_file_has_a_provenance_header():
    for p in REAL.glob("*.txt"):
        head = p.read_text(encoding="utf-8").split("\n---\n", 1)[0]
        assert head.startswith("source: http"), p.name
        assert len(p.read_bytes()) < 60_000


# --------------------------------------------------------------------------------------
# meta: kind and date
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, date", [
    ("wmgb_2022-01-18.txt", dt.date(2022, 1, 18)),
    ("wmgb_2022-11-23.txt", dt.date(2022, 11, 23)),
    # "Wednesday 21st June, 14:30-17:00": no year printed; the other dates in the text give 2023
    ("wmgb_2023-04-19.txt", dt.date(2023, 4, 19)),
    ("wmgb_2023-05-24.txt", dt.date(2023, 5, 24)),
    ("wmgb_2023-06-21.txt", dt.date(2023, 6, 21)),
    ("wmgb_2023-07-26.txt", dt.date(2023, 7, 26)),
    ("wmgb_2024-02-22.txt", dt.date(2024, 2, 22)),
    ("wmgb_2024-04-25.txt", dt.date(2024, 4, 25)),
    # ModernGov pages print no date, only "the working day before the meeting (in this case X)"
    ("wmpcp_2015-02-04_mid586.txt", dt.date(2015, 2, 4)),
    ("wmpcp_2018-09-18_mid2189.txt", dt.date(2018, 9, 18)),
    ("wmpcp_2020-06-15_mid3267.txt", dt.date(2020, 6, 15)),  # Friday 12 June -> Monday 15 June
    ("surrey_pcp_2020-09-15.txt", dt.date(2020, 9, 15)),
    ("shropshire_cabinet_2012-09-12.txt", dt.date(2012, 9, 12)),
])
def test_meeting_date(name, date):
    assert parsed(name).meeting_date == date


@pytest.mark.parametrize("name", [
    "wmgb_2022-01-18.txt", "wmgb_2023-06-21.txt", "wmgb_2024-02-22.txt",
    # "Agenda and minutes" / "Agenda and draft minutes" pages are minutes, not agendas
    "wmpcp_2018-09-18_mid2189.txt", "wmpcp_2020-06-15_mid3267.txt", "wmpcp_mid2187.txt",
    "wmpcp_2015-02-04_mid586.txt",
    # no title block, but "Apologies were accepted from ..." and labelled actions
    "northants_pab_2021-05-11.txt",
])
def test_kind_is_minutes(name):
    assert parsed(name).doc_kind == DocKind.MINUTES


# --------------------------------------------------------------------------------------
# attendance
# --------------------------------------------------------------------------------------

def test_wmgb_2023_06_labelled_lists():
    assert present("wmgb_2023-06-21.txt") == [
        "John Campion", "Gareth Boulton", "Tony Morriss", "Alex Murray", "Rachel Adie", "Rachel Jones",
        "Richard Cooper", "Rachel Hartland-Lane", "Callie Ann Bradley", "Damian Pettit", "Damian Barratt",
        "Rachael Thorold"]
    assert apologies("wmgb_2023-06-21.txt") == [
        "Pippa Mills", "Marc Bayliss", "Paul Benfield", "Richard Muirhead", "Rachel Jones"]


def test_wmgb_2022_unlabelled_bullets_with_co_chairs():
    # "- John Campion (JC) Co-Chair – Police & Crime Commissioner": Co-Chair is a role
    assert present("wmgb_2022-11-23.txt") == [
        "John Campion", "Pippa Mills", "Marc Bayliss", "Alex Murray", "Paul Benfield", "Richard Muirhead",
        "Rachel Hartland-Lane", "Rachel Jones", "Richard Cooper", "Maria Willmott", "Gareth Boulton"]
    assert len(present("wmgb_2022-01-18.txt")) == 10


def test_wmgb_2024_name_initials_role_without_separator():
    # "John Campion (JPC) Chair, Police and Crime Commissioner" - no dash between name and role.
    # (The stored text lost the "Apologies" heading, so Bayliss and Boulton cannot be told apart
    # from those present: only the people present are asserted.)
    got = present("wmgb_2024-02-22.txt")
    assert got[:11] == [
        "John Campion", "Alex Murray", "Richard Cooper", "Anthony Morriss", "Paul Benfield", "Richard Muirhead",
        "Rachel Hartland-Lane", "Rachel Jones", "Grant Wills", "Chris O’Hara", "Rachael Thorold"]
    assert len(present("wmgb_2024-04-25.txt")) == 13


def test_northants_unlabelled_list_with_ranks_and_prose_apology():
    assert present("northants_pab_2021-05-11.txt") == [
        "Stephen Mold", "Nicci Marzec", "Paul Fell", "Louise Sheridan", "Stuart McCartney", "Nick Adderley",
        "Simon Nickless", "Pauline Sturman", "Colleen Rattigan", "Sarah Crampton", "Laura Jones"]
    assert apologies("northants_pab_2021-05-11.txt") == ["Blatchly"]


def test_present_line_with_role_in_brackets_and_no_comma_after_it():
    # "Mr K Barrow (Leader) Mr G Butler, Mr S Charmley, ... Mr M Price and Mr M Taylor-Smith"
    assert present("shropshire_cabinet_2012-09-12.txt") == [
        "K Barrow", "G Butler", "S Charmley", "A Hartley", "S Jones", "M Owen", "M Price", "M Taylor-Smith"]
    assert apologies("shropshire_cabinet_2012-09-12.txt") == ["C Motley"]


@pytest.mark.parametrize("name, want", [
    ("wmpcp_2018-09-18_mid2189.txt",
     ["Gerald Dakin", "Roger Evans", "Kuldip Sahota", "Michael Wood", "Carole Clive", "Tony Ward"]),
    ("wmpcp_mid2187.txt", ["Dakin", "Evans", "May"]),  # "Councillors Dakin, Evans and May"
    ("wmpcp_2020-06-15_mid3267.txt", ["C Clive"]),
    ("wmpcp_2015-02-04_mid586.txt",
     ["Keith Roberts", "Rae Evans", "Keith Austin", "Margaret Sherrey", "David Hughes", "Paul Middlebrough"]),
    ("wmpcp_mid587.txt", ["Keith Roberts", "Pauline Dee"]),  # "Apologies had been received from"
    # "Apologies were received from the following:" then one name a line
    ("wolverhampton_scrutiny_2018_mid9257.txt", ["Rupinderjit Kaur", "Sandra Samuels", "James Barlow"]),
    ("surrey_pcp_2020-09-15.txt", ["Bob Milton", "John Furey"]),
])
def test_prose_apologies(name, want):
    assert apologies(name) == want


# --------------------------------------------------------------------------------------
# items
# --------------------------------------------------------------------------------------

def test_wmgb_ref_on_its_own_line_title_on_the_next():
    assert refs("wmgb_2023-06-21.txt") == [f"0{n}/21/06/2023" for n in range(1, 6)]
    assert titles("wmgb_2023-06-21.txt")[0] == "Introduction / Attendance / Apologies"
    assert titles("wmgb_2023-06-21.txt")[2:] == [
        "Worcestershire Coroner’s Review", "Special Constabulary Review", "Quarterly FLU performance"]
    # "(Papers)", "(Paper) (closed)", "– for information" are not part of the title
    assert titles("wmgb_2022-01-18.txt")[0] == "Attendance and Apologies"
    assert titles("wmgb_2022-01-18.txt")[2:] == ["Deep Dive: Criminal Justice", "SNT Boundary Changes", "Vehicle write-offs"]
    # the hand-typed wrong date in the fourth ref is kept as printed
    assert refs("wmgb_2023-05-24.txt")[-1] == "04/25/05/2023"


def test_wmgb_previous_minutes_title_loses_its_date():
    t = titles("wmgb_2023-06-21.txt")[1]
    assert t.startswith("Minutes and Action Log") and "2023" not in t


def test_moderngov_number_alone_with_heading_below():
    assert refs("wmpcp_2015-02-04_mid586.txt") == ["103", "104", "105", "106", "107", "108"]
    assert titles("wmpcp_2015-02-04_mid586.txt")[:4] == [
        "Welcome and Introductions", "Named Substitutes", "Apologies and Declarations of Interest", "Public Participation"]
    assert titles("wmpcp_2015-02-04_mid586.txt")[5] == "Consideration of the Proposed Precept"
    assert refs("wmpcp_mid587.txt") == ["111", "112", "113", "114", "115"]
    assert titles("wmpcp_mid587.txt")[3] == "Appointment of co-opted elected members"
    assert refs("wolverhampton_scrutiny_2018_mid9257.txt") == ["1", "2", "3", "4"]
    assert titles("wolverhampton_scrutiny_2018_mid9257.txt")[2] == "Minutes of previous meetings"


def test_slash_refs_with_capitalised_headings_lose_pdf_icon():
    assert refs("surrey_pcp_2020-09-15.txt") == ["39/20", "40/20", "41/20", "42/20"]
    assert titles("surrey_pcp_2020-09-15.txt") == [
        "APOLOGIES FOR ABSENCE", "MINUTES OF THE PREVIOUS MEETING", "DECLARATIONS OF INTEREST", "PUBLIC QUESTIONS"]


def test_northants_numbered_items():
    assert refs("northants_pab_2021-05-11.txt") == ["1", "2", "3"]
    assert titles("northants_pab_2021-05-11.txt") == [
        "Welcome and introductions", "Previous minutes and action log", "Force strategic priorities performance update"]


# --------------------------------------------------------------------------------------
# actions
# --------------------------------------------------------------------------------------

def actions(name):
    return [(a.item_ref, a.owner, a.text) for a in parsed(name).actions]


def test_wmgb_2022_01_labelled_actions_and_past_updates():
    got = actions("wmgb_2022-01-18.txt")
    # "RHL is to clarify ... Update 18.01.22 – Complete" reports a past action: not an action
    assert [r for r, _, _ in got] == ["03/18/01/2022", "04/18/01/2022", "05/18/01/2022"]
    assert got[0][2].startswith("A review of established good practice in Restorative Justice")
    # "... prepared jointly by the Force and OPCC. Action: RJ/DB/AC": either reading names the doers
    assert got[0][1] in ("Force and OPCC", "RJ/DB/AC")
    assert [o for _, o, _ in got[1:]] == ["ACC RJ", "RHL"]


def test_wmgb_trailing_doer_tag_names_the_owner():
    got = actions("wmgb_2023-04-19.txt")
    assert len(got) == 1
    assert got[0][0] == "02/19/04/2023" and got[0][1] == "RJ"
    assert got[0][2].startswith("The Safer Streets element of the paper needs to be referenced")


def test_wmgb_action_dash_label():
    got = actions("wmgb_2022-11-23.txt")
    assert len(got) == 1 and got[0][1] == "Force" and got[0][2].startswith("Force to survey Specials")


def test_follow_up_inside_a_decision_line():
    got = actions("wmgb_2023-07-26.txt")
    assert [(r, o) for r, o, _ in got] == [("03/26/07/2023", None)]
    assert got[0][2].startswith("Confirmation of final figures to be brought to future meeting")


def test_no_actions_in_decisions_only_pages():
    assert actions("wmgb_2023-06-21.txt") == []
    assert actions("wmgb_2023-05-24.txt") == []


def test_northants_unpunctuated_and_dash_labels():
    got = actions("northants_pab_2021-05-11.txt")
    assert [(r, o) for r, o, _ in got] == [("3", "PF"), ("3", "Paul Fell"), ("3", "Paul Fell"), ("3", "Paul and Sarah")]


def test_moderngov_agenda_text_is_not_an_action():
    # "The Chairman to report apologies for absence." is the agenda's wording, before "Minutes:"
    assert actions("surrey_pcp_2020-09-15.txt") == []


# --------------------------------------------------------------------------------------
# figures
# --------------------------------------------------------------------------------------

def figures(name):
    return [(f.item_ref, f.raw, f.value, f.unit.value) for f in parsed(name).figures]


def test_figures_under_their_items():
    assert figures("wmgb_2023-07-26.txt") == [
        ("03/26/07/2023", "7%", 7.0, "percent"),
        ("03/26/07/2023", "£5.127m", 5_127_000.0, "GBP"),
        ("03/26/07/2023", "£1.345m", 1_345_000.0, "GBP")]
    assert figures("wmgb_2023-05-24.txt") == [
        ("03/24/05/2023", "£102,502", 102_502.0, "GBP"), ("03/24/05/2023", "£102,502", 102_502.0, "GBP")]


def test_no_figures_from_dates_refs_or_counts():
    # "Ref 01/18/01/2022", "Update 18.01.22", "Year 2 and 3", "9.00am", "PDF 153 KB": none is £ or %
    for name in ("wmgb_2022-01-18.txt", "wmpcp_2015-02-04_mid586.txt", "northants_pab_2021-05-11.txt"):
        assert figures(name) == [], name
