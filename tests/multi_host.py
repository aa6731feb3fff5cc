"""K copies of the local mirror on K ports: K publishers' hosts, for runs over many sources.

Each copy serves the same sites; the registry names each copy's sources apart (``<id>-h<k>``),
so a run over K hosts loads K times the meetings of a run over one. The per-host rate limit
counts each port as its own host (``extract/http.py`` keys it by host and port), as it counts
each council's site on the real web.
"""
from __future__ import annotations

import contextlib
import re
from collections import defaultdict

from mirror import build_mirror, mirror_sources_toml

# Four sources a host, the four of the measurement (issue 20): two boards on WordPress
# pages (the browser transport), ModernGov's web service, WordPress minutes pages. (The CMIS
# mirror answers a month calendar a request: ~160 requests, a host's whole budget on its own.)
HOST_SOURCES = ("wmpcc-spcb", "wmpcc-agb", "westmercia-pcp", "westmercia-wmgb")


@contextlib.contextmanager
def mirrors(k: int, ports: list[int] | None = None):
    """K mirrors, started; on fixed ``ports`` when given (URLs, so the archive, include them)."""
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(build_mirror(ports[i] if ports else 0)) for i in range(k)]


def _blocks(text: str) -> tuple[str, list[str]]:
    head, *blocks = re.split(r"(?m)^(?=\[\[source\]\])", text)
    return head, blocks


def multi_host_sources_toml(hosts: list, source_ids=HOST_SOURCES, **settings) -> str:
    """One registry over every mirror in ``hosts``: ``source_ids`` of each, as ``<id>-h<k>``."""
    head = None
    out = []
    for k, mirror in enumerate(hosts, 1):
        text = mirror_sources_toml(mirror, drop_unmirrored=True, **settings)
        head_k, blocks = _blocks(text)
        head = head or head_k
        for block in blocks:
            m = re.search(r'(?m)^(\s*id\s*=\s*")([^"]+)(")', block)
            if m and m[2] in source_ids:
                out.append(block[:m.start(2)] + f"{m[2]}-h{k}" + block[m.end(2):])
    return head + "".join(out)


def per_host_rates(log, window_seconds: float = 1.0) -> dict[str, int]:
    """Per host (mirror): the most requests its log holds within any ``window_seconds``."""
    busiest = {}
    for host, times in log.items():
        times = sorted(times)
        busiest[host] = max((sum(1 for t in times[i:] if t < start + window_seconds)
                             for i, start in enumerate(times)), default=0)
    return busiest


def request_times(hosts: list, since: dict | None = None) -> dict[str, list[float]]:
    """Each mirror's request times (its log), from entry ``since[base_url]`` on."""
    out = defaultdict(list)
    for mirror in hosts:
        out[mirror.base_url] = [r.at for r in mirror.log[(since or {}).get(mirror.base_url, 0):]]
    return dict(out)
