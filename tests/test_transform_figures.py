"""Money and percentage extraction."""
from __future__ import annotations

import json
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest

from kernel.records import DocHints, FigureUnit
from transform import parse_document
from transform.figures import find_figures

CORPUS = Path(__file__).parent / "fixtures" / "corpus"


@lru_cache(maxsize=None)
def parsed(stem: str):
    return parse_document((CORPUS / "pdf" / f"{stem}.pdf").read_bytes(), content_type="application/pdf", hints=DocHints())


def figs(line: str):
    return [(f.raw, f.value, str(f.unit)) for f in find_figures([line], [None])]


@pytest.mark.parametrize("line,expected", [
    ("awarded £3.7m to set", [("£3.7m", 3700000, "GBP")]),
    ("invested £229k in", [("£229k", 229000, "GBP")]),
    ("a budget of £200,000k", [("£200,000k", 200000000, "GBP")]),
    ("in excess of £4million.", [("£4million", 4000000, "GBP")]),
    ("Total £1,289,105", [("£1,289,105", 1289105, "GBP")]),
    ("underspend by £0.1m and", [("£0.1m", 100000, "GBP")]),
    ("Living Wage is £8.25 per hour", [("£8.25", 8.25, "GBP")]),
    ("a £1.2bn programme", [("£1.2bn", 1.2e9, "GBP")]),
    ("£5 more", [("£5", 5, "GBP")]),
    ("5181 4909 -5% Reducing -4%", [("-5%", -5, "percent"), ("-4%", -4, "percent")]),
    ("an increase of +3% points.", [("+3%", 3, "percent")]),
    ("= 17.56 %. In addition", [("17.56 %", 17.56, "percent")]),
    ("An average of 83.3%¹ of victims", [("83.3%", 83.3, "percent")]),
    ("between 5-10% of cases", [("5", 5, "percent"), ("10%", 10, "percent")]),
    ("from 87.9% in Wolverhampton to 77.8% in", [("87.9%", 87.9, "percent"), ("77.8%", 77.8, "percent")]),
    ("arrested 6,000 people in 2019, aged 13+", []),
    ("Trend Prev. % Change", []),
])
def test_values(line, expected):
    assert figs(line) == expected


def test_context_is_about_eight_words_from_the_line():
    [f] = find_figures(["The OPCC was recently awarded £3.7m to set up the new Violence Reduction Unit"], [None])
    assert f.context == "OPCC was recently awarded £3.7m to set up the"


def test_tags_stripped_from_context():
    [f] = find_figures(["<p>Overspend of <b>£10,000</b> due to</p>"], [None])
    assert "<" not in f.context and f.value == 10000


def test_000_3_7m_under_113_19():
    [f] = [f for f in parsed("000_7db24023d40e4ca6").figures if f.raw == "£3.7m"]
    assert (f.value, f.unit, f.item_ref) == (3700000, FigureUnit.GBP, "113/19")


@pytest.mark.parametrize("stem", ["000_7db24023d40e4ca6", "002_e7f0e2d2245b18d2", "003_eec2d70e111a21ed"])
def test_figures_match_gold_as_multiset(stem):
    gold = json.loads((CORPUS / "gold" / f"{stem}.json").read_text())
    want = Counter((g["unit"], round(g["value"], 2)) for g in gold["figures"])
    got = Counter((str(f.unit), round(f.value, 2)) for f in parsed(stem).figures)
    assert got == want


@pytest.mark.parametrize("stem", ["000_7db24023d40e4ca6", "003_eec2d70e111a21ed"])
def test_figures_under_gold_items(stem):
    gold = json.loads((CORPUS / "gold" / f"{stem}.json").read_text())
    assert [f.item_ref for f in parsed(stem).figures] == [g["item_ref"] for g in gold["figures"]]


def test_002_bare_amounts_under_pound_header_are_gbp():
    got = [f for f in parsed("002_e7f0e2d2245b18d2").figures if f.raw == "16,400"]
    assert len(got) == 2 and all(f.unit == FigureUnit.GBP and f.value == 16400 for f in got)


def test_bare_numbers_outside_pound_table_are_skipped():
    assert find_figures(["Calls 1,403,253", "Total 2,321,949"], [None, None]) == []


def test_pound_header_table_ends_at_next_paragraph():
    lines = ["Organisation Amount", "£", "Alpha 16,400", "Total £16,400", "37. There were 12,000 calls."]
    assert [(f.raw, str(f.unit)) for f in find_figures(lines, [None] * 5)] == [("16,400", "GBP"), ("£16,400", "GBP")]
