"""The fts extension comes from the installed wheel, never from ``~/.duckdb`` or the internet.

On a fresh offline machine (``~/.duckdb`` empty) a load whose views call fts's ``stem()`` must
not depend on DuckDB's autoloader, which would try to download the extension and fail. Each
check runs in a child process whose ``HOME`` is an empty directory, as on such a machine.
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb

from tests.demo_data import demo, demo_copy  # noqa: F401
from warehouse.load import NO_DOWNLOADS, load_fts

ROOT = Path(__file__).resolve().parents[1]


def run_with_empty_home(tmp_path: Path, code: str) -> subprocess.CompletedProcess:
    home = tmp_path / "home"
    home.mkdir()
    env = {**os.environ, "HOME": str(home), "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert not (home / ".duckdb").exists(), "something installed an extension into ~/.duckdb"
    return done


def test_stem_works_on_a_connection_with_an_empty_extension_directory(tmp_path):
    empty = tmp_path / "extensions"
    empty.mkdir()
    con = duckdb.connect(config={"extension_directory": str(empty), **NO_DOWNLOADS})
    load_fts(con)
    assert con.execute("SELECT stem('reported', 'porter')").fetchone()[0] == "report"
    assert list(empty.iterdir()) == []


def test_a_load_that_changes_no_item_works_with_an_empty_home(demo, tmp_path):  # noqa: F811
    """The failing case of the race: only a run's Parquet changed, so the views (which call
    stem()) are rebuilt before any search step; then a reader searches."""
    data = demo_copy(tmp_path / "data")
    runs = sorted((data.parquet / "runs").rglob("*.parquet"))
    assert runs, "the demo wrote no runs Parquet"
    os.utime(runs[0], ns=(runs[0].stat().st_atime_ns, runs[0].stat().st_mtime_ns + 10**9))
    done = run_with_empty_home(tmp_path, f"""
        from kernel.config import DataDir
        from warehouse.load import connect_read_only, load_report, load_warehouse
        data = DataDir.resolve({str(data.root)!r})
        load_warehouse(data)
        report = load_report()
        assert report.mode == "incremental", report
        assert "items" not in report.units, report.units
        con = connect_read_only(data)
        print(len(con.execute("SELECT * FROM search_items('crime')").fetchall()))
    """)
    assert int(done.stdout.split()[-1]) > 0


def test_a_rebuild_and_search_work_with_an_empty_home(demo, tmp_path):  # noqa: F811
    data = demo_copy(tmp_path / "data")
    done = run_with_empty_home(tmp_path, f"""
        from kernel.config import DataDir
        from warehouse.load import connect_read_only, rebuild_warehouse
        data = DataDir.resolve({str(data.root)!r})
        rebuild_warehouse(data)
        con = connect_read_only(data)
        print(len(con.execute("SELECT * FROM search_items('precept')").fetchall()))
    """)
    assert int(done.stdout.split()[-1]) > 0
