"""Every cookbook query (warehouse/queries/*.sql) runs on the demo data and returns rows."""
import pytest

from tests.demo_data import demo  # noqa: F401
from warehouse import cookbook
from warehouse.load import connect_read_only

RECIPES = cookbook.recipes()


def test_there_are_at_least_ten_recipes_each_with_a_title_and_a_question():
    assert len(RECIPES) >= 10
    assert all(r.title and r.question.endswith("?") or r.question for r in RECIPES)


@pytest.mark.parametrize("recipe", RECIPES, ids=[r.name for r in RECIPES])
def test_recipe_returns_rows_on_the_demo_data(demo, recipe):
    con = connect_read_only(demo.data)
    try:
        cols, rows = cookbook.run(con, recipe)
    finally:
        con.close()
    assert rows, f"{recipe.name} returned no rows"
    assert len(cols) == len(set(cols)), cols


def test_the_vru_recipe_finds_the_real_3_7m(demo):
    con = connect_read_only(demo.data)
    try:
        cols, rows = cookbook.run(con, next(r for r in RECIPES if r.name == "01_vru_money"))
    finally:
        con.close()
    assert ("£3.7m", 3_700_000.0) in [(row[cols.index("raw")], row[cols.index("value")]) for row in rows]


def test_items_with_words_finds_stemmed_words_through_the_index(demo):
    """The topic recipe's lookup: "victim" finds items that say "victims", and every hit's text
    really contains the word (the index agrees with the text)."""
    con = connect_read_only(demo.data)
    try:
        hits = con.execute("""
            SELECT w.word, lower(i.title || ' ' || i.text) AS t
            FROM items_with_words(['victim', 'precept']) w JOIN items i USING (document_id, ordinal)""").fetchall()
        plural_only = con.execute("""
            SELECT count(*) FROM items
            WHERE regexp_matches(lower(title || ' ' || text), '\\bvictims\\b')
              AND NOT regexp_matches(lower(title || ' ' || text), '\\bvictim\\b')""").fetchone()[0]
        found_victim = {t for w, t in hits if w == "victim"}
    finally:
        con.close()
    assert {w for w, _ in hits} == {"victim", "precept"}
    assert all(w in t for w, t in hits)
    assert plural_only == 0 or any("victims" in t and " victim " not in t for t in found_victim)


def test_money_sentences_hold_every_sentence_that_prints_a_gbp_figure(demo):
    """Cookbook 01 reads money_sentences instead of splitting item text: every £ figure the parser
    found in an item's text (bare amounts under a "£" column included) must be printed by one of
    that item's money sentences, and those sentences are the item's own, split as before."""
    con = connect_read_only(demo.data)
    try:
        assert [(r[0], r[1]) for r in con.execute("DESCRIBE money_sentences").fetchall()] == [
            ("document_id", "VARCHAR"), ("ordinal", "BIGINT"), ("item_ref", "VARCHAR"),
            ("sentence_no", "BIGINT"), ("sentence", "VARCHAR")]
        missing = con.execute("""
            SELECT f.document_id, f.raw FROM figures f
            JOIN items i ON i.document_id = f.document_id AND i.ref IS NOT DISTINCT FROM f.item_ref
            WHERE f.unit = 'GBP' AND contains(i.text, f.raw)
              AND NOT EXISTS (SELECT 1 FROM money_sentences s
                              WHERE s.document_id = f.document_id AND s.item_ref IS NOT DISTINCT FROM f.item_ref
                                AND contains(s.sentence, f.raw))""").fetchall()
        bare = con.execute("SELECT count(*) FROM money_sentences WHERE NOT contains(sentence, '£')").fetchone()[0]
        misplaced = con.execute("""
            SELECT count(*) FROM money_sentences s JOIN items i USING (document_id, ordinal)
            WHERE s.item_ref IS DISTINCT FROM i.ref
               OR trim(string_split_regex(i.text, '[.•]\\s+|\\n')[s.sentence_no]) <> s.sentence""").fetchone()[0]
        total = con.execute("SELECT count(*) FROM money_sentences").fetchone()[0]
    finally:
        con.close()
    assert total > 0
    assert missing == []
    assert bare > 0  # table rows of bare amounts under a "£" header have no "£" of their own
    assert misplaced == 0


def test_items_on_topics_finds_the_same_items_as_the_words_one_row_per_item_and_topic(demo):
    """Cookbook 02's lookup: a topic's items are exactly the items holding any of its words
    (items_with_words), each once per topic, with the item's meeting."""
    con = connect_read_only(demo.data)
    try:
        topics = "[{'topic': 'money', 'words': ['budget', 'precept']}, {'topic': 'victims', 'words': ['victim']}]"
        rows = con.execute(f"SELECT topic, document_id, ordinal, meeting_id FROM items_on_topics({topics})").fetchall()
        by_words = {
            topic: set(con.execute(f"SELECT DISTINCT document_id, ordinal FROM items_with_words({words})").fetchall())
            for topic, words in (("money", "['budget', 'precept']"), ("victims", "['victim']"))}
        meetings = dict(((d, o), m) for d, o, m in con.execute(
            "SELECT document_id, ordinal, meeting_id FROM items").fetchall())
    finally:
        con.close()
    assert by_words["money"] and by_words["victims"]
    for topic, items in by_words.items():
        found = [(d, o) for t, d, o, _ in rows if t == topic]
        assert sorted(found) == sorted(items)  # the same items, none twice
    assert all(meetings[(d, o)] == m for _, d, o, m in rows)
