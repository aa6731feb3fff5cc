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
(the step "item_words", warehouse/steps.py), so item text is read once, when its document is loaded. The links are a SQL
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

import duckdb

from warehouse._rows import id_table

MIN_SIMILARITY = 0.6
MIN_MATCHED = 2
MAX_LINKS = 5
LINK_CHUNK = 400  # actions whose candidate pairs are counted at once (bounds the load's memory)

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


_PATTERN = WORD_RE.replace("'", "''")  # as a SQL string


def _lower_sql(expr: str) -> str:
    """``expr`` lower-cased as Python's str.lower() does it ('İ' becomes 'i' + U+0307 there,
    'i' in DuckDB; the other letters that lower-case to a-z agree)."""
    return f"lower(replace({expr}, 'İ', 'i̇'))"


def _words_sql(expr: str) -> str:
    """The distinct words of ``expr`` that may be content words."""
    return f"list_distinct(regexp_extract_all({_lower_sql(expr)}, '{_PATTERN}'))"


def content_words(text: str) -> set[str]:
    """The same in Python (for tests and one-off checks)."""
    import re

    return {w for w in re.findall(WORD_RE, (text or "").lower()) if w not in STOP}


# --------------------------------------------------------------------------------------
# item_words: the step "item_words" (warehouse/steps.py), a batch of documents at a time
# --------------------------------------------------------------------------------------

ITEM_WORDS = "CREATE OR REPLACE TABLE item_words (document_id VARCHAR, ordinal BIGINT, word VARCHAR)"


def index_items(con: duckdb.DuckDBPyConnection) -> None:
    """Insert the content words of the items in temp table ``_batch``."""
    con.execute(f"""
        INSERT INTO item_words
        SELECT b.document_id, b.ordinal, w.word
        FROM (SELECT DISTINCT r, word FROM (
                  SELECT rowid AS r, unnest(regexp_extract_all({_lower_sql("title || ' ' || text")}, '{_PATTERN}')) AS word
                  FROM _batch)
              WHERE word NOT IN (SELECT unnest(string_split(?, ' ')))) w
        JOIN _batch b ON b.rowid = w.r
        ORDER BY w.r, w.word""", [" ".join(sorted(STOP))])


# --------------------------------------------------------------------------------------
# action_links
# --------------------------------------------------------------------------------------


COLUMNS = ("document_id VARCHAR, ordinal BIGINT, item_document_id VARCHAR, item_ordinal BIGINT, "
           "meeting_id VARCHAR, meeting_date DATE, similarity DOUBLE, matched BIGINT, matched_words VARCHAR")


def _similarity(matched: str, n: str) -> str:
    """SQL: round(matched / n, 3) * 1000 as Python's round() gives it (half to even), exactly,
    in integers: (1000·matched) // n, plus one when the remainder is over half, or exactly
    half and the quotient odd."""
    q, r = f"((1000 * {matched}) // {n})", f"((1000 * {matched}) % {n})"
    return f"({q} + CASE WHEN 2 * {r} > {n} OR (2 * {r} = {n} AND {q} % 2 = 1) THEN 1 ELSE 0 END)"


def _pairs(actions: str, items: str | None, aid_range: tuple[int, int] | None = None) -> str:
    """SQL: (aid, iid, matched, sim) for every (action, item) pair that qualifies as a link, for
    the actions whose aid is in temp table ``actions`` (and in ``aid_range``) and the items whose
    iid is in ``items`` (None: every item of ``_link_iw``). Joined on integers and words only."""
    only = "" if items is None else f"WHERE iid IN (SELECT iid FROM {items})"
    within = "" if aid_range is None else f"AND aid BETWEEN {int(aid_range[0])} AND {int(aid_range[1])}"
    sim = _similarity("count(*)", "any_value(a.n)")
    return f"""
        SELECT a.aid, i.iid, count(*) AS matched, {sim} AS sim
        FROM (SELECT * FROM _link_action_words WHERE aid IN (SELECT aid FROM {actions}) {within}) a
        JOIN (SELECT * FROM _link_iw {only}) i ON i.word = a.word AND i.bid = a.bid
        WHERE i.meeting_date > a.meeting_date AND i.meeting_id <> a.meeting_id
        GROUP BY a.aid, i.iid
        HAVING count(*) >= {MIN_MATCHED} AND {sim} >= {round(MIN_SIMILARITY * 1000)}"""


def build(con: duckdb.DuckDBPyConnection, items: set[str] | None = None, actions: set[str] | None = None,
          meetings: set[str] | None = None) -> int:
    """Bring ``action_links`` up to date: from scratch (no argument), or for what an incremental
    load changed: the documents whose ``items`` or ``actions`` were reloaded and the ``meetings``
    that appeared, went, or changed body or date. Returns the number of actions whose links were
    recomputed."""
    # Bodies, dated items and actions' content words, numbered (joins on integers).
    con.execute("""CREATE OR REPLACE TEMP TABLE _link_bodies AS
                   SELECT body, row_number() OVER (ORDER BY body NULLS LAST) AS bid
                   FROM (SELECT DISTINCT body FROM meetings)""")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _link_items AS
        SELECT row_number() OVER (ORDER BY it.document_id, it.ordinal) AS iid, it.document_id, it.ordinal,
               b.bid, m.meeting_date, it.meeting_id
        FROM items it JOIN meetings m ON m.meeting_id = it.meeting_id
        JOIN _link_bodies b ON b.body IS NOT DISTINCT FROM m.body
        WHERE m.meeting_date IS NOT NULL""")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _link_action_words AS
        WITH w AS (
            SELECT DISTINCT a.document_id, a.ordinal, b.bid, m.meeting_date, a.meeting_id,
                   unnest({_words_sql("a.text")}) AS word
            FROM actions a JOIN meetings m ON m.meeting_id = a.meeting_id
            JOIN _link_bodies b ON b.body IS NOT DISTINCT FROM m.body
            WHERE m.meeting_date IS NOT NULL),
        c AS (SELECT * FROM w WHERE word NOT IN (SELECT unnest(string_split(?, ' ')))),
        n AS (SELECT document_id, ordinal, count(*) AS n FROM c GROUP BY ALL HAVING count(*) >= {MIN_MATCHED})
        SELECT dense_rank() OVER (ORDER BY c.document_id, c.ordinal) AS aid, c.*, n.n
        FROM c JOIN n USING (document_id, ordinal)""", [" ".join(sorted(STOP))])
    full = (items, actions, meetings) == (None, None, None) or not con.execute(
        "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'action_links' AND NOT temporary").fetchone()[0]
    if full:
        con.execute("CREATE OR REPLACE TEMP TABLE _link_redo AS SELECT DISTINCT aid FROM _link_action_words")
        con.execute("CREATE OR REPLACE TEMP TABLE _link_new_items AS SELECT iid FROM _link_items LIMIT 0")
        con.execute(f"CREATE OR REPLACE TABLE action_links ({COLUMNS})")
    else:
        id_table(con, "_link_changed_actions", actions or ())
        id_table(con, "_link_changed_items", items or ())
        id_table(con, "_link_moved", meetings or ())
        changed_actions = "(SELECT id FROM _link_changed_actions)"
        changed_items, moved = "(SELECT id FROM _link_changed_items)", "(SELECT id FROM _link_moved)"
        # Actions linked afresh against every item: (re)loaded, moved, or linked to an item
        # that was reloaded or moved.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _link_redo_keys AS
            SELECT document_id, ordinal FROM actions
            WHERE document_id IN {changed_actions} OR meeting_id IN {moved}
            UNION
            SELECT document_id, ordinal FROM action_links
            WHERE document_id IN {changed_actions} OR item_document_id IN {changed_items} OR meeting_id IN {moved}
            """)
        con.execute("""CREATE OR REPLACE TEMP TABLE _link_redo AS
                       SELECT DISTINCT w.aid FROM _link_action_words w
                       JOIN _link_redo_keys k ON k.document_id = w.document_id AND k.ordinal = w.ordinal""")
        # Items every other action meets for the first time.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _link_new_items AS
            SELECT iid FROM _link_items WHERE document_id IN {changed_items} OR meeting_id IN {moved}""")
        # Whatever happens below, these actions' links are replaced (or gone).
        con.execute("""DELETE FROM action_links l USING _link_redo_keys k
                       WHERE k.document_id = l.document_id AND k.ordinal = l.ordinal""")
        for t in ("_link_redo_keys", "_link_changed_actions", "_link_changed_items", "_link_moved"):
            con.execute(f"DROP TABLE {t}")
    con.execute("""CREATE OR REPLACE TEMP TABLE _link_kept AS
                   SELECT DISTINCT aid FROM _link_action_words WHERE aid NOT IN (SELECT aid FROM _link_redo)""")
    # The item words that can match: every item's words that a relinked action has, and the
    # new items' words that any action has. The words are filtered first (MATERIALIZED): left to
    # itself DuckDB joined all of item_words with _link_items on the string keys first.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _link_iw AS
        WITH redo_words AS (SELECT DISTINCT word FROM _link_action_words WHERE aid IN (SELECT aid FROM _link_redo)),
        all_words AS (SELECT DISTINCT word FROM _link_action_words),
        new_items AS (SELECT li.* FROM _link_items li WHERE iid IN (SELECT iid FROM _link_new_items)),
        redo_iw AS MATERIALIZED (SELECT * FROM item_words WHERE word IN (SELECT word FROM redo_words))
        SELECT li.iid, li.bid, li.meeting_date, li.meeting_id, iw.word
        FROM redo_iw iw JOIN _link_items li ON li.document_id = iw.document_id AND li.ordinal = iw.ordinal
        UNION
        SELECT li.iid, li.bid, li.meeting_date, li.meeting_id, iw.word
        FROM item_words iw JOIN new_items li ON li.document_id = iw.document_id AND li.ordinal = iw.ordinal
        WHERE iw.word IN (SELECT word FROM all_words)""")
    # The qualifying (action, item) pairs. Relinked actions meet every item, so they are counted
    # a few hundred at a time: the pairs counted at once grow with the actions times the items
    # each can meet. (Kept actions only meet the new items.)
    con.execute("CREATE OR REPLACE TEMP TABLE _link_pairs (aid BIGINT, iid BIGINT, matched BIGINT, sim BIGINT)")
    aids = [r[0] for r in con.execute("SELECT aid FROM _link_redo ORDER BY aid").fetchall()]
    for start in range(0, len(aids), LINK_CHUNK):
        chunk = aids[start:start + LINK_CHUNK]
        con.execute(f"INSERT INTO _link_pairs {_pairs('_link_redo', None, (chunk[0], chunk[-1]))}")
    if con.execute("SELECT count(*) FROM _link_new_items").fetchone()[0]:
        con.execute(f"INSERT INTO _link_pairs {_pairs('_link_kept', '_link_new_items')}")
    # The actions whose links change: relinked ones, and kept ones with new candidates, ranked
    # together with their current links; the best MAX_LINKS of each. Still on ids: iid follows
    # (document_id, ordinal), so (sim desc, date, iid) is the documented order.
    con.execute("CREATE OR REPLACE TEMP TABLE _link_actions AS SELECT DISTINCT aid, document_id, ordinal "
                "FROM _link_action_words")
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _link_best AS
        SELECT p.aid, p.iid, p.sim, p.matched, p.matched_words FROM (
            SELECT aid, iid, sim, matched, NULL::VARCHAR AS matched_words FROM _link_pairs
            UNION ALL
            SELECT a.aid, li.iid, CAST(round(l.similarity * 1000) AS BIGINT), l.matched, l.matched_words
            FROM action_links l
            JOIN _link_actions a ON a.document_id = l.document_id AND a.ordinal = l.ordinal
            JOIN _link_items li ON li.document_id = l.item_document_id AND li.ordinal = l.item_ordinal
            WHERE a.aid IN (SELECT aid FROM _link_pairs)) p
        JOIN _link_items li ON li.iid = p.iid
        QUALIFY row_number() OVER (PARTITION BY p.aid ORDER BY p.sim DESC, li.meeting_date, p.iid) <= {MAX_LINKS}""")
    # The new links' matched words (only now: most candidates are not among the best). Each
    # link's action words first (MATERIALIZED): DuckDB otherwise joined every action word with
    # every item word on the word alone (8 million rows in a nightly load) before keeping the
    # links' pairs.
    con.execute("""
        UPDATE _link_best b SET matched_words = w.matched_words
        FROM (WITH pw AS MATERIALIZED (
                  SELECT p.aid, p.iid, a.word
                  FROM (SELECT aid, iid FROM _link_best WHERE matched_words IS NULL) p
                  JOIN _link_action_words a ON a.aid = p.aid)
              SELECT pw.aid, pw.iid, string_agg(pw.word, ', ' ORDER BY pw.word) AS matched_words
              FROM pw JOIN _link_iw i ON i.iid = pw.iid AND i.word = pw.word
              GROUP BY pw.aid, pw.iid) w
        WHERE b.aid = w.aid AND b.iid = w.iid""")
    con.execute("""DELETE FROM action_links l
                   USING (SELECT document_id, ordinal FROM _link_actions WHERE aid IN (SELECT aid FROM _link_best)) c
                   WHERE c.document_id = l.document_id AND c.ordinal = l.ordinal""")
    con.execute("""
        INSERT INTO action_links
        SELECT a.document_id, a.ordinal, li.document_id, li.ordinal, li.meeting_id, li.meeting_date,
               b.sim / 1000, b.matched, b.matched_words
        FROM _link_best b JOIN _link_actions a USING (aid) JOIN _link_items li USING (iid)""")
    n = con.execute("SELECT count(*) FROM _link_redo").fetchone()[0] + \
        con.execute("SELECT count(DISTINCT aid) FROM _link_pairs WHERE aid IN (SELECT aid FROM _link_kept)").fetchone()[0]
    for t in ("_link_bodies", "_link_items", "_link_action_words", "_link_redo", "_link_new_items", "_link_kept", "_link_iw",
              "_link_pairs", "_link_actions", "_link_best"):
        con.execute(f"DROP TABLE {t}")
    return n
