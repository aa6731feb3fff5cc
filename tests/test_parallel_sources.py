"""Publishers in parallel, politely: the nightly flow over K hosts (K copies of the mirror on K
ports, four sources each) runs sources at once, keeps every host to its rate, and leaves the
warehouse a run of one source after another leaves.

Untimed: the request logs say whether hosts were served at once and whether any got more than
its rate; tests/benchmarks/parallel_sources.py measures the wall time."""
import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys

import duckdb
import pytest

from extract.registry import parse_registry
from mirror.demo import demo_window
from scrutiny import pipeline
from kernel.config import DataDir
from tests.conftest import scalar
from tests.multi_host import HOST_SOURCES, mirrors, multi_host_sources_toml, per_host_rates, request_times
from tests.prefect_stack import free_port

K = 3
RATE = 5.0  # requests per second per host
TODAY = dt.date(2026, 11, 23)
CONTENT_TABLES = ("sources", "meetings", "documents", "items", "attendance", "actions", "figures", "fetch_log")
# westmercia-wmgb on the second host: its listing answers 404 (not transient, never retried).
BROKEN = "westmercia-wmgb-h2"


def content(warehouse) -> dict[str, list[tuple]]:
    """Every content table, sorted, without the columns that say when (or in which run)."""
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        out = {}
        for table in CONTENT_TABLES:
            cols = [c[0] for c in con.execute(f"DESCRIBE {table}").fetchall()
                    if c[1] != "TIMESTAMP" and c[0] != "run_id"]
            out[table] = con.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY ALL").fetchall()
        return out
    finally:
        con.close()


def break_one_source(hosts) -> None:
    hosts[1].switches["westmercia-pcc"].fail_sequence = [404]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    root = tmp_path_factory.mktemp("parallel-sources")
    with mirrors(K, [free_port() for _ in range(K)]) as hosts:
        lookback, lookahead = demo_window(hosts[0], TODAY)  # everything the mirror holds
        # One source after another, with the plain pipeline (no Prefect): the reference.
        break_one_source(hosts)
        registry = parse_registry(multi_host_sources_toml(hosts, rate_per_second=1000.0))
        ctx = pipeline.open_run("nightly", DataDir(root / "sequential"), registry, progress=lambda _m: None)
        window = pipeline.nightly_window(registry, TODAY, lookback, lookahead)
        for source in registry.sources:
            pipeline.process_source(ctx, source, window)
        pipeline.finish_run(ctx)

        # The nightly flow, sources at once, each host at RATE: as a user runs it.
        break_one_source(hosts)
        sources = root / "sources.toml"
        sources.write_text(multi_host_sources_toml(hosts, rate_per_second=RATE))
        since = {m.base_url: len(m.log) for m in hosts}
        env = os.environ | {"PREFECT_HOME": str(root / "prefect-home"), "SCRUTINY_SOURCE_CONCURRENCY": "4",
                            "SCRUTINY_SOURCE_RETRY_DELAYS": ""}
        proc = subprocess.run([sys.executable, "-m", "scrutiny.cli", "--data-dir", str(root / "parallel"),
                               "--sources", str(sources), "run", "--today", TODAY.isoformat(),
                               "--lookback-days", str(lookback), "--lookahead-days", str(lookahead)],
                              env=env, capture_output=True, text=True, timeout=600)
        times = request_times(hosts, since)
    return {"root": root, "proc": proc, "times": times}


def test_a_failed_source_does_not_stop_the_others_and_its_task_ends_failed(runs):
    proc = runs["proc"]
    assert proc.returncode == 1, proc.stdout[-2000:] + proc.stderr[-4000:]
    log = proc.stdout + proc.stderr
    assert BROKEN in log.split("FAILED:", 1)[-1], log[-2000:]
    # Its task ends Failed; the others Completed.
    assert f"Task run 'process {BROKEN}'" in log
    finished = {line.split("Task run 'process ", 1)[1].split("'", 1)[0]: line
                for line in log.splitlines() if "Task run 'process " in line and "Finished in state" in line}
    assert "Failed" in finished[BROKEN], finished[BROKEN]
    assert all("Completed" in line for sid, line in finished.items() if sid != BROKEN), finished
    # Its error is logged at ERROR.
    assert any("| ERROR" in line and f"[{BROKEN}] ERROR" in line for line in log.splitlines()), log[-3000:]


def test_k_hosts_load_k_times_the_meetings_of_one(runs):
    wh = runs["root"] / "parallel" / "warehouse.duckdb"
    con = duckdb.connect(str(wh), read_only=True)
    try:
        per_host = dict(con.execute("SELECT split_part(source_id, '-h', 2), count(*) FROM meetings "
                                    "WHERE source_id <> ? GROUP BY 1", [BROKEN]).fetchall())
        broken = con.execute("SELECT count(*) FROM meetings WHERE source_id = ?", [BROKEN]).fetchone()[0]
        per_source = dict(con.execute("SELECT source_id, count(*) FROM meetings GROUP BY 1").fetchall())
    finally:
        con.close()
    assert set(per_host) == {str(k) for k in range(1, K + 1)}
    # Host 2 lost only its broken source's meetings; the others' hold the same as every host.
    whole = per_host["1"]
    assert whole > 0 and per_host["3"] == whole and broken == 0
    assert per_host["2"] == whole - per_source.get("westmercia-wmgb-h1", 0)
    for sid in HOST_SOURCES:
        counts = [per_source.get(f"{sid}-h{k}", 0) for k in range(1, K + 1) if f"{sid}-h{k}" != BROKEN]
        assert counts[0] > 0 and len(set(counts)) == 1, (sid, counts)


def test_the_parallel_run_leaves_the_warehouse_of_one_source_after_another(runs):
    root = runs["root"]
    sequential = content(root / "sequential" / "warehouse.duckdb")
    parallel = content(root / "parallel" / "warehouse.duckdb")
    assert sequential["documents"], "nothing was loaded"
    for table in CONTENT_TABLES:
        assert parallel[table] == sequential[table], table
    assert scalar(root / "parallel" / "warehouse.duckdb", "SELECT status FROM runs") == "failed"


def test_hosts_are_served_at_once_and_none_gets_more_than_its_rate(runs):
    times = runs["times"]
    assert len(times) == K and all(len(t) > 3 * RATE for t in times.values()), {h: len(t) for h, t in times.items()}
    # Each host: never more than RATE requests in a second (the log notes when a request arrived;
    # scheduling adds jitter: one allowed), nor more than RATE on average.
    for host, busiest in per_host_rates(times).items():
        assert busiest <= RATE + 1, f"{host}: {busiest} requests within one second (limit {RATE:.0f}/s)"
        t = sorted(times[host])
        assert (len(t) - 1) / (t[-1] - t[0]) <= RATE * 1.05, host
    # At once: every host's requests overlap every other's in time, and all hosts together
    # got well over one host's rate in some second (one host at a time never could).
    spans = [(min(t), max(t)) for t in times.values()]
    assert max(a for a, _ in spans) < min(b for _, b in spans), spans
    together = per_host_rates({"all": [x for t in times.values() for x in t]})["all"]
    assert together >= 2 * RATE, f"at most {together} requests a second over {K} hosts"


def test_one_summary_at_the_end_and_the_same_as_a_markdown_artifact(runs):
    log = (runs["proc"].stdout + runs["proc"].stderr).splitlines()
    ids = [f"{sid}-h{k}" for k in range(1, K + 1) for sid in HOST_SOURCES]
    for sid in ids:
        lines = [line for line in log if f"summary [{sid}]: " in line]
        assert len(lines) == 1, (sid, lines)
        assert " meetings, " in lines[0] and " new, " in lines[0] and " failed" in lines[0], lines[0]
        assert not any(f"[{sid}] " in line and " already held, " in line and "summary [" not in line
                       for line in log), f"{sid}: a second summary"
    broken = next(line for line in log if f"summary [{BROKEN}]: " in line)
    assert "FAILED: " in broken and "404" in broken, broken
    # The flow run's markdown artifact, in the database of the Prefect API the run used.
    con = sqlite3.connect(runs["root"] / "prefect-home" / "prefect.db")
    try:
        artifacts = con.execute("SELECT key, type, data FROM artifact WHERE type = 'markdown'").fetchall()
    finally:
        con.close()
    [(key, kind, data)] = artifacts
    assert (key, kind) == ("nightly-run-summary", "markdown")
    markdown = json.loads(data) if data.startswith('"') else data
    rows = {line.split("|")[1].strip(): [c.strip() for c in line.split("|")[2:-1]]
            for line in markdown.splitlines() if line.startswith("| ") and "-h" in line}
    assert set(rows) == set(ids), markdown
    assert rows[BROKEN][0] == "0" and "404" in rows[BROKEN][-1], rows[BROKEN]
    healthy = rows["westmercia-pcp-h1"]
    assert int(healthy[0]) > 0 and int(healthy[2]) > 0 and healthy[-1] == "", healthy  # meetings, new, no error
    assert any(r[6] != "none" for r in rows.values()), "no parser flags on any source"


def test_sources_are_taken_one_host_at_a_time_in_turn():
    """With 4 threads and 4 sources a host, registry order would put all 4 threads on the first
    host's rate limit while the other hosts waited."""
    from extract.registry import Source

    def source(sid, url):
        return Source(id=sid, adapter="moderngov", publisher="p", body="b", base_url=url)

    listed = [source("a1", "https://a.example/x/"), source("a2", "https://www.a.example/y/"),
              source("b1", "http://127.0.0.1:8001/"), source("c1", "http://127.0.0.1:8002/"),
              source("b2", "http://127.0.0.1:8001/z/")]
    assert [s.id for s in pipeline.interleave_hosts(listed)] == ["a1", "b1", "c1", "a2", "b2"]
