-- Items per topic per year
-- How much agenda time (counted in items) did each topic get, year by year? Topics are keyword lists.
WITH topics(topic, pattern) AS (
    VALUES ('finance and precept', 'budget|precept|finance|overspend|underspend|savings'),
           ('violence and knife crime', 'violence|knife|weapon|gang'),
           ('victims', 'victim'),
           ('neighbourhood policing', 'neighbourhood|community'),
           ('performance', 'performance|plan|milestone')
)
SELECT year(m.meeting_date) AS year, t.topic, count(*) AS items, count(DISTINCT m.meeting_id) AS meetings
FROM items i
JOIN meetings m ON m.meeting_id = i.meeting_id
JOIN topics t ON regexp_matches(lower(i.title || ' ' || i.text), t.pattern)
GROUP BY ALL
ORDER BY year, topic;
