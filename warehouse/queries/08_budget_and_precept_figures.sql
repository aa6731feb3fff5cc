-- Money in budget, precept and finance items over time
-- What sums were reported under finance, budget and precept items, per body and year?
-- A figure counts when its item title or its sentence mentions one of the words ('i': in any
-- case; 's': across line breaks).
SELECT body, year, count(*) AS figures, sum(value) AS total_gbp, max(value) AS largest_gbp,
       list(raw ORDER BY meeting_date, document_id, ordinal)[1:5] AS examples
FROM figure_series
WHERE unit = 'GBP'
  AND (regexp_full_match(item_title, '.*(budget|precept|finance|overspend|underspend).*', 'is')
       OR regexp_full_match(context, '.*(budget|precept|finance|overspend|underspend).*', 'is'))
GROUP BY ALL
ORDER BY body, year;
