"""The README's "Run it on a schedule", for real: `prefect server start`, the work pool, the
deployments of prefect.yaml, a worker, and the nightly deployment run against the local mirror."""
import datetime as dt
from zoneinfo import ZoneInfo

import pytest

pytest.register_assert_rewrite("tests.prefect_stack")

from tests.prefect_stack import POOL, REPO, mirror_window, write_sources  # noqa: E402
from tests.conftest import scalar, table_rows  # noqa: E402

pytest_plugins = ["tests.prefect_stack"]

LONDON = ZoneInfo("Europe/London")


def test_prefect_yaml_gives_the_deployments_on_one_process_pool(prefect_stack):
    deployments = {name: prefect_stack.deployment(name) for name in ("nightly", "backfill", "reparse", "load")}
    pool = prefect_stack.get(f"/work_pools/{POOL}")
    assert pool["type"] == "process"
    for name, dep in deployments.items():
        assert dep["work_pool_name"] == POOL, name
        # Resolved when deploying from the project root, so the worker can start anywhere.
        assert dep["pull_steps"] == [{"prefect.deployments.steps.set_working_directory":
                                      {"directory": str(REPO)}}], name
    backfill = deployments["backfill"]
    assert {"sources", "from_year", "to_year"} <= set(backfill["parameter_openapi_schema"]["properties"])
    assert {"sources", "data_dir", "sources_file", "today", "lookback_days", "lookahead_days"} <= set(
        deployments["nightly"]["parameter_openapi_schema"]["properties"])
    assert not any(deployments[name]["schedules"] for name in ("backfill", "reparse", "load"))
    # Scale-out: one loader at a time, whichever worker runs it.
    load = deployments["load"]
    assert 1 in (load.get("concurrency_limit"), (load.get("global_concurrency_limit") or {}).get("limit")), load


def test_nightly_is_scheduled_for_two_in_the_morning_london_time(prefect_stack):
    seen = prefect_stack.schedule_at_deploy
    [sched] = seen["schedules"]
    assert sched["active"]
    assert sched["schedule"]["cron"] == "0 2 * * *" and sched["schedule"]["timezone"] == "Europe/London"
    starts = [dt.datetime.fromisoformat(r["expected_start_time"].replace("Z", "+00:00"))
              for r in seen["scheduled_runs"]]
    assert starts, "the server scheduled no nightly run"
    first = min(starts)
    assert seen["checked_at"] < first <= seen["checked_at"] + dt.timedelta(hours=25)
    for start in starts:
        local = start.astimezone(LONDON)
        assert (local.hour, local.minute) == (2, 0), local
    assert all(r["auto_scheduled"] for r in seen["scheduled_runs"])


def test_nightly_deployment_runs_on_the_worker_and_loads_the_warehouse(prefect_stack, stack_mirror, tmp_path):
    mirror = stack_mirror
    data = tmp_path / "data"
    sources = write_sources(mirror, tmp_path / "sources.toml")
    params = {"sources_file": str(sources), "data_dir": str(data)} | mirror_window(mirror)
    args = [x for k, v in params.items() for x in ("-p", f"{k}={v}")]
    # The README's command; --watch exits 0 only when the run ends Completed.
    proc = prefect_stack.cli("deployment", "run", "nightly/nightly", *args, "--watch", timeout=240, check=False)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:] + prefect_stack.worker_log()

    [run] = [r for r in prefect_stack.flow_runs("nightly", ["COMPLETED"])
             if r["parameters"].get("data_dir") == str(data)]
    wh = data / "warehouse.duckdb"
    assert wh.exists()
    assert table_rows(wh, "(SELECT flow, status FROM runs)") == [("nightly", "completed")]
    per_source = dict(table_rows(wh, "(SELECT source_id, count(*) FROM documents WHERE parse_status = 'ok' "
                                     "GROUP BY 1)"))
    assert set(per_source) == {"wmpcc-spcb", "wmpcc-agb", "westmercia-pcp", "westmercia-wmgb", "wmpcp"}, per_source
    assert scalar(wh, "SELECT count(*) FROM meetings") >= 20
    assert scalar(wh, "SELECT count(*) FROM items") > 0
    # Every request went to the mirror: nothing else was fetched.
    assert scalar(wh, "SELECT count(*) FROM fetch_log WHERE url NOT LIKE ?", [mirror.base_url + "/%"]) == 0
    # The run's summary, per source, is in the flow run's logs.
    logs = prefect_stack.logs(run["id"])
    for source in per_source:
        assert any(m.startswith(f"summary [{source}]: ") and " new, " in m for m in logs), source


def test_a_failing_source_ends_the_run_failed_naming_it_and_only_transient_failures_are_retried(
        prefect_stack, stack_mirror, tmp_path):
    mirror = stack_mirror
    # westmercia-wmgb: its site answers 503 four times (more than the HTTP layer's retries), then
    # recovers: the source's task is retried and succeeds. wmpcc-spcb: its listing answers 404,
    # which is not transient: reported at once, never retried.
    mirror.switches["westmercia-pcc"].fail_sequence = [503] * 4
    mirror.switches["westmercia-pcc"].retry_after = "0"
    mirror.switches["westmidlands-pcc"].fail_sequence = [404]
    seen = len(mirror.log)
    data = tmp_path / "data"
    run_id = prefect_stack.run("nightly", sources=["westmercia-wmgb", "wmpcc-spcb"], data_dir=str(data),
                               sources_file=str(write_sources(mirror, tmp_path / "sources.toml")),
                               **mirror_window(mirror))
    run = prefect_stack.wait(run_id)
    assert run["state"]["type"] == "FAILED", run["state"]
    message = run["state"]["message"]
    assert "wmpcc-spcb" in message and "404" in message, message
    assert "westmercia-wmgb" not in message, message

    tries = {t["name"]: t["run_count"] for t in prefect_stack.task_runs(run_id)}
    assert tries["process westmercia-wmgb"] == 2, tries
    assert tries["process wmpcc-spcb"] == 1, tries
    assert [e.status for e in mirror.log[seen:] if e.site == "westmidlands-pcc"].count(404) == 1

    wh = data / "warehouse.duckdb"
    assert table_rows(wh, "(SELECT status FROM runs)") == [("failed",)]
    assert scalar(wh, "SELECT count(*) FROM documents WHERE source_id = 'westmercia-wmgb'") > 0
    assert scalar(wh, "SELECT count(*) FROM documents WHERE source_id = 'wmpcc-spcb'") == 0
