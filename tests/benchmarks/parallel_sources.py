"""Publishers in parallel (issue 20): the nightly flow over K hosts against over one.

    python -m tests.benchmarks.parallel_sources [--hosts 1,5] [--rate 5] [--concurrency 4]

K copies of the mirror on K ports (tests/multi_host.py), four sources each, every host at
``--rate`` requests/s; for each K, a fresh data directory and ``scrutiny run`` as a user runs it
(the nightly flow, Prefect's start-up included), over everything the mirror holds. Prints, per
K: the wall time, the run's own time (runs.started_at .. finished_at: without the start-up),
the peak memory of the run's processes together, meetings and documents loaded, requests per host and each host's busiest second (from the
mirror's request log); then the K-host / one-host ratios.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from mirror.demo import demo_window
from tests.benchmarks.run import TreeMemory
from tests.multi_host import mirrors, multi_host_sources_toml, per_host_rates, request_times
from tests.prefect_stack import free_port

TODAY = dt.date(2026, 11, 23)


def run_once(k: int, rate: float, concurrency: int, root: Path) -> dict:
    root.mkdir(parents=True, exist_ok=True)
    with mirrors(k, [free_port() for _ in range(k)]) as hosts:
        back, ahead = demo_window(hosts[0], TODAY)
        sources = root / f"sources-{k}.toml"
        sources.write_text(multi_host_sources_toml(hosts, rate_per_second=rate))
        data = root / f"data-{k}"
        env = os.environ | {"PREFECT_HOME": str(root.parent / "prefect-home"),
                            "SCRUTINY_SOURCE_CONCURRENCY": str(concurrency)}
        t0 = time.perf_counter()
        with tempfile.TemporaryFile("w+") as out:
            proc = subprocess.Popen([sys.executable, "-m", "scrutiny.cli", "--data-dir", str(data), "--sources",
                                     str(sources), "run", "--today", TODAY.isoformat(), "--lookback-days", str(back),
                                     "--lookahead-days", str(ahead)], env=env, stdout=out, stderr=subprocess.STDOUT,
                                    text=True)
            memory = TreeMemory(proc.pid)  # the run's processes together: parse workers, Prefect's server
            returncode = memory.watch(proc)
            out.seek(0)
            output = out.read()
        wall = time.perf_counter() - t0
        times = request_times(hosts)
    if returncode != 0:
        raise SystemExit(f"K={k}: the run failed\n{output[-3000:]}")
    con = duckdb.connect(str(data / "warehouse.duckdb"), read_only=True)
    try:
        meetings = con.execute("SELECT count(*) FROM meetings").fetchone()[0]
        documents = con.execute("SELECT count(*) FROM documents").fetchone()[0]
        run_seconds = con.execute("SELECT epoch(finished_at - started_at) FROM runs").fetchone()[0]
    finally:
        con.close()
    return {"k": k, "wall": wall, "peak_mb": memory.peak_mb, "processes": memory.peak_processes, "run": run_seconds, "meetings": meetings, "documents": documents,
            "requests": {h: len(t) for h, t in times.items()}, "busiest": per_host_rates(times),
            "busiest5": {h: n / 5 for h, n in per_host_rates(times, 5.0).items()},
            "mean": {h: (len(t) - 1) / (max(t) - min(t)) for h, t in times.items() if len(t) > 1}}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--hosts", default="1,5", help="K values, comma-separated (default 1,5)")
    ap.add_argument("--rate", type=float, default=5.0, help="requests/s per host (default 5)")
    ap.add_argument("--concurrency", type=int, default=4, help="SCRUTINY_SOURCE_CONCURRENCY (default 4)")
    args = ap.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-parallel-") as tmp:
        # Not measured: the first run on a fresh PREFECT_HOME also creates Prefect's database.
        run_once(1, 1000.0, args.concurrency, Path(tmp) / "warm-up")
        for k in (int(x) for x in args.hosts.split(",")):
            res = run_once(k, args.rate, args.concurrency, Path(tmp) / "runs")
            results.append(res)
            print(f"K={k}: wall {res['wall']:.1f} s, run {res['run']:.1f} s, peak memory {res['peak_mb']:.0f} MB "
                  f"({res['processes']} processes), {res['meetings']} meetings, "
                  f"{res['documents']} documents; requests per host {sorted(res['requests'].values())}; "
                  f"per host: busiest second {max(res['busiest'].values())} requests, busiest 5 s "
                  f"{max(res['busiest5'].values()):.1f}/s, mean {max(res['mean'].values()):.2f}/s "
                  f"(limit {args.rate:g}/s)", flush=True)
    one = results[0]
    for res in results[1:]:
        print(f"K={res['k']} / K={one['k']}: wall x{res['wall'] / one['wall']:.2f}, run x{res['run'] / one['run']:.2f}, "
              f"meetings x{res['meetings'] / one['meetings']:.2f}")


if __name__ == "__main__":
    main()
