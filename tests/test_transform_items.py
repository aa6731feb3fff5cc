"""Item segmentation on the corpus documents and on small synthetic texts."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import pytest

from kernel.records import DocHints, DocKind
from transform import parse_document
from transform.item_heads import find_heads
from transform.item_titles import split_title
from transform.items import segment, split_items

FIX = Path(__file__).parent / "fixtures"
CORPUS = FIX / "corpus"


@lru_cache(maxsize=None)
def parsed(stem: str):
    return parse_document((CORPUS / "pdf" / f"{stem}.pdf").read_bytes(), content_type="application/pdf", hints=DocHints())


def gold(stem: str) -> dict:
    return json.loads((CORPUS / "gold" / f"{stem}.json").read_text())


def test_000_refs():
    assert [it.ref for it in parsed("000_7db24023d40e4ca6").items] == [f"{n}/19" for n in range(109, 126)]


def test_003_refs():
    assert [it.ref for it in parsed("003_eec2d70e111a21ed").items] == [str(n) for n in range(305, 315)]


@pytest.mark.parametrize("stem", ["000_7db24023d40e4ca6", "003_eec2d70e111a21ed", "002_e7f0e2d2245b18d2"])
def test_titles_match_gold(stem):
    assert [it.title for it in parsed(stem).items] == [g["title"] for g in gold(stem)["items"]]


def test_002_report_sections_have_synthetic_refs():
    assert [it.ref for it in parsed("002_e7f0e2d2245b18d2").items] == [f"S{n}" for n in range(1, 14)]


def test_002_unlabelled_section_found_between_section_3_and_5():
    titles = [it.title for it in parsed("002_e7f0e2d2245b18d2").items]
    assert titles.index("Supporting Local Policing and Public Engagement") == titles.index("Section 5 - Creating a New Era of Policing") - 1


def test_headingless_minute_is_welcome():
    assert parsed("000_7db24023d40e4ca6").items[0].title == "Welcome"


def test_item_text_is_the_minute_text():
    it = parsed("000_7db24023d40e4ca6").items[1]
    assert it.text == "There were none."


def test_group_dividers_are_not_item_text():
    items = parsed("000_7db24023d40e4ca6").items
    assert not any("EMERGING ITEMS" in it.text or "REGULAR ITEMS" in it.text for it in items)


def test_misplaced_heading_agreed_list_stays_with_previous_item():
    items = {it.ref: it for it in parsed("003_eec2d70e111a21ed").items}
    assert "National Farmers Union" in items["311"].text
    assert "National Farmers Union" not in items["312"].text
    assert items["312"].text.startswith("The Panel had requested an update on the Victim Advice Line")
    assert "Operation Snap" in items["313"].text.split("It was agreed that:")[-1]
    assert items["314"].text.startswith("The Panel considered and agreed its Work Programme")


def test_list_numbers_inside_a_minute_are_not_items():
    lines = ["12/20 Questions", "1. Will the Chief Constable say", "2. What is", "13/20 Finance", "Text."]
    assert [h.ref for h in find_heads(lines)] == ["12/20", "13/20"]


def test_bare_number_run_needs_two_consecutive():
    assert find_heads(["5 things happened today"]) == []
    assert [h.ref for h in find_heads(["4. Apologies", "None.", "5. Minutes", "Agreed."])] == ["4", "5"]


def test_sub_lettered_items_follow():
    lines = ["118/19 Item 9a - A", "x", "119/19 Item 9b - B", "120/19 Item 10 - C"]
    assert [it.title for it in split_items(lines, DocKind.MINUTES)] == ["A", "B", "C"]


def test_wmgb_refs_and_titles():
    data = (FIX / "westmercia-wmgb" / "wmgb-january-2022-minutes.html").read_bytes()
    d = parse_document(data, content_type="text/html", hints=DocHints())
    assert [(it.ref, it.title) for it in d.items] == [
        ("01/18/01/2022", "Minutes and Action Log"),
        ("02/18/01/2022", "Medium Term Financial Plan"),
        ("03/18/01/2022", "Estates Programme – Redditch Custody"),
    ]


def test_wmgb_2024_slash_after_ref():
    data = (FIX / "westmercia-wmgb" / "wmgb-2024-january-minutes.html").read_bytes()
    d = parse_document(data, content_type="text/html", hints=DocHints())
    assert [it.ref for it in d.items] == ["01/25/01/2024", "02/25/01/2024", "03/25/01/2024"]


def test_typed_ref_with_wrong_date_still_an_item():
    lines = ["Ref 01/24/05/2023 – A – Paper", "x", "Ref 02/24/05/2023 – B", "Ref 04/25/05/2023 – C"]
    assert len(split_items(lines, DocKind.MINUTES)) == 3


@pytest.mark.parametrize("text,title,rest", [
    ("Item 1 – Conflicts of Interest There were none.", "Conflicts of Interest", "There were none."),
    ("Item 2 – Apologies Apologies were received from X", "Apologies", "Apologies were received from X"),
    ("Item 8: Brexit Chief Supt Richard Baker introduced it.", "Brexit", "Chief Supt Richard Baker introduced it."),
    ("Item 3 – Notes of last meeting – 23 July 2019", "Notes of last meeting", ""),
    ("Public Participation None.", "Public Participation", "None."),
    ("Update from The Chief Constable", "Update from The Chief Constable", ""),
    ("Work Plan (Presented by Jonathan Jardine)", "Work Plan", ""),
    ("Road Safety Fund – Paper – For Decision", "Road Safety Fund", ""),
    ("Finance Update Mark Kenyon presented the report", "Finance Update", "Mark Kenyon presented the report"),
])
def test_split_title(text, title, rest):
    assert split_title(text) == (title, rest)


def test_owner_map_covers_item_lines_only():
    seg = segment(["Present:", "A B", "1. Welcome", "Hi.", "2. Close", "Bye."], DocKind.MINUTES)
    assert seg.owner == [None, None, 0, 0, 1, 1]


def test_no_heads_no_items():
    assert split_items(["Just prose.", "More prose."], DocKind.MINUTES) == []


def _reference_longest_run(cands, style):
    """The definition, checked pair by pair (quadratic): the longest chain, earliest on ties."""
    def follows(p, c):
        if style == "slash" and p.key[0] != c.key[0]:
            return False
        step = c.key[1] - p.key[1]
        return (bool(c.key[2]) and c.key[2] > p.key[2]) if step == 0 else 1 <= step <= 2

    length, back = [1] * len(cands), [-1] * len(cands)
    for j in range(len(cands)):
        for i in range(j):
            if length[i] + 1 > length[j] and follows(cands[i], cands[j]):
                length[j], back[j] = length[i] + 1, i
    if not cands:
        return []
    j, chain = max(range(len(cands)), key=lambda k: (length[k], -k)), []
    while j != -1:
        chain.append(j)
        j = back[j]
    return chain[::-1]


def test_the_item_number_chain_is_the_longest_run_on_any_sequence_of_numbers():
    import random

    from transform.item_heads import Head, _longest_run

    rng = random.Random(7)
    for _ in range(2000):
        style = rng.choice(["slash", "num", "ref"])
        cands = [Head(k, "", (rng.choice([19, 20]) if style == "slash" else "", rng.randint(1, 8),
                              rng.choice(["", "", "a", "b", "c"])), "", style) for k in range(rng.randint(0, 25))]
        assert [h.line for h in _longest_run(cands, style)] == _reference_longest_run(cands, style)
