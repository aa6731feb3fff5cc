-- Percentages about crime, over time
-- Which percentage changes in crime were reported to the boards, and when?
SELECT meeting_date, body, raw, left(context, 100) AS context
FROM figure_series
WHERE unit = 'percent' AND context ILIKE '%crime%'
ORDER BY meeting_date, document_id, ordinal;
