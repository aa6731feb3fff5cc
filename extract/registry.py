"""The source registry: every source and every URL comes from one TOML file.

``sources.toml`` at the project root lists the real publishers. ``--sources FILE`` or
``SCRUTINY_SOURCES`` point the whole pipeline elsewhere (the local mirror, for example).
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SOURCES = Path(__file__).resolve().parent.parent / "sources.toml"


@dataclass(frozen=True, slots=True)
class Source:
    id: str  # the slug: config id, fixture folder, test file, id prefix
    adapter: str
    publisher: str
    body: str
    base_url: str  # always ends with "/"
    params: dict = field(default_factory=dict, hash=False, compare=False)
    browser: bool = False  # use the browser-grade transport (WAF-protected sites)
    rate_per_second: float | None = None  # overrides the registry-wide default
    timeout_seconds: float | None = None  # overrides the HTTP client's (a publisher slow to answer)


@dataclass(frozen=True, slots=True)
class Registry:
    sources: tuple[Source, ...]
    user_agent: str
    rate_per_second: float = 1.0
    lookback_days: int = 90
    lookahead_days: int = 60
    max_download_bytes: int = 50_000_000
    backoff_factor: float = 1.0  # retry n waits backoff_factor * 2**n seconds
    path: str = ""

    def get(self, source_id: str) -> Source:
        for s in self.sources:
            if s.id == source_id:
                return s
        known = ", ".join(s.id for s in self.sources)
        raise KeyError(f"unknown source {source_id!r} (known: {known})")

    def select(self, ids: list[str] | None) -> list[Source]:
        return [self.get(i) for i in ids] if ids else list(self.sources)


def sources_path(explicit: str | os.PathLike | None = None) -> Path:
    return Path(explicit or os.environ.get("SCRUTINY_SOURCES") or DEFAULT_SOURCES)


def load_registry(path: str | os.PathLike | None = None) -> Registry:
    p = sources_path(path)
    return parse_registry(p.read_text(encoding="utf-8"), str(p))


def parse_registry(text: str, origin: str = "<string>") -> Registry:
    data = tomllib.loads(text)
    settings = data.get("settings", {})
    sources = []
    for raw in data.get("source", []):
        missing = {"id", "adapter", "publisher", "body", "base_url"} - raw.keys()
        if missing:
            raise ValueError(f"{origin}: source {raw.get('id', '?')} lacks {sorted(missing)}")
        base = raw["base_url"] if raw["base_url"].endswith("/") else raw["base_url"] + "/"
        sources.append(Source(id=raw["id"], adapter=raw["adapter"], publisher=raw["publisher"],
                              body=raw["body"], base_url=base, params=dict(raw.get("params", {})),
                              browser=bool(raw.get("browser", False)),
                              rate_per_second=raw.get("rate_per_second"),
                              timeout_seconds=raw.get("timeout_seconds")))
    ids = [s.id for s in sources]
    if len(set(ids)) != len(ids):
        raise ValueError(f"{origin}: duplicate source ids in {ids}")
    contact = settings.get("contact_url", "https://example.invalid/scrutiny")
    return Registry(
        sources=tuple(sources),
        user_agent=settings.get("user_agent", f"Scrutiny/0.1 (+{contact})"),
        rate_per_second=float(settings.get("rate_per_second", 1.0)),
        lookback_days=int(settings.get("lookback_days", 90)),
        lookahead_days=int(settings.get("lookahead_days", 60)),
        max_download_bytes=int(settings.get("max_download_bytes", 50_000_000)),
        backoff_factor=float(settings.get("backoff_factor", 1.0)),
        path=origin,
    )
