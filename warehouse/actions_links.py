"""Action follow-up: which later items of the same body mention an action.

For every action, the items of later meetings of the same body (``meetings.body``) are scored by
how many of the action's *content words* they contain (words of four letters or more, minus
stop words and the boilerplate every action shares: "action", "report", "update", "chief",
"constable"…). ``similarity`` = matched content words / the action's content words, rounded to
three decimals (half to even), in [0, 1].

An item links when similarity ≥ ``MIN_SIMILARITY`` and at least ``MIN_MATCHED`` content words
match; the ``MAX_LINKS`` best links per action are kept (ties: earlier meeting first, then the
item's document id and ordinal). The result is ``action_links(document_id, ordinal,
item_document_id, item_ordinal, meeting_id, meeting_date, similarity, matched, matched_words)``,
read by the ``action_register`` view.

How. Items' content words are an index, ``item_words(document_id, ordinal, word)`` (one row per
item and distinct content word), maintained with ``items`` one batch of documents at a time
(warehouse/load.py), so item text is read once, when its document is loaded. The links are a SQL
join of the actions' words with it on (body, word). On an incremental load only what can change
is recomputed:

* an action whose document was (re)loaded, whose meeting moved (body or date changed, appeared,
  disappeared), or which had a link to an item that was reloaded or whose meeting moved, is
  linked afresh against every item: it may have lost a link, and its sixth best may now count;
* every other action keeps its links (its words, its items' words and their meetings are as
  they were) and only meets the new items: its best five are the best five of its old links and
  its new candidates.

So the links after an incremental load are those a rebuild computes (tested).
"""
from __future__ import annotations

from dataclasses import dataclass

import duckdb

MIN_SIMILARITY = 0.6
MIN_MATCHED = 2
MAX_LINKS = 5

STOP = set("""
about above after again against all also although among and any are around because been before
being below between both but can cannot could did does doing down during each either every for
from further had has have having here how however into its itself just more most much must need
needs next not now off once only other our out over own same shall she should some such than that
the their them then there these they this those through under until upon very was were what when
where which while who whom why will with within would your yours
action actions agreed report reports reported reporting update updates updated provide provided
chief constable commissioner board panel police crime force meeting meetings item items note
noted members member paper papers back give given future next week weeks month months date
""".split())

WORD_RE = r"[a-z][a-z'\-]{3,}"


def _words_sql(expr: str) -> str:
    """The distinct words of ``expr`` that may be content words, lower-cased as Python's
    str.lower() would ('İ' becomes 'i' + U+0307 there, 'i' in DuckDB)."""
    pattern = WORD_RE.replace("'", "''")
    return f"list_distinct(regexp_extract_all(lower(replace({expr}, 'İ', 'i̇')), '{pattern}'))"


def content_words(text: str) -> set[str]:
    """The same in Python (for tests and one-off checks)."""
    import re

    return {w for w in re.findall(WORD_RE, (text or "").lower()) if w not in STOP}


# --------------------------------------------------------------------------------------
# item_words: maintained with items (warehouse/load.py, item_indexes)
# --------------------------------------------------------------------------------------

ITEM_TABLES = {"item_words": ("document_id VARCHAR, ordinal BIGINT, word VARCHAR", "document_id, ordinal, word")}


def prepare_items(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE OR REPLACE TEMP TABLE _link_stop AS SELECT unnest(?::VARCHAR[]) AS w", [sorted(STOP)])


def index_items(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the content words of the items in temp table ``_batch``, in fetch order."""
    con.execute(f"""
        INSERT INTO item_words
        SELECT DISTINCT document_id, ordinal, word FROM (
            SELECT _f, document_id, ordinal, unnest({_words_sql("title || ' ' || text")}) AS word FROM _batch)
        WHERE word NOT IN (SELECT w FROM _link_stop)
        ORDER BY _f NULLS LAST, document_id, ordinal, word""")


# --------------------------------------------------------------------------------------
# action_links
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Changes:
    """What an incremental load changed: documents whose items / actions were reloaded, and
    meetings that appeared, disappeared or changed body or date."""

    items: set[str]
    actions: set[str]
    meetings: set[str]


COLUMNS = ("document_id VARCHAR, ordinal BIGINT, item_document_id VARCHAR, item_ordinal BIGINT, "
           "meeting_id VARCHAR, meeting_date DATE, similarity DOUBLE, matched BIGINT, matched_words VARCHAR")
ORDER = "document_id, ordinal, similarity DESC, meeting_date, item_document_id, item_ordinal"


def _candidates(actions: str, items: str | None) -> str:
    """SQL: every (action, item) pair that qualifies as a link, for the actions in temp table
    ``actions`` and the items in ``items`` (None: all items), both (document_id, ordinal)."""
    only = "" if items is None else f"SEMI JOIN {items} x ON x.document_id = iw.document_id AND x.ordinal = iw.ordinal"
    # similarity as Python's round(matched / n, 3): exact half-to-even on the integer ratio
    q, r = "((1000 * count(*)) // a.n)", "((1000 * count(*)) % a.n)"
    sim = f"({q} + CASE WHEN 2 * {r} > a.n OR (2 * {r} = a.n AND {q} % 2 = 1) THEN 1 ELSE 0 END)"
    return f"""
        SELECT a.document_id, a.ordinal, i.document_id AS item_document_id, i.ordinal AS item_ordinal,
               i.meeting_id, i.meeting_date, {sim} / 1000 AS similarity, count(*) AS matched,
               string_agg(a.word, ', ' ORDER BY a.word) AS matched_words
        FROM (SELECT w.* FROM _link_action_words w
              SEMI JOIN {actions} x ON x.document_id = w.document_id AND x.ordinal = w.ordinal) a
        JOIN (SELECT iw.document_id, iw.ordinal, iw.word, m.body, m.meeting_date, it.meeting_id
              FROM item_words iw {only}
              JOIN items it ON it.document_id = iw.document_id AND it.ordinal = iw.ordinal
              JOIN meetings m ON m.meeting_id = it.meeting_id
              WHERE m.meeting_date IS NOT NULL) i
          ON i.word = a.word AND i.body IS NOT DISTINCT FROM a.body
        WHERE i.meeting_date > a.meeting_date AND i.meeting_id <> a.meeting_id
        GROUP BY a.document_id, a.ordinal, a.n, i.document_id, i.ordinal, i.meeting_id, i.meeting_date
        HAVING count(*) >= {MIN_MATCHED} AND {sim} >= {round(MIN_SIMILARITY * 1000)}"""


def build(con: duckdb.DuckDBPyConnection, changes: Changes | None = None) -> int:
    """Bring ``action_links`` up to date: from scratch (``changes`` None) or for what
    ``changes`` can affect. Returns the number of actions whose links were recomputed."""
    # The actions' content words (actions are short: this is cheap), with their meeting.
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _link_action_words AS
        WITH w AS (
            SELECT a.document_id, a.ordinal, m.body, m.meeting_date, a.meeting_id,
                   unnest({_words_sql("a.text")}) AS word
            FROM actions a JOIN meetings m ON m.meeting_id = a.meeting_id
            WHERE m.meeting_date IS NOT NULL)
        SELECT *, count(*) OVER (PARTITION BY document_id, ordinal) AS n FROM (
            SELECT DISTINCT * FROM w WHERE word NOT IN (SELECT unnest(?::VARCHAR[]))) x""", [sorted(STOP)])
    con.execute(f"DELETE FROM _link_action_words WHERE n < {MIN_MATCHED}")
    full = changes is None or not con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'action_links' AND NOT temporary").fetchone()[0]
    if full:
        con.execute("CREATE OR REPLACE TEMP TABLE _link_redo AS SELECT DISTINCT document_id, ordinal FROM _link_action_words")
        con.execute("CREATE OR REPLACE TEMP TABLE _link_new_items AS SELECT document_id, ordinal FROM items LIMIT 0")
        con.execute(f"CREATE OR REPLACE TABLE action_links ({COLUMNS})")
    else:
        args = [sorted(changes.actions), sorted(changes.items), sorted(changes.meetings)]
        # Actions linked afresh against every item.
        con.execute("""
            CREATE OR REPLACE TEMP TABLE _link_redo AS
            SELECT document_id, ordinal FROM actions
            WHERE document_id IN (SELECT unnest($1::VARCHAR[])) OR meeting_id IN (SELECT unnest($3::VARCHAR[]))
            UNION
            SELECT document_id, ordinal FROM action_links
            WHERE document_id IN (SELECT unnest($1::VARCHAR[]))
               OR item_document_id IN (SELECT unnest($2::VARCHAR[])) OR meeting_id IN (SELECT unnest($3::VARCHAR[]))
            """, args)
        # Items every other action meets for the first time.
        con.execute("""
            CREATE OR REPLACE TEMP TABLE _link_new_items AS
            SELECT document_id, ordinal FROM items
            WHERE document_id IN (SELECT unnest($1::VARCHAR[])) OR meeting_id IN (SELECT unnest($2::VARCHAR[]))
            """, args[1:])
    con.execute("""CREATE OR REPLACE TEMP TABLE _link_kept_actions AS
                   SELECT DISTINCT w.document_id, w.ordinal FROM _link_action_words w
                   ANTI JOIN _link_redo r ON r.document_id = w.document_id AND r.ordinal = w.ordinal""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _link_candidates AS
        {_candidates("_link_redo", None)}
        UNION ALL
        {_candidates("_link_kept_actions", "_link_new_items")}""")
    # The actions whose links change: recomputed ones, and kept ones with new candidates
    # (ranked together with their old links).
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _link_touched AS
        SELECT document_id, ordinal FROM _link_redo UNION SELECT document_id, ordinal FROM _link_candidates""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _link_pool AS
        SELECT * FROM _link_candidates
        UNION ALL
        SELECT l.* FROM action_links l
        SEMI JOIN _link_candidates c ON c.document_id = l.document_id AND c.ordinal = l.ordinal
        ANTI JOIN _link_redo r ON r.document_id = l.document_id AND r.ordinal = l.ordinal""")
    con.execute("""DELETE FROM action_links l USING _link_touched t
                   WHERE t.document_id = l.document_id AND t.ordinal = l.ordinal""")
    if changes is not None:
        # actions that no longer exist (their document was reloaded without them)
        con.execute("DELETE FROM action_links WHERE document_id IN (SELECT unnest(?::VARCHAR[]))",
                    [sorted(changes.actions)])
    con.execute(f"""
        INSERT INTO action_links
        SELECT document_id, ordinal, item_document_id, item_ordinal, meeting_id, meeting_date,
               similarity, matched, matched_words
        FROM _link_pool
        QUALIFY row_number() OVER (PARTITION BY document_id, ordinal
                                   ORDER BY similarity DESC, meeting_date, item_document_id, item_ordinal,
                                            meeting_id) <= {MAX_LINKS}""")
    con.execute(f"CREATE OR REPLACE TABLE action_links AS SELECT * FROM action_links ORDER BY {ORDER}")
    n = con.execute("SELECT count(*) FROM _link_touched").fetchone()[0]
    for t in ("_link_action_words", "_link_redo", "_link_new_items", "_link_kept_actions",
              "_link_candidates", "_link_touched", "_link_pool"):
        con.execute(f"DROP TABLE {t}")
    return n
