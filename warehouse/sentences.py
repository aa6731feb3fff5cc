"""Money sentences: the sentences of item text that print an amount of money, kept with ``items``.

"What did the board spend on X" is a question about sentences, not items: the £ figure and the
thing it pays for sit in one sentence. Answering it from ``items`` means reading and splitting
every item's text (hundreds of MB at archive scale); ``money_sentences`` holds only the sentences
that can print a £ figure (about 5% of the text at 2,000 papers), so a filter on what they mention
reads little:

    SELECT s.sentence FROM money_sentences s WHERE s.sentence ILIKE '%body worn video%';

A sentence is kept when it has a "£" or a number with thousands separators ("1,250,000"): the
figures parser also reads bare amounts in a table under a "£" column header (transform/figures.py
BARE_AMOUNT), and those print no "£". Sentences are split as cookbook 01 always split them: at
". " / "• " and line breaks, trimmed. ``sentence_no`` counts every sentence of the item (1-based), with or without money, so it says
where in the item the sentence sits. The step "money_sentences" (warehouse/steps.py) keeps it,
a batch of documents at a time: only new or changed documents are split.
"""
from __future__ import annotations

import duckdb

# The split cookbook 01 used on item text (kept identical: a sentence is what it was).
SPLIT = r"[.•]\s+|\n"
# A sentence that can hold a GBP figure: a "£", or a bare amount (always has a thousands comma).
MONEY = "contains({0}, '£') OR regexp_matches({0}, '\\d,\\d{{3}}')"

MONEY_SENTENCES = ("CREATE OR REPLACE TABLE money_sentences (document_id VARCHAR, ordinal BIGINT, item_ref VARCHAR, "
                   "sentence_no BIGINT, sentence VARCHAR)")


def index_items(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the money sentences of the items in temp table ``_batch``."""
    con.execute(f"""
        INSERT INTO money_sentences
        SELECT document_id, ordinal, ref, n, sentence FROM (
            SELECT r, document_id, ordinal, ref, trim(unnest(parts)) AS sentence,
                   generate_subscripts(parts, 1) AS n
            FROM (SELECT rowid AS r, document_id, ordinal, ref, string_split_regex(text, '{SPLIT}') AS parts
                  FROM _batch WHERE {MONEY.format('text')}))
        WHERE {MONEY.format('sentence')}
        ORDER BY r, n""")
