-- coverage: what the archive holds, per source and year of meeting. A journalist's first question
-- of any archive ("is this complete?"), answered per source and year:
--   meetings_listed      meetings the source lists or a paper names (cancelled ones included)
--   meetings_held        of those, the ones not cancelled whose date has passed (as of today)
--   with_minutes         meetings with minutes archived (a paper of doc_kind 'minutes')
--   with_papers_parsed   meetings with at least one paper parsed (parse_status = 'ok')
--   with_papers_flagged  meetings with at least one paper in papers_to_check (not parsed, or
--                        parsed with quality flags)
--   papers, papers_parsed, papers_flagged   the same counted in papers
--   minutes_missing      meetings held with no minutes archived (see minutes_overdue(days))
--   SELECT * FROM coverage WHERE source_id = 'westmercia-pcp';
CREATE OR REPLACE VIEW coverage AS
WITH papers AS (
    SELECT meeting_id,
           count(*)                                                           AS papers,
           count(*) FILTER (WHERE parse_status = 'ok')                         AS parsed,
           count(*) FILTER (WHERE parse_status <> 'ok' OR len(parse_flags) > 0) AS flagged,
           count(*) FILTER (WHERE doc_kind = 'minutes')                        AS minutes
    FROM documents GROUP BY meeting_id
)
SELECT m.source_id, s.body, year(m.meeting_date) AS year,
       count(*)                                                                 AS meetings_listed,
       count(*) FILTER (WHERE m.status <> 'cancelled' AND m.meeting_date <= current_date) AS meetings_held,
       count(*) FILTER (WHERE p.minutes > 0)                                    AS with_minutes,
       count(*) FILTER (WHERE p.parsed > 0)                                     AS with_papers_parsed,
       count(*) FILTER (WHERE p.flagged > 0)                                    AS with_papers_flagged,
       coalesce(sum(p.papers), 0)::BIGINT                                       AS papers,
       coalesce(sum(p.parsed), 0)::BIGINT                                       AS papers_parsed,
       coalesce(sum(p.flagged), 0)::BIGINT                                      AS papers_flagged,
       count(*) FILTER (WHERE m.status <> 'cancelled' AND m.meeting_date <= current_date
                        AND coalesce(p.minutes, 0) = 0)                         AS minutes_missing
FROM meetings m
LEFT JOIN papers p USING (meeting_id)
LEFT JOIN sources s USING (source_id)
GROUP BY ALL
ORDER BY m.source_id, year NULLS LAST;

-- minutes_overdue(days, as_of := current_date): the meetings held more than ``days`` days before
-- ``as_of`` for which no minutes have appeared: no paper of doc_kind 'minutes' is archived for
-- them. Cancelled and undated meetings are left out (a meeting whose status is unknown is kept:
-- its date has passed and nothing says it did not take place). How late the minutes that did
-- appear were is meeting_timeline.days_to_minutes.
--   SELECT body, meeting_date, days_waiting, doc_kinds FROM minutes_overdue(42) ORDER BY days_waiting DESC;
CREATE OR REPLACE MACRO minutes_overdue(days, as_of := current_date) AS TABLE
SELECT source_id, body, meeting_id, meeting_date, status, documents, doc_kinds,
       date_diff('day', meeting_date, as_of::DATE) AS days_waiting, url
FROM meeting_timeline
WHERE meeting_date IS NOT NULL AND status <> 'cancelled' AND NOT has_minutes
  AND date_diff('day', meeting_date, as_of::DATE) > days
ORDER BY meeting_date, meeting_id;
