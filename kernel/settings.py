"""Every ``SCRUTINY_*`` environment variable, read here and nowhere else.

Each setting is a function that reads the environment when called, so importing this module
changes nothing and a test (or a flow) that sets a variable sees it at once. A bad value is a
one-line ValueError naming the variable, never a traceback deep in a run.

| variable | what | default |
|---|---|---|
| SCRUTINY_DATA_DIR | the data directory (kernel.config.DataDir) | ./data |
| SCRUTINY_SOURCES | the source registry file (extract.registry) | the project's sources.toml |
| SCRUTINY_PARSE_WORKERS | parse worker processes (scrutiny.parallel) | the number of CPUs |
| SCRUTINY_PARSE_MEMORY_MB | a parse worker's address-space ceiling, 0: none | 2048 |
| SCRUTINY_PARSE_SECONDS | time limit per document, 0: none | 120 |
| SCRUTINY_SOURCE_CONCURRENCY | sources a flow runs at once (flows.tasks) | 4 |
| SCRUTINY_SOURCE_RETRY_DELAYS | seconds before each retry of a source (flows.tasks) | 120,600 |
| SCRUTINY_LOAD_RETRY_DELAYS | seconds before each retry of a load (flows.tasks) | 5,30 |
| SCRUTINY_DUCKDB_MEMORY | DuckDB's memory limit while loading (warehouse.db) | 512MB |
"""
from __future__ import annotations

import os

DATA_DIR = "SCRUTINY_DATA_DIR"
SOURCES = "SCRUTINY_SOURCES"
PARSE_WORKERS = "SCRUTINY_PARSE_WORKERS"
PARSE_MEMORY_MB = "SCRUTINY_PARSE_MEMORY_MB"
PARSE_SECONDS = "SCRUTINY_PARSE_SECONDS"
SOURCE_CONCURRENCY = "SCRUTINY_SOURCE_CONCURRENCY"
SOURCE_RETRY_DELAYS = "SCRUTINY_SOURCE_RETRY_DELAYS"
LOAD_RETRY_DELAYS = "SCRUTINY_LOAD_RETRY_DELAYS"
DUCKDB_MEMORY = "SCRUTINY_DUCKDB_MEMORY"

# Per worker. A 2-core, 24 GB laptop runs 2 workers: 4 GB at most, room to spare. Real papers
# peak far below (workers ~0.1 GB over a 2,000-paper backfill; a 3,420-page, 25.7 MB PDF
# 0.31 GB); pdfium holds ~2.2x a stream's inflated size, so 2 GB stops a 10 GiB bomb in ~2 s.
DEFAULT_PARSE_MEMORY_MB = 2048
MIN_PARSE_MEMORY_MB = 512  # below it every document would fail (a worker's start-up needs ~250 MB)
# Text extraction of that 3,420-page PDF takes 21 s; papers are mostly under 1 s. 120 s leaves
# room for a slow machine and stops a pathological page long before it holds a nightly run up.
DEFAULT_PARSE_SECONDS = 120.0


def _text(name: str) -> str:
    return os.environ.get(name, "").strip()


def number(name: str, default: float, kind: type = float, minimum: float = 0, hint: str = "") -> float:
    """``default`` when unset, else ``kind`` of it, at least ``minimum``."""
    raw = _text(name)
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise ValueError(f"{name}={raw!r}: not {'a whole number' if kind is int else 'a number'}") from None
    if value < minimum:
        raise ValueError(f"{name}={raw!r}: must be {minimum} or more{hint}")
    return value


def data_dir() -> str | None:
    return os.environ.get(DATA_DIR) or None


def sources_file() -> str | None:
    return os.environ.get(SOURCES) or None


def parse_workers() -> int:
    """0 and 1 both parse one document at a time (in one worker process)."""
    try:
        return max(0, int(_text(PARSE_WORKERS)))
    except ValueError:  # unset (or not a number): one per CPU this process may use
        return len(os.sched_getaffinity(0))


def parse_memory_mb() -> int:
    memory_mb = int(number(PARSE_MEMORY_MB, DEFAULT_PARSE_MEMORY_MB, int, hint=" (0: no limit)"))
    if 0 < memory_mb < MIN_PARSE_MEMORY_MB:
        raise ValueError(f"{PARSE_MEMORY_MB}={memory_mb}: a worker maps ~250 MB before its first "
                         f"document; give it {MIN_PARSE_MEMORY_MB} or more (or 0: no ceiling)")
    return memory_mb


def parse_seconds() -> float:
    return number(PARSE_SECONDS, DEFAULT_PARSE_SECONDS, float, hint=" (0: no limit)")


def source_concurrency() -> int:
    return int(number(SOURCE_CONCURRENCY, 4, int, minimum=1, hint=" (1 runs sources one after another)"))


def _delays(name: str, default: str) -> list[float]:
    """Seconds, comma-separated, one per retry; empty: no retries."""
    raw = os.environ.get(name, default)
    try:
        return [float(x) for x in raw.split(",") if x.strip()]
    except ValueError:
        raise ValueError(f"{name}={raw!r}: not seconds separated by commas") from None


def source_retry_delays() -> list[float]:
    return _delays(SOURCE_RETRY_DELAYS, "120,600")


def load_retry_delays() -> list[float]:
    return _delays(LOAD_RETRY_DELAYS, "5,30")


def duckdb_memory(default: str) -> str:
    """DuckDB's memory_limit for a load ("2GB", "512MB"; DuckDB checks the spelling)."""
    return _text(DUCKDB_MEMORY) or default


def prefer_system_allocator() -> None:
    """Arrow's buffers from the C library's malloc instead of the bundled mimalloc, which keeps
    freed pages: a 2,000-paper backfill's parent held ~18 MB of them before its load and each
    parse worker ~10 MB; malloc hands large blocks back, and Parquet is written as fast. Arrow
    reads the variable when pyarrow is imported, so the entry points (the CLI, the flows) call
    this first; the parse workers inherit it. Set it yourself to choose another pool."""
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
