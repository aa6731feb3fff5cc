"""The project's plan, measured: floors, imports between them, circles, long modules, lines of code.

    python tools/import_graph.py [ROOT]

Floors, bottom to top: kernel, stages (extract, transform, warehouse), application (pipeline,
parse pool), entry points (the Prefect flows and the command line that runs them).
A module may import from its own floor and the floors below. Prints every import that runs
up a floor, every import circle between modules, every product module over 600 lines, the
private names one module imports from another, and the lines of product code per folder
(non-blank lines of .py files; tests, fixtures, mirror and tools aside).
"""
from __future__ import annotations

import ast
import sys
from pathlib import Path

PRODUCT = ("kernel", "scrutiny", "extract", "transform", "warehouse", "flows")
# Before the kernel moved out of scrutiny/ (issue 17), scrutiny/ held it and the application in
# one folder: these modules were the kernel then (so an older tree measures the same way).
KERNEL_MODULES = {"scrutiny.records", "scrutiny.ids", "scrutiny.config", "scrutiny.locks", "scrutiny.settings",
                  "extract.errors"}
FLOOR = {"kernel": 0, "extract": 1, "transform": 1, "warehouse": 1, "scrutiny": 2, "flows": 3}
ENTRY_MODULES = {"scrutiny.cli"}  # the command line runs the flows in-process
FLOOR_NAMES = ["kernel", "stages", "application", "entry points"]
MAX_LINES = 600


def modules(root: Path) -> dict[str, Path]:
    out = {}
    for folder in PRODUCT:
        for path in sorted((root / folder).rglob("*.py")) if (root / folder).is_dir() else ():
            parts = path.relative_to(root).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            out[name] = path
    return out


def floor_of(module: str) -> int:
    if module in KERNEL_MODULES:
        return 0
    if module in ENTRY_MODULES:
        return 3
    return FLOOR[module.split(".")[0]]


def imports(path: Path, module: str, known: dict[str, Path]) -> list[tuple[str, list[str], int]]:
    """(imported module, names imported, line) for every import of a project module, at any depth
    (a function-level import is still an import)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            for a in node.names:
                sub = f"{base}.{a.name}"
                found.append((sub, [], node.lineno) if sub in known else (base, [a.name], node.lineno))
    merged: dict[tuple[str, int], list[str]] = {}
    for target, names, line in found:
        if _project(target, known):
            merged.setdefault((target, line), []).extend(names)
    return [(target, names, line) for (target, line), names in merged.items()]


def _project(target: str, known: dict[str, Path]) -> str | None:
    while target and target not in known:
        target = target.rpartition(".")[0]
    return target or None


def graph(root: Path):
    known = modules(root)
    edges: dict[str, set[str]] = {m: set() for m in known}
    upward, private = [], []
    for module, path in known.items():
        for target, names, line in imports(path, module, known):
            target = _project(target, known)
            if target == module or target.startswith(module + "."):
                continue  # a package importing its own modules
            edges[module].add(target)
            if floor_of(target) > floor_of(module):
                upward.append(f"{module}:{line} -> {target} ({FLOOR_NAMES[floor_of(module)]} -> "
                              f"{FLOOR_NAMES[floor_of(target)]})")
            private += [f"{module}:{line} imports {target}.{n}" for n in names if n.startswith("_")]
    return known, edges, upward, private


def circles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in sorted(edges.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return out


def long_modules(known: dict[str, Path]) -> dict[str, int]:
    """Product modules over MAX_LINES lines, longest first, with their line counts."""
    lines = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in known.items()}
    return {m: n for m, n in sorted(lines.items(), key=lambda kv: -kv[1]) if n > MAX_LINES}


def code_lines(path: Path) -> int:
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def main(argv: list[str]) -> int:
    root = Path(argv[0]) if argv else Path(__file__).resolve().parents[1]
    known, edges, upward, private = graph(root)
    print(f"{len(known)} modules, {sum(map(len, edges.values()))} imports between them")
    print(f"\nimports up a floor: {len(upward)}")
    print("\n".join(f"  {u}" for u in upward))
    found = circles(edges)
    print(f"\nimport circles: {len(found)}")
    print("\n".join("  " + " <-> ".join(c) for c in found))
    print(f"\nprivate names imported from another module: {len(private)}")
    print("\n".join(f"  {p}" for p in private))
    long = long_modules(known)
    print(f"\nmodules over {MAX_LINES} lines: {len(long)}")
    print("\n".join(f"  {m} {n}" for m, n in long.items()))
    print("\nlines of product code per folder (non-blank):")
    total = 0
    for folder in PRODUCT:
        n = sum(code_lines(p) for m, p in known.items() if m.split(".")[0] == folder)
        total += n
        if n:
            print(f"  {folder:10} {n:6}")
    print(f"  {'total':10} {total:6}")
    return 1 if upward[1:] or found or long else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
