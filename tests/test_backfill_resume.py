"""A backfill killed half way (SIGKILL to its flow-run process and its children, as a crash of
the machine would) and started again completes without downloading again anything the first
attempt archived."""
import json
from urllib.parse import urlsplit

import duckdb
import pytest

pytest.register_assert_rewrite("tests.prefect_stack")

from tests.prefect_stack import kill_tree, wait_until, write_sources  # noqa: E402

pytest_plugins = ["tests.prefect_stack"]

SOURCES = ["westmercia-pcp", "wmpcc-spcb"]  # both hold meetings in 2019 and 2020
PARAMS = {"from_year": 2019, "to_year": 2020, "sources": SOURCES}


def archived_documents(data) -> dict[str, str]:
    """url -> document id of every document in the raw manifest."""
    path = data / "raw" / "manifest.jsonl"
    if not path.exists():
        return {}
    entries = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    return {e["url"]: e["document_id"] for e in entries if e["purpose"] == "document"}


def test_a_killed_backfill_resumes_without_downloading_again(prefect_stack, stack_mirror, tmp_path):
    mirror = stack_mirror
    stack = prefect_stack
    data = tmp_path / "data"
    params = PARAMS | {"data_dir": str(data), "sources_file": str(write_sources(mirror, tmp_path / "sources.toml"))}
    for prefix in mirror.switches:
        mirror.switches[prefix].delay_seconds = 0.3  # slow enough to catch it half way

    first = stack.run("backfill", **params)
    wait_until(lambda: len(archived_documents(data)) >= 4, 120, "the first attempt to archive 4 documents")
    run = stack.flow_run(first)
    assert run["state"]["type"] == "RUNNING", run["state"]
    kill_tree(int(run["infrastructure_pid"]))
    crashed = stack.wait(first)
    assert crashed["state"]["type"] == "CRASHED", crashed["state"]
    before = archived_documents(data)
    assert not (data / "warehouse.duckdb").exists(), "the first attempt got to the end"

    for prefix in mirror.switches:
        mirror.switches[prefix].delay_seconds = 0.0
    seen = len(mirror.log)
    second = stack.wait(stack.run("backfill", **params))
    assert second["state"]["type"] == "COMPLETED", second["state"]

    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        # The killed attempt is recorded (as crashed) by the second one.
        statuses = sorted(r[0] for r in con.execute("SELECT status FROM runs").fetchall())
        rows = con.execute("SELECT url, outcome, bytes FROM fetch_log WHERE purpose = 'document'").fetchall()
        loaded = {r[0] for r in con.execute("SELECT url FROM documents").fetchall()}
    finally:
        con.close()
    assert statuses == ["completed", "crashed"]
    resumed = [(url, outcome, size) for url, outcome, size in rows if url in before]
    assert len(resumed) == len(before), "a document archived by the first attempt was not seen again"
    for url, outcome, size in resumed:
        assert outcome in ("not_modified", "skipped") and size == 0, (url, outcome, size)
    fresh = [url for url, outcome, _ in rows if outcome == "new"]
    assert fresh and not set(fresh) & set(before), "the first attempt was not stopped half way"
    assert set(before) <= loaded, "documents archived before the kill are missing from the warehouse"
    # The mirror agrees: no archived document was served with a body again (a conditional
    # request answered 304, or none at all when the publisher's fingerprint was unchanged).
    archived = {(urlsplit(url).path, urlsplit(url).query) for url in before}
    served = [e for e in mirror.log[seen:] if (e.path, e.query) in archived and e.status == 200]
    assert not served, [(e.path, e.query) for e in served]
