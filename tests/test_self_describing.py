"""The warehouse explains itself to a user in a plain DuckDB session (issue 19, item 3).

A user opens ``warehouse.duckdb`` read-only in their own DuckDB, offline, runs the one ``LOAD``
line the README gives and then any cookbook query; ``duckdb_tables()``/``duckdb_columns()``
carry the README's words; the tables they list are the documented ones.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest

from tests.demo_data import demo, demo_copy  # noqa: F401
from warehouse import catalog, cookbook
from warehouse.load import (CONTRACT_TABLES, EXTRA_TABLES, INTERNAL_SCHEMA, VIEWS, load_report, load_warehouse,
                            rebuild_warehouse)

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def readme_contract_rows() -> dict[str, tuple[list[str], str]]:
    """The README's contract table: table -> (column names, notes without Markdown marks)."""
    section = README[README.index("| table | columns | notes |"):]
    rows = {}
    for line in section.splitlines()[2:]:
        if not line.startswith("| `"):
            break
        table, columns, notes = [c.strip() for c in line.strip("|").split(" | ", 2)]
        names = [c.strip().split()[0] for c in columns.split(",")]
        rows[table.strip("`")] = (names, notes.replace("`", "").replace("**", ""))
    return rows


def readme_load_line() -> str:
    lines = re.findall(r"^LOAD '[^']+';$", README, re.M)
    assert len(lines) == 1, f"the README must give exactly one LOAD line, it gives {lines}"
    return lines[0]


def test_the_readme_documents_every_contract_table_with_its_real_columns(demo):  # noqa: F811
    rows = readme_contract_rows()
    assert set(rows) == set(CONTRACT_TABLES)
    con = duckdb.connect(str(demo.warehouse), read_only=True)
    try:
        for table, (names, _notes) in rows.items():
            assert names == [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()], table
    finally:
        con.close()


def test_every_contract_table_and_column_carries_a_comment_in_the_readmes_words(demo):  # noqa: F811
    con = duckdb.connect(str(demo.warehouse), read_only=True)
    try:
        tables = dict(con.execute("SELECT table_name, comment FROM duckdb_tables() "
                                  "WHERE schema_name = 'main'").fetchall())
        columns = con.execute("SELECT table_name, column_name, comment FROM duckdb_columns() "
                              "WHERE schema_name = 'main'").fetchall()
    finally:
        con.close()
    readme = readme_contract_rows()
    for table in CONTRACT_TABLES:
        assert tables[table] == readme[table][1], table
    missing = [(t, c) for t, c, comment in columns if t in CONTRACT_TABLES and not (comment or "").strip()]
    assert missing == []
    contract_columns = {(t, c) for t, c, _ in columns if t in CONTRACT_TABLES}
    assert len(contract_columns) > 70
    # no comment written for a column that does not exist (a renamed column keeps no stale words)
    assert {(t, c) for t, (_, cols) in catalog.CONTRACT.items() for c in cols} == contract_columns
    assert all(tables.get(t) for t in EXTRA_TABLES), [t for t in EXTRA_TABLES if not tables.get(t)]


def test_the_comments_survive_an_incremental_load_and_a_rebuild(demo, tmp_path):  # noqa: F811
    """Several tables are recreated during a load (CREATE OR REPLACE drops comments)."""
    data = demo_copy(tmp_path / "data")

    def uncommented() -> list:
        con = duckdb.connect(str(data.warehouse), read_only=True)
        try:
            return con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
                               "AND comment IS NULL UNION ALL SELECT table_name || '.' || column_name "
                               "FROM duckdb_columns() WHERE schema_name = 'main' AND comment IS NULL "
                               f"AND table_name IN {tuple(CONTRACT_TABLES)}").fetchall()
        finally:
            con.close()

    # an incremental load that reloads one paper: people and the marts are recreated
    paper = sorted((data.parquet / "documents").rglob("*.parquet"))[0]
    os.utime(paper, ns=(paper.stat().st_atime_ns, paper.stat().st_mtime_ns + 10**9))
    load_warehouse(data)
    report = load_report()
    assert report.mode == "incremental" and {"people", "marts"} <= set(report.timings), report
    assert uncommented() == []
    rebuild_warehouse(data)
    assert uncommented() == []


def test_listing_the_tables_shows_the_documented_ones_and_the_bookkeeping_is_internal(demo):  # noqa: F811
    con = duckdb.connect(str(demo.warehouse), read_only=True)
    try:
        shown = {r[0] for r in con.execute("SHOW TABLES").fetchall()}
        internal = {r[0] for r in con.execute(
            f"SELECT table_name FROM duckdb_tables() WHERE schema_name = '{INTERNAL_SCHEMA}'").fetchall()}
    finally:
        con.close()
    assert shown == set(CONTRACT_TABLES) | set(EXTRA_TABLES) | set(VIEWS)
    assert not any(name.startswith("_") for name in shown)
    assert {"parquet_files", "warehouse_meta", "search_postings", "search_item_ids"} <= internal
    for name in shown:
        assert f"`{name}`" in README, f"{name} is not documented in the README"


def run_plain_session(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    """Python with only duckdb imported, HOME an empty directory (no ~/.duckdb), from the project
    root, as a user following the README would."""
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"HOME": str(home)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (home / ".duckdb").exists(), "something installed an extension into ~/.duckdb"
    return done


def test_every_cookbook_query_runs_in_a_plain_read_only_session_after_the_readmes_load_line(demo, tmp_path):  # noqa: F811
    load_line = readme_load_line()
    path = ROOT / re.search(r"'([^']+)'", load_line).group(1)
    if Path(sys.prefix).resolve() != (ROOT / ".venv").resolve():
        pytest.skip(f"the README's LOAD line names the project's .venv; this is {sys.prefix}")
    assert path.exists(), f"the README's LOAD line names a file that is not there: {path}"
    recipes = {r.name: r.sql for r in cookbook.recipes()}
    done = run_plain_session(tmp_path, f"""
        import json
        import duckdb
        con = duckdb.connect({str(demo.warehouse)!r}, read_only=True)
        con.execute({load_line!r})
        rows = {{name: len(con.execute(sql).fetchall()) for name, sql in {recipes!r}.items()}}
        print(json.dumps(rows))
    """)
    counts = json.loads(done.stdout.strip().splitlines()[-1])
    assert set(counts) == set(recipes)
    assert all(counts.values()), counts


def test_without_the_load_line_a_search_fails_offline_instead_of_downloading(demo, tmp_path):  # noqa: F811
    """What the LOAD line is for: the search macros need stem(), which a plain offline session
    does not have. (With autoloading off, DuckDB says so instead of trying the network.)"""
    done = run_plain_session(tmp_path, f"""
        import duckdb
        con = duckdb.connect({str(demo.warehouse)!r}, read_only=True,
                             config={{"autoinstall_known_extensions": False}})
        try:
            con.execute("SELECT * FROM search_items('knife')").fetchall()
            print("worked")
        except duckdb.Error as exc:
            print("failed:", type(exc).__name__)
    """)
    assert done.stdout.startswith("failed"), done.stdout


def test_a_users_own_tables_kept_in_an_attached_file_survive_a_rebuild(demo, tmp_path):  # noqa: F811
    """The README's advice, followed: the user's table lives in their own file, attached to a
    read-only session, and is there after the warehouse was replaced."""
    data = demo_copy(tmp_path / "data")
    mine = tmp_path / "mine.duckdb"
    from warehouse.load import load_fts

    con = duckdb.connect(str(data.warehouse), read_only=True)
    load_fts(con)
    con.execute(f"ATTACH '{mine}' AS mine (READ_WRITE)")
    con.execute("CREATE TABLE mine.knife_items AS SELECT * FROM search_items('knife')")
    expected = con.execute("SELECT count(*) FROM mine.knife_items").fetchone()[0]
    con.close()
    rebuild_warehouse(data)
    con = duckdb.connect(str(data.warehouse), read_only=True)
    con.execute(f"ATTACH '{mine}' AS mine (READ_WRITE)")
    assert con.execute("SELECT count(*) FROM mine.knife_items").fetchone()[0] == expected > 0
    con.close()
