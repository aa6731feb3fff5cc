-- One row per real meeting: fold every sighting (the publisher's listing, the agenda, the
-- reports, the minutes published a month later) that computed the same meeting_id.
-- The listing is the publisher's own word on date, time, venue and status, so it wins;
-- among documents the tie-break is the document id, so the result never depends on load order.
CREATE TABLE meetings AS
WITH s AS (
    SELECT *, CASE WHEN seen_in = 'listing' THEN '0' ELSE '1' || seen_in END AS prio
    FROM meeting_sightings
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
    count(*) FILTER (WHERE seen_in <> 'listing')                         AS documents_seen
FROM s
GROUP BY meeting_id
ORDER BY meeting_id;
