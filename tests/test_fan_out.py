"""A nightly fanned out through its deployment: one child flow run per source, taken by two
workers on one machine (as workers on several machines would take them), then one load.

The warehouse it leaves equals the one a one-process nightly leaves on the same mirror."""
import re

import pytest

pytest.register_assert_rewrite("tests.prefect_stack")

from flows.fanout import FanOut, FanOutError, child_groups, own_deployment  # noqa: E402
from extract.registry import load_registry  # noqa: E402
from tests.conftest import CONTENT_TABLES, content, scalar, table_rows  # noqa: E402
from tests.prefect_stack import REPO, WORKERS, mirror_window, write_sources  # noqa: E402

pytest_plugins = ["tests.prefect_stack"]

MIRROR_SOURCES = {"wmpcc-spcb", "wmpcc-agb", "westmercia-pcp", "westmercia-wmgb", "wmpcp"}


@pytest.fixture(scope="module")
def fanned(prefect_stack, stack_mirror_session, tmp_path_factory):
    stack, mirror = prefect_stack, stack_mirror_session
    root = tmp_path_factory.mktemp("fan-out")
    sources = str(write_sources(mirror, root / "sources.toml"))
    window = mirror_window(mirror)
    one = stack.wait(stack.run("nightly", data_dir=str(root / "one-process"), sources_file=sources, **window),
                     timeout=300)
    parent_id = stack.run("nightly", data_dir=str(root / "fanned"), sources_file=sources, fan_out="source",
                          **window)
    parent = stack.wait(parent_id, timeout=600)
    children = stack.post("/flow_runs/filter", {"flow_runs": {"parent_flow_run_id": {"any_": [parent_id]}},
                                                "limit": 50})
    return {"stack": stack, "root": root, "one": one, "parent": parent, "children": children}


def test_the_fanned_out_nightly_completes_with_a_child_run_per_source_and_one_load(fanned):
    assert fanned["one"]["state"]["type"] == "COMPLETED", fanned["one"]["state"]
    assert fanned["parent"]["state"]["type"] == "COMPLETED", (fanned["parent"]["state"],
                                                              fanned["stack"].worker_log())
    nightly = [c for c in fanned["children"] if c["deployment_id"] == fanned["stack"].deployment("nightly")["id"]]
    loads = [c for c in fanned["children"] if c["deployment_id"] == fanned["stack"].deployment("load")["id"]]
    assert sorted(tuple(c["parameters"]["sources"]) for c in nightly) == sorted((s,) for s in MIRROR_SOURCES)
    assert all(c["parameters"]["load"] is False and c["state"]["type"] == "COMPLETED" for c in nightly)
    assert [c["state"]["type"] for c in loads] == ["COMPLETED"]


def test_both_workers_take_children(fanned):
    ids = {c["id"] for c in fanned["children"]}
    taken = {}
    for worker in WORKERS:
        log = next(p for p in fanned["stack"].procs if p.name == worker).log.read_text(errors="replace")
        taken[worker] = ids & set(re.findall(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", log))
    assert all(taken.values()), taken
    assert set().union(*taken.values()) == ids


def test_the_warehouse_equals_the_one_process_run(fanned):
    fanned_wh = fanned["root"] / "fanned" / "warehouse.duckdb"
    one_wh = fanned["root"] / "one-process" / "warehouse.duckdb"
    one, fan = content(one_wh), content(fanned_wh)
    assert one["documents"], "the one-process run loaded nothing"
    for table in CONTENT_TABLES:
        assert fan[table] == one[table], table
    # The run log differs on purpose: one row per child run, each naming its one source.
    runs = table_rows(fanned_wh, "(SELECT flow, status, sources FROM runs)")
    assert sorted(runs) == sorted(("nightly", "completed", [s]) for s in MIRROR_SOURCES), runs


def test_children_are_grouped_by_source_or_by_publisher_host():
    sources = load_registry(REPO / "sources.toml").select(None)
    assert child_groups(sources, FanOut.SOURCE) == {s.id: [s.id] for s in sources}
    assert child_groups(sources, FanOut.HOST) == {
        "westmidlands-pcc.gov.uk": ["wmpcc-spcb", "wmpcc-agb"],  # www. and not: one host, one rate
        "worcestershire.moderngov.co.uk": ["westmercia-pcp"],
        "westmercia-pcc.gov.uk": ["westmercia-wmgb"],
        "birmingham.cmis.uk.com": ["wmpcp"]}


def test_fan_out_outside_a_deployment_says_so():
    with pytest.raises(FanOutError, match="deployment"):
        own_deployment()


def test_a_failed_child_fails_the_parent_naming_it_and_the_others_are_still_loaded(prefect_stack, stack_mirror,
                                                                                    tmp_path):
    stack_mirror.switches["westmidlands-pcc"].fail_sequence = [404]  # wmpcc-spcb's listing: not transient
    data = tmp_path / "data"
    parent_id = prefect_stack.run("nightly", data_dir=str(data), fan_out="source",
                                  sources=["westmercia-wmgb", "wmpcc-spcb"],
                                  sources_file=str(write_sources(stack_mirror, tmp_path / "sources.toml")),
                                  **mirror_window(stack_mirror))
    parent = prefect_stack.wait(parent_id, timeout=300)
    assert parent["state"]["type"] == "FAILED", parent["state"]
    message = parent["state"]["message"]
    assert "wmpcc-spcb FAILED" in message and "westmercia-wmgb" not in message, message
    wh = data / "warehouse.duckdb"
    assert scalar(wh, "SELECT count(*) FROM documents WHERE source_id = 'westmercia-wmgb'") > 0
    assert sorted(table_rows(wh, "(SELECT sources, status FROM runs)")) == [
        (["westmercia-wmgb"], "completed"), (["wmpcc-spcb"], "failed")]
