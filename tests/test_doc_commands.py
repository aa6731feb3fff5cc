"""Every command the README and docs/ show runs as written: each `scrutiny …` line of their shell
blocks parses with the real command line (its subcommand and options exist, its arguments are
enough), each `make` target exists, each `python -m module` and `python tools/x.py` is there.

Parsing, not running: running them is what the other tests do (the demo, the deployments)."""
from __future__ import annotations

import importlib.util
import re
import shlex
import warnings
from pathlib import Path

import click
import pytest

from scrutiny.cli import main as cli

REPO = Path(__file__).resolve().parents[1]
PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
BLOCK = re.compile(r"```(?:sh|bash|shell)\n(.*?)```", re.S)


def shell_commands(page: Path) -> list[str]:
    """The commands of a page's shell blocks: comments dropped, continued lines joined."""
    commands = []
    for block in BLOCK.findall(page.read_text(encoding="utf-8")):
        text = re.sub(r"\\\n\s*", " ", block)
        for line in text.splitlines():
            line = line.split(" #", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if line:
                commands.append(line)
    return commands


def words(command: str) -> list[str]:
    """The command's own words: a pipe's later commands and redirections left out."""
    try:
        split = shlex.split(command)
    except ValueError:  # a quoted SQL statement that goes on over the next lines
        split = shlex.split(command + '"')
    out = []
    for word in split:
        if word in ("|", "&&", ";", "&"):
            break
        if out and out[-1] in ("<", ">", "2>"):
            out.pop()
            continue
        out.append(word)
    return out


COMMANDS = [(page.relative_to(REPO).as_posix(), c) for page in PAGES for c in shell_commands(page)]
SCRUTINY = [(p, c) for p, c in COMMANDS if re.match(r"(\S*/)?scrutiny\s", c)]


def parse(args: list[str]) -> None:
    """What click does before it calls a command: every group and subcommand's options parsed."""
    command: click.Command = cli
    with warnings.catch_warnings(), command.make_context("scrutiny", args) as ctx:
        warnings.simplefilter("ignore", DeprecationWarning)  # protected_args: click 8.2 still fills it
        while isinstance(command, click.Group) and ctx.protected_args:
            name, *rest = ctx.protected_args + ctx.args
            command = command.get_command(ctx, name)
            assert command is not None, f"no subcommand {name!r}"
            ctx = command.make_context(name, rest, parent=ctx)


def test_the_docs_show_scrutiny_commands():
    assert len(SCRUTINY) >= 10, SCRUTINY


@pytest.mark.parametrize("page,command", SCRUTINY, ids=[f"{p}:{c[:60]}" for p, c in SCRUTINY])
def test_each_scrutiny_command_parses(page, command):
    args = words(command)[1:]
    try:
        parse(args)
    except click.ClickException as exc:
        pytest.fail(f"{page}: `{command}`: {exc.format_message()}")


@pytest.mark.parametrize("page,command", [(p, c) for p, c in COMMANDS if c.startswith("make ")])
def test_each_make_target_exists(page, command):
    targets = set(re.findall(r"^([a-z][\w-]*):", (REPO / "Makefile").read_text(), re.M))
    for target in (w for w in words(command)[1:] if "=" not in w and not w.startswith("-")):
        assert target in targets, f"{page}: `{command}`: no make target {target!r}"


@pytest.mark.parametrize("page,command", [(p, c) for p, c in COMMANDS if re.search(r"python3?\s", c)])
def test_each_python_module_or_script_exists(page, command):
    args = words(command)
    at = next(i for i, w in enumerate(args) if re.search(r"(^|/)python3?$", w))
    target = args[at + 1:at + 3]
    if target[0] == "-m":
        assert importlib.util.find_spec(target[1]) is not None, f"{page}: `{command}`: no module {target[1]}"
    elif not target[0].startswith("-"):
        assert (REPO / target[0]).exists(), f"{page}: `{command}`: no file {target[0]}"
