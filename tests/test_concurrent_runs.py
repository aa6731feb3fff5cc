"""A backfill and a nightly run overlapping on one data directory, through the deployments.

Both end Completed; the warehouse they leave is the one they leave when run one after the
other; the raw manifest and Parquet stay consistent; the per-host request rate holds across
the two processes (read from the mirror's request log)."""
import json

import duckdb
import pytest

from tests.conftest import CONTENT_TABLES, content

pytest.register_assert_rewrite("tests.prefect_stack")

from tests.prefect_stack import TERMINAL, mirror_window, wait_until, write_sources  # noqa: E402

pytest_plugins = ["tests.prefect_stack"]

RATE = 10.0  # requests per second to the mirror's host (all its sites), for the overlapping runs


@pytest.fixture(scope="module")
def runs(prefect_stack, stack_mirror_session, tmp_path_factory):
    stack, m = prefect_stack, stack_mirror_session
    root = tmp_path_factory.mktemp("concurrent")
    fast = write_sources(m, root / "sources-fast.toml", 50.0)
    slow = write_sources(m, root / "sources-slow.toml", RATE)

    def nightly(data, sources):
        return stack.run("nightly", data_dir=str(data), sources_file=str(sources), **mirror_window(m))

    def backfill(data, sources):
        # 2019, of the two sources with meetings that year (a source with none fails the run):
        # papers the nightly window sees too.
        return stack.run("backfill", data_dir=str(data), sources_file=str(sources), from_year=2019, to_year=2019,
                         sources=["westmercia-pcp", "wmpcc-spcb"])

    sequential = root / "sequential"
    one_by_one = [stack.wait(nightly(sequential, fast)), stack.wait(backfill(sequential, fast))]

    together = root / "concurrent"
    # Flow-run processes take seconds to start, unevenly: hold the mirror back (slow answers)
    # until both runs are running, so that they really fetch at the same time.
    for prefix in m.switches:
        m.switches[prefix].delay_seconds = 0.3
    try:
        ids = [backfill(together, slow), nightly(together, slow)]
        wait_until(lambda: all(stack.flow_run(i)["state"]["type"] in {"RUNNING"} | TERMINAL for i in ids),
                   120, "both flow runs to start")
    finally:
        for prefix in m.switches:
            m.switches[prefix].delay_seconds = 0.0
    released = len(m.log)
    at_once = [stack.wait(run_id) for run_id in ids]
    return {"sequential": sequential, "concurrent": together, "one_by_one": one_by_one,
            "at_once": at_once, "requests": m.log[released:]}


def test_both_runs_complete_when_they_overlap(runs):
    for run in runs["one_by_one"] + runs["at_once"]:
        assert run["state"]["type"] == "COMPLETED", (run["name"], run["state"])
    con = duckdb.connect(str(runs["concurrent"] / "warehouse.duckdb"), read_only=True)
    try:
        assert sorted(con.execute("SELECT flow, status FROM runs").fetchall()) == [
            ("backfill", "completed"), ("nightly", "completed")]
        # They really ran at the same time: each fetched while the other was fetching.
        spans = con.execute("SELECT run_id, min(fetched_at), max(fetched_at) FROM fetch_log GROUP BY 1").fetchall()
    finally:
        con.close()
    (_, a0, a1), (_, b0, b1) = spans
    assert a0 < b1 and b0 < a1, spans


def test_overlapping_runs_leave_the_warehouse_of_running_them_one_after_the_other(runs):
    sequential = content(runs["sequential"] / "warehouse.duckdb")
    concurrent = content(runs["concurrent"] / "warehouse.duckdb")
    assert sequential["documents"], "nothing was loaded"
    for table in CONTENT_TABLES:
        assert concurrent[table] == sequential[table], table


def test_the_archive_and_parquet_stay_consistent(runs):
    data = runs["concurrent"]
    entries = [json.loads(line) for line in (data / "raw" / "manifest.jsonl").read_text().splitlines()]
    keys = [(e["source_id"], e["url"], e["document_id"], e["purpose"]) for e in entries]
    assert len(keys) == len(set(keys)), "the same file was recorded twice in the manifest"
    sequential = [json.loads(line) for line in (runs["sequential"] / "raw" / "manifest.jsonl").read_text().splitlines()]
    assert sorted(keys) == sorted((e["source_id"], e["url"], e["document_id"], e["purpose"]) for e in sequential)
    for obj in (data / "raw" / "objects").rglob("*"):
        assert not obj.name.startswith(".tmp-"), obj
    assert not list((data / "parquet").rglob(".tmp-*")), "a Parquet write was left half done"


def test_the_per_host_rate_holds_across_both_runs(runs):
    # Each run alone keeps to RATE; two runs that did not share the limit would together make
    # up to twice as many requests per second while they overlap.
    times = sorted(r.at for r in runs["requests"])
    assert len(times) > 5 * RATE, f"only {len(times)} requests: too few to measure a rate"
    overall = (len(times) - 1) / (times[-1] - times[0])
    assert overall <= RATE * 1.05, f"{overall:.1f} requests/s over {times[-1] - times[0]:.1f} s (limit {RATE:.0f}/s)"
    # The log records when each request arrived (scheduling under load adds jitter): allow some.
    busiest = max(sum(1 for t in times[i:] if t < start + 1.0) for i, start in enumerate(times))
    assert busiest <= RATE + 3, f"{busiest} requests within one second (limit {RATE:.0f}/s)"
