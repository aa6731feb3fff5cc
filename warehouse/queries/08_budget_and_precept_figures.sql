-- Money in budget, precept and finance items over time
-- What sums were reported under finance, budget and precept items, per body and year?
SELECT body, year, count(*) AS figures, sum(value) AS total_gbp, max(value) AS largest_gbp,
       list(raw ORDER BY meeting_date, document_id, ordinal)[1:5] AS examples
FROM figure_series
WHERE unit = 'GBP'
  AND regexp_matches(lower(coalesce(item_title, '') || ' ' || context), 'budget|precept|finance|overspend|underspend')
GROUP BY ALL
ORDER BY body, year;
