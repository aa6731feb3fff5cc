-- The longest gaps between meetings of a body
-- When did a body go longest without meeting (cancelled meetings count as not meeting)?
SELECT body, previous_meeting, meeting_date, date_diff('day', previous_meeting, meeting_date) AS days_since_previous
FROM (
    SELECT body, meeting_date,
           lag(meeting_date) OVER (PARTITION BY body ORDER BY meeting_date, meeting_id) AS previous_meeting
    FROM meeting_timeline
    WHERE status <> 'cancelled' AND meeting_date IS NOT NULL
)
WHERE previous_meeting IS NOT NULL
ORDER BY days_since_previous DESC, body, meeting_date
LIMIT 10;
