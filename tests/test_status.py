"""`scrutiny status` reads structured columns (runs.sources, runs.status, runs.errors, fetch_log,
documents), never the words of runs.message."""
import datetime as dt

from kernel import records as r
from tests.demo_data import demo, demo_copy  # noqa: F401
from warehouse.load import load_warehouse
from warehouse.parquet import ParquetStore
from warehouse.status import source_status


def test_a_sources_problem_comes_from_runs_errors_not_from_the_message(demo, tmp_path):  # noqa: F811
    data = demo_copy(tmp_path / "d")
    later = dt.datetime(2027, 1, 1, 2)
    # The message names wmpcc-spcb the way the old summary did, but only wmpcc-agb failed.
    run = r.RunRow("nightly-later", "nightly", later, later + dt.timedelta(minutes=1), r.RunStatus.FAILED,
                   ["wmpcc-agb", "wmpcc-spcb"], 0, 0, 0, 0, 0, "wmpcc-spcb: words that are no error",
                   errors={"wmpcc-agb": ["discovery failed (ValueError): layout changed", "meeting x: no date"]})
    ParquetStore(data.parquet).write_run(run, [])
    load_warehouse(data)
    status = {row["source_id"]: row for row in source_status(data)}
    agb, spcb = status["wmpcc-agb"], status["wmpcc-spcb"]
    assert agb["problem"] == "discovery failed (ValueError): layout changed | meeting x: no date"
    assert spcb["problem"] is None
    assert agb["last_status"] == spcb["last_status"] == "failed"
    assert agb["last_run"] == spcb["last_run"] == "2027-01-01 02:00"
    # a source the run did not cover keeps its own last run
    assert status["westmercia-pcp"]["last_status"] == "completed" and status["westmercia-pcp"]["problem"] is None
