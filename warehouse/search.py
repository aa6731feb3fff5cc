"""Full-text search over item titles and text: a BM25 inverted index kept up to date per document.

The index is three tables (documented in the README, queried by the ``search_items(q)`` macro in
030_views.sql):

* ``search_terms(document_id, ordinal, term, tf)``: one row per item and distinct term, with how
  often the term occurs in the item's title and text;
* ``search_docs(document_id, ordinal, len)``: one row per item, its length in terms;
* ``search_dict(term, df)``: one row per term, the number of items that contain it.

Tokenised as DuckDB's ``fts`` extension does with its defaults (``PRAGMA create_fts_index``, which
this replaces): lower-cased, accents stripped, split on digits, whitespace and ASCII punctuation
(the ``search_tokenize`` macro, 020_search.sql, is the extension's own tokenizer), the
extension's English stop words dropped, irregular plurals replaced by their singular
(``LEMMAS``, table ``search_lemmas``), Porter-stemmed with the extension's ``stem`` function. So
scores equal the extension's BM25 (k = 1.2, b = 0.75) on the same items, except where an item
holds one of those plurals.

Unlike the extension's index, which is rebuilt from every item at every load, these tables are
patched by the load's step "search" (warehouse/steps.py): when a document's items are reloaded or
removed, its rows are deleted and its items' terms inserted. ``df`` moves by
the same rows: each term's count among the items inserted, less its count among the items deleted,
is added to it (a term no item contains any more is dropped), so a load never re-counts the whole
of ``search_terms``.
"""
from __future__ import annotations

import duckdb

from warehouse._rows import id_table, insert_rows
from warehouse.db import run_sql
from warehouse.patch import item_batches

# DuckDB fts extension's 'english' stop word list (fts_main_*.stopwords), verbatim.
STOPWORDS = frozenset("""
a a's able about above according accordingly across actually after afterwards again against ain't
all allow allows almost alone along already also although always am among amongst an and another
any anybody anyhow anyone anything anyway anyways anywhere apart appear appreciate appropriate are
aren't around as aside ask asking associated at available away awfully b be became because become
becomes becoming been before beforehand behind being believe below beside besides best better
between beyond both brief but by c c'mon c's came can can't cannot cant cause causes certain
certainly changes clearly co com come comes concerning consequently consider considering contain
containing contains corresponding could couldn't course currently d definitely described despite
did didn't different do does doesn't doing don't done down downwards during e each edu eg eight
either else elsewhere enough entirely especially et etc even ever every everybody everyone
everything everywhere ex exactly example except f far few fifth first five followed following
follows for former formerly forth four from further furthermore g get gets getting given gives go
goes going gone got gotten greetings h had hadn't happens hardly has hasn't have haven't having he
he's hello help hence her here here's hereafter hereby herein hereupon hers herself hi him himself
his hither hopefully how howbeit however i i'd i'll i'm i've ie if ignored immediate in inasmuch
inc indeed indicate indicated indicates inner insofar instead into inward is isn't it it'd it'll
it's its itself j just k keep keeps kept know knows known l last lately later latter latterly least
less lest let let's like liked likely little look looking looks ltd m mainly many may maybe me mean
meanwhile merely might more moreover most mostly much must my myself n name namely nd near nearly
necessary need needs neither never nevertheless new next nine no nobody non none noone nor normally
not nothing novel now nowhere o obviously of off often oh ok okay old on once one ones only onto or
other others otherwise ought our ours ourselves out outside over overall own p particular
particularly per perhaps placed please plus possible presumably probably provides q que quite qv r
rather rd re really reasonably regarding regardless regards relatively respectively right s said
same saw say saying says second secondly see seeing seem seemed seeming seems seen self selves
sensible sent serious seriously seven several shall she should shouldn't since six so some somebody
somehow someone something sometime sometimes somewhat somewhere soon sorry specified specify
specifying still sub such sup sure t t's take taken tell tends th than thank thanks thanx that
that's thats the their theirs them themselves then thence there there's thereafter thereby
therefore therein theres thereupon these they they'd they'll they're they've think third this
thorough thoroughly those though three through throughout thru thus to together too took toward
towards tried tries truly try trying twice two u un under unfortunately unless unlikely until unto
up upon us use used useful uses using usually uucp v value various very via viz vs w want wants was
wasn't way we we'd we'll we're we've welcome well went were weren't what what's whatever when
whence whenever where where's whereafter whereas whereby wherein whereupon wherever whether which
while whither who who's whoever whole whom whose why will willing wish with within without won't
wonder would would wouldn't x y yes yet you you'd you'll you're you've your yours yourself
yourselves z zero
""".split())

# Irregular plurals the Porter stemmer does not bring to their singular ("knives" stems to
# "knive", "women" to "women"): each word is replaced by its lemma before it is stemmed, in item
# text at index time and in queries (search_items, items_on_topics, search_term), so "knives"
# finds "knife" and "knife" finds "knives". Only nouns whose plural is never also a common verb
# ("leaves", "lives" are left alone).
LEMMAS = {
    "knives": "knife", "wives": "wife", "thieves": "thief", "halves": "half", "shelves": "shelf",
    "men": "man", "women": "woman", "policemen": "policeman", "policewomen": "policewoman",
    "children": "child", "feet": "foot", "teeth": "tooth", "mice": "mouse",
    "crises": "crisis", "analyses": "analysis", "criteria": "criterion", "phenomena": "phenomenon",
    "indices": "index", "appendices": "appendix", "matrices": "matrix",
}

TABLES = ("search_terms", "search_docs", "search_dict", "search_lemmas", "internal.search_item_ids",
          "internal.search_postings")
# search_items reads the postings from internal.search_postings: the rows of search_terms, with
# each item's length, keyed by an internal item number (internal.search_item_ids) and kept
# clustered by term, so that a query reads only its terms' rows. Rows of new documents are
# appended sorted by term; once the appended rows make up a fifth of the table it is rewritten in
# term order (compact_postings). Their row order and item numbers depend on the load history;
# everything read from them (search_items) does not.
POSTINGS = "term VARCHAR, item BIGINT, tf INTEGER, len INTEGER"
DDL = ("CREATE OR REPLACE TABLE search_terms (document_id VARCHAR, ordinal BIGINT, term VARCHAR, tf INTEGER)",
       "CREATE OR REPLACE TABLE search_docs (document_id VARCHAR, ordinal BIGINT, len BIGINT)",
       "CREATE OR REPLACE TABLE search_dict (term VARCHAR, df BIGINT)",
       "CREATE OR REPLACE TABLE search_lemmas (word VARCHAR, lemma VARCHAR)",
       "CREATE OR REPLACE TABLE internal.search_item_ids (item BIGINT, document_id VARCHAR, ordinal BIGINT, "
       "meeting_id VARCHAR)",
       f"CREATE OR REPLACE TABLE internal.search_postings ({POSTINGS})")
COMPACT_SHARE = 0.2


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """The index of every item, from empty tables."""
    for statement in DDL:
        con.execute(statement)
    insert_rows(con, "search_lemmas", ["word", "lemma"], sorted(LEMMAS.items()))
    con.execute("DELETE FROM internal.warehouse_meta WHERE key = 'search_postings_sorted'")
    _start(con)
    _fill(con, None)


def patch(con: duckdb.DuckDBPyConnection, changes) -> None:
    """The index, for the documents whose items were reloaded (``changes.documents('items')``):
    their old rows out, their items' rows in, and each term's df moved by the difference."""
    documents = changes.documents("items")
    _start(con)
    id_table(con, "_search_forget", documents)
    con.execute("INSERT INTO _search_df_delta SELECT term, -count(*) FROM search_terms "
                "WHERE document_id IN (SELECT id FROM _search_forget) GROUP BY term")
    con.execute("DELETE FROM internal.search_postings WHERE item IN (SELECT item FROM internal.search_item_ids "
                "WHERE document_id IN (SELECT id FROM _search_forget))")
    for table in ("internal.search_item_ids", "search_terms", "search_docs"):
        con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT id FROM _search_forget)")
    con.execute("DROP TABLE _search_forget")
    _fill(con, documents)


def _start(con: duckdb.DuckDBPyConnection) -> None:
    """The tokenizer, the stop words, and the changes to df this load makes."""
    run_sql(con, "020_search.sql")
    con.execute("CREATE OR REPLACE TEMP TABLE _search_stop AS SELECT unnest(string_split(?, ' ')) AS w",
                [" ".join(sorted(STOPWORDS))])
    con.execute("CREATE OR REPLACE TEMP TABLE _search_df_delta (term VARCHAR, d BIGINT)")


def _fill(con: duckdb.DuckDBPyConnection, documents: set[str] | None) -> None:
    """Index the items of ``documents`` (None: every item), then bring df up to date."""
    for _ in item_batches(con, documents):
        index_items(con)
    update_dict(con)


def index_items(con: duckdb.DuckDBPyConnection) -> None:
    """Index the items in temp table ``_batch`` (``patch.item_batches``)."""
    # Occurrences per item and word (title and text tokenised together: the space between
    # them is a separator, and concat_ws skips a NULL as tokenize(NULL) gives no word), after
    # the fts extension's filter (no empty tokens, no stop words); then each distinct word
    # stemmed once (stemming is the costly part), and the counts summed per stem.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _search_tf AS
        WITH words AS (
            SELECT * FROM (
                SELECT r, w, count(*) AS n
                FROM (SELECT rowid AS r, unnest(search_tokenize(concat_ws(' ', title, text))) AS w FROM _batch)
                WHERE len(w) > 0 GROUP BY r, w)
            WHERE w NOT IN (SELECT w FROM _search_stop)),
        stems AS (SELECT w, stem(coalesce(l.lemma, w), 'porter') AS term
                  FROM (SELECT DISTINCT w FROM words) LEFT JOIN search_lemmas l ON l.word = w)
        SELECT r, term, sum(n)::INTEGER AS tf FROM words JOIN stems USING (w) GROUP BY r, term""")
    con.execute("""
        INSERT INTO search_terms
        SELECT b.document_id, b.ordinal, t.term, t.tf
        FROM _search_tf t JOIN _batch b ON b.rowid = t.r
        ORDER BY t.r, t.term""")
    con.execute("""
        INSERT INTO search_docs
        SELECT b.document_id, b.ordinal, coalesce(t.len, 0)::BIGINT AS len
        FROM _batch b LEFT JOIN (SELECT r, sum(tf) AS len FROM _search_tf GROUP BY r) t ON t.r = b.rowid
        ORDER BY b.rowid""")
    # The postings: numbered items, their rows sorted by term.
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _search_new_ids AS
        SELECT rowid AS r, (SELECT coalesce(max(item), 0) FROM internal.search_item_ids) + row_number() OVER (ORDER BY rowid) AS item,
               document_id, ordinal, meeting_id
        FROM _batch""")
    con.execute("INSERT INTO internal.search_item_ids SELECT item, document_id, ordinal, meeting_id FROM _search_new_ids ORDER BY item")
    con.execute("""
        INSERT INTO internal.search_postings
        SELECT t.term, i.item, t.tf, l.len
        FROM _search_tf t JOIN _search_new_ids i USING (r)
        JOIN (SELECT r, sum(tf)::INTEGER AS len FROM _search_tf GROUP BY r) l USING (r)
        ORDER BY t.term, i.item""")
    con.execute("INSERT INTO _search_df_delta SELECT term, count(*) FROM _search_tf GROUP BY term")
    con.execute("DROP TABLE _search_tf")
    con.execute("DROP TABLE _search_new_ids")


def update_dict(con: duckdb.DuckDBPyConnection) -> int:
    """Apply this load's changes to ``df`` (+ per item indexed, - per item forgotten), so a load
    never re-counts the whole of search_terms; returns how many terms they touched."""
    n = con.execute("SELECT count(DISTINCT term) FROM _search_df_delta").fetchone()[0]
    con.execute("""CREATE OR REPLACE TABLE search_dict AS
                   SELECT term, sum(df)::BIGINT AS df
                   FROM (SELECT term, df FROM search_dict UNION ALL SELECT term, d FROM _search_df_delta)
                   GROUP BY term HAVING sum(df) > 0 ORDER BY term""")
    con.execute("DROP TABLE _search_df_delta")
    compact_postings(con)
    return n


def compact_postings(con: duckdb.DuckDBPyConnection, force: bool = False) -> bool:
    """Rewrite internal.search_postings in term order once a fifth of it was appended since the last
    time (its zone maps then let a query skip every other term's rows again). Called with
    search_dict up to date: its df's sum is the number of postings (one per item and term)."""
    total = con.execute("SELECT coalesce(sum(df), 0)::BIGINT FROM search_dict").fetchone()[0]
    sorted_rows = con.execute("SELECT coalesce(max(value::BIGINT), 0) FROM internal.warehouse_meta "
                              "WHERE key = 'search_postings_sorted'").fetchone()[0]
    if not force and total - sorted_rows <= COMPACT_SHARE * total:
        return False
    _sort_postings(con)
    con.execute("DELETE FROM internal.warehouse_meta WHERE key = 'search_postings_sorted'")
    con.execute("INSERT INTO internal.warehouse_meta VALUES ('search_postings_sorted', ?)", [str(total)])
    return True


SORT_ROWS = 400_000  # postings sorted at once: bounds the sort's memory, not the table's size


def _sort_postings(con: duckdb.DuckDBPyConnection) -> None:
    """Rewrite internal.search_postings in (term, item) order, one range of terms at a time (one sort
    of the whole table would hold all of it at once). The ranges come from search_dict, already up
    to date: a term's df is its number of postings."""
    bounds, rows = [], 0
    for term, df in con.execute("SELECT term, df FROM search_dict ORDER BY term").fetchall():
        if rows >= SORT_ROWS:
            bounds.append(term)
            rows = 0
        rows += df
    con.execute(f"CREATE OR REPLACE TABLE internal.search_postings_sorted ({POSTINGS})")
    for lo, hi in zip([None] + bounds, bounds + [None]):  # None: no bound on that side
        con.execute("INSERT INTO internal.search_postings_sorted SELECT * FROM internal.search_postings "
                    "WHERE ($lo IS NULL OR term >= $lo) AND ($hi IS NULL OR term < $hi) "
                    "ORDER BY term, item", {"lo": lo, "hi": hi})
    con.execute("DROP TABLE internal.search_postings")
    con.execute("ALTER TABLE internal.search_postings_sorted RENAME TO search_postings")
