"""The README fits on a few screens and the documentation points at things that exist (issue 17,
item 5): every link of README.md and docs/*.md opens a file (and a heading, when it names one), and
every repository path they quote in backticks is there, so a moved or renamed module shows up here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
TOP_LEVEL = ("kernel", "extract", "transform", "warehouse", "scrutiny", "flows", "mirror", "tests", "tools", "scripts", "docs")
LINK = re.compile(r"\]\(([^)\s]+)\)")
QUOTED_PATH = re.compile(r"`((?:%s)/[\w./-]*\w)`" % "|".join(TOP_LEVEL))


def anchors(page: Path) -> set[str]:
    """GitHub's heading anchors: lower case, punctuation dropped, spaces to hyphens."""
    headings = re.findall(r"^#+ (.+)$", re.sub(r"```.*?```", "", page.read_text(encoding="utf-8"), flags=re.S), re.M)
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_the_readme_is_at_most_300_lines():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= 300, f"README.md has {lines} lines: move detail to docs/"


def test_docs_holds_the_pages_the_readme_promises():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ("architecture", "warehouse", "cookbook", "parsing", "reliability", "benchmarks", "adding-a-source",
                 "scale-out"):
        assert f"(docs/{name}.md)" in readme, name
        assert (ROOT / "docs" / f"{name}.md").is_file(), name


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_link_opens_a_file_and_heading_that_exist(page):
    broken = []
    for target in LINK.findall(page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+:", target):  # http(s), mailto: not checked offline
            continue
        path, _, anchor = target.partition("#")
        where = (page.parent / path).resolve() if path else page
        if not where.exists():
            broken.append(target)
        elif anchor and where.suffix == ".md" and anchor not in anchors(where):
            broken.append(target)
    assert broken == []


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.name)
def test_every_quoted_repository_path_exists(page):
    missing = [p for p in QUOTED_PATH.findall(page.read_text(encoding="utf-8")) if not (ROOT / p).exists()]
    assert missing == []
