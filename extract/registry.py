"""The source registry: every source and every URL comes from one TOML file.

``sources.toml`` at the project root lists the real publishers. ``--sources FILE`` or
``SCRUTINY_SOURCES`` point the whole pipeline elsewhere (the local mirror, for example).
"""
from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from kernel import settings

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
    # A disabled source is kept, checked and listed, but a run over "all sources" leaves it out;
    # naming it (--source ID) runs it. Catalogue entries not yet tried on their real site start so.
    enabled: bool = True


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
        """The sources a run processes: those named (disabled ones too: naming one is asking for
        it), else every enabled one."""
        return [self.get(i) for i in ids] if ids else [s for s in self.sources if s.enabled]


def sources_path(explicit: str | os.PathLike | None = None) -> Path:
    return Path(explicit or settings.sources_file() or DEFAULT_SOURCES)


class ConfigError(ValueError):
    """A registry that cannot be used, in one line naming the file, the source and the key."""

    def __init__(self, origin: str, problem: str, source: str | None = None, key: str | None = None):
        where = [origin] + ([f"source {source!r}"] if source is not None else []) + \
                ([f"key {key!r}"] if key is not None else [])
        super().__init__(": ".join(where + [problem]))


# A source id names folders (parquet/<table>/source=<id>, tests/fixtures/<id>) and prefixes ids:
# a slug, so that no id can reach outside the data directory ("../x") or split a path.
SLUG = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?")
REQUIRED = ("id", "adapter", "publisher", "body", "base_url")


def load_registry(path: str | os.PathLike | None = None) -> Registry:
    p = sources_path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(str(p), "no such sources file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(str(p), f"cannot read it ({exc})") from None
    return parse_registry(text, str(p))


def parse_registry(text: str, origin: str = "<string>") -> Registry:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(origin, f"not valid TOML: {exc}") from None
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        raise ConfigError(origin, "must be a table ([settings])", key="settings")
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list):
        raise ConfigError(origin, "must be an array of tables ([[source]])", key="source")
    sources = [_source(raw, n, origin) for n, raw in enumerate(raw_sources, 1)]
    ids = [s.id for s in sources]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(origin, f"duplicate source ids {dupes}", source=dupes[0], key="id")
    contact = _text(settings, "contact_url", origin, None, "https://example.invalid/scrutiny")
    return Registry(
        sources=tuple(sources),
        user_agent=_text(settings, "user_agent", origin, None, f"Scrutiny/0.1 (+{contact})"),
        rate_per_second=_number(settings, "rate_per_second", origin, None, 1.0),  # 0: no limit
        lookback_days=int(_number(settings, "lookback_days", origin, None, 90, integer=True)),
        lookahead_days=int(_number(settings, "lookahead_days", origin, None, 60, integer=True)),
        max_download_bytes=int(_number(settings, "max_download_bytes", origin, None, 50_000_000,
                                       integer=True, positive=True)),
        backoff_factor=_number(settings, "backoff_factor", origin, None, 1.0),
        path=origin,
    )


def _source(raw, n: int, origin: str) -> Source:
    if not isinstance(raw, dict):
        raise ConfigError(origin, "must be a table", source=f"#{n}")
    name = raw.get("id") if isinstance(raw.get("id"), str) else f"#{n}"
    missing = [k for k in REQUIRED if k not in raw]
    if missing:
        raise ConfigError(origin, f"lacks {missing}", source=name, key=missing[0])
    for key in REQUIRED:
        _text(raw, key, origin, name)
    if not SLUG.fullmatch(raw["id"]):
        raise ConfigError(origin, "not a slug (lower-case letters, digits and '-', at most 64)",
                          source=name, key="id")
    base = raw["base_url"]
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(origin, f"not an http(s) URL: {base!r}", source=name, key="base_url")
    params = raw.get("params", {})
    if not isinstance(params, dict):
        raise ConfigError(origin, "must be a table ([source.params])", source=name, key="params")
    browser, enabled = (_flag(raw, key, default, origin, name) for key, default in
                        (("browser", False), ("enabled", True)))
    rate = raw.get("rate_per_second")
    if rate is not None:
        rate = _number(raw, "rate_per_second", origin, name, None)
    timeout = raw.get("timeout_seconds")
    if timeout is not None:
        timeout = _number(raw, "timeout_seconds", origin, name, None, positive=True)
    return Source(id=raw["id"], adapter=raw["adapter"], publisher=raw["publisher"], body=raw["body"],
                  base_url=base if base.endswith("/") else base + "/", params=dict(params),
                  browser=browser, rate_per_second=rate, timeout_seconds=timeout, enabled=enabled)


def _flag(table: dict, key: str, default: bool, origin: str, source: str) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise ConfigError(origin, f"must be true or false, not {value!r}", source=source, key=key)
    return value


def _text(table: dict, key: str, origin: str, source: str | None, default: str | None = None) -> str:
    value = table.get(key, default)
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(origin, f"must be a non-empty string, not {value!r}", source=source, key=key)
    return value


def _number(table: dict, key: str, origin: str, source: str | None, default, integer: bool = False,
            positive: bool = False) -> float:
    value = table.get(key, default)
    ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
    if isinstance(value, bool) or not ok_type:
        kind = "a whole number" if integer else "a number"
        raise ConfigError(origin, f"must be {kind}, not {value!r}", source=source, key=key)
    if value < 0 or (positive and value == 0):
        raise ConfigError(origin, f"must be {'above' if positive else 'at least'} 0, not {value!r}",
                          source=source, key=key)
    return float(value)
