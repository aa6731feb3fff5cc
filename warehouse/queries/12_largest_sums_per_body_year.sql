-- The largest sum mentioned at each body each year
-- What was the single largest £ figure in each body's papers, year by year, and what was it about?
SELECT body, year, arg_max(raw, value) AS largest, max(value) AS value_gbp,
       left(arg_max(context, value), 90) AS context
FROM figure_series
WHERE unit = 'GBP' AND year IS NOT NULL
GROUP BY body, year
ORDER BY body, year;
