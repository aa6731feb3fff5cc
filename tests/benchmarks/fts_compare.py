"""DuckDB's own fts index against the warehouse's search step, at N x the demo archive.

    python -m tests.benchmarks.fts_compare --data-dir D [--factor 10] [--work DIR]

D is a demo data directory (``scrutiny --data-dir D demo``). Its Parquet rows are copied
``factor`` times with new ids (``stage.multiply``) and loaded; then, three times each:

* ``PRAGMA create_fts_index`` over every item's title and text (and a CHECKPOINT), on a copy of
  that warehouse: what a load would redo whenever any item changed, were the index the extension's;
* a nightly-like load that reloads 1% of the documents (their items files touched), and the
  seconds of its ``search`` step.
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from kernel.config import DataDir
from tests.benchmarks.stage import multiply
from warehouse import load as wl
from warehouse.db import load_fts


def fts_seconds(warehouse: Path, copy: Path) -> tuple[int, float]:
    shutil.copyfile(warehouse, copy)
    con = duckdb.connect(str(copy))
    try:
        load_fts(con)
        items = con.execute("SELECT count(*) FROM items").fetchone()[0]
        con.execute("CREATE TABLE fts_items AS SELECT document_id || '/' || ordinal AS k, title, text FROM items")
        started = time.perf_counter()
        con.execute("PRAGMA create_fts_index('fts_items', 'k', 'title', 'text')")
        con.execute("CHECKPOINT")
        return items, time.perf_counter() - started
    finally:
        con.close()


def nightly_search_seconds(data: DataDir, rep: int) -> tuple[int, float]:
    for f in sorted((data.parquet / "items").rglob("*.parquet"))[rep::100]:
        st = f.stat()
        os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))
    wl.load_warehouse(data)
    report = wl.load_report()
    return report.units.get("items", 0), report.timings.get("search", 0.0)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--work", type=Path)
    a = ap.parse_args(argv)
    work = a.work or Path(tempfile.mkdtemp(prefix="fts-compare-"))
    data = DataDir(work / "data")
    shutil.rmtree(data.root, ignore_errors=True)
    multiply(DataDir.resolve(str(a.data_dir)), data, a.factor)
    fts = [fts_seconds(data.warehouse, work / "fts.duckdb") for _ in range(3)]
    ours = [nightly_search_seconds(data, rep) for rep in range(1, 4)]
    print(f"fts create_fts_index over {fts[0][0]} items: median {statistics.median(s for _, s in fts):.2f} s "
          f"({', '.join(f'{s:.2f}' for _, s in fts)})")
    print(f"search step, nightly reloading 1% of the documents: median {statistics.median(s for _, s in ours):.3f} s "
          f"({', '.join(f'{n} documents {s:.3f}' for n, s in ours)})")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
