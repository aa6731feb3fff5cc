"""What `scrutiny query` runs: statements that read, checked before the warehouse is opened.

The connection itself is locked down (``warehouse.load.lock_down``: no external access, no
setting changed), which refuses ``COPY … TO``, ``EXPORT DATABASE``, ``PRAGMA profiling_output``
and ``SET log_query_path``. Two holes remain, closed here:

* DuckDB's logging functions (``enable_logging(storage = 'file', …)``) change the database
  instance's logger although the configuration is locked; the denied directory then fails every
  later statement and aborts the process at exit. They are refused by name, found in the parsed
  statement (DuckDB's own parser, ``json_serialize_sql``), not in the text.
* Statements that are not queries (``CREATE``, ``ATTACH``, ``CALL``, ``SET`` …) have no business
  in a read-only query command and are refused by type before anything runs.
"""
from __future__ import annotations

import json
import re

import duckdb

READING = {duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN}
# Functions with effects beyond the query, which lock_configuration does not stop.
REFUSED_FUNCTIONS = {"enable_logging", "disable_logging", "truncate_duckdb_logs", "enable_profiling",
                     "disable_profiling"}
_EXPLAIN = re.compile(r"^\s*explain(\s+analyze)?\s+", re.IGNORECASE)


class NotReadOnly(ValueError):
    """SQL that `scrutiny query` does not run (empty, unparsable, or not a query)."""


def read_only_statements(sql: str) -> list[str]:
    """The statements of ``sql``, each a query; ``NotReadOnly`` names the first that is not."""
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        raise NotReadOnly(_one_line(str(exc))) from None
    if not statements:
        raise NotReadOnly("no SQL statement given (only blanks or comments)")
    con = duckdb.connect()  # in memory, only to run DuckDB's parser
    try:
        for n, st in enumerate(statements, 1):
            label = f"statement {n} ({st.type.name})" if len(statements) > 1 else st.type.name
            if st.type not in READING:
                raise NotReadOnly(f"{label} is not a query: `scrutiny query` only reads "
                                  "(SELECT, WITH, FROM, DESCRIBE, SHOW, SUMMARIZE, PRAGMA, EXPLAIN)")
            called = _functions(con, _EXPLAIN.sub("", st.query))
            refused = sorted(called & REFUSED_FUNCTIONS)
            if refused:
                raise NotReadOnly(f"{label} calls {', '.join(refused)}, which `scrutiny query` refuses "
                                  "(it changes the database's logging or profiling)")
    finally:
        con.close()
    return [st.query for st in statements]


def _functions(con: duckdb.DuckDBPyConnection, query: str) -> set[str]:
    """Every function and table function a SELECT calls, from DuckDB's parse tree."""
    tree = json.loads(con.execute("SELECT json_serialize_sql(?)", [query]).fetchone()[0])
    if tree.get("error"):
        raise NotReadOnly(_one_line(tree.get("error_message", "cannot parse the query")))
    names: set[str] = set()
    todo = [tree]
    while todo:
        node = todo.pop()
        if isinstance(node, dict):
            if isinstance(node.get("function_name"), str):
                names.add(node["function_name"].lower())
            todo.extend(node.values())
        elif isinstance(node, list):
            todo.extend(node)
    return names


def _one_line(message: str) -> str:
    return " ".join(message.split())
