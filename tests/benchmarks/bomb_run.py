"""A nightly run over the demo mirror with one paper replaced by a decompression bomb (not a test:
run it by hand). Prints the run's wall time and peak memory (the run's processes together,
sampled from outside every 20 ms), the bomb's status and how many of the other papers loaded,
for the first run and for the rerun (which must not parse the bomb again).

    python -m tests.benchmarks.bomb_run [--gib 10] [--no-bomb]

Default limits (SCRUTINY_PARSE_MEMORY_MB / SCRUTINY_PARSE_SECONDS unset) unless set by the caller.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.run import ROOT, TreeMemory

BOMB_SITE = "westmidlands-pcc"
BOMB_PATH = "wp-content/uploads/2016/02/01032016-SPCB-Item-1-Agenda.pdf"


def child(data_dir: str, port: int, gib: float) -> None:
    """One nightly run over the mirror (tests/demo_data.py's), the bomb served at BOMB_PATH."""
    import duckdb

    from mirror.server import Response
    from kernel.config import DataDir
    from tests.bombs import bomb_pdf
    from tests.demo_data import run_over_mirror

    bomb = bomb_pdf(int(gib * (1 << 30))) if gib else None

    def mutate(mirror) -> None:
        if bomb is not None:
            mirror.switches[BOMB_SITE].overrides[BOMB_PATH] = Response(200, bomb, "application/pdf")

    data = DataDir(Path(data_dir))
    t = time.perf_counter()
    run, manifests = run_over_mirror(data, port, mutate)
    seconds = time.perf_counter() - t
    con = duckdb.connect(str(data.warehouse), read_only=True)
    statuses = dict(con.execute("SELECT parse_status, count(*) FROM documents GROUP BY ALL").fetchall())
    listed = con.execute("SELECT count(DISTINCT document_id) FROM documents").fetchone()[0]
    con.close()
    papers = sum(len(m["documents"]) for man in manifests.values() for m in man["meetings"])
    print(json.dumps({"seconds": round(seconds, 2), "status": run.status, "message": run.message,
                      "documents": listed, "statuses": statuses, "mirror_papers": papers,
                      "bomb_bytes": len(bomb) if bomb else 0}))


def measured(data_dir: Path, port: int, gib: float) -> dict:
    proc = subprocess.Popen([sys.executable, "-m", "tests.benchmarks.bomb_run", "--child", str(data_dir),
                             "--port", str(port), "--gib", str(gib)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    memory = TreeMemory(proc.pid)
    t = time.perf_counter()
    rc = memory.watch(proc)
    wall = time.perf_counter() - t
    out = json.loads(proc.stdout.read().strip().splitlines()[-1]) if rc == 0 else {"rc": rc}
    return {"wall_s": round(wall, 2), "peak_tree_mb": round(memory.peak_mb), **out}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--gib", type=float, default=10.0, help="what the bomb inflates to (0: no bomb)")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    ap.add_argument("--port", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        return child(args.child, args.port, args.gib)
    from tests.demo_data import _free_port

    port = _free_port()
    with tempfile.TemporaryDirectory(prefix="scrutiny-bomb-") as tmp:
        data = Path(tmp) / "data"
        for label in ("first run", "rerun"):
            print(label, json.dumps(measured(data, port, args.gib)), flush=True)


if __name__ == "__main__":
    main()
