-- Meetings and documents per body per year
-- How many meetings did each body hold (or schedule, or cancel) each year, and how many papers do we hold for them?
SELECT body, year,
       count(*)                                     AS meetings,
       count(*) FILTER (WHERE status = 'held')      AS held,
       count(*) FILTER (WHERE status = 'cancelled') AS cancelled,
       sum(documents)                               AS documents,
       sum(items)                                   AS items
FROM meeting_timeline
WHERE year IS NOT NULL
GROUP BY ALL
ORDER BY body, year;
