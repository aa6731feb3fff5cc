-- Actions and where they were followed up
-- For each action that came back later, the first later item that mentions it and how similar it was.
SELECT meeting_date, body, coalesce(owner_name, owner) AS owner, left(text, 60) AS action,
       later_mentions, first_follow_up,
       follow_ups[1].item_title AS first_item, follow_ups[1].similarity AS similarity
FROM action_register
WHERE later_mentions > 0
ORDER BY meeting_date, document_id, ordinal;
