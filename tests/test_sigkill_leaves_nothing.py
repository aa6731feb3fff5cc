"""A run SIGKILLed half way leaves no process behind, and the next run records it as crashed.

Only the `scrutiny backfill` process is killed, as the OOM killer or `kill -9` would: every
process it started (Prefect's temporary API server, the parse pool's forkserver and workers,
multiprocessing's resource tracker) must end by itself. Before the fix 5 of them (~460 MB) lived
on for good."""
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from extract.registry import load_registry
from mirror import build_mirror, mirror_sources_toml
from scrutiny import pipeline
from kernel.config import DataDir
from tests.conftest import table_rows
from tests.prefect_stack import free_port, wait_until

REPO = Path(__file__).resolve().parents[1]


def session_members(sid: int) -> list[int]:
    """Live (not zombie) processes of session ``sid``: the run and everything it started."""
    out = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
            if os.getsid(int(entry)) == sid and state != "Z":
                out.append(int(entry))
        except (OSError, ProcessLookupError):
            continue
    return out


def commands(pids: list[int]) -> str:
    names = []
    for pid in pids:
        try:
            names.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:120].decode())
        except OSError:
            pass
    return "\n".join(names)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG and pidfds are Linux's")
def test_a_sigkilled_run_leaves_no_process_and_is_recorded_as_crashed(tmp_path):
    data = tmp_path / "data"
    with build_mirror(free_port()) as mirror:
        for switch in mirror.switches.values():
            switch.delay_seconds = 0.3  # slow enough to catch it half way
        sources = tmp_path / "sources.toml"
        sources.write_text(mirror_sources_toml(mirror, rate_per_second=50.0))
        env = os.environ | {"PREFECT_HOME": str(tmp_path / "prefect"), "SCRUTINY_PARSE_WORKERS": "2"}
        env.pop("PREFECT_API_URL", None)
        log = open(tmp_path / "run.log", "wb")
        run = subprocess.Popen([sys.executable, "-m", "scrutiny.cli", "--data-dir", str(data), "--sources",
                                str(sources), "backfill", "--from-year", "2016", "--to-year", "2023"],
                               env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            manifest = data / "raw" / "manifest.jsonl"
            # Half way: documents archived (so parses are running), every helper started.
            wait_until(lambda: manifest.exists() and manifest.read_text().count('"purpose": "document"') >= 3
                       and len(session_members(run.pid)) >= 5, 180, "the run to be half way")
            started = session_members(run.pid)
            helpers = commands(started)
            assert "uvicorn" in helpers and "forkserver" in helpers and "resource_tracker" in helpers, helpers
            os.kill(run.pid, signal.SIGKILL)
            run.wait(timeout=30)
            try:
                wait_until(lambda: not session_members(run.pid), 30, "the run's processes to end")
            except TimeoutError:
                pass
            left = session_members(run.pid)
            assert left == [], f"{len(left)} processes outlived the run:\n{commands(left)}"
        finally:
            for pid in session_members(run.pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
            log.close()

    assert not (data / "warehouse.duckdb").exists(), "the run got to the end before it was killed"
    registry = load_registry(sources)
    ctx = pipeline.open_run("ingest", DataDir(data), registry, progress=lambda _m: None)
    pipeline.finish_run(ctx)
    runs = dict(table_rows(data / "warehouse.duckdb", "(SELECT flow, status FROM runs)"))
    assert runs == {"backfill": "crashed", "ingest": "completed"}
