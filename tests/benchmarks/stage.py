"""One benchmark stage in a fresh process, with the plain pipeline functions (no Prefect).

    python -m tests.benchmarks.stage STAGE --data DIR [--sources FILE] [--today YYYY-MM-DD] --out JSON

STAGE: backfill | nightly | reparse | rebuild | queries | raw | multiply. Timing starts after the
imports (interpreter start-up excluded) and ends when the stage's work and its warehouse load are
done. Sub-stages are timed by wrapping the pipeline's own functions: discover (the adapter's
generator, listing requests included), fetch (fetch_document), parse (reported by the parse
workers), Parquet write (documents: reported by the workers that write them; listings:
ParquetStore.write_document/remove in the parent), load (load_warehouse). Writes a JSON report to --out.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import statistics
import time
from collections import defaultdict
from pathlib import Path

from kernel.settings import parse_workers, prefer_system_allocator

prefer_system_allocator()  # as the CLI and the flows do, before pyarrow is imported

from extract.adapters.base import Window  # noqa: E402
from extract.registry import parse_registry  # noqa: E402
from scrutiny import pipeline  # noqa: E402
from kernel.config import DataDir  # noqa: E402
from warehouse.parquet import ParquetStore  # noqa: E402

import transform.document  # noqa: E402,F401  (imported before the clock starts, as a worker preloads it)


class Clock:
    def __init__(self) -> None:
        self.wall: dict[str, float] = defaultdict(float)
        self.cpu: dict[str, float] = defaultdict(float)
        self.count: dict[str, float] = defaultdict(float)
        self.worker_rss_kb = 0.0

    def wrap(self, name: str, fn):
        def timed(*a, **kw):
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                return fn(*a, **kw)
            finally:
                self.wall[name] += time.perf_counter() - t0
                self.cpu[name] += time.process_time() - c0
        return timed

    def wrap_gen(self, name: str, gen):
        it = iter(gen)
        while True:
            t0, c0 = time.perf_counter(), time.process_time()
            try:
                item = next(it)
            except StopIteration:
                self.wall[name] += time.perf_counter() - t0
                self.cpu[name] += time.process_time() - c0
                return
            self.wall[name] += time.perf_counter() - t0
            self.cpu[name] += time.process_time() - c0
            yield item


def instrument(clock: Clock) -> None:
    orig_get_adapter = pipeline.get_adapter

    class TimedAdapter:
        def __init__(self, inner):
            self.inner = inner

        def discover(self, *a, **kw):
            return clock.wrap_gen("discover", self.inner.discover(*a, **kw))

        def __getattr__(self, name):  # what the adapter noted while discovering (seen)
            return getattr(self.inner, name)

    pipeline.get_adapter = lambda name: TimedAdapter(orig_get_adapter(name))
    pipeline.fetch_document = clock.wrap("fetch", pipeline.fetch_document)
    ParquetStore.write_document = clock.wrap("parquet", ParquetStore.write_document)
    ParquetStore.remove = clock.wrap("parquet", ParquetStore.remove)
    pipeline.load_warehouse = clock.wrap("load", pipeline.load_warehouse)
    orig_note = pipeline._note_parsed

    def note(ctx, outcome):
        t = outcome.timings
        clock.wall["parse"] += t.get("parse", 0.0)
        clock.wall["parquet_workers"] += t.get("write", 0.0)
        clock.cpu["workers"] += t.get("cpu", 0.0)
        clock.worker_rss_kb = max(clock.worker_rss_kb, t.get("maxrss_kb", 0.0))
        clock.count["papers"] += 1
        clock.count["pages"] += outcome.pages or 0
        return orig_note(ctx, outcome)

    pipeline._note_parsed = note


def run_stage(a) -> dict:
    data = DataDir(Path(a.data))
    clock = Clock()
    instrument(clock)
    out: dict = {"stage": a.stage}
    t0, c0 = time.perf_counter(), time.process_time()
    if a.stage in ("backfill", "nightly", "reparse"):
        registry = parse_registry(Path(a.sources).read_text())
        ctx = pipeline.open_run(a.stage, data, registry, progress=lambda m: None)
        if a.stage == "reparse":
            pipeline.reparse_archive(ctx)
        else:
            window = (Window(dt.date(2015, 1, 1), dt.date(2027, 12, 31)) if a.stage == "backfill"
                      else pipeline.nightly_window(registry, dt.date.fromisoformat(a.today)))
            out["window"] = [window.start.isoformat(), window.end.isoformat()]
            for source in registry.sources:
                pipeline.process_source(ctx, source, window)
        run = pipeline.finish_run(ctx)
        out["status"] = str(run.status.value)
        out["meetings"] = run.meetings_discovered
        out["documents_discovered"] = run.documents_discovered
        out["documents_fetched"] = run.documents_fetched
        out["errors"] = run.message
        out["fetch_log"] = _fetch_summary(ctx.fetch_log)
        out["workers"] = parse_workers()
    elif a.stage == "rebuild":
        from warehouse.load import rebuild_warehouse

        clock.wrap("load", rebuild_warehouse)(data)
    elif a.stage == "queries":
        out["queries"] = time_queries(data)
    elif a.stage == "raw":
        out["raw"] = raw_extraction(Path(a.archive), a.pypdf_every)
    elif a.stage == "multiply":
        out["multiply"] = multiply(Path(a.source_data), data, a.factor)
    out["wall"] = time.perf_counter() - t0
    out["cpu_parent"] = time.process_time() - c0
    out["cpu"] = out["cpu_parent"] + clock.cpu.get("workers", 0.0)
    out["peak_rss_mb_parent"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out["peak_rss_mb_worker"] = clock.worker_rss_kb / 1024
    out["stages_wall"] = dict(clock.wall)
    out["stages_cpu"] = dict(clock.cpu)
    out["papers"] = clock.count.get("papers", 0)
    out["pages"] = clock.count.get("pages", 0)
    return out


def _fetch_summary(rows) -> dict:
    s: dict[str, float] = defaultdict(float)
    for row in rows:
        s[f"{row.purpose}_{getattr(row.outcome, 'value', row.outcome)}"] += 1
        s[f"{row.purpose}_bytes"] += row.bytes or 0
    return dict(s)


# --------------------------------------------------------------------------------------
# Cookbook queries
# --------------------------------------------------------------------------------------


def time_queries(data: DataDir, repeat: int = 5) -> dict:
    from warehouse.load import connect_read_only

    qdir = Path(__file__).resolve().parents[2] / "warehouse" / "queries"
    con = connect_read_only(data)
    out = {}
    for path in sorted(qdir.glob("*.sql")):
        sql = path.read_text()
        times, rows, error = [], None, None
        for _ in range(repeat):
            t0 = time.perf_counter()
            try:
                rows = len(con.execute(sql).fetchall())
            except Exception as exc:  # a query another helper is still writing
                error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"
                break
            times.append(time.perf_counter() - t0)
        out[path.name] = {"first_ms": round(times[0] * 1000, 1) if times else None,
                          "median_ms": round(statistics.median(times) * 1000, 1) if times else None,
                          "rows": rows, "error": error}
    con.close()
    return out


# --------------------------------------------------------------------------------------
# Raw text extraction on the same pages
# --------------------------------------------------------------------------------------


def raw_extraction(archive: Path, pypdf_every: int) -> dict:
    """Plain text extraction of every synthetic PDF with pypdfium2 (one process), and of every
    ``pypdf_every``-th PDF with pypdf (plain and layout mode) and pypdfium2 on that same sample."""
    import io
    import logging

    import pypdf
    import pypdfium2 as pdfium

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    spec = json.loads((archive / "spec.json").read_text())
    files = [d["file"] for m in spec["meetings"] if not m["new"] for d in m["docs"]]
    blobs = [(archive / "files" / f).read_bytes() for f in files]

    def pdfium_pages(data: bytes) -> int:
        doc = pdfium.PdfDocument(data)
        n = len(doc)
        for i in range(n):
            page = doc[i]
            tp = page.get_textpage()
            tp.get_text_range()
            tp.close()
            page.close()
        doc.close()
        return n

    def pypdf_pages(data: bytes, mode: str | None) -> int:
        reader = pypdf.PdfReader(io.BytesIO(data))
        for page in reader.pages:
            page.extract_text(extraction_mode=mode) if mode else page.extract_text()
        return len(reader.pages)

    def timed(fn, items) -> tuple[int, float]:
        t0 = time.perf_counter()
        pages = sum(fn(b) for b in items)
        return pages, time.perf_counter() - t0

    out = {}
    pages, secs = timed(pdfium_pages, blobs)
    out["pdfium_all"] = {"docs": len(blobs), "pages": pages, "seconds": secs, "pages_per_s": pages / secs}
    sample = blobs[::pypdf_every]
    for name, fn in (("pdfium_sample", pdfium_pages), ("pypdf_sample", lambda b: pypdf_pages(b, None)),
                     ("pypdf_layout_sample", lambda b: pypdf_pages(b, "layout"))):
        pages, secs = timed(fn, sample)
        out[name] = {"docs": len(sample), "pages": pages, "seconds": secs, "pages_per_s": pages / secs}
    return out


# --------------------------------------------------------------------------------------
# A warehouse at N x scale, from Parquet rows (not from parsing N x the PDFs)
# --------------------------------------------------------------------------------------

ID_COLUMNS = ("document_id", "meeting_id", "url", "file_id")


def multiply(src: DataDir | Path, dst: DataDir, factor: int) -> dict:
    """Copy every per-document Parquet file ``factor`` times with its ids suffixed (``~k``), so
    the warehouse holds ``factor`` x the documents, meetings, items, ... of the source run."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    src = src if isinstance(src, DataDir) else DataDir(Path(src))
    dst.ensure()
    written = 0
    for path in sorted(src.parquet.rglob("*.parquet")):
        rel = path.relative_to(src.parquet)
        table = pq.read_table(path)
        per_run = rel.parts[0] in ("runs", "fetch_log", "sources")
        for k in range(1 if per_run else factor):
            t = table
            if k:
                for col in ID_COLUMNS:
                    if col in t.column_names and pa.types.is_string(t.schema.field(col).type):
                        i = t.column_names.index(col)
                        t = t.set_column(i, col, pc.binary_join_element_wise(t[col], pa.scalar(f"~{k}"), ""))
            name = rel.name if not k else f"{rel.stem}~{k}{rel.suffix}"
            target = dst.parquet / rel.parent / name
            target.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(t, target)
            written += 1
    from warehouse.load import rebuild_warehouse

    t0 = time.perf_counter()
    counts = rebuild_warehouse(dst)
    return {"files": written, "load_seconds": time.perf_counter() - t0, "counts": counts}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("stage")
    ap.add_argument("--data", required=True)
    ap.add_argument("--sources")
    ap.add_argument("--today")
    ap.add_argument("--archive")
    ap.add_argument("--pypdf-every", type=int, default=20)
    ap.add_argument("--source-data")
    ap.add_argument("--factor", type=int, default=10)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    Path(a.out).write_text(json.dumps(run_stage(a), default=str))


if __name__ == "__main__":
    main()
