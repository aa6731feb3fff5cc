-- search_tokenize: how item text and search queries are split into words, as DuckDB's fts
-- extension does it (the tokenize macro PRAGMA create_fts_index writes into fts_main_*):
-- lower-cased, accents stripped, split on runs of digits, ASCII punctuation and whitespace.
-- The extension replaces digits and punctuation by spaces and then splits on whitespace with a
-- second regex; one pass, then a split on ' ', gives the same words, twice as fast (both give
-- empty strings at the ends, which are dropped). warehouse/search.py drops empty words and stop
-- words and stems the rest (stem(word, 'porter'), from the fts extension) to fill search_terms;
-- search_items (030_views.sql) stems the query's words the same way.
CREATE OR REPLACE MACRO search_tokenize(s) AS
    string_split(regexp_replace(lower(strip_accents(CAST(s AS VARCHAR))),
                                '[0-9!@#$%^&*()_+={}\[\]:;<>,.?~\\/\|''''"`\s-]+', ' ', 'g'), ' ');
