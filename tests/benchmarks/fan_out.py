"""A fanned-out nightly against a one-process nightly, on a real Prefect stack (issue 20, item 2).

    python -m tests.benchmarks.fan_out [--hosts 5] [--rate 5]

The stack of the tests (tests/prefect_stack.py: a server, the deployments of prefect.yaml, two
workers on this machine, each running at most two flow runs at once) and K copies of the mirror
on K ports (K hosts, four sources each, ``--rate`` requests/s per host). Runs the nightly three
ways into fresh data directories: in one flow run (sources in threads), fanned out per host,
fanned out per source. Prints each one's wall time (the parent's start to end, as the server
records it), its children's start-up (created to running) and run times, and whether its
warehouse equals the one-process run's.
"""
from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
from pathlib import Path

from tests.conftest import CONTENT_TABLES, content
from tests.multi_host import mirrors, multi_host_sources_toml
from tests.prefect_stack import PrefectStack, boot_stack, free_port, mirror_window, stack_env


def _time(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value.replace("Z", "+00:00"))


def nightly(stack: PrefectStack, data: Path, sources: Path, window: dict, fan_out: str) -> dict:
    run_id = stack.run("nightly", data_dir=str(data), sources_file=str(sources), fan_out=fan_out, **window)
    parent = stack.wait(run_id, timeout=1800)
    if parent["state"]["type"] != "COMPLETED":
        raise SystemExit(f"fan_out={fan_out}: {parent['state']}\n{stack.worker_log()}")
    children = stack.post("/flow_runs/filter", {"flow_runs": {"parent_flow_run_id": {"any_": [run_id]}},
                                                "limit": 200})
    starts = [(_time(c["start_time"]) - _time(c["created"])).total_seconds() for c in children]
    runs = [c["total_run_time"] for c in children]
    return {"wall": (_time(parent["end_time"]) - _time(parent["start_time"])).total_seconds(),
            "children": len(children), "start_up": starts, "run": runs, "data": data}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", type=int, default=5, help="K mirror hosts, four sources each (default 5)")
    ap.add_argument("--rate", type=float, default=5.0, help="requests/s per host (default 5)")
    ap.add_argument("--keep", type=Path, help="keep the data directories here (default: a temporary directory)")
    ap.add_argument("--ways", default="none,host,source", help="which runs (default none,host,source)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-fan-out-") as tmp:
        root = args.keep or Path(tmp)
        env = stack_env(SCRUTINY_DATA_DIR=str(root / "default-data"), SCRUTINY_SOURCE_CONCURRENCY=str(4 * args.hosts))
        (root / "home").mkdir(parents=True)
        (root / "work").mkdir()
        stack = PrefectStack(root / "home", root / "work", free_port(), env)
        try:
            boot_stack(stack)
            with mirrors(args.hosts, [free_port() for _ in range(args.hosts)]) as hosts:
                sources = root / "sources.toml"
                sources.write_text(multi_host_sources_toml(hosts, rate_per_second=args.rate))
                window = mirror_window(hosts[0])
                results = {how: nightly(stack, root / how, sources, window, how) for how in args.ways.split(",")}
        finally:
            stack.stop_all()
        one = content(results["none"]["data"] / "warehouse.duckdb")
        for how, res in results.items():
            same = all(content(res["data"] / "warehouse.duckdb")[t] == one[t] for t in CONTENT_TABLES)
            line = f"fan_out={how}: wall {res['wall']:.1f} s"
            if res["children"]:
                line += (f", {res['children']} children: start-up median {statistics.median(res['start_up']):.1f} s "
                         f"(max {max(res['start_up']):.1f}), run median {statistics.median(res['run']):.1f} s "
                         f"(max {max(res['run']):.1f})")
            print(line + f"; warehouse {'equals' if same else 'DIFFERS from'} the one-process run's", flush=True)


if __name__ == "__main__":
    main()
