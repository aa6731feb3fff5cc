"""The command line checks every input before any flow starts, and answers a bad one in one line.

Each bad input: a non-zero exit, exactly one line on stderr, no traceback, and Prefect never
imported (so no flow, and no temporary server, was started: the answer does not wait for it).
The README's cookbook runs as written: `scrutiny query "$(cat F)"`, `--file F` and `< F`."""
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from tests.demo_data import demo  # noqa: F401  (the session fixture)

REPO = Path(__file__).resolve().parents[1]
QUERIES = sorted((REPO / "warehouse" / "queries").glob("*.sql"))
# Runs the CLI and says, at exit, whether anything imported Prefect.
PROBE = ("import atexit, sys\n"
         "atexit.register(lambda: sys.stderr.write('PREFECT WAS IMPORTED\\n' if 'prefect' in sys.modules else ''))\n"
         "from scrutiny.cli import main\n"
         "main(prog_name='scrutiny')\n")


def scrutiny(*args, data=None, stdin=None, cwd=None, env=None):
    env = os.environ | {"PREFECT_HOME": "/nonexistent-prefect-home"} | (env or {})
    env.pop("SCRUTINY_DATA_DIR", None)
    env.pop("SCRUTINY_SOURCES", None)
    pre = ["--data-dir", str(data)] if data is not None else []
    return subprocess.run([sys.executable, "-c", PROBE, *pre, *args], input=stdin, capture_output=True,
                          text=True, cwd=cwd or REPO, env=env, timeout=120)


def assert_one_line_refusal(proc, *words):
    lines = proc.stderr.strip().splitlines()
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "PREFECT WAS IMPORTED" not in proc.stderr, proc.stderr
    assert len(lines) == 1, proc.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture(scope="module")
def data(demo, tmp_path_factory):  # noqa: F811
    """A private copy of the demo data directory (warehouse included)."""
    dest = tmp_path_factory.mktemp("cli") / "data"
    shutil.copytree(demo.data.root, dest, ignore=shutil.ignore_patterns("locks"))
    return dest


def test_empty_sql_is_refused(data):
    assert_one_line_refusal(scrutiny("query", "", data=data), "no SQL")


def test_sql_of_only_comments_is_refused(data):
    assert_one_line_refusal(scrutiny("query", "-- nothing here\n", data=data), "no SQL")


def test_unparsable_sql_is_one_line(data):
    assert_one_line_refusal(scrutiny("query", "SELEC 1", data=data), "syntax error")


def test_a_missing_table_is_one_line(data):
    assert_one_line_refusal(scrutiny("query", "SELECT * FROM no_such_table", data=data), "no_such_table")


def test_sql_given_twice_is_refused(data, tmp_path):
    f = tmp_path / "q.sql"
    f.write_text("SELECT 1")
    assert_one_line_refusal(scrutiny("query", "SELECT 2", "--file", str(f), data=data), "not both")


def test_a_missing_sql_file_is_named(data):
    assert_one_line_refusal(scrutiny("query", "--file", "/no/such/query.sql", data=data), "/no/such/query.sql")


def test_query_with_a_mistyped_data_dir_creates_nothing(tmp_path):
    missing = tmp_path / "dta"
    assert_one_line_refusal(scrutiny("query", "SELECT 1", data=missing), "no data directory", str(missing))
    assert not missing.exists()


@pytest.mark.parametrize("command", [["load"], ["rebuild"], ["status"], ["report"], ["reparse"]])
def test_commands_reading_earlier_runs_refuse_a_missing_data_dir(command, tmp_path):
    missing = tmp_path / "dta"
    assert_one_line_refusal(scrutiny(*command, data=missing), "no data directory")
    assert not missing.exists(), "a mistyped --data-dir must not become a new empty warehouse"


def test_report_without_a_warehouse_is_one_line(tmp_path):
    (tmp_path / "data").mkdir()
    assert_one_line_refusal(scrutiny("report", data=tmp_path / "data"), "no warehouse")


def test_report_into_a_missing_folder_is_refused(data):
    assert_one_line_refusal(scrutiny("report", "--out", "/no/such/folder/r.html", data=data), "--out")


@pytest.mark.parametrize("command", [["demo"], ["run"]])
def test_an_impossible_today_is_refused(command, tmp_path):
    line = assert_one_line_refusal(scrutiny(*command, "--today", "2026-13-01", data=tmp_path / "d"), "--today")
    assert "2026-13-01" in line
    assert not (tmp_path / "d").exists()


def test_a_negative_window_is_refused(tmp_path):
    assert_one_line_refusal(scrutiny("run", "--lookback-days", "-1", data=tmp_path / "d"), "--lookback-days")


def test_a_backwards_year_range_is_refused(tmp_path):
    assert_one_line_refusal(scrutiny("backfill", "--from-year", "2020", "--to-year", "2019", data=tmp_path / "d"),
                            "--to-year", "2019")


def test_a_year_out_of_range_is_refused(tmp_path):
    assert_one_line_refusal(scrutiny("backfill", "--from-year", "20", "--to-year", "2019", data=tmp_path / "d"),
                            "--from-year")


@pytest.mark.parametrize("command", [["run"], ["backfill", "--from-year", "2019", "--to-year", "2020"],
                                     ["reparse"]])
def test_an_unknown_source_is_refused_before_any_flow(command, data):
    assert_one_line_refusal(scrutiny(*command, "--source", "nope", data=data), "unknown source 'nope'")


def test_ingest_to_an_unknown_source_is_refused(tmp_path):
    pdf = REPO / "tests" / "fixtures" / "corpus" / "pdf" / "003_eec2d70e111a21ed.pdf"
    assert_one_line_refusal(scrutiny("ingest", str(pdf), "--source", "nope", data=tmp_path / "d"),
                            "unknown source 'nope'")
    assert not (tmp_path / "d").exists()


def test_a_bad_sources_file_is_one_line_naming_file_source_and_key(tmp_path):
    bad = tmp_path / "sources.toml"
    bad.write_text('[[source]]\nid = "../evil"\nadapter = "moderngov"\npublisher = "p"\nbody = "b"\n'
                   'base_url = "https://h/"\n')
    line = assert_one_line_refusal(scrutiny("--sources", str(bad), "run", data=tmp_path / "d"),
                                   str(bad), "'../evil'", "'id'")
    assert "slug" in line


def test_a_missing_sources_file_is_one_line(tmp_path):
    assert_one_line_refusal(scrutiny("--sources", str(tmp_path / "nope.toml"), "run", data=tmp_path / "d"),
                            "nope.toml")


def test_ingest_refuses_a_file_that_is_no_document_and_strict_fails_on_it(tmp_path):
    data = tmp_path / "d"
    proc = scrutiny("ingest", "README.md", "--source", "westmercia-pcp", "--strict", data=data)
    assert_one_line_refusal(proc, "README.md", "not a document")
    assert not (data / "raw" / "manifest.jsonl").exists(), "the README was archived as a paper"


def test_ingest_takes_the_documents_of_a_folder_and_names_the_rest(tmp_path):
    folder = tmp_path / "papers"
    folder.mkdir()
    shutil.copy(REPO / "tests" / "fixtures" / "corpus" / "pdf" / "003_eec2d70e111a21ed.pdf", folder / "paper.pdf")
    (folder / "notes.md").write_text("# my notes\n£5m for the VRU\n")
    data = tmp_path / "d"
    proc = scrutiny("ingest", str(folder), "--source", "westmercia-pcp", data=data)
    assert proc.returncode == 0, proc.stderr
    assert "notes.md" in proc.stderr and "not a document" in proc.stderr
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        titles = [r[0] for r in con.execute("SELECT title FROM documents").fetchall()]
    finally:
        con.close()
    assert len(titles) == 1


@pytest.mark.parametrize("query", QUERIES, ids=lambda p: p.stem)
def test_cookbook_runs_as_the_readme_writes_it(query, data):
    sql = query.read_text()
    assert sql.startswith("--"), "the case this test is about: a leading comment"
    as_argument = scrutiny("query", sql, "--format", "csv", data=data)  # scrutiny query "$(cat F)"
    assert as_argument.returncode == 0, as_argument.stderr
    from_file = scrutiny("query", "--file", str(query), "--format", "csv", data=data)
    from_stdin = scrutiny("query", "--format", "csv", data=data, stdin=sql)  # scrutiny query < F
    assert from_file.returncode == 0 and from_stdin.returncode == 0, from_file.stderr + from_stdin.stderr
    assert as_argument.stdout == from_file.stdout == from_stdin.stdout
    assert len(as_argument.stdout.splitlines()) >= 2, f"{query.name} found nothing on the demo"


def test_cookbook_through_a_shell_exactly_as_written(data):
    query = QUERIES[2]
    cmd = f'{sys.executable} -m scrutiny.cli --data-dir {data} query "$(cat {query})"'
    proc = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "rows)" in proc.stdout


def test_a_read_write_holder_is_named_in_one_line(data, tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", "import duckdb, sys; c = duckdb.connect(sys.argv[1]); "
                               "print('open', flush=True); sys.stdin.read()", str(data / "warehouse.duckdb")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "open"
        for command in (["query", "SELECT 1"], ["status"]):
            line = assert_one_line_refusal(scrutiny(*command, data=data), "read-write", f"PID {holder.pid}")
            assert "close it" in line
    finally:
        holder.stdin.close()
        holder.wait(timeout=30)
    assert scrutiny("query", "SELECT 1", data=data).returncode == 0


# -- tables: every value whole ------------------------------------------------------------------

LONG = "Police and Crime Plan Activity and Performance Monitoring Report " * 3  # 195 characters


def test_a_table_prints_every_value_whole_and_as_written(data):
    """Values were cut at 60 characters without a mark; rich's markup and emoji codes in a value
    are data, printed as they are."""
    sql = f"SELECT '{LONG}' AS title, '[bold]b[/bold] :smile:' AS literal, NULL AS nothing"
    proc = scrutiny("query", sql, data=data)
    assert proc.returncode == 0, proc.stderr
    header, _rule, row, count = proc.stdout.splitlines()
    assert header.split() == ["title", "literal", "nothing"] and count == "(1 rows)"
    assert LONG.strip() in row and "[bold]b[/bold] :smile:" in row


def test_on_a_terminal_a_table_wraps_long_values_to_its_width_and_cuts_none(data):
    import pty
    import re

    master, slave = pty.openpty()
    env = os.environ | {"PREFECT_HOME": "/nonexistent-prefect-home", "COLUMNS": "60", "TERM": "xterm"}
    proc = subprocess.run([sys.executable, "-m", "scrutiny.cli", "--data-dir", str(data), "query",
                           f"SELECT 1 AS n, '{LONG}' AS title"], stdout=slave, stderr=subprocess.PIPE,
                          cwd=REPO, env=env, timeout=120)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal's other end is closed: all read
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    assert proc.returncode == 0, proc.stderr
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).rstrip() for line in out.decode().splitlines()]
    assert max(map(len, lines)) <= 60, lines
    start = lines[0].index("title")
    wrapped = " ".join(line[start:] for line in lines[2:-1])  # the title column, line by line
    assert len(lines) > 5 and lines[-1] == "(1 rows)", lines
    assert " ".join(wrapped.split()) == " ".join(LONG.split()), lines
