-- Marts: the longitudinal tables whose work is too heavy to redo at every query (they were
-- views), stored by the load: warehouse/marts.py runs this file (and 024_figure_series.sql, or
-- patches figure_series document by document) in the derive step "marts",
-- after people and the action links, whenever documents, items, attendance, actions, figures or
-- meeting sightings changed. Each keeps the name and columns it had as a view (README "The
-- warehouse") and is written in a total order, so SELECT * gives identical results after an
-- incremental load and after a rebuild.

-- action_register: every action with its meeting, its owner (as written and as a person) and
-- the later items of the same body that mention it (warehouse/actions_links.py), best first.
--   SELECT meeting_date, owner, text, later_mentions FROM action_register WHERE later_mentions = 0;
CREATE OR REPLACE TABLE action_register AS
WITH owner_person AS (
    SELECT document_id, ordinal, min(person_id) AS person_id, min(matched_by) AS matched_by
    FROM person_mentions WHERE kind = 'action_owner' GROUP BY document_id, ordinal
),
follow AS (
    -- follow_ups best first: by similarity (descending), then meeting date, then item. Sorting
    -- each small list with list_sort (its sort keys first, then dropped) gives the same lists
    -- as list(... ORDER BY ...), which takes nearly twice as long in DuckDB 1.5.
    SELECT l.document_id, l.ordinal,
           count(*) AS later_mentions,
           min(l.meeting_date) AS first_follow_up,
           max(l.similarity) AS best_similarity,
           list_transform(
               list_sort(list({'neg_similarity': -l.similarity, 'meeting_date': l.meeting_date,
                               'item_document_id': l.item_document_id, 'item_ordinal': l.item_ordinal,
                               'follow_up': {'meeting_id': l.meeting_id, 'meeting_date': l.meeting_date,
                                             'item_ref': i.ref, 'item_title': i.title,
                                             'similarity': l.similarity, 'matched_words': l.matched_words}})),
               x -> x.follow_up) AS follow_ups
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

-- attendance_summary: per person, body and year, how often they were there.
--   SELECT name, body, year, present, apologies, attendance_rate FROM attendance_summary
--   WHERE person_id = 'helen-marsh';
CREATE OR REPLACE TABLE attendance_summary AS
WITH a AS (
    -- one row per person per meeting (a meeting's agenda and minutes may both list them): the
    -- minutes, which record what happened, win over earlier papers; then the document id, then
    -- the first mention in the document (a name listed twice must not make the result vary)
    SELECT a.person_id, a.meeting_id,
           arg_min(a.status, (d.doc_kind IS DISTINCT FROM 'minutes', a.document_id, a.ordinal)) AS status,
           arg_min(a.role, (d.doc_kind IS DISTINCT FROM 'minutes', a.document_id, a.ordinal))
               FILTER (WHERE a.role IS NOT NULL) AS role
    FROM attendance a JOIN documents d USING (document_id)
    WHERE a.person_id IS NOT NULL
    GROUP BY a.person_id, a.meeting_id
),
held AS (
    SELECT m.body, year(m.meeting_date) AS year, count(DISTINCT m.meeting_id) AS meetings_recorded
    FROM meetings m WHERE m.meeting_id IN (SELECT meeting_id FROM attendance)
    GROUP BY ALL
),
per_year AS (
    SELECT a.person_id, m.body, year(m.meeting_date) AS year,
           count(*) FILTER (WHERE a.status = 'present')        AS present,
           count(*) FILTER (WHERE a.status = 'in_attendance')  AS in_attendance,
           count(*) FILTER (WHERE a.status = 'apologies')      AS apologies,
           count(*) FILTER (WHERE a.status = 'absent')         AS absent,
           list_sort(list_distinct(list(a.role) FILTER (WHERE a.role IS NOT NULL))) AS roles,
           min(m.meeting_date) AS first_meeting, max(m.meeting_date) AS last_meeting
    FROM a JOIN meetings m ON m.meeting_id = a.meeting_id
    GROUP BY a.person_id, m.body, year(m.meeting_date)
)
SELECT y.person_id, p.name, y.body, y.year, y.present, y.in_attendance, y.apologies, y.absent,
       held.meetings_recorded,
       round((y.present + y.in_attendance) / held.meetings_recorded, 3) AS attendance_rate,
       y.roles, y.first_meeting, y.last_meeting
FROM per_year y
JOIN people p USING (person_id)
JOIN held ON held.body = y.body AND held.year = y.year
ORDER BY y.person_id, y.body, y.year;
