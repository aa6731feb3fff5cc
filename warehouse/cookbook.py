"""The cookbook: longitudinal questions as SQL files in warehouse/queries/.

Each file starts with two comment lines: a title and the question it answers. ``run_all`` runs
them on a (read-only) warehouse connection; ``markdown`` renders them with their output for the
README (``python -m warehouse.cookbook --data-dir DIR``).
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import duckdb

QUERIES_DIR = Path(__file__).resolve().parent / "queries"


@dataclass
class Recipe:
    name: str
    title: str
    question: str
    sql: str


def recipes() -> list[Recipe]:
    out = []
    for path in sorted(QUERIES_DIR.glob("*.sql")):
        text = path.read_text(encoding="utf-8")
        lines = text.splitlines()
        title = lines[0].removeprefix("--").strip()
        question = lines[1].removeprefix("--").strip() if len(lines) > 1 and lines[1].startswith("--") else ""
        out.append(Recipe(path.stem, title, question, text))
    return out


def run(con: duckdb.DuckDBPyConnection, recipe: Recipe) -> tuple[list[str], list[tuple]]:
    cur = con.execute(recipe.sql)
    return [d[0] for d in cur.description], cur.fetchall()


def _cell(v, width: int = 48) -> str:
    s = "" if v is None else str(v)
    s = s.replace("\n", " ").replace("|", "\\|")
    return s if len(s) <= width else s[: width - 1] + "…"


def markdown(con: duckdb.DuckDBPyConnection, max_rows: int = 8) -> str:
    parts = []
    for rec in recipes():
        cols, rows = run(con, rec)
        body = "\n".join(line for line in rec.sql.splitlines()[2:]).strip()
        table = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
        table += ["| " + " | ".join(_cell(v) for v in r) + " |" for r in rows[:max_rows]]
        more = f"\n\n({len(rows)} rows; first {max_rows} shown)" if len(rows) > max_rows else f"\n\n({len(rows)} rows)"
        parts.append(f"#### {rec.title}\n\n{rec.question} (`warehouse/queries/{rec.name}.sql`)\n\n"
                     f"```sql\n{body}\n```\n\n" + "\n".join(table) + more)
    return "\n\n".join(parts)


def main(argv=None) -> None:
    from scrutiny.config import DataDir
    from warehouse.load import connect_read_only

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None)
    args = ap.parse_args(argv)
    con = connect_read_only(DataDir.resolve(args.data_dir))
    try:
        print(markdown(con))
    finally:
        con.close()


if __name__ == "__main__":
    main()
