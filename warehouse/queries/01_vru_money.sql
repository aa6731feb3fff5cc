-- Every £ figure about the Violence Reduction Unit, over time
-- Which sums of money were reported in the same sentence as the Violence Reduction Unit (VRU), when, and by which body?
WITH sentences AS (
    SELECT f.meeting_date, f.body, f.item_ref, f.raw, f.value, f.document_id, f.ordinal,
           unnest(string_split_regex(i.text, '[.•]\s+|\n')) AS sentence
    FROM figure_series f
    JOIN items i ON i.document_id = f.document_id AND i.ref IS NOT DISTINCT FROM f.item_ref
    WHERE f.unit = 'GBP'
)
SELECT DISTINCT meeting_date, body, item_ref, raw, value, trim(sentence) AS sentence, document_id, ordinal
FROM sentences
WHERE contains(sentence, raw)
  AND (sentence ILIKE '%violence reduction%' OR regexp_matches(sentence, '\bVRU\b'))
ORDER BY meeting_date, document_id, ordinal;
