-- Views for longitudinal questions. Each is documented in the README ("The warehouse") with an
-- example. Every list inside a view is ordered, so the views' results never depend on how the
-- warehouse was loaded.

-- figure_series: every £ and % figure with when, where and about what it was said.
--   SELECT meeting_date, body, item_title, raw FROM figure_series
--   WHERE context ILIKE '%violence reduction%' ORDER BY meeting_date;
CREATE OR REPLACE VIEW figure_series AS
SELECT m.meeting_date,
       year(m.meeting_date)                          AS year,
       m.body,
       m.source_id,
       f.meeting_id,
       d.doc_kind,
       d.title                                       AS document_title,
       d.url                                         AS document_url,
       f.item_ref,
       (SELECT min_by(i.title, i.ordinal) FROM items i
         WHERE i.document_id = f.document_id AND i.ref IS NOT DISTINCT FROM f.item_ref) AS item_title,
       f.raw, f.value, f.unit, f.context,
       f.document_id, f.ordinal
FROM figures f
JOIN documents d USING (document_id)
LEFT JOIN meetings m ON m.meeting_id = f.meeting_id
ORDER BY m.meeting_date, f.document_id, f.ordinal;

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

-- attendance_summary: per person, body and year, how often they were there.
--   SELECT name, body, year, present, apologies, attendance_rate FROM attendance_summary
--   WHERE person_id = 'helen-marsh';
CREATE OR REPLACE VIEW attendance_summary AS
WITH a AS (
    -- one row per person per meeting (a meeting's agenda and minutes may both list them;
    -- the minutes, which record what happened, win over earlier papers)
    SELECT a.person_id, a.meeting_id,
           arg_min(a.status, CASE d.doc_kind WHEN 'minutes' THEN 0 ELSE 1 END || a.document_id) AS status,
           arg_min(a.role, CASE d.doc_kind WHEN 'minutes' THEN 0 ELSE 1 END || a.document_id)
               FILTER (WHERE a.role IS NOT NULL) AS role
    FROM attendance a JOIN documents d USING (document_id)
    WHERE a.person_id IS NOT NULL
    GROUP BY a.person_id, a.meeting_id
),
held AS (
    SELECT m.body, year(m.meeting_date) AS year, count(DISTINCT m.meeting_id) AS meetings_recorded
    FROM meetings m WHERE m.meeting_id IN (SELECT meeting_id FROM attendance)
    GROUP BY ALL
)
SELECT a.person_id, p.name, m.body, year(m.meeting_date) AS year,
       count(*) FILTER (WHERE a.status = 'present')        AS present,
       count(*) FILTER (WHERE a.status = 'in_attendance')  AS in_attendance,
       count(*) FILTER (WHERE a.status = 'apologies')      AS apologies,
       count(*) FILTER (WHERE a.status = 'absent')         AS absent,
       held.meetings_recorded,
       round(count(*) FILTER (WHERE a.status IN ('present', 'in_attendance')) / held.meetings_recorded, 3) AS attendance_rate,
       list_sort(list_distinct(list(a.role) FILTER (WHERE a.role IS NOT NULL))) AS roles,
       min(m.meeting_date) AS first_meeting, max(m.meeting_date) AS last_meeting
FROM a
JOIN people p USING (person_id)
JOIN meetings m ON m.meeting_id = a.meeting_id
JOIN held ON held.body = m.body AND held.year = year(m.meeting_date)
GROUP BY a.person_id, p.name, m.body, year(m.meeting_date), held.meetings_recorded
ORDER BY a.person_id, m.body, year;

-- action_register: every action with its meeting, its owner (as written and as a person) and
-- the later items of the same body that mention it (warehouse/actions_links.py), best first.
--   SELECT meeting_date, owner, text, later_mentions FROM action_register WHERE later_mentions = 0;
CREATE OR REPLACE VIEW action_register AS
WITH owner_person AS (
    SELECT document_id, ordinal, min(person_id) AS person_id, min(matched_by) AS matched_by
    FROM person_mentions WHERE kind = 'action_owner' GROUP BY document_id, ordinal
),
follow AS (
    SELECT l.document_id, l.ordinal,
           count(*) AS later_mentions,
           min(l.meeting_date) AS first_follow_up,
           max(l.similarity) AS best_similarity,
           list({'meeting_id': l.meeting_id, 'meeting_date': l.meeting_date, 'item_ref': i.ref,
                 'item_title': i.title, 'similarity': l.similarity, 'matched_words': l.matched_words}
                ORDER BY l.similarity DESC, l.meeting_date, l.item_document_id, l.item_ordinal) AS follow_ups
    FROM action_links l
    JOIN items i ON i.document_id = l.item_document_id AND i.ordinal = l.item_ordinal
    GROUP BY l.document_id, l.ordinal
)
SELECT a.meeting_id, m.meeting_date, year(m.meeting_date) AS year, m.body, m.source_id,
       a.item_ref, a.text, a.owner,
       op.person_id AS owner_person_id, p.name AS owner_name, op.matched_by AS owner_matched_by,
       coalesce(f.later_mentions, 0) AS later_mentions,
       f.first_follow_up, f.best_similarity,
       coalesce(f.follow_ups, []) AS follow_ups,
       a.document_id, a.ordinal
FROM actions a
LEFT JOIN meetings m ON m.meeting_id = a.meeting_id
LEFT JOIN owner_person op USING (document_id, ordinal)
LEFT JOIN people p ON p.person_id = op.person_id
LEFT JOIN follow f USING (document_id, ordinal)
ORDER BY m.meeting_date, a.document_id, a.ordinal;

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

-- search_items: full-text search (BM25, Porter stemmer) over item titles and text, best first.
-- The query is tokenised and stemmed as the items were (020_search.sql, warehouse/search.py); only
-- the postings of its terms are read (_search_postings is clustered by term). Scores are those of
-- DuckDB's fts extension (match_bm25 with k = 1.2, b = 0.75); an item's per-term scores are
-- summed smallest first, so equal items score exactly equal, every time. Needs the fts extension
-- loaded in the connection, for stem() (connect_read_only does it).
--   SELECT meeting_date, body, title, score FROM search_items('violence reduction unit') LIMIT 5;
CREATE OR REPLACE MACRO search_items(q) AS TABLE
WITH terms AS (
    SELECT term, df FROM search_dict
    WHERE term IN (SELECT stem(unnest(search_tokenize(q)), 'porter'))
),
stats AS (SELECT count(*) AS num_docs, sum(len) / count(len) AS avgdl FROM search_docs),
hits AS (
    SELECT p.item,
           list_sum(list_sort(list(
               log((((st.num_docs - t.df) + 0.5) / (t.df + 0.5)) + 1)
               * ((p.tf * (1.2 + 1)) / (p.tf + (1.2 * ((1 - 0.75) + (0.75 * (p.len / st.avgdl))))))))) AS score
    FROM terms t
    JOIN _search_postings p ON p.term = t.term
    CROSS JOIN stats st
    GROUP BY p.item
)
SELECT h.score, m.meeting_date, m.body, i.meeting_id, i.ref, i.title, i.text, x.document_id, x.ordinal
FROM hits h
JOIN _search_item_ids x ON x.item = h.item
JOIN items i ON i.document_id = x.document_id AND i.ordinal = x.ordinal
LEFT JOIN meetings m ON m.meeting_id = i.meeting_id
ORDER BY h.score DESC, x.document_id, x.ordinal;
