-- Coverage: what the archive holds per source and year
-- How complete is the record: per source and year, how many meetings are listed, for how many are the minutes archived, how many have papers parsed, and how many have a paper flagged for checking (papers_to_check)?
SELECT source_id, year, meetings_listed, with_minutes, with_papers_parsed, with_papers_flagged,
       papers, papers_flagged
FROM coverage
ORDER BY source_id, year;
