"""`scrutiny query` only reads: nothing it runs writes a file or changes a setting (issue 18 item 8).

A read-only DuckDB connection still wrote files: COPY … TO any path (one overwrote a Parquet file
of the data dir, and the next load dropped items 174 -> 164), EXPORT DATABASE, PRAGMA
profiling_output, SET log_query_path. connect_read_only now locks the connection down, and the
query command refuses statements that are not queries before opening anything."""
import shutil

import pytest
from click.testing import CliRunner

from scrutiny.cli import main
from kernel.config import DataDir
from tests.conftest import tree_digest
from tests.demo_data import demo  # noqa: F401  (the session fixture)
from warehouse.load import connect_read_only


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):  # noqa: F811
    dest = tmp_path_factory.mktemp("ro") / "data"
    shutil.copytree(demo.data.root, dest, ignore=shutil.ignore_patterns("locks"))
    return DataDir(dest)


def writes(target):
    """SQL that writes ``target`` on an ordinary connection (checked in the last test)."""
    return {
        "copy": f"COPY items TO '{target}/items.parquet' (FORMAT parquet)",
        "copy-over-our-parquet": "COPY (SELECT * FROM items LIMIT 1) TO '{parquet}' (FORMAT parquet)",
        "export": f"EXPORT DATABASE '{target}/export'",
        "profiling": f"PRAGMA profiling_output = '{target}/profile.txt'",
        "query-log": f"SET log_query_path = '{target}/queries.log'",
        "logging": f"CALL enable_logging(storage = 'file', storage_path = '{target}/logs')",
        "attach": f"ATTACH '{target}/other.duckdb' AS other",
    }


def one_items_parquet(data: DataDir) -> str:
    return str(next((data.parquet / "items").rglob("*.parquet")))


@pytest.mark.parametrize("kind", list(writes("x")))
def test_the_query_command_writes_no_file(kind, data, tmp_path):
    parquet = one_items_parquet(data)
    before = tree_digest(data.root)
    sql = writes(tmp_path)[kind].replace("{parquet}", parquet)
    result = CliRunner().invoke(main, ["--data-dir", str(data.root), "query", sql])
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert list(tmp_path.iterdir()) == [], "a file was written"
    assert tree_digest(data.root) == before, "the data dir changed"


@pytest.mark.parametrize("kind", ["copy", "copy-over-our-parquet", "export", "profiling", "query-log", "attach"])
def test_the_read_only_connection_itself_refuses_to_write(kind, data, tmp_path):
    import duckdb

    parquet = one_items_parquet(data)
    before = tree_digest(data.root)
    con = connect_read_only(data)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(writes(tmp_path)[kind].replace("{parquet}", parquet))
        # and nothing turns it back on
        for undo in ("SET enable_external_access = true", "SET lock_configuration = false",
                     "RESET lock_configuration"):
            with pytest.raises(duckdb.Error):
                con.execute(undo)
        # while reading, search (the fts extension, loaded before the lock) included, works
        assert con.execute("SELECT count(*) FROM items").fetchone()[0] > 0
        assert con.execute("SELECT count(*) FROM search_items('police')").fetchone()[0] > 0
    finally:
        con.close()
    assert list(tmp_path.iterdir()) == []
    assert tree_digest(data.root) == before


def test_every_statement_above_does_write_on_an_ordinary_connection(data, tmp_path):
    """So the refusals above are the lock's doing, not a typo in the SQL."""
    import duckdb

    con = duckdb.connect(str(data.warehouse), read_only=True)
    try:
        con.execute("PRAGMA enable_profiling")
        for kind, sql in writes(tmp_path).items():
            if kind in ("copy-over-our-parquet", "logging", "attach"):
                continue
            con.execute(sql)
        con.execute("SELECT 1").fetchall()  # the query log and profile are written per query
    finally:
        con.close()
    assert {p.name for p in tmp_path.iterdir()} >= {"items.parquet", "export", "queries.log", "profile.txt"}


def test_queries_that_read_still_run(data):
    result = CliRunner().invoke(main, ["--data-dir", str(data.root), "query",
                                       "SELECT count(*) AS n FROM documents", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert '"n":' in result.output


def test_a_second_reader_in_the_same_process_opens_and_searches(demo):  # noqa: F811
    """DuckDB shares the instance: the second connection finds it locked and fts loaded."""
    from warehouse.load import connect_read_only

    first = connect_read_only(demo.data)
    try:
        second = connect_read_only(demo.data)
        try:
            assert second.execute("SELECT count(*) FROM search_items('crime')").fetchone()[0] > 0
        finally:
            second.close()
    finally:
        first.close()
