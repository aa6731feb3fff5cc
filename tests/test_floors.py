"""The project's plan holds (docs/architecture.md): imports run down the floors (kernel, stages,
application, entry points), no import circle, no private name imported from another module, no
product module over 600 lines. Measured by tools/import_graph.py, as the docs say."""
import importlib.util
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("import_graph", REPO / "tools" / "import_graph.py")
import_graph = importlib.util.module_from_spec(spec)
spec.loader.exec_module(import_graph)

KNOWN, EDGES, UPWARD, PRIVATE = import_graph.graph(REPO)


def test_the_floors_are_where_the_docs_put_them():
    floors = {m: import_graph.floor_of(m) for m in KNOWN}
    assert {m for m, f in floors.items() if f == 0} >= {"kernel.records", "kernel.ids", "kernel.settings",
                                                        "kernel.config", "kernel.locks", "kernel.errors"}
    assert floors["scrutiny.pipeline"] == 2 and floors["flows.nightly"] == 3 and floors["scrutiny.cli"] == 3


def test_no_import_runs_up_a_floor():
    assert UPWARD == []


def test_no_import_circle():
    assert import_graph.circles(EDGES) == []


def test_no_private_name_is_imported_from_another_module():
    assert PRIVATE == []


def test_no_product_module_is_over_600_lines():
    assert import_graph.MAX_LINES == 600
    assert import_graph.long_modules(KNOWN) == {}


def test_the_kernel_imports_nothing_above_it():
    assert {t for m in KNOWN if m.startswith("kernel") for t in EDGES[m] if not t.startswith("kernel")} == set()
