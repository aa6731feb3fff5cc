-- Full-text search: knife crime across every body and year
-- Where was knife crime discussed? (BM25 over item titles and text; Porter-stemmed, irregular plurals brought to their singular (search_lemmas), so "knife" finds "knives" and "knives" finds "knife")
SELECT meeting_date, body, ref, title, round(score, 3) AS score
FROM search_items('knife crime')
ORDER BY score DESC, meeting_date
LIMIT 10;
