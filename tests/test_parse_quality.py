"""Quality is a test: the parsers are scored on gold sets with the shared scorer's logic, and a
change that drops a field below its bar fails here (``make score`` prints the tables).

* the corpus three (the archived bodies' full papers): no field below 0.97;
* the development set (20 openings of other bodies' minutes and agendas): items, present,
  apologies F1 and titles right >= 0.90; meeting date and kind right on 19 of 20 or more.
"""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
from score_parsers import SETS, score_set  # noqa: E402


@pytest.fixture(scope="module")
def dev():
    return score_set(*SETS["dev"])


@pytest.fixture(scope="module")
def corpus():
    return score_set(*SETS["corpus"])


def test_every_gold_document_of_both_sets_is_parsed(dev, corpus):
    assert (dev["found"], dev["total"]) == (20, 20)
    assert (corpus["found"], corpus["total"]) == (3, 3)


@pytest.mark.parametrize("field", ["items", "present", "apologies"])
def test_dev_set_fields_reach_the_bar(dev, field):
    assert dev["overall"][field]["f1"] >= 0.90, dev["overall"][field]


def test_dev_set_titles_reach_the_bar(dev):
    assert dev["overall"]["titles_ok"] >= 0.90


@pytest.mark.parametrize("field", ["meeting_date_ok", "doc_type_ok"])
def test_dev_set_dates_and_kinds_right_on_19_of_20(dev, field):
    wrong = [d["document"] for d in dev["documents"] if not d[field]]
    assert len(wrong) <= 1, wrong


@pytest.mark.parametrize("field", ["items", "actions", "figures", "present", "apologies"])
def test_corpus_fields_stay_at_least_097(corpus, field):
    assert corpus["overall"][field]["f1"] >= 0.97, corpus["overall"][field]


def test_corpus_dates_kinds_and_titles(corpus):
    assert all(d["meeting_date_ok"] and d["doc_type_ok"] for d in corpus["documents"])
    assert corpus["overall"]["titles_ok"] >= 0.97
