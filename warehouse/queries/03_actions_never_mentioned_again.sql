-- Actions per owner that were never mentioned again
-- For each owner, how many actions were recorded and how many never came back in a later item of the same body?
SELECT coalesce(owner_name, owner, '(no owner)') AS owner,
       count(*)                                   AS actions,
       count(*) FILTER (WHERE later_mentions = 0) AS never_mentioned_again,
       min(meeting_date)                          AS first_action,
       max(meeting_date)                          AS last_action
FROM action_register
GROUP BY ALL
ORDER BY never_mentioned_again DESC, actions DESC, owner;
