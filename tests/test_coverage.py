"""The coverage view and minutes_overdue on the demo data (issue 19, item 4), and what the
search finds for irregular plurals (item 6)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict

from tests.demo_data import TODAY, demo  # noqa: F401
from warehouse.load import connect_read_only


def rows(con, sql: str, params=None) -> list[dict]:
    cur = con.execute(sql, params or [])
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def test_coverage_counts_each_source_and_years_meetings_minutes_and_papers(demo):  # noqa: F811
    """Every figure of the view recounted from the contract tables in Python."""
    con = connect_read_only(demo.data)
    try:
        coverage = rows(con, "SELECT * FROM coverage")
        meetings = rows(con, "SELECT meeting_id, source_id, meeting_date, status FROM meetings")
        papers = rows(con, "SELECT meeting_id, doc_kind, parse_status, parse_flags FROM documents")
        to_check = {r["meeting_id"] for r in rows(con, "SELECT meeting_id FROM papers_to_check")}
    finally:
        con.close()
    by_meeting = defaultdict(list)
    for p in papers:
        by_meeting[p["meeting_id"]].append(p)
    expected: dict[tuple, dict] = {}
    today = dt.date.today()
    for m in meetings:
        key = (m["source_id"], m["meeting_date"].year if m["meeting_date"] else None)
        e = expected.setdefault(key, defaultdict(int))
        mine = by_meeting[m["meeting_id"]]
        held = m["status"] != "cancelled" and m["meeting_date"] is not None and m["meeting_date"] <= today
        minutes = any(p["doc_kind"] == "minutes" for p in mine)
        e["meetings_listed"] += 1
        e["meetings_held"] += held
        e["with_minutes"] += minutes
        e["with_papers_parsed"] += any(p["parse_status"] == "ok" for p in mine)
        e["with_papers_flagged"] += m["meeting_id"] in to_check
        e["papers"] += len(mine)
        e["papers_parsed"] += sum(p["parse_status"] == "ok" for p in mine)
        e["papers_flagged"] += sum(p["parse_status"] != "ok" or bool(p["parse_flags"]) for p in mine)
        e["minutes_missing"] += held and not minutes
    got = {(r["source_id"], r["year"]): {k: v for k, v in r.items() if k not in ("source_id", "body", "year")}
           for r in coverage}
    assert got == {k: dict(v) for k, v in expected.items()}
    # the demo has what a journalist asks about: held meetings with no minutes, flagged papers
    assert sum(r["minutes_missing"] for r in coverage) > 0
    assert sum(r["with_papers_flagged"] for r in coverage) > 0
    assert {r["source_id"] for r in coverage} == {"wmpcc-spcb", "wmpcc-agb", "westmercia-pcp", "westmercia-wmgb", "wmpcp"}


def test_minutes_overdue_lists_the_meetings_held_n_days_ago_without_minutes(demo):  # noqa: F811
    con = connect_read_only(demo.data)
    try:
        overdue = rows(con, "SELECT * FROM minutes_overdue(42, as_of := ?)", [TODAY])
        longer = rows(con, "SELECT * FROM minutes_overdue(400, as_of := ?)", [TODAY])
        meetings = rows(con, "SELECT meeting_id, meeting_date, status, has_minutes FROM meeting_timeline")
    finally:
        con.close()
    expected = sorted(m["meeting_id"] for m in meetings
                      if m["meeting_date"] and m["status"] != "cancelled" and not m["has_minutes"]
                      and (TODAY - m["meeting_date"]).days > 42)
    assert sorted(r["meeting_id"] for r in overdue) == expected
    assert expected, "the demo has meetings without minutes"
    assert all(r["days_waiting"] == (TODAY - r["meeting_date"]).days > 42 for r in overdue)
    assert all("minutes" not in r["doc_kinds"] for r in overdue)
    # a longer grace period leaves out the recent ones: the AGB's 2026 meetings are under 400 days old
    assert {r["meeting_id"] for r in longer} < {r["meeting_id"] for r in overdue}
    assert "wmpcc-agb:2026-01-20" in {r["meeting_id"] for r in overdue} - {r["meeting_id"] for r in longer}


def test_knives_finds_knife_and_knife_finds_knives(demo):  # noqa: F811
    """Cookbook 10's claim. The Porter stem of "knives" is "knive": without the lemma table a
    search for one never found the other."""
    con = connect_read_only(demo.data)
    try:
        def found(q: str) -> set:
            return set(con.execute("SELECT document_id, ordinal FROM search_items(?)", [q]).fetchall())

        def saying(word: str) -> set:
            return set(con.execute(
                "SELECT document_id, ordinal FROM items "
                "WHERE regexp_matches(lower(concat_ws(' ', title, text)), ?)", [rf"\b{word}\b"]).fetchall())

        only_knives, only_knife = saying("knives") - saying("knife"), saying("knife") - saying("knives")
        assert only_knives and only_knife, "the demo has items saying only one of the two"
        assert found("knife") == found("knives") == saying("knife") | saying("knives")
        assert con.execute("SELECT search_term('Knives'), search_term('knife'), stem('knives', 'porter')"
                           ).fetchone() == ("knife", "knife", "knive")
        topics = con.execute("SELECT DISTINCT document_id, ordinal FROM items_with_words(['knives'])").fetchall()
        assert set(topics) == found("knife")
    finally:
        con.close()
