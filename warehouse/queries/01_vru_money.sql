-- Every £ figure about the Violence Reduction Unit, over time
-- Which sums of money were reported in the same sentence as the Violence Reduction Unit (VRU), when, and by which body?
-- Only items that mention the VRU at all are split into sentences (most do not), then each
-- £ figure of such an item is matched to the VRU sentences that print it.
WITH vru_items AS (
    SELECT document_id, ref, text FROM items
    WHERE text ILIKE '%violence reduction%' OR regexp_matches(text, '\bVRU\b')
),
sentences AS (
    SELECT document_id, ref, trim(unnest(string_split_regex(text, '[.•]\s+|\n'))) AS sentence
    FROM vru_items
),
vru_sentences AS (
    SELECT * FROM sentences
    WHERE sentence ILIKE '%violence reduction%' OR regexp_matches(sentence, '\bVRU\b')
)
SELECT DISTINCT f.meeting_date, f.body, f.item_ref, f.raw, f.value, s.sentence, f.document_id, f.ordinal
FROM figure_series f
JOIN vru_sentences s ON s.document_id = f.document_id AND s.ref IS NOT DISTINCT FROM f.item_ref
WHERE f.unit = 'GBP' AND contains(s.sentence, f.raw)
ORDER BY f.meeting_date, f.document_id, f.ordinal;
