-- Items per topic per year
-- How much agenda time (counted in items) did each topic get, year by year? A topic is a list of words, looked up in the search index.
-- items_on_topics stems the words as the index does ("victim" also finds "victims", "plan" finds
-- "planning") and reads a few index entries instead of scanning every item's text; items are
-- counted per meeting first, so the meetings are joined once per meeting, not once per item.
WITH topics(topic, words) AS (
    VALUES ('finance and precept', ['budget', 'precept', 'finance', 'financial', 'overspend', 'underspend', 'savings']),
           ('violence and knife crime', ['violence', 'violent', 'knife', 'knives', 'weapon', 'gang']),
           ('victims', ['victim']),
           ('neighbourhood policing', ['neighbourhood', 'community', 'communities']),
           ('performance', ['performance', 'plan', 'milestone'])
),
per_meeting AS (
    SELECT topic, meeting_id, count(*) AS items
    FROM items_on_topics((SELECT list({'topic': topic, 'words': words}) FROM topics))
    GROUP BY ALL
)
SELECT year(m.meeting_date) AS year, pm.topic, sum(pm.items)::BIGINT AS items, count(DISTINCT m.meeting_id) AS meetings
FROM per_meeting pm
JOIN meetings m USING (meeting_id)
GROUP BY ALL
ORDER BY year, topic;
