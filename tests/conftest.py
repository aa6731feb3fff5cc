"""Shared test helpers. No test touches a real host: sources point at the local mirror."""
from __future__ import annotations

import atexit
import hashlib
import os
import shutil
import tempfile
from pathlib import Path

import duckdb
import pytest

# Importing prefect creates its home directory (~/.prefect by default): a test that imports the
# flows must not write into the user's home. Subprocesses the tests start set their own.
if "PREFECT_HOME" not in os.environ:
    os.environ["PREFECT_HOME"] = tempfile.mkdtemp(prefix="scrutiny-tests-prefect-")
    atexit.register(shutil.rmtree, os.environ["PREFECT_HOME"], ignore_errors=True)

FIXTURES = Path(__file__).parent / "fixtures"
CORPUS = FIXTURES / "corpus"


@pytest.fixture(autouse=True)
def _no_prefect_telemetry(monkeypatch):
    monkeypatch.setenv("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    monkeypatch.setenv("DO_NOT_TRACK", "1")


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree_digest(root: Path) -> dict[str, str]:
    """Every file under root with its SHA-256: to show a directory did not change."""
    return {str(p.relative_to(root)): sha256_file(p) for p in sorted(root.rglob("*")) if p.is_file()}


def table_rows(warehouse: Path, table: str, order: str = "ALL") -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
    finally:
        con.close()


def scalar(warehouse: Path, sql: str, params=None):
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql, params or []).fetchone()[0]
    finally:
        con.close()


CONTENT_TABLES = ("sources", "meetings", "documents", "items", "attendance", "actions", "figures")


def content(warehouse: Path) -> dict[str, list[tuple]]:
    """Every content table, sorted, without its TIMESTAMP columns (when a file was fetched
    differs between two data directories filled at different times; nothing else may)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table in CONTENT_TABLES:
            cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall() if c[1] != "TIMESTAMP"]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()
