#!/usr/bin/env python3
"""Score transform.attendance and transform.actions against the corpus gold.

Runs the production text path (transform.text.extract_lines -> transform.items.split_items) on
each raw corpus file, or the converter's .txt with --txt, loads only what the scorer needs into a
throwaway in-memory DuckDB and scores it with the shared scorer (../shared/eval/score.py).

    python tools/score_attendance_actions.py [--txt] [--verbose] [--corpus tests/fixtures/corpus]

doc_kind comes from the gold here (this tool measures attendance and actions, not the
document classifier).
"""
from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from kernel.records import DocKind  # noqa: E402
from transform.actions import find_actions  # noqa: E402
from transform.attendance import parse_attendance  # noqa: E402
from transform.items import split_items  # noqa: E402
from transform.text import extract_lines  # noqa: E402

SCORER = Path("/work/shared/eval/score.py")


def load_scorer():
    spec = importlib.util.spec_from_file_location("score", SCORER)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def doc_lines(raw: Path, txt: Path | None) -> list[str]:
    if txt is not None:
        return txt.read_text().splitlines()
    ctype = "text/html" if raw.suffix in (".html", ".htm") else None
    return extract_lines(raw.read_bytes(), ctype).lines


def build(con, doc_id: str, gold: dict, lines: list[str]) -> tuple[list, list]:
    kind = DocKind(gold["doc_type"])
    items = split_items(lines, kind)
    people = parse_attendance(lines)
    actions = find_actions(items, lines)
    con.execute("INSERT INTO documents VALUES (?, ?, ?)", [doc_id, gold["doc_type"], doc_id])
    con.execute("INSERT INTO meetings VALUES (?, ?, ?)", [doc_id, gold["meeting_date"], gold["body"]])
    for n, it in enumerate(items):
        con.execute("INSERT INTO items VALUES (?, ?, ?, ?)", [doc_id, n, it.ref, it.title])
    for a in actions:
        con.execute("INSERT INTO actions VALUES (?, ?, ?, ?)", [doc_id, a.item_ref, a.text, a.owner])
    for p in people:
        con.execute("INSERT INTO attendance VALUES (?, ?, ?, ?)", [doc_id, p.person, p.role, p.status.value])
    return people, actions


def schema(con) -> None:
    con.execute("CREATE TABLE documents (document_id VARCHAR, doc_kind VARCHAR, meeting_id VARCHAR)")
    con.execute("CREATE TABLE meetings (meeting_id VARCHAR, meeting_date DATE, body VARCHAR)")
    con.execute("CREATE TABLE items (document_id VARCHAR, ordinal INTEGER, ref VARCHAR, title VARCHAR)")
    con.execute("CREATE TABLE actions (document_id VARCHAR, item_ref VARCHAR, text VARCHAR, owner VARCHAR)")
    con.execute("CREATE TABLE attendance (document_id VARCHAR, person VARCHAR, role VARCHAR, status VARCHAR)")
    con.execute("CREATE TABLE figures (document_id VARCHAR, item_ref VARCHAR, raw VARCHAR, value DOUBLE, unit VARCHAR)")


def show(score, gold: dict, people: list, actions: list) -> None:
    from rapidfuzz import fuzz

    for key, statuses in (("present", ("present", "in_attendance")), ("apologies", ("apologies",))):
        pred = {score.name_key(p.person) for p in people if p.status.value in statuses}
        want = {score.name_key(n) for n in gold[key]}
        if pred - want or want - pred:
            print(f"    {key}: extra {sorted(pred - want)} missing {sorted(want - pred)}")
    for a in actions:
        best = max(gold["actions"], key=lambda g: fuzz.token_sort_ratio(score.strip_label(g["text"]), score.strip_label(a.text)), default=None)
        s = fuzz.token_sort_ratio(score.strip_label(best["text"]), score.strip_label(a.text)) if best else 0
        mark = "ok " if s >= score.ACTION_MATCH else "FP "
        own = "" if s < score.ACTION_MATCH else f" [owner {a.owner!r} gold {best['owner']!r}]"
        print(f"    {mark}{a.item_ref}: {a.text[:110]!r}{own}")
    for g in gold["actions"]:
        if not any(fuzz.token_sort_ratio(score.strip_label(g["text"]), score.strip_label(a.text)) >= score.ACTION_MATCH for a in actions):
            print(f"    MISS {g['item_ref']}: {g['text'][:110]!r}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT / "tests/fixtures/corpus"))
    ap.add_argument("--txt", action="store_true", help="read text/<stem>.txt instead of the raw file")
    ap.add_argument("--verbose", "-v", action="store_true")
    args = ap.parse_args(argv)
    score = load_scorer()
    corpus = Path(args.corpus)
    con = duckdb.connect(":memory:")
    schema(con)
    totals = {k: [0, 0, 0] for k in ("present", "apologies", "actions")}
    owners = [0, 0]
    for gold_path in sorted((corpus / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text())
        raw = next((p for p in (corpus / "pdf").glob(gold["document"] + ".*")), None)
        if raw is None:
            continue
        txt = corpus / "text" / f"{gold['document']}.txt" if args.txt else None
        doc_id = hashlib.sha256(raw.read_bytes()).hexdigest()
        people, actions = build(con, doc_id, gold, doc_lines(raw, txt))
        r = score.score_document(con, gold, doc_id)
        print(f"{gold['document']}: present F1 {r['present']['f1']}  apologies F1 {r['apologies']['f1']}  "
              f"actions P {r['actions']['p']} R {r['actions']['r']} F1 {r['actions']['f1']}  owners {r['action_owners_ok']}")
        if args.verbose:
            show(score, gold, people, actions)
        for k in totals:
            for i, f in enumerate(("tp", "pred", "gold")):
                totals[k][i] += r[k][f]
        owners[0] += r["_owners"][0]
        owners[1] += r["_owners"][1]
    print("overall: " + "; ".join(f"{k} F1={score.prf(*v)['f1']} (P={score.prf(*v)['p']} R={score.prf(*v)['r']})" for k, v in totals.items())
          + f"; owners_ok={round(owners[0] / owners[1], 3) if owners[1] else None}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
