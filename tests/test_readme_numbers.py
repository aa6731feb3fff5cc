"""The README's numbers are the demo's: the cookbook outputs and the demo counts are generated
(``python -m warehouse.cookbook --write README.md``) and must match what the demo gives now."""
from __future__ import annotations

from pathlib import Path

from tests.demo_data import demo  # noqa: F401
from warehouse import cookbook
from warehouse.load import connect_read_only

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readmes_cookbook_outputs_and_demo_counts_are_what_the_demo_gives(demo):  # noqa: F811
    con = connect_read_only(demo.data)
    try:
        generated = cookbook.sections(con)
    finally:
        con.close()
    written = cookbook.readme_sections(README.read_text(encoding="utf-8"))
    for name in cookbook.SECTIONS:
        assert written[name] == generated[name], (
            f"README section {name!r} is stale: run python -m warehouse.cookbook --data-dir DIR --write README.md")


def test_rewriting_the_readme_replaces_only_the_generated_sections():
    text = ("intro\n<!-- cookbook:start -->\nold table 182\n<!-- cookbook:end -->\nmiddle\n"
            "<!-- demo-counts:start -->\n182 items\n<!-- demo-counts:end -->\nend\n")
    new = cookbook.rewrite_readme(text, {"cookbook": "new table", "demo-counts": "174 items"})
    assert new == ("intro\n<!-- cookbook:start -->\nnew table\n<!-- cookbook:end -->\nmiddle\n"
                   "<!-- demo-counts:start -->\n174 items\n<!-- demo-counts:end -->\nend\n")
    assert cookbook.readme_sections(new) == {"cookbook": "new table", "demo-counts": "174 items"}
