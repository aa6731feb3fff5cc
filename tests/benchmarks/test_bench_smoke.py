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
