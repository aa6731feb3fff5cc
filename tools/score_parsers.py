#!/usr/bin/env python3
"""Dev scoring: parse every PDF in a directory, load a throwaway DuckDB with the tables the
scorer reads, and run the shared scorer (../shared/eval/score.py) on it.

    python tools/score_parsers.py [--set corpus|dev] [--docs DIR --gold DIR]
                                  [--engine pdfium|pypdf|pypdf-layout] [--json out.json] [--timing]

Hints are left empty on purpose: this measures what the parsers read from the document itself.
"""
from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kernel.records import DocHints  # noqa: E402
from transform.document import parse_document  # noqa: E402
from transform.text import DEFAULT_ENGINE, ENGINES  # noqa: E402

SCORER_CANDIDATES = [ROOT.parent / "shared" / "eval" / "score.py", ROOT / "tests" / "fixtures" / "eval" / "score.py"]

SCHEMA = """
CREATE TABLE documents(document_id VARCHAR, meeting_id VARCHAR, doc_kind VARCHAR);
CREATE TABLE meetings(meeting_id VARCHAR, body VARCHAR, meeting_date DATE);
CREATE TABLE items(document_id VARCHAR, ordinal INTEGER, ref VARCHAR, title VARCHAR);
CREATE TABLE actions(document_id VARCHAR, text VARCHAR, owner VARCHAR);
CREATE TABLE figures(document_id VARCHAR, value DOUBLE, unit VARCHAR, item_ref VARCHAR);
CREATE TABLE attendance(document_id VARCHAR, person VARCHAR, status VARCHAR);
"""


def build_warehouse(docs: Path, db: Path, engine: str) -> tuple[int, float]:
    """Parse each PDF into a fresh DuckDB at `db`; returns (pages, seconds spent parsing)."""
    import duckdb

    con = duckdb.connect(str(db))
    con.execute(SCHEMA)
    pages, spent = 0, 0.0
    for path in sorted(docs.glob("*.pdf")):
        data = path.read_bytes()
        doc_id = hashlib.sha256(data).hexdigest()
        t0 = time.perf_counter()
        parsed = parse_document(data, content_type="application/pdf", hints=DocHints(), engine=engine)
        spent += time.perf_counter() - t0
        pages += parsed.pages or 0
        meeting_id = "m-" + doc_id[:16]
        con.execute("INSERT INTO documents VALUES (?, ?, ?)", [doc_id, meeting_id, str(parsed.doc_kind)])
        con.execute("INSERT INTO meetings VALUES (?, ?, ?)", [meeting_id, parsed.body, parsed.meeting_date])
        con.executemany("INSERT INTO items VALUES (?, ?, ?, ?)",
                        [[doc_id, n, it.ref, it.title] for n, it in enumerate(parsed.items)] or None) if parsed.items else None
        for a in parsed.actions:
            con.execute("INSERT INTO actions VALUES (?, ?, ?)", [doc_id, a.text, a.owner])
        for f in parsed.figures:
            con.execute("INSERT INTO figures VALUES (?, ?, ?, ?)", [doc_id, f.value, str(f.unit), f.item_ref])
        for p in parsed.attendance:
            con.execute("INSERT INTO attendance VALUES (?, ?, ?)", [doc_id, p.person, str(p.status)])
        if parsed.parse_error:
            print(f"{path.name}: {parsed.parse_status} {parsed.parse_error}", file=sys.stderr)
    con.close()
    return pages, spent


SETS = {
    "corpus": (ROOT / "tests/fixtures/corpus/pdf", ROOT / "tests/fixtures/corpus/gold"),
    "dev": (ROOT / "tests/fixtures/dev/pdf", ROOT / "tests/fixtures/dev/gold"),
}


def score_set(docs: Path, gold: Path, engine: str = DEFAULT_ENGINE) -> dict:
    """Parse every PDF of a gold set and score it with the shared scorer; its JSON result
    ({"documents": [...], "overall": {...}}). The table goes to standard output."""
    import json

    scorer = next(p for p in SCORER_CANDIDATES if p.exists())
    with tempfile.TemporaryDirectory() as tmp:
        db, out = Path(tmp) / "warehouse.duckdb", Path(tmp) / "score.json"
        build_warehouse(docs, db, engine)
        subprocess.run([sys.executable, str(scorer), "--warehouse", str(db), "--gold", str(gold),
                        "--docs", str(docs), "--json", str(out)], check=True)
        return json.loads(out.read_text())


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--set", choices=sorted(SETS), help="a gold set of the repository (sets --docs and --gold)")
    ap.add_argument("--docs", default=str(ROOT / "tests/fixtures/corpus/pdf"))
    ap.add_argument("--gold", default=str(ROOT / "tests/fixtures/corpus/gold"))
    ap.add_argument("--engine", default=DEFAULT_ENGINE, choices=ENGINES)
    ap.add_argument("--json", help="write the scorer's full result here")
    ap.add_argument("--timing", action="store_true", help="also report pages/s (median of 3 runs)")
    args = ap.parse_args(argv)
    if args.set:
        args.docs, args.gold = map(str, SETS[args.set])
    scorer = next((p for p in SCORER_CANDIDATES if p.exists()), None)
    if scorer is None:
        print("score.py not found", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "warehouse.duckdb"
        pages, spent = build_warehouse(Path(args.docs), db, args.engine)
        if args.timing:
            runs = [spent]
            for k in range(2):
                runs.append(build_warehouse(Path(args.docs), Path(tmp) / f"w{k}.duckdb", args.engine)[1])
            spent = sorted(runs)[1]
        print(f"engine={args.engine} pages={pages} parse_seconds={spent:.2f} pages_per_s={pages / spent:.1f}")
        cmd = [sys.executable, str(scorer), "--warehouse", str(db), "--gold", args.gold, "--docs", args.docs]
        if args.json:
            cmd += ["--json", args.json]
        return subprocess.call(cmd)


if __name__ == "__main__":
    sys.exit(main())
