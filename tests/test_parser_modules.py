"""The parsers' and adapters' modules keep the plan of issue 17: short modules, no private names
borrowed from another module, no adapter used as another adapter's library, and each shared
helper (month table, tag stripping, titles of people) written once."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from extract.adapters import ADAPTERS

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted([*(ROOT / "transform").glob("*.py"), *(ROOT / "extract" / "adapters").glob("*.py")])


def _name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _imports(path: Path) -> list[tuple[str, str | None]]:
    """(module, name) of every import in ``path``, at any depth (name None for ``import x``)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            out += [(node.module, a.name) for a in node.names]
        elif isinstance(node, ast.Import):
            out += [(a.name, None) for a in node.names]
    return out


@pytest.mark.parametrize("path", MODULES, ids=_name)
def test_no_module_over_600_lines(path):
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 600


def test_no_private_name_is_imported_from_another_module():
    borrowed = [f"{_name(p)} imports {mod}.{name}" for p in MODULES for mod, name in _imports(p)
                if name and name.startswith("_") and name != "__future__" and mod != "__future__"]
    assert borrowed == []


def test_no_adapter_is_another_adapters_library():
    adapter_modules = {target.partition(":")[0] for target in ADAPTERS.values()}
    uses = [f"{_name(p)} imports {mod}" for p in MODULES if _name(p) in adapter_modules
            for mod, _ in _imports(p) if mod in adapter_modules and mod != _name(p)]
    assert uses == []


def _modules_matching(pattern: str) -> list[str]:
    return [_name(p) for p in MODULES if re.search(pattern, p.read_text(encoding="utf-8"))]


def test_one_month_table():
    # a table from month names to numbers ("jan": 1 ...), or one built from the calendar module
    assert _modules_matching(r"""["']jan["']\s*[:,]|calendar\.month_(?:name|abbr)""") == ["transform.dates"]


def test_markup_is_stripped_in_one_place():
    assert _modules_matching(r"""<\[\^>\]\+>""") == ["transform.html"]


def test_titles_of_people_are_listed_in_one_place():
    # the courtesy titles, and the titles that start an entry of a list of people
    assert _modules_matching(r"""["']dame["']""") == ["transform.names"]
    assert _modules_matching(r"Cllr\|Councillor\|Mr\|Mrs|Mr\|Mrs\|Ms\|Miss\|Dr\|Cllr") == ["transform.names"]
