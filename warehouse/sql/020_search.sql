-- The text the full-text index covers: every item of every current document, with the
-- meeting it belongs to. item_key = "<document_id>/<ordinal>" is the fts document id.
-- The index itself (schema fts_main_item_search) is built right after, at every load, by
-- PRAGMA create_fts_index (warehouse/load.py); search it with the search_items macro
-- (030_views.sql) from any connection that has loaded the fts extension.
CREATE OR REPLACE TABLE item_search AS
SELECT i.document_id || '/' || i.ordinal AS item_key,
       i.document_id, i.ordinal, i.meeting_id, i.ref, i.title, i.text
FROM items i
ORDER BY i.document_id, i.ordinal;
