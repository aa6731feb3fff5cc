"""The README's demo: the real nightly flow (Prefect, no server) against the local mirror, twice."""
import os
import subprocess
import sys

import pytest

from tests.conftest import scalar, table_rows, tree_digest
from tests.prefect_stack import free_port
from warehouse.load import CONTRACT_TABLES

TODAY = "2026-11-23"
CONTENT_TABLES = ("sources", "meetings", "documents", "items", "attendance", "actions", "figures")


PORT = free_port()


def run_demo(data, prefect_home):
    env = os.environ | {"PREFECT_HOME": str(prefect_home), "SCRUTINY_DATA_DIR": str(data)}
    env.pop("SCRUTINY_SOURCES", None)
    proc = subprocess.run([sys.executable, "-m", "scrutiny.cli", "demo", "--today", TODAY, "--port", str(PORT)],
                          env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return proc


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    data = tmp_path_factory.mktemp("demo-data")
    home = tmp_path_factory.mktemp("prefect-home")
    run_demo(data, home)
    wh = data / "warehouse.duckdb"
    first = {t: table_rows(wh, t) for t in CONTENT_TABLES}
    raw = tree_digest(data / "raw")
    run_demo(data, home)
    return data, first, raw


def test_demo_leaves_every_contract_table(demo):
    data, first, _ = demo
    names = {r[0] for r in table_rows(data / "warehouse.duckdb", "(SELECT table_name FROM information_schema.tables)")}
    assert set(CONTRACT_TABLES) <= names


def test_demo_has_parsed_meetings_from_several_sources(demo):
    wh = demo[0] / "warehouse.duckdb"
    meetings, sources = table_rows(wh, "(SELECT count(DISTINCT meeting_id), count(DISTINCT source_id) "
                                       "FROM documents WHERE parse_status = 'ok' AND meeting_id IS NOT NULL)")[0]
    assert meetings >= 3 and sources >= 2
    assert scalar(wh, "SELECT count(*) FROM items") > 0
    assert scalar(wh, "SELECT count(*) FROM figures") > 0


def test_second_demo_run_downloads_no_document_again(demo):
    data, _, raw = demo
    wh = data / "warehouse.duckdb"
    last_run = scalar(wh, "SELECT arg_max(run_id, started_at) FROM runs")
    outcomes = dict(table_rows(wh, "(SELECT outcome, count(*) FROM fetch_log WHERE run_id = "
                                   f"'{last_run}' AND purpose = 'document' GROUP BY outcome)"))
    assert outcomes, "the second run saw no documents at all"
    assert not {"new", "changed", "error", "blocked"} & set(outcomes), outcomes
    assert scalar(wh, f"SELECT sum(bytes) FROM fetch_log WHERE run_id = '{last_run}' AND purpose = 'document'") == 0
    assert tree_digest(data / "raw") == raw, "the raw archive changed on a run with nothing new"


def test_second_demo_run_leaves_content_tables_unchanged(demo):
    data, first, _ = demo
    wh = data / "warehouse.duckdb"
    for table in CONTENT_TABLES:
        assert table_rows(wh, table) == first[table], table
    assert scalar(wh, "SELECT count(*) FROM runs") == 2
