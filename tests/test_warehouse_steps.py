"""The warehouse's derived objects are declared steps (warehouse/steps.py): each reads what exists
before it, and a load runs only the steps whose inputs changed."""
import ast
import os
from pathlib import Path

from tests.demo_data import demo, demo_copy  # noqa: F401
from warehouse import load as wl
from warehouse.steps import STEPS
from warehouse.tables import EXTRA_TABLES, INTERNAL_SCHEMA, LOADED, VIEWS

WAREHOUSE = Path(wl.__file__).resolve().parent


def test_every_step_reads_only_base_tables_or_what_an_earlier_step_made():
    made = set(LOADED)
    for step in STEPS:
        assert (step.reads or set()) <= made, (step.name, (step.reads or set()) - made)
        made |= set(step.makes)


def test_every_documented_extra_table_is_loaded_or_made_by_a_step():
    made = set(LOADED) | {t for step in STEPS for t in step.makes}
    assert set(EXTRA_TABLES) <= made, set(EXTRA_TABLES) - made
    assert not made & set(VIEWS)
    assert all(t in made for t in ("meetings", "search_dict", f"{INTERNAL_SCHEMA}.search_postings"))


def load_after_touching(data, table: str):
    """Touch one Parquet file of ``table``, load: the load's report and the steps it ran."""
    path = next((data.parquet / table).rglob("*.parquet"))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    wl.load_warehouse(data)
    report = wl.load_report()
    return report, {step.name for step in STEPS} & set(report.timings)


def test_a_load_that_only_adds_a_run_runs_no_derived_step_but_views_and_comments(demo, tmp_path):  # noqa: F811
    report, ran = load_after_touching(demo_copy(tmp_path / "data"), "runs")
    assert report.mode == "incremental" and set(report.units) == {"runs"}, report.units
    assert ran == {"views", "comments"}, ran


def test_a_new_document_runs_the_steps_that_read_its_tables(demo, tmp_path):  # noqa: F811
    report, ran = load_after_touching(demo_copy(tmp_path / "data"), "items")
    assert set(report.units) == {"items"}, report.units
    # meetings reads meeting_sightings only: not run; everything downstream of items is
    assert ran == {"search", "item_words", "item_names", "money_sentences", "people", "action_links", "marts",
                   "views", "comments"}, ran


def _imports(path: Path) -> set[str]:
    """The warehouse modules a module imports (at any level of the file)."""
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "warehouse":
                out |= {a.name for a in node.names}
            elif node.module.startswith("warehouse."):
                out.add(node.module.split(".")[1])
        elif isinstance(node, ast.Import):
            out |= {a.name.split(".")[1] for a in node.names if a.name.startswith("warehouse.")}
    return out


def test_no_import_circle_in_the_warehouse_package():
    graph = {p.stem: _imports(p) for p in WAREHOUSE.glob("*.py")}

    def reach(start: str) -> set[str]:
        seen, todo = set(), list(graph.get(start, ()))
        while todo:
            mod = todo.pop()
            if mod not in seen:
                seen.add(mod)
                todo += graph.get(mod, ())
        return seen

    circles = sorted(m for m in graph if m in reach(m))
    assert circles == [], circles
