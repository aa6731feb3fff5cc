#!/usr/bin/env python3
"""Dev tool: CPU cost of parse_document per PDF page, and a dump of every output for diffing.

    python tools/parse_profile.py [--synthetic N] [--archive DIR] [--dump out.json] [--stages]
                                  [--repeat K] [--profile pyinstrument|cprofile]

The sample: N synthetic PDFs (evenly spread over the benchmark archive's files, sorted by name;
default 150), every PDF in tests/fixtures/corpus/pdf and tests/fixtures/rendered, and every real
text in tests/fixtures/realtext (text/plain, the part after the '---' line). Reports ms of CPU
(time.process_time) per PDF page; --stages splits that into text extraction (transform.text) and
the downstream parsers. --dump writes every ParsedDocument (dataclasses.asdict, enums as values,
dates as ISO strings) keyed by file name, so two runs can be compared byte for byte:

    python tools/parse_profile.py --dump /tmp/before.json
    ... change the parsers ...
    python tools/parse_profile.py --dump /tmp/after.json && cmp /tmp/before.json /tmp/after.json
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import enum
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kernel.records import DocHints  # noqa: E402
from transform import document as document_mod  # noqa: E402
from transform.document import parse_document  # noqa: E402
from transform.text import extract_lines  # noqa: E402

DEFAULT_ARCHIVE = Path("/tmp/scrutiny-bench/archive-2000")
FIXTURES = ROOT / "tests" / "fixtures"


def sample(archive: Path, n_synth: int) -> list[tuple[str, bytes, str]]:
    """(name, bytes, content type) of every document in the sample."""
    out: list[tuple[str, bytes, str]] = []
    files = sorted((archive / "files").glob("*.pdf")) if archive.is_dir() else []
    if n_synth and not files:
        print(f"warning: no synthetic PDFs under {archive}/files "
              "(python -m tests.benchmarks.generate --papers 2000 --out DIR)", file=sys.stderr)
    if n_synth and files:
        if n_synth < len(files):
            step = len(files) / n_synth
            files = [files[int(i * step)] for i in range(n_synth)]
        out += [(f"synthetic/{p.name}", p.read_bytes(), "application/pdf") for p in files]
    for d in (FIXTURES / "corpus" / "pdf", FIXTURES / "rendered"):
        out += [(f"{d.name}/{p.name}", p.read_bytes(), "application/pdf") for p in sorted(d.glob("*.pdf"))]
    for p in sorted((FIXTURES / "realtext").glob("*.txt")):
        text = p.read_text(encoding="utf-8").split("\n---\n", 1)[1]
        out.append((f"realtext/{p.name}", text.encode("utf-8"), "text/plain"))
    return out


def _plain(obj):
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return _plain(dataclasses.asdict(obj))
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_plain(v) for v in obj]
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, (dt.date, dt.datetime, dt.time)):
        return obj.isoformat()
    return obj


def run(docs, repeat: int = 1, stages: bool = False) -> dict:
    results = {}
    pdf_pages = 0
    cpu_pdf = cpu_text = cpu_extract = cpu_records = 0.0
    for name, data, ctype in docs:
        best = None
        for _ in range(repeat):
            t0 = time.process_time()
            parsed = parse_document(data, content_type=ctype, hints=DocHints())
            spent = time.process_time() - t0
            best = spent if best is None else min(best, spent)
        results[name] = parsed
        if ctype == "application/pdf":
            cpu_pdf += best
            pdf_pages += parsed.pages or 0
            if stages:
                e_best = r_best = None
                for _ in range(repeat):
                    t0 = time.process_time()
                    text = extract_lines(data, ctype)
                    t1 = time.process_time()
                    if text.status.value == "ok":
                        document_mod._records(text, DocHints())
                    t2 = time.process_time()
                    e_best = t1 - t0 if e_best is None else min(e_best, t1 - t0)
                    r_best = t2 - t1 if r_best is None else min(r_best, t2 - t1)
                cpu_extract += e_best
                cpu_records += r_best
        else:
            cpu_text += best
    return dict(results=results, pdf_pages=pdf_pages, cpu_pdf=cpu_pdf, cpu_text=cpu_text,
                cpu_extract=cpu_extract, cpu_records=cpu_records)


def raw_pdfium_ms_per_page(docs) -> float:
    import pypdfium2 as pdfium

    pages, spent = 0, 0.0
    for _, data, ctype in docs:
        if ctype != "application/pdf":
            continue
        t0 = time.process_time()
        pdf = pdfium.PdfDocument(data)
        for i in range(len(pdf)):
            tp = pdf[i].get_textpage()
            tp.get_text_range()
            tp.close()
        pages += len(pdf)
        pdf.close()
        spent += time.process_time() - t0
    return 1000 * spent / max(pages, 1)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synthetic", type=int, default=150, help="synthetic PDFs in the sample (0: none; default 150)")
    ap.add_argument("--archive", type=Path, default=DEFAULT_ARCHIVE, help="generated archive (with files/*.pdf)")
    ap.add_argument("--dump", type=Path, help="write every ParsedDocument as JSON here")
    ap.add_argument("--stages", action="store_true", help="also time text extraction vs. the parsers")
    ap.add_argument("--repeat", type=int, default=1, help="parse each document K times, keep the fastest")
    ap.add_argument("--raw", action="store_true", help="also time raw pypdfium2 text extraction")
    ap.add_argument("--profile", choices=("pyinstrument", "cprofile"), help="profile one pass over the sample")
    args = ap.parse_args(argv)

    docs = sample(args.archive, args.synthetic)
    n_pdf = sum(1 for _, _, c in docs if c == "application/pdf")
    print(f"sample: {len(docs)} documents ({n_pdf} PDFs, {len(docs) - n_pdf} texts)")

    if args.profile == "pyinstrument":
        from pyinstrument import Profiler

        prof = Profiler(interval=0.0005)
        prof.start()
        run(docs)
        prof.stop()
        print(prof.output_text(unicode=False, color=False, show_all=False))
        return 0
    if args.profile == "cprofile":
        import cProfile
        import pstats

        prof = cProfile.Profile()
        prof.enable()
        run(docs)
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(45)
        pstats.Stats(prof).sort_stats("tottime").print_stats(30)
        return 0

    r = run(docs, repeat=args.repeat, stages=args.stages)
    pages = r["pdf_pages"]
    print(f"PDF pages: {pages}")
    print(f"parse_document: {1000 * r['cpu_pdf'] / max(pages, 1):.2f} ms CPU per PDF page "
          f"({r['cpu_pdf']:.2f} s total); texts {1000 * r['cpu_text']:.1f} ms total")
    if args.stages:
        print(f"  text extraction: {1000 * r['cpu_extract'] / max(pages, 1):.2f} ms/page; "
              f"parsers: {1000 * r['cpu_records'] / max(pages, 1):.2f} ms/page")
    if args.raw:
        print(f"raw pypdfium2 get_text_range: {raw_pdfium_ms_per_page(docs):.2f} ms/page")
    if args.dump:
        plain = {name: _plain(doc) for name, doc in r["results"].items()}
        args.dump.write_text(json.dumps(plain, indent=1, sort_keys=True, ensure_ascii=False), encoding="utf-8")
        print(f"dumped {len(plain)} documents to {args.dump}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
