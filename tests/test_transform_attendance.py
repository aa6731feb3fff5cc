"""transform.attendance: field by field on the corpus, plus shapes the corpus lacks."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kernel.records import AttendanceStatus as S
from transform.attendance import parse_attendance

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def gold(stem: str) -> dict:
    return json.loads((CORPUS / "gold" / f"{stem}.json").read_text())


def txt_lines(stem: str) -> list[str]:
    return (CORPUS / "text" / f"{stem}.txt").read_text().splitlines()


def pdf_lines(stem: str) -> list[str]:
    text = pytest.importorskip("transform.text")
    return text.extract_lines((CORPUS / "pdf" / f"{stem}.pdf").read_bytes()).lines


def names(people, *statuses) -> list[str]:
    return [p.person for p in people if p.status in statuses]


def by_name(people, name):
    return next(p for p in people if p.person == name)


# --------------------------------------------------------------------------------------
# corpus
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("source", [txt_lines, pdf_lines])
def test_000_present_list_with_split_name_and_roles(source):
    people = parse_attendance(source("000_7db24023d40e4ca6"))
    present = names(people, S.PRESENT)
    assert len(present) == 19
    assert present == gold("000_7db24023d40e4ca6")["present"]
    assert "Brendan Warner-Southwell" in present  # "Brendan WARNER-" / "SOUTHWELL" rejoined
    assert by_name(people, "Richard Baker").role == "Chief Superintendent"
    assert by_name(people, "Tom McNeil").role == "Strategic advisor/Board Member"
    assert by_name(people, "Sarah Marwick").status == S.PRESENT  # "Dr" dropped
    assert not any("observer" in p.person.lower() or "webcaster" in p.person.lower() for p in people)


@pytest.mark.parametrize("source", [txt_lines, pdf_lines])
def test_000_apologies_from_prose_item(source):
    people = parse_attendance(source("000_7db24023d40e4ca6"))
    assert names(people, S.APOLOGIES) == ["Chris Johnson", "Vanessa Jardine", "Sue Southern", "Cath Hannon"]
    assert by_name(people, "Chris Johnson").role == "Assistant Chief Constable"


@pytest.mark.parametrize("source", [txt_lines, pdf_lines])
def test_003_present_and_also_attended(source):
    people = parse_attendance(source("003_eec2d70e111a21ed"))
    g = gold("003_eec2d70e111a21ed")
    assert names(people, S.PRESENT) == g["present"][:10]  # "Mr S J Mackay (Chairman)" -> "S J Mackay"
    assert names(people, S.IN_ATTENDANCE) == g["present"][10:]  # the "Also attended:" list
    assert names(people, S.APOLOGIES) == g["apologies"]
    assert by_name(people, "S J Mackay").role == "Chairman"
    assert by_name(people, "Geoff Wessell").role.startswith("Assistant Chief Constable")
    assert by_name(people, "Samantha Morris").role == "Scrutiny Co-ordinator"


def test_report_has_no_attendance():
    assert parse_attendance(txt_lines("002_e7f0e2d2245b18d2")) == []


# --------------------------------------------------------------------------------------
# shapes the corpus lacks
# --------------------------------------------------------------------------------------

def parse(text: str):
    return [(p.person, p.role, p.status) for p in parse_attendance(text.splitlines())]


def test_name_dash_role_and_role_first():
    got = parse("Present:\nDavid Jamieson - Police and Crime Commissioner\nChief Executive – Jonathan Jardine\n1. Welcome")
    assert got == [("David Jamieson", "Police and Crime Commissioner", S.PRESENT),
                   ("Jonathan Jardine", "Chief Executive", S.PRESENT)]


def test_name_with_role_and_org_in_brackets():
    got = parse("Present:\n- Councillor Ernie HENDRICKS (Chairman)\n- Dr Cath Hannon (Board Member, Independent)\nMinutes")
    assert got == [("Ernie Hendricks", "Chairman", S.PRESENT),
                   ("Cath Hannon", "Board Member, Independent", S.PRESENT)]


def test_comma_separated_line_wrapped_mid_name():
    got = parse("Members Present:\nCllr A Smith (Chair), Cllr B Jones, Mrs C\nBrown and Cllr D Green\nItem 1 Apologies")
    assert [g[0] for g in got] == ["A Smith", "B Jones", "C Brown", "D Green"]


def test_name_comma_role_is_one_person():
    got = parse("Also attended:\nJo Bloggs, Head of Finance, West Midlands Police\nTracey Onslow, Deputy Police and Crime Commissioner")
    assert got == [("Jo Bloggs", "Head of Finance, West Midlands Police", S.IN_ATTENDANCE),
                   ("Tracey Onslow", "Deputy Police and Crime Commissioner", S.IN_ATTENDANCE)]


def test_attendance_and_apologies_labels_with_initials():
    text = ("Attendance:\n• Helen Marsh (HM) – Police and Crime Commissioner\n• Rachel Hartland-Lane (RHL) – Director\n"
            "• Rachael Thorold (minutes) – Secretary\nApologies:\n• Priya Shah (PS) – Director of Finance\nMinutes\n"
            "Ref 01/25/01/2024 – Minutes – Paper\nIntroductions were made and apologies noted.")
    got = parse(text)
    assert [(g[0], g[2]) for g in got] == [("Helen Marsh", S.PRESENT), ("Rachel Hartland-Lane", S.PRESENT),
                                          ("Rachael Thorold", S.PRESENT), ("Priya Shah", S.APOLOGIES)]
    assert got[0][1] == "Police and Crime Commissioner"  # "(HM)" is initials, not a role


def test_inline_labels_with_titles_and_capitals():
    got = parse("In attendance: PC Ross Williams, Mr Doug Hine & Mrs Sue LAFFEY\nApologies: Mrs Hilary Baxter.\nAbsent: Cllr Bob O'NEILL")
    assert got == [("Ross Williams", "PC", S.IN_ATTENDANCE), ("Doug Hine", None, S.IN_ATTENDANCE),
                   ("Sue Laffey", None, S.IN_ATTENDANCE), ("Hilary Baxter", None, S.APOLOGIES),
                   ("Bob O'Neill", None, S.ABSENT)]


def test_prose_apologies_in_their_shapes():
    text = ("Apologies were received from Councillors Gerald Dakin and Roger Evans. In addition, Mrs Carole Clive and "
            "Colonel Tony Ward Co-opted Independent Lay-members had also given apologies.\n"
            "Apologies for absence were received on behalf of Councillors S. R. Colella and M. Glass.\n"
            "Apologies were received from Councillors Durkin, Evans and May.\n"
            "There were no apologies.")
    got = [g[0] for g in parse(text) if g[2] == S.APOLOGIES]
    assert got == ["Gerald Dakin", "Roger Evans", "Carole Clive", "Tony Ward", "S. R. Colella", "M. Glass", "Durkin", "Evans", "May"]


def test_unlabelled_run_of_name_role_lines_counts_as_present():
    text = ("West Mercia Governance Board\nNotes of Meeting\nWillison Room, Hindlip\n"
            "John Campion (JC) Chair – Police and Crime Commissioner\nMarc Bayliss (MB) – Deputy Police and Crime Commissioner\n"
            "Gareth Boulton (GB) – Chief Executive Officer\nRef 01/26/07/2023\nIntroduction.")
    assert [g[0] for g in parse(text)] == ["John Campion", "Marc Bayliss", "Gareth Boulton"]


def test_list_ends_at_the_first_non_name_line():
    got = parse("Present:\nMr S Bowen, Mrs C Clive\nAvailable Papers\nThe members had before them:\nA. The Agenda papers")
    assert [g[0] for g in got] == ["S Bowen", "C Clive"]


def test_unnamed_attendees_and_none_are_skipped():
    got = parse("Present:\nJane Doe : Chair\n4 observers, 1 note taker and a webcaster.\nApologies – none")
    assert got == [("Jane Doe", "Chair", S.PRESENT)]
