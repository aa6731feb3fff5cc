"""transform.actions: field by field on the corpus, plus shapes the corpus lacks."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kernel.records import DocKind, ParsedItem
from transform.actions import find_actions

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


def gold(stem: str) -> dict:
    return json.loads((CORPUS / "gold" / f"{stem}.json").read_text())


def production_actions(stem: str):
    """The production path: extract_lines -> split_items -> find_actions."""
    text = pytest.importorskip("transform.text")
    items_mod = pytest.importorskip("transform.items")
    lines = text.extract_lines((CORPUS / "pdf" / f"{stem}.pdf").read_bytes()).lines
    items = items_mod.split_items(lines, DocKind(gold(stem)["doc_type"]))
    return find_actions(items, lines)


def triples(actions):
    return [(a.item_ref, a.text, a.owner) for a in actions]


# --------------------------------------------------------------------------------------
# corpus
# --------------------------------------------------------------------------------------

@pytest.mark.parametrize("stem", ["000_7db24023d40e4ca6", "002_e7f0e2d2245b18d2", "003_eec2d70e111a21ed"])
def test_corpus_actions_match_gold(stem):
    want = [(g["item_ref"], g["text"], g["owner"]) for g in gold(stem)["actions"]]
    assert triples(production_actions(stem)) == want


def test_000_labelled_line_with_two_owners_is_split():
    acts = [a for a in production_actions("000_7db24023d40e4ca6") if a.item_ref == "117/19"]
    assert [(a.owner, a.text.split()[0]) for a in acts] == [("Chief Constable", "Chief"), ("WMP", "WMP")]
    assert acts[0].text.endswith("when there is more information.")  # joined over the row break


def test_converter_text_without_items_still_finds_actions():
    lines = (CORPUS / "text" / "000_7db24023d40e4ca6.txt").read_text().splitlines()
    texts = [a.text for a in find_actions([], lines)]
    assert texts == [g["text"] for g in gold("000_7db24023d40e4ca6")["actions"]]


# --------------------------------------------------------------------------------------
# shapes the corpus lacks
# --------------------------------------------------------------------------------------

def run(*texts: str):
    items = [ParsedItem(ref=str(n + 1), title="t", text=t) for n, t in enumerate(texts)]
    return triples(find_actions(items, "\n".join(texts).splitlines()))


def test_action_label_variants_and_doer_tag():
    got = run("Action: A review of good practice is to be prepared jointly by the Force and OPCC. Action: RJ/DB\n"
              "Action: A paper to be brought to the next meeting. Action: RHL\n"
              "Action: ACC RJ is to confirm the definition of the term 'ward'.\n"
              "Action – Paul Fell to ensure that a deep dive is on a future agenda.\n"
              "ACTION PF to discuss the proposal with the Chief Constable")
    assert got == [
        ("1", "A review of good practice is to be prepared jointly by the Force and OPCC.", "Force and OPCC"),
        ("1", "A paper to be brought to the next meeting.", "RHL"),  # the trailing tag names the doer
        ("1", "ACC RJ is to confirm the definition of the term 'ward'.", "ACC RJ"),
        ("1", "Paul Fell to ensure that a deep dive is on a future agenda.", "Paul Fell"),
        ("1", "PF to discuss the proposal with the Chief Constable", "PF"),
    ]


def test_decisions_are_not_actions():
    got = run("Decision: The PCC agreed to put the proposal to the Police and Crime Panel.\n"
              "DECISION – The Board approved grants totalling £275,000.\n"
              "The Minutes of the meeting were agreed as a correct record and signed by the Chairman.\n"
              "It was agreed that the membership of the Group would be Councillors Bowen and Grubb.")
    assert got == []


def test_agreed_list_keeps_tasks_and_drops_decisions():
    got = run("The Panel agreed that:\n• the report be noted;\n• a further report be brought to the next meeting;\n"
              "• the Chairman would write to the PCC setting out the Panel's concerns.\nThe Chairman thanked the PCC.")
    assert got == [("1", "a further report be brought to the next meeting;", None),
                   ("1", "the Chairman would write to the PCC setting out the Panel's concerns.", "Chairman")]


def test_agreed_lead_in_left_dangling_before_the_next_heading():
    got = run("The PCC agreed to look into the reasons for this increase and report back to the Panel.\nIt was agreed that:",
              "The Panel would be provided with performance information\nThe Panel considered its Work Programme.")
    assert got == [("1", "The PCC agreed to look into the reasons for this increase and report back to the Panel.", "PCC"),
                   ("1", "The Panel would be provided with performance information", None)]


def test_commitments_in_discussion_and_pronoun_owner():
    got = run("The report was presented by CS Mark Payne. He committed to providing the Board with a breakdown by NPU.\n"
              "The Chief Constable agreed to write to Board members with the detail.\n"
              "A briefing note on stop and search will be circulated to Board members.\n"
              "The ACC advised that it was successful but that he would provide the Panel with KPI's")
    assert got == [
        ("1", "He committed to providing the Board with a breakdown by NPU.", "CS Mark Payne"),
        ("1", "The Chief Constable agreed to write to Board members with the detail.", "Chief Constable"),
        ("1", "A briefing note on stop and search will be circulated to Board members.", None),
        ("1", "The ACC advised that it was successful but that he would provide the Panel with KPI's", "ACC"),
    ]


def test_not_commitments():
    got = run("The DCC said that further information could be provided if required.\n"
              "It was suggested that the Force should publish the data quarterly.\n"
              "Will the Chief Constable update us on the progress he is making?\n"
              "Progress will be reviewed periodically throughout the year and presented to the Board.\n"
              "The Commissioner will be meeting the Home Secretary next month.\n"
              "The Force is committed to work with the VRU to take an early intervention approach.\n"
              "The Home Office have agreed to meet the PCC.\n"
              "RHL is to clarify what the capital in Year 2 is for. Update 18.01.22 – Complete\n"
              "The detail would be available around mid-December\n"
              "The OPCC will provide funding to victim services across the region.")
    assert got == []


def test_sentence_is_cut_at_its_end_not_run_on():
    got = run("Almost 40 areas had a scheme. The PCC agreed to look into the matter and report back. Signs were popular.")
    assert got == [("1", "The PCC agreed to look into the matter and report back.", "PCC")]


def test_markup_removed_and_inline_bullets_split():
    got = run("<p>Item 4 – Update</p> <ul> • The Force will engage with communities. • All future reports "
              "will be brought to the Board.</ul> <p>Action: WMP to provide <b>data</b> on referrals.</p>")
    assert got == [("1", "All future reports will be brought to the Board.", None),
                   ("1", "WMP to provide data on referrals.", "WMP")]
