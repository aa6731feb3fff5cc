-- figure_series, the first mart (see 025_marts.sql), built whole by a rebuild. Its rows are a
-- function of one document's figures, items and documents row and its meeting, so an
-- incremental load patches only the documents it reloaded and those of meetings that moved
-- (warehouse/marts.py reads the view internal.figure_series_rows for them); the table keeps the total
-- order below either way.

-- figure_series: every £ and % figure with when, where and about what it was said. The item
-- title is the title of the figure's item (the first item of the document with that ref).
--   SELECT meeting_date, body, item_title, raw FROM figure_series
--   WHERE context ILIKE '%violence reduction%' ORDER BY meeting_date;
CREATE OR REPLACE VIEW internal.figure_series_rows AS
WITH item_titles AS (
    SELECT document_id, ref, min_by(title, ordinal) AS item_title
    FROM items GROUP BY document_id, ref
)
SELECT m.meeting_date,
       year(m.meeting_date)                          AS year,
       m.body,
       m.source_id,
       f.meeting_id,
       d.doc_kind,
       d.title                                       AS document_title,
       d.url                                         AS document_url,
       f.item_ref,
       t.item_title,
       f.raw, f.value, f.unit, f.context,
       f.document_id, f.ordinal
FROM figures f
JOIN documents d USING (document_id)
LEFT JOIN meetings m ON m.meeting_id = f.meeting_id
LEFT JOIN item_titles t ON t.document_id = f.document_id AND t.ref IS NOT DISTINCT FROM f.item_ref;

CREATE OR REPLACE TABLE figure_series AS
SELECT * FROM internal.figure_series_rows ORDER BY meeting_date, document_id, ordinal;
