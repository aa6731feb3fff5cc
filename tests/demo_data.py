"""The demo data set, built once per test session without Prefect.

What ``scrutiny demo --today 2026-11-23`` produces (the nightly path over every mirrored source,
window stretched over the mirror's whole range), made with the plain pipeline functions:
open_run → process_source per source → finish_run (which writes the document versions and
loads the warehouse). About 5 s instead of ~25 s with Prefect's start-up.

Tests must not write into the shared directory: ``demo_copy()`` gives a private copy, and
``rerun()`` runs the pipeline again over a copy against a fresh mirror on the same port (URLs,
and so the archive, include the port), after letting the caller change the mirror's sites
(``republish``, ``publish_late_minutes``).

Usage in a test module::

    from tests.demo_data import demo  # noqa: F401  (the session fixture)
"""
from __future__ import annotations

import atexit
import datetime as dt
import shutil
import socket
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from extract.registry import parse_registry
from mirror import build_mirror, mirror_sources_toml
from mirror.demo import demo_window
from scrutiny import pipeline
from kernel.config import DataDir

TODAY = dt.date(2026, 11, 23)


@dataclass
class Demo:
    data: DataDir
    port: int
    manifests: dict  # site prefix -> manifest() as built
    seconds: float

    @property
    def warehouse(self) -> Path:
        return self.data.warehouse


_CACHE: dict[str, Demo] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_over_mirror(data: DataDir, port: int, mutate: Callable | None = None,
                    sources: list[str] | None = None, flow: str = "nightly"):
    """One nightly run over the mirror on ``port``; ``mutate(mirror)`` first. Returns (run, mirror manifests)."""
    with build_mirror(port) as mirror:
        if mutate:
            mutate(mirror)
        registry = parse_registry(mirror_sources_toml(mirror, rate_per_second=1000.0))
        back, ahead = demo_window(mirror, TODAY)
        window = pipeline.nightly_window(registry, TODAY, back, ahead)
        ctx = pipeline.open_run(flow, data, registry, progress=lambda _m: None)
        for source in registry.select(sources):
            pipeline.process_source(ctx, source, window)
        run = pipeline.finish_run(ctx)
        manifests = {prefix: site.manifest() for prefix, site in mirror.sites.items()}
    return run, manifests


def build_demo() -> Demo:
    if "demo" not in _CACHE:
        import time

        root = Path(tempfile.mkdtemp(prefix="scrutiny-demo-"))
        atexit.register(shutil.rmtree, root, True)
        data = DataDir(root / "data")
        port = _free_port()
        t = time.perf_counter()
        run, manifests = run_over_mirror(data, port)
        assert run.status == "completed", run.message
        _CACHE["demo"] = Demo(data, port, manifests, time.perf_counter() - t)
    return _CACHE["demo"]


def demo_copy(dest: Path) -> DataDir:
    """A private copy of the demo data directory (raw archive, Parquet, warehouse)."""
    src = build_demo().data.root
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns("locks"))
    return DataDir(dest)


def rerun(dest: Path, mutate: Callable | None = None, sources: list[str] | None = None):
    """Copy the demo data to ``dest`` and run the nightly path again after ``mutate(mirror)``."""
    data = demo_copy(dest)
    run, manifests = run_over_mirror(data, build_demo().port, mutate, sources)
    return data, run, manifests


@pytest.fixture(scope="session")
def demo() -> Demo:
    return build_demo()
