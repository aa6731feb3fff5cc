"""What the warehouse says about itself: a ``COMMENT ON`` for every contract table and column.

A user in a plain DuckDB session reads these with
``SELECT table_name, comment FROM duckdb_tables()`` and
``SELECT table_name, column_name, comment FROM duckdb_columns()``. The table comments are the
words of the README's contract table ("The warehouse", the notes column, without the Markdown
backticks); ``tests/test_self_describing.py`` holds the two to each other, and requires a comment
on every column of every contract table. The extras get a table comment each, in the words of
docs/warehouse.md.

Comments are written at the end of every load that changed something (``apply``): several
tables are recreated by ``CREATE OR REPLACE TABLE`` during a load, which drops their comments.
"""
from __future__ import annotations

import duckdb

# Shared words for the columns that recur in the tables of documents' rows.
_DOC = "the paper the row was parsed from: SHA-256 of its raw bytes (documents.document_id)"
_MEETING = "the meeting the paper records (meetings.meeting_id, <source>:<ISO date>)"
_ORDINAL = "position of the row in its paper, from 1"
_ITEM_REF = "the agenda item the row belongs to, ref as printed (items.ref)"

# table -> (table comment: the README's notes, {column: comment})
CONTRACT: dict[str, tuple[str, dict[str, str]]] = {
    "sources": ("from the registry used by the last run", {
        "source_id": "the source's id in sources.toml (wmpcc-spcb, westmercia-pcp, …)",
        "adapter": "how the source is read: wp_board_page / wp_minutes_pages / moderngov / cmis",
        "publisher": "the publisher's site",
        "body": "the board or panel the source publishes the papers of",
        "base_url": "where the adapter starts",
    }),
    "meetings": (
        "one row per real meeting: every sighting (listing, agenda, reports, minutes published a month "
        "later, the ModernGov web-service record) folds into one. meeting_id = <source>:<date>, so ids "
        "survive re-runs. status ∈ scheduled / held / cancelled / unknown", {
            "meeting_id": "<source>:<ISO date> (an undated meeting: <source>:key:<key>); survives re-runs",
            "source_id": "sources.source_id",
            "body": "the board or panel that met",
            "meeting_date": "the day of the meeting",
            "start_time": "as printed (HH:MM), NULL when no paper says",
            "location": "as printed, NULL when no paper says",
            "status": "scheduled / held / cancelled / unknown",
            "url": "the meeting's page at the publisher",
            "documents_seen": "how many distinct papers name this meeting (listing entries not counted)",
        }),
    "documents": (
        "the current version of each paper. document_id = SHA-256 of the raw bytes. doc_kind ∈ agenda / "
        "minutes / report / pack / other. parse_status ∈ ok / no_text / encrypted / corrupt / empty / "
        "unsupported / error / too_large / timeout / crashed (the last three: over a parse limit; their "
        "parser_version carries the limits, e.g. 2026.12.1+mem2048m.t120s). parse_flags (a list) says what the parser could not read in a paper it "
        "parsed: no_items, no_attendance, date_from_listing, no_date, kind_uncertain, "
        "figures_without_item, flattened_text (view papers_to_check). For minutes, meeting_id is the "
        "meeting they record", {
            "document_id": "SHA-256 of the raw bytes (the archive's file name under raw/objects/)",
            "source_id": "sources.source_id",
            "meeting_id": "the meeting the paper is for; for minutes, the meeting they record",
            "url": "where the paper was fetched from (the original URL)",
            "title": "the paper's title, as the listing or the paper gives it",
            "doc_kind": "agenda / minutes / report / pack / other",
            "content_type": "the HTTP Content-Type it was served with",
            "bytes": "size of the raw file",
            "pages": "number of PDF pages (NULL for HTML)",
            "fetched_at": "when this version was fetched (UTC)",
            "published_date": "publication date given by the publisher, when it gives one",
            "parse_status": "ok / no_text / encrypted / corrupt / empty / unsupported / error / too_large / "
                            "timeout / crashed",
            "parse_error": "why the paper could not be parsed (NULL when parse_status = ok)",
            "parser_version": "the parser version that produced the rows",
            "ocr": "whether the text came from OCR",
            "parse_flags": "what the parser could not read in a paper it parsed: no_items, no_attendance, "
                           "date_from_listing, no_date, kind_uncertain, figures_without_item, "
                           "flattened_text (view papers_to_check)",
        }),
    "items": ("ref as printed (109/19, 305, 1); report sections get S1, S2…", {
        "document_id": _DOC,
        "meeting_id": _MEETING,
        "ordinal": _ORDINAL,
        "ref": "the item's number as printed (109/19, 305, 1); report sections get S1, S2…",
        "title": "the item's heading",
        "text": "the item's text (minutes: what was said and resolved)",
    }),
    "attendance": ("status ∈ present / in_attendance / apologies / absent; person_id → people", {
        "document_id": _DOC,
        "meeting_id": _MEETING,
        "ordinal": _ORDINAL,
        "person": "the name as written",
        "role": "the role as written (Chair, Chief Constable, …), NULL when not given",
        "status": "present / in_attendance / apologies / absent",
        "person_id": "the person this spelling was joined to (people.person_id)",
    }),
    "actions": ("owner as written, NULL when the minutes do not say who", {
        "document_id": _DOC,
        "meeting_id": _MEETING,
        "item_ref": _ITEM_REF,
        "ordinal": _ORDINAL,
        "text": "the action as recorded",
        "owner": "who is to do it, as written; NULL when the minutes do not say who",
    }),
    "figures": ("unit ∈ GBP / percent; value expanded (£3.7m → 3700000)", {
        "document_id": _DOC,
        "meeting_id": _MEETING,
        "item_ref": _ITEM_REF,
        "ordinal": _ORDINAL,
        "raw": "the figure as printed (£3.7m, 9%)",
        "value": "the figure expanded (£3.7m → 3700000)",
        "unit": "GBP / percent",
        "context": "the words around the figure",
    }),
    "runs": ("one row per run; status ∈ completed / failed / crashed (killed before it finished: recorded by "
             "the next run)", {
        "run_id": "the run's id",
        "flow": "the flow that ran (nightly, backfill, reparse, ingest …)",
        "started_at": "when the run started (UTC)",
        "finished_at": "when it finished (UTC), NULL if it did not",
        "status": "running / completed / failed / crashed",
        "sources": "the sources it covered (a list of source ids, sorted)",
        "meetings_discovered": "meetings found by discovery",
        "documents_discovered": "papers found by discovery",
        "documents_fetched": "papers downloaded (new or changed bytes)",
        "documents_skipped": "papers not downloaded again (unchanged or already archived)",
        "documents_failed": "papers that could not be fetched",
        "message": "the run's summary, or what failed",
        "errors": "what failed, per source: source id → its first errors (only sources that failed; "
                  "NULL for runs recorded before this column)",
    }),
    "fetch_log": (
        "outcome ∈ new / changed / unchanged / not_modified / error / blocked / skipped; purpose ∈ "
        "listing / document; error_kind ∈ transient / permanent / blocked / robots / too_large / "
        "wrong_content (set on error and blocked rows)", {
            "run_id": "runs.run_id",
            "source_id": "sources.source_id",
            "url": "the URL requested",
            "fetched_at": "when (UTC)",
            "http_status": "the HTTP status, NULL when no answer came",
            "bytes": "bytes received",
            "outcome": "new / changed / unchanged / not_modified / error / blocked / skipped",
            "error": "what went wrong, when something did",
            "document_id": "the archived file (documents.document_id), when one was stored",
            "purpose": "listing / document",
            "error_kind": "why it failed: transient / permanent / blocked / robots / too_large / wrong_content",
        }),
}

# The extras (README, "Extras"): a table comment each.
EXTRAS: dict[str, str] = {
    "meeting_sightings": "as meetings, plus seen_in and file_id (the Parquet file the sighting came from): "
                         "the raw material meetings is folded from",
    "meeting_aliases": "alias_id → meeting_id: an undated sighting keyed by month folded into the dated "
                       "meeting of that source and month",
    "document_versions": "every version of every document URL, from the raw archive's manifest",
    "superseded_documents": "the parsed rows of versions that are no longer current anywhere",
    "superseded_items": "the parsed rows of versions that are no longer current anywhere",
    "superseded_actions": "the parsed rows of versions that are no longer current anywhere",
    "superseded_figures": "the parsed rows of versions that are no longer current anywhere",
    "people": "one row per person: the spellings of one person across documents joined",
    "person_mentions": "every spelling that was joined to a person, and why",
    "action_links": "action → later item of the same body that mentions it, with similarity and the "
                    "matched words",
    "search_terms": "the full-text index, one row per item and distinct term (stemmed) with its count in "
                    "the item's title and text",
    "search_docs": "one row per item, its length in terms",
    "search_dict": "one row per term, the number of items that contain it",
    "search_lemmas": "irregular plurals and their singular (knives → knife), applied to item text and "
                     "to queries before stemming",
    "item_words": "one row per item and distinct content word (four letters or more, no stop words), "
                  "what action links match",
    "item_names": "the titled names and \"asked by …\" names in item text, in order, before people "
                  "resolves them",
    "money_sentences": "the sentences of item text that can print a £ figure",
    "figure_series": "mart: one row per figure, with meeting_date, year, body, source, document and item",
    "attendance_summary": "mart: person × body × year: present, in_attendance, apologies, absent, "
                          "meetings_recorded, attendance_rate, roles",
    "action_register": "mart: one row per action, with owner, later_mentions and follow_ups",
}


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def statements(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The COMMENT ON statements still to run: for the tables and columns of ``con``'s main schema
    whose comment is missing or differs (a nightly load recreates only a few tables)."""
    where = "WHERE database_name = current_database() AND schema_name = 'main'"
    tables = dict(con.execute(f"SELECT table_name, comment FROM duckdb_tables() {where}").fetchall())
    columns = {(t, c): comment for t, c, comment in con.execute(
        f"SELECT table_name, column_name, comment FROM duckdb_columns() {where}").fetchall()}
    out = []
    for table, (comment, cols) in CONTRACT.items():
        if table not in tables:
            continue
        if tables[table] != comment:
            out.append(f"COMMENT ON TABLE {table} IS {_quote(comment)}")
        out += [f"COMMENT ON COLUMN {table}.{col} IS {_quote(text)}" for col, text in cols.items()
                if (table, col) in columns and columns[(table, col)] != text]
    out += [f"COMMENT ON TABLE {t} IS {_quote(c)}" for t, c in EXTRAS.items() if t in tables and tables[t] != c]
    return out


def apply(con: duckdb.DuckDBPyConnection) -> None:
    """Comment every contract table and column, and every extra table, of the warehouse."""
    for statement in statements(con):
        con.execute(statement)
