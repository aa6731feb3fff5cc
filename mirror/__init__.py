"""Local mirrors of the publishers' sites, for tests and `scrutiny demo` (see mirror/server.py)."""
from __future__ import annotations

import re
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


def mirror_sources_toml(mirror: Mirror, template: Path = DEFAULT_SOURCES, **settings) -> str:
    """The real registry with each mirrored source's base_url pointed at the mirror.

    Only base URLs (and any [settings] given as keywords, e.g. rate_per_second=50.0 for our
    own loopback server) change: the adapters and their parameters are the real ones, so the
    demo and the tests exercise exactly what a nightly run against the real sites does."""
    where = {sid: mirror.site_url(prefix) for prefix, site in mirror.sites.items() for sid in site.source_ids}
    out, current = [], None
    for line in template.read_text(encoding="utf-8").splitlines():
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
