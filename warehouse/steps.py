"""The derived objects of the warehouse: each one declared step, walked in order by the loader.

A step says which tables it reads, which objects it makes, how to rebuild them from scratch
and, optionally, how to patch them for what a load changed (the units reloaded per base table,
the meetings that moved). The loader (``run_steps``) runs a step only when one of the tables it
reads changed, a base table patched by the load or an object made by an earlier step; what a
step makes then counts as changed for the steps after it. A rebuild runs every step's
``rebuild``. So a run that only adds to ``runs`` and ``fetch_log`` pays for no step but the
views and the comments.

To add a derived object: write its SQL or function, then one ``Step`` in ``STEPS`` after the
steps whose objects it reads.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb

from warehouse import actions_links, catalog, marts, people, search, sentences
from warehouse._rows import id_table
from warehouse.db import run_sql, sql_files
from warehouse.patch import commit_if_large, item_batches


@dataclass
class Changes:
    """What an incremental load changed, for the steps that patch."""

    units: dict[str, set[str]]  # base table -> units reloaded (document ids for documents' rows)
    tables: set[str]  # base tables patched, then the objects of every step that ran
    meetings: set[str] = field(default_factory=set)  # appeared, went, or changed body, date or source

    def documents(self, *tables: str) -> set[str]:
        return set().union(*(self.units.get(t, set()) for t in tables))


@dataclass(frozen=True)
class Step:
    name: str
    reads: frozenset[str] | None  # None: runs at every load that changed anything
    makes: tuple[str, ...]
    rebuild: Callable[[duckdb.DuckDBPyConnection], object]
    patch: Callable[[duckdb.DuckDBPyConnection, Changes], object] | None = None  # None: rebuilt

    def due(self, changes: Changes | None) -> bool:
        return changes is None or self.reads is None or bool(self.reads & changes.tables)


# -- meetings ---------------------------------------------------------------------------------


def _rebuild_meetings(con: duckdb.DuckDBPyConnection) -> None:
    run_sql(con, "010_meetings.sql")


def _patch_meetings(con: duckdb.DuckDBPyConnection, changes: Changes) -> None:
    """Fold the sightings again, and note the meetings that moved (for action links and
    figure_series, which are patched by meeting)."""
    con.execute("CREATE OR REPLACE TEMP TABLE _meetings_before AS "
                "SELECT meeting_id, body, meeting_date, source_id FROM meetings")
    _rebuild_meetings(con)
    changes.meetings |= {r[0] for r in con.execute("""
        SELECT coalesce(a.meeting_id, b.meeting_id) FROM _meetings_before a
        FULL JOIN meetings b ON a.meeting_id = b.meeting_id
        WHERE a.meeting_id IS NULL OR b.meeting_id IS NULL OR a.body IS DISTINCT FROM b.body
           OR a.meeting_date IS DISTINCT FROM b.meeting_date
           OR a.source_id IS DISTINCT FROM b.source_id""").fetchall()}
    con.execute("DROP TABLE _meetings_before")


# -- tables with rows per item, made from item text a batch of documents at a time -------------


def _per_item(table: str, create: str, index_items: Callable[[duckdb.DuckDBPyConnection], None]) -> Step:
    """A step whose table holds rows of items (``document_id``, ``ordinal``, …), a function of
    each item alone: patched by deleting the reloaded documents' rows and indexing their items."""
    def rebuild(con: duckdb.DuckDBPyConnection) -> None:
        con.execute(create)
        for _ in item_batches(con, None):
            index_items(con)

    def patch(con: duckdb.DuckDBPyConnection, changes: Changes) -> None:
        documents = changes.documents("items")
        id_table(con, "_reloaded", documents)
        con.execute(f"DELETE FROM {table} WHERE document_id IN (SELECT id FROM _reloaded)")
        con.execute("DROP TABLE _reloaded")
        for _ in item_batches(con, documents):
            index_items(con)

    return Step(table, frozenset({"items"}), (table,), rebuild, patch)


# -- the rest ---------------------------------------------------------------------------------


def _patch_links(con: duckdb.DuckDBPyConnection, changes: Changes) -> None:
    actions_links.build(con, items=changes.documents("items"), actions=changes.documents("actions"),
                        meetings=changes.meetings)


def _patch_marts(con: duckdb.DuckDBPyConnection, changes: Changes) -> None:
    marts.patch(con, changes.documents("figures", "documents", "items"), changes.meetings)


def _views(con: duckdb.DuckDBPyConnection) -> None:
    for f in sql_files():
        if f.name >= "030":
            run_sql(con, f.name)


STEPS: tuple[Step, ...] = (
    Step("meetings", frozenset({"meeting_sightings"}), ("meetings", "meeting_aliases"),
         _rebuild_meetings, _patch_meetings),
    Step("search", frozenset({"items"}), search.TABLES, search.rebuild, search.patch),
    _per_item("item_words", actions_links.ITEM_WORDS, actions_links.index_items),
    _per_item("item_names", people.ITEM_NAMES, people.index_items),
    _per_item("money_sentences", sentences.MONEY_SENTENCES, sentences.index_items),
    # people is resolved globally (a new attendance list can join spellings anywhere); it also
    # fills attendance.person_id
    Step("people", frozenset({"attendance", "actions", "documents", "items", "item_names", "meetings"}),
         ("people", "person_mentions"), people.build),
    Step("action_links", frozenset({"actions", "items", "item_words", "meetings"}), ("action_links",),
         actions_links.build, _patch_links),
    Step("marts", frozenset({"figures", "documents", "items", "attendance", "actions", "meetings", "people",
                             "person_mentions", "action_links"}),
         ("figure_series", "attendance_summary", "action_register"), marts.rebuild, _patch_marts),
    Step("views", None, (), _views),  # CREATE OR REPLACE VIEW and MACRO: cheap
    # CREATE OR REPLACE TABLE drops a table's comments; only the missing ones are written
    Step("comments", None, (), catalog.apply),
)


def run_steps(con: duckdb.DuckDBPyConnection, changes: Changes | None) -> dict[str, float]:
    """Bring every derived object up to date: the due steps patched for ``changes``, or all
    rebuilt (``changes`` None). Returns seconds per step run."""
    timings: dict[str, float] = {}
    for step in STEPS:
        if not step.due(changes):
            continue
        started = time.perf_counter()
        if changes is None or step.patch is None:
            step.rebuild(con)
        else:
            step.patch(con, changes)
        if changes is not None:
            changes.tables.update(step.makes)
        commit_if_large(con)
        timings[step.name] = round(time.perf_counter() - started, 3)
    return timings
