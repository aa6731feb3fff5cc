-- Document history per source
-- How many document URLs does each source have, how many versions, and how many were re-published with new bytes?
SELECT source_id,
       count(DISTINCT url)                              AS urls,
       count(*)                                         AS versions,
       count(DISTINCT url) FILTER (WHERE version > 1)   AS republished_urls
FROM document_versions
GROUP BY source_id
ORDER BY source_id;
