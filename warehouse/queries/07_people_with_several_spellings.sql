-- People written in more than one way
-- Which spellings (attendance lists, action owners, titled names in the text) were joined into one person?
SELECT person_id, name, spellings, sources, meetings_attended, actions_owned, text_mentions
FROM people
WHERE n_spellings > 1
ORDER BY n_spellings DESC, person_id;
