-- search_tokenize: how item text and search queries are split into words, exactly as DuckDB's
-- fts extension does it (the tokenize macro PRAGMA create_fts_index writes into fts_main_*):
-- lower-cased, accents stripped, digits and ASCII punctuation turned into spaces, split on
-- whitespace. warehouse/search.py drops empty words and stop words and stems the rest
-- (stem(word, 'porter'), from the fts extension) to fill search_terms; search_items (030_views.sql)
-- stems the query's words the same way.
CREATE OR REPLACE MACRO search_tokenize(s) AS
    string_split_regex(regexp_replace(lower(strip_accents(CAST(s AS VARCHAR))),
                                      '[0-9!@#$%^&*()_+={}\[\]:;<>,.?~\\/\|''''"`-]+', ' ', 'g'), '\s+');
