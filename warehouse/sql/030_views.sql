-- Views for longitudinal questions. Each is documented in the README ("The warehouse") with an
-- example. Every list inside a view is ordered, so the views' results never depend on how the
-- warehouse was loaded. figure_series, attendance_summary and action_register, too heavy to
-- compute at every query, are tables made by 025_marts.sql.

-- meeting_timeline: one row per meeting, what was published for it and when.
--   SELECT body, meeting_date, status, documents, items, days_to_minutes FROM meeting_timeline;
CREATE OR REPLACE VIEW meeting_timeline AS
WITH docs AS (
    SELECT meeting_id,
           count(*)                                                       AS documents,
           list_sort(list_distinct(list(doc_kind)))                       AS doc_kinds,
           count(*) FILTER (WHERE doc_kind = 'minutes')                   AS minutes_documents,
           min(coalesce(published_date, fetched_at::DATE)) FILTER (WHERE doc_kind = 'minutes') AS minutes_published,
           count(*) FILTER (WHERE parse_status <> 'ok')                   AS unparsed
    FROM documents GROUP BY meeting_id
),
it AS (SELECT meeting_id, count(*) AS items FROM items GROUP BY meeting_id),
ac AS (SELECT meeting_id, count(*) AS actions FROM actions GROUP BY meeting_id),
fi AS (SELECT meeting_id, count(*) AS figures FROM figures GROUP BY meeting_id),
att AS (SELECT meeting_id,
              count(DISTINCT coalesce(person_id, person)) FILTER (WHERE status IN ('present', 'in_attendance')) AS attendees,
              count(DISTINCT coalesce(person_id, person)) FILTER (WHERE status = 'apologies') AS apologies
       FROM attendance GROUP BY meeting_id)
SELECT m.meeting_id, m.source_id, m.body, m.meeting_date, year(m.meeting_date) AS year,
       m.start_time, m.location, m.status,
       coalesce(docs.documents, 0)       AS documents,
       coalesce(docs.doc_kinds, [])      AS doc_kinds,
       coalesce(it.items, 0)             AS items,
       coalesce(ac.actions, 0)           AS actions,
       coalesce(fi.figures, 0)           AS figures,
       coalesce(att.attendees, 0)         AS attendees,
       coalesce(att.apologies, 0)         AS apologies,
       coalesce(docs.minutes_documents, 0) > 0 AS has_minutes,
       docs.minutes_published,
       date_diff('day', m.meeting_date, docs.minutes_published) AS days_to_minutes,
       coalesce(docs.unparsed, 0)        AS unparsed_documents,
       lag(m.meeting_date) OVER (PARTITION BY m.body ORDER BY m.meeting_date, m.meeting_id) AS previous_meeting,
       m.url
FROM meetings m
LEFT JOIN docs USING (meeting_id)
LEFT JOIN it USING (meeting_id)
LEFT JOIN ac USING (meeting_id)
LEFT JOIN fi USING (meeting_id)
LEFT JOIN att USING (meeting_id)
ORDER BY m.meeting_date, m.meeting_id;

-- document_sightings: every place a current document is published now: one row per source and
-- URL holding its bytes. The document's rows (documents, items, ...) are those of one sighting,
-- the earliest meeting's (is_own); the others are the same paper linked from elsewhere, e.g. a
-- report a PCC's board and its police and crime panel both publish.
--   SELECT * FROM document_sightings WHERE NOT is_own;
CREATE OR REPLACE VIEW document_sightings AS
SELECT v.document_id, v.source_id, v.url, v.title, v.fetched_at,
       d.source_id AS document_source_id, d.meeting_id AS document_meeting_id,
       v.source_id = d.source_id AND v.url = d.url AS is_own
FROM document_versions v JOIN documents d USING (document_id)
WHERE v.is_current
ORDER BY v.document_id, v.source_id, v.url;

-- document_version_stats: every version of every document URL, with what it contained.
--   SELECT url, version, fetched_at, superseded_at, items, figures FROM document_version_stats
--   WHERE url IN (SELECT url FROM document_versions WHERE version > 1);
CREATE OR REPLACE VIEW document_version_stats AS
WITH docs AS (
    SELECT document_id, parse_status, pages, doc_kind FROM documents
    UNION ALL
    SELECT document_id, parse_status, pages, doc_kind FROM superseded_documents
    WHERE document_id NOT IN (SELECT document_id FROM documents)
),
it AS (
    SELECT document_id, count(*) AS items FROM (
        SELECT document_id FROM items
        UNION ALL SELECT document_id FROM superseded_items WHERE document_id NOT IN (SELECT document_id FROM documents)
    ) GROUP BY document_id
),
fi AS (
    SELECT document_id, count(*) AS figures, sum(value) FILTER (WHERE unit = 'GBP') AS gbp_total FROM (
        SELECT document_id, value, unit FROM figures
        UNION ALL SELECT document_id, value, unit FROM superseded_figures
        WHERE document_id NOT IN (SELECT document_id FROM documents)
    ) GROUP BY document_id
),
ac AS (
    SELECT document_id, count(*) AS actions FROM (
        SELECT document_id FROM actions
        UNION ALL SELECT document_id FROM superseded_actions WHERE document_id NOT IN (SELECT document_id FROM documents)
    ) GROUP BY document_id
)
SELECT v.source_id, v.url, v.version, v.document_id, v.fetched_at, v.superseded_at, v.is_current,
       v.bytes, d.doc_kind, d.parse_status, d.pages,
       coalesce(it.items, 0) AS items, coalesce(fi.figures, 0) AS figures,
       coalesce(ac.actions, 0) AS actions, fi.gbp_total
FROM document_versions v
LEFT JOIN docs d USING (document_id)
LEFT JOIN it USING (document_id)
LEFT JOIN fi USING (document_id)
LEFT JOIN ac USING (document_id)
ORDER BY v.source_id, v.url, v.version;

-- document_version_figures: the figures of every version (current and superseded).
CREATE OR REPLACE VIEW document_version_figures AS
WITH f AS (
    SELECT document_id, ordinal, item_ref, raw, value, unit, context FROM figures
    UNION ALL
    SELECT document_id, ordinal, item_ref, raw, value, unit, context FROM superseded_figures
    WHERE document_id NOT IN (SELECT document_id FROM documents)
)
SELECT v.source_id, v.url, v.version, v.is_current, f.*
FROM document_versions v JOIN f USING (document_id)
ORDER BY v.source_id, v.url, v.version, f.ordinal;

-- document_version_changes: what changed from one version of a URL to the next.
--   SELECT url, version, items_before, items_after, figures_added, figures_removed
--   FROM document_version_changes;
CREATE OR REPLACE VIEW document_version_changes AS
WITH s AS (
    SELECT *, lag(document_id) OVER w AS prev_document_id, lag(items) OVER w AS items_before,
           lag(figures) OVER w AS figures_before, lag(actions) OVER w AS actions_before,
           lag(bytes) OVER w AS bytes_before
    FROM document_version_stats
    WINDOW w AS (PARTITION BY source_id, url ORDER BY version)
),
fig AS (
    SELECT source_id, url, version, list_sort(list(raw || ' ' || unit)) AS figs
    FROM document_version_figures GROUP BY ALL
)
SELECT s.source_id, s.url, s.version, s.prev_document_id, s.document_id, s.fetched_at,
       s.bytes_before, s.bytes AS bytes_after,
       s.items_before, s.items AS items_after,
       s.figures_before, s.figures AS figures_after,
       s.actions_before, s.actions AS actions_after,
       list_sort(list_filter(coalesce(cur.figs, []), x -> NOT list_contains(coalesce(prev.figs, []), x))) AS figures_added,
       list_sort(list_filter(coalesce(prev.figs, []), x -> NOT list_contains(coalesce(cur.figs, []), x))) AS figures_removed
FROM s
LEFT JOIN fig cur ON cur.source_id = s.source_id AND cur.url = s.url AND cur.version = s.version
LEFT JOIN fig prev ON prev.source_id = s.source_id AND prev.url = s.url AND prev.version = s.version - 1
WHERE s.version > 1
ORDER BY s.source_id, s.url, s.version;

-- search_term: the index term of one word, as items and queries are indexed: lower-cased, accents
-- stripped, an irregular plural replaced by its singular (search_lemmas), Porter-stemmed.
--   SELECT document_id, ordinal, tf FROM search_terms WHERE term = search_term('knives') ORDER BY tf DESC;
CREATE OR REPLACE MACRO search_term(w) AS
    stem(coalesce((SELECT lemma FROM search_lemmas WHERE word = lower(strip_accents(w))), lower(strip_accents(w))),
         'porter');

-- search_items: full-text search (BM25, Porter stemmer) over item titles and text, best first.
-- The query is tokenised, lemmatised (search_lemmas: "knives" -> "knife") and stemmed as the items
-- were (020_search.sql, warehouse/search.py); only the postings of its terms are read (internal.search_postings is clustered by term). Scores are those of
-- DuckDB's fts extension (match_bm25 with k = 1.2, b = 0.75); an item's per-term scores are
-- summed smallest first, so equal items score exactly equal, every time. Needs the fts extension
-- loaded in the connection, for stem() (connect_read_only does it).
--   SELECT meeting_date, body, title, score FROM search_items('violence reduction unit') LIMIT 5;
CREATE OR REPLACE MACRO search_items(q) AS TABLE
WITH terms AS (
    SELECT term, df FROM search_dict
    WHERE term IN (SELECT stem(coalesce(l.lemma, w.w), 'porter')
                   FROM (SELECT unnest(search_tokenize(q)) AS w) w LEFT JOIN search_lemmas l ON l.word = w.w)
),
stats AS (SELECT count(*) AS num_docs, sum(len) / count(len) AS avgdl FROM search_docs),
hits AS (
    SELECT p.item,
           list_sum(list_sort(list(
               log((((st.num_docs - t.df) + 0.5) / (t.df + 0.5)) + 1)
               * ((p.tf * (1.2 + 1)) / (p.tf + (1.2 * ((1 - 0.75) + (0.75 * (p.len / st.avgdl))))))))) AS score
    FROM terms t
    JOIN internal.search_postings p ON p.term = t.term
    CROSS JOIN stats st
    GROUP BY p.item
)
SELECT h.score, m.meeting_date, m.body, i.meeting_id, i.ref, i.title, i.text, x.document_id, x.ordinal
FROM hits h
JOIN internal.search_item_ids x ON x.item = h.item
JOIN items i ON i.document_id = x.document_id AND i.ordinal = x.ordinal
LEFT JOIN meetings m ON m.meeting_id = i.meeting_id
ORDER BY h.score DESC, x.document_id, x.ordinal;

-- items_on_topics: the items about each of ``topics``, a list of {'topic': name, 'words': [...]}:
-- an item is about a topic when its title or text contains any of the topic's words (stemmed as
-- the index is: "victim" also finds "victims"). One row per item and topic: topic, document_id, ordinal,
-- meeting_id. The words are matched on the index's integer item numbers and each item is counted
-- once per topic before any document id is read, so a topic of common words stays fast (cookbook 02).
--   SELECT topic, count(*) FROM items_on_topics([{'topic': 'victims', 'words': ['victim']}]) GROUP BY topic;
CREATE OR REPLACE MACRO items_on_topics(topics) AS TABLE
WITH topic_words AS (
    SELECT t.topic AS topic, lower(strip_accents(unnest(t.words))) AS word FROM (SELECT unnest(topics) AS t)
),
topic_terms AS (
    SELECT DISTINCT tw.topic, stem(coalesce(l.lemma, tw.word), 'porter') AS term
    FROM topic_words tw LEFT JOIN search_lemmas l ON l.word = tw.word
),
hits AS (
    SELECT DISTINCT tt.topic, p.item
    FROM internal.search_postings p JOIN topic_terms tt ON tt.term = p.term
    WHERE p.term IN (SELECT term FROM search_dict WHERE term IN (SELECT term FROM topic_terms))
)
SELECT h.topic, x.document_id, x.ordinal, x.meeting_id
FROM hits h JOIN internal.search_item_ids x ON x.item = h.item;

-- items_with_words: the items whose title or text contains any of ``words`` (a list), looked up in
-- the search index, so it reads a few postings instead of every item's text. Words are stemmed as
-- the index is ("victim" also finds "victims", "plan" finds "planning"). One row per item and
-- matching word: document_id, ordinal, word. It is items_on_topics with each word a topic of its own.
--   SELECT count(DISTINCT (document_id, ordinal)) FROM items_with_words(['knife', 'knives']);
CREATE OR REPLACE MACRO items_with_words(words) AS TABLE
SELECT document_id, ordinal, topic AS word
FROM items_on_topics(list_transform(words, w -> {'topic': w, 'words': [w]}))
ORDER BY document_id, ordinal, word;

-- papers_to_check: every paper the parser could not read fully, with what it could not read
-- (parse_flags, a closed vocabulary: no_items, no_attendance, date_from_listing, no_date,
-- kind_uncertain, figures_without_item, flattened_text) or why it was not parsed at all.
--   SELECT source_id, meeting_date, doc_kind, parse_flags, url FROM papers_to_check;
CREATE OR REPLACE VIEW papers_to_check AS
SELECT d.source_id, m.meeting_date, d.doc_kind, d.title, d.url, d.parse_status, d.parse_error,
       list_sort(d.parse_flags) AS parse_flags, d.document_id, d.meeting_id
FROM documents d
LEFT JOIN meetings m USING (meeting_id)
WHERE d.parse_status <> 'ok' OR len(d.parse_flags) > 0
ORDER BY d.source_id, m.meeting_date NULLS LAST, d.document_id;
