"""Layout families of other bodies' papers (the development set, tests/fixtures/dev), one test
per family and field. Each family is shown by at least two real papers; the whole-set scores
are in test_parse_quality.py."""
from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

import pytest

from kernel.records import AttendanceStatus, DocHints, DocKind
from transform.document import parse_document

DEV = Path(__file__).parent / "fixtures" / "dev"


@lru_cache(maxsize=None)
def parsed(stem: str):
    pdf = next(DEV.glob(f"pdf/{stem}*.pdf"))
    return parse_document(pdf.read_bytes(), content_type="application/pdf", hints=DocHints())


def gold(stem: str) -> dict:
    return json.loads(next(DEV.glob(f"gold/{stem}*.json")).read_text())


def refs(stem: str) -> list[str]:
    return [i.ref for i in parsed(stem).items]


def people(stem: str, *statuses: AttendanceStatus) -> list[str]:
    return [a.person for a in parsed(stem).attendance if a.status in statuses]


PRESENT = (AttendanceStatus.PRESENT, AttendanceStatus.IN_ATTENDANCE)


@pytest.mark.parametrize("stem", ["d01", "d11", "d15"])
def test_a_paper_flattened_to_one_paragraph_has_its_numbered_items(stem):
    assert refs(stem)[:4] == ["1", "2", "3", "4"][: len(gold(stem)["items"])]


@pytest.mark.parametrize("stem", ["d01", "d15"])
def test_titles_stop_at_the_agenda_number_or_page_range(stem):
    assert [i.title for i in parsed(stem).items][:3] == [g["title"] for g in gold(stem)["items"]][:3]


@pytest.mark.parametrize("stem", ["d09", "d13", "d14", "d20"])
def test_unnumbered_headings_are_items_with_synthetic_refs(stem):
    want = [g["title"] for g in gold(stem)["items"]]
    got = [i.title for i in parsed(stem).items]
    assert refs(stem)[0] == "S1"
    assert sum(any(w.lower() in g.lower() or g.lower() in w.lower() for g in got) for w in want) >= len(want) - 1


def test_lettered_sub_items_take_their_parent_number():
    assert refs("d15")[8:13] == ["9", "9a", "9b", "9c", "9d"]


def test_lettered_sub_items_whose_parent_line_is_missing_keep_the_letter():
    assert refs("d16") == ["1", "2", *"abcdefghijklm", "4"]


def test_moderngov_sub_items_numbered_in_brackets():
    assert refs("d06") == ["1", "1(1)", "1(2)", "1(3)"]


def test_a_committee_prefix_above_the_minute_number_is_part_of_the_ref():
    assert refs("d07")[:2] == ["PCP 1/21", "PCP 2/21"]


@pytest.mark.parametrize("stem", ["d10", "d12", "d13", "d14"])
def test_the_meeting_date_is_the_one_beside_the_start_time_not_the_previous_meetings(stem):
    assert parsed(stem).meeting_date == dt.date.fromisoformat(gold(stem)["meeting_date"])


@pytest.mark.parametrize("stem", ["d16", "d20"])
def test_a_date_in_a_line_about_earlier_minutes_is_not_the_meetings(stem):
    assert parsed(stem).meeting_date == dt.date.fromisoformat(gold(stem)["meeting_date"])


@pytest.mark.parametrize("stem", ["d15", "d16", "d17", "d18"])
def test_agendas_are_agendas(stem):
    assert parsed(stem).doc_kind == DocKind.AGENDA


@pytest.mark.parametrize("stem", ["d15", "d16", "d17", "d18"])
def test_an_agenda_records_no_attendance(stem):
    assert parsed(stem).attendance == []


def test_entries_run_together_each_starting_with_its_title():
    got = people("d11", *PRESENT)
    assert got[:3] == ["W Richmond", "Timothy Adams", "Martin Storey"]
    assert "Nigel Dixon" in got and "Kevin Pellatt" in got and "West Norfolk" not in got


def test_name_dash_role_pairs_run_together():
    got = people("d20", AttendanceStatus.IN_ATTENDANCE)
    assert got == ["Jane Bellis", "Lyndsey Hunter", "Marie Ainscough", "Gary Ridley", "Sharon Caddell"]


def test_group_labels_inside_a_present_list():
    got = people("d04", *PRESENT)
    assert len(got) == 24 and "Councillors" not in got and "A Carter" in got


@pytest.mark.parametrize("stem", ["d01", "d07"])
def test_also_present_and_officers_blocks_are_in_attendance(stem):
    want = {"d01": ["G Hooper", "K Nicholson", "L Steward", "P Sass", "A Taylor"],
            "d07": ["Julie Butcher", "Peter Bell", "Gary Woods", "Michael Henderson", "John Devine"]}[stem]
    assert set(want) <= set(people(stem, AttendanceStatus.IN_ATTENDANCE))


def test_a_substitute_named_in_the_apologies_was_present():
    assert people("d08", AttendanceStatus.PRESENT) == ["Andrew Boff", "Gareth Bacon"]
    assert people("d08", AttendanceStatus.APOLOGIES) == ["Steve O’Connell", "Tony Arbour", "Peter Whittle"]


@pytest.mark.parametrize("stem", ["d05", "d06"])
def test_councils_in_an_apologies_sentence_are_not_people(stem):
    assert people(stem, AttendanceStatus.APOLOGIES) == gold(stem)["apologies"]


@pytest.mark.parametrize("stem", ["d01", "d03"])
def test_apologies_listed_without_a_verb(stem):
    assert people(stem, AttendanceStatus.APOLOGIES) == gold(stem)["apologies"]


def test_a_member_who_attended_or_took_the_chair_is_present():
    assert people("d19", *PRESENT) == ["Evison", "Gosling", "Kataria", "Longcake", "Collinson"]


def test_a_resolution_that_sets_a_task_is_an_action_with_its_doer():
    got = [(a.text[:30], a.owner) for a in parsed("d05").actions]
    assert got == [("That the Panel chase a reply t", "Panel")]


@pytest.mark.parametrize("stem", ["d01", "d19"])
def test_resolutions_that_record_a_decision_are_not_actions(stem):
    assert parsed(stem).actions == []
