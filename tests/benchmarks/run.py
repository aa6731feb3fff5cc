"""The whole-pipeline benchmark at archive scale (not a test: run it by hand, or `make bench`).

    python -m tests.benchmarks.run [--papers 2000] [--small 200] [--factor 10] [--work DIR]

0. writes the project's bytecode (compile_project: as installed, whatever PYTHONDONTWRITEBYTECODE says);
1. generates a SYNTHETIC archive (tests/benchmarks/generate.py: the real corpus papers varied in
   dates, numbers and names; default 2,000 papers, four sources, 2016-2025) and a small one;
2. serves each from the local mirror in the real sites' formats (mirror/synthetic.py), in a
   process of its own, rate limit off;
3. runs, each in a fresh process with the plain pipeline functions (NO Prefect): a full backfill,
   a no-change nightly, a nightly after 1% new papers appear, a full reparse (with raw pypdfium2
   and pypdf text extraction of the same pages timed just before and just after it), a warehouse
   rebuild and the cookbook queries (warehouse/queries/*.sql); then backfills the small archive
   (peak-memory scaling: the run's processes together, sampled every 20 ms), and times the
   queries on a warehouse of ``factor`` x the documents, built by copying the Parquet rows with
   new ids (not by parsing ``factor`` x the PDFs);
4. prints one table and the Must-show checks, and writes them as JSON (``--json``).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from pathlib import Path

from tests.benchmarks.generate import generate

ROOT = Path(__file__).resolve().parents[2]
NIGHTLY_TODAY = "2026-01-20"  # the archive runs to Dec 2025; the look-back reaches late Oct 2025


class MirrorProcess:
    def __init__(self, archive: Path, sources: Path):
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.benchmarks.mirror_proc", str(archive), str(sources)],
                                     cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            raise RuntimeError(f"synthetic mirror did not start: {line!r}")

    def ask(self, cmd: str) -> dict:
        self.proc.stdin.write(cmd + "\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    def close(self) -> None:
        try:
            self.proc.stdin.write("quit\n")
            self.proc.stdin.flush()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.kill()


class TreeMemory:
    """The peak memory of a process and its descendants (its parse workers and their forkserver)
    at the same moment: the sum of their resident sets, sampled every ``interval`` seconds from
    outside (this process), so the stage's own timing is not disturbed. Each process's own peak
    (getrusage) is exact but they peak at different times: the parse workers exit before the
    warehouse load, where the parent peaks, so the sum of the peaks counts memory that is never
    held at once."""

    PAGE = os.sysconf("SC_PAGE_SIZE")

    def __init__(self, pid: int, interval: float = 0.02):
        self.pid, self.interval = pid, interval
        self.peak_mb, self.peak_processes, self.samples = 0.0, 0, 0
        self._tree: list[int] = [pid]

    @staticmethod
    def _descendants(pid: int) -> list[int]:
        kids: dict[int, list[int]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
                except (OSError, IndexError, ValueError):
                    continue
                kids.setdefault(ppid, []).append(int(entry))
        tree, todo = [], [pid]
        while todo:
            p = todo.pop()
            tree.append(p)
            todo += kids.get(p, [])
        return tree

    def sample(self) -> None:
        if self.samples % 10 == 0:  # processes come and go rarely: look for them every 10th sample
            self._tree = self._descendants(self.pid)
        self.samples += 1
        total, alive = 0, 0
        for p in self._tree:
            try:
                total += int(Path(f"/proc/{p}/statm").read_text().split()[1]) * self.PAGE
                alive += 1
            except (OSError, IndexError, ValueError):
                continue
        if total / 2**20 > self.peak_mb:
            self.peak_mb, self.peak_processes = total / 2**20, alive

    def watch(self, proc: subprocess.Popen) -> int:
        while True:
            self.sample()
            try:
                return proc.wait(timeout=self.interval)
            except subprocess.TimeoutExpired:
                continue


def stage(name: str, out_dir: Path, log, **kw) -> dict:
    out = out_dir / f"{name}-{kw.pop('tag', 'main')}.json"
    args = [sys.executable, "-m", "tests.benchmarks.stage", kw.pop("stage", name), "--out", str(out)]
    for k, v in kw.items():
        args += [f"--{k.replace('_', '-')}", str(v)]
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT)
    memory = TreeMemory(proc.pid)
    code = memory.watch(proc)
    if code:
        raise subprocess.CalledProcessError(code, args)
    res = json.loads(out.read_text())
    res["process_wall"] = time.perf_counter() - t0
    # Sampling can miss a peak shorter than its interval: never report less than the stage
    # process's own exact peak.
    res["tree_peak_mb"] = max(memory.peak_mb, res["peak_rss_mb_parent"])
    res["tree_peak_processes"] = memory.peak_processes
    log(f"  {name}: {res['wall']:.1f} s")
    return res


def run_pipeline_stages(archive: Path, data: Path, work: Path, log, tag: str, full: bool = True) -> dict:
    sources = work / f"sources-{tag}.toml"
    mirror = MirrorProcess(archive, sources)
    res: dict = {}
    try:
        mirror.ask("stats")
        res["backfill"] = stage("backfill", work, log, data=data, sources=sources, tag=tag)
        res["backfill"]["mirror"] = mirror.ask("stats")
        if full:
            res["nightly"] = stage("nightly", work, log, data=data, sources=sources, today=NIGHTLY_TODAY, tag=tag)
            res["nightly"]["mirror"] = mirror.ask("stats")
            res["published"] = mirror.ask("publish_new")["published"]
            res["nightly_new"] = stage("nightly", work, log, data=data, sources=sources, today=NIGHTLY_TODAY,
                                       tag=tag + "-new")
            res["nightly_new"]["mirror"] = mirror.ask("stats")
    finally:
        mirror.close()
    return res


PACKAGES = ("scrutiny", "extract", "transform", "warehouse", "flows", "mirror", "tests")


def compile_project() -> None:
    """Write the project's bytecode before any stage runs, as an installed program has it.
    Python writes it at a module's first import, unless PYTHONDONTWRITEBYTECODE is set (it is on
    the machine of RESULTS.md): then every stage's fresh process compiled each module it
    imported from source, on the clock for those imported during the stage (a nightly run's
    adapters and warehouse modules: ~0.2-0.3 s of its ~3 s), which no user's second run pays."""
    import compileall

    for package in PACKAGES:
        compileall.compile_dir(ROOT / package, quiet=1)


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description="Scrutiny whole-pipeline benchmark (synthetic archive)")
    ap.add_argument("--papers", type=int, default=2000)
    ap.add_argument("--small", type=int, default=200, help="papers of the memory-scaling run (0: skip)")
    ap.add_argument("--factor", type=int, default=10, help="x scale of the query-timing warehouse (0: skip)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/scrutiny-bench"))
    ap.add_argument("--pypdf-every", type=int, default=20, help="pypdf is timed on every N-th PDF")
    ap.add_argument("--json", type=Path, help="write the results here")
    ap.add_argument("--keep", action="store_true", help="keep the data directories")
    a = ap.parse_args(argv)
    log = lambda m: print(m, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    compile_project()
    a.work.mkdir(parents=True, exist_ok=True)
    archive = a.work / f"archive-{a.papers}"
    data = a.work / f"data-{a.papers}"
    shutil.rmtree(data, ignore_errors=True)
    log(f"generating the synthetic archive ({a.papers} papers) ...")
    spec = generate(a.papers, archive, log=log)
    log("running the pipeline stages (plain functions, no Prefect; each stage in a fresh process) ...")
    res = run_pipeline_stages(archive, data, a.work, log, tag=str(a.papers))
    # Raw extraction just before and just after the reparse, compared with their mean: this
    # machine's speed drifts by up to a third over minutes, and the parse stage is judged
    # against raw pypdfium2 under the same conditions.
    res["raw"] = stage("raw", a.work, log, data=data, archive=archive, pypdf_every=a.pypdf_every)
    res["reparse"] = stage("reparse", a.work, log, data=data, sources=a.work / f"sources-{a.papers}.toml")
    res["raw_after"] = stage("raw", a.work, log, data=data, archive=archive, pypdf_every=a.pypdf_every,
                             tag="after")
    res["rebuild"] = stage("rebuild", a.work, log, data=data)
    res["queries"] = stage("queries", a.work, log, data=data)
    if a.small:
        small_archive, small_data = a.work / f"archive-{a.small}", a.work / f"data-{a.small}"
        shutil.rmtree(small_data, ignore_errors=True)
        generate(a.small, small_archive, log=log)
        log(f"memory scaling: backfill of {a.small} papers ...")
        res["small"] = run_pipeline_stages(small_archive, small_data, a.work, log, tag=str(a.small), full=False)
        if not a.keep:
            shutil.rmtree(small_data, ignore_errors=True)
    if a.factor:
        big = a.work / f"data-{a.papers}x{a.factor}"
        shutil.rmtree(big, ignore_errors=True)
        log(f"{a.factor}x warehouse from Parquet rows ...")
        try:
            res["multiply"] = stage("multiply", a.work, log, data=big, source_data=data, factor=a.factor)
            res["queries_big"] = stage("queries", a.work, log, data=big, tag="big")
        except subprocess.CalledProcessError as exc:  # killed (e.g. out of memory): report it, go on
            res["big_failed"] = f"{a.factor}x warehouse stage did not finish: {exc}"
            log(res["big_failed"])
        if not a.keep:
            shutil.rmtree(big, ignore_errors=True)
    res["factor"] = a.factor
    res["spec"] = {k: v for k, v in spec.items() if k != "meetings"}
    res["machine"] = machine()
    res["total_seconds"] = time.perf_counter() - started
    report = render(res)
    print(report)
    res["report"] = report
    if a.json:
        a.json.write_text(json.dumps(res, indent=1, default=str))
    if not a.keep:
        shutil.rmtree(data, ignore_errors=True)
    return res


def machine() -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"cpu": cpu, "cores": os.cpu_count(), "python": platform.python_version(),
            "platform": platform.platform(), "date": dt.datetime.now().isoformat(timespec="seconds"),
            "loadavg_at_end": os.getloadavg()}


# --------------------------------------------------------------------------------------
# The table
# --------------------------------------------------------------------------------------


def _rate(n: float, s: float) -> str:
    return f"{n / s:.1f}" if n and s > 0 else "-"


def _mb(x: float) -> str:
    return f"{x / 1e6:.1f}" if x else "0"


def render(res: dict) -> str:
    rows = [("run / stage", "wall s", "CPU s", "peak MB", "papers", "papers/s", "pages", "pages/s",
             "requests", "MB down (docs)")]

    def run_row(label: str, r: dict, papers=None, pages=None) -> None:
        m = r.get("mirror", {})
        reqs = sum(v for k, v in m.items() if k.endswith("_requests"))
        down = sum(v for k, v in m.items() if k.endswith("_bytes"))
        papers = r.get("papers", 0) if papers is None else papers
        pages = r.get("pages", 0) if pages is None else pages
        peak = r.get("tree_peak_mb", r["peak_rss_mb_parent"])
        rows.append((label, f"{r['wall']:.2f}", f"{r['cpu']:.1f}", f"{peak:.0f}", f"{papers:.0f}",
                     _rate(papers, r["wall"]), f"{pages:.0f}", _rate(pages, r["wall"]),
                     str(reqs) if m else "-", f"{_mb(down)} ({_mb(m.get('document_bytes', 0))})" if m else "-"))
        workers = max(1, r.get("workers", 1))
        in_workers = ("extract", "parse", "parquet_workers")
        for key, name in (("discover", "discover"), ("fetch", "fetch"), ("extract", "extract"), ("parse", "parse"),
                          ("parquet_workers", "Parquet write"), ("parquet", "listing Parquet"), ("load", "load")):
            w = r["stages_wall"].get(key)
            if w is None:
                continue
            cpu = r["stages_cpu"].get(key)
            # extract/parse/document Parquet run in the workers: summed time over the workers in parallel
            eff = w / workers if key in in_workers else w
            note = f"{eff:.2f}" + ("*" if key in in_workers else "")
            rows.append((f"  {name}", note, f"{cpu:.1f}" if cpu is not None else "(in workers)", "",
                         "", _rate(papers, eff) if key != "parquet" else "", "",
                         _rate(pages, eff) if key in in_workers else "", "", ""))

    run_row("backfill", res["backfill"])
    run_row("nightly, no change", res["nightly"])
    run_row(f"nightly, +{res.get('published', 0)} new papers", res["nightly_new"])
    run_row("reparse", res["reparse"])
    run_row("warehouse rebuild", res["rebuild"], papers=res["backfill"]["papers"])
    q = res["queries"]
    rows.append(("cookbook queries", f"{q['wall']:.2f}", f"{q['cpu']:.1f}", f"{q['peak_rss_mb_parent']:.0f}",
                 "", "", "", "", "", ""))
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(r, widths)))
             for r in rows]
    lines.insert(1, "-" * len(lines[0]))
    out = ["Scrutiny benchmark: SYNTHETIC archive of "
           f"{res['spec']['documents']} papers / {res['spec']['pdf_pages']} PDF pages, 4 sources, 2016-2025; "
           "plain pipeline functions (no Prefect); rate limit off; local mirror in its own process.", ""]
    out += lines
    out += ["", "* extract/parse/Parquet write: summed worker time / workers (they run in parallel with fetching); "
            "wall of a whole run is end to end after interpreter start-up."]
    out += ["", *checks(res)]
    return "\n".join(out)


def checks(res: dict) -> list[str]:
    out = ["Must-show checks:"]
    raw = res["raw"]["raw"]
    rp = res["reparse"]
    # The parse stage: the reparse run without its warehouse load (a stage of its own below).
    parse_wall = rp["wall"] - rp["stages_wall"].get("load", 0.0)
    parse_rate = rp["pages"] / parse_wall if parse_wall else 0
    raws = [raw["pdfium_all"]["pages_per_s"]] + ([res["raw_after"]["raw"]["pdfium_all"]["pages_per_s"]]
                                                  if "raw_after" in res else [])
    pdfium = sum(raws) / len(raws)
    s_pdfium, s_pypdf, s_layout = (raw[k]["pages_per_s"] for k in ("pdfium_sample", "pypdf_sample", "pypdf_layout_sample"))
    workers = rp.get("workers", 1)
    ok = parse_rate >= 0.5 * pdfium
    out.append(f"- [{'PASS' if ok else 'FAIL'}] parse stage (reparse without its load: extract + parse + Parquet "
               f"write, {workers} worker processes, {parse_wall:.1f} s): "
               f"{parse_rate:.0f} pages/s = {parse_rate / pdfium:.0%} of raw pypdfium2 ({pdfium:.0f} pages/s, one "
               f"process, all {raw['pdfium_all']['pages']} pages; the mean of "
               f"{' and '.join(f'{x:.0f}' for x in raws)}, measured just before and after the reparse); "
               f"raw pypdf on a sample of "
               f"{raw['pypdf_sample']['pages']} of the same pages: {s_pypdf:.0f} pages/s (layout mode {s_layout:.0f}; "
               f"pypdfium2 on that sample {s_pdfium:.0f}): pipeline = {parse_rate / s_pypdf:.1f}x raw pypdf")
    n = res["nightly"]
    m = n.get("mirror", {})
    doc_bytes = m.get("document_bytes", 0)
    listing = m.get("listing_requests", 0)
    doc_reqs = m.get("document_requests", 0)
    ok = doc_bytes == 0 and n["wall"] < 10
    out.append(f"- [{'PASS' if ok else 'FAIL'}] no-change nightly: {doc_bytes} document bytes downloaded, "
               f"{n['wall']:.2f} s wall (after start-up), {listing} listing/web-service requests + {doc_reqs} "
               f"conditional document requests (all 304) for {n.get('meetings')} meetings in the window "
               f"{n.get('window')}; robots.txt {m.get('robots_requests', 0)}")
    nn, b = res["nightly_new"], res["backfill"]
    ratio = nn["wall"] / b["wall"] if b["wall"] else 0
    # Issue 17 relaxed the bar from 5 % to 10 % on purpose: simpler loading code is worth a
    # second of a nightly load.
    out.append(f"- [{'PASS' if ratio <= 0.10 else 'FAIL'}] 1%-new nightly: {nn['wall']:.2f} s = {ratio:.1%} of the "
               f"backfill's {b['wall']:.1f} s ({res.get('published')} new papers parsed: {nn['papers']:.0f})")
    if "small" in res:
        s = res["small"]["backfill"]
        ratio = b["tree_peak_mb"] / s["tree_peak_mb"]
        # The sum of each process's own peak: an upper bound, as those peaks are not simultaneous.
        bound = lambda r: r["peak_rss_mb_parent"] + r.get("workers", 0) * r.get("peak_rss_mb_worker", 0)  # noqa: E731
        out.append(f"- [{'PASS' if ratio <= 1.2 else 'FAIL'}] peak memory (the run's processes together, sampled "
                   f"every 20 ms): backfill of {b['papers']:.0f} papers {b['tree_peak_mb']:.0f} MB "
                   f"({b['tree_peak_processes']} processes) vs {s['papers']:.0f} papers {s['tree_peak_mb']:.0f} MB "
                   f"({s['tree_peak_processes']}): {ratio:.2f}x. Each process's own peak: parent "
                   f"{b['peak_rss_mb_parent']:.0f} vs {s['peak_rss_mb_parent']:.0f} MB, parse worker "
                   f"{b['peak_rss_mb_worker']:.0f} vs {s['peak_rss_mb_worker']:.0f} MB; their sum (parent + "
                   f"{b.get('workers')} workers, never held at once: the workers exit before the load) "
                   f"{bound(b):.0f} vs {bound(s):.0f} MB, {bound(b) / bound(s):.2f}x")
    if "big_failed" in res:
        out.append(f"- [FAIL] cookbook queries at 10x: {res['big_failed']}")
    if "queries_big" in res:
        qs = res["queries_big"]["queries"]
        worst = max((v["median_ms"] or 0 for v in qs.values()), default=0)
        errors = [k for k, v in qs.items() if v["error"]]
        counts = res["multiply"]["multiply"]["counts"]
        out.append(f"- [{'PASS' if worst < 100 and not errors else 'FAIL'}] cookbook queries on the "
                   f"{res.get('factor', '')}x warehouse ({counts.get('documents')} documents, "
                   f"{counts.get('items')} items, {counts.get('figures')} figures; built from copied Parquet rows): "
                   f"slowest median {worst:.0f} ms" + (f"; failed: {', '.join(errors)}" if errors else ""))
        for k, v in qs.items():
            small = res["queries"]["queries"].get(k, {})
            out.append(f"    {k:48s} {v['median_ms']} ms (first run {v['first_ms']} ms; default scale "
                       f"{small.get('median_ms')} ms)" + (f"  ERROR {v['error']}" if v["error"] else ""))
    return out


if __name__ == "__main__":
    main()
