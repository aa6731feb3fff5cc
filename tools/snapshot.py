"""A warehouse's content as one comparable file: to show a restructuring changed no row.

    python tools/snapshot.py --data-dir D --write snap.json     # before the change
    python tools/snapshot.py --data-dir D2 --compare snap.json  # after: exits 1 on a difference

Every table and view of the warehouse's main schema (contract tables, extra tables, marts,
views) and every cookbook query's output, rows sorted, as SHA-256 digests plus row counts.
Columns that say *when* something happened (TIMESTAMP, run ids, run start/finish) are left
out, so two data directories filled by the same commands at different times compare equal;
everything else must match. Fill D with ``scrutiny --data-dir D demo --today 2026-11-23``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kernel.config import DataDir  # noqa: E402
from warehouse.cookbook import recipes, run  # noqa: E402
from warehouse.db import connect_read_only  # noqa: E402

TIME_TYPES = ("TIMESTAMP", "TIMESTAMP WITH TIME ZONE", "TIME")
TIME_NAMES = ("run_id", "duration_ms", "elapsed_ms")  # differ between two runs of the same commands


def _digest(rows: list[tuple]) -> str:
    return hashlib.sha256(json.dumps(rows, default=str).encode()).hexdigest()


def snapshot(data_dir: Path) -> dict[str, dict]:
    con = connect_read_only(DataDir.resolve(str(data_dir)))  # the cookbook's macros need fts
    try:
        out: dict[str, dict] = {}
        names = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                           "WHERE table_schema = 'main' ORDER BY 1").fetchall()]
        for name in names:
            cols = [c[0] for c in con.execute(f'DESCRIBE "{name}"').fetchall()
                    if c[1] not in TIME_TYPES and c[0] not in TIME_NAMES]
            rows = con.execute(f'SELECT {", ".join(map(repr_ident, cols))} FROM "{name}" ORDER BY ALL').fetchall()
            out[f"table {name}"] = {"rows": len(rows), "columns": cols, "sha256": _digest(rows)}
        for recipe in recipes():
            cols, rows = run(con, recipe)
            out[f"cookbook {recipe.name}"] = {"rows": len(rows), "columns": cols,
                                              "sha256": _digest(sorted(rows, key=repr))}
        return out
    finally:
        con.close()


def repr_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data-dir", type=Path, required=True)
    group = ap.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path)
    group.add_argument("--compare", type=Path)
    args = ap.parse_args(argv)
    snap = snapshot(args.data_dir)
    if args.write:
        args.write.write_text(json.dumps(snap, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"{len(snap)} tables, views and cookbook queries written to {args.write}")
        return 0
    before = json.loads(args.compare.read_text(encoding="utf-8"))
    diffs = [k for k in sorted(set(before) | set(snap)) if before.get(k) != snap.get(k)]
    for key in diffs:
        b, a = before.get(key) or {}, snap.get(key) or {}
        print(f"DIFFERS {key}: rows {b.get('rows')} -> {a.get('rows')}"
              + (f"; columns {b.get('columns')} -> {a.get('columns')}" if b.get("columns") != a.get("columns") else ""))
    print(f"{len(snap)} compared, {len(diffs)} differ")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
