-- Every £ figure about the Violence Reduction Unit, over time
-- Which sums of money were reported in the same sentence as the Violence Reduction Unit (VRU), when, and by which body?
-- money_sentences holds the sentences of item text that print money (split at load), so this
-- reads those short sentences instead of splitting every item's text; each £ figure of an item
-- is then matched to the VRU sentences of that item that print it.
WITH vru_sentences AS (
    SELECT document_id, item_ref, sentence FROM money_sentences
    -- the cheap substring tests first, so the regular expression (word boundaries) sees few rows
    WHERE (contains(sentence, 'VRU') OR contains(lower(sentence), 'violence reduction'))
      AND regexp_matches(sentence, '(?i:violence reduction)|\bVRU\b')
)
SELECT DISTINCT f.meeting_date, f.body, f.item_ref, f.raw, f.value, s.sentence, f.document_id, f.ordinal
FROM figure_series f
JOIN vru_sentences s ON s.document_id = f.document_id AND s.item_ref IS NOT DISTINCT FROM f.item_ref
WHERE f.unit = 'GBP' AND contains(s.sentence, f.raw)
ORDER BY f.meeting_date, f.document_id, f.ordinal;
