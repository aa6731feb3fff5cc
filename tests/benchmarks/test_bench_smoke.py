"""The benchmark runs end to end at a tiny scale and prints its table (CI does not run the real
benchmark: `make bench`)."""
from __future__ import annotations

from tests.benchmarks import run


def test_benchmark_runs_end_to_end_at_tiny_scale(tmp_path, capsys):
    res = run.main(["--papers", "20", "--small", "0", "--factor", "2", "--work", str(tmp_path),
                    "--pypdf-every", "6"])
    out = capsys.readouterr().out
    assert "SYNTHETIC archive" in out and "Must-show checks" in out
    for label in ("backfill", "nightly, no change", "reparse", "warehouse rebuild", "cookbook queries",
                  "discover", "fetch", "extract", "parse", "Parquet write", "load"):
        assert label in out, label
    assert res["backfill"]["status"] == "completed", res["backfill"]["errors"]
    assert res["backfill"]["papers"] >= 15
    assert res["nightly"]["mirror"].get("document_bytes", 0) == 0  # nothing new: no document bytes
    assert res["nightly_new"]["papers"] >= 1  # the held-back paper was found and parsed
    # Peak memory is of the run's processes together (the parse workers are the stage's children).
    backfill = res["backfill"]
    assert backfill["tree_peak_mb"] >= backfill["peak_rss_mb_parent"]
    assert backfill["tree_peak_processes"] >= (2 if backfill["workers"] > 1 else 1)


def test_tree_memory_adds_up_a_process_and_its_children_at_the_same_moment():
    import subprocess
    import sys

    # A process whose child holds 64 MB; both wait for their stdin to close.
    child = "b = b'x' * (64 * 2**20); print('ready', flush=True); import sys; sys.stdin.read()"
    parent = ("import subprocess, sys; "
              f"c = subprocess.Popen([sys.executable, '-c', {child!r}], stdin=subprocess.PIPE); "
              "sys.stdin.read(); c.stdin.close(); c.wait()")
    proc = subprocess.Popen([sys.executable, "-c", parent], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        memory = run.TreeMemory(proc.pid)
        memory.sample()
        assert memory.peak_processes == 2
        assert memory.peak_mb >= 64
    finally:
        proc.stdin.close()
        proc.wait(timeout=30)
    assert memory.watch(proc) == 0  # an exited process: the watch returns its exit code
