-- One row per real meeting: fold every sighting (the publisher's listing, the agenda, the
-- reports, the minutes published a month later, the ModernGov web-service record) that
-- computed the same meeting_id (= "<source>:<ISO date>", see scrutiny/ids.py).
--
-- meeting_aliases: an undated sighting that the listing could only key by month ("November
-- 2024 – pending submission" gives "westmercia-wmgb:key:pending-2024-11"; a minutes page that
-- could not be read gives "…:key:wmgb-november-2024-minutes") is the same real meeting as the
-- dated meeting of that source in that month once its date is known. Its listing file stays in
-- Parquet, so without the alias the meeting would be counted twice. With two dated meetings in
-- the month the earliest is chosen; with none the undated meeting stands on its own.
CREATE OR REPLACE TABLE meeting_aliases AS
WITH undated AS (
    SELECT DISTINCT meeting_id, source_id,
           lower(regexp_extract(meeting_id, ':key:(.*)$', 1)) AS k
    FROM meeting_sightings
    WHERE meeting_date IS NULL AND meeting_id LIKE '%:key:%'
),
months AS (
    SELECT meeting_id, source_id,
           coalesce(
               try_strptime(regexp_extract(k, '(\d{4}-\d{2})', 1) || '-01', '%Y-%m-%d'),
               try_strptime(regexp_extract(k, '(january|february|march|april|may|june|july|august|september|october|november|december)-(\d{4})', 0), '%B-%Y'),
               try_strptime(regexp_extract(k, '(\d{4})-(january|february|march|april|may|june|july|august|september|october|november|december)', 0), '%Y-%B')
           )::DATE AS month_start
    FROM undated
),
dated AS (
    SELECT DISTINCT meeting_id, source_id, meeting_date FROM meeting_sightings WHERE meeting_date IS NOT NULL
)
SELECT m.meeting_id AS alias_id, min(d.meeting_id) AS meeting_id,
       'undated sighting of ' || strftime(m.month_start, '%Y-%m') AS reason
FROM months m
JOIN dated d ON d.source_id = m.source_id AND date_trunc('month', d.meeting_date) = m.month_start
WHERE m.month_start IS NOT NULL
GROUP BY m.meeting_id, m.month_start
ORDER BY alias_id;

-- The listing is the publisher's own word on date, time, venue and status, so it wins (a dated
-- listing before an undated one); among documents the tie-break is the document id, and among
-- listing files the file id, so the result never depends on load order.
CREATE OR REPLACE TABLE meetings AS
WITH s AS (
    SELECT coalesce(a.meeting_id, s.meeting_id) AS meeting_id, s.* EXCLUDE (meeting_id),
           CASE WHEN s.seen_in = 'listing' AND s.meeting_date IS NOT NULL THEN '0' || s.file_id
                WHEN s.seen_in = 'listing' THEN '1' || s.file_id
                ELSE '2' || s.seen_in || s.file_id END AS prio
    FROM meeting_sightings s LEFT JOIN meeting_aliases a ON a.alias_id = s.meeting_id
)
SELECT
    meeting_id,
    min(source_id)                                                       AS source_id,
    arg_min(body, prio)                                                  AS body,
    arg_min(meeting_date, prio) FILTER (WHERE meeting_date IS NOT NULL)  AS meeting_date,
    arg_min(start_time, prio)   FILTER (WHERE start_time IS NOT NULL)    AS start_time,
    arg_min(location, prio)     FILTER (WHERE location IS NOT NULL)      AS location,
    coalesce(arg_min(status, prio) FILTER (WHERE status <> 'unknown'), 'unknown') AS status,
    arg_min(url, prio)          FILTER (WHERE url IS NOT NULL)           AS url,
    count(DISTINCT seen_in) FILTER (WHERE seen_in <> 'listing')          AS documents_seen
FROM s
GROUP BY meeting_id
ORDER BY meeting_id;
