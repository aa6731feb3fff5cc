"""The cookbook: longitudinal questions as SQL files in warehouse/queries/.

Each file starts with two comment lines: a title and the question it answers. ``run`` runs
them on a (read-only) warehouse connection; ``markdown`` renders them with their output for
docs/cookbook.md.

The documentation's numbers are generated, never typed: the cookbook outputs and the demo's counts
sit between ``<!-- cookbook:start -->``/``<!-- cookbook:end -->`` and
``<!-- demo-counts:start -->``/``<!-- demo-counts:end -->`` markers in docs/cookbook.md, and
``python -m warehouse.cookbook --data-dir DIR --write`` rewrites them from a warehouse (the demo's:
``scrutiny demo --today 2026-11-23``). ``--check`` exits 1 when the file says something else;
tests/test_readme_numbers.py does the same on the demo data. Either takes another file to use
instead of docs/cookbook.md.
"""
from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import duckdb

QUERIES_DIR = Path(__file__).resolve().parent / "queries"
# Where the generated sections live (the README links to it).
TARGET = Path(__file__).resolve().parents[1] / "docs" / "cookbook.md"


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


SECTIONS = ("cookbook", "demo-counts")


def demo_counts(con: duckdb.DuckDBPyConnection) -> str:
    """The sentence of what the demo warehouse holds."""
    def n(sql: str) -> int:
        return con.execute(sql).fetchone()[0]

    return (f"The demo warehouse holds {n('SELECT count(*) FROM meetings')} meetings, "
            f"{n('SELECT count(*) FROM documents')} documents, {n('SELECT count(*) FROM items')} items, "
            f"{n('SELECT count(*) FROM attendance')} attendance rows, {n('SELECT count(*) FROM actions')} actions, "
            f"{n('SELECT count(*) FROM figures')} figures, {n('SELECT count(*) FROM people')} people "
            f"({n('SELECT count(*) FROM people WHERE n_spellings > 1')} with more than one spelling) and "
            f"{n('SELECT count(*) FROM document_versions')} document versions.")


def sections(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return {"cookbook": markdown(con), "demo-counts": demo_counts(con)}


def _marked(name: str) -> re.Pattern:
    return re.compile(rf"(<!-- {name}:start -->\n)(.*?)(\n<!-- {name}:end -->)", re.S)


def readme_sections(text: str) -> dict[str, str]:
    """What the file (docs/cookbook.md) says between each pair of markers."""
    out = {}
    for name in SECTIONS:
        m = _marked(name).search(text)
        if m is None:
            raise ValueError(f"the file has no <!-- {name}:start --> … <!-- {name}:end --> markers")
        out[name] = m.group(2)
    return out


def rewrite_readme(text: str, generated: dict[str, str]) -> str:
    for name, body in generated.items():
        readme_sections(text)  # the markers are there
        text = _marked(name).sub(lambda m: m.group(1) + body + m.group(3), text, count=1)
    return text


def main(argv=None) -> int:
    from kernel.config import DataDir
    from warehouse.load import connect_read_only

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-dir", default=None)
    what = ap.add_mutually_exclusive_group()
    what.add_argument("--write", metavar="FILE", nargs="?", const=TARGET,
                      help="rewrite the generated sections of FILE (default: docs/cookbook.md)")
    what.add_argument("--check", metavar="FILE", nargs="?", const=TARGET,
                      help="exit 1 if FILE's generated sections differ (default: the same file)")
    args = ap.parse_args(argv)
    con = connect_read_only(DataDir.resolve(args.data_dir))
    try:
        generated = sections(con)
    finally:
        con.close()
    if args.write or args.check:
        path = Path(args.write or args.check)
        text = path.read_text(encoding="utf-8")
        try:
            new = rewrite_readme(text, generated)
        except ValueError as exc:  # a file without the markers (the README no longer has them)
            print(f"{path}: {exc}; the generated sections live in {TARGET}", file=sys.stderr)
            return 2
        if args.check:
            stale = [n for n in SECTIONS if readme_sections(text)[n] != generated[n]]
            if stale:
                print(f"{path}: stale sections {', '.join(stale)}: run python -m warehouse.cookbook "
                      f"--write {path}", file=sys.stderr)
                return 1
            return 0
        path.write_text(new, encoding="utf-8")
        return 0
    print(generated["cookbook"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
