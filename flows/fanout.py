"""Fan-out: one nightly or backfill shared by the workers of a work pool, on one machine or many.

A run started with ``fan_out="source"`` (or ``"host"``) fetches nothing itself. It starts one
child flow run of its own deployment per source (or per publisher host), each with
``load=false``, so whichever worker of the pool is free takes it; waits for them all; then runs
the ``load`` deployment once, whose concurrency limit of 1 keeps loads one at a time across
workers. The children hand over through the data directory, which every worker must share
(docs/scale-out.md). The parent ends Failed, naming the children, if any of them or the load
did not complete; like a one-process run, it loads what the others archived first.
"""
from __future__ import annotations

import enum
import time
from uuid import UUID

from prefect import get_run_logger
from prefect.client.orchestration import get_client
from prefect.client.schemas.objects import FlowRun
from prefect.deployments import run_deployment
from prefect.runtime import deployment as this_deployment
from prefect.runtime import flow_run as this_flow_run

from extract.registry import Source, load_registry
from scrutiny import pipeline

LOAD_DEPLOYMENT = "load/load"  # prefect.yaml
POLL_SECONDS = 2.0  # how often the parent asks the server whether its children are done


class FanOut(str, enum.Enum):
    NONE = "none"  # this run fetches every source itself, several at once (tasks.source_runner)
    SOURCE = "source"  # one child run per source
    # One child run per publisher host: the host's rate limit is then kept inside one process,
    # whatever the shared storage does with file locks between machines.
    HOST = "host"


class FanOutError(RuntimeError):
    """Fan-out asked of a run that cannot fan out (it is not a run of a deployment)."""


class ChildrenFailed(RuntimeError):
    """Raised at the end of a fanned-out run so it ends Failed, naming the children."""


def child_groups(sources: list[Source], by: FanOut) -> dict[str, list[str]]:
    """A label per child run and the source ids it processes."""
    if by is FanOut.HOST:
        return {host: [s.id for s in group] for host, group in pipeline.by_host(sources).items()}
    return {s.id: [s.id] for s in sources}


def own_deployment() -> str:
    name = this_deployment.name
    if not name:
        raise FanOutError("fan_out needs a flow run of a deployment (prefect deployment run …); "
                          "a run started in-process fetches its sources itself (fan_out=none)")
    return f"{this_flow_run.flow_name}/{name}"


def fan_out(by: FanOut, sources: list[str] | None, parameters: dict, load: bool) -> dict:
    """Start a child run per group of ``sources`` (every enabled one when None), wait for them
    all, then load once. ``parameters``: the children's (the window, data_dir, sources_file);
    each gets its group's ``sources``."""
    groups = child_groups(load_registry(parameters["sources_file"]).select(sources), by)
    if not groups:
        raise FanOutError("no sources to fan out: check `sources` against the registry (scrutiny sources)")
    logger = get_run_logger()
    deployment, parent = own_deployment(), this_flow_run.id
    children: dict[str, UUID] = {}
    for label, source_ids in groups.items():
        child = run_deployment(deployment, timeout=0, flow_run_name=f"{this_flow_run.name}-{label}",
                               parameters=parameters | {"sources": source_ids, "load": False,
                                                        "fan_out": FanOut.NONE.value},
                               idempotency_key=f"{parent}-{label}")  # a retried parent finds its children
        children[label] = child.id
        logger.info(f"fan-out [{label}]: flow run {child.name} for {', '.join(source_ids)}")
    states = {label: run.state.type.value for label, run in wait_for(children).items()}
    if load:
        loaded = run_deployment(LOAD_DEPLOYMENT, parameters={"data_dir": parameters["data_dir"]},
                                poll_interval=POLL_SECONDS, idempotency_key=f"{parent}-load")
        states["load"] = loaded.state.type.value
    failed = {label: state for label, state in states.items() if state != "COMPLETED"}
    if failed:
        raise ChildrenFailed("fanned-out runs did not complete: "
                             + ", ".join(f"{label} {state}" for label, state in failed.items()))
    return {"children": states}


def wait_for(runs: dict[str, UUID]) -> dict[str, FlowRun]:
    """Each flow run once it is final, logging each as it ends."""
    logger = get_run_logger()
    done: dict[str, FlowRun] = {}
    with get_client(sync_client=True) as client:
        while True:
            for label, run_id in runs.items():
                if label not in done and (run := client.read_flow_run(run_id)).state.is_final():
                    done[label] = run
                    log = logger.info if run.state.is_completed() else logger.error
                    log(f"fan-out [{label}]: {run.name} {run.state.type.value}"
                        + (f": {run.state.message}" if run.state.message else ""))
            if len(done) == len(runs):
                return done
            time.sleep(POLL_SECONDS)
