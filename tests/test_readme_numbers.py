"""The documentation's numbers are the demo's: the cookbook outputs and the demo counts in
docs/cookbook.md (linked from the README) are generated (``python -m warehouse.cookbook --write``)
and must match what the demo gives now."""
from __future__ import annotations

from pathlib import Path

from tests.demo_data import demo  # noqa: F401
from warehouse import cookbook
from warehouse.load import connect_read_only

COOKBOOK = Path(__file__).resolve().parents[1] / "docs" / "cookbook.md"


def test_the_docs_cookbook_outputs_and_demo_counts_are_what_the_demo_gives(demo):  # noqa: F811
    con = connect_read_only(demo.data)
    try:
        generated = cookbook.sections(con)
    finally:
        con.close()
    assert cookbook.TARGET == COOKBOOK  # what `--write` and `--check` rewrite and check by default
    written = cookbook.readme_sections(COOKBOOK.read_text(encoding="utf-8"))
    for name in cookbook.SECTIONS:
        assert written[name] == generated[name], (
            f"docs/cookbook.md section {name!r} is stale: run python -m warehouse.cookbook --data-dir DIR --write")


def test_rewriting_the_readme_replaces_only_the_generated_sections():
    text = ("intro\n<!-- cookbook:start -->\nold table 182\n<!-- cookbook:end -->\nmiddle\n"
            "<!-- demo-counts:start -->\n182 items\n<!-- demo-counts:end -->\nend\n")
    new = cookbook.rewrite_readme(text, {"cookbook": "new table", "demo-counts": "174 items"})
    assert new == ("intro\n<!-- cookbook:start -->\nnew table\n<!-- cookbook:end -->\nmiddle\n"
                   "<!-- demo-counts:start -->\n174 items\n<!-- demo-counts:end -->\nend\n")
    assert cookbook.readme_sections(new) == {"cookbook": "new table", "demo-counts": "174 items"}


def test_pointing_the_tool_at_a_file_without_the_markers_is_a_one_line_refusal(demo, tmp_path, capsys):  # noqa: F811
    """The generated sections moved from the README to docs/cookbook.md: the old command, run on
    the README, says where they are instead of failing with a traceback or writing nothing."""
    readme = tmp_path / "README.md"
    readme.write_text("# a README without generated sections\n", encoding="utf-8")
    assert cookbook.main(["--data-dir", str(demo.data.root), "--write", str(readme)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "docs/cookbook.md" in err, err
    assert readme.read_text(encoding="utf-8") == "# a README without generated sections\n"
