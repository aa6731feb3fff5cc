-- Items per topic per year
-- How much agenda time (counted in items) did each topic get, year by year? A topic is a list of words, looked up in the search index.
-- items_with_words stems the words as the index does ("victim" also finds "victims", "plan" finds
-- "planning"), so this reads a few index entries instead of scanning every item's text.
WITH topics(topic, words) AS (
    VALUES ('finance and precept', ['budget', 'precept', 'finance', 'financial', 'overspend', 'underspend', 'savings']),
           ('violence and knife crime', ['violence', 'violent', 'knife', 'knives', 'weapon', 'gang']),
           ('victims', ['victim']),
           ('neighbourhood policing', ['neighbourhood', 'community', 'communities']),
           ('performance', ['performance', 'plan', 'milestone'])
),
topic_words AS (SELECT topic, unnest(words) AS word FROM topics),
topic_items AS (
    SELECT DISTINCT t.topic, w.document_id, w.ordinal
    FROM items_with_words((SELECT flatten(list(words)) FROM topics)) w
    JOIN topic_words t USING (word)
)
SELECT year(m.meeting_date) AS year, ti.topic, count(*) AS items, count(DISTINCT m.meeting_id) AS meetings
FROM topic_items ti
JOIN items i USING (document_id, ordinal)
JOIN meetings m ON m.meeting_id = i.meeting_id
GROUP BY ALL
ORDER BY year, topic;
