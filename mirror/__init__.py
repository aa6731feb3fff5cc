"""Local mirrors of the publishers' sites, for tests and `scrutiny demo` (see mirror/server.py)."""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

from extract.registry import DEFAULT_SOURCES
from mirror.server import Mirror

SITES = (
    "mirror.sites.moderngov:ModernGovSite",
    "mirror.sites.wmpcc:WmpccSite",
    "mirror.sites.wmgb:WmgbSite",
    "mirror.sites.cmis:CmisSite",
)


def all_sites() -> list:
    import importlib

    sites = []
    for target in SITES:
        module, _, cls = target.partition(":")
        sites.append(getattr(importlib.import_module(module), cls)())
    return sites


def build_mirror(port: int = 0, sites: list | None = None) -> Mirror:
    return Mirror(sites if sites is not None else all_sites(), port=port)


def mirror_sources_toml(mirror: Mirror, template: Path = DEFAULT_SOURCES, drop_unmirrored: bool = False,
                        **settings) -> str:
    """The real registry with each mirrored source's base_url pointed at the mirror.

    Only base URLs (and any [settings] given as keywords, e.g. rate_per_second=50.0 for our
    own loopback server) change: the adapters and their parameters are the real ones, so the
    demo and the tests exercise exactly what a nightly run against the real sites does.
    ``drop_unmirrored`` leaves out the sources this mirror does not serve (a mirror of only some
    sites must not send a run over all sources to the real hosts). A disabled source the mirror
    does not serve is always left out: naming it (``--source ID``) would reach its real host."""
    where = {sid: mirror.site_url(prefix) for prefix, site in mirror.sites.items() for sid in site.source_ids}
    text = template.read_text(encoding="utf-8")
    blocks = re.split(r"(?m)^(?=\[\[source\]\])", text)
    text = "".join(b for b in blocks if not b.startswith("[[source]]") or _block_id(b) in where
                   or (not drop_unmirrored and _block_enabled(b)))
    out, current = [], None
    for line in text.splitlines():
        m = re.match(r'\s*id\s*=\s*"([^"]+)"', line)
        if m:
            current = m.group(1)
        key = re.match(r"\s*(\w+)\s*=", line)
        if current in where and key and key.group(1) == "base_url":
            line = f'base_url = "{where[current]}"'
        elif current is None and key and key.group(1) in settings:
            line = f"{key.group(1)} = {settings[key.group(1)]!r}"
        out.append(line)
    return "\n".join(out) + "\n"


def _block_enabled(block: str) -> bool:
    """Whether one ``[[source]]`` block is enabled. A block TOML cannot read is kept: the
    registry then refuses the whole file, naming the fault, and no run starts."""
    try:
        return tomllib.loads(block)["source"][0].get("enabled", True) is not False
    except (tomllib.TOMLDecodeError, KeyError, IndexError, AttributeError):
        return True


def _block_id(block: str) -> str | None:
    """The id of one ``[[source]]`` block of a registry file."""
    m = re.search(r'(?m)^\s*id\s*=\s*"([^"]+)"', block)
    return m[1] if m else None
